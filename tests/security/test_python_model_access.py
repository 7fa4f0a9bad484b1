"""A project with Python models keeps the file limits for every SQL model: the session a Python
model gets is the build's restricted connection, and what model() returns reaches DuckDB by
explicit registration (no replacement scan, which DuckDB turns off with external access)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.dbt_resources._support import dbt_project, rows, run
from tests.nightly._support import snapshot


@pytest.fixture
def project(tmp_path: Path, capsys) -> Path:
    """The Python-models fixture, built and published once."""
    folder = dbt_project("python_models", tmp_path / "python")
    outcome = run(folder, "build", capsys=capsys)
    assert outcome.code == 0, outcome.text
    return folder


def _sql_model(project: Path, name: str, sql: str) -> None:
    (project / "models" / f"{name}.sql").write_text(
        "{{ config(materialized='table', static_check=false) }}\n" + sql + "\n")


def _python_model(project: Path, name: str, body: str) -> None:
    (project / "models" / f"{name}.py").write_text("def model(dbt, session):\n" + body)


def _refused(project: Path, capsys, named: str) -> str:
    """Build; the build fails naming `named` and DuckDB's permission error, nothing is published."""
    before = snapshot(project)
    outcome = run(project, "build", capsys=capsys)
    assert outcome.code == 2, outcome.text
    assert named in outcome.text and "disabled by configuration" in outcome.text
    assert snapshot(project) == before
    return outcome.text


def test_sql_model_beside_python_models_cannot_read_a_file(project: Path, capsys) -> None:
    _sql_model(project, "fct_reader", "select * from read_text('/etc/passwd')")
    text = _refused(project, capsys, "fct_reader")
    assert "SUCCESS  model budget_lines_parsed" in text     # the Python models still ran in this build


def test_sql_model_beside_python_models_cannot_copy_to_a_file(project: Path, tmp_path: Path, capsys) -> None:
    outside = tmp_path / "outside.csv"
    _sql_model(project, "fct_copier", f"select 1 as x;\ncopy (select 1 as y) to '{outside}' (format csv)")
    _refused(project, capsys, "fct_copier")
    assert not outside.exists()


def test_python_models_build_with_the_limits_on(project: Path, capsys) -> None:
    """The fixture's relation model reads a local variable by name (a replacement scan in
    dbt-duckdb): it still works, and the rows are the fixture's."""
    outcome = run(project, "build", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert rows(project, "select office, lines from office_totals_relation order by office") == [
        ("Geneva", 2), ("Nairobi", 2)]
    assert rows(project, "select line_id, amount_usd from budget_lines_parsed order by line_id") == [
        (1, 12500.0), (2, 40000.0), (3, 300.0), (4, None)]
    assert rows(project, "select office, amount_usd, lines from mart_office_budget order by office") == [
        ("Geneva", 52500.0, 2), ("Nairobi", 300.0, 2)]


def test_python_model_reads_its_own_dataframes_and_arrow_tables_by_name(project: Path, capsys) -> None:
    _python_model(project, "py_by_name", (
        "    import pyarrow as pa\n"
        "    frame = dbt.ref('budget_lines_parsed').df()\n"
        "    extra = pa.table({'office': ['Geneva'], 'note': ['HQ']})\n"
        "    return session.sql('select f.office, count(*) as n, any_value(e.note) as note from frame as f '\n"
        "                       'left join extra as e using (office) group by f.office order by f.office')\n"))
    outcome = run(project, "build", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert rows(project, "select office, n, note from py_by_name order by office") == [
        ("Geneva", 2, "HQ"), ("Nairobi", 2, None)]


def test_the_session_of_a_python_model_has_the_same_limits(project: Path, capsys) -> None:
    _python_model(project, "py_reader", "    return session.sql(\"select * from read_text('/etc/passwd')\")\n")
    _refused(project, capsys, "models/py_reader.py:2")


def test_an_unknown_name_in_a_python_models_sql_is_still_an_error(project: Path, capsys) -> None:
    _python_model(project, "py_unknown", "    return session.sql('select * from no_such_frame')\n")
    outcome = run(project, "build", capsys=capsys)
    assert outcome.code == 2, outcome.text
    assert "py_unknown.py:2" in outcome.text and "no_such_frame" in outcome.text
