"""The questions a reform analyst asks (issue 14), answered by the new marts and checked against
the documents. Line numbers cite sources/002_9d0e41a0e7538786.txt (EB152/34) unless said otherwise.
"""
from __future__ import annotations

import pytest

from tests.conftest import cli, copy_reform_project

EB152 = "EB152/34"
UNOSSC = "UNOSSC-SF-2018-21-MTR"


def one(db, sql: str, *params):
    return db.execute(sql, list(params)).fetchone()


def rows(db, sql: str, *params) -> list[tuple]:
    return db.execute(sql, list(params)).fetchall()


# ---------------------------------------------------------------- exposure (mart_budget_exposure)

def test_pseah_15_million_per_year_is_in_the_exposure_mart_not_counted_as_an_action(reform_db):
    # line 143: unnumbered PSEAH sub-heading, 已编入预算, "15 000 000 (每年)"
    got = one(reform_db, "select actions, subheading_lines, subheading_lines_with_amount, per_year_low_usd, "
                         "per_year_high_usd from mart_budget_exposure where category_zh = '问责职能和制度' "
                         "and budget_status = 'budgeted'")
    assert got == (9, 1, 1, 15_000_000, 15_000_000)
    # about ten times all amounts printed without a basis together (1 448 000 low, 1 508 000 high)
    low, high = one(reform_db, "select sum(basis_not_stated_low_usd), sum(basis_not_stated_high_usd) from mart_budget_exposure")
    assert (low, high) == (1_448_000, 1_508_000)
    assert 9 < 15_000_000 / high < 11


def test_recurring_amounts_per_year_side_by_side(reform_db):
    # line 225 (#36): 每年 500 000; line 143: 15 000 000 (每年)
    per_year = rows(reform_db, "select category_en, per_year_low_usd from mart_budget_exposure where per_year_low_usd > 0 "
                               "order by category_en")
    assert per_year == [("Accountability functions and systems", 15_000_000), ("Human resources", 500_000)]


def test_per_biennium_and_per_visit_amounts_kept_apart(reform_db):
    # #41 146 000 with "提供双年度费用" (line 238); #17 "30 000 (每次国家访问)" (line 180)
    got = rows(reform_db, "select category_en, budget_status, per_biennium_usd, per_visit_usd from mart_budget_exposure "
                          "where per_biennium_usd > 0 or per_visit_usd > 0 order by 1")
    assert got == [("Country-level impact", "not_budgeted", 0, 30_000),
                   ("Programme budget / planning", "budgeted", 146_000, 0)]


def test_12_of_15_not_yet_budgeted_actions_have_no_amount(reform_db):
    got = one(reform_db, "select sum(actions), sum(actions_with_amount), sum(actions_without_amount) "
                         "from mart_budget_exposure where budget_status = 'not_budgeted'")
    assert got == (15, 3, 12)


def test_exposure_reconciles_with_mart_budget_totals(reform_db):
    exposure = one(reform_db, "select sum(actions), sum(actions_with_amount), sum(basis_not_stated_low_usd), "
                              "sum(basis_not_stated_high_usd) from mart_budget_exposure")
    totals = one(reform_db, "select sum(actions), sum(actions_with_figure), "
                            "sum(cost_low_usd) filter (where cost_basis = 'one_off'), "
                            "sum(cost_high_usd) filter (where cost_basis = 'one_off') from mart_budget_totals")
    assert exposure == totals == (60, 27, 1_448_000, 1_508_000)


def test_amount_without_a_stated_basis_is_labelled_so(reform_db):
    # line 150 (#2): "200 000 (两项评价工作)": no 每年 / 每次 / 双年度
    assert one(reform_db, "select amount_basis from intermediate.int_budget_lines__parsed where action_key = 'EB152-A1-002'") == \
        ("basis_not_stated",)
    assert dict(rows(reform_db, "select amount_basis, count(*) from intermediate.int_budget_lines__parsed group by 1")) == {
        "basis_not_stated": 24, "per_year": 1, "per_biennium": 1, "per_visit": 1, "no_figure": 33}


# ---------------------------------------------------------------- deadlines

