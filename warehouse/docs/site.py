"""The docs site: `run.py docs` writes a static site to `target/docs/` for people to browse.

One `index.html` holding every fact as a JSON block, plus `app.js`, `style.css` and the
vendored Cytoscape and Chart.js of `assets/vendor/`: no server, nothing fetched, so it
opens from `file://` and can be zipped or put on any static host. What it shows:

- every seed, source and model: description, columns (type as built in the published
  warehouse, description, tests), raw and compiled SQL, static-check findings, and its tests
  and expectation suites with their last results (`target/run_results.json`,
  `target/check_results.json`, when present);
- the model graph, and column lineage from sqlglot's static analysis (`warehouse.sql.lineage`);
- charts of the marts, read from the published warehouse (read-only) at docs time. Each chart
  tries its sources in order and is skipped, with a note, when none is in the warehouse.

`collect` gathers plain data from a Session; `render` writes the site; `write_docs_site` does
both. Nothing here writes to the warehouse, the manifest or `target/compiled/`.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from warehouse import __version__
from warehouse.core.errors import WarehouseError
from warehouse.core.relation import quote_relation

ASSETS = Path(__file__).with_name("assets")
# Copied into target/docs/ as they are; index.html is rendered from its template.
STATIC_FILES = ("app.js", "style.css", "vendor/cytoscape.min.js", "vendor/chart.umd.min.js",
                "vendor/cytoscape.LICENSE", "vendor/chart.js.LICENSE.md", "vendor/README.md")
DATA_PLACEHOLDER = "/*__WAREHOUSE_DOCS_DATA__*/"
DOCUMENTED_TYPES = ("seed", "source", "model")


def write_docs_site(session: Any) -> Path:
    """Collect everything about the project and write the site; returns target/docs/index.html."""
    data = collect(session)
    return render(data, session.project.config.target_path / "docs")


# -- collecting --------------------------------------------------------------------------------

def collect(s: Any) -> dict:
    """Everything the site shows, as JSON-ready data. Opens the published warehouse read-only."""
    from warehouse.pipeline import run
    from warehouse.sql.static_check import analyze
    from warehouse.gates.static_gate import reading_published, relations, sql_models

    project = s.project
    published = s.workspace.published
    with reading_published(s):
        s.compiled = run.compile_models(project, s.compiler, s.order("model"), write=False)
        analysis = analyze(sql_models(s), relations(s))
        catalog = s.engine.catalog()
        built = {uid: catalog.get((n.schema, n.identifier), [])
                 for uid, n in project.nodes.items() if n.resource_type in DOCUMENTED_TYPES}
        charts = [chart.build(project, s.engine) for chart in CHARTS] if published.exists() else [
            {"id": c.id, "title": c.title, "skipped": f"{published.name} has not been published yet: "
             "run `python3 run.py build`, then `docs` again"} for c in CHARTS]
        history = _build_history(s.engine) if published.exists() else []
    target = project.config.target_path
    run_results = _read_json(target / "run_results.json")
    check_results = _read_json(target / "check_results.json")
    suites = _suites(project, check_results)
    nodes = _nodes(s, built, analysis, run_results, suites)
    return _jsonable({
        "project": project.config.name,
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "warehouse_version": __version__,
        "published": {"path": published.name, "exists": published.exists(),
                      "modified_at": _mtime(published)},
        "run": (run_results or {}).get("metadata") and {
            **run_results["metadata"], "status": run_results.get("status"),
            "elapsed_seconds": run_results.get("elapsed_seconds")},
        "checks_run": check_results and {k: check_results.get(k) for k in ("build_id", "checked_at", "success")},
        "nodes": nodes,
        "suites": suites,
        "tests": _tests(s, run_results),
        "lineage": analysis.lineage,
        "charts": charts,
        "history": history,
    })


def _nodes(s: Any, built: dict, analysis: Any, run_results: dict | None, suites: list[dict]) -> list[dict]:
    project = s.project
    results = _results_by_id(run_results)
    diagnostics: dict[str, list] = {}
    for d in analysis.diagnostics:
        diagnostics.setdefault(d.model, []).append({
            "kind": d.kind, "severity": d.severity, "line": d.line, "column": d.column,
            "message": d.message, "hint": d.hint, "text": str(d)})
    tests_of: dict[str, list[str]] = {}
    for node in project.of_type("test"):
        meta = node.test_metadata or {}
        for parent in ([meta["attached_to"]] if meta.get("attached_to") else node.depends_on):
            tests_of.setdefault(parent, []).append(node.unique_id)
    suites_of: dict[str, list[dict]] = {}
    for suite in suites:
        for name in ([suite["model"]] if suite["model"] else suite["reads"]):
            suites_of.setdefault(name, []).append(suite)
    out = []
    for uid in s.graph.topological(set(project.nodes)):
        node = project.nodes[uid]
        if node.resource_type not in DOCUMENTED_TYPES:
            continue
        out.append({
            "unique_id": uid, "name": node.name, "resource_type": node.resource_type,
            "layer": node.layer if node.resource_type == "model" else node.resource_type,
            "path": _posix(node.path), "properties_path": _posix(node.properties_path),
            "materialized": node.materialized, "schema": node.schema,
            "relation": f"{node.schema}.{node.identifier}", "description": node.description,
            "tags": node.tags, "source_name": node.source_name,
            "depends_on": [p for p in s.graph.parents.get(uid, ()) if project.nodes[p].resource_type != "test"],
            "columns": _columns(node, built.get(uid, []), analysis.columns.get(node.name)),
            "raw_sql": node.raw_sql or None, "compiled_sql": s.compiled.get(uid),
            "static_check": bool(node.config.get("static_check", True)),
            "diagnostics": diagnostics.get(node.name, []),
            "result": results.get(uid),
            "tests": sorted(tests_of.get(uid, [])),
            "checks": [x["suite"] for x in suites_of.get(node.name, [])],
        })
    return out


def _columns(node: Any, built: list[tuple[str, str]], analysed: list[str] | None) -> list[dict]:
    """Built columns in table order, then documented ones the warehouse does not have."""
    documented = {name.lower(): column for name, column in node.columns.items()}
    names = [name for name, _ in built] or list(analysed or []) or list(node.columns)
    types = dict(built)
    rows = []
    for name in names + [c for c in node.columns if c.lower() not in {n.lower() for n in names}]:
        doc = documented.get(name.lower())
        rows.append({
            "name": name, "type": types.get(name), "declared_type": doc.data_type if doc else None,
            "description": doc.description if doc else "", "documented": doc is not None,
            "built": name in types,
        })
    return rows


def _tests(s: Any, run_results: dict | None) -> dict[str, dict]:
    from warehouse.pipeline.test import compile_test

    results = _results_by_id(run_results)
    tests = {}
    for node in s.project.of_type("test"):
        meta = node.test_metadata or {}
        try:
            sql = compile_test(s.project, s.compiler, node)
        except Exception:  # noqa: BLE001 - a test that cannot compile is shown without SQL
            sql = None
        tests[node.unique_id] = {
            "name": node.name, "kind": meta.get("kind", "singular"), "test_name": meta.get("test_name"),
            "column": meta.get("column"), "kwargs": meta.get("kwargs") or {},
            "severity": node.config.get("severity", "error"), "path": _posix(node.path), "line": meta.get("line"),
            "attached_to": meta.get("attached_to"), "depends_on": list(node.depends_on), "sql": sql,
            "result": results.get(node.unique_id),
        }
    return tests


RESULT_KEYS = ("success", "unexpected_count", "unexpected_percent", "observed_value", "element_count",
               "partial_unexpected_list", "exception", "path")


def _suites(project: Any, check_results: dict | None) -> list[dict]:
    """The expectation suites of data_checks/, each with its last results when there are some.

    A suite bound to a query is shown on every node the query reads. If the suites cannot be
    loaded (an invalid file: `build` reports it), the results alone are shown.
    """
    results = {s.get("suite"): s for s in (check_results or {}).get("suites", [])}
    try:
        from warehouse.check.model import column_label
        from warehouse.gates.check_gate import load_all

        defined = load_all(project)
    except (WarehouseError, OSError, ValueError):
        defined = None
    if defined is None:
        return [{"suite": name, "model": r.get("model"), "query": None, "reads": [], "success": r.get("success"),
                 "path": r.get("path"), "seconds": r.get("seconds"),
                 "expectations": [{"index": e.get("index"), "type": e.get("type"), "column": e.get("column"),
                                   "severity": e.get("severity"), **{k: e.get(k) for k in RESULT_KEYS}}
                                  for e in r.get("results", [])]} for name, r in results.items()]
    out = []
    for suite in defined:
        result = results.get(suite.name) or {}
        by_index = {e.get("index"): e for e in result.get("results", [])}
        out.append({
            "suite": suite.name, "model": suite.model, "query": suite.query, "reads": _tables_read(suite.query),
            "file": _posix(suite.path.relative_to(project.root) if suite.path.is_absolute() else suite.path),
            "success": result.get("success"), "path": result.get("path"), "seconds": result.get("seconds"),
            "expectations": [{"index": e.index, "type": e.type, "column": column_label(e.kwargs), "kwargs": e.kwargs,
                              "severity": e.severity, **{k: by_index.get(e.index, {}).get(k) for k in RESULT_KEYS},
                              "ran": e.index in by_index} for e in suite.expectations],
        })
    return out


def _tables_read(query: str | None) -> list[str]:
    if not query:
        return []
    import sqlglot
    from sqlglot import exp

    try:
        return sorted({t.name for t in sqlglot.parse_one(query, dialect="duckdb").find_all(exp.Table)})
    except Exception:  # noqa: BLE001 - a query sqlglot cannot read is still shown, just not on a node
        return []


def _results_by_id(run_results: dict | None) -> dict[str, dict]:
    keep = ("status", "seconds", "rows", "message")
    return {r["unique_id"]: {k: r.get(k) for k in keep} for r in (run_results or {}).get("results", [])}


def _build_history(engine: Any, limit: int = 10) -> list[dict]:
    try:
        names, rows = engine.query(
            "select build_id, command, strftime(timezone('UTC', finished_at), '%Y-%m-%d %H:%M:%S UTC') as finished_at, status, selection, "
            "models_built, seeds_loaded, tests_passed, tests_warned "
            f"from main._warehouse_runs order by started_at desc limit {limit}")
    except Exception:  # noqa: BLE001 - an older warehouse without the table: no history to show
        return []
    return [dict(zip(names, row)) for row in rows]


# -- charts ------------------------------------------------------------------------------------

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
        except Exception as error:  # noqa: BLE001 - a query the warehouse refuses skips the source
            return None, f"query on {', '.join(self.needs)} failed: {str(error).splitlines()[0]}"
        return [dict(zip(names, row)) for row in rows], ""


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    sources: tuple[Source, ...]
    shape: Any                     # rows -> the chart's data
    note: str = ""
    subtitle: str = ""

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
            return {"id": self.id, "title": self.title, "subtitle": self.subtitle, "note": self.note,
                    "source": ", ".join(source.needs), "query": source.sql.strip(), "data": self.shape(rows)}
        return {"id": self.id, "title": self.title, "skipped": "; ".join(reasons)}


def _completion_shape(rows: list[dict]) -> dict:
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


BUDGET_GROUPS = {"budgeted": "budgeted", "partially_budgeted": "partially_budgeted", "not_budgeted": "not_budgeted"}
BUDGET_ORDER = ("budgeted", "partially_budgeted", "not_budgeted", "other")


def _budget_shape(rows: list[dict]) -> dict:
    """One-off cost per category and budget status; other cost bases are counted, never added."""
    categories: dict[str, dict] = {}
    left_out: dict[str, int] = {}
    for r in rows:
        category = r["category_en"] or "(no category)"
        entry = categories.setdefault(category, {"category": category, "actions": 0, "by_status": {}})
        entry["actions"] += r["actions"]
        if r["cost_basis"] != "one_off":
            left_out[r["cost_basis"] or "no_figure"] = left_out.get(r["cost_basis"] or "no_figure", 0) + r["actions"]
            continue
        group = BUDGET_GROUPS.get(r["budget_status"], "other")
        cell = entry["by_status"].setdefault(group, {"low": 0.0, "high": 0.0, "actions": 0})
        cell["low"] += float(r["cost_low_usd"] or 0)
        cell["high"] += float(r["cost_high_usd"] or 0)
        cell["actions"] += r["actions"]
    ordered = sorted(categories.values(), key=lambda c: -sum(v["high"] for v in c["by_status"].values()))
    return {"basis": "one_off", "statuses": list(BUDGET_ORDER), "categories": ordered, "left_out": left_out}


_COMPLETION_COLUMNS = ("plan_code", "grain", "category_en", "actions", "completed")
_BUDGET_COLUMNS = ("category_en", "budget_status", "cost_basis", "cost_low_usd")

CHARTS: tuple[Chart, ...] = (
    Chart(
        id="completion",
        title="Completion rate by plan and category",
        subtitle="Share of each plan's actions whose status is completed, per category.",
        note="Real data: EB152/34 (status as of 31 December 2022) and the UNOSSC MTR management response.",
        sources=(
            Source({"mart_completion_rates": _COMPLETION_COLUMNS},
                   "select plan_code, grain, category_zh, category_en, actions, completed\n"
                   "from {mart_completion_rates}"),
            Source({"fct_reform_actions": ("plan_code", "category_en", "is_completed")},
                   "select plan_code, 'plan_category' as grain, null as category_zh, category_en,\n"
                   "       count(*) as actions, count(*) filter (where is_completed) as completed\n"
                   "from {fct_reform_actions}\ngroup by plan_code, category_en\norder by plan_code, category_en"),
        ),
        shape=_completion_shape,
    ),
    Chart(
        id="budget",
        title="Budgeted and unbudgeted one-off cost by category (EB152/34)",
        subtitle="Estimated one-off cost in USD of the Annex 1 actions, by budget status; the upper estimate "
                 "where a range is given.",
        note="Amounts of other bases (per year, per biennium, per visit) are never added to one-off amounts; "
             "actions without a figure are counted, not costed.",
        sources=(
            Source({"mart_budget_totals": (*_BUDGET_COLUMNS, "cost_high_usd", "actions")},
                   "select category_en, budget_status, cost_basis, sum(actions) as actions,\n"
                   "       sum(cost_low_usd) as cost_low_usd, sum(cost_high_usd) as cost_high_usd\n"
                   "from {mart_budget_totals}\ngroup by all"),
            Source({"int_budget_lines__parsed": (*_BUDGET_COLUMNS, "cost_high_for_totals_usd")},
                   "select category_en, budget_status, cost_basis, count(*) as actions,\n"
                   "       sum(cost_low_usd) as cost_low_usd, sum(cost_high_for_totals_usd) as cost_high_usd\n"
                   "from {int_budget_lines__parsed}\ngroup by all"),
            Source({"fct_reform_actions": ("action_key", "category_en"),
                    "stg_eb152__budget_lines": ("action_id", "budget_status", "cost_basis", "cost_low_usd",
                                                "cost_high_usd")},
                   "select a.category_en, b.budget_status, coalesce(b.cost_basis, 'no_figure') as cost_basis,\n"
                   "       count(*) as actions, sum(b.cost_low_usd) as cost_low_usd,\n"
                   "       sum(coalesce(b.cost_high_usd, b.cost_low_usd)) as cost_high_usd\n"
                   "from {stg_eb152__budget_lines} as b\n"
                   "join {fct_reform_actions} as a on a.action_key = b.action_id\ngroup by all"),
        ),
        shape=_budget_shape,
    ),
)


# -- rendering ---------------------------------------------------------------------------------

def render(data: dict, out_dir: Path) -> Path:
    """Write index.html (data embedded) and the static assets into `out_dir`, replacing it whole."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".docs-", dir=out_dir.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the site is for everyone who can read target/
    try:
        for name in STATIC_FILES:
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ASSETS / name, staging / name)
        template = (ASSETS / "index.html").read_text(encoding="utf-8")
        page = template.replace(DATA_PLACEHOLDER, embed_json(data)).replace("__PROJECT__", _html(data["project"]))
        (staging / "index.html").write_text(page, encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return out_dir / "index.html"


def embed_json(data: Any) -> str:
    """JSON safe inside <script type="application/json">: no `</script>` or `<!--` can appear."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# -- small helpers -----------------------------------------------------------------------------

def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _mtime(path: Path) -> str | None:
    if not path.exists():
        return None
    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).isoformat(timespec="seconds")


def _posix(path: Path | None) -> str | None:
    return path.as_posix() if path else None


def _jsonable(value: Any) -> Any:
    """Dates, decimals and other database values as JSON: numbers stay numbers."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
