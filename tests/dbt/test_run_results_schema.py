"""run_results.json and manifest.json carry dbt's keys with dbt's types (run-results v6,
manifest v12, as dbt 1.8+ writes them), so tools that read dbt's artifacts read ours.

The key sets and types below are those of dbt's published JSON schemas (run-results v6:
metadata, results, elapsed_time, args; each result: status, timing, thread_id,
execution_time, adapter_response, message, failures, unique_id, compiled, compiled_code,
relation_name, batch_results)."""
from __future__ import annotations

import json
import os
import time
import re
import uuid
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import cli_inprocess, copy_fixture, published_rows

TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
STATUSES = {"success", "error", "skipped", "partial success", "no-op", "pass", "fail", "warn", "runtime error"}
RESULT_KEYS = {"status": str, "timing": list, "thread_id": str, "execution_time": float, "adapter_response": dict,
               "unique_id": str}
NULLABLE = {"message": str, "failures": int, "compiled": bool, "compiled_code": str, "relation_name": str}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture("mini", tmp_path_factory.mktemp("artifacts") / "mini")
    (project / "models" / "marts" / "run_marker.sql").write_text("select '{{ invocation_id }}' as invocation_id\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DBT_ENV_CUSTOM_ENV_TEAM", "reform")
        outcome = cli_inprocess(project, "build", "--no-checks", "--select", "+fct_customer_totals", "run_marker")
    assert outcome.code == 0, outcome.text
    return project


def _read(project: Path, name: str) -> dict:
    return json.loads((project / "target" / name).read_text())


def _stamp(text: str) -> datetime:
    assert TIMESTAMP.fullmatch(text), text
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")


def test_run_results_top_level_and_metadata(built: Path) -> None:
    data = _read(built, "run_results.json")
    assert {"metadata", "results", "elapsed_time", "args"} <= set(data)
    assert isinstance(data["elapsed_time"], float) and data["elapsed_time"] > 0
    meta = data["metadata"]
    assert meta["dbt_schema_version"] == "https://schemas.getdbt.com/dbt/run-results/v6.json"
    assert re.fullmatch(r"1\.\d+\.\d+", meta["dbt_version"])
    assert _stamp(meta["invocation_started_at"]) <= _stamp(meta["generated_at"])
    uuid.UUID(meta["invocation_id"])
    assert meta["env"] == {"TEAM": "reform"}           # DBT_ENV_CUSTOM_ENV_ variables, prefix removed
    args = data["args"]
    assert args["which"] == "build" and args["select"] == ["+fct_customer_totals", "run_marker"]
    assert args["threads"] == 1
    assert None not in args.values()                   # dbt leaves unset arguments out
    # one invocation: the manifest says the same
    manifest = _read(built, "manifest.json")["metadata"]
    assert manifest["dbt_schema_version"] == "https://schemas.getdbt.com/dbt/manifest/v12.json"
    assert manifest["invocation_id"] == meta["invocation_id"] and manifest["adapter_type"] == "duckdb"
    # ... and so does `{{ invocation_id }}` in a model (tools join what models wrote with the artifacts)
    assert published_rows(built, "select invocation_id from main.run_marker") == [(meta["invocation_id"],)]


def test_every_result_has_dbts_keys_and_types(built: Path) -> None:
    results = _read(built, "run_results.json")["results"]
    assert len(results) >= 8
    for result in results:
        for key, kind in RESULT_KEYS.items():
            assert isinstance(result[key], kind), (result["unique_id"], key, result[key])
        for key, kind in NULLABLE.items():
            assert key in result and (result[key] is None or isinstance(result[key], kind)), (result["unique_id"], key)
        assert result["status"] in STATUSES
        assert result["thread_id"] == "Thread-1"
        for step in result["timing"]:
            assert set(step) == {"name", "started_at", "completed_at"}
            assert _stamp(step["started_at"]) <= _stamp(step["completed_at"])


