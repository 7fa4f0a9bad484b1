"""Every way out of a build: its exit code (decided at the CLI edge) and target/run_results.json.

A scheduler reads both. After a raised error or Ctrl-C the file must say "error" (never the
previous build's "success"), with the message and its location; node results keep file, line
and column as fields. `selftest` maps pytest's exit codes so they cannot read as ours.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, cli, cli_inprocess
from tests.nightly._support import snapshot, start, wait_paused


def run_results(project: Path) -> dict:
    return json.loads((project / "target" / "run_results.json").read_text())


def test_ctrl_c_exits_130_records_the_error_and_publishes_nothing(published: Path) -> None:
    before = snapshot(published)
    assert run_results(published)["status"] == "success"
    process = start(published, "build", "--no-checks", WAREHOUSE_PAUSE_AT="run")
    wait_paused(published, "run", process)
    os.kill(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, out + err
    assert "interrupted: nothing was published" in err
    recorded = run_results(published)
    assert recorded["status"] == "error" and recorded["error"]["type"] == "KeyboardInterrupt"
    assert [r["resource_type"] for r in recorded["results"]] == ["seed", "seed"]    # the load stage ran
    assert snapshot(published) == before


def test_an_internal_error_exits_4_and_records_it(published: Path, capsys, monkeypatch) -> None:
    from warehouse.pipeline import run

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in a stage")

    monkeypatch.setattr(run, "run_nodes", broken)
    before = snapshot(published)
    outcome = cli_inprocess(published, "build", "--no-checks", capsys=capsys)
    assert outcome.code == 4
    assert "internal error" in outcome.err and "RuntimeError: a bug in a stage" in outcome.err
    recorded = run_results(published)
    assert recorded["status"] == "error"
    assert recorded["error"]["message"] == "internal error: RuntimeError: a bug in a stage"
    assert snapshot(published) == before


def test_an_invalid_project_exits_2_and_records_where(published: Path, capsys) -> None:
    config = published / "dbt_project.yml"
    config.write_text(config.read_text() + "modles:\n  +materialized: view\n")
    outcome = cli_inprocess(published, "build", capsys=capsys)
    assert outcome.code == 2, outcome.text
    recorded = run_results(published)
    assert recorded["status"] == "error" and recorded["error"]["type"] == "ProjectError"
    location = recorded["error"]["location"]
    assert location["file"].endswith("dbt_project.yml") and location["line"] == 21, location


def test_a_failed_model_keeps_its_location_in_run_results(published: Path, capsys) -> None:
    model = published / "models" / "marts" / "fct_broken.sql"
    model.write_text("select 1 as one,\n  no_such_function(2) as two\n")
    outcome = cli_inprocess(published, "build", "--no-checks", "--no-static-check", capsys=capsys)
    assert outcome.code == 2, outcome.text
    (broken,) = [r for r in run_results(published)["results"] if r["name"] == "fct_broken"]
    assert broken["status"] == "error" and "no_such_function" in broken["message"]
    assert broken["location"] == {"file": "models/marts/fct_broken.sql", "line": None, "column": None,
                                  "node": "fct_broken"}


def test_a_lock_held_exit_code_is_3_not_pytests_internal_error() -> None:
    from warehouse.cli.app import PYTEST_EXIT, pytest_exit_code
    from warehouse.core.vocab import ExitCode

    assert {code: int(pytest_exit_code(code)) for code in range(6)} == {0: 0, 1: 1, 2: 130, 3: 4, 4: 2, 5: 2}
    assert pytest_exit_code(99) == ExitCode.INTERNAL
    assert ExitCode.LOCKED not in PYTEST_EXIT.values()


def test_selftest_maps_a_pytest_usage_error_to_bad_input(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "run.py"), "selftest", str(tmp_path / "no_such_tests"), "-q"],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "WAREHOUSE_NO_VENV": "1", "PYTHONPATH": str(ROOT)})
    assert done.returncode == 2, done.stdout + done.stderr       # pytest said 4: "usage error"
    assert "no_such_tests" in done.stdout + done.stderr


def test_stale_data_fails_freshness_with_the_gate_code(published: Path) -> None:
    seeds = published / "seeds" / "_seeds.yml"
    text = seeds.read_text()
    assert "orders" in text
    seeds.write_text(text.replace("  - name: orders\n    config:\n", "  - name: orders\n    config:\n"
                                  "      freshness: {error_after: {count: 1, period: minute}}\n", 1))
    os.utime(published / "seeds" / "orders.csv", (0, 0))
    outcome = cli(published, "freshness")
    assert outcome.code == 1, outcome.text
