"""State and incremental builds: `--select state:modified+` builds only what changed (and what
depends on it) yet publishes a complete warehouse; changes a selective build skipped stay
"modified"; incremental models keep their rows across builds; `--full-refresh` rebuilds."""
from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import cli, cli_inprocess
from tests.nightly._support import published_rows


def _built(project: Path) -> list[str]:
    results = json.loads((project / "target" / "run_results.json").read_text())
    return [r["name"] for r in results["results"] if r["resource_type"] in ("seed", "model")]


def _ls(project: Path, capsys, *select: str) -> list[str]:
    outcome = cli_inprocess(project, "ls", "--select", *select, capsys=capsys)
    assert outcome.code == 0, outcome.text
    return outcome.out.split()


def test_state_modified_builds_only_the_changed_seed_and_its_descendants(published: Path, capsys) -> None:
    orders = published / "seeds" / "orders.csv"
    orders.write_text(orders.read_text() + "14,2,9,paid\n")
    outcome = cli_inprocess(published, "build", "--select", "state:modified+", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert sorted(_built(published)) == ["fct_customer_totals", "fct_orders_log", "orders", "stg_orders"]
    # Complete warehouse: the unselected seed and view are there, with their carried-over data.
    assert published_rows(published, "select count(*) from raw.customers") == [(3,)]
    assert published_rows(published, "select count(*) from staging.stg_customers") == [(3,)]
    assert published_rows(published, "select customer_id, paid_cents from fct_customer_totals order by 1") == [
        (1, 12050), (2, 900), (3, 7000)]
    assert published_rows(published, "select count(*) from fct_orders_log") == [(5,)]
    assert _ls(published, capsys, "state:modified") == []      # published state now matches the project


def test_a_change_a_selective_build_skipped_stays_modified(published: Path, capsys) -> None:
    model = published / "models" / "staging" / "stg_customers.sql"
    model.write_text(model.read_text().replace("upper(country)", "upper(trim(country))"))
    orders = published / "seeds" / "orders.csv"
    orders.write_text(orders.read_text() + "14,2,9,paid\n")
    assert cli_inprocess(published, "build", "--select", "orders+", capsys=capsys).code == 0
    assert "stg_customers" not in _built(published)
    assert "stg_customers" in _ls(published, capsys, "state:modified")     # not forgotten
    assert "orders" not in _ls(published, capsys, "state:modified")
    assert cli_inprocess(published, "build", "--select", "state:modified+", capsys=capsys).code == 0
    assert sorted(_built(published)) == ["fct_customer_totals", "stg_customers"]
    assert _ls(published, capsys, "state:modified") == []


def test_a_new_model_a_selective_build_skipped_is_still_new(published: Path, capsys) -> None:
    (published / "models" / "marts" / "fct_new.sql").write_text("select customer_id from {{ ref('stg_customers') }}\n")
    assert _ls(published, capsys, "state:new") == ["fct_new"]
    assert cli_inprocess(published, "build", "--select", "orders+", capsys=capsys).code == 0
    assert "fct_new" not in _built(published)
    assert _ls(published, capsys, "state:new") == ["fct_new"]           # never built: still to do
    assert _ls(published, capsys, "state:modified") == ["fct_new"]
    assert cli_inprocess(published, "build", "--select", "state:modified+", capsys=capsys).code == 0
    assert _built(published) == ["fct_new"]
    assert published_rows(published, "select count(*) from fct_new") == [(3,)]


def test_incremental_rows_are_kept_across_builds_and_full_refresh_rebuilds(published: Path) -> None:
    assert published_rows(published, "select batch, count(*) from fct_orders_log group by 1") == [("b1", 4)]
    orders = published / "seeds" / "orders.csv"
    lines = orders.read_text().splitlines()
    orders.write_text("\n".join([lines[0], *lines[2:], "14,2,9,paid"]) + "\n")     # order 10 gone, 14 new
    outcome = cli(published, "build", "--no-checks", "--vars", '{"batch": "b2"}')
    assert outcome.code == 0, outcome.text
    # Order 10 left the source but stays in the log; the rest were replaced (delete+insert).
    assert published_rows(published, "select order_id, batch from fct_orders_log order by 1") == [
        (10, "b1"), (11, "b2"), (12, "b2"), (13, "b2"), (14, "b2")]
    # A selective build that does not select the incremental model carries its rows over.
    outcome = cli(published, "build", "--no-checks", "--select", "customers+", "--exclude", "fct_orders_log")
    assert outcome.code == 0, outcome.text
    assert published_rows(published, "select count(*) from fct_orders_log") == [(5,)]
    outcome = cli(published, "build", "--no-checks", "--full-refresh", "--vars", '{"batch": "b3"}')
    assert outcome.code == 0, outcome.text
    assert published_rows(published, "select order_id, batch from fct_orders_log order by 1") == [
        (11, "b3"), (12, "b3"), (13, "b3"), (14, "b3")]
