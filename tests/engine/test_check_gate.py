"""The check gate inside a build: a failing critical expectation blocks publishing, a warning does not."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, cli_inprocess, digest


def suite(mini: Path, severity: str, max_orders: int, path: str = "orders_suite.json") -> None:
    (mini / "data_checks").mkdir(exist_ok=True)        # git keeps no empty folder
    (mini / "data_checks" / path).write_text(json.dumps({
        "name": "customer_totals",
        "meta": {"model": "fct_customer_totals"},
        "expectations": [
            {"type": "expect_table_row_count_to_equal", "kwargs": {"value": 3}},
            {"type": "expect_column_values_to_be_between",
             "kwargs": {"column": "paid_orders", "min_value": 0, "max_value": max_orders}, "severity": severity},
        ],
    }))


@pytest.mark.parametrize("check_path", ["sql", "gx"])
def test_failing_critical_expectation_blocks_publishing(mini: Path, capsys, check_path: str) -> None:
    suite(mini, "critical", 5)
    assert cli_inprocess(mini, "build", "--check-path", check_path, capsys=capsys).code == 0
    before = digest(mini / "warehouse.duckdb")
    suite(mini, "critical", 1)                       # customer 1 has 2 paid orders
    outcome = cli_inprocess(mini, "build", "--check-path", check_path, capsys=capsys)
    assert outcome.code == 1, outcome.text
    assert "expect_column_values_to_be_between(paid_orders)" in outcome.text
    assert "1 of 3 rows unexpected" in outcome.text
    assert digest(mini / "warehouse.duckdb") == before
    results = json.loads((mini / "target" / "check_results.json").read_text())
    assert results


def test_failing_warning_is_reported_stored_and_published(mini: Path, capsys) -> None:
    suite(mini, "warning", 1)
    outcome = cli_inprocess(mini, "build", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert "WARN" in outcome.out
    with duckdb.connect(str(mini / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute("select expectation_type, severity, success, unexpected_count from _warehouse_checks "
                           "order by expectation_index").fetchall()
    assert rows == [("expect_table_row_count_to_equal", "critical", True, None),
                    ("expect_column_values_to_be_between", "warning", False, 1)]


def test_unknown_column_in_suite_fails_before_anything_runs(mini: Path, capsys) -> None:
    (mini / "data_checks").mkdir(exist_ok=True)
    (mini / "data_checks" / "bad.json").write_text(json.dumps({
        "name": "bad", "meta": {"model": "fct_customer_totals"},
        "expectations": [{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "paid_cent"}}]}))
    outcome = cli_inprocess(mini, "build", capsys=capsys)
    assert outcome.code == 2
    assert "bad.json" in outcome.err and "paid_cent" in outcome.err and "paid_cents" in outcome.err
    assert not (mini / "warehouse.duckdb").exists()


def test_build_without_checks_does_not_import_gx(mini: Path) -> None:
    suite(mini, "critical", 5)
    probe = mini / "probe.py"
    probe.write_text("import sys\nfrom warehouse.cli.app import main\n"
                     f"code = main(['--project-dir', r'{mini}', '-q', 'build', '--no-checks'])\n"
                     "print('GX' if 'great_expectations' in sys.modules else 'no GX', code)\n")
    done = subprocess.run([sys.executable, str(probe)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.strip().endswith("no GX 0"), done.stdout + done.stderr
