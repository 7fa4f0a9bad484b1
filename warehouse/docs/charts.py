"""The docs site's charts, as the project declares them in `docs_site.yml` (docs/project.md).

The engine knows no domain: which marts are charted, with which SQL, titles and notes, is the
project's business. This module only knows chart *kinds* (how rows become a drawing), each
with the column names its rows must have, and reads the declarations, refusing unknown keys
with the nearest valid one. Each chart tries its sources in order and is skipped, with the
reason, when none can be read from the published warehouse.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from warehouse.core.errors import DatabaseError, Location, ProjectError
from warehouse.core.relation import quote_relation

DECLARATIONS = "docs_site.yml"
_TOP_KEYS = ("version", "charts", "lineage_start")
_CHART_KEYS = ("id", "title", "subtitle", "note", "kind", "sources", "options")
_SOURCE_KEYS = ("needs", "sql")


@dataclass(frozen=True)
class Source:
    """One way to get a chart's rows: a query over named relations that need these columns."""

    needs: dict[str, tuple[str, ...]]  # model name -> columns it must have
    sql: str                           # {name} placeholders become quoted relations

    def rows(self, project: Any, engine: Any) -> tuple[list[dict] | None, str]:
        """The rows, or None and why this source cannot be used."""
        relations = {}
        for name, columns in self.needs.items():
            node = project.by_name(name, ("model", "seed", "source"))
            found = engine.columns(node.schema, node.identifier) if node else []
            if not found:
                return None, f"{name} is not in the published warehouse"
            missing = [c for c in columns if c not in {n for n, _ in found}]
            if missing:
                return None, f"{name} has no column {', '.join(missing)}"
            relations[name] = quote_relation(node.schema, node.identifier)
        try:
            names, rows = engine.query(self.sql.format(**relations))
        except DatabaseError as error:      # a query the warehouse refuses skips the source
            return None, f"query on {', '.join(self.needs)} failed: {error.detail.splitlines()[0]}"
        except (KeyError, IndexError, ValueError) as error:     # a {placeholder} that names no source
            return None, f"the query of {', '.join(self.needs)} names an unknown {{placeholder}}: {error}"
        return [dict(zip(names, row)) for row in rows], ""


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    kind: str
    sources: tuple[Source, ...]
    note: str = ""
    subtitle: str = ""
    options: dict[str, Any] = field(default_factory=dict)

    def build(self, project: Any, engine: Any) -> dict:
        reasons = []
        for source in self.sources:
            rows, why = source.rows(project, engine)
            if rows is None:
                reasons.append(why)
                continue
            if not rows:
                reasons.append(f"{', '.join(source.needs)} returned no rows")
                continue
            return {"id": self.id, "kind": self.kind, "title": self.title, "subtitle": self.subtitle,
                    "note": self.note, "source": ", ".join(source.needs), "query": source.sql.strip(),
                    "data": KINDS[self.kind](rows, self.options)}
        return {"id": self.id, "kind": self.kind, "title": self.title, "skipped": "; ".join(reasons)}


def rates_by_group(rows: list[dict], options: dict) -> dict:
    """Kind `rates_by_group`: completion rates per group, one bar per category.

    Rows: `plan_code` (the group), `grain` ('plan' for the group's own total, anything else for a
    category row), `category_en`, optional `category_zh`, `actions`, `completed`."""
    plans: dict[str, dict] = {}
    for r in rows:
        plan = plans.setdefault(r["plan_code"], {"plan_code": r["plan_code"], "actions": 0, "completed": 0,
                                                 "categories": []})
        if r["grain"] == "plan":
            plan["actions"], plan["completed"] = r["actions"], r["completed"]
        else:
            plan["categories"].append({"category": r["category_en"] or "(no category)",
                                       "category_zh": r.get("category_zh"), "actions": r["actions"],
                                       "completed": r["completed"], "rate": _rate(r["completed"], r["actions"])})
    for plan in plans.values():
        if not plan["actions"]:
            plan["actions"] = sum(c["actions"] for c in plan["categories"])
            plan["completed"] = sum(c["completed"] for c in plan["categories"])
        plan["rate"] = _rate(plan["completed"], plan["actions"])
    return {"plans": list(plans.values())}


def _rate(part: Any, whole: Any) -> float | None:
    return round(float(part) / float(whole), 4) if whole else None


