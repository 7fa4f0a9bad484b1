"""What the gate does with results: decide, record (JSON file and table), and explain."""
from __future__ import annotations

import datetime
import json
from dataclasses import asdict
from pathlib import Path

from warehouse.check.model import ExpectationResult, SuiteResult
from warehouse.check.values import jsonable
from warehouse.core.vocab import Severity

CHECKS_TABLE = "_warehouse_checks"
_CREATE_TABLE = f"""
CREATE TABLE IF NOT EXISTS {CHECKS_TABLE} (
    build_id VARCHAR, checked_at TIMESTAMP, suite VARCHAR, model VARCHAR,
    expectation_index INTEGER, expectation_type VARCHAR, column_name VARCHAR,
    severity VARCHAR, success BOOLEAN, unexpected_count BIGINT, unexpected_percent DOUBLE,
    path VARCHAR, seconds DOUBLE, details JSON)"""
_EXAMPLES = 5
_EXPECTED_KWARGS = ("min_value", "max_value", "value", "value_set", "column_set",
                    "column_list", "column_index")


def is_blocking(r: ExpectationResult) -> bool:
    """A critical failure blocks; so does an expectation that could not run at all, whatever
    its severity, because then nobody knows whether the data is fine."""
    return r.exception is not None or (not r.success and Severity.of(r.severity).blocking)


def blocking_failures(results: list[SuiteResult]) -> list[ExpectationResult]:
    """The results that must stop the build from publishing."""
    return [r for s in results for r in s.results if is_blocking(r)]


def _details(r: ExpectationResult) -> dict:
    return jsonable({"kwargs": r.kwargs, "observed_value": r.observed_value,
                     "element_count": r.element_count,
                     "partial_unexpected_list": r.partial_unexpected_list,
                     "exception": r.exception, **r.details})


def _row(build_id: str, at: datetime.datetime, s: SuiteResult, r: ExpectationResult) -> tuple:
    return (build_id, at, s.suite, s.model, r.index, r.type, r.column, r.severity, r.success,
            r.unexpected_count, r.unexpected_percent, r.path, s.seconds,
            json.dumps(_details(r)))


def write_results(results: list[SuiteResult], target_dir: Path, con, build_id: str) -> Path:
    """Write target_dir/check_results.json and append one row per expectation to
    `_warehouse_checks` in `con`, so a build's checks can be read back after it publishes."""
    at = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    target = Path(target_dir)
    target.mkdir(parents=True, exist_ok=True)
    out = target / "check_results.json"
    doc = {"build_id": build_id, "checked_at": at.isoformat() + "Z",
           "success": not blocking_failures(results),
           "suites": [jsonable(asdict(s)) for s in results]}
    out.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    con.execute(_CREATE_TABLE)
    rows = [_row(build_id, at, s, r) for s in results for r in s.results]
    if rows:
        con.executemany(f"INSERT INTO {CHECKS_TABLE} VALUES "
                        f"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return out


def _status(r: ExpectationResult) -> str:
    if r.exception is not None:
        return "ERROR"
    return {"critical": "FAIL", "warning": "WARN"}.get(r.severity, "INFO")


def _what(r: ExpectationResult) -> str:
    if r.exception is not None:
        return f"could not run: {r.exception.splitlines()[0] if r.exception else ''}"
    if r.unexpected_count is not None and r.element_count is not None:
        pct = f" ({r.unexpected_percent:.2f}%)" if r.unexpected_percent is not None else ""
        return f"{r.unexpected_count} of {r.element_count} rows unexpected{pct}"
    if r.unexpected_count is not None:
        return f"{r.unexpected_count} unexpected values"
    if r.observed_value is not None:
        return f"observed {_short(r.observed_value)}{_expected(r)}"
    return f"failed{_expected(r)}"


def _short(value, limit: int = 80) -> str:
    text = json.dumps(jsonable(value))
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _expected(r: ExpectationResult) -> str:
    """The kwargs that say what was expected, e.g. ' (expected max_value=15)'."""
    shown = [f"{k}={_short(r.kwargs[k], 60)}" for k in _EXPECTED_KWARGS if k in r.kwargs]
    mismatched = r.details.get("details", {}).get("mismatched") if r.details else None
    if mismatched:
        shown.append(f"mismatched={_short(mismatched, 120)}")
    return f" (expected {', '.join(shown)})" if shown else ""


def _examples(r: ExpectationResult) -> str:
    shown = r.partial_unexpected_list[:_EXAMPLES]
    if not shown:
        return ""
    more = ", ..." if len(r.partial_unexpected_list) > _EXAMPLES else ""
    return "; examples: " + ", ".join(json.dumps(jsonable(v)) for v in shown) + more


def _line(s: SuiteResult, r: ExpectationResult) -> str:
    on = f"({r.column})" if r.column else ""
    return (f"{_status(r)} {s.suite}#{r.index} {r.type}{on}"
            f"{' on ' + s.model if s.model else ''}: {_what(r)}{_examples(r)}")


def summarize(results: list[SuiteResult]) -> list[str]:
    """One line per failed or errored expectation, then a count; examples show real values."""
    lines = [_line(s, r) for s in results for r in s.results if not r.success]
    total = sum(len(s.results) for s in results)
    failed = sum(1 for s in results for r in s.results if not r.success)
    blocking = len(blocking_failures(results))
    lines.append(f"{len(results)} suites, {total} expectations: {failed} failed, "
                 f"{blocking} blocking")
    return lines
