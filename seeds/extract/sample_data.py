"""Generate SAMPLE data (not fact) for the CCS registry, WHO partnership roles and MOSS costs.

Why sample data: the facts these tables need (which countries had a CCS in 2008-2013, WHO's
role per country, WHO's MOSS compliance costs 2006-2011) were NOT FOUND (domain-notes §2, §3),
yet the warehouse's models and the SO12 indicators 12.2.1 / 12.2.2 need realistic input to be
built and tested. Every row says `is_sample = true`; the shapes follow domain-notes:
  - CCS: generations numbered in sequence, periods of 4-6 years from about 2001, doc types
    CCS / multi-country CCS / analogue / BCA, statuses draft..expired (§2);
  - MOSS: the cost-item categories and funding sources of §3;
  - countries: only Member States of ref_member_states (§4), South Sudan only from 2011;
    "Delivering as One" pilots (document 003) always work in a UN reform context.
About 150 Member States get a WHO country office (§2 counts 149-152 offices).

Deterministic: one random.Random per table, seeded from SEED, iterating in sorted order.
Outputs: seeds/sample/sample_ccs_documents.csv, sample_country_partnership_roles.csv,
sample_moss_cost_items.csv
"""
from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dao  # noqa: E402
import reference  # noqa: E402
import seedio  # noqa: E402

SEED = 20080513  # first day of the Seventh CSU Network meeting
AS_OF_YEAR = 2025  # the sample registry's "today": decides expired / current / draft
FIRST_CCS_YEARS = (2001, 2009)  # first CCSs from about 2000-2001 (§2), others later
SPANS = (4, 5, 6)  # "generally 4-6 years" (§2), inclusive of both end years
MAX_GENERATION = 4
ROLE_BIENNIA = ("2008-2009", "2010-2011", "2012-2013")
MOSS_BIENNIA = ("2006-2007", "2008-2009", "2010-2011")
MOSS_FOCUS = "2008-2009"

# Sample design: chance that a Member State of the region has a WHO country office (gives ~150).
OFFICE_CHANCE = {"AFRO": 1.0, "SEARO": 1.0, "EMRO": 0.85, "AMRO": 0.75, "WPRO": 0.6,
                 "EURO": 0.55}
# Pacific island states sharing one multi-country CCS (the "South Pacific CCS" of §2).
PACIFIC_GROUP = ("COK", "FSM", "KIR", "MHL", "NIU", "NRU", "PLW", "SLB", "TON", "TUV", "VUT",
                 "WSM")
ANALOGUE_GENERATION = {"VNM": 2}  # the health part of Viet Nam's "One Plan" (§2)
ENDORSERS = ("Regional Director", "Minister of Health", "Regional Director and Minister of Health")
CURRENT_STATUSES = (("published", 50), ("endorsed", 30), ("under review", 15), ("draft", 5))
ROLES = ("leading", "active", "participant", "none")

# MOSS cost-item categories of domain-notes §3: (category, descriptions, min, max US$/biennium).
MOSS_CATEGORIES = (
    ("telecommunications", ("VHF/UHF radio network", "HF radio network",
                            "satellite phones (Thuraya, Iridium)",
                            "radio room with trained operators", "frequency licensing"),
     5_000, 80_000),
    ("guards", ("guards and guard posts", "guard post at the WHO country office"), 10_000, 120_000),
    ("vehicles", ("vehicle fitted with radio, first-aid kit and fire extinguisher",
                  "armoured vehicle"), 25_000, 150_000),
    ("training", ("Basic Security in the Field (BSITF)", "Advanced Security in the Field (ASITF)",
                  "warden system training"), 1_000, 15_000),
    ("premises", ("perimeter and access control", "shatter-resistant window film",
                  "security lighting and generator"), 5_000, 100_000),
    ("field security staff", ("field security officer", "local security assistant"),
     30_000, 200_000),
    ("medical kits", ("medical / trauma kits",), 500, 8_000),
    ("residential security", ("residential security measures for international staff",),
     2_000, 40_000),
)
FUNDING_SOURCES = (("assessed/regular", 35), ("voluntary/project", 25),
                   ("jointly financed", 15), ("unfunded", 25))

CCS_COLUMNS = ["ccs_id", "country_iso3", "region_code", "ccs_generation", "title",
               "period_start_year", "period_end_year", "doc_type", "status", "endorsed_date",
               "endorsed_by", "used_as_planning_basis", "is_sample"]
ROLE_COLUMNS = ["country_iso3", "biennium", "who_role", "in_un_reform_context",
                "has_country_office", "is_sample"]
