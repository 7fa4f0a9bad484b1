"""Diagnostics: each kind, located in the raw Jinja file, with hints; no false alarms."""
from __future__ import annotations

import pytest

from _project import MODELS, RELATIONS, STG_ACTIONS, STG_BUDGET, model
from warehouse.core.errors import ErrorList
from warehouse.sql.static_check import analyze


def only(analysis, kind=None):
    found = [d for d in analysis.diagnostics if kind is None or d.kind == kind]
    assert len(found) == 1, [str(d) for d in analysis.diagnostics]
    return found[0]


def test_clean_project_has_no_diagnostics():
    analysis = analyze(MODELS, RELATIONS)
    assert analysis.diagnostics == []
    assert analysis.columns["fct_category_costs"] == ["category", "n_actions", "total_cost_usd", "n_done", "cost_rank"]
    assert analysis.columns["stg_eb152__actions"][3:5] == ["category", "functional_area"]


def test_unknown_column_is_reported_at_its_raw_line_despite_jinja_moving_lines():
    raw = """\
{{ config(materialized='table') }}
{% set statuses = ['open', 'done'] %}
select
    category,
{% for s in statuses %}
    sum(case when status = '{{ s }}' then 1 else 0 end) as n_{{ s }},
{% endfor %}
    max(cost_usd) as max_cost,
    sum(cost_usd) filter (where catgory is not null) as total
from {{ ref('int_actions_costed') }}
group by category
"""
    mart = model("fct_status_counts", raw)
    assert mart.compiled_sql.splitlines()[8] != raw.splitlines()[8]  # the loop really moved lines
    diagnostic = only(analyze([*MODELS, mart], RELATIONS))
    assert (diagnostic.kind, diagnostic.line, diagnostic.column) == ("unknown_column", 9, 33)
    assert diagnostic.severity == "error"
    assert diagnostic.hint == "did you mean 'category'?"
    assert "models/marts/fct_status_counts.sql:9:33" in str(diagnostic)
    assert "catgory" in str(diagnostic)


def test_unknown_column_on_line_7():
    raw = """\
-- budget per action
with budget as (
    select * from {{ ref('stg_eb152__budget_lines') }}
)
select
    action_id,
    cost_hihg_usd as cost_usd
from budget
"""
    diagnostic = only(analyze([STG_BUDGET, model("int_budget", raw)], RELATIONS))
    assert (diagnostic.kind, diagnostic.line, diagnostic.column) == ("unknown_column", 7, 5)
    assert diagnostic.hint == "did you mean 'cost_high_usd'?"
    assert "int_budget.sql:7:5" in str(diagnostic)


def test_qualified_unknown_column_names_its_table():
    raw = "select a.action_id, a.catgory\nfrom {{ ref('stg_eb152__actions') }} as a\n"
    diagnostic = only(analyze([STG_ACTIONS, model("int_x", raw)], RELATIONS))
    assert diagnostic.kind == "unknown_column"
    assert (diagnostic.line, diagnostic.column) == (1, 23)
    assert "'catgory' is not in 'a'" in diagnostic.message
    assert diagnostic.hint == "did you mean 'category'?"


def test_unknown_table_with_nearest_name():
    raw = "select action_id\nfrom raw.eb152_action\n"
    diagnostic = only(analyze([model("stg_handwritten", raw)], RELATIONS))
    assert (diagnostic.kind, diagnostic.line, diagnostic.column) == ("unknown_table", 2, 10)
    assert diagnostic.hint == "did you mean 'raw.eb152_actions'?"


def test_unknown_table_alias_in_qualified_column():
    raw = "select x.action_id\nfrom {{ ref('stg_eb152__actions') }} as a\n"
    diagnostic = only(analyze([STG_ACTIONS, model("int_x", raw)], RELATIONS))
    assert diagnostic.kind == "unknown_table"
    assert "'x'" in diagnostic.message and diagnostic.line == 1


def test_ambiguous_column_in_join():
    raw = """\
with unused as (select action_id from {{ ref('stg_eb152__actions') }})
select
    action_id,
    category,
    cost_low_usd
from {{ ref('stg_eb152__actions') }} as actions
join {{ ref('stg_eb152__budget_lines') }} as budget
    on actions.action_id = budget.action_id
"""
    diagnostic = only(analyze([STG_ACTIONS, STG_BUDGET, model("int_joined", raw)], RELATIONS))
    assert (diagnostic.kind, diagnostic.line, diagnostic.column) == ("ambiguous_column", 3, 5)
    assert diagnostic.message == "column 'action_id' is ambiguous: it is in 'actions', 'budget'"
    assert diagnostic.hint == "qualify it, e.g. actions.action_id"


