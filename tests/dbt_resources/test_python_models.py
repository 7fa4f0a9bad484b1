"""Python models (dbt-duckdb style): def model(dbt, session) between SQL models, dbt.ref returning
DuckDB relations, dbt.config, pandas / Arrow / relation results, in the graph, the static check
(opaque, columns from the result), exports, and no import of pandas on the start-up path."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.dbt_resources._support import dbt_project, rows, run


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return dbt_project("python_models", tmp_path / "python")


def test_a_python_model_between_sql_models(project: Path, capsys) -> None:
    outcome = run(project, "build", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert rows(project, "select line_id, amount_usd, is_open_ended from budget_lines_parsed order by line_id") == [
        (1, 12500.0, False), (2, 40000.0, True), (3, 300.0, False), (4, None, False)]
    assert rows(project, "select office, amount_usd, lines from mart_office_budget order by office") == [
        ("Geneva", 52500.0, 2), ("Nairobi", 300.0, 2)]
    manifest = json.loads((project / "target" / "manifest.json").read_text())["nodes"]
    assert manifest["model.python_models.budget_lines_parsed"]["depends_on"]["nodes"] == ["model.python_models.stg_budget_lines"]
    assert manifest["model.python_models.office_totals_relation"]["depends_on"]["nodes"] == ["model.python_models.budget_lines_parsed"]
    assert manifest["model.python_models.budget_lines_parsed"]["tags"] == ["python"]
    order = [r["unique_id"] for r in json.loads((project / "target" / "run_results.json").read_text())["results"]]
    assert order.index("model.python_models.stg_budget_lines") < order.index("model.python_models.budget_lines_parsed") \
        < order.index("model.python_models.office_totals_arrow") < order.index("model.python_models.mart_office_budget")
    exported = json.loads((project / "exports" / "manifest.json").read_text())["exports"]
    assert [e["model"] for e in exported] == ["budget_lines_parsed"] and exported[0]["rows"] == 4


def test_dbt_config_get_reads_the_models_config(project: Path, capsys) -> None:
    path = project / "models" / "_models.yml"
    path.write_text(path.read_text().replace("      export: true\n", "      export: true\n      meta: {}\n"))
    source = project / "models" / "budget_lines_parsed.py"
    source.write_text(source.read_text().replace('dbt.config(materialized="table", tags=["python"])',
                                                 'dbt.config(materialized="table", tags=["python"], minimum_amount=1000)'))
    assert run(project, "build", capsys=capsys).code == 0
    assert rows(project, "select line_id from budget_lines_parsed order by line_id") == [(1,), (2,)]


def test_an_error_in_a_python_model_names_its_file_and_line(project: Path, capsys) -> None:
    source = project / "models" / "budget_lines_parsed.py"
    source.write_text(source.read_text().replace("    return lines[", "    1 / 0\n    return lines["))
    outcome = run(project, "build", capsys=capsys)
    assert outcome.code == 2
    assert "models/budget_lines_parsed.py:16 [budget_lines_parsed]: ZeroDivisionError in the Python model" in outcome.text
    assert not (project / "warehouse.duckdb").exists()


def test_the_static_check_treats_python_models_as_opaque(project: Path, capsys) -> None:
    assert run(project, "build", capsys=capsys).code == 0
    mart = project / "models" / "mart_office_budget.sql"
    mart.write_text(mart.read_text().replace("r.lines", "r.line_count"))
    outcome = run(project, "compile", capsys=capsys)
    assert outcome.code == 2
    assert "models/mart_office_budget.sql:5:7: static check (unknown_column): column 'line_count' is not in 'r'" in outcome.text


def test_parsing_python_models_imports_neither_pandas_nor_the_model(project: Path) -> None:
    code = ("import sys; from warehouse.cli.app import main; "
            f"main(['--project-dir', {str(project)!r}, '-q', 'ls']); "
            "print('pandas' in sys.modules, 'polars' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT), "PATH": ""}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "budget_lines_parsed" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "False False"
