"""profiles.yml `settings:` reach every connection a build opens: `memory_limit` bounds what
DuckDB holds in memory (it spills to disk beyond), so a build's peak memory is a setting, not
a property of the data. A setting DuckDB does not know is an error naming profiles.yml."""
from __future__ import annotations

from pathlib import Path

import duckdb

from tests.conftest import cli


def _project(root: Path, settings: str) -> Path:
    (root / "models").mkdir(parents=True)
    (root / "dbt_project.yml").write_text("name: settings_probe\nprofile: settings_probe\n")
    (root / "profiles.yml").write_text(
        "settings_probe:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: warehouse.duckdb\n"
        f"      settings:\n{settings}")
    (root / "models" / "probe.sql").write_text(
        "{{ config(materialized='table') }}\nselect current_setting('memory_limit') as memory_limit,\n"
        "       (select sum(range) from range(3000000)) as total\n")
    return root


def test_memory_limit_applies_to_the_build(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", "        memory_limit: 64MB\n")
    outcome = cli(project, "build")
    assert outcome.code == 0, outcome.text
    with duckdb.connect(str(project / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select memory_limit, total from probe").fetchall() == [("61.0 MiB", 4499998500000)]


def test_unknown_setting_is_an_error_naming_profiles_yml(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", "        memory_limt: 64MB\n")
    outcome = cli(project, "build")
    assert outcome.code == 2, outcome.text
    assert "profiles.yml" in outcome.text and "memory_limt" in outcome.text
    assert not (project / "warehouse.duckdb").exists()
