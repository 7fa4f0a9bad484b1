"""The change report: one record per model, its one-line summary, and table / JSON / Markdown views.

Records are plain JSON-ready dicts once built (`ModelChange.to_json`), so the same data goes to
`target/run_results.json`, the `_warehouse_changes` table, `run.py diff` and the docs site.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class ChangeStatus(StrEnum):
    NEW = "new"                # not in the published warehouse
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    REMOVED = "removed"        # published, but no longer built


class GateOutcome(StrEnum):
    BLOCKED = "blocked"        # the build does not publish
    WARNED = "warned"
    ALLOWED = "allowed"        # a breaking change let through by --allow-breaking


@dataclass
class GateHit:
    gate: str                  # breaking_changes | max_row_change | min_rows | max_removed_rows
    outcome: GateOutcome
    message: str


@dataclass
class ModelChange:
    unique_id: str
    name: str
    relation: str
    status: ChangeStatus
    rows_before: int | None = None
    rows_after: int | None = None
    schema: dict[str, Any] = field(
        default_factory=lambda: {"added": [], "removed": [], "retyped": [], "reordered": False})
    rows: dict[str, Any] = field(default_factory=dict)   # warehouse.sql.diff.RowDiff as a dict
    key_source: str = ""
    gates: list[GateHit] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["summary"] = summary(data)
        return data


def summary(change: dict[str, Any]) -> str:
    """One line: `mart_x: +2 rows, 3 changed, column cost_basis retyped (VARCHAR -> DOUBLE)`."""
    name, status = change["name"], change["status"]
    if status == ChangeStatus.NEW:
        return f"{name}: new ({_n(change.get('rows_after'))} rows)"
    if status == ChangeStatus.REMOVED:
        return f"{name}: removed (had {_n(change.get('rows_before'))} rows)"
    parts = _row_parts(change) + _schema_parts(change["schema"])
    return f"{name}: " + (", ".join(parts) if parts else "unchanged")


def _row_parts(change: dict[str, Any]) -> list[str]:
    rows = change.get("rows") or {}
    before, after = change.get("rows_before"), change.get("rows_after")
    if rows.get("method") == "skipped" or not rows:
        if before is not None and after is not None and before != after:
            return [f"{_signed(after - before)} rows net ({rows.get('note') or 'rows not compared'})"]
        return [rows["note"]] if rows.get("note") and rows.get("method") == "skipped" else []
    parts = []
    if rows.get("added"):
        parts.append(f"+{_n(rows['added'])} row{'s' if rows['added'] != 1 else ''}")
    if rows.get("removed"):
        parts.append(f"-{_n(rows['removed'])} row{'s' if rows['removed'] != 1 else ''}")
    if rows.get("changed"):
        top = ", ".join(c["column"] for c in rows.get("columns_changed", [])[:3])
        parts.append(f"{_n(rows['changed'])} changed" + (f" ({top})" if top else ""))
    return parts


def _schema_parts(schema: dict[str, Any]) -> list[str]:
    parts = []
    for kind in ("added", "removed"):
        names = [c["name"] for c in schema.get(kind, [])]
        if names:
            parts.append(f"column{'s' if len(names) > 1 else ''} {', '.join(names)} {kind}")
    for c in schema.get("retyped", []):
        parts.append(f"column {c['name']} retyped ({c['from']} -> {c['to']})")
    if schema.get("reordered"):
        parts.append("columns reordered")
    return parts


def _n(value: Any) -> str:
    return "?" if value is None else f"{value:,}"


def _signed(value: int) -> str:
    return f"+{value:,}" if value >= 0 else f"{value:,}"


# -- views -------------------------------------------------------------------------------------

def changed_only(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for c in changes if c["status"] != ChangeStatus.UNCHANGED]


def render(changes: list[dict[str, Any]], fmt: str, title: str = "") -> str:
    """`table` (plain text), `json` or `markdown` (for a pull-request comment)."""
    if fmt == "json":
        return json.dumps({"title": title, "changes": changes}, indent=2, default=str)
    if fmt == "markdown":
        return _markdown(changes, title)
    return _table(changes, title)


def _table(changes: list[dict[str, Any]], title: str) -> str:
    shown = changed_only(changes)
    lines = [title] if title else []
    if not shown:
        return "\n".join(lines + [f"no changes in {len(changes)} model(s)"])
    header = ("model", "status", "before", "after", "+rows", "-rows", "changed", "schema")
    rows = [header] + [(c["name"], c["status"], _n(c.get("rows_before")), _n(c.get("rows_after")),
                        _count(c, "added"), _count(c, "removed"), _count(c, "changed"),
                        "; ".join(_schema_parts(c["schema"])) or "-") for c in shown]
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(header))]
    lines += ["  ".join(str(v).ljust(w) for v, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"{len(shown)} of {len(changes)} model(s) changed")
    for c in shown:
        for hit in c.get("gates", []):
            lines.append(f"{hit['outcome']}: {c['name']}: {hit['message']}")
    return "\n".join(lines)


def _count(change: dict[str, Any], kind: str) -> str:
    value = (change.get("rows") or {}).get(kind)
    return "-" if value is None else f"{value:,}"


def _markdown(changes: list[dict[str, Any]], title: str) -> str:
    shown = changed_only(changes)
    out = [f"### {title or 'What changed'}", ""]
    if not shown:
        return "\n".join(out + [f"No changes in {len(changes)} model(s)."])
    out += ["| model | change | rows before | rows after |", "|---|---|---:|---:|"]
    for c in shown:
        change = summary(c).split(": ", 1)[1]
        out.append(f"| `{c['name']}` | {change} | {_n(c.get('rows_before'))} | {_n(c.get('rows_after'))} |")
    blocked = [(c["name"], h) for c in shown for h in c.get("gates", [])]
    if blocked:
        out += ["", "**Gates**", ""] + [f"- {h['outcome']}: `{name}`: {h['message']}" for name, h in blocked]
    for c in shown:
        examples = (c.get("rows") or {}).get("examples") or {}
        if any(examples.values()):
            out += ["", f"<details><summary><code>{c['name']}</code>: example rows</summary>", ""]
            out += _markdown_examples(examples)
            out += ["", "</details>"]
    return "\n".join(out)


def _markdown_examples(examples: dict[str, list]) -> list[str]:
    out = []
    if examples.get("changed"):
        out += ["| key | column | before | after |", "|---|---|---|---|"]
        for row in examples["changed"]:
            key = ", ".join(f"{k}={v}" for k, v in row["key"].items())
            for column, (before, after) in row["changes"].items():
                out.append(f"| {_cell(key)} | `{column}` | {_cell(before)} | {_cell(after)} |")
    for kind in ("added", "removed"):
        for row in examples.get(kind) or []:
            out.append(f"- {kind}: `{_cell(json.dumps(row, ensure_ascii=False, default=str))}`")
    return out


def _cell(value: Any) -> str:
    return "NULL" if value is None else str(value).replace("|", "\\|").replace("\n", " ")
