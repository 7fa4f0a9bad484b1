"""dbt's commands as a dbt user types them: run-operation, clean, debug, ls with dbt's selectors."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import cli_inprocess
from tests.dbt.conftest import rows


def test_run_operation_runs_a_macro_on_the_development_database(basics: Path, capsys) -> None:
    (basics / "macros/ops.sql").write_text(
        "{% macro make_note(text) %}\n"
        "{% do run_query(\"create or replace table main.notes as select '\" ~ text ~ \"' as note\") %}\n"
        "{{ return('noted ' ~ text) }}\n{% endmacro %}\n")
    outcome = cli_inprocess(basics, "run-operation", "make_note", "--args", "{text: hello}", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert "noted hello" in outcome.text
    assert rows(basics / ".warehouse/dev/basics.duckdb", "select note from main.notes") == [("hello",)]
    assert not (basics / "basics.duckdb").exists()                # never the published warehouse
    missing = cli_inprocess(basics, "run-operation", "no_such_macro", capsys=capsys)
    assert missing.code == 2 and "no macro named 'no_such_macro'" in missing.text


def test_clean_removes_clean_targets_but_never_published_data(basics: Path, capsys) -> None:
    assert cli_inprocess(basics, "build", capsys=capsys).code == 0
    (basics / "dbt_packages").mkdir()
    text = (basics / "dbt_project.yml").read_text()
    (basics / "dbt_project.yml").write_text(text.replace('clean-targets: ["target", "dbt_packages"]',
                                                         'clean-targets: ["target", "dbt_packages", "exports", "."]'))
    outcome = cli_inprocess(basics, "clean", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert not (basics / "target").exists() and not (basics / "dbt_packages").exists()
    assert (basics / "basics.duckdb").exists() and (basics / "exports").exists()
    assert "not removing" in outcome.text
