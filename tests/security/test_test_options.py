"""dbt's data test options that change a test's outcome: `warn_if`, `error_if`, `limit`,
`store_failures`. Accepted before and never applied; now each does what dbt documents."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import cli
from tests.nightly._support import published_rows, snapshot


def _country_test(project: Path, config: dict) -> None:
    """accepted_values on country_code that every customer breaks: 2 failing rows (KEN, FRA)."""
    yml = project / "models" / "marts" / "_marts__models.yml"
    test = {"accepted_values": {"values": ["XXX"], "config": config}}
    yml.write_text(yml.read_text().replace("      - name: country_code\n",
                                           f"      - name: country_code\n        data_tests: [{json.dumps(test)}]\n"))


def _result(project: Path) -> dict:
    results = json.loads((project / "target" / "run_results.json").read_text())["results"]
    return next(r for r in results if r["name"].startswith("accepted_values_fct_customer_totals_country_code"))


@pytest.mark.parametrize("config, status, code", [
    ({}, "fail", 1),
    ({"error_if": ">5"}, "warn", 0),            # 2 failures: not an error, but warn_if (!= 0) holds
    ({"error_if": ">5", "warn_if": ">3"}, "pass", 0),
    ({"error_if": ">=2"}, "fail", 1),
    ({"severity": "warn", "error_if": "!=0", "warn_if": ">10"}, "pass", 0),   # severity warn ignores error_if
])
def test_warn_if_and_error_if_decide_the_status(published: Path, config: dict, status: str, code: int) -> None:
    _country_test(published, config)
    outcome = cli(published, "build")
    assert outcome.code == code, outcome.text
    result = _result(published)
    assert result["status"] == status and result["rows"] == 2


def test_limit_caps_the_failures_counted(published: Path) -> None:
    _country_test(published, {"limit": 1, "severity": "warn"})
    assert cli(published, "build").code == 0
    assert _result(published)["rows"] == 1


def test_store_failures_keeps_the_failing_rows_in_an_audit_table(published: Path) -> None:
    _country_test(published, {"store_failures": True, "severity": "warn"})
    assert cli(published, "build").code == 0
    name = _result(published)["name"]
    assert published_rows(published, f'select count(*) from dbt_test__audit."{name}"') == [(2,)]  # KEN, FRA groups


def test_a_malformed_condition_is_refused_with_file_and_line(published: Path) -> None:
    before = snapshot(published)
    _country_test(published, {"error_if": "more than 3"})
    outcome = cli(published, "build")
    assert outcome.code == 2, outcome.text
    assert "_marts__models.yml" in outcome.text and "error_if" in outcome.text and "'>10'" in outcome.text
    assert snapshot(published) == before
