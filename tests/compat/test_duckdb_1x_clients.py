"""DuckDB 1.x clients (the 1.5 CLI analysts run as `duckdb -readonly`, the 1.4 Python package in
notebooks) open the warehouse we publish. They live in .venv-compat/, set up explicitly by
`python3 run.py setup-compat-clients` (`.ci/run` does it): a test never installs them."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

COMPAT = ROOT / ".venv-compat" / "bin"
SET_UP = "run `python3 run.py setup-compat-clients` first (.ci/run does)"


def _client(name: str) -> Path:
    path = COMPAT / name
    if not path.exists():
        pytest.skip(f"no DuckDB 1.x client at {path}: {SET_UP}")
    return path


def test_duckdb_cli_1_5_reads_the_published_warehouse(reform_built: Path) -> None:
    cli = _client("duckdb")
    assert subprocess.run([cli, "--version"], capture_output=True, text=True).stdout.startswith("v1.5")
    done = subprocess.run([cli, "-readonly", "-csv", str(reform_built / "warehouse.duckdb"), "-c",
                           "select actions, completed from mart_completion_rates "
                           "where plan_code = 'EB152/34' and grain = 'plan'"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["actions,completed", "98,38"]


def test_duckdb_python_1_4_reads_marts_and_build_history(reform_built: Path) -> None:
    python = _client("python")
    script = ("import duckdb, sys\n"
              "con = duckdb.connect(sys.argv[1], read_only=True)\n"
              "print(duckdb.__version__)\n"
              "print(con.execute('select count(*) from mart_completion_rates').fetchone()[0])\n"
              "print(type(con.execute('select finished_at from _warehouse_runs').fetchone()[0]).__name__)\n")
    done = subprocess.run([python, "-c", script, str(reform_built / "warehouse.duckdb")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    version, rows, kind = done.stdout.split()
    assert version.startswith("1.4.") and rows == "17" and kind == "datetime"
