"""Regenerate every seed: run each module in seeds/extract/ that exposes `main`.

Why discovery instead of a fixed list: colleagues add extraction modules (e.g. eb152_34.py) with
the same `main(sources_dir, seeds_dir) -> list[Path]` contract; `python seeds/extract/run_all.py`
must pick them up without editing this file. Modules are run in name order; none reads another's
CSV output, so the order does not change the result. A module that fails is reported and the
others still run; the exit status is non-zero if any failed.

Usage:
    python seeds/extract/run_all.py           # write seeds/
    python seeds/extract/run_all.py --check   # write nothing; list seeds that differ from a fresh run
"""
from __future__ import annotations

import argparse
import importlib
import re
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import seedio  # noqa: E402

NOT_EXTRACTORS = {"run_all", "seedio"}
MAIN_DEF = re.compile(r"^def main\(", re.MULTILINE)


def discover() -> list[str]:
    """Names of the modules in this folder that define a top-level `main`.

    Read as text rather than imported, so that listing never runs a module (a colleague's
    half-written module then fails in `run`, where it is reported, not here).
    """
    return [path.stem for path in sorted(HERE.glob("*.py"))
            if path.stem not in NOT_EXTRACTORS and not path.stem.startswith("_")
            and MAIN_DEF.search(path.read_text(encoding="utf-8"))]


def run(name: str, check: bool, sources_dir: Path | None, seeds_dir: Path | None) -> list[str]:
    """Run one module; return the lines to print (written paths, or stale seeds with --check)."""
    main = importlib.import_module(name).main
    if check:
        stale = seedio.stale_outputs(main, seeds_dir or seedio.SEEDS_DIR, sources_dir)
        return [f"{name}: stale {path}" for path in stale]
    return [f"{name}: {path}" for path in main(sources_dir=sources_dir, seeds_dir=seeds_dir)]


def main(argv: list[str] | None = None) -> int:
    """Run every extractor; 0 if all succeeded (and, with --check, nothing is stale)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--sources-dir", type=Path, default=None)
    parser.add_argument("--seeds-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    failed, stale = [], False
    for name in discover():
        try:
            lines = run(name, args.check, args.sources_dir, args.seeds_dir)
        except Exception:  # report and go on: one broken module must not hide the others
            failed.append(name)
            print(f"{name}: FAILED\n{traceback.format_exc()}", file=sys.stderr)
            continue
        stale = stale or (args.check and bool(lines))
        print("\n".join(lines) if lines else f"{name}: up to date")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed or stale else 0


if __name__ == "__main__":
    sys.exit(main())