@pytest.mark.parametrize("action, timeline_line, cells, due_year, first_year, precision", [
    ("EB152-A1-014", 170, ("X", "X", ""), 2024, 2023, "year"),             # CCS Guide update
    ("EB152-A1-015", 174, ("-", "-", "X"), 2025, 2025, "year_or_later"),   # CCS-BMS link
    ("EB152-A1-036", 225, ("X", "-", "X"), 2025, 2023, "year_or_later"),   # WR recruitment
    ("EB152-A1-019", 187, ("X", "-", "-"), 2023, 2023, "year"),
    ("EB152-A1-038", 227, ("-", "-", "-"), None, None, None),
])
def test_due_years_from_the_timeline_columns(reform_db, action, timeline_line, cells, due_year, first_year, precision):
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "sources" / "002_9d0e41a0e7538786.txt"
    printed = doc.read_text(encoding="utf-8").split("\n")[timeline_line - 1].split("\t")
    assert printed[0] == str(int(action[-3:]))
    assert tuple(c.strip() for c in printed[6:9]) == cells      # the 2023 / 2024 / 2025 年及以后 columns
    got = one(reform_db, "select due_year, first_due_year, due_precision from fct_reform_actions where action_key = ?", action)
    assert got == (due_year, first_year, precision)


def test_eb152_due_years_counted(reform_db):
    got = dict(rows(reform_db, "select coalesce(due_year, 0), count(*) from fct_reform_actions "
                               "where plan_code = ? and annex = 1 group by 1", EB152))
    assert got == {2023: 23, 2024: 17, 2025: 15, 0: 5}
    assert one(reform_db, "select count(*) from fct_reform_actions where plan_code = ? and annex = 2 "
                          "and due_year is not null", EB152) == (0,)


def test_milestones_attached_to_deadlines(reform_db):
    got = one(reform_db, "select milestones, planned_milestones, milestone_summary from mart_action_deadlines "
                         "where action_key = 'EB152-A1-036'")
    assert got[:2] == (4, 3)
    assert "2023-05 by: Selection of a new vendor for the assessment centre/process: May 2023" in got[2]
    # line 174: "应在 2023 年最后一个季度完成国家合作战略与业务管理系统挂钩工作"
    assert one(reform_db, "select date_start, date_end, milestone_kind from fct_reform_milestones "
                          "where action_key = 'EB152-A1-015'") == (
        __import__("datetime").date(2023, 10, 1), __import__("datetime").date(2023, 12, 31), "planned")


def test_deadline_status_as_of_each_plans_reporting_date(reform_db):
    got = dict(rows(reform_db, "select plan_code || ' ' || deadline_status, count(*) from mart_action_deadlines group by 1"))
    assert got == {"EB152/34 done": 38, "EB152/34 due_soon": 23, "EB152/34 not_yet_due": 32, "EB152/34 no_due_date": 5,
                   f"{UNOSSC} done": 22, f"{UNOSSC} due_soon": 2, f"{UNOSSC} not_yet_due": 4,
                   "CSU-2008 due_soon": 1, "CSU-2008 not_yet_due": 1, "CSU-2008 no_due_date": 12}
    dates = dict(rows(reform_db, "select distinct plan_code, cast(as_of_date as varchar) from mart_action_deadlines"))
    assert dates == {EB152: "2022-12-31", UNOSSC: "2022-11-04", "CSU-2008": "2008-05-13"}


def test_unossc_due_month_is_kept_at_month_precision(reform_db):
    # UNOSSC R2.3: DueDate 2022/12, Initiated (sources/001_9affc7f0a352c595.txt)
    got = one(reform_db, "select due_date, due_by_date, due_precision from fct_reform_actions "
                         "where action_key = 'UNOSSC-MTR-R2.3'")
    assert [str(v) for v in got] == ["2022-12-01", "2022-12-31", "month"]


