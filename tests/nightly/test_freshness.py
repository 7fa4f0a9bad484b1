"""Freshness: a stale seed warns (and publishes) or blocks (and publishes nothing).

The rule is added to the test's copy of mini: customers gets
`freshness: {warn_after: {count: 1, period: hour}, error_after: {count: 2, period: day}}`,
measured from the file's modification time (aged with os.utime) or from `loaded_at_field`.
"""
from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.conftest import cli
from tests.nightly._support import published_rows, snapshot

RULE = "    freshness: {warn_after: {count: 1, period: hour}, error_after: {count: 2, period: day}}\n"


def _add_rule(project: Path, loaded_at_field: bool = False) -> None:
    yml = project / "seeds" / "_seeds.yml"
    text = yml.read_text().replace("    description: Customers.\n", "    description: Customers.\n" + RULE
                                   + ("    loaded_at_field: loaded_at\n" if loaded_at_field else ""))
    if loaded_at_field:
        text = text.replace("country: VARCHAR}", "country: VARCHAR, loaded_at: TIMESTAMP}")
        text = text.replace("      - name: country\n", "      - name: country\n      - name: loaded_at\n", 1)
    yml.write_text(text)


def _age_file(project: Path, hours: float) -> None:
    stamp = time.time() - hours * 3600
    os.utime(project / "seeds" / "customers.csv", (stamp, stamp))


def _loaded(project: Path, hours: float) -> None:
    """customers.csv with a loaded_at column, `hours` old, in UTC without a zone (dbt's convention)."""
    when = (datetime.now(timezone.utc) - timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M:%S")
    rows = ["customer_id,name,country,loaded_at"] + [f"{i},{n},{c},{when}" for i, n, c in
                                                     ((1, "Ada", "KEN"), (2, "Bo", "FRA"), (3, "Cy", "KEN"))]
    (project / "seeds" / "customers.csv").write_text("\n".join(rows) + "\n")


def _runs(project: Path) -> int:
    return published_rows(project, "select count(*) from _warehouse_runs")[0][0]


@pytest.mark.parametrize("hours, code, expected", [
    (3, 0, ["WARN     freshness customers", "customers is getting stale: loaded 3.0 hours ago (warn after 1 hour)"]),
    (72, 1, ["FAIL     freshness customers", "customers is stale: loaded 3.0 days ago (error after 2 days)",
             "Nothing was published"]),
], ids=["warn_publishes", "error_blocks"])
def test_stale_seed_file(published: Path, hours: float, code: int, expected: list[str]) -> None:
    before = snapshot(published)
    _add_rule(published)
    _age_file(published, hours)
    outcome = cli(published, "build", "--no-checks")
    assert outcome.code == code, outcome.text
    assert not [line for line in expected if line not in outcome.text], outcome.text
    if code == 0:
        assert _runs(published) == 2                  # published, warning and all
    else:
        assert snapshot(published) == before          # nothing published


def test_freshness_command_reports_without_publishing(published: Path) -> None:
    before = snapshot(published)
    _add_rule(published)
    _age_file(published, 3)
    outcome = cli(published, "freshness")
    assert outcome.code == 0, outcome.text
    assert "customers is getting stale" in outcome.out
    _age_file(published, 72)
    outcome = cli(published, "freshness")
    assert outcome.code == 1, outcome.text
    assert "customers is stale" in outcome.out
    assert snapshot(published) == before


@pytest.mark.parametrize("hours, code, message", [
    (0.2, 0, None),
    (3, 0, "customers is getting stale: loaded 3.0 hours ago"),
    (72, 1, "customers is stale: loaded 3.0 days ago"),
])
def test_loaded_at_field(published: Path, hours: float, code: int, message: str | None) -> None:
    """Measured from max(loaded_at), not from the (fresh) file; naive timestamps are UTC whatever TZ says."""
    _add_rule(published, loaded_at_field=True)
    _loaded(published, hours)
    outcome = cli(published, "build", "--no-checks", env={"TZ": "Asia/Tokyo"})
    assert outcome.code == code, outcome.text
    assert message in outcome.out if message else "PASS     freshness customers" in outcome.out
    assert "Traceback" not in outcome.text


def test_loaded_at_field_naming_no_column_is_a_project_error(published: Path) -> None:
    before = snapshot(published)
    _add_rule(published)
    yml = published / "seeds" / "_seeds.yml"
    yml.write_text(yml.read_text().replace(RULE, RULE + "    loaded_at_field: loaded_on\n"))
    outcome = cli(published, "build", "--no-checks")
    assert outcome.code == 2, outcome.text
    assert "seeds/_seeds.yml" in outcome.err and "loaded_at_field 'loaded_on' of customers" in outcome.err
    assert snapshot(published) == before


def test_freshness_command_measures_what_is_published_now(published: Path) -> None:
    _add_rule(published, loaded_at_field=True)
    _loaded(published, 3)
    assert cli(published, "build", "--no-checks").code == 0
    assert "getting stale" in cli(published, "freshness").out       # creates the dev copy
    _loaded(published, 0.1)
    outcome = cli(published, "build", "--no-checks")
    assert outcome.code == 0 and "getting stale" not in outcome.out  # the published data is fresh
    outcome = cli(published, "freshness")
    assert outcome.code == 0
    assert "getting stale" not in outcome.out, outcome.out
