"""Model SQL runs with the least access it needs: it reads the seed and landing folders and writes
nothing but the staging database. A model that tries more fails, and nothing is published."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import cli
from tests.nightly._support import published_rows, snapshot


def _model(project: Path, name: str, sql: str) -> None:
    (project / "models" / "marts" / f"{name}.sql").write_text(
        "{{ config(materialized='table', static_check=false) }}\n" + sql + "\n")


def test_model_cannot_attach_and_change_the_published_warehouse(published: Path) -> None:
    before = snapshot(published)
    _model(published, "fct_sneaky", f"select 1 as x;\nattach '{published / 'warehouse.duckdb'}' as pub;\n"
                                    "create table pub.main.planted as select 42 as answer")
    outcome = cli(published, "build")
    assert outcome.code == 2, outcome.text
    assert "fct_sneaky" in outcome.text and "disabled by configuration" in outcome.text
    assert snapshot(published) == before
    tables = published_rows(published, "select table_name from information_schema.tables")
    assert ("planted",) not in tables


def test_model_cannot_copy_to_a_file(published: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.csv"
    before = snapshot(published)
    _model(published, "fct_copier", f"select 1 as x;\ncopy (select 1 as y) to '{outside}' (format csv)")
    outcome = cli(published, "build")
    assert outcome.code == 2, outcome.text
    assert not outside.exists()
    assert snapshot(published) == before


@pytest.mark.parametrize("call", ["read_text('/etc/hostname')", "read_csv('/etc/passwd')"])
def test_model_cannot_read_files_outside_the_project_inputs(published: Path, call: str) -> None:
    before = snapshot(published)
    _model(published, "fct_reader", f"select * from {call}")
    outcome = cli(published, "build")
    assert outcome.code == 2, outcome.text
    assert "fct_reader" in outcome.text and "disabled by configuration" in outcome.text
    assert snapshot(published) == before


def test_model_may_read_the_seed_folder(published: Path) -> None:
    _model(published, "fct_from_file", f"select count(*) as n from read_csv('{published / 'seeds' / 'customers.csv'}')")
    outcome = cli(published, "build")
    assert outcome.code == 0, outcome.text
    assert published_rows(published, "select n from fct_from_file")[0][0] > 0


def test_hooks_after_the_change_gate_cannot_reach_the_published_warehouse(published: Path) -> None:
    """The change gate attaches the published file on a connection of its own (DuckDB keeps a
    file attached before the limits reachable, read-write after a DETACH); on-run-end hooks run
    after it on a reopened connection, where the published file is out of reach again."""
    before = snapshot(published)
    target = published / "warehouse.duckdb"
    project_file = published / "dbt_project.yml"
    project_file.write_text(project_file.read_text() + (
        f"on-run-end:\n  - \"attach '{target}' as pub\"\n"
        "  - \"create table pub.main.planted as select 42 as answer\"\n"))
    outcome = cli(published, "build")
    assert outcome.code != 0, outcome.text
    assert "disabled by configuration" in outcome.text and "Nothing was published" in outcome.text
    assert snapshot(published) == before
    assert ("planted",) not in published_rows(published, "select table_name from information_schema.tables")


def test_model_cannot_alter_what_the_change_gate_compares_against(published: Path) -> None:
    """Builds used to give the change gate a copy of the published file in the staging folder,
    which model SQL could attach read-write (and so hide a change from the gate, or break it)."""
    before = snapshot(published)
    copy = published / ".warehouse" / "staging" / "published-copy" / "warehouse.duckdb"
    _model(published, "fct_tamper", f"select 1 as x;\nattach '{copy}' as pc;\n"
                                    "create table pc.main.planted as select 1 as y")
    outcome = cli(published, "build")
    assert outcome.code == 2, outcome.text
    assert "fct_tamper" in outcome.text and "disabled by configuration" in outcome.text
    assert snapshot(published) == before
