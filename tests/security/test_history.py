"""History files are named by the build they hold, and rollback restores the database and the
exports of that build together."""
from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import cli
from tests.nightly._support import add_customer, digest, published_rows, snapshot


def _build_id(project: Path) -> str:
    return json.loads((project / "exports" / "manifest.json").read_text())["build_id"]


def test_history_names_the_build_it_holds_and_rollback_restores_exports_too(published: Path) -> None:
    first_id, first = _build_id(published), snapshot(published)
    add_customer(published, 9300)
    assert cli(published, "build").code == 0
    second_id = _build_id(published)
    assert second_id != first_id
    history = published / ".warehouse" / "history"
    kept = sorted(history.glob("*.duckdb"))
    assert [k.name for k in kept] == [f"warehouse.{first_id}.duckdb"]
    assert digest(kept[0]) == first["warehouse.duckdb"]
    outcome = cli(published, "rollback")
    assert outcome.code == 0, outcome.text
    assert first_id in outcome.text and "exports" in outcome.text
    assert snapshot(published) == first                       # database and exports of the first build
    assert _build_id(published) == first_id
    assert published_rows(published, "select build_id from _warehouse_runs order by finished_at desc limit 1") \
        == [(first_id,)]
