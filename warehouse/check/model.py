"""The plain records the check stage passes around: suites as loaded, results as measured.

They live apart from the code that fills them so that the engine, the CLI and the tests can
use them without importing DuckDB, pandas or Great Expectations.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEVERITIES = ("critical", "warning", "info")


@dataclass(frozen=True)
class Expectation:
    """One entry of a suite's `expectations` list, already validated.

    `index` is its position in the file, so every message and result can point back to it.
    """

    index: int
    type: str
    kwargs: dict
    meta: dict
    severity: str = "critical"


@dataclass(frozen=True)
class Suite:
    """A data_checks/*.json file bound to one model (`meta.model`) or one SQL query (`meta.query`)."""

    name: str
    path: Path
    model: str | None
    query: str | None
    expectations: tuple[Expectation, ...]
    meta: dict


@dataclass
class ExpectationResult:
    """GX's result fields for one expectation, whichever path computed them.

    Both paths fill the same fields with the same meaning, so the gate, the JSON file and the
    `_warehouse_checks` table do not care which path ran. `details` holds GX's remaining result
    keys (missing_count, unexpected_percent_total, mismatched columns...).
    """

    suite: str
    index: int
    type: str
    column: str | None
    kwargs: dict
    severity: str
    success: bool
    unexpected_count: int | None
    unexpected_percent: float | None
    partial_unexpected_list: list
    observed_value: Any
    element_count: int | None
    path: str
    exception: str | None = None
    details: dict = field(default_factory=dict)


@dataclass
class SuiteResult:
    """All results of one suite; `path` is "gx", "sql" or "mixed" (auto split the suite)."""

    suite: str
    model: str | None
    success: bool
    results: list[ExpectationResult]
    seconds: float
    path: str


def column_label(kwargs: dict) -> str | None:
    """The column(s) an expectation is about, as one string for tables and summaries."""
    if "column" in kwargs:
        return str(kwargs["column"])
    if "column_A" in kwargs:
        return f"{kwargs['column_A']},{kwargs.get('column_B')}"
    columns = kwargs.get("column_list")
    if isinstance(columns, (list, tuple)):
        return ",".join(str(c) for c in columns)
    return None


def error_text(exc: BaseException, with_type: bool = True) -> str:
    """What went wrong, worded the same whichever layer raised it: the engine's DatabaseError
    already says '<driver class>: <message>'; anything else is named by its class here."""
    from warehouse.core.errors import DatabaseError

    if isinstance(exc, DatabaseError):
        return exc.message if with_type else exc.detail
    return f"{type(exc).__name__}: {exc}" if with_type else str(exc)


def error_result(suite: str, exp: Expectation, path: str, message: str) -> ExpectationResult:
    """A result for an expectation that could not be evaluated: it fails and says why."""
    return make_result(suite, exp, path, False, {}, exception=message)


_MAIN_KEYS = ("unexpected_count", "unexpected_percent", "partial_unexpected_list",
              "observed_value", "element_count")


def make_result(suite: str, exp: Expectation, path: str, success: bool, result: dict,
                exception: str | None = None) -> ExpectationResult:
    """An ExpectationResult from a GX-shaped `result` dict; both paths build theirs through here,
    so they agree on which keys are fields and which go to `details`."""
    from warehouse.check.values import jsonable

    result = jsonable(result or {})
    return ExpectationResult(
        suite=suite,
        index=exp.index,
        type=exp.type,
        column=column_label(exp.kwargs),
        kwargs=exp.kwargs,
        severity=exp.severity,
        success=bool(success),
        unexpected_count=result.get("unexpected_count"),
        unexpected_percent=result.get("unexpected_percent"),
        partial_unexpected_list=result.get("partial_unexpected_list") or [],
        observed_value=result.get("observed_value"),
        element_count=result.get("element_count"),
        path=path,
        exception=exception,
        details={k: v for k, v in result.items() if k not in _MAIN_KEYS},
    )
