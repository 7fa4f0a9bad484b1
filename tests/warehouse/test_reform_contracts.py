"""The reform marts BI tools read enforce contracts: every column has a data_type, and a mart whose
query drifts from it fails the build before the mart runs, naming the column."""
from __future__ import annotations

from pathlib import Path

import yaml

from tests.conftest import ROOT, cli, copy_reform_project

MARTS = sorted(p.stem for p in (ROOT / "models" / "marts").glob("*.sql"))


def test_every_mart_documents_a_data_type_for_every_column() -> None:
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text())
    assert project["models"]["reform_warehouse"]["marts"]["+contract"] == {"enforced": True}
    documented = yaml.safe_load((ROOT / "models" / "marts" / "_marts__models.yml").read_text())["models"]
    by_name = {m["name"]: m for m in documented}
    assert sorted(by_name) == MARTS
    untyped = [f"{m}.{c['name']}" for m in MARTS for c in by_name[m]["columns"] if not c.get("data_type")]
    assert untyped == []


def test_a_mart_drifting_from_its_contract_fails_before_it_runs(tmp_path: Path) -> None:
    project = copy_reform_project(tmp_path / "reform")
    mart = project / "models" / "marts" / "mart_completion_rates.sql"
    mart.write_text(mart.read_text().replace("    completed,\n", "    cast(completed as double) as completed,\n", 1))
    outcome = cli(project, "build", "--no-checks")
    assert outcome.code == 2, outcome.text
    assert "the contract of mart_completion_rates is not met (1 mismatch(es)); the model was not built" in outcome.text
    assert "column 'completed' is DOUBLE in the query, the contract says BIGINT" in outcome.text
    assert not (project / "warehouse.duckdb").exists()
