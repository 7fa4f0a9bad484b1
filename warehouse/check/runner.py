"""Run suites against the staging database, choosing the SQL or GX path per expectation.

The auto rule (measured by bench/bench_checks.py, figures in docs/checks.md): a suite whose
expectations are all SQL-supported runs in DuckDB, whatever its size: the two paths are tested
to agree field by field, and this spares the build GX's 2.6 s import (the reform project's 58
suites: 0.96 s of CPU on SQL against 5.7 s through GX, bench/bench_suites.py). Otherwise a
relation with at least AUTO_SQL_MIN_ROWS rows has its SQL-supported expectations evaluated in DuckDB and only the
others in GX; a smaller one goes to GX whole, so mixed suites keep one implementation.
Below 250k rows the GX path costs at most ~0.16 s and ~150 MB per 6-expectation suite (after
GX's one-off 2.6 s import), so the
reference implementation is kept; above, it grows to 7.3 s and 4.4 GB at 10M rows where the
SQL path takes 1.3 s and no extra memory.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from warehouse.check.model import Expectation, ExpectationResult, Suite, SuiteResult
from warehouse.check.sql_path import gx_reason, run_sql, sql_supported
from warehouse.check.sql_table import Table

AUTO_SQL_MIN_ROWS = 250_000
PATHS = ("auto", "gx", "sql")


class LazyGx:
    """Creates the GX runner (and imports GX) only when some expectation needs it, and says
    which one did: loading GX costs ~2.5 s, and a build that slows down must show why."""

    def __init__(self, runner=None, notice: Callable[[str], None] | None = None):
        self._runner = runner
        self._notice = notice

    def get(self, suite: Suite | None = None, expectations: list[Expectation] = ()):
        if self._runner is None:
            if self._notice is not None and suite is not None:
                self._notice(loading_notice(suite, expectations))
            from warehouse.check.gx_path import GxRunner
            self._runner = GxRunner()
        return self._runner


def loading_notice(suite: Suite, expectations: list[Expectation]) -> str:
    """Which suite and expectations made this build load GX, and why each could not run in SQL."""
    why = [(e, gx_reason(e)) for e in expectations if gx_reason(e)]
    named = "; ".join(f"#{e.index} {e.type} ({reason})" for e, reason in why[:3])
    more = f" and {len(why) - 3} more" if len(why) > 3 else ""
    return (f"loading Great Expectations (~2.5 s) for suite {suite.name} ({suite.path}): "
            + (named + more if why else "the whole suite (--check-path gx, or a small table "
               "with expectations outside the SQL path)"))


def relation_for(suite: Suite, relation_of: Callable[[str], str]) -> str:
    """The SQL relation a suite checks: its model's relation, or its query as a subquery."""
    if suite.model is not None:
        return relation_of(suite.model)
    return f"({suite.query.strip().rstrip(';')}) AS _wh_query"


def split_by_path(con, relation: str, suite: Suite,
                  path: str) -> tuple[list[Expectation], list[Expectation]]:
    """(expectations for the SQL path, expectations for the GX path)."""
    supported = [e for e in suite.expectations if sql_supported(e)]
    others = [e for e in suite.expectations if not sql_supported(e)]
    if path == "gx" or not supported:
        return [], list(suite.expectations)
    if path == "auto" and not others:
        return supported, []
    if path == "auto":
        try:
            if Table.describe(con, relation).row_count() < AUTO_SQL_MIN_ROWS:
                return [], list(suite.expectations)
        except Exception:
            pass  # unreadable relation: the SQL path reports it per expectation, cheaply
    return supported, others


def _path_label(results: list[ExpectationResult], requested: str) -> str:
    used = {r.path for r in results}
    if len(used) > 1:
        return "mixed"
    return used.pop() if used else ("sql" if requested == "auto" else requested)


def run_suite(con, suite: Suite, relation_of: Callable[[str], str], path: str,
              gx: LazyGx) -> SuiteResult:
    """All expectations of one suite, in file order, timed together."""
    started = time.perf_counter()
    relation = relation_for(suite, relation_of)
    sql_exps, gx_exps = split_by_path(con, relation, suite, path)
    results = run_sql(con, relation, suite.name, sql_exps, relation_of) if sql_exps else []
    if gx_exps:
        from warehouse.check.gx_path import run_gx
        results += run_gx(con, relation, suite.name, gx_exps, gx.get(suite, gx_exps))
    results.sort(key=lambda r: r.index)
    return SuiteResult(suite=suite.name, model=suite.model,
                       success=all(r.success for r in results), results=results,
                       seconds=time.perf_counter() - started, path=_path_label(results, path))


def run_suites(con, suites: list[Suite], relation_of: Callable[[str], str], *,
               path: str = "auto", gx_runner=None, notice: Callable[[str], None] | None = None) -> list[SuiteResult]:
    """Run every suite on `con`. `path` is "gx", "sql" (GX only for unsupported types) or
    "auto" (see module docstring). `gx_runner` lets callers share one GX context."""
    if path not in PATHS:
        raise ValueError(f"path must be one of {', '.join(PATHS)}, not {path!r}")
    gx = LazyGx(gx_runner, notice)
    return [run_suite(con, suite, relation_of, path, gx) for suite in suites]
