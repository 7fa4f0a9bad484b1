"""Model contracts: columns and types checked before the model runs, naming each mismatch;
constraints DuckDB enforces (not_null, unique, primary_key, check) on contracted tables."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.dbt_resources._support import dbt_project, rows, run, write_seed


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return dbt_project("versions_contracts", tmp_path / "contracts")


def result(project: Path, uid: str) -> dict:
    return {r["unique_id"]: r for r in json.loads((project / "target" / "run_results.json").read_text())["results"]}[uid]


def test_a_contract_that_holds_builds_the_table_with_its_constraints(project: Path, capsys) -> None:
    outcome = run(project, "build", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert rows(project, "select column_name, data_type from information_schema.columns "
                         "where table_name = 'fct_orders' order by ordinal_position") == [
        ("id", "INTEGER"), ("customer", "VARCHAR"), ("amount", "DECIMAL(12,2)"), ("is_paid", "BOOLEAN")]
    kinds = rows(project, "select constraint_type, constraint_column_names from duckdb_constraints() "
                          "where table_name = 'fct_orders' order by 1, 2")
    assert ("PRIMARY KEY", ["id"]) in kinds and ("CHECK", ["amount"]) in kinds and ("NOT NULL", ["customer"]) in kinds
    assert rows(project, "select * from dim_customers order by customer") == [("Ada", 2), ("Grace", 1)]


def test_a_contract_mismatch_fails_before_the_model_runs_naming_each_column(project: Path, capsys) -> None:
    assert run(project, "build", capsys=capsys).code == 0
    before = rows(project, "select * from fct_orders order by id")
    (project / "models" / "fct_orders.sql").write_text(
        "select id, customer, cast(amount as double) as amount, status from {{ ref('orders') }}\n")
    # (the static check would stop the model reading is_paid first: the contract gate is tested alone)
    outcome = run(project, "build", "--no-static-check", capsys=capsys)
    assert outcome.code == 2, outcome.text
    assert "the contract of fct_orders is not met (3 mismatch(es)); the model was not built" in outcome.text
    assert "column 'amount' is DOUBLE in the query, the contract says DECIMAL(12,2)" in outcome.text
    assert "column 'is_paid' (BOOLEAN) is in the contract but not in the query" in outcome.text
    assert "column 'status' (VARCHAR) is in the query but not in the contract" in outcome.text
    assert result(project, "model.versions_contracts.fct_orders")["status"] == "error"
    assert result(project, "model.versions_contracts.dim_customers")["status"] == "skipped"
    assert rows(project, "select * from fct_orders order by id") == before      # published as it was


def test_the_contract_check_runs_before_the_query(project: Path, capsys) -> None:
    assert run(project, "seed", capsys=capsys).code == 0
    # a query that would fail when run (division by zero error) but binds: the contract stops it first
    (project / "models" / "fct_orders.sql").write_text(
        "select id, customer, amount, error('this query ran') as is_paid from {{ ref('orders') }}\n")
    outcome = run(project, "run", "--select", "fct_orders", capsys=capsys)
    assert outcome.code == 2
    assert "column 'is_paid' is" in outcome.text and "this query ran" not in outcome.text


@pytest.mark.parametrize("data, message", [
    ("id,customer,amount,status\n1,Ada,-1.00,paid\n", "CHECK constraint failed"),
    ("id,customer,amount,status\n1,Ada,1.00,paid\n1,Bob,2.00,open\n", "PRIMARY KEY or UNIQUE constraint violation: duplicate key \"1\""),
    ("id,customer,amount,status\n1,,1.00,paid\n", "NOT NULL constraint failed"),
])
def test_constraints_are_enforced_on_the_data(project: Path, capsys, data: str, message: str) -> None:
    write_seed(project, "orders", data)
    outcome = run(project, "build", capsys=capsys)
    assert outcome.code == 2, outcome.text
    assert message in outcome.text and "fct_orders" in outcome.text
    assert not (project / "warehouse.duckdb").exists()


def test_a_contract_needs_a_data_type_on_every_column(project: Path, capsys) -> None:
    path = project / "models" / "_models.yml"
    path.write_text(path.read_text().replace("        data_type: boolean\n", ""))
    outcome = run(project, "build", capsys=capsys)
    assert outcome.code == 2
    assert "fct_orders enforces a contract, so every column needs a data_type; missing for: is_paid" in outcome.text