MOSS_COLUMNS = ["cost_item_id", "office_code", "country_iso3", "region_code", "biennium",
                "category", "description", "required_cost_usd", "funded_usd", "funding_source",
                "compliance_status", "is_sample"]


class Country(NamedTuple):
    iso3: str
    name: str
    region: str
    member_since: int  # year it became a Member State (0 = before every year used here)


def countries(sources_dir: Path) -> list[Country]:
    """Member States from the reference parser, sorted by ISO3 for a stable random order."""
    since = reference.member_since_year(sources_dir)
    return [Country(r["iso3"], r["country_name"], r["region_code"], since.get(r["iso3"], 0))
            for r in reference.member_states(sources_dir)]


def end_year(biennium: str) -> int:
    """A country takes part in a biennium if it is a Member State by the biennium's end."""
    return int(biennium[-4:])


def weighted(rng: random.Random, options) -> str:
    """One value from (value, weight) pairs."""
    values, weights = zip(*options)
    return rng.choices(values, weights=weights)[0]


def office_countries(all_countries: list[Country], pilots: set[str]) -> list[Country]:
    """Member States given a WHO country office in the sample (~150, §2); the DaO pilots
    always have one, since the UN reform pilots were run with the UN country teams."""
    rng = random.Random(SEED)
    return [c for c in all_countries
            if rng.random() < OFFICE_CHANCE[c.region] or c.iso3 in pilots]


# --- CCS registry -------------------------------------------------------------------------

def periods(rng: random.Random, earliest: int) -> list[tuple[int, int]]:
    """Consecutive, non-overlapping periods of 4-6 years, at most four generations."""
    start = max(rng.randint(*FIRST_CCS_YEARS), earliest)
    result = []
    while len(result) < MAX_GENERATION and start < AS_OF_YEAR:
        end = start + rng.choice(SPANS) - 1
        result.append((start, end))
        start = end + 1 + rng.choice((0, 0, 1, 1, 2))  # renewal often takes a year or two
    return result


def doc_type(country: Country, generation: int) -> str:
    """CCS unless the country is in the Pacific group, has an analogue, or uses BCAs."""
    if country.iso3 in PACIFIC_GROUP:
        return "multi-country CCS"
    if ANALOGUE_GENERATION.get(country.iso3) == generation:
        return "analogue"
    return "CCS"


def title(country: Country, kind: str, start: int, end: int, rng: random.Random) -> str:
    """Titles in the styles §2 quotes (CCS, Strategic Agenda, BCA, multi-country, analogue)."""
    if kind == "multi-country CCS":
        return f"WHO Multi-country Cooperation Strategy for the Pacific {start}-{end}"
    if kind == "analogue":
        return f"{country.name}: health component of the One Plan {start}-{end} (CCS analogue)"
    if kind == "BCA":
        return (f"Biennial Collaborative Agreement between {country.name} and the WHO Regional "
                f"Office for Europe {start}-{end}")
    if rng.random() < 0.1:
        return f"{country.name}: Country Cooperation Strategic Agenda ({start}-{end})"
    return f"{country.name}: WHO Country Cooperation Strategy {start}-{end}"


def status(rng: random.Random, start: int, end: int) -> str:
    """Expired before the sample's 'today', draft if not started, else a current status."""
    if end < AS_OF_YEAR:
        return "expired"
    if start > AS_OF_YEAR:
        return "draft"
    return weighted(rng, CURRENT_STATUSES)


def endorsement(rng: random.Random, state: str, start: int, generation: int,
                earliest: int) -> dict:
    """Endorsement date/by (none for drafts) and use as planning basis; never endorsed
    before the country was a Member State (South Sudan)."""
    if state == "draft":
        return {"endorsed_date": None, "endorsed_by": None, "used_as_planning_basis": False}
    year = max(start - rng.choice((0, 1)), earliest)
    month = rng.randint(9, 12) if year < start else rng.randint(1, 6)
    return {"endorsed_date": f"{year}-{month:02d}-{rng.randint(1, 28):02d}",
            "endorsed_by": rng.choice(ENDORSERS),
            "used_as_planning_basis": rng.random() < 0.65 + 0.07 * generation}


