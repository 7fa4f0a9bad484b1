"""External models (dbt-duckdb `materialized='external'`): location, format parquet/csv/json,
partition_by, options, the view over the files, and files published with the build."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tests.conftest import cli
from tests.dbt_resources._support import dbt_project, rows, run, write_seed
from tests.nightly._support import start, wait_paused

MORE = "action_key,plan_code,status\nA1,EB152/34,completed\nA2,EB152/34,completed\nU1,UNOSSC,completed\nU2,UNOSSC,planned\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return dbt_project("external_models", tmp_path / "external")


def read(sql: str) -> list[tuple]:
    with duckdb.connect() as con:
        return con.execute(sql).fetchall()


def test_external_models_write_files_and_read_them_through_a_view(project: Path, capsys) -> None:
    outcome = run(project, "build", capsys=capsys)
    assert outcome.code == 0, outcome.text
    exports = project / "exports"
    assert read(f"select * from read_parquet('{exports}/actions/actions.parquet') order by 1") == [
        ("A1", "EB152/34", "completed"), ("A2", "EB152/34", "in_progress"), ("U1", "UNOSSC", "completed")]
    assert sorted(p.name for p in (exports / "actions_by_plan").iterdir()) == ["plan_code=EB152%2F34", "plan_code=UNOSSC"]
    assert (exports / "actions_csv.csv").read_text().splitlines()[:2] == ["action_key;status", "A1;completed"]
    assert read(f"select * from read_json_auto('{exports}/actions.json') order by 1") == [
        ("A1", True), ("A2", False), ("U1", True)]
    # the views in the published warehouse read the published files
    assert rows(project, "select count(*) from actions_by_plan where plan_code = 'UNOSSC'") == [(1,)]
    assert rows(project, "select * from completion order by 1") == [("EB152/34", 1, 2), ("UNOSSC", 1, 1)]
    # the view reads this build's own copy, never overwritten; exports/<location> is the published copy
    build_id = json.loads((project / "target" / "run_results.json").read_text())["metadata"]["build_id"]
    view = rows(project, "select sql from duckdb_views() where view_name = 'actions_parquet'")[0][0]
    assert str(exports / ".external" / build_id / "actions" / "actions.parquet") in view
    assert (exports / ".external" / build_id / "actions" / "actions.parquet").read_bytes() == \
        (exports / "actions" / "actions.parquet").read_bytes()
    listed = {e["model"]: e for e in json.loads((exports / "manifest.json").read_text())["exports"]}
    assert listed["actions_parquet"]["rows"] == 3 and listed["actions_by_plan"]["partition_by"] == ["plan_code"]
    assert listed["actions_csv"]["format"] == "csv"


def test_a_failed_build_leaves_the_published_files(project: Path, capsys) -> None:
    assert run(project, "build", capsys=capsys).code == 0
    before = (project / "exports" / "actions" / "actions.parquet").read_bytes()
    write_seed(project, "actions", MORE + "U2,UNOSSC,planned\n")        # a duplicate key: the unique test fails
    assert run(project, "build", capsys=capsys).code == 1
    assert (project / "exports" / "actions" / "actions.parquet").read_bytes() == before
    assert rows(project, "select count(*) from actions_parquet") == [(3,)]


def test_a_reader_during_a_publish_reads_whole_files(project: Path, capsys) -> None:
    assert run(project, "build", capsys=capsys).code == 0
    exported = project / "exports" / "actions" / "actions.parquet"
    holder = duckdb.connect(str(project / "warehouse.duckdb"), read_only=True)   # a reader across the publish
    try:
        write_seed(project, "actions", MORE)
        build = start(project, "build", WAREHOUSE_PAUSE_AT="publish_exports")
        try:
            wait_paused(project, "publish_exports", build)
            # the new warehouse is in place with its own files; exports/ still holds the old, whole file
            # (another process: in this one, a new connection would reuse the holder's database instance)
            assert cli(project, "query", "--format", "csv", "select count(*) as n from actions_parquet").out.split() \
                == ["n", "4"]
            assert read(f"select count(*) from read_parquet('{exported}')") == [(3,)]
            assert holder.execute("select count(*) from actions_parquet").fetchall() == [(3,)]
            (project / ".warehouse" / "release").write_text("go")
            out, err = build.communicate(timeout=120)
            assert build.returncode == 0, out + err
        finally:
            if build.poll() is None:
                build.kill()
        # the reader that opened the old warehouse still reads that build's files, unchanged
        assert holder.execute("select count(*) from actions_parquet").fetchall() == [(3,)]
    finally:
        holder.close()
    assert read(f"select count(*) from read_parquet('{exported}')") == [(4,)]
    assert rows(project, "select count(*), count(*) filter (where status = 'completed') from actions_parquet") == [(4, 3)]
    assert rows(project, "select * from completion order by 1") == [("EB152/34", 2, 2), ("UNOSSC", 1, 2)]


def test_a_location_outside_the_export_folder_is_refused(project: Path, capsys) -> None:
    model = project / "models" / "actions_csv.sql"
    model.write_text(model.read_text().replace("format='csv',", "format='csv', location='../elsewhere.csv',"))
    outcome = run(project, "build", capsys=capsys)
    assert outcome.code == 2
    assert "location '../elsewhere.csv' must be a path inside the export folder" in outcome.text
