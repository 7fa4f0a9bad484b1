"""Wrong answers: an expectation suite never reports on the previous build's table."""
from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import cli
from tests.nightly._support import snapshot


def test_suite_of_a_model_that_failed_is_skipped_not_passed(published: Path) -> None:
    checks = published / "data_checks"
    checks.mkdir(exist_ok=True)
    (checks / "fct_customer_totals.json").write_text(json.dumps({
        "name": "fct_customer_totals", "meta": {"model": "fct_customer_totals"},
        "expectations": [{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "customer_id"}}]}))
    assert cli(published, "build").code == 0                 # the suite passes on a good build
    before = snapshot(published)
    model = published / "models" / "marts" / "fct_customer_totals.sql"
    model.write_text("{{ config(static_check=false) }}\n" + model.read_text().replace(
        "coalesce(p.paid_orders, 0) as paid_orders", "cast('not a number' as integer) as paid_orders"))
    outcome = cli(published, "build")
    assert outcome.code == 2, outcome.text
    assert "not run: model fct_customer_totals failed to build" in outcome.text
    results = json.loads((published / "target" / "run_results.json").read_text())
    statuses = {r["unique_id"]: r["status"] for r in results["results"]}
    assert statuses["check.fct_customer_totals"] == "skipped"
    check_results = json.loads((published / "target" / "check_results.json").read_text())
    assert check_results["success"] is False and check_results["skipped"] == ["fct_customer_totals"]
    assert snapshot(published) == before


def test_loading_great_expectations_names_the_suite_and_expectation(published: Path) -> None:
    checks = published / "data_checks"
    checks.mkdir(exist_ok=True)
    (checks / "fct_customer_totals.json").write_text(json.dumps({
        "name": "fct_customer_totals", "meta": {"model": "fct_customer_totals"},
        "expectations": [
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "customer_id"}},
            {"type": "expect_column_values_to_not_be_null",
             "kwargs": {"column": "customer_id", "row_condition": "customer_id>0", "condition_parser": "pandas"}}]}))
    outcome = cli(published, "build")
    assert "loading Great Expectations" in outcome.text, outcome.text
    line = next(x for x in outcome.text.splitlines() if "loading Great Expectations" in x)
    assert "suite fct_customer_totals" in line and "expect_column_values_to_not_be_null" in line


def test_every_invalid_suite_is_reported_at_once_before_any_model_runs(published: Path) -> None:
    checks = published / "data_checks"
    checks.mkdir(exist_ok=True)
    for name, expectation in (("a", {"type": "expect_column_values_to_be_nul", "kwargs": {"column": "customer_id"}}),
                              ("c", {"type": "expect_column_values_to_be_between", "kwargs": {}})):
        (checks / f"{name}.json").write_text(json.dumps({"name": name, "meta": {"model": "fct_customer_totals"},
                                                         "expectations": [expectation]}))
    before = snapshot(published)
    outcome = cli(published, "build")
    assert outcome.code == 2, outcome.text
    assert "a.json: expectation #0 (expect_column_values_to_be_nul): unknown expectation type" in outcome.text
    assert "c.json: expectation #0 (expect_column_values_to_be_between): missing required kwarg 'column'" in outcome.text
    assert "SUCCESS" not in outcome.text            # nothing was loaded or built first
    assert snapshot(published) == before


def test_a_folder_of_different_suite_problems_is_reported_in_one_pass(published: Path) -> None:
    """Syntax with lines (JSON, YAML, duplicate key), a misspelt type, bad kwargs, an unknown model
    and table: one run names them all, exits 2 (bad input) and builds nothing."""
    checks = published / "data_checks"
    checks.mkdir(exist_ok=True)
    bound = {"model": "fct_customer_totals"}
    (checks / "a.json").write_text(json.dumps({"name": "a", "meta": bound, "expectations": [
        {"type": "expect_column_values_to_be_uniqe", "kwargs": {"column": "customer_id"}},
        {"type": "expect_column_value_lengths_to_be_between", "kwargs": {"column": "customer_name", "maxvalue": 3}},
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "customer_id", "mostly": 1.5}}]}))
    (checks / "b.json").write_text('{\n  "name": "b",\n  "meta": {"model": "fct_customer_totals"},,\n}\n')
    (checks / "c.yml").write_text("name: c\nmeta: {model: fct_customer_totals}\nexpectations:\n  - type: [\n")
    (checks / "d.json").write_text(json.dumps({"name": "d", "meta": {"model": "fct_customer_total"}, "expectations": [
        {"type": "expect_table_row_count_to_equal_other_table", "kwargs": {"other_table_name": "stg_orderz"}}]}))
    (checks / "e.json").write_text('{"name": "e",\n "meta": {"model": "fct_customer_totals"},\n "expectations": [],\n'
                                   ' "expectations": []}\n')
    before = snapshot(published)
    outcome = cli(published, "build")
    assert outcome.code == 2, outcome.text
    for expected in ("a.json: expectation #0 (expect_column_values_to_be_uniqe): unknown expectation type",
                     "did you mean 'expect_column_values_to_be_unique'?",
                     "a.json: expectation #1 (expect_column_value_lengths_to_be_between): unknown kwarg 'maxvalue'",
                     "a.json: expectation #2 (expect_column_values_to_not_be_null): kwarg 'mostly' must be a number",
                     "b.json:3:", "invalid JSON", "c.yml:5:", "invalid YAML",
                     "suite 'd' is bound to unknown model 'fct_customer_total'",
                     "other_table_name 'stg_orderz' is no model", "e.json:4:", "duplicate key 'expectations'"):
        assert expected in outcome.text, (expected, outcome.text)
    assert "SUCCESS" not in outcome.text
    assert snapshot(published) == before
