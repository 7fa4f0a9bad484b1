"""Side-by-side benchmark: reform-warehouse, dbt-core + dbt-duckdb, and raw DuckDB, on one project.

    .venv/bin/python bench/run.py --quick            # a couple of minutes: 30/100 models, 100k rows
    .venv/bin/python bench/run.py                    # 100/1,000/5,000 models, 1M and 10M rows
    .venv/bin/python bench/run.py --sizes 1000 --rows 1000000 --repeats 5 --json out.json

dbt runs from its own virtual environment (`.bench/dbt-venv/`, created on first use with
dbt-core 1.11.16, dbt-duckdb 1.11.1 and duckdb 2.0.0: never a dependency of ours). Every
measurement is a fresh process; the tools run interleaved (A B C, B C A, ...) so that load from
other processes on the machine falls on all of them alike, and the table shows medians. CPU time
(user + system, from wait4) is the fairer figure on a shared machine; wall time is shown too.
Peak memory is the process's maximum resident set. Prints figures; asserts nothing.

Work measured:
- start-up: `--help`;
- cold compile (no target/, no caches) vs `dbt parse --no-partial-parse`; warm compile (nothing
  changed since the last one) vs `dbt parse` with its partial-parse file;
- build (seeds, models, tests, expectation suites; publish) at each row count vs `dbt build` and
  the floor (`bench/floor.py`: the same compiled SQL run directly); and the same without tests
  and checks (`--exclude resource_type:test`).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from generate import Spec, generate  # noqa: E402

DBT_PINS = ("dbt-core==1.11.16", "dbt-duckdb==1.11.1")
DUCKDB_PIN = "duckdb==2.0.0"
QUIET_ENV = {"DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DBT_VERSION_CHECK": "false"}


@dataclass
class Sample:
    wall: float
    cpu: float
    peak_mb: float
    rc: int


@dataclass
class Row:
    """One line of the table: the same work done by each tool, several samples each."""

    work: str
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    load: list[float] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def median(self, tool: str, what: str) -> float | None:
        values = [getattr(s, what) for s in self.samples.get(tool, []) if s.rc == 0]
        return statistics.median(values) if values else None


# -- processes -----------------------------------------------------------------------------------

def measure(command: list[str], cwd: Path, timeout: float = 3600) -> Sample:
    """Run one process; wall time, CPU time (user + system) and peak RSS from wait4."""
    env = {**os.environ, **QUIET_ENV}
    started = time.perf_counter()
    with open(cwd / ".bench-last.log", "w") as log:
        process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env=env)
        killer = threading.Timer(timeout, process.kill)
        killer.start()
        _, status, usage = os.wait4(process.pid, 0)
        killer.cancel()
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    sample = Sample(round(wall, 4), round(usage.ru_utime + usage.ru_stime, 4), round(usage.ru_maxrss / 1024, 1),
                    process.returncode)
    if sample.rc != 0:
        tail = (cwd / ".bench-last.log").read_text(errors="replace")[-2000:]
        print(f"  ! {' '.join(command[-4:])} exited {sample.rc}:\n{tail}", file=sys.stderr)
    return sample


def ours(*args: str, project: Path) -> list[str]:
    return [sys.executable, "-m", "warehouse.cli", "--log-format", "plain", "-q", *args, "--project-dir", str(project)]


def dbt(venv: Path, *args: str) -> list[str]:
    return [str(venv / "bin" / "dbt"), *args, "--profiles-dir", "."] if args != ("--help",) \
        else [str(venv / "bin" / "dbt"), "--help"]


def ensure_dbt(venv: Path) -> None:
    """dbt in its own venv, pinned (never a dependency of ours)."""
    stamp = venv / ".pins"
    wanted = " ".join([*DBT_PINS, DUCKDB_PIN])
    if stamp.exists() and stamp.read_text() == wanted:
        return
    print(f"setting up {venv} with {wanted} (once)", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, *DBT_PINS], check=True)
    subprocess.run([*pip, DUCKDB_PIN], check=True)     # pip resolves a newer duckdb for dbt-duckdb
    stamp.write_text(wanted)


def interleaved(row: Row, runs: dict[str, callable], repeats: int) -> Row:
    """Run each tool `repeats` times, rotating the order every round."""
    names = list(runs)
    for r in range(repeats):
        row.load.append(os.getloadavg()[0])
        for name in names[r % len(names):] + names[: r % len(names)]:
            row.samples.setdefault(name, []).append(runs[name]())
    return row


def fresh_copy(src: Path, dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("data"))
    return dest


def clear(*paths: Path) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


# -- the work ------------------------------------------------------------------------------------

def bench_startup(venv: Path, work: Path, repeats: int, dbt_on: bool) -> Row:
    runs = {"ours": lambda: measure(ours("--help", project=work), work)}
    if dbt_on:
        runs["dbt"] = lambda: measure(dbt(venv, "--help"), work)
    return interleaved(Row("start-up (`--help`)"), runs, repeats)


def bench_compile(venv: Path, work: Path, models: int, repeats: int, dbt_on: bool) -> list[Row]:
    src = work / f"compile-{models}"
    if not src.exists():
        generate(src, Spec(models=models, rows=1000))
    mine, theirs = fresh_copy(src, work / f"compile-{models}-ours"), fresh_copy(src, work / f"compile-{models}-dbt")

    def ours_cold() -> Sample:
        clear(mine / "target", mine / ".warehouse")
        return measure(ours("compile", project=mine), mine)

    def dbt_cold() -> Sample:
        clear(theirs / "target", theirs / "logs")
        return measure(dbt(venv, "parse", "--no-partial-parse"), theirs)

    cold = {"ours": ours_cold, **({"dbt": dbt_cold} if dbt_on else {})}
    rows = [interleaved(Row(f"cold compile, {models:,} models"), cold, repeats)]
    measure(ours("compile", project=mine), mine)          # leave what a warm run starts from
    if dbt_on:
        measure(dbt(venv, "parse"), theirs)
    warm = {"ours": lambda: measure(ours("compile", project=mine), mine),
            **({"dbt": lambda: measure(dbt(venv, "parse"), theirs)} if dbt_on else {})}
    rows.append(interleaved(Row(f"warm compile, {models:,} models (nothing changed)"), warm, repeats))
    return rows


def bench_build(venv: Path, work: Path, models: int, rows: int, repeats: int, dbt_on: bool) -> list[Row]:
    src = work / f"build-{models}-{rows}"
    if not src.exists():
        generate(src, Spec(models=models, rows=rows, checks=True))
    mine, theirs, floor = (fresh_copy(src, work / f"build-{rows}-{t}") for t in ("ours", "dbt", "floor"))
    first = measure(ours("build", project=mine), mine)          # published now exists: a nightly rebuild
    if first.rc != 0:
        raise SystemExit(f"our build of {src} failed: see {mine / '.bench-last.log'}")
    plan = floor_plan(mine)
    (floor / "plan.json").write_text(json.dumps(plan))
    if dbt_on:
        measure(dbt(venv, "build"), theirs)
    floor_cmd = [sys.executable, str(ROOT / "bench" / "floor.py"), str(floor / "plan.json"), str(floor / "floor.duckdb")]
    with_tests = {"ours": lambda: measure(ours("build", project=mine), mine),
                  "floor": lambda: measure(floor_cmd, floor)}
    without = {"ours": lambda: measure(ours("build", "--no-checks", "--exclude", "resource_type:test", project=mine), mine),
               "floor": lambda: measure([*floor_cmd, "--no-tests"], floor)}
    if dbt_on:
        with_tests["dbt"] = lambda: measure(dbt(venv, "build"), theirs)
        without["dbt"] = lambda: measure(dbt(venv, "build", "--exclude", "resource_type:test"), theirs)
    label = f"{rows:,} fact rows, {models} models"
    result = [interleaved(Row(f"build, {label}, tests + checks"), with_tests, repeats),
              interleaved(Row(f"build, {label}, no tests/checks"), without, repeats)]
    result[0].extra = disk_usage(mine, theirs, floor)
    return result


def floor_plan(project: Path) -> dict:
    """The statements our last build ran, from its artifacts: seeds, models in order, tests."""
    manifest = json.loads((project / "target" / "manifest.json").read_text())["nodes"]
    results = json.loads((project / "target" / "run_results.json").read_text())["results"]
    seeds, models, tests = [], [], []
    for result in results:          # run_results lists nodes in the order they ran
        node = manifest.get(result["unique_id"], {})
        kind = result["resource_type"]
        if kind == "seed":
            types = node["config"].get("column_types", {})
            columns = ", ".join(f"'{c}': '{t}'" for c, t in types.items())
            seeds.append(f"create or replace table {node['relation']} as select * from "
                         f"read_csv('{project / node['path']}', header = true, columns = {{{columns}}})")
        elif kind == "model" and node.get("materialized") in ("view", "table"):
            sql = (project / "target" / "compiled" / node["path"]).read_text()
            models.append(f"create or replace {node['materialized']} {node['relation']} as\n{sql}")
        elif kind == "test" and result.get("compiled_path"):
            tests.append((project / result["compiled_path"]).read_text())
    return {"seeds": seeds, "models": models, "tests": tests}


def disk_usage(mine: Path, theirs: Path, floor: Path) -> dict:
    """Bytes on disk after the repeated builds: our published file and its history, dbt's file,
    and the floor's (a fresh build of the same data)."""
    def size(path: Path) -> int:
        return path.stat().st_size if path.exists() else 0

    history = mine / ".warehouse" / "history"
    kept = sorted(history.glob("*.duckdb")) if history.exists() else []
    published = mine / "warehouse.duckdb"
    shared = {p for p in kept if published.exists() and os.path.samefile(p, published)}
    return {"published_bytes": size(published), "history_files": len(kept),
            "history_bytes": sum(size(p) for p in kept if p not in shared),
            "dbt_bytes": size(theirs / "warehouse.duckdb"), "floor_bytes": size(floor / "floor.duckdb")}