def test_select_star_in_mart_is_reported_and_allowed_elsewhere():
    mart = model("fct_everything", "{{ config(materialized='table') }}\nselect *\nfrom {{ ref('int_actions_costed') }}\n")
    analysis = analyze([*MODELS, mart], RELATIONS)
    diagnostic = only(analysis)
    assert (diagnostic.kind, diagnostic.model, diagnostic.line, diagnostic.column) == ("select_star_in_mart", "fct_everything", 2, 8)
    # staging and intermediate models select * freely (STG, INT_COSTED's CTE), and so may a mart's CTEs
    staged = model("stg_star", "select * from {{ source('raw', 'eb152_actions') }}")
    cte_mart = model("fct_cte", "with c as (select * from {{ ref('int_actions_costed') }})\nselect action_id from c")
    assert analyze([*MODELS, staged, cte_mart], RELATIONS).diagnostics == []
    assert analysis.columns["fct_everything"] == ["action_id", "category", "status", "cost_usd"]


def test_documented_but_missing_column_is_a_warning():
    stg = model(
        "stg_eb152__actions",
        STG_ACTIONS.raw_sql,
        docs=("action_id", "category", "functional_areas", "budget"),
    )
    analysis = analyze([stg], RELATIONS)
    found = {d.message.split("'")[1]: d for d in analysis.diagnostics}
    assert set(found) == {"functional_areas", "budget"}
    assert all(d.kind == "undocumented_missing" and d.severity == "warn" for d in found.values())
    assert found["functional_areas"].hint == "did you mean 'functional_area'?"
    assert "stg_eb152__actions.sql" in str(found["budget"])
    analysis.raise_for_errors()  # warnings never raise


def test_parse_error_is_reported_and_downstream_is_not_flooded():
    raw = """\
{{ config(materialized='view') }}
select
    action_id,
    case when annex = 1 then 'planned' else 'done' as state
from {{ ref('stg_eb152__actions') }}
"""
    broken = model("int_broken", raw)
    downstream = model(
        "fct_from_broken",
        "select action_id, whatever, b.anything\nfrom {{ ref('int_broken') }} as b\n",
    )
    further = model("fct_further", "select whatever as w from {{ ref('fct_from_broken') }}\nwhere anything > 0")
    analysis = analyze([STG_ACTIONS, broken, downstream, further], RELATIONS)
    diagnostic = only(analysis)
    assert (diagnostic.kind, diagnostic.model, diagnostic.line) == ("parse_error", "int_broken", 4)
    assert "int_broken.sql:4" in str(diagnostic)
    assert "Expected END after CASE" in diagnostic.message
    assert "int_broken" not in analysis.columns
    assert analysis.columns["fct_from_broken"] == ["action_id", "whatever", "anything"]
    assert analysis.lineage["fct_from_broken"]["anything"] == ["int_broken.anything"]


def test_errors_raise_together():
    bad = model("int_bad", "select nope, nada\nfrom {{ ref('stg_eb152__actions') }}")
    analysis = analyze([STG_ACTIONS, bad], RELATIONS)
    with pytest.raises(ErrorList) as raised:
        analysis.raise_for_errors()
    assert len(raised.value.errors) == 2
    assert "int_bad.sql:1:8" in str(raised.value)


def test_static_check_false_skips_diagnostics_but_keeps_columns():
    raw = "select action_id, nope\nfrom {{ ref('stg_eb152__actions') }}"
    quiet = model("int_quiet", raw, static_check=False)
    analysis = analyze([STG_ACTIONS, quiet], RELATIONS)
    assert analysis.diagnostics == []
    assert analysis.columns["int_quiet"] == ["action_id", "nope"]


def test_unanalysable_statement_is_a_warning_not_a_crash():
    pivot = model("int_pivot", "pivot {{ ref('stg_eb152__actions') }} on annex using count(*)")
    diagnostic = only(analyze([STG_ACTIONS, pivot], RELATIONS))
    assert (diagnostic.kind, diagnostic.severity) == ("analysis_skipped", "warn")