@pytest.fixture(scope="module")
def mid_december(tmp_path_factory):
    """The reform project built with deadline_as_of = 2022-12-15 (inside R2.3's due month)."""
    import duckdb

    project = copy_reform_project(tmp_path_factory.mktemp("deadlines"))
    outcome = cli(project, "build", "--vars", '{"deadline_as_of": "2022-12-15"}')
    assert outcome.code == 0, outcome.text
    con = duckdb.connect(str(project / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


def test_a_month_precision_due_date_is_not_overdue_before_the_month_ends(mid_december):
    got = dict(rows(mid_december, "select action_key, deadline_status from mart_action_deadlines "
                                  "where action_key in ('UNOSSC-MTR-R2.3', 'UNOSSC-MTR-R4.5')"))
    assert got == {"UNOSSC-MTR-R2.3": "due_soon", "UNOSSC-MTR-R4.5": "due_soon"}
    # first-of-month arithmetic would have called them overdue since 1 December
    assert one(mid_december, "select count(*) from mart_action_deadlines "
                             "where due_period_start < as_of_date and not is_completed and plan_code = ?", UNOSSC) == (2,)
    assert one(mid_december, "select count(*) from mart_action_deadlines where deadline_status = 'overdue'") == (0,)
    # CSU 2008's June and October 2008 points are long past due, but the report prints no status
    assert one(mid_december, "select count(*) from mart_action_deadlines where deadline_status = "
                             "'past_due_status_unknown'") == (2,)
    assert one(mid_december, "select distinct cast(as_of_date as varchar) from mart_action_deadlines") == ("2022-12-15",)


# ---------------------------------------------------------------- statuses, overlaps, pending work

def test_plan_made_and_planning_kept_distinct(reform_db):
    got = dict(rows(reform_db, "select status_raw || ' ' || status_detail, count(*) from fct_reform_actions "
                               "where plan_code = ? and status = 'planned' group by 1", EB152))
    assert got == {"已做计划 plan_made": 3, "正做计划 planning": 25}


def test_actions_in_both_annexes_are_flagged_not_counted_twice(reform_db):
    # line 226 (A1-037) repeats the words of line 335 (A2-024); A1-059 ~ A2-038 (lines 276, 362)
    got = rows(reform_db, "select action_key, overlaps_action_key, counts_in_distinct_total from fct_reform_actions "
                          "where overlaps_action_key is not null order by 1")
    assert got == [("EB152-A1-037", "EB152-A2-024", False), ("EB152-A1-059", "EB152-A2-038", False),
                   ("EB152-A2-024", "EB152-A1-037", True), ("EB152-A2-038", "EB152-A1-059", True)]
    assert one(reform_db, "select count(*), count(*) filter (where counts_in_distinct_total) from fct_reform_actions "
                          "where plan_code = ?", EB152) == (98, 96)


def test_annex_2_rows_with_pending_work(reform_db):
    assert one(reform_db, "select count(*) from fct_reform_actions where has_pending_work") == (12,)
    assert one(reform_db, "select pending_kind from fct_reform_actions where action_key = 'EB152-A2-003'") == ("in_development",)
    assert one(reform_db, "select count(*) from fct_reform_actions where has_pending_work and annex <> 2") == (0,)


# ---------------------------------------------------------------- topics, metrics, references, evaluation

def test_country_office_and_ccs_actions(reform_db):
    got = {r[0]: r[1:] for r in rows(reform_db, "select item_key, matched_on, amount_basis, cost_low_usd, cost_high_usd "
                                                "from mart_reform_topics where topic = 'country_offices_ccs'")}
    assert got["EB152-A1-014"] == ("category: 在国家级的影响", "basis_not_stated", 100_000, 150_000)  # line 172
    assert got["EB152-A1-015"][0] == "category: 在国家级的影响"                                      # CCS-BMS link
    assert got["EB152-A1-017"][1:] == ("per_visit", 30_000, 30_000)                                # line 180
    assert got["EB152-A1-036"] == ("text: 世卫组织国家代表", "per_year", 500_000, 500_000)          # line 225
    pseah = rows(reform_db, "select item_key, item_kind, matched_on, cost_low_usd from mart_reform_topics "
                            "where topic = 'pseah' and cost_low_usd is not null order by item_key")
    # #36's comment (line 225) names PSEAH in the WR leadership programme it describes
    assert pseah == [("EB152-A1-036", "action", "text: 性剥削", 500_000),
                     ("EB152-A1-G02-BUDGET", "subheading_budget_line",
                      "functional area: 预防和应对性剥削、性虐待和性骚扰", 15_000_000)]
    assert one(reform_db, "select count(*) from mart_reform_topics where topic = 'pseah'") == (16,)
    assert one(reform_db, "select count(*) from mart_reform_topics where topic = 'governance'") == (11,)


def test_metrics_and_references_reach_the_marts(reform_db):
    assert one(reform_db, "select value, unit from fct_reform_metrics where metric = 'ati_score_2022'") == (69.3, "score")
    assert one(reform_db, "select value from fct_reform_metrics where metric = 'working_capital_fund'") == (31_000_000,)
    assert one(reform_db, "select occurrences_of_symbol from fct_document_references where symbol = 'EB152/33' limit 1") == (2,)


def test_unossc_evaluation_record(reform_db):
    # sources/001_9affc7f0a352c595.txt lines 14, 15, 18, 19, 20
    got = one(reform_db, "select budget_usd, expenditure_usd, source_of_funding, completion_month, planned_end_month, "
                         "months_late, evaluation_type from dim_plan_evaluation where plan_code = ?", UNOSSC)
    assert got == (30_000, 28_000, "Regular resources", "2020-09", "2020-07", 2, "Outcome")


def test_dao_timeline_and_ceb_decisions(reform_db):
    assert one(reform_db, "select year_start, pilot_countries from fct_dao_timeline where event_code = 'pilots_volunteered'") == (2007, 8)
    assert one(reform_db, "select count(*), count(distinct paragraph_no) from fct_ceb_decisions") == (16, 12)


# ---------------------------------------------------------------- CSU 2008 as a third plan

def test_csu2008_points_are_a_third_plan_with_actor_due_month_topic_and_objective(reform_db):
    # sources/000_da8f61cb9f2b2ae8.txt: point 3 (line 57) "beginning in June 2008", point 13 (line 86)
    # "submitted to the Eighth CSU Network meeting in October 2008", point 14 (line 90) SO13
    assert one(reform_db, "select count(*), count(distinct action_key) from fct_reform_actions "
                          "where plan_code = 'CSU-2008'") == (14, 14)
    due = rows(reform_db, "select action_ref, cast(due_by_date as varchar), due_precision, responsible_unit "
                          "from fct_reform_actions where plan_code = 'CSU-2008' and due_date is not null order by 1")
    assert due == [("13", "2008-10-31", "month", None),
                   ("3", "2008-06-30", "month", "DGR; regional Country Support Units")]
    got = one(reform_db, "select topic, strategic_objective, responsible_unit, status from fct_reform_actions "
                         "where action_key = 'CSU2008-P14'")
    assert got == ("moss", "SO13", "Regional CSUs with the GMG unit", "unknown")
    assert dict(rows(reform_db, "select topic, count(*) from fct_reform_actions where plan_code = 'CSU-2008' "
                                "group by 1")) == {"country_focus_policy": 2, "hwco_follow_up": 2, "ccs": 4,
                                                   "un_reform": 3, "country_cooperation_review": 1,
                                                   "csu_network_portal": 1, "moss": 1}


def test_a_plan_without_statuses_has_no_completion_rate(reform_db):
    assert one(reform_db, "select count(*) from mart_completion_rates where plan_code = 'CSU-2008'") == (0,)
    assert one(reform_db, "select actions, completed from dim_plan where plan_code = 'CSU-2008'") == (14, 0)


# ---------------------------------------------------------------- sample data cannot pass for fact

def test_sample_marts_are_named_sample_and_flagged_in_the_export_manifest(reform_built, reform_db):
    import json

    manifest = json.loads((reform_built / "exports" / "manifest.json").read_text())
    flagged = {e["model"]: e["file"] for e in manifest["exports"] if e["meta"].get("is_sample")}
    assert flagged == {"sample_mart_so12_indicators": "sample_mart_so12_indicators.parquet",
                       "sample_mart_moss_funding_gaps": "sample_mart_moss_funding_gaps.parquet"}
    assert [e["model"] for e in manifest["exports"] if e["model"].startswith("sample_") != bool(e["meta"])] == []
    for file in flagged.values():
        assert (reform_built / "exports" / file).is_file()
    tables = {r[0] for r in rows(reform_db, "select table_name from information_schema.tables where table_schema = 'main'")}
    assert {"sample_mart_so12_indicators", "sample_mart_moss_funding_gaps"} <= tables
    assert not {"mart_so12_indicators", "mart_moss_funding_gaps"} & tables
    comments = dict(rows(reform_db, "select table_name, comment from duckdb_tables() where comment is not null"))
    assert set(comments) == set(flagged)            # real marts carry no sample comment
    assert all(c.startswith("SAMPLE DATA - generated, not fact") for c in comments.values())


def test_unverified_definitions_are_out_of_the_reference_folder():
    from pathlib import Path

    seeds = Path(__file__).resolve().parents[2] / "seeds"
    assert not (seeds / "reference" / "so12_indicator_definitions.csv").exists()
    assert (seeds / "unverified" / "so12_indicator_definitions.csv").is_file()


def test_every_action_has_english_text_labelled_by_origin(reform_db):
    got = dict(rows(reform_db, "select plan_code || ' ' || action_text_en_status, count(*) from fct_reform_actions "
                               "where action_text_en is not null group by 1"))
    assert got == {f"{EB152} unofficial translation": 98, f"{UNOSSC} original": 28, "CSU-2008 original": 14}
    assert one(reform_db, "select action_text_en from fct_reform_actions where action_key = 'EB152-A1-009'") == \
        ("Develop a risk appetite framework",)   # line 156: 制定风险偏好框架