def ccs_documents(offices: list[Country]) -> list[dict]:
    """CCS rows for ~90% of office countries; the Pacific group shares one set of periods."""
    rng = random.Random(SEED + 1)
    shared = periods(rng, 0)
    rows = []
    for country in offices:
        if rng.random() >= 0.9 and country.iso3 not in PACIFIC_GROUP:
            continue
        uses_bca = country.region == "EURO" and rng.random() < 0.5
        spans = shared if country.iso3 in PACIFIC_GROUP else periods(rng, country.member_since)
        for generation, (start, end) in enumerate(spans, start=1):
            kind = "BCA" if uses_bca else doc_type(country, generation)
            state = status(rng, start, end)
            rows.append({
                "ccs_id": f"CCS-{country.iso3}-{generation}", "country_iso3": country.iso3,
                "region_code": country.region, "ccs_generation": generation,
                "title": title(country, kind, start, end, rng), "period_start_year": start,
                "period_end_year": end, "doc_type": kind, "status": state,
                **endorsement(rng, state, start, generation, country.member_since),
                "is_sample": True})
    return rows


# --- partnership roles --------------------------------------------------------------------

def partnership_roles(all_countries: list[Country], offices: list[Country],
                      pilots: set[str]) -> list[dict]:
    """Country x biennium roles; DaO pilots always in a UN reform context."""
    rng = random.Random(SEED + 2)
    office_codes = {c.iso3 for c in offices}
    rows = []
    for country in all_countries:
        for index, biennium in enumerate(ROLE_BIENNIA):
            if country.member_since > end_year(biennium):
                continue
            has_office = country.iso3 in office_codes
            if has_office:
                role = weighted(rng, zip(ROLES, (25 + 3 * index, 40, 30 - 3 * index, 5)))
                reform = country.iso3 in pilots or rng.random() < 0.35 + 0.1 * index
            else:
                role, reform = weighted(rng, (("none", 80), ("participant", 20))), False
            rows.append({"country_iso3": country.iso3, "biennium": biennium, "who_role": role,
                         "in_un_reform_context": reform, "has_country_office": has_office,
                         "is_sample": True})
    return rows


# --- MOSS cost items ----------------------------------------------------------------------

def moss_item(rng: random.Random, category: tuple, factor: float) -> dict:
    """One cost item: required cost, funding source, funded share and compliance."""
    name, descriptions, low, high = category
    required = round(rng.randint(low, high) * factor, -2)
    source = weighted(rng, FUNDING_SOURCES)
    funded = 0 if source == "unfunded" else required if rng.random() < 0.5 else round(
        required * rng.uniform(0.3, 0.95), -2)
    compliance = ("compliant" if funded == required else
                  "non-compliant" if funded == 0 else "partially compliant")
    return {"category": name, "description": rng.choice(descriptions),
            "required_cost_usd": f"{required:.2f}", "funded_usd": f"{funded:.2f}",
            "funding_source": source, "compliance_status": compliance}


def moss_cost_items(offices: list[Country]) -> list[dict]:
    """Items per office x biennium: every office in 2008-2009, ~40% of them in the others."""
    rng = random.Random(SEED + 3)
    rows = []
    for biennium in MOSS_BIENNIA:
        for country in offices:
            if country.member_since > end_year(biennium):
                continue
            if biennium != MOSS_FOCUS and rng.random() >= 0.4:
                continue
            factor = 1.3 if country.region in ("AFRO", "EMRO") else 1.0
            chosen = sorted(rng.sample(range(len(MOSS_CATEGORIES)), k=rng.randint(2, 5)))
            for number, index in enumerate(chosen, start=1):
                rows.append({
                    "cost_item_id": f"MOSS-{biennium[:4]}-{country.iso3}-{number:02d}",
                    "office_code": f"WCO-{country.iso3}", "country_iso3": country.iso3,
                    "region_code": country.region, "biennium": biennium,
                    **moss_item(rng, MOSS_CATEGORIES[index], factor), "is_sample": True})
    return rows


def main(sources_dir: Path | None = None, seeds_dir: Path | None = None) -> list[Path]:
    """Write the three sample seeds and return their paths."""
    sources_dir, seeds_dir = seedio.resolve_dirs(sources_dir, seeds_dir)
    all_countries = countries(sources_dir)
    pilots = {row["iso3"] for row in dao.extract(sources_dir)}
    offices = office_countries(all_countries, pilots)
    out = seeds_dir / "sample"
    return [
        seedio.write_csv(out / "sample_ccs_documents.csv", CCS_COLUMNS, ccs_documents(offices)),
        seedio.write_csv(out / "sample_country_partnership_roles.csv", ROLE_COLUMNS,
                         partnership_roles(all_countries, offices, pilots)),
        seedio.write_csv(out / "sample_moss_cost_items.csv", MOSS_COLUMNS,
                         moss_cost_items(offices)),
    ]


if __name__ == "__main__":
    seedio.cli(main)
