"""The docs site: `run.py docs` writes a static site to `target/docs/` for people to browse.

One `index.html` holding every fact as a JSON block, plus `app.js`, `style.css` and the
vendored Cytoscape and Chart.js of `assets/vendor/`: no server, nothing fetched, so it
opens from `file://` and can be zipped or put on any static host. What it shows:

- every seed, source and model: description, columns (type as built in the published
  warehouse, description, tests), raw and compiled SQL, static-check findings, and its tests
  and expectation suites with their last results (`target/run_results.json`,
  `target/check_results.json`, when present);
- the model graph, and column lineage from sqlglot's static analysis (`warehouse.sql.lineage`);
- the charts the project declares in `docs_site.yml` (`warehouse.docs.charts`), read from the
  published warehouse (read-only) at docs time. Each chart tries its sources in order and is
  skipped, with a note, when none is in the warehouse.

`collect` gathers plain data from a Session; `render` writes the site; `write_docs_site` does
both. Nothing here writes to the warehouse, the manifest or `target/compiled/`.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from warehouse import __version__
from warehouse.core.errors import WarehouseError
from warehouse.core.values import jsonable

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
    from warehouse.docs.charts import load_declarations
    from warehouse.gates.static_gate import reading_published, relations, sql_models
    from warehouse.pipeline import run
    from warehouse.sql.static_check import analyze

    project = s.project
    published = s.workspace.published
    declared = load_declarations(project.root)
    with reading_published(s):
        s.compiled = run.compile_models(project, s.compiler, s.order("model"), write=False)
        analysis = analyze(sql_models(s), relations(s))
        catalog = s.engine.catalog()
        built = {uid: catalog.get((n.schema, n.identifier), [])
                 for uid, n in project.nodes.items() if n.resource_type in DOCUMENTED_TYPES}
        charts = [chart.build(project, s.engine) for chart in declared.charts] if published.exists() else [
            {"id": c.id, "kind": c.kind, "title": c.title, "skipped": f"{published.name} has not been published "
             "yet: run `python3 run.py build`, then `docs` again"} for c in declared.charts]
        history = _build_history(s.engine) if published.exists() else []
        changes = _changes(s.engine) if published.exists() else []
    target = project.config.target_path
    run_results = _read_json(target / "run_results.json")
    check_results = _read_json(target / "check_results.json")
    suites = _suites(project, check_results)
    nodes = _nodes(s, built, analysis, run_results, suites)
    return jsonable({
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
        "lineage_start": list(declared.lineage_start),
        "history": history,
        "changes": changes,
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


def _changes(engine: Any) -> list[dict]:
    """What the latest published builds changed (`_warehouse_changes`), newest first."""
    from warehouse.changes.history import load

    return load(engine, builds=30)


def _build_history(engine: Any, limit: int = 10) -> list[dict]:
    try:
        names, rows = engine.query(
            "select build_id, command, strftime(timezone('UTC', finished_at), '%Y-%m-%d %H:%M:%S UTC') as finished_at, "
            "status, selection, "
            "models_built, seeds_loaded, tests_passed, tests_warned "
            f"from main._warehouse_runs order by started_at desc limit {limit}")
    except Exception:  # noqa: BLE001 - an older warehouse without the table: no history to show
        return []
    return [dict(zip(names, row)) for row in rows]


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
