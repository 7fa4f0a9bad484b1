"""The change report on the reform warehouse: one seed cell edited, every model it reaches reported."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from tests.conftest import cli

ACTIONS = "seeds/eb152_34/eb152_actions.csv"


def test_editing_one_seed_row_reports_each_model_it_changes(reform_built: Path, reform_db, tmp_path: Path) -> None:
    actions = reform_db.execute("select count(*) from fct_reform_actions").fetchone()[0]
    project = Path(shutil.copytree(reform_built, tmp_path / "reform", symlinks=True))
    path = project / ACTIONS
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    row = next(r for r in rows if r[header.index("action_id")] == "EB152-A1-010")
    assert row[header.index("budget_status_raw")] == "尚未编列预算"         # not budgeted, as printed
    row[header.index("budget_status_raw")] = "已编入预算"                   # budgeted
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)

    outcome = cli(project, "build", "--no-checks")
    assert outcome.code == 0, outcome.text
    lines = [line for line in outcome.out.splitlines() if ": 1 changed" in line]
    assert lines == [
        "eb152_actions: 1 changed (budget_status_raw)",
        "stg_eb152__actions: 1 changed (budget_status, budget_status_raw)",
        "int_reform_actions__unioned: 1 changed (budget_status, budget_status_raw)",
        "fct_reform_actions: 1 changed (budget_status, budget_status_raw)",
    ]
    report = {c["name"]: c for c in json.loads((project / "target/run_results.json").read_text())["changes"]}
    changed = sorted(c["name"] for c in report.values() if c["status"] == "changed")
    assert changed == ["eb152_actions", "fct_reform_actions", "int_reform_actions__unioned",
                       "mart_action_status_history", "stg_eb152__actions"]
    # the status history (from the snapshot) gains the edited action's new version
    assert report["mart_action_status_history"]["rows"]["added"] == 1
    fact = report["fct_reform_actions"]
    assert (fact["rows_before"], fact["rows_after"], fact["key_source"]) == (actions, actions, "unique test")
    assert fact["rows"]["examples"]["changed"] == [{
        "key": {"action_key": "EB152-A1-010"},
        "changes": {"budget_status_raw": ["尚未编列预算", "已编入预算"], "budget_status": ["not_budgeted", "budgeted"]}}]
    assert report["mart_completion_rates"]["status"] == "unchanged"


def test_a_second_build_on_unchanged_data_reports_no_change(reform_built: Path, tmp_path: Path) -> None:
    """The status-history mart once reported its 140 rows as changed on every such build: it
    compared versions with the build's own start time, so a flag flipped. It now depends on the
    snapshot alone."""
    project = Path(shutil.copytree(reform_built, tmp_path / "reform", symlinks=True))
    outcome = cli(project, "build", "--no-checks")
    assert outcome.code == 0, outcome.text
    changes = json.loads((project / "target/run_results.json").read_text())["changes"]
    assert len(changes) >= 75 and "mart_action_status_history" in {c["name"] for c in changes}
    assert {c["name"]: c["status"] for c in changes if c["status"] != "unchanged"} == {}
    assert [line for line in outcome.out.splitlines() if " changed" in line or ": new" in line] == []
