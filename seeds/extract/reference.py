"""Reference seeds from sources/domain-notes.md, section 4 (and the region names of §1.1).

Only statements the notes mark [SOURCE] go in here:
  - ref_who_regions: the six regions, their regional-office cities and GHO-style codes (§4
    "Six regions and their regional offices"), region names as in the Programme Budget
    2008–2009 budget-by-location tables (§1.1), member counts from the §4 lists;
  - ref_member_states: the six "- **AFRO** (47): Name ISO; ..." lists (§4, WHO COVID-19
    dashboard map), checked against the stated per-region counts and the stated total of 194;
  - ref_biennia: 2004-2005 .. 2024-2025 (§4 "Biennia"), with the programme period only where
    the notes say which plan covers a biennium. GPW13's extension to 2025 is [UNVERIFIED] in
    the notes, so 2024-2025 has no programme period.

Period caveats that the notes do not mark [SOURCE] (South Sudan joining in 2011, 2008 names)
are not written here; `member_since_year()` reads the South Sudan one for the sample data only.

Outputs: seeds/reference/ref_who_regions.csv, ref_member_states.csv, ref_biennia.csv
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import seedio  # noqa: E402

DOC = seedio.DOMAIN_NOTES
REGION_CODES = ("AFRO", "AMRO", "SEARO", "EURO", "EMRO", "WPRO")

OFFICES = re.compile(r"^- \*\*Six regions and their regional offices:\*\* (.+?)\. The Global "
                     r"Health Observatory \(GHO\) style codes are ([A-Z, ]+)\.")
OFFICE = re.compile(r"^([A-Z]+)(?:/([A-Z]+))? (.+)$")
PB_LOCATIONS = re.compile(r"budget by location \(([^;)]+); US\$ thousand\)")
MEMBER_LIST = re.compile(r"^- \*\*(" + "|".join(REGION_CODES) + r")\*\* \((\d+)\): (.+)$")
MEMBER = re.compile(r"^(.+) ([A-Z]{3})$")
TOTAL = re.compile(r"The total is (\d+) Member States")
SAFE_RANGE = re.compile(r"biennium key such as `\d{4}-\d{4}` \(start year even\) is safe for "
                        r"(\d{4})–(\d{4})")
COVERS = re.compile(r"(MTSP (\d{4})–(\d{4})|(GPW\d+) \((\d{4})–(\d{4})\)) covers ([^.;]+)")
BEFORE_MTSP = re.compile(r"Before it came ([^.]+)\.")
SPAN = re.compile(r"(\d{4})–(\d{4})")
JOINED = re.compile(r"^- (.+?) became a WHO Member State in (\d{4})")

REGION_COLUMNS = ["region_code", "gho_code", "region_name", "regional_office_city",
                  "regional_office_alias", "member_state_count", "source_doc", "source_ref"]
MEMBER_COLUMNS = ["iso3", "country_name", "region_code", "source_doc", "source_ref"]
BIENNIUM_COLUMNS = ["biennium", "start_year", "end_year", "programme_period", "source_doc",
                    "source_ref"]


def notes_lines(sources_dir: Path) -> list[str]:
    """domain-notes.md as raw lines (markdown markers kept: the regexes rely on them)."""
    return (Path(sources_dir) / DOC).read_text(encoding="utf-8").split("\n")


def find(lines: list[str], pattern: re.Pattern, what: str) -> tuple[int, re.Match]:
    """(index, match) of the first line where pattern is found; a located error otherwise."""
    for i, line in enumerate(lines):
        if match := pattern.search(line):
            return i, match
    raise seedio.SourceFormatError(DOC, None, f"not found: {what}")


def member_states(sources_dir: Path) -> list[dict]:
    """All Member States from the six §4 lists, each list checked against its stated count."""
    lines = notes_lines(sources_dir)
    rows = []
    for i, line in enumerate(lines):
        if not (match := MEMBER_LIST.match(line)):
            continue
        region, stated, body = match.group(1), int(match.group(2)), match.group(3)
        items = [MEMBER.match(item.strip()) for item in body.split(";")]
        if not all(items) or len(items) != stated:
            raise seedio.SourceFormatError(DOC, i + 1, f"{region}: {len(items)} items, {stated} stated")
        rows += [{"iso3": m.group(2), "country_name": m.group(1), "region_code": region,
                  "source_doc": DOC,
                  "source_ref": f"§4 {region} ({stated}) list (line {i + 1}), WHO COVID-19 "
                                "dashboard map property WHO_REGION [SOURCE]"} for m in items]
    check_members(lines, rows)
    return sorted(rows, key=lambda row: row["iso3"])


def check_members(lines: list[str], rows: list[dict]) -> None:
    """The stated total must match, every region must be listed, no ISO code twice."""
    total = int(find(lines, TOTAL, "stated total of Member States")[1].group(1))
    codes = [row["iso3"] for row in rows]
    if len(rows) != total or len(set(codes)) != total:
        raise seedio.SourceFormatError(DOC, None, f"{len(set(codes))} distinct of {total} stated")
    if {row["region_code"] for row in rows} != set(REGION_CODES):
        raise seedio.SourceFormatError(DOC, None, "a region list is missing")


def regions(sources_dir: Path) -> list[dict]:
    """Six regions: office list and GHO codes (§4), names from PB budget-by-location (§1.1)."""
    lines = notes_lines(sources_dir)
    office_at, offices = find(lines, OFFICES, "six regions and their regional offices")
    names_at, names = find(lines, PB_LOCATIONS, "PB 2008–2009 budget by location")
    office_items = [OFFICE.match(item.strip()) for item in offices.group(1).split(";")]
    gho_codes = [code.strip() for code in offices.group(2).split(",")]
    # The PB lists locations in the same order as the offices, then "Headquarters".
    region_names = [name.strip() for name in names.group(1).split(",")][:len(REGION_CODES)]
    counts = {}
    for row in member_states(sources_dir):
        counts[row["region_code"]] = counts.get(row["region_code"], 0) + 1
    rows = []
    for item, gho, name in zip(office_items, gho_codes, region_names, strict=True):
        code = item.group(1)
        if code not in REGION_CODES or not code.startswith(gho):
            raise seedio.SourceFormatError(DOC, office_at + 1, f"{code} does not fit GHO {gho}")
        rows.append({
            "region_code": code, "gho_code": gho, "region_name": name,
            "regional_office_city": item.group(3), "regional_office_alias": item.group(2),
            "member_state_count": counts[code], "source_doc": DOC,
            "source_ref": f"§4 Six regions and their regional offices (line {office_at + 1}) "
                          f"[SOURCE]; name: §1.1 PB 2008–2009 budget by location (line "
                          f"{names_at + 1}) [SOURCE]; count: §4 {code} list"})
    return rows


def programme_coverage(lines: list[str]) -> dict[int, tuple[str, str]]:
    """start_year -> (programme period label, source_ref) for each 'X covers ...' statement."""
    coverage = {}
    for i, line in enumerate(lines):
        for match in COVERS.finditer(line):
            if match.group(2):
                label = f"MTSP {match.group(2)}-{match.group(3)}"
            else:
                label = f"{match.group(4)} {match.group(5)}-{match.group(6)}"
            ref = f"§4 Biennia (line {i + 1}): {match.group(1)} covers this biennium [SOURCE]"
            for start, _ in SPAN.findall(match.group(7)):
                coverage[int(start)] = (label, ref)
    return coverage


def biennia(sources_dir: Path) -> list[dict]:
    """Every biennium in the safe range, with the programme period where the notes state it."""
    lines = notes_lines(sources_dir)
    range_at, safe = find(lines, SAFE_RANGE, "safe biennium range")
    before_at, before = find(lines, BEFORE_MTSP, "biennia before the MTSP")
    earlier = {int(start) for start, _ in SPAN.findall(before.group(1))}
    coverage = programme_coverage(lines)
    rows = []
    for start in range(int(safe.group(1)), int(safe.group(2)), 2):
        label, ref = coverage.get(start, (None, None))
        if ref is None and start in earlier:
            ref = f"§4 Biennia (line {before_at + 1}): before the MTSP; no programme period named"
        if ref is None:
            ref = (f"§4 Biennia (line {range_at + 1}): biennial structure only; the notes mark "
                   "the GPW13 extension to 2025 [UNVERIFIED], so no programme period")
        rows.append({"biennium": f"{start}-{start + 1}", "start_year": start,
                     "end_year": start + 1, "programme_period": label, "source_doc": DOC,
                     "source_ref": ref})
    return rows


def member_since_year(sources_dir: Path) -> dict[str, int]:
    """iso3 -> year it became a Member State, from the §4 period caveats (not [SOURCE]).

    Used only to keep SAMPLE data period-correct (South Sudan from 2011).
    """
    names = {row["country_name"]: row["iso3"] for row in member_states(sources_dir)}
    joined = {}
    for line in notes_lines(sources_dir):
        if match := JOINED.match(line.strip()):
            joined[names[match.group(1)]] = int(match.group(2))
    return joined


def main(sources_dir: Path | None = None, seeds_dir: Path | None = None) -> list[Path]:
    """Write the three reference seeds and return their paths."""
    sources_dir, seeds_dir = seedio.resolve_dirs(sources_dir, seeds_dir)
    out = seeds_dir / "reference"
    return [
        seedio.write_csv(out / "ref_who_regions.csv", REGION_COLUMNS, regions(sources_dir)),
        seedio.write_csv(out / "ref_member_states.csv", MEMBER_COLUMNS, member_states(sources_dir)),
        seedio.write_csv(out / "ref_biennia.csv", BIENNIUM_COLUMNS, biennia(sources_dir)),
    ]


if __name__ == "__main__":
    seedio.cli(main)