# -- report --------------------------------------------------------------------------------------

def environment(venv: Path, dbt_on: bool) -> dict:
    import duckdb
    import jinja2
    import sqlglot

    from warehouse import __version__

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    info = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": f"{cpu}, "
            f"{os.cpu_count()} cores, {_memory_gb()} GB RAM, {platform.system()} {platform.release()}",
            "python": platform.python_version(), "ours": f"reform-warehouse {__version__} ({commit})",
            "duckdb": duckdb.__version__, "sqlglot": sqlglot.__version__, "jinja2": jinja2.__version__,
            "load_at_start": os.getloadavg()[0]}
    if dbt_on:
        versions = subprocess.run([str(venv / "bin" / "python"), "-c",
                                   "import importlib.metadata as m; print(m.version('dbt-core'), m.version('dbt-duckdb'), "
                                   "m.version('duckdb'))"], capture_output=True, text=True).stdout.split()
        info["dbt"] = f"dbt-core {versions[0]}, dbt-duckdb {versions[1]} on duckdb {versions[2]}"
    return info


def _memory_gb() -> int:
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9)
    except (ValueError, OSError):
        return 0


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a and b else "-"


def secs(value: float | None) -> str:
    return "-" if value is None else (f"{value:.2f}" if value < 100 else f"{value:.0f}")


