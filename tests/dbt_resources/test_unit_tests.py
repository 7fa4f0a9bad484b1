"""Unit tests (dbt 1.8 `unit_tests:`): given/expect as dict, csv (inline and fixture) and sql,
overrides of vars and macros (is_incremental), test_type:unit selection, run before the model in
build, failures as a row diff, and never a table in the warehouse databases."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.dbt_resources._support import dbt_project, rows, run

FAILING = """
  - name: test_status_mapping_wrong_expectation
    model: stg_orders
    given:
      - input: ref('raw_orders')
        rows:
          - {id: 1, status_code: C, amount_text: "1"}
          - {id: 2, status_code: P, amount_text: "2"}
    expect:
      rows:
        - {id: 1, status: completed}
        - {id: 2, status: complete}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return dbt_project("unit_tests_basic", tmp_path / "unit")


def results(project: Path) -> list[dict]:
    return json.loads((project / "target" / "run_results.json").read_text())["results"]


def add_unit_test(project: Path, text: str) -> None:
    path = project / "models" / "_unit_tests.yml"
    path.write_text(path.read_text() + text)


def test_build_runs_each_unit_test_before_its_model(project: Path, capsys) -> None:
    outcome = run(project, "build", capsys=capsys)
    assert outcome.code == 0, outcome.text
    done = results(project)
    units = {r["name"]: r["status"] for r in done if r["resource_type"] == "unit_test"}
    assert units == {
        "test_status_mapping_and_amount_parsing": "pass", "test_completion_rate_counts_only_orders_since": "pass",
        "test_customers_given_as_sql": "pass", "test_incremental_appends_only_newer_orders": "pass",
        "test_full_refresh_keeps_every_order": "pass", "test_a_macro_override_replaces_its_output": "pass",
    }
    order = [r["unique_id"] for r in done]
    assert order.index("unit_test.unit_tests_basic.stg_orders.test_status_mapping_and_amount_parsing") < order.index("model.unit_tests_basic.stg_orders")
    assert order.index("unit_test.unit_tests_basic.fct_orders_log.test_incremental_appends_only_newer_orders") \
        < order.index("model.unit_tests_basic.fct_orders_log")
    # the real data went through the same logic
    assert rows(project, "select id, status, amount, is_open_ended from stg_orders order by id") == [
        (1, "completed", 12500.5, False), (2, "pending", 300, False), (3, "completed", 40000, True), (4, "unknown", 15, False)]


def test_unit_tests_never_touch_the_warehouse(project: Path, capsys) -> None:
    assert run(project, "build", capsys=capsys).code == 0
    tables = {r[0] for r in rows(project, "select table_name from information_schema.tables")}
    assert not {t for t in tables if t.startswith("__unit")}
    assert rows(project, "select count(*) from raw_orders") == [(4,)]        # the seed, not a mock
    assert rows(project, "select count(*) from customers") == [(2,)]


def test_a_failing_unit_test_shows_a_row_diff_and_blocks_the_model(project: Path, capsys) -> None:
    add_unit_test(project, FAILING)
    outcome = run(project, "build", capsys=capsys)
    assert outcome.code == 1, outcome.text
    assert ("unit test test_status_mapping_wrong_expectation on stg_orders: actual differs from expected "
            "(1 expected row(s) missing, 1 unexpected row(s))") in outcome.text
    assert "  - expected: {id: 2, status: 'complete'}" in outcome.text
    assert "  + actual:   {id: 2, status: 'pending'}" in outcome.text
    by_id = {r["unique_id"]: r for r in results(project)}
    assert by_id["unit_test.unit_tests_basic.stg_orders.test_status_mapping_wrong_expectation"]["status"] == "fail"
    assert by_id["model.unit_tests_basic.stg_orders"]["status"] == "skipped"
    assert "unit test test_status_mapping_wrong_expectation failed" in by_id["model.unit_tests_basic.stg_orders"]["message"]
    assert by_id["model.unit_tests_basic.fct_customer_completion"]["status"] == "skipped"
    assert not (project / "warehouse.duckdb").exists()          # nothing published


def test_test_type_unit_selects_only_unit_tests(project: Path, capsys) -> None:
    outcome = run(project, "test", "--select", "test_type:unit", capsys=capsys)
    assert outcome.code == 0, outcome.text
    done = results(project)
    assert len(done) == 6 and {r["resource_type"] for r in done} == {"unit_test"}
    outcome = run(project, "ls", "--select", "test_type:unit", "fct_orders_log", capsys=capsys)
    assert "test_incremental_appends_only_newer_orders" in outcome.out
    assert "test_full_refresh_keeps_every_order" in outcome.out


@pytest.mark.parametrize("text, message", [
    ("""
  - name: test_missing_input
    model: fct_customer_completion
    given:
      - input: ref('customers')
        rows: [{customer_id: 1, customer_name: A}]
    expect:
      rows: [{customer_id: 1}]
""", "fct_customer_completion reads ref('stg_orders'), which no given input mocks"),
    ("""
  - name: test_wrong_column
    model: stg_orders
    given:
      - input: ref('raw_orders')
        rows: [{id: 1, status_code: C, amount_text: "1"}]
    expect:
      rows: [{id: 1, statuz: completed}]
""", "expected column 'statuz' is not in the model's result"),
    ("""
  - name: test_wrong_format
    model: stg_orders
    given:
      - input: ref('raw_orders')
        format: cvs
        rows: "id\\n1"
    expect:
      rows: [{id: 1}]
""", "format must be dict, csv or sql, not 'cvs'"),
])
def test_unit_test_mistakes_are_named(project: Path, capsys, text: str, message: str) -> None:
    add_unit_test(project, text)
    outcome = run(project, "build", capsys=capsys)
    assert outcome.code in (1, 2), outcome.text
    assert message in outcome.text
    assert "models/_unit_tests.yml" in outcome.text
