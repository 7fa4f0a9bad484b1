"""SAMPLE seeds: flagged, period-correct, internally consistent and reproducible."""
from collections import defaultdict

import pytest

import dao
import reference
import sample_data
import seedio

SAMPLE_DIR = seedio.SEEDS_DIR / "sample"


@pytest.fixture(scope="module")
def ccs():
    return seedio.read_csv(SAMPLE_DIR / "sample_ccs_documents.csv")


@pytest.fixture(scope="module")
def roles():
    return seedio.read_csv(SAMPLE_DIR / "sample_country_partnership_roles.csv")


@pytest.fixture(scope="module")
def moss():
    return seedio.read_csv(SAMPLE_DIR / "sample_moss_cost_items.csv")


@pytest.fixture(scope="module")
def member_iso3():
    return {row["iso3"] for row in reference.member_states(seedio.SOURCES_DIR)}


def test_every_row_is_flagged_sample(ccs, roles, moss):
    for rows in (ccs, roles, moss):
        assert rows and {row["is_sample"] for row in rows} == {"true"}


def test_only_member_states(ccs, roles, moss, member_iso3):
    for rows in (ccs, roles, moss):
        assert {row["country_iso3"] for row in rows} <= member_iso3


def test_south_sudan_only_from_2011(ccs, roles, moss):
    assert all(int(r["period_start_year"]) >= 2011 for r in ccs if r["country_iso3"] == "SSD")
    assert all(r["endorsed_date"] >= "2011" for r in ccs if r["country_iso3"] == "SSD" and r["endorsed_date"])
    assert {r["biennium"] for r in roles if r["country_iso3"] == "SSD"} == {"2010-2011", "2012-2013"}
    assert all(r["biennium"] == "2010-2011" for r in moss if r["country_iso3"] == "SSD")


def test_ccs_coverage_and_spans(ccs):
    assert 120 <= len({r["country_iso3"] for r in ccs}) <= 160
    spans = {int(r["period_end_year"]) - int(r["period_start_year"]) + 1 for r in ccs}
    assert spans <= {4, 5, 6}
    assert min(int(r["period_start_year"]) for r in ccs) == 2001
    assert max(int(r["period_start_year"]) for r in ccs) <= 2025


def test_ccs_generations_in_sequence_without_overlap(ccs):
    by_country = defaultdict(list)
    for row in ccs:
        by_country[row["country_iso3"]].append(row)
    for iso3, docs in by_country.items():
        docs.sort(key=lambda r: int(r["ccs_generation"]))
        assert [int(r["ccs_generation"]) for r in docs] == list(range(1, len(docs) + 1)), iso3
        assert len(docs) <= 4
        for before, after in zip(docs, docs[1:]):
            assert int(before["period_end_year"]) < int(after["period_start_year"]), iso3


def test_ccs_endorsement_consistent_with_status(ccs):
    for row in ccs:
        drafted = row["status"] == "draft"
        assert (row["endorsed_date"] == "") == drafted and (row["endorsed_by"] == "") == drafted
        if drafted:
            assert row["used_as_planning_basis"] == "false"
        if row["status"] == "expired":
            assert int(row["period_end_year"]) < sample_data.AS_OF_YEAR
    assert {r["doc_type"] for r in ccs} == {"CCS", "multi-country CCS", "analogue", "BCA"}
    assert {r["region_code"] for r in ccs if r["doc_type"] == "BCA"} == {"EURO"}


def test_partnership_roles(roles):
    keys = [(r["country_iso3"], r["biennium"]) for r in roles]
    assert len(keys) == len(set(keys)) == 194 * 3 - 1  # South Sudan missing in 2008-2009
    pilots = {row["iso3"] for row in dao.extract(seedio.SOURCES_DIR)}
    for row in roles:
        if row["country_iso3"] in pilots:
            assert (row["has_country_office"], row["in_un_reform_context"]) == ("true", "true")
        if row["has_country_office"] == "false":
            assert row["in_un_reform_context"] == "false"
    offices = {r["country_iso3"] for r in roles if r["has_country_office"] == "true"}
    assert 140 <= len(offices) <= 160


def test_moss_amounts_and_compliance(moss):
    assert 300 <= len(moss) <= 2000
    for row in moss:
        required, funded = float(row["required_cost_usd"]), float(row["funded_usd"])
        assert 0 <= funded <= required and required > 0
        expected = ("compliant" if funded == required else
                    "non-compliant" if funded == 0 else "partially compliant")
        assert row["compliance_status"] == expected
        assert (row["funding_source"] == "unfunded") == (funded == 0)
        assert row["office_code"] == f"WCO-{row['country_iso3']}"
    by_biennium = defaultdict(set)
    for row in moss:
        by_biennium[row["biennium"]].add(row["office_code"])
    assert len(by_biennium["2008-2009"]) > len(by_biennium["2006-2007"])
    assert len(by_biennium["2008-2009"]) > len(by_biennium["2010-2011"])
    assert {r["category"] for r in moss} == {c[0] for c in sample_data.MOSS_CATEGORIES}


def test_moss_offices_have_a_country_office(moss, roles):
    offices = {r["country_iso3"] for r in roles if r["has_country_office"] == "true"}
    assert {r["country_iso3"] for r in moss} <= offices


def test_committed_csvs_equal_a_fresh_run():
    assert seedio.stale_outputs(sample_data.main) == []


def test_two_runs_give_identical_bytes(tmp_path):
    sample_data.main(seeds_dir=tmp_path)
    assert seedio.stale_outputs(sample_data.main, seeds_dir=tmp_path) == []
