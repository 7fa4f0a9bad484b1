"""`--log-format json`: one JSON object per line on stdout, for log shippers and schedulers,
for a build that publishes and for builds that fail (a gate, bad input, a held lock)."""
from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import cli
from tests.nightly._support import add_customer, kill, start, wait_paused


def _events(stdout: str) -> list[dict]:
    lines = stdout.splitlines()
    assert lines, "no output"
    events = []
    for number, line in enumerate(lines, 1):
        try:
            event = json.loads(line)
        except ValueError as exc:
            raise AssertionError(f"stdout line {number} is not JSON: {line!r}") from exc
        assert isinstance(event, dict), line
        assert {"ts", "level", "event"} <= set(event), line
        assert event["level"] in ("info", "warn", "error", "fail", "skipped"), line
        events.append(event)
    return events


def test_successful_build(published: Path) -> None:
    add_customer(published, 4)
    outcome = cli(published, "build", "--no-checks", "--log-format", "json")
    assert outcome.code == 0, outcome.text
    events = _events(outcome.out)
    names = [e["event"] for e in events]
    assert names[0] == "started" and names[-2:] == ["published", "finished"]
    assert {e["node"] for e in events if e["event"] == "node_finished"} >= {"seed.mini.customers", "model.mini.fct_customer_totals"}
    published_event = events[-2]
    assert published_event["build_id"] == events[0]["build_id"]


def test_build_failing_a_gate(published: Path) -> None:
    add_customer(published, 3)                          # duplicate key
    outcome = cli(published, "build", "--no-checks", "--log-format", "json")
    assert outcome.code == 1, outcome.text
    events = _events(outcome.out)
    failed = [e for e in events if e["event"] == "node_finished" and e["status"] == "fail"]
    assert "unique_customers_customer_id" in {e["node"].split(".")[2] for e in failed if e["node"].startswith("test.mini.")}
    assert events[-1]["event"] == "error" and events[-1]["level"] == "error"
    assert "Nothing was published" in events[-1]["message"]


def test_build_with_bad_input(published: Path) -> None:
    (published / "seeds" / "orders.csv").write_text("order_id,customer_id,amount,status\n10,1,abc,paid\n")
    outcome = cli(published, "build", "--no-checks", "--log-format", "json")
    assert outcome.code == 2, outcome.text
    events = _events(outcome.out)
    errors = [e for e in events if e["level"] == "error"]
    assert any("seeds/orders.csv:2" in (e.get("detail") or e["message"]) for e in errors)


def test_project_error_and_held_lock(published: Path) -> None:
    yml = published / "dbt_project.yml"
    yml.write_text(yml.read_text() + "colour: blue\n")
    outcome = cli(published, "build", "--log-format", "json")
    assert outcome.code == 2
    (event,) = _events(outcome.out)
    assert event["exit_code"] == 2 and "dbt_project.yml" in event["message"]
    yml.write_text(yml.read_text().replace("colour: blue\n", ""))

    first = start(published, "build", "--no-checks", WAREHOUSE_PAUSE_AT="load")
    pid = wait_paused(published, "load", first)
    try:
        outcome = cli(published, "build", "--no-checks", "--log-format", "json")
        assert outcome.code == 3
        (event,) = _events(outcome.out)
        assert event["exit_code"] == 3 and f"pid {pid}" in event["message"]
    finally:
        kill(first, published)
