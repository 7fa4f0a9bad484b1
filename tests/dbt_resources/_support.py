"""Helpers for the dbt resource-type fixtures under tests/fixtures/dbt/.

The fixtures are dbt projects (dbt_project.yml + profiles.yml). Until the loader reads those
files itself, `dbt_project` also writes the equivalent warehouse.yml beside them (same paths,
configs and database), so the same fixture drives both loaders.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import yaml

from tests.conftest import FIXTURES, Outcome, cli_inprocess

_IGNORE = shutil.ignore_patterns("target", "exports", ".warehouse", "*.duckdb", "*.duckdb.wal", "__pycache__")
_PATH_KEYS = ("model-paths", "seed-paths", "macro-paths", "test-paths", "snapshot-paths")


def dbt_project(name: str, destination: Path) -> Path:
    """A fresh copy of tests/fixtures/dbt/<name>, ready to build."""
    shutil.copytree(FIXTURES / "dbt" / name, destination, ignore=_IGNORE)
    if not (destination / "warehouse.yml").exists():
        (destination / "warehouse.yml").write_text(yaml.safe_dump(_translate(destination)), encoding="utf-8")
    return destination


def _translate(root: Path) -> dict:
    project = yaml.safe_load((root / "dbt_project.yml").read_text(encoding="utf-8"))
    profile = yaml.safe_load((root / "profiles.yml").read_text(encoding="utf-8"))[project["profile"]]
    output = profile["outputs"][profile["target"]]
    config = {"name": project["name"], "database": output["path"]}
    config.update({k: project[k] for k in _PATH_KEYS if k in project})
    for kind in ("models", "seeds", "snapshots"):
        tree = (project.get(kind) or {}).get(project["name"])
        if tree:
            config[kind] = tree
    if project.get("vars"):
        config["vars"] = project["vars"]
    return config


def run(project: Path, *args: str, capsys=None) -> Outcome:
    return cli_inprocess(project, *args, capsys=capsys)


def rows(project: Path, sql: str, database: str = "warehouse.duckdb") -> list[tuple]:
    with duckdb.connect(str(project / database), read_only=True) as con:
        return con.execute(sql).fetchall()


def write_seed(project: Path, name: str, text: str) -> None:
    (project / "seeds" / f"{name}.csv").write_text(text.lstrip(), encoding="utf-8")
