"""dbt's built-in generic tests on columns whose names need quoting: a space (`Order ID`), a
reserved word (`select`), quotes of both kinds (`it's "q"`), mixed case (`CustomerKey`), each
with dbt's test configs (`where`, `severity`, `warn_if`/`error_if`) and the column property
`quote: true`, which hands a custom test its column name quoted (dbt's documented behaviour).

The seed `odd_orders` (tests/fixtures/dbt/odd_columns) holds four orders:
(1, a, x, 10, paid, 5), (2, b, NULL, 10, paid, 7), (2, c, y, 11, odd, 0), (3, NULL, z, 99, paid, -1).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import cli_inprocess
from tests.dbt.conftest import dbt_project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict]]:
    project = dbt_project("odd_columns", tmp_path_factory.mktemp("odd"))
    outcome = cli_inprocess(project, "build")
    assert outcome.code == 1            # unique, accepted_values and is_positive fail: nothing published
    results = json.loads((project / "target" / "run_results.json").read_text())["results"]
    return project, {r["name"]: r for r in results if r["unique_id"].startswith("test.odd_columns.")}   # by name


@pytest.mark.parametrize("test, status, rows", [
    ("unique_odd_orders_Order_ID", "fail", 1),                      # order 2 twice
    ("not_null_odd_orders_select", "warn", 1),                      # severity: warn
    ("not_null_odd_orders_it_s_q_", "warn", 1),                     # where "Order ID" = 2; error_if >1
    ("relationships_odd_orders_CustomerKey", "pass", 0),            # where "Order ID" < 3 leaves out 99
    ("accepted_values_odd_orders_Status", "fail", 1),               # 'odd'
    ("accepted_values_odd_orders_Amount_Due", "warn", 2),           # quote: false values 5, 7; 0 and -1 are not
    ("is_positive_odd_orders_Amount_Due", "fail", 2),               # custom test, column_name quoted
    ("unique_odd_customers_Customer_Key", "pass", 0),
    ("not_null_odd_customers_Customer_Key", "pass", 0),
])
def test_each_test_finds_the_rows_that_break_it(built, test: str, status: str, rows: int) -> None:
    result = built[1][test]
    assert (result["status"], result["rows"]) == (status, rows), result.get("message")


def test_failing_rows_name_the_odd_column_values(built) -> None:
    results = built[1]
    assert results["unique_odd_orders_Order_ID"]["details"]["sample"] == [{"unique_field": 2, "n_records": 2}]
    assert results["accepted_values_odd_orders_Status"]["details"]["sample"] == [
        {"value_field": "odd", "n_records": 1}]


def test_compiled_sql_quotes_each_odd_name(built) -> None:
    files = {p.stem: p.read_text() for p in (built[0] / "target" / "compiled").rglob("*.sql")}
    assert '"it\'s ""q""" IS NULL' in files["not_null_odd_orders_it_s_q_"]
    assert '"Order ID" = 2' in files["not_null_odd_orders_it_s_q_"]
    assert '"select" IS NULL' in files["not_null_odd_orders_select"]
    assert 'child."CustomerKey"' in files["relationships_odd_orders_CustomerKey"]
    assert 'parent."Customer Key"' in files["relationships_odd_orders_CustomerKey"]
    assert '"Amount Due" <= 0' in files["is_positive_odd_orders_Amount_Due"]


def test_without_quote_true_a_custom_test_gets_the_name_as_written(tmp_path: Path) -> None:
    """dbt hands a custom test `column_name` unquoted unless the column says `quote: true`: the
    SQL `where Amount Due <= 0` is then the database's error, reported on that test."""
    project = dbt_project("odd_columns", tmp_path)
    yml = project / "seeds" / "_seeds.yml"
    yml.write_text(yml.read_text().replace("      - name: Amount Due               # quote: true hands the custom "
                                           "test a quoted column_name\n        quote: true\n",
                                           "      - name: Amount Due\n"))
    assert cli_inprocess(project, "build").code == 1
    results = json.loads((project / "target" / "run_results.json").read_text())["results"]
    custom = next(r for r in results if r["unique_id"].startswith("test.odd_columns.is_positive_odd_orders_Amount_Due."))
    assert custom["status"] == "error" and "Amount Due <= 0" in (project / custom["compiled_path"]).read_text()
    plain = next(r for r in results
                 if r["unique_id"].startswith("test.odd_columns.accepted_values_odd_orders_Amount_Due."))
    assert (plain["status"], plain["rows"]) == ("warn", 2)      # the built-in tests quote it anyway


def test_quote_must_be_true_or_false(tmp_path: Path, capsys) -> None:
    project = dbt_project("odd_columns", tmp_path)
    yml = project / "seeds" / "_seeds.yml"
    yml.write_text(yml.read_text().replace("        quote: true\n        data_tests:\n          - is_positive",
                                           "        quote: yes please\n        data_tests:\n          - is_positive"))
    outcome = cli_inprocess(project, "build", capsys=capsys)
    assert outcome.code == 2, outcome.text
    assert "_seeds.yml" in outcome.text and "quote of column 'Amount Due'" in outcome.text
