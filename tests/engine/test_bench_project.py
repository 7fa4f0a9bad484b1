"""The project bench/generate.py writes builds and publishes under the file limits model SQL runs
with: the fact file it reads directly is a declared external source (as dbt-duckdb declares one)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from tests.conftest import ROOT, cli_inprocess
from tests.dbt_resources._support import rows


def _generate_module():
    """bench/generate.py, loaded by path (bench/ is no package, and its run.py must not shadow ours)."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module          # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_a_generated_bench_project_builds_and_publishes(tmp_path: Path, capsys) -> None:
    project = tmp_path / "bench"
    bench = _generate_module()
    bench.generate(project, bench.Spec(models=20, rows=1_000))
    outcome = cli_inprocess(project, "build", capsys=capsys)
    assert outcome.code == 0, outcome.out + outcome.err
    assert rows(project, "select count(*) from main.stg_sales") == [(1_000,)]
    compiled = (project / "target" / "compiled" / "models" / "staging" / "stg_sales.sql").read_text()
    assert f"from '{project.resolve() / 'data' / 'fact_sales.parquet'}'" in compiled
