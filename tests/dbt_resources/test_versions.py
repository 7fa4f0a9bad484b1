"""Model versions: one relation per version (m_v1, m_v2), the latest also as a view m, pinned
and unpinned refs, per-version columns (include/exclude), selection by the model's name."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.dbt_resources._support import dbt_project, rows, run


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return dbt_project("versions_contracts", tmp_path / "versions")


def test_two_versions_side_by_side_and_the_latest_under_the_plain_name(project: Path, capsys) -> None:
    outcome = run(project, "build", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert rows(project, "select * from customer_summary_v1 order by customer") == [("Ada", 2), ("Grace", 1)]
    assert [r[:2] + (float(r[2]) if r[2] is not None else None,) for r in
            rows(project, "select * from customer_summary_v2 order by customer")] == [("Ada", 2, 19.75), ("Grace", 1, None)]
    assert rows(project, "select table_type from information_schema.tables where table_name = 'customer_summary'") \
        == [("VIEW",)]
    assert rows(project, "select * from customer_summary order by customer") == \
        rows(project, "select * from customer_summary_v2 order by customer")
    assert [(r[0], r[1], float(r[2]) if r[2] is not None else None) for r in
            rows(project, "select * from customer_report order by customer")] == [("Ada", 2, 19.75), ("Grace", 1, None)]
    manifest = json.loads((project / "target" / "manifest.json").read_text())["nodes"]
    assert manifest["model.versions_contracts.customer_summary.v1"]["relation"] == "main.customer_summary_v1"
    assert sorted(manifest["model.versions_contracts.customer_summary.v1"]["columns"]) == ["customer", "orders"]
    assert sorted(manifest["model.versions_contracts.customer_summary.v2"]["columns"]) == ["amount_paid", "customer", "orders"]
    assert set(manifest["model.versions_contracts.customer_report"]["depends_on"]["nodes"]) >= {"model.versions_contracts.customer_summary.v1", "model.versions_contracts.customer_summary.v2"}


def test_selecting_the_model_name_selects_every_version(project: Path, capsys) -> None:
    outcome = run(project, "ls", "--select", "customer_summary", "--resource-type", "model", capsys=capsys)
    assert outcome.out.split() == ["customer_summary_v1", "customer_summary_v2"]


def test_a_missing_version_file_and_a_wrong_pin_are_named(project: Path, capsys) -> None:
    (project / "models" / "customer_report.sql").write_text("select * from {{ ref('customer_summary', v=3) }}\n")
    outcome = run(project, "build", capsys=capsys)
    assert outcome.code == 2 and "ref('customer_summary', v=3) names no version of a model" in outcome.text
    (project / "models" / "customer_summary_v1.sql").rename(project / "models" / "customer_summary_1.sql")
    outcome = run(project, "build", capsys=capsys)
    assert outcome.code == 2
    assert "version 1 of model 'customer_summary' needs the file customer_summary_v1.sql" in outcome.text
    assert "did you mean 'customer_summary_1'?" in outcome.text
