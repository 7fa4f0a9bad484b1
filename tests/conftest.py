"""Shared fixtures: copies of projects in temporary folders, and ways to run the real CLI.

Tests never build into the repository's own warehouse.duckdb: each builds a copy of a
project (the reform project or the small engine fixture) in its own temporary folder.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
REFORM_FILES = ("dbt_project.yml", "profiles.yml", "docs_site.yml", "models", "seeds", "snapshots", "macros", "data_checks",
                "tests/singular")
_IGNORE = shutil.ignore_patterns("target", "exports", ".warehouse", "*.duckdb", "*.duckdb.wal", "__pycache__",
                                "spark-warehouse")


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def copy_reform_project(destination: Path) -> Path:
    destination.mkdir(parents=True, exist_ok=True)
    for name in REFORM_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=_IGNORE)
        elif source.exists():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


def copy_fixture(name: str, destination: Path) -> Path:
    shutil.copytree(FIXTURES / name, destination, ignore=_IGNORE)
    return destination


def digest(path: Path) -> str:
    """sha256 of a file's bytes: "unchanged" means byte for byte."""
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def published_rows(project: Path, sql: str) -> list[tuple]:
    """Rows of a query on the project's published warehouse, opened read-only."""
    import duckdb

    with duckdb.connect(str(project / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def cli(project: Path, *args: str, env: dict | None = None, timeout: float = 300) -> Outcome:
    """Run the real CLI in a subprocess, as a scheduler would."""
    command = [sys.executable, "-m", "warehouse.cli", "--project-dir", str(project), "--log-format", "plain", *args]
    merged = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    done = subprocess.run(command, capture_output=True, text=True, env=merged, timeout=timeout, cwd=project)
    return Outcome(done.returncode, done.stdout, done.stderr)


def cli_inprocess(project: Path, *args: str, capsys: pytest.CaptureFixture | None = None) -> Outcome:
    """Run the CLI in this process (fast: no interpreter start-up); output via capsys when given."""
    from warehouse.cli.app import main

    code = main(["--project-dir", str(project), "--log-format", "plain", *args])
    if capsys is not None:
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)
    return Outcome(code, "", "")


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A fresh copy of the small engine example project."""
    return copy_fixture("mini", tmp_path / "mini")


@pytest.fixture(scope="session")
def reform_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reform project built and published once for the whole session (read-only for tests)."""
    project = copy_reform_project(tmp_path_factory.mktemp("reform"))
    outcome = cli(project, "build")
    assert outcome.code == 0, outcome.text
    return project


@pytest.fixture(scope="session")
def reform_db(reform_built: Path):
    """A read-only DuckDB connection to the published reform warehouse."""
    import duckdb

    con = duckdb.connect(str(reform_built / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def gx_runner():
    """One Great Expectations context for the whole session: importing GX costs ~2.6 s, so
    every test that validates through GX shares it (they carry the `gx` mark)."""
    from warehouse.check.gx_path import GxRunner

    return GxRunner()


def pytest_collection_modifyitems(config, items):
    """Tests that use GX (through the shared runner) are marked `gx`: `-m "not gx"` skips them."""
    for item in items:
        if "gx_runner" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gx)
