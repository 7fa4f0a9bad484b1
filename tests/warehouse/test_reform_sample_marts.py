"""Marts computed from SAMPLE data: flagged as such, within range, and recomputed independently."""
from __future__ import annotations

from collections import Counter

import pytest

SAMPLE_MARTS = ("sample_mart_so12_indicators", "sample_mart_moss_funding_gaps")
BIENNIA = {"2008-2009": (2008, 2009), "2010-2011": (2010, 2011), "2012-2013": (2012, 2013)}


@pytest.mark.parametrize("mart", SAMPLE_MARTS)
def test_every_row_of_a_sample_mart_is_flagged(reform_db, mart):
    total, flagged = reform_db.execute(f"select count(*), count(*) filter (where is_sample) from {mart}").fetchone()
    assert total > 0
    assert flagged == total


def test_share_funded_is_within_0_and_1_and_null_only_without_cost(reform_db):
    got = reform_db.execute(
        "select count(*) filter (where share_funded < 0 or share_funded > 1), "
        "count(*) filter (where share_funded is null and required_cost_usd <> 0), "
        "count(*) filter (where share_funded is not null and required_cost_usd = 0), "
        "count(*) filter (where gap_usd <> required_cost_usd - funded_usd) from sample_mart_moss_funding_gaps").fetchone()
    assert got == (0, 0, 0, 0)


def test_moss_totals_match_the_cost_items(reform_db):
    mart = reform_db.execute("select biennium, sum(items), sum(required_cost_usd), sum(funded_usd) "
                             "from sample_mart_moss_funding_gaps group by 1 order by 1").fetchall()
    raw = reform_db.execute("select biennium, count(*), sum(required_cost_usd), sum(funded_usd) "
                            "from raw.sample_moss_cost_items group by 1 order by 1").fetchall()
    assert mart == raw
    assert [r[0] for r in mart] == ["2006-2007", "2008-2009", "2010-2011"]


def test_so12_grid_is_two_indicators_six_regions_three_biennia(reform_db):
    got = reform_db.execute("select count(*), count(distinct indicator_code), count(distinct region_code), "
                            "count(distinct biennium) from sample_mart_so12_indicators").fetchone()
    assert got == (36, 2, 6, 3)
    units = dict(reform_db.execute("select distinct indicator_code, unit from sample_mart_so12_indicators").fetchall())
    assert units == {"12.2.1": "count", "12.2.2": "percent"}


def test_so12_member_states_follow_south_sudan_joining_in_2011(reform_db):
    got = dict(reform_db.execute("select biennium, sum(member_states) from sample_mart_so12_indicators "
                                 "where indicator_code = '12.2.1' group by 1").fetchall())
    assert got == {"2008-2009": 193, "2010-2011": 194, "2012-2013": 194}


def test_so12_values_follow_the_units(reform_db):
    for code, num, den, value in reform_db.execute(
            "select indicator_code, numerator, denominator, value from sample_mart_so12_indicators").fetchall():
        expected = num if code == "12.2.1" else 100 * num / den
        assert value == pytest.approx(expected)
        assert 0 <= num <= den


def test_so12_definition_text_comes_from_the_definitions_seed(reform_db):
    for code, numerator_definition in reform_db.execute(
            "select indicator_code, numerator_definition from raw.so12_indicator_definitions").fetchall():
        used = {r[0] for r in reform_db.execute(
            "select distinct definition_used from sample_mart_so12_indicators where indicator_code = ?", [code]).fetchall()}
        assert len(used) == 1
        assert numerator_definition in used.pop()


def _recompute(db) -> dict[tuple[str, str, str], tuple[int, int]]:
    """Both indicators from the raw seeds, in Python, without the warehouse's models."""
    region = dict(db.execute("select iso3, region_code from raw.ref_member_states").fetchall())
    roles = db.execute("select country_iso3, biennium, who_role, has_country_office "
                       "from raw.sample_country_partnership_roles").fetchall()
    docs = db.execute("select country_iso3, period_start_year, period_end_year, doc_type, endorsed_date, "
                      "used_as_planning_basis from raw.sample_ccs_documents").fetchall()
    numerators: Counter = Counter()
    offices: Counter = Counter()
    for iso3, biennium, role, office in roles:
        start, end = BIENNIA[biennium]
        key = (region[iso3], biennium)
        offices[key] += bool(office)
        ccs = any(d[0] == iso3 and d[1] <= end and d[2] >= start and d[3] != "BCA"
                  and d[4] is not None and d[4].year <= end and d[5] for d in docs)
        numerators[("12.2.1", *key)] += ccs
        numerators[("12.2.2", *key)] += bool(office) and role in ("leading", "active")
    return {k: (n, offices[k[1:]]) for k, n in numerators.items()}


def test_so12_indicators_recomputed_from_the_seeds(reform_db):
    expected = _recompute(reform_db)
    got = {(c, r, b): (n, d) for c, r, b, n, d in reform_db.execute(
        "select indicator_code, region_code, biennium, numerator, denominator from sample_mart_so12_indicators").fetchall()}
    assert got == expected


def test_dim_country_sample_flag_matches_the_ccs_registry(reform_db):
    got = reform_db.execute("select count(*) from dim_country where has_sample_ccs").fetchone()[0]
    raw = reform_db.execute("select count(distinct country_iso3) from raw.sample_ccs_documents").fetchone()[0]
    assert got == raw
