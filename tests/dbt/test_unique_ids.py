"""unique_ids are dbt's (`<resource_type>.<package>.<name>...`), so tools that read dbt's artifacts
(Elementary, dbt-artifacts, orchestrator integrations) find the nodes they look for."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, cli_inprocess, copy_fixture
from warehouse.project.loader import load_project

FIXTURE_PROJECTS = ("mini", "dbt/external_sources", "dbt/snapshots_three_builds", "dbt/unit_tests_basic",
                    "dbt/versions_contracts")


def _expected(node) -> str:
    """dbt's documented shape for the node's resource type (a generic test's hash is checked apart)."""
    package = node.package_name
    if node.resource_type == "source":
        return f"source.{package}.{node.source_name}.{node.name}"
    if node.resource_type == "unit_test":
        model = node.test_metadata["model"].split(".")[2]
        return f"unit_test.{package}.{model}.{node.name}"
    if node.resource_type == "model" and node.config.get("__version"):
        version = node.config["__version"]
        return f"model.{package}.{version['model']}.v{version['v']}"
    return f"{node.resource_type}.{package}.{node.name}"


def _check(project) -> set[str]:
    seen = set()
    for uid, node in project.nodes.items():
        assert node.package_name, uid
        if node.resource_type == "test" and (node.test_metadata or {}).get("kind") == "generic":
            assert re.fullmatch(rf"test\.{node.package_name}\.{re.escape(node.name)}\.[0-9a-f]{{10}}", uid), uid
        else:
            assert uid == _expected(node), uid
        seen.add(node.resource_type)
    return seen


@pytest.mark.parametrize("fixture", FIXTURE_PROJECTS)
def test_every_node_has_dbts_unique_id(fixture: str, tmp_path: Path) -> None:
    project_dir = copy_fixture(fixture, tmp_path / "p")
    project = load_project(project_dir)
    kinds = _check(project)
    assert kinds >= {"model"}
    # the same project gives the same ids (a generic test's hash is not random)
    assert sorted(load_project(project_dir).nodes) == sorted(project.nodes)


def test_all_resource_types_are_covered() -> None:
    kinds = set()
    for fixture in FIXTURE_PROJECTS:
        kinds |= {n.resource_type for n in load_project(FIXTURES / fixture).nodes.values()}
    assert kinds >= {"model", "seed", "source", "test", "snapshot", "unit_test"}


def test_package_nodes_carry_their_package(tmp_path: Path, capsys) -> None:
    shutil.copytree(FIXTURES / "dbt" / "packages", tmp_path / "packages")
    root = tmp_path / "packages" / "project"
    assert cli_inprocess(root, "deps", capsys=capsys).code == 0
    project = load_project(root)
    _check(project)
    assert {"model.shared_utils.util_months", "seed.shared_utils.util_currencies",
            "model.pkgdemo.orders_in_cents", "seed.pkgdemo.orders"} <= set(project.nodes)


def test_artifacts_and_logs_use_the_ids(tmp_path: Path, capsys) -> None:
    project = copy_fixture("mini", tmp_path / "mini")
    outcome = cli_inprocess(project, "build", "--no-checks", capsys=capsys)
    assert outcome.code == 0, outcome.text
    manifest = json.loads((project / "target/manifest.json").read_text())
    results = json.loads((project / "target/run_results.json").read_text())
    ids = set(manifest["nodes"])
    assert ids and all(uid.split(".")[1] == "mini" for uid in ids)
    assert {r["unique_id"] for r in results["results"]} <= ids
    generic = [uid for uid in ids if uid.startswith("test.mini.unique_")]
    assert generic and all(re.fullmatch(r"test\.mini\.\w+\.[0-9a-f]{10}", uid) for uid in generic)
    # Elementary's test id: the name, then the last part of unique_id (the hash)
    changes = {c["unique_id"] for c in results.get("changes", [])}
    assert changes <= ids
