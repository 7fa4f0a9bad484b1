"""Stages reach the database only through the engine interface (warehouse/engine/base.py)."""
from __future__ import annotations

import json
import traceback
from pathlib import Path

import duckdb
import pytest

from tests.conftest import cli_inprocess
from tests.engine import recording
from warehouse.engine.base import Engine


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Builds use RecordingEngine; every duckdb.connect() records which file of warehouse/ asked."""
    import warehouse.engine

    monkeypatch.setitem(warehouse.engine.ENGINES, "duckdb", ("tests.engine.recording", "RecordingEngine"))
    recording.CALLS.clear()
    callers: list[str] = []
    real_connect = duckdb.connect

    def connect(*args, **kwargs):
        frames = [f.filename for f in traceback.extract_stack()[:-1] if "/warehouse/" in f.filename]
        callers.append(frames[-1] if frames else "?")
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(duckdb, "connect", connect)
    yield callers


def test_the_recording_engine_forwards_the_whole_interface() -> None:
    assert not getattr(recording.RecordingEngine, "__abstractmethods__", None)
    assert {"make_current", "load_csv", "incremental", "test_failures", "write_parquet"} <= set(recording.INTERFACE)
    assert not hasattr(recording.RecordingEngine(duckdb_engine()), "con")


def duckdb_engine():
    from warehouse.engine.duckdb_engine import DuckDBEngine

    return DuckDBEngine(":memory:")


def test_a_whole_build_goes_through_the_interface_only(mini: Path, capsys, recorded: list[str]) -> None:
    (mini / "data_checks").mkdir()
    (mini / "data_checks" / "totals.json").write_text(json.dumps({
        "name": "totals", "meta": {"model": "fct_customer_totals"},
        "expectations": [{"type": "expect_table_row_count_to_equal", "kwargs": {"value": 3}}]}))
    first = cli_inprocess(mini, "build", capsys=capsys)
    assert first.code == 0, first.text
    second = cli_inprocess(mini, "build", capsys=capsys)     # incremental model now appends
    assert second.code == 0, second.text
    calls = set(recording.CALLS)
    # load, run (view, table, incremental), test, check, export, catalog, publish: all seen here
    assert {"load_csv", "create_view", "create_table", "incremental", "test_failures", "fetchall",
            "write_parquet", "catalog", "check_no_writer", "prepare_staging", "make_current", "open",
            "open_published", "close"} <= calls, sorted(calls)
    assert recorded and all("/warehouse/engine/" in c for c in recorded), recorded
    with duckdb.connect(str(mini / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select customer_id, paid_cents from fct_customer_totals order by 1").fetchall() \
            == [(1, 12050), (2, 0), (3, 7000)]


def test_the_interface_is_abstract() -> None:
    with pytest.raises(TypeError):
        Engine()  # type: ignore[abstract]
