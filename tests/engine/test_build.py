"""Build end to end on the small example project: materializations, tests, publish, export."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import cli_inprocess, digest, published_rows


def build(project: Path, capsys, *args: str):
    return cli_inprocess(project, "build", *args, capsys=capsys)


def test_build_publishes_every_materialization(mini: Path, capsys) -> None:
    outcome = build(mini, capsys)
    assert outcome.code == 0, outcome.text
    assert "published warehouse.duckdb" in outcome.out
    assert published_rows(mini, "select table_schema, table_name, table_type from information_schema.tables "
                      "where table_name in ('stg_orders', 'fct_customer_totals', 'fct_orders_log', 'int_orders_paid') "
                      "order by 2") == [
        ("main", "fct_customer_totals", "BASE TABLE"),
        ("main", "fct_orders_log", "BASE TABLE"),
        ("staging", "stg_orders", "VIEW"),
    ]   # the ephemeral int_orders_paid is not a relation
    assert published_rows(mini, "select customer_id, paid_cents, paid_orders from fct_customer_totals order by 1") == [
        (1, 12050, 2), (2, 0, 0), (3, 7000, 1)]
    assert not (mini / ".warehouse" / "staging").exists()


def test_incremental_append_and_delete_insert(mini: Path, capsys) -> None:
    assert build(mini, capsys).code == 0
    orders = mini / "seeds" / "orders.csv"
    orders.write_text(orders.read_text() + "14,2,9,paid\n")
    assert build(mini, capsys, "--vars", '{"batch": "b2"}').code == 0
    # delete+insert on order_id: every re-selected row replaced, the new one added, none duplicated
    assert published_rows(mini, "select batch, count(*) from fct_orders_log group by 1") == [("b2", 5)]
    log = mini / "models" / "marts" / "fct_orders_log.sql"
    log.write_text(log.read_text().replace("unique_key='order_id', ", "incremental_strategy='append', "))
    # appending the same orders again duplicates order_id: the unique test is a gate
    assert build(mini, capsys, "--vars", '{"batch": "b3"}').code == 1
    yml = mini / "models" / "marts" / "_marts__models.yml"
    yml.write_text(yml.read_text().replace("      - name: order_id\n        data_tests: [unique]\n", "      - name: order_id\n"))
    assert build(mini, capsys, "--vars", '{"batch": "b3"}').code == 0
    assert published_rows(mini, "select batch, count(*) from fct_orders_log group by 1 order by 1") == [("b2", 5), ("b3", 5)]
    assert build(mini, capsys, "--full-refresh", "--vars", '{"batch": "b4"}').code == 0
    assert published_rows(mini, "select batch, count(*) from fct_orders_log group by 1") == [("b4", 5)]


def test_failing_error_test_publishes_nothing(mini: Path, capsys) -> None:
    assert build(mini, capsys).code == 0
    before = digest(mini / "warehouse.duckdb")
    export_before = digest(mini / "exports" / "fct_customer_totals.parquet")
    manifest_before = (mini / "exports" / "manifest.json").read_text()
    customers = mini / "seeds" / "customers.csv"
    customers.write_text(customers.read_text() + "3,Dup,KEN\n")
    outcome = build(mini, capsys)
    assert outcome.code == 1, outcome.text
    assert "FAIL     test unique_customers_customer_id" in outcome.out
    assert "Nothing was published" in outcome.err
    assert digest(mini / "warehouse.duckdb") == before
    assert digest(mini / "exports" / "fct_customer_totals.parquet") == export_before
    assert (mini / "exports" / "manifest.json").read_text() == manifest_before
    results = json.loads((mini / "target" / "run_results.json").read_text())
    failed = {r["name"]: r for r in results["results"] if r["status"] == "fail"}
    assert failed["unique_customers_customer_id"]["rows"] == 1
    assert failed["unique_customers_customer_id"]["details"]["sample"] == [{"unique_field": 3, "n_records": 2}]


def test_warn_severity_is_reported_and_publishes(mini: Path, capsys) -> None:
    orders = mini / "seeds" / "orders.csv"
    orders.write_text(orders.read_text() + "15,3,1,pending\n")
    outcome = build(mini, capsys)
    assert outcome.code == 0, outcome.text
    assert "WARN     test accepted_values_stg_orders_status" in outcome.out
    assert published_rows(mini, "select count(*) from staging.stg_orders") == [(5,)]


@pytest.mark.parametrize("test_name, breakage", [
    ("not_null_stg_customers_customer_id", ("customers.csv", "\n,Nobody,KEN")),
    ("accepted_values_stg_customers_country_code", ("customers.csv", "\n4,Di,USA")),
    ("relationships_stg_orders_customer_id", ("orders.csv", "\n16,99,5,paid")),
    ("positive_stg_orders_amount_cents", ("orders.csv", "\n17,1,-3,paid", "--vars", '{"min_amount": -10}')),
    ("assert_paid_not_more_than_orders", None),
])
def test_each_kind_of_test_fails_on_bad_data(mini: Path, capsys, test_name: str, breakage) -> None:
    if breakage:
        path = mini / "seeds" / breakage[0]
        path.write_text(path.read_text().rstrip("\n") + breakage[1] + "\n")
    else:   # break the singular test's invariant directly
        model = mini / "models" / "marts" / "fct_customer_totals.sql"
        model.write_text(model.read_text().replace("coalesce(p.paid_orders, 0)", "coalesce(p.paid_orders, 0) + 5"))
    outcome = build(mini, capsys, *(breakage[2:] if breakage else ()))
    assert outcome.code == 1, outcome.text
    assert f"FAIL     test {test_name}" in outcome.out


def test_broken_sql_names_model_file_and_duckdb_message(mini: Path, capsys) -> None:
    assert build(mini, capsys).code == 0
    before = digest(mini / "warehouse.duckdb")
    (mini / "models" / "marts" / "broken.sql").write_text("select no_such_column from {{ ref('stg_orders') }}\n")
    outcome = build(mini, capsys, "--no-static-check")
    assert outcome.code == 2, outcome.text
    assert "models/marts/broken.sql" in outcome.err
    assert 'Referenced column "no_such_column" not found' in outcome.err
    assert digest(mini / "warehouse.duckdb") == before


def test_downstream_of_a_failed_model_is_skipped(mini: Path, capsys) -> None:
    stg = mini / "models" / "staging" / "stg_customers.sql"
    stg.write_text("select customer_id, nme as customer_name from {{ ref('customers') }}\n")
    outcome = build(mini, capsys, "--no-static-check")
    assert outcome.code == 2
    assert "SKIPPED  model fct_customer_totals" in outcome.text
    assert "upstream stg_customers failed" in outcome.text
    assert not (mini / "warehouse.duckdb").exists()


def test_malformed_seed_names_file_and_line(mini: Path, capsys) -> None:
    (mini / "seeds" / "orders.csv").write_text("order_id,customer_id,amount,status\n10,1,5,paid\n11,1,abc,paid\n")
    outcome = build(mini, capsys)
    assert outcome.code == 2
    assert "seeds/orders.csv:3" in outcome.err
    assert 'converting column "amount"' in outcome.err and 'Could not convert string "abc"' in outcome.err


def test_exports_and_manifest(mini: Path, capsys) -> None:
    assert build(mini, capsys).code == 0
    manifest = json.loads((mini / "exports" / "manifest.json").read_text())
    (entry,) = manifest["exports"]   # fct_orders_log has export=false
    assert entry["model"] == "fct_customer_totals" and entry["rows"] == 3
    assert [c["name"] for c in entry["schema"]][:2] == ["customer_id", "customer_name"]
    table = pq.read_table(mini / "exports" / "fct_customer_totals.parquet")
    assert table.num_rows == 3
    published_id = published_rows(mini, "select build_id from _warehouse_runs")[0][0]
    assert manifest["build_id"] == published_id


def test_partitioned_export(mini: Path, capsys) -> None:
    yml = mini / "models" / "marts" / "_marts__models.yml"
    yml.write_text(yml.read_text().replace("    description: Paid totals per customer.",
                                           "    description: Paid totals per customer.\n"
                                           "    config: {partition_by: country_code}"))
    assert build(mini, capsys).code == 0
    parts = sorted(p.name for p in (mini / "exports" / "fct_customer_totals").iterdir())
    assert parts == ["country_code=FRA", "country_code=KEN"]


def test_artifacts_describe_the_build(mini: Path, capsys) -> None:
    assert build(mini, capsys).code == 0
    manifest = json.loads((mini / "target" / "manifest.json").read_text())
    node = manifest["nodes"]["model.mini.fct_customer_totals"]
    assert node["depends_on"]["nodes"] == ["model.mini.int_orders_paid", "model.mini.stg_customers"]   # dbt's shape
    assert len(node["compiled_sql_sha256"]) == 64
    assert [c["name"] for c in node["built_columns"]][-1] == "paid_orders"
    results = json.loads((mini / "target" / "run_results.json").read_text())
    assert results["status"] == "success"
    statuses = {r["name"]: r["status"] for r in results["results"]}
    assert statuses["fct_customer_totals"] == "success" and statuses["unique_customers_customer_id"] == "pass"
    assert (mini / "target" / "compiled" / "models" / "marts" / "fct_customer_totals.sql").exists()
    assert published_rows(mini, "select count(*), min(status) from _warehouse_runs") == [(1, "published")]


def test_previous_warehouse_is_kept_and_rollback_restores_it(mini: Path, capsys) -> None:
    assert build(mini, capsys).code == 0
    first = digest(mini / "warehouse.duckdb")
    orders = mini / "seeds" / "orders.csv"
    orders.write_text(orders.read_text() + "18,2,1,paid\n")
    assert build(mini, capsys).code == 0
    assert digest(mini / "warehouse.duckdb") != first
    kept = list((mini / ".warehouse" / "history").glob("*.duckdb"))
    assert [digest(k) for k in kept] == [first]
    assert cli_inprocess(mini, "rollback", capsys=capsys).code == 0
    assert digest(mini / "warehouse.duckdb") == first


def test_open_reader_during_build_is_not_broken(mini: Path, capsys) -> None:
    assert build(mini, capsys).code == 0
    reader = duckdb.connect(str(mini / "warehouse.duckdb"), read_only=True)
    try:
        assert reader.execute("select count(*) from fct_customer_totals").fetchone() == (3,)
        customers = mini / "seeds" / "customers.csv"
        customers.write_text(customers.read_text() + "4,Di,FRA\n")
        assert build(mini, capsys).code == 0          # not blocked by the open reader
        assert reader.execute("select count(*) from fct_customer_totals").fetchone() == (3,)  # old snapshot
    finally:
        reader.close()
    assert published_rows(mini, "select count(*) from fct_customer_totals") == [(4,)]   # a new connection sees the new build


def test_dev_commands_never_publish(mini: Path, capsys) -> None:
    assert cli_inprocess(mini, "seed", capsys=capsys).code == 0
    assert cli_inprocess(mini, "run", capsys=capsys).code == 0
    outcome = cli_inprocess(mini, "test", capsys=capsys)
    assert outcome.code == 0 and "pass" in outcome.out
    assert not (mini / "warehouse.duckdb").exists()
    assert (mini / ".warehouse" / "dev" / "warehouse.duckdb").exists()


def test_model_deleted_from_project_is_dropped_on_full_build(mini: Path, capsys) -> None:
    extra = mini / "models" / "marts" / "fct_extra.sql"
    extra.write_text("select 1 as x\n")
    assert build(mini, capsys).code == 0
    assert published_rows(mini, "select count(*) from fct_extra") == [(1,)]
    extra.unlink()
    outcome = build(mini, capsys)
    assert outcome.code == 0 and "dropped main.fct_extra" in outcome.out
    assert published_rows(mini, "select count(*) from information_schema.tables where table_name = 'fct_extra'") == [(0,)]