def cost_by_status(rows: list[dict], options: dict) -> dict:
    """Kind `cost_by_status`: cost per category, stacked by status; rows of another cost basis
    than `options.basis` are counted (`left_out`), never added.

    Rows: `category_en`, `budget_status`, `cost_basis`, `actions`, `cost_low_usd`, `cost_high_usd`.
    Options: `basis` (the cost basis drawn), `statuses` (ordered [{key, label, color}]; a status
    not listed is drawn as `other`)."""
    basis = options.get("basis")
    statuses = [s["key"] for s in options.get("statuses", [])]
    categories: dict[str, dict] = {}
    left_out: dict[str, int] = {}
    for r in rows:
        category = r["category_en"] or "(no category)"
        entry = categories.setdefault(category, {"category": category, "actions": 0, "by_status": {}})
        entry["actions"] += r["actions"]
        if r["cost_basis"] != basis:
            left_out[r["cost_basis"] or "no_figure"] = left_out.get(r["cost_basis"] or "no_figure", 0) + r["actions"]
            continue
        group = r["budget_status"] if r["budget_status"] in statuses else "other"
        cell = entry["by_status"].setdefault(group, {"low": 0.0, "high": 0.0, "actions": 0})
        cell["low"] += float(r["cost_low_usd"] or 0)
        cell["high"] += float(r["cost_high_usd"] or 0)
        cell["actions"] += r["actions"]
    ordered = sorted(categories.values(), key=lambda c: -sum(v["high"] for v in c["by_status"].values()))
    order = statuses if "other" in statuses else [*statuses, "other"]
    return {"basis": basis, "statuses": order, "categories": ordered, "left_out": left_out,
            "labels": {s["key"]: s.get("label", s["key"]) for s in options.get("statuses", [])},
            "colors": {s["key"]: s["color"] for s in options.get("statuses", []) if s.get("color")},
            "axis": options.get("axis", "")}


KINDS: dict[str, Callable[[list[dict], dict], dict]] = {"rates_by_group": rates_by_group,
                                                        "cost_by_status": cost_by_status}


@dataclass(frozen=True)
class Declarations:
    charts: tuple[Chart, ...] = ()
    lineage_start: tuple[dict, ...] = ()    # [{model, column}]: where the lineage page opens


def load_declarations(root: Path) -> Declarations:
    """The project's docs_site.yml; no charts when the project has none."""
    from warehouse.core.yamlio import load_yaml, reject_unknown_keys

    path = root / DECLARATIONS
    if not path.exists():
        return Declarations()
    doc = load_yaml(path, Path(DECLARATIONS)) or {}
    reject_unknown_keys(doc, _TOP_KEYS, DECLARATIONS, Path(DECLARATIONS))
    charts = tuple(_chart(entry) for entry in doc.get("charts") or [])
    starts = tuple({"model": s.get("model"), "column": s.get("column")} for s in doc.get("lineage_start") or [])
    return Declarations(charts, starts)


def _chart(entry: Any) -> Chart:
    from warehouse.core.yamlio import nearest, reject_unknown_keys

    where = getattr(entry, "where", lambda key=None: Location(DECLARATIONS))
    if not isinstance(entry, dict) or not entry.get("id") or not entry.get("kind"):
        raise ProjectError("each chart needs at least `id`, `kind` and `sources`", where())
    reject_unknown_keys(entry, _CHART_KEYS, f"chart {entry['id']}", Path(DECLARATIONS))
    if entry["kind"] not in KINDS:
        close = nearest(entry["kind"], KINDS)
        raise ProjectError(f"unknown chart kind '{entry['kind']}'", where("kind"),
                           hint=f"did you mean '{close}'?" if close else f"kinds: {', '.join(KINDS)}")
    sources = []
    for source in entry.get("sources") or []:
        reject_unknown_keys(source, _SOURCE_KEYS, f"a source of chart {entry['id']}", Path(DECLARATIONS))
        sources.append(Source({name: tuple(cols or ()) for name, cols in (source.get("needs") or {}).items()},
                              str(source.get("sql") or "")))
    return Chart(id=str(entry["id"]), title=str(entry.get("title") or entry["id"]), kind=entry["kind"],
                 sources=tuple(sources), note=str(entry.get("note") or ""), subtitle=str(entry.get("subtitle") or ""),
                 options=dict(entry.get("options") or {}))