def test_timing_and_adapter_response_per_resource_type(built: Path) -> None:
    by_id = {r["unique_id"]: r for r in _read(built, "run_results.json")["results"]}
    model, seed = by_id["model.mini.fct_customer_totals"], by_id["seed.mini.customers"]
    assert [t["name"] for t in model["timing"]] == ["compile", "execute"]
    assert [t["name"] for t in seed["timing"]] == ["execute"]           # a seed has nothing to compile
    compiled, executed = model["timing"]
    assert _stamp(compiled["completed_at"]) <= _stamp(executed["started_at"])    # compiled before it ran
    assert model["compiled"] is True and "select" in model["compiled_code"].lower()
    assert model["relation_name"] == '"warehouse"."main"."fct_customer_totals"'
    assert model["adapter_response"] == {"_message": "OK", "rows_affected": 3}
    assert seed["adapter_response"]["rows_affected"] == 3 and seed["compiled"] is None
    tests = [r for uid, r in by_id.items() if uid.startswith("test.mini.")]
    assert tests
    for test in tests:
        assert [t["name"] for t in test["timing"]] == ["compile", "execute"]
        assert isinstance(test["failures"], int) and test["adapter_response"] == {}
        assert test["compiled"] is True and test["compiled_code"] and test["relation_name"] is None


def test_error_results_and_skips_keep_the_shape(tmp_path: Path) -> None:
    project = copy_fixture("mini", tmp_path / "mini")
    model = next((project / "models").rglob("stg_customers.sql"))
    model.write_text("select no_such_column from {{ ref('customers') }}\n")
    outcome = cli_inprocess(project, "build", "--no-checks", "--no-static-check")
    assert outcome.code != 0
    by_id = {r["unique_id"]: r for r in _read(project, "run_results.json")["results"]}
    failed = by_id["model.mini.stg_customers"]
    assert failed["status"] == "error" and failed["adapter_response"] == {} and failed["message"]
    assert [t["name"] for t in failed["timing"]] == ["compile", "execute"]   # how far it got
    skipped = [r for r in by_id.values() if r["status"] == "skipped"]
    assert skipped and all(r["timing"] == [] and r["adapter_response"] == {} for r in skipped)


def test_catalog_json_has_each_built_relation_with_its_columns(built: Path) -> None:
    catalog = _read(built, "catalog.json")
    assert catalog["metadata"]["dbt_schema_version"] == "https://schemas.getdbt.com/dbt/catalog/v1.json"
    assert catalog["metadata"]["invocation_id"] == _read(built, "run_results.json")["metadata"]["invocation_id"]
    assert catalog["errors"] is None and catalog["sources"] == {}
    table = catalog["nodes"]["model.mini.fct_customer_totals"]
    assert table["unique_id"] == "model.mini.fct_customer_totals"
    assert table["metadata"] == {"type": "BASE TABLE", "schema": "main", "name": "fct_customer_totals",
                                 "database": "warehouse", "comment": None, "owner": None}
    columns = table["columns"]
    assert [c["index"] for c in columns.values()] == list(range(1, len(columns) + 1))
    assert columns["customer_id"]["type"] == "INTEGER" and columns["customer_id"]["name"] == "customer_id"
    assert catalog["nodes"]["model.mini.stg_customers"]["metadata"]["type"] == "VIEW"
    assert "seed.mini.customers" in catalog["nodes"]


def test_sources_json_after_freshness(tmp_path: Path) -> None:
    project = copy_fixture("mini", tmp_path / "mini")
    yml = project / "seeds" / "_seeds.yml"
    yml.write_text(yml.read_text().replace(
        "    description: Customers.\n",
        "    description: Customers.\n    freshness: {warn_after: {count: 1, period: hour}, "
        "error_after: {count: 2, period: day}}\n"))
    stamp = time.time() - 3 * 3600
    os.utime(project / "seeds" / "customers.csv", (stamp, stamp))
    assert cli_inprocess(project, "build", "--no-checks").code == 0
    for command in (["build", "--no-checks"], ["freshness"]):
        (project / "target" / "sources.json").unlink(missing_ok=True)
        assert cli_inprocess(project, *command).code == 0
        sources = _read(project, "sources.json")
        assert sources["metadata"]["dbt_schema_version"] == "https://schemas.getdbt.com/dbt/sources/v3.json"
        assert isinstance(sources["elapsed_time"], float)
        (result,) = sources["results"]
        assert result["unique_id"] == "seed.mini.customers" and result["status"] == "warn"
        assert 3 * 3600 - 60 < result["max_loaded_at_time_ago_in_s"] < 3 * 3600 + 600
        assert _stamp(result["max_loaded_at"]) < _stamp(result["snapshotted_at"])
        assert result["criteria"]["warn_after"] == {"count": 1, "period": "hour"}
        assert result["criteria"]["error_after"] == {"count": 2, "period": "day"}
        assert result["thread_id"] == "Thread-1" and isinstance(result["execution_time"], float)
        assert [t["name"] for t in result["timing"]] == ["execute"]
