"""mart_budget_totals against EB152/34 Annex 1 totals worked out by hand from the document.

One-off amounts of Annex 1 (US$), by printed budget status:
  已编入预算 (budgeted), 18 actions: #2 200 000, #19 32 000, #20 16 000, #21 32 000, #22 50 000,
    #26 50 000-60 000, #42 50 000, #43 48 000, #45 10 000, #46 270 000, #47 50 000, #49 32 000,
    #50 21 000, #51 50 000, #52 50 000, #53 6 000, #55 20 000, #56 20 000
    -> low 1 007 000, high 1 017 000 (only #26 is a range).
  部分编入预算: #14 100 000-150 000, #16 40 000+ -> low 140 000, high 190 000 (#16 counts 40 000).
  尚未编列预算: #27 100 000, #54 81 000 -> 181 000.   '-': #23 100 000.   empty: #44 20 000.
  All Annex 1 one-off: low 1 448 000; high 1 508 000 with a missing high counted as the low
  (a plain SUM over the printed highs would give 1 468 000, dropping #16).
Other bases are kept apart: #36 每年 500 000 (per year), #41 146 000 (per biennium), #17
30 000 每次国家访问 (per visit).
"""
from __future__ import annotations

import pytest


def totals(db, where: str = "true") -> tuple:
    return db.execute(f"select sum(actions), sum(actions_with_figure), sum(cost_low_usd), sum(cost_high_usd) "
                      f"from mart_budget_totals where {where}").fetchone()


def test_budgeted_one_off_totals(reform_db):
    assert totals(reform_db, "budget_status = 'budgeted' and cost_basis = 'one_off'") == (18, 18, 1_007_000, 1_017_000)
    assert reform_db.execute("select distinct budget_status_raw from mart_budget_totals "
                             "where budget_status = 'budgeted'").fetchall() == [("已编入预算",)]


def test_all_annex_1_one_off_totals_with_missing_high_counted_as_low(reform_db):
    assert totals(reform_db, "cost_basis = 'one_off'") == (24, 24, 1_448_000, 1_508_000)


def test_missing_high_rule_differs_from_a_plain_sum_of_printed_highs(reform_db):
    plain = reform_db.execute("select sum(b.cost_high_usd) from raw.eb152_budget_lines as b "
                              "where b.cost_basis = 'one_off'").fetchone()[0]
    assert plain == 1_468_000
    open_ended = reform_db.execute("select budget_status, cost_low_usd, cost_high_usd, actions_open_ended "
                                   "from mart_budget_totals where actions_open_ended > 0").fetchall()
    assert open_ended == [("partially_budgeted", 140_000, 190_000, 1)]


@pytest.mark.parametrize("status, low, high", [
    ("partially_budgeted", 140_000, 190_000),
    ("not_budgeted", 181_000, 181_000),
    ("not_applicable", 100_000, 100_000),
    ("unspecified", 20_000, 20_000),
])
def test_one_off_totals_per_budget_status(reform_db, status, low, high):
    assert totals(reform_db, f"budget_status = '{status}' and cost_basis = 'one_off'")[2:] == (low, high)


def test_other_cost_bases_are_never_added_to_one_off(reform_db):
    got = reform_db.execute("select budget_status, cost_basis, actions, cost_low_usd, cost_high_usd "
                            "from mart_budget_totals where cost_basis in ('per_year', 'per_biennium', 'per_visit') "
                            "order by cost_basis").fetchall()
    assert got == [("budgeted", "per_biennium", 1, 146_000, 146_000),
                   ("not_budgeted", "per_visit", 1, 30_000, 30_000),
                   ("budgeted", "per_year", 1, 500_000, 500_000)]
    keys = reform_db.execute("select count(*), count(distinct (plan_code, budget_status, cost_basis)) "
                             "from mart_budget_totals").fetchone()
    assert keys[0] == keys[1]


def test_every_annex_1_action_is_counted_once(reform_db):
    assert totals(reform_db)[:2] == (60, 27)
    counts = dict(reform_db.execute("select budget_status, sum(actions) from mart_budget_totals group by 1").fetchall())
    assert counts == {"budgeted": 33, "not_budgeted": 15, "partially_budgeted": 3,
                      "to_be_completed": 3, "not_applicable": 4, "unspecified": 2}


def test_no_figure_rows_carry_no_amount(reform_db):
    got = reform_db.execute("select sum(actions), sum(actions_with_figure), count(cost_low_usd), count(cost_high_usd) "
                            "from mart_budget_totals where cost_basis = 'no_figure'").fetchone()
    assert got == (33, 0, 0, 0)


def test_low_never_exceeds_high(reform_db):
    assert reform_db.execute("select count(*) from mart_budget_totals where cost_low_usd > cost_high_usd "
                             "or cost_low_usd < 0").fetchone()[0] == 0