def test_self_reference_of_incremental_model_is_lenient():
    raw = """\
select action_id, category
from {{ ref('stg_eb152__actions') }}
where action_id not in (select action_id from "intermediate"."int_incremental")
"""
    assert analyze([STG_ACTIONS, model("int_incremental", raw)], RELATIONS).diagnostics == []


def test_original_case_of_output_columns_is_kept():
    raw = 'select action_id as "ActionId", Category from {{ ref(\'stg_eb152__actions\') }}'
    analysis = analyze([STG_ACTIONS, model("int_case", raw)], RELATIONS)
    assert analysis.columns["int_case"] == ["ActionId", "Category"]


VALID_DUCKDB = [
    "select action_id, list_transform(tags, t -> upper(t)) as tags, meta.page, tags[1] as first from {src} order by all",
    "select category_en as k, count(*) n from {src} group by all order by k",
    "select * exclude (tags) from {src}",
    "select * replace (annex + 1 as annex) from {src}",
    "select columns('cost_.*') from {budget}",
    "select action_id from {src} a where exists (select 1 from {budget} b where b.action_id = a.action_id and cost_low_usd > annex)",
    "select action_id from {src} where action_id in (select action_id from {budget} where has_figure)",
    "select u.tag from {src}, unnest(tags) as u(tag)",
    "select i from range(10) t(i)",
    "select unnest(tags) as tag, rowid from {src}",
    "select action_id, row_number() over (order by annex) rn from {src} qualify rn = 1",
    "from {src} select action_id",
    "select current_date as d, now() as ts from {src}",
    "select a.action_id, cost_low_usd from {src} a asof join {budget} b on a.action_id >= b.action_id",
    "select * from {src} natural join {budget}",
    "select count(*) filter (where annex > 1) c, date_trunc('month', now()) m, interval 1 day i from {src}",
    "select annex, annex * 2 as d, d + 1 as e from {src} where e > 2",
    "select meta.* from {src}",
    "select struct_pack(q := annex) st, {{'k': annex}} st2, [annex, 1] arr, 'x' || action_id c from {src}",
    "select action_id from {src} union all by name select action_id from {budget}",
    "select x from (values (1), (2)) v(x)",
    "with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) select n from r",
    "select annex, sum(annex) over w as s from {src} window w as (partition by category_en)",
    "select action_id, cost_low_usd from {src} join {budget} using (action_id) where cost_low_usd > 0",
    "select * from read_csv('x.csv') where anything > 1",
    "select case annex when 1 then 'a' end as c, coalesce(annex, 0) z, if(annex > 0, 1, 0) f from {src}",
    "select action_id, (select max(cost_high_usd) from {budget} b where b.action_id = a.action_id) as top from {src} a",
    "select distinct on (category_en) category_en, action_id from {src} order by category_en, action_no",
]


@pytest.mark.parametrize("sql", VALID_DUCKDB)
def test_no_false_alarms_on_duckdb_idioms(sql):
    compiled = sql.format(src='"raw"."eb152_actions"', budget='"raw"."eb152_budget_lines"')
    analysis = analyze([model("int_idiom", compiled)], RELATIONS)
    assert analysis.diagnostics == [], [str(d) for d in analysis.diagnostics]


def test_dbt_idioms_are_not_flagged():
    """dbt projects' `select * from final` (the CTE lists the columns) and ORDER BY over a UNION's
    output columns are fine; a star over a model in a mart and an unknown ORDER BY name are not."""
    final = model("fct_final", "with final as (\n    select action_id, category from {{ ref('int_actions_costed') }}\n)\n"
                               "select * from final\n")
    unioned = model("fct_unioned", "select action_id as id, category from {{ ref('int_actions_costed') }}\nunion all\n"
                                   "select action_id, category from {{ ref('int_actions_costed') }}\norder by category, id\n")
    analysis = analyze([*MODELS, final, unioned], RELATIONS)
    assert analysis.diagnostics == []
    assert analysis.columns["fct_final"] == ["action_id", "category"]
    wrong = model("fct_wrong", "select action_id from {{ ref('int_actions_costed') }}\nunion all\n"
                               "select action_id from {{ ref('int_actions_costed') }}\norder by nope\n")
    assert only(analyze([*MODELS, wrong], RELATIONS)).kind == "unknown_column"
