"""Suites are refused before GX sees them, with every problem named at its file and index."""
from __future__ import annotations

import pytest

from warehouse.check import load_suites, validate_columns
from warehouse.check.catalog import STATIC_SPECS, gx_specs
from warehouse.core.errors import CheckSuiteError, ErrorList

NOT_NULL = {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "id"}}


def errors_of(directory) -> list[CheckSuiteError]:
    with pytest.raises(ErrorList) as caught:
        load_suites(directory)
    assert all(isinstance(e, CheckSuiteError) for e in caught.value.errors)
    return caught.value.errors


def test_valid_suite_loads_with_defaults(write, suite_dir, orders_suite):
    write("orders.json", orders_suite(
        NOT_NULL,
        {"type": "expect_column_values_to_be_in_set",
         "kwargs": {"column": "status", "value_set": ["open"]}, "severity": "warning",
         "meta": {"owner": "ops"}}))
    write("q.json", {"name": "recent", "meta": {"query": "SELECT 1 AS x"},
                     "expectations": [{"type": "expect_table_row_count_to_equal",
                                       "kwargs": {"value": 1}}]})
    orders, recent = load_suites(suite_dir)
    assert (orders.name, orders.model, orders.query) == ("orders", "orders", None)
    assert [e.severity for e in orders.expectations] == ["critical", "warning"]
    assert orders.expectations[1].meta == {"owner": "ops"}
    assert (recent.model, recent.query) == (None, "SELECT 1 AS x")


def test_unknown_type_names_index_and_nearest_type(write, suite_dir, orders_suite):
    path = write("orders.json", orders_suite(
        NOT_NULL, {"type": "expect_column_values_to_be_uniqe", "kwargs": {"column": "id"}}))
    (error,) = errors_of(suite_dir)
    assert error.location.file == path
    assert "expectation #1 (expect_column_values_to_be_uniqe): unknown expectation type" \
        in error.render()
    assert "did you mean 'expect_column_values_to_be_unique'?" in error.render()


def test_missing_required_kwarg(write, suite_dir, orders_suite):
    write("orders.json", orders_suite(
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "status"}}))
    (error,) = errors_of(suite_dir)
    assert "expectation #0 (expect_column_values_to_be_in_set): missing required kwarg " \
           "'value_set'" in error.render()


def test_unknown_kwarg_with_hint(write, suite_dir, orders_suite):
    write("orders.json", orders_suite(
        {"type": "expect_column_values_to_be_between",
         "kwargs": {"column": "amount", "min_value": 0, "maxvalue": 10}}))
    (error,) = errors_of(suite_dir)
    assert "unknown kwarg 'maxvalue'" in error.render()
    assert "did you mean 'max_value'?" in error.render()


def test_old_expectation_type_key(write, suite_dir, orders_suite):
    write("orders.json", orders_suite(
        {"expectation_type": "expect_column_values_to_not_be_null", "kwargs": {"column": "id"}}))
    (error,) = errors_of(suite_dir)
    assert "GX 0.x key 'expectation_type'" in error.render()
    assert "'type'" in error.hint


def test_invalid_json_reports_line_and_column(write, suite_dir):
    path = write("broken.json", '{\n  "name": "x",\n  "expectations": [\n    {"type": }\n]}\n')
    (error,) = errors_of(suite_dir)
    assert (error.location.file, error.location.line) == (path, 4)
    assert error.render().startswith(f"{path}:4:")
    assert "invalid JSON" in error.render()


def test_suite_without_binding(write, suite_dir):
    write("orders.json", {"name": "orders", "expectations": [NOT_NULL]})
    (error,) = errors_of(suite_dir)
    assert "bound to nothing" in error.render()
    assert "meta" in error.hint


def test_bad_values_and_severity(write, suite_dir, orders_suite):
    write("orders.json", orders_suite(
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "id", "mostly": 2}},
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "amount"}},
        {**NOT_NULL, "severity": "fatal"},
        {"type": "expect_column_min_to_be_between", "kwargs": {"column": "s", "min_value": "a"}},
        {"type": "expect_table_row_count_to_equal", "kwargs": {"value": "10"}},
        {"type": "expect_column_values_to_match_regex", "kwargs": {"column": "s", "regex": "(a"}}))
    messages = [e.render() for e in errors_of(suite_dir)]
    assert any("#3" in m and "must be a number or an ISO date/time string" in m
               for m in messages)
    assert any("#4" in m and "'value' must be an integer" in m for m in messages)
    assert any("#5" in m and "not a valid regular expression" in m for m in messages)
    assert any("#0" in m and "'mostly' must be a number from 0 to 1" in m for m in messages)
    assert any("#1" in m and "cannot both be missing" in m for m in messages)
    assert any("#2" in m and "severity 'fatal'" in m for m in messages)


def test_all_problems_of_all_files_are_collected(write, suite_dir, orders_suite):
    write("a.json", orders_suite(
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "s"}},
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "s", "x": 1}}))
    write("b.json", '{"name": ')
    errors = errors_of(suite_dir)
    assert len(errors) == 3
    assert {e.location.file.name for e in errors} == {"a.json", "b.json"}


@pytest.mark.gx
def test_static_specs_match_gx_models():
    """STATIC_SPECS lets SQL-path suites load without importing GX; it must say what GX says."""
    specs = gx_specs()
    for name, spec in STATIC_SPECS.items():
        assert specs[name] == spec, name


def test_gx_derived_types_are_validated_by_gx(write, suite_dir, orders_suite):
    write("orders.json", orders_suite(
        {"type": "expect_column_value_z_scores_to_be_less_than",
         "kwargs": {"column": "code", "double_sided": True}},
        {"type": "expect_column_value_z_scores_to_be_less_than",
         "kwargs": {"column": "code", "threshold": "five", "double_sided": True}}))
    messages = [e.render() for e in errors_of(suite_dir)]
    assert any("#0" in m and "missing required kwarg 'threshold'" in m for m in messages)
    assert any("#1" in m and "kwarg threshold" in m for m in messages)


def test_unknown_column_names_nearest(write, suite_dir, orders_suite):
    path = write("orders.json", orders_suite(
        NOT_NULL, {"type": "expect_column_pair_values_a_to_be_greater_than_b",
                   "kwargs": {"column_A": "shipped_on", "column_B": "ordred_on"}},
        {"type": "expect_column_to_exist", "kwargs": {"column": "not_yet_there"}}))
    suites = load_suites(suite_dir)
    with pytest.raises(ErrorList) as caught:
        validate_columns(suites, {"orders": ["id", "ordered_on", "shipped_on"]}.get)
    (error,) = caught.value.errors
    assert error.location.file == path
    assert "expectation #1" in error.render() and "column 'ordred_on'" in error.render()
    assert "nearest column: 'ordered_on'" in error.render()


def test_unknown_model(write, suite_dir, orders_suite):
    write("orders.json", orders_suite(NOT_NULL, meta={"model": "ordrs"}))
    with pytest.raises(ErrorList, match="bound to unknown model 'ordrs'"):
        validate_columns(load_suites(suite_dir), {"orders": ["id"]}.get)
