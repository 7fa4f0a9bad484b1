"""Readers during builds: analysts and BI tools keep reading while nightly builds publish.

Three reader processes open the published warehouse READ-ONLY, query a mart, close, and read
exports/*.parquet with pyarrow, in a bounded loop, while several builds publish changing
data. Every build must succeed, no reader may see a single error, and each reader must see
the data from before the builds and the data after them.

Readers follow the recipe of docs/operations.md (what `warehouse.engine.duckdb_files.open_published`
does) and read each export through one open file: DuckDB opens a file three times while connecting, so a publish landing in between can
pair the old file's headers with the new file's blocks ("Could not read enough bytes"). The
reader compares the file's inode before and after connecting and reopens if it changed; such
reopens are counted, and are not errors. Any other failure is.

Ordering is by files, not by sleeping: a reader writes `ready-<n>` after its first pass, the
builds start only when all three are ready, and once the builds are done `stop` is created;
a reader that sees `stop` does one more pass and exits. So every reader's first pass reads
the old data and its last pass the new.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from tests.conftest import cli
from tests.nightly._support import add_customer, published_rows, snapshot

READERS = 3
BUILDS = 4
DEADLINE = 60.0          # seconds: a reader gives up (and the test fails) after this

READER = r'''
import glob, json, os, sys, time
import duckdb, pyarrow.parquet as pq

project, control, n, deadline = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
database = os.path.join(project, "warehouse.duckdb")
stop, ready = os.path.join(control, "stop"), os.path.join(control, f"ready-{n}")
counts, exported, errors, queries, reopened, last = set(), set(), [], 0, 0, False


def identity():
    stat = os.stat(database)
    return stat.st_dev, stat.st_ino


def open_read_only():
    """Read-only, and again if a publish swapped the file while DuckDB was opening it."""
    global reopened
    for attempt in range(5):
        before = identity()
        try:
            con = duckdb.connect(database, read_only=True)
        except duckdb.IOException:
            if identity() == before:
                raise
            reopened += 1
            continue
        if identity() == before:
            return con
        con.close()
        reopened += 1
    raise RuntimeError("swapped during 5 opens in a row")


end = time.monotonic() + deadline
for iteration in range(100_000):
    if time.monotonic() > end:
        errors.append("deadline reached before stop")
        break
    last = os.path.exists(stop)
    try:
        con = open_read_only()
        try:
            counts.add(con.execute("select count(*) from fct_customer_totals").fetchone()[0])
            con.execute("select sum(paid_cents) from fct_customer_totals").fetchone()
            queries += 2
        finally:
            con.close()
        for path in glob.glob(os.path.join(project, "exports", "*.parquet")):
            # One open file: pq.read_table(path) opens the file twice (footer, then pages),
            # and a publish between the two pairs one build's footer with another's pages.
            # ParquetFile, not read_table: with pyarrow 26.0.1 a process that used read_table's
            # threaded dataset reader aborts at exit now and then ("terminate called without
            # an active exception").
            with open(path, "rb") as handle:
                exported.add(pq.ParquetFile(handle).read().num_rows)
        with open(os.path.join(project, "exports", "manifest.json")) as handle:
            json.load(handle)
    except Exception as exc:                      # every kind of failure counts
        errors.append(f"{type(exc).__name__}: {exc}")
    if iteration == 0:
        open(ready, "w").close()
    if last:
        break
    time.sleep(0.02)                              # pacing only: leave CPU to the builds
json.dump({"iterations": iteration + 1, "queries": queries, "reopened": reopened, "counts": sorted(counts),
           "exported": sorted(exported), "errors": errors[:20], "error_count": len(errors),
           "finished_after_stop": last}, sys.stdout)
'''


def _wait_for(paths: list[Path], readers: list[subprocess.Popen], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not all(p.exists() for p in paths):
        assert time.monotonic() < deadline, "readers did not start in time"
        assert all(r.poll() is None for r in readers), "a reader exited before it was ready"
        time.sleep(0.02)


def test_readers_never_see_an_error_while_builds_publish(published: Path, tmp_path: Path) -> None:
    script = tmp_path / "reader.py"
    script.write_text(READER)
    control = tmp_path / "control"
    control.mkdir()
    readers = [subprocess.Popen([sys.executable, str(script), str(published), str(control), str(n), str(DEADLINE)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in range(READERS)]
    codes = []
    try:
        _wait_for([control / f"ready-{n}" for n in range(READERS)], readers)
        for build in range(BUILDS):
            add_customer(published, 10 + build)
            outcome = cli(published, "build", "--no-checks")
            codes.append(outcome.code)
            assert outcome.code == 0, outcome.text
    finally:
        (control / "stop").touch()
        reports = []
        for reader in readers:
            out, err = reader.communicate(timeout=DEADLINE + 30)
            assert reader.returncode == 0, err
            reports.append(json.loads(out))
    assert codes == [0] * BUILDS
    final = 3 + BUILDS
    assert published_rows(published, "select count(*) from fct_customer_totals") == [(final,)]
    for report in reports:
        assert report["error_count"] == 0, report["errors"]
        assert report["finished_after_stop"]
        assert {3, final} <= set(report["counts"]), report
        assert {3, final} <= set(report["exported"]), report
    total = sum(r["queries"] for r in reports)
    print(f"\n{READERS} readers, {BUILDS} builds: {total} queries, "
          f"{sum(r['iterations'] for r in reports)} passes, {sum(r['reopened'] for r in reports)} reopened "
          f"(file swapped while opening), 0 errors; counts seen "
          f"{sorted(set().union(*(r['counts'] for r in reports)))}")


def test_open_published_reopens_when_a_publish_swaps_the_file_mid_open(published: Path, monkeypatch) -> None:
    """Deterministic version of the race: the file is replaced while the connection is being opened."""
    from warehouse.engine.duckdb_files import open_published

    target = published / "warehouse.duckdb"
    newer = published / "newer.duckdb"
    with duckdb.connect(str(newer)) as con:
        con.execute("create table fct_customer_totals as select range as customer_id from range(7)")
    real_connect, calls = duckdb.connect, []

    def connect_then_publish(*args, **kwargs):
        con = real_connect(*args, **kwargs)
        calls.append(kwargs.get("read_only"))
        if len(calls) == 1:
            os.replace(newer, target)          # a publish lands while this reader is opening
        return con

    monkeypatch.setattr(duckdb, "connect", connect_then_publish)
    with open_published(target) as con:
        assert con.execute("select count(*) from fct_customer_totals").fetchone() == (7,)
    assert calls == [True, True]


def test_a_read_write_holder_is_reported_and_nothing_is_published(published: Path, tmp_path: Path) -> None:
    """Only read-only readers are safe: a process holding the file read-write blocks publishing."""
    before = snapshot(published)
    ready = tmp_path / "holding"
    holder = subprocess.Popen([sys.executable, "-c",
                               "import duckdb, sys, pathlib, time\n"
                               f"con = duckdb.connect({str(published / 'warehouse.duckdb')!r})\n"
                               f"pathlib.Path({str(ready)!r}).touch()\n"
                               "sys.stdin.read()\n"
                               "con.close()\n"],
                              stdin=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert time.monotonic() < deadline and holder.poll() is None
            time.sleep(0.02)
        add_customer(published, 4)
        outcome = cli(published, "build", "--no-checks")
        assert outcome.code == 2, outcome.text
        assert "read-write" in outcome.err and "read-only" in outcome.err
        assert f"pid {holder.pid}" in outcome.err.lower() or f"PID {holder.pid}" in outcome.err
        assert snapshot(published) == before
    finally:
        holder.communicate("", timeout=30)


def test_a_stale_wal_beside_the_published_file_is_reported(published: Path) -> None:
    """A .wal left by a read-write session that wrote (and crashed) must be reported, not ignored."""
    wal = published / "warehouse.duckdb.wal"
    con = duckdb.connect(str(published / "warehouse.duckdb"))
    try:
        con.execute("create table analyst_scratch as select 1 as x")
        assert wal.exists()
        before = snapshot(published)
        outcome = cli(published, "build", "--no-checks")
        assert outcome.code == 2, outcome.text
        assert "warehouse.duckdb.wal" in outcome.err and "read-only" in outcome.err
        assert snapshot(published) == before
    finally:
        con.close()


def test_a_partitioned_export_is_never_missing_while_it_is_replaced(tmp_path: Path, monkeypatch) -> None:
    """After every file-system step of the swap (the atomic exchange, any rename, the clean-up)
    exports/<model> is there. The steps are watched where they happen, whichever the code takes,
    and at least one must be seen: a watch that sees nothing proves nothing."""
    import shutil

    from warehouse.pipeline import export

    stage, exports = tmp_path / "stage", tmp_path / "exports"
    for root in (stage, exports):
        (root / "fct" / "country_code=KEN").mkdir(parents=True)
        (root / "fct" / "country_code=KEN" / "data_0.parquet").write_bytes(b"PAR1")
    seen: list[tuple[str, bool]] = []

    def watched(name, real):
        def step(*args, **kwargs):
            result = real(*args, **kwargs)
            seen.append((name, (exports / "fct").is_dir()))   # what a reader listing exports/ finds now
            return result
        return step

    monkeypatch.setattr(export, "_exchange", watched("exchange", export._exchange))
    monkeypatch.setattr(os, "replace", watched("replace", os.replace))
    monkeypatch.setattr(shutil, "rmtree", watched("rmtree", shutil.rmtree))
    (stage / "fct" / "country_code=FRA").mkdir()
    export.publish_exports(stage, exports, {"exports": [{"file": "fct"}]})
    assert seen and all(present for _, present in seen), seen
    if sys.platform.startswith("linux"):
        assert seen[0] == ("exchange", True), seen        # the atomic path, not the fallback with a gap
    assert sorted(p.name for p in (exports / "fct").iterdir()) == ["country_code=FRA", "country_code=KEN"]
    assert not (stage / "fct").exists()
