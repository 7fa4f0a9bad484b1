"""Reform-action marts against the figures printed in the source documents.

EB152/34 (Chinese edition), paragraph 7: 98 actions, 38 implemented (Annex 2), 60 ongoing or
planned (Annex 1). UNOSSC MTR management response: 7 recommendations, 28 key actions, 22
Completed and 6 Initiated. CSU Network 2008: 14 key action points.
"""
from __future__ import annotations

import pytest

EB152 = "EB152/34"
UNOSSC = "UNOSSC-SF-2018-21-MTR"


def rows(db, sql: str, *params) -> list[tuple]:
    return db.execute(sql, list(params)).fetchall()


def scalar(db, sql: str, *params):
    return db.execute(sql, list(params)).fetchone()[0]


def test_eb152_has_98_actions_60_in_annex_1_and_38_in_annex_2(reform_db):
    counts = dict(rows(reform_db, "select coalesce(annex, 0), count(*) from fct_reform_actions "
                                  "where plan_code = ? group by all", EB152))
    assert counts == {1: 60, 2: 38}


def test_annex_2_is_completed_and_annex_1_is_not(reform_db):
    got = rows(reform_db, "select annex, status, count(*) from fct_reform_actions where plan_code = ? "
                          "and (annex = 2 or is_completed) group by all", EB152)
    assert got == [(2, "completed", 38)]


def test_annex_1_statuses_as_printed_and_normalised(reform_db):
    printed = dict(rows(reform_db, "select coalesce(status_raw, '<empty>'), count(*) from fct_reform_actions "
                                   "where plan_code = ? and annex = 1 group by all", EB152))
    assert printed == {"正在进行": 30, "正做计划": 25, "已做计划": 3, "待完成": 1, "<empty>": 1}
    normalised = dict(rows(reform_db, "select status, count(*) from fct_reform_actions "
                                      "where plan_code = ? and annex = 1 group by all", EB152))
    assert normalised == {"in_progress": 30, "planned": 28, "unknown": 2}


def test_annex_1_budget_status_counts_as_printed(reform_db):
    printed = dict(rows(reform_db, "select coalesce(budget_status_raw, '<empty>'), count(*) from fct_reform_actions "
                                   "where plan_code = ? and annex = 1 group by all", EB152))
    assert printed == {"已编入预算": 33, "尚未编列预算": 15, "部分编入预算": 3, "待完成": 3, "-": 4, "<empty>": 2}
    normalised = dict(rows(reform_db, "select budget_status, count(*) from fct_reform_actions "
                                      "where plan_code = ? and annex = 1 group by all", EB152))
    assert normalised == {"budgeted": 33, "not_budgeted": 15, "partially_budgeted": 3,
                          "to_be_completed": 3, "not_applicable": 4, "unspecified": 2}


def test_budget_status_is_null_where_the_source_has_no_budget_column(reform_db):
    assert scalar(reform_db, "select count(*) from fct_reform_actions where (annex = 2 or plan_code = ?) "
                             "and (budget_status is not null or budget_status_raw is not null)", UNOSSC) == 0


def test_unossc_7_recommendations_28_key_actions_22_completed_6_initiated(reform_db):
    assert scalar(reform_db, "select count(distinct recommendation_no) from fct_reform_actions where plan_code = ?", UNOSSC) == 7
    printed = dict(rows(reform_db, "select status_raw, count(*) from fct_reform_actions where plan_code = ? group by all", UNOSSC))
    assert printed == {"Completed": 22, "Initiated": 6}
    normalised = dict(rows(reform_db, "select status, count(*) from fct_reform_actions where plan_code = ? group by all", UNOSSC))
    assert normalised == {"completed": 22, "in_progress": 6}


def test_unossc_rows_have_the_recommendation_as_category_and_a_due_month(reform_db):
    got = rows(reform_db, "select action_ref, annex, category_zh, category_en, due_date, responsible_unit "
                          "from fct_reform_actions where action_key = 'UNOSSC-MTR-R1.3'")
    assert len(got) == 1
    ref, annex, zh, en, due, unit = got[0]
    assert (ref, annex, zh, en) == ("R1.3", None, None, "Integrated planning")
    assert due.isoformat() == "2021-07-01"
    assert unit.startswith("Director and Deputy Directors")
    assert scalar(reform_db, "select count(*) from fct_reform_actions where plan_code = ? "
                             "and (due_date is null or day(due_date) <> 1)", UNOSSC) == 0


def test_eb152_action_is_keyed_and_referenced_as_printed(reform_db):
    got = rows(reform_db, "select plan_code, annex, action_no, action_ref, category_zh, category_en, status_raw, "
                          "status, budget_status_raw, budget_status, source_ref "
                          "from fct_reform_actions where action_key = 'EB152-A1-025'")
    assert got == [(EB152, 1, 25, "25", "资金", "Financing", "正在进行", "in_progress", "已编入预算", "budgeted",
                    "Annex 1, action 25")]


def test_action_keys_are_unique_over_both_plans(reform_db):
    # 126 = 98 EB152/34 + 28 UNOSSC; issue 14 adds the CSU 2008 report's 14 key action points
    # (sources/000_da8f61cb9f2b2ae8.txt lines 52-90) as a third plan: 140.
    assert scalar(reform_db, "select count(*) from fct_reform_actions") == 140
    assert scalar(reform_db, "select count(distinct action_key) from fct_reform_actions") == 140
    assert scalar(reform_db, "select count(*) from fct_reform_actions where plan_code in (?, ?)", EB152, UNOSSC) == 126


@pytest.mark.parametrize("plan, actions, completed", [(EB152, 98, 38), (UNOSSC, 28, 22)])
def test_plan_completion_rates(reform_db, plan, actions, completed):
    got = rows(reform_db, "select actions, completed, completion_rate from mart_completion_rates "
                          "where plan_code = ? and grain = 'plan'", plan)
    assert len(got) == 1
    assert got[0][:2] == (actions, completed)
    assert got[0][2] == pytest.approx(completed / actions)


def test_category_rates_add_up_and_stay_in_unit_interval(reform_db):
    got = rows(reform_db, "select plan_code, sum(actions), sum(completed), min(completion_rate), max(completion_rate), "
                          "count(*) from mart_completion_rates where grain = 'plan_category' group by all order by 1")
    assert [(p, a, c, n) for p, a, c, _, _, n in got] == [(EB152, 98, 38, 8), (UNOSSC, 28, 22, 7)]
    assert all(0 <= lo <= hi <= 1 for _, _, _, lo, hi, _ in got)


def test_completion_rates_are_ordered_plan_first_then_document_order(reform_db):
    got = rows(reform_db, "select plan_code, grain, category_en from mart_completion_rates")
    assert got[0] == (EB152, "plan", None)
    assert got[1] == (EB152, "plan_category", "Accountability functions and systems")
    assert got[8] == (EB152, "plan_category", "Other matters")
    assert got[9] == (UNOSSC, "plan", None)
    assert got[10] == (UNOSSC, "plan_category", "Integrated planning")


def test_dim_plan_counts_match_the_documents(reform_db):
    got = dict(rows(reform_db, "select plan_code, actions from dim_plan"))
    assert got == {EB152: 98, UNOSSC: 28, "CSU-2008": 14}   # CSU 2008 added by issue 14 (14 key action points)


def test_csu_2008_has_14_key_action_points(reform_db):
    assert scalar(reform_db, "select count(*) from staging.stg_csu2008__key_action_points") == 14
    assert scalar(reform_db, "select count(distinct point_no) from staging.stg_csu2008__key_action_points") == 14
