"""dbt settings we accept but do not act on as dbt does: `threads`, `database` (profile and model
config) are listed once as ignored, with file and line; seed `quote_columns` is implemented
(column names always as the header spells them, which on DuckDB is what either value gives)."""
from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import cli_inprocess, published_rows

NOTE = "nodes run one at a time; DuckDB uses every core within each"


def _project(root: Path, profile: str | None = None, model_config: str = "", quote: str = "true") -> Path:
    (root / "models").mkdir(parents=True)
    (root / "seeds").mkdir()
    (root / "dbt_project.yml").write_text("name: probe\n" + ("profile: probe\n" if profile else "") +
                                          f"seeds:\n  probe:\n    +quote_columns: {quote}\n")
    if profile:
        (root / "profiles.yml").write_text(profile)
    (root / "seeds" / "people.csv").write_text("Person ID,FullName,select\n1,Ana,x\n2,Bo,y\n")
    (root / "models" / "people_named.sql").write_text(
        model_config + 'select "Person ID" as person_id, FullName as full_name from {{ ref(\'people\') }}\n')
    return root


def _profile(extra: str) -> str:
    return ("probe:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: probe.duckdb\n"
            f"      schema: main\n{extra}")


def _ignored_lines(text: str, project: Path | None = None) -> list[str]:
    """The "not supported, ignored" lines, with the project folder left out of their paths."""
    lines = [line for line in text.splitlines() if "is not supported, ignored" in line]
    return [line.replace(f"{project}/", "") for line in lines] if project else lines


def test_threads_from_the_command_line_are_listed_once_and_nodes_run_serially(tmp_path: Path, capsys) -> None:
    project = _project(tmp_path / "p")
    outcome = cli_inprocess(project, "build", "--no-checks", "--threads", "4", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert _ignored_lines(outcome.text) == [f"--threads: `threads: 4` ({NOTE}) is not supported, ignored"]
    assert "ignored 1 unsupported dbt feature(s): threads: 4" in outcome.text
    results = json.loads((project / "target/run_results.json").read_text())
    assert results["args"]["threads"] == 4
    assert {r["thread_id"] for r in results["results"]} == {"Thread-1"}


def test_threads_in_the_profile_are_listed_with_their_line(tmp_path: Path, capsys) -> None:
    project = _project(tmp_path / "p", _profile("      threads: 8\n"))
    outcome = cli_inprocess(project, "build", "--no-checks", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert _ignored_lines(outcome.text, project) == [f"profiles.yml:8: `threads: 8` ({NOTE}) is not supported, ignored"]
    # --threads 1 overrides the profile: nothing to list
    again = cli_inprocess(project, "build", "--no-checks", "--threads", "1", capsys=capsys)
    assert again.code == 0 and _ignored_lines(again.text) == []


def test_a_profile_database_other_than_the_files_name_is_listed(tmp_path: Path, capsys) -> None:
    project = _project(tmp_path / "p", _profile("      database: analytics\n"))
    outcome = cli_inprocess(project, "build", "--no-checks", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert _ignored_lines(outcome.text, project) == [
        "profiles.yml:8: profiles.yml `database: analytics` (the warehouse's catalog is named after its file: "
        "probe) is not supported, ignored"]
    node = json.loads((project / "target/manifest.json").read_text())["nodes"]["model.probe.people_named"]
    assert node["database"] == "probe" and node["relation_name"] == '"probe"."main"."people_named"'


def test_a_model_database_config_is_listed_where_it_is_written(tmp_path: Path, capsys) -> None:
    project = _project(tmp_path / "p", model_config="{{ config(database='elsewhere') }}\n")
    outcome = cli_inprocess(project, "build", "--no-checks", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert _ignored_lines(outcome.text) == [
        "models/people_named.sql [people_named]: config `database` of model people_named is not supported, ignored"]
    # built in the warehouse file, and the artifacts say so
    assert published_rows(project, "select count(*) from main.people_named") == [(2,)]
    node = json.loads((project / "target/manifest.json").read_text())["nodes"]["model.probe.people_named"]
    assert node["database"] == "warehouse"


def test_seed_quote_columns_keeps_the_headers_spelling_either_way(tmp_path: Path, capsys) -> None:
    for quote in ("true", "false"):
        project = _project(tmp_path / quote, quote=quote)
        outcome = cli_inprocess(project, "build", "--no-checks", capsys=capsys)
        assert outcome.code == 0, outcome.text
        assert _ignored_lines(outcome.text) == []
        columns = published_rows(project, "select column_name from duckdb_columns() where table_name = 'people' "
                                          "order by column_index")
        assert columns == [("Person ID",), ("FullName",), ("select",)]
