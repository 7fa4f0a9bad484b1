"""Transpiling compiled models to Spark and Postgres, with a report of what may not hold."""
from __future__ import annotations

import pytest
import sqlglot

from _project import MODELS, model
from warehouse.core.errors import StaticCheckError
from warehouse.sql.transpile import transpile_models


@pytest.mark.parametrize("dialect", ["spark", "postgres"])
def test_project_models_transpile_cleanly(dialect):
    results = transpile_models(MODELS, dialect)
    assert [r.model for r in results] == [m.name for m in MODELS]
    for result in results:
        assert result.ok and result.problems == [], (result.model, result.problems)
        sqlglot.parse_one(result.sql, dialect=dialect)  # reads back in the target dialect
    by_name = {r.model: r for r in results}
    quote = "`" if dialect == "spark" else '"'
    assert f"{quote}intermediate{quote}.{quote}int_actions_costed{quote}" in by_name["fct_category_costs"].sql


def test_spark_report_names_what_does_not_carry_over():
    tricky = model(
        "fct_tricky",
        """\
select
    category,
    list(action_id order by action_no)[1] as first_action,
    my_udf(category) as tagged,
    row_number() over (partition by category order by action_no) as rn
from {{ ref('stg_eb152__actions') }}
group by all
qualify rn = 1
""",
    )
    [result] = transpile_models([tricky], "spark")
    assert result.ok and "COLLECT_LIST" in result.sql
    report = "\n".join(result.warnings)
    assert "ORDER BY inside an aggregate" in report
    assert "my_udf() is unknown to sqlglot" in report
    assert "QUALIFY was rewritten" in report


def test_postgres_report_for_duckdb_only_syntax():
    duck = model(
        "int_duck",
        "select * exclude (tags), list_transform(tags, t -> upper(t)) as up, annex::hugeint as big\n"
        "from {{ source('raw', 'eb152_actions') }}",
    )
    [result] = transpile_models([duck], "postgres")
    report = "\n".join(result.warnings)
    assert "EXCLUDE/REPLACE/RENAME" in report
    assert "lambda functions" in report
    assert "INT128" in report


def test_sqlglot_unsupported_messages_are_reported_and_bad_models_do_not_raise():
    pivot = model("int_pivot", "pivot {{ ref('stg_eb152__actions') }} on annex using count(*)")
    broken = model("int_broken", "select\n  case when 1 then 2 as x\nfrom t")
    results = transpile_models([pivot, broken, *MODELS], "postgres")
    assert results[0].error is not None and "PIVOT unsupported" in results[0].error
    assert results[1].sql is None and "line 2" in results[1].error and "Expected END" in results[1].error
    assert all(r.ok for r in results[2:])
    assert results[1].problems == [results[1].error]


def test_unknown_dialect_is_one_clear_error():
    with pytest.raises(StaticCheckError) as raised:
        transpile_models(MODELS, "sparkk")
    assert "sparkk" in raised.value.message