def table(rows: list[Row]) -> str:
    """Ratios first, then the medians they come from (seconds, MB)."""
    lines = ["| work | ours/dbt CPU | ours/dbt wall | ours/floor CPU | ours/floor wall | ours CPU s | dbt CPU s | "
             "floor CPU s | ours wall s | dbt wall s | floor wall s | peak MB ours / dbt / floor | load |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        m = row.median
        peaks = " / ".join(f"{m(t, 'peak_mb'):.0f}" if m(t, "peak_mb") else "-" for t in ("ours", "dbt", "floor"))
        lines.append(
            f"| {row.work} | {ratio(m('ours', 'cpu'), m('dbt', 'cpu'))} | {ratio(m('ours', 'wall'), m('dbt', 'wall'))} | "
            f"{ratio(m('ours', 'cpu'), m('floor', 'cpu'))} | {ratio(m('ours', 'wall'), m('floor', 'wall'))} | "
            f"{secs(m('ours', 'cpu'))} | {secs(m('dbt', 'cpu'))} | {secs(m('floor', 'cpu'))} | "
            f"{secs(m('ours', 'wall'))} | {secs(m('dbt', 'wall'))} | {secs(m('floor', 'wall'))} | {peaks} | "
            f"{statistics.median(row.load):.1f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: 30 and 100 models, 100k rows")
    parser.add_argument("--sizes", default=None, help="model counts for compile, comma-separated (100,1000,5000)")
    parser.add_argument("--rows", default=None, help="fact rows for build, comma-separated (1000000,10000000)")
    parser.add_argument("--build-models", type=int, default=30, help="models in the build project")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--build-repeats", type=int, help="repeats of the builds of more than 2M rows (default --repeats)")
    parser.add_argument("--work", type=Path, default=ROOT / ".bench" / "work", help="where projects are generated")
    parser.add_argument("--dbt-venv", type=Path, default=ROOT / ".bench" / "dbt-venv")
    parser.add_argument("--no-dbt", action="store_true", help="measure ours and the floor only")
    parser.add_argument("--only", choices=("startup", "compile", "build"), action="append")
    parser.add_argument("--json", type=Path, help="also write every sample and the environment here")
    parser.add_argument("--svg", type=Path, help="also draw the ratios as an SVG bar chart here")
    args = parser.parse_args()
    sizes = [int(s) for s in (args.sizes or ("30,100" if args.quick else "100,1000,5000")).split(",") if s]
    row_counts = [int(s) for s in (args.rows or ("100000" if args.quick else "1000000,10000000")).split(",") if s]
    dbt_on = not args.no_dbt
    if dbt_on:
        ensure_dbt(args.dbt_venv)
    args.work.mkdir(parents=True, exist_ok=True)
    env = environment(args.dbt_venv, dbt_on)
    print(json.dumps(env, indent=1), flush=True)
    rows: list[Row] = []
    only = set(args.only or ("startup", "compile", "build"))

    def save() -> None:       # after every section: a long run stopped half way keeps what it measured
        if args.json:
            args.json.write_text(json.dumps({"environment": env, "rows": [asdict(r) for r in rows]}, indent=1))

    if "startup" in only:
        rows.append(bench_startup(args.dbt_venv, args.work, args.repeats, dbt_on))
        print(table(rows[-1:]), flush=True)
    if "compile" in only:
        for size in sizes:
            rows += bench_compile(args.dbt_venv, args.work, size, args.repeats, dbt_on)
            print(table(rows[-2:]), flush=True)
            save()
    if "build" in only:
        for count in row_counts:
            repeats = args.build_repeats if args.build_repeats and count > 2_000_000 else args.repeats
            rows += bench_build(args.dbt_venv, args.work, args.build_models, count, repeats, dbt_on)
            print(table(rows[-2:]), flush=True)
            print("disk:", json.dumps(rows[-2].extra), flush=True)
            save()
    print()
    print(table(rows))
    data = {"environment": env, "rows": [asdict(r) for r in rows]}
    save()
    if args.svg:
        from chart import ratios, svg

        args.svg.write_text(svg(ratios(data["rows"]), f"reform-warehouse vs dbt-duckdb and raw DuckDB "
                                                      f"({env['date']}; lower is faster)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
