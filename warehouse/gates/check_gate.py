"""The check gate of a build: expectation suites from data_checks/ run on the staging database.

Glue between the engine and `warehouse.check`: suites are loaded and validated when the
project is opened (an invalid suite fails before anything runs), their columns are checked
against the models' columns once those are known, and results become blocking or not by
severity.
"""
from __future__ import annotations

import time
from typing import Any

from warehouse.core.relation import quote_relation
from warehouse.core.results import NodeResult


def load_all(project: Any) -> list:
    """Every suite in the check paths, validated in one pass before anything runs: file syntax,
    types, kwargs, unknown models and tables, and the columns of models whose columns are
    already certain (an enforced contract). Raises one ErrorList naming each file and expectation.
    """
    from warehouse.check.suite import binding_errors, read_suites
    from warehouse.core.errors import ErrorList

    suites, errors = [], []
    for directory in project.config.check_paths:
        if directory.exists():
            found, problems = read_suites(directory)
            suites += found
            errors += problems
    errors += binding_errors(suites, lambda name: _contract_columns(project, name),
                             relation_known=lambda name: _node(project, name) is not None,
                             model_known=lambda name: project.by_name(name, ("model", "seed")) is not None)
    if errors:
        raise ErrorList(errors)
    return suites


_RELATION_TYPES = ("model", "seed", "snapshot", "source")


def _node(project: Any, name: str) -> Any:
    return project.by_name(name, _RELATION_TYPES)


def _contract_columns(project: Any, name: str) -> list[str] | None:
    """A model's columns when its contract is enforced (then they are exactly these; dbt's
    `contract: {enforced: true}`, which pipeline/contract.py enforces when the model runs)."""
    node = project.by_name(name, ("model",))
    contract = node.config.get("contract") if node is not None else None
    if not isinstance(contract, dict) or not contract.get("enforced") or not node.columns:
        return None
    return list(node.columns)


def selected_suites(s: Any, suites: list) -> list:
    """Suites bound to a selected model (or to a query: those run on full builds only)."""
    names = {s.project.nodes[u].name for u in s.selected}
    full = not s.options.select and not s.options.exclude
    return [x for x in suites if (x.model in names) or (x.model is None and full)]


def validate(s: Any, suites: list) -> None:
    """A suite naming a column its model does not have is an error before anything runs."""
    from warehouse.check import validate_columns

    static = getattr(s.analysis, "columns", None) or {}

    def columns_of(model: str) -> list[str] | None:
        node = s.project.by_name(model, ("model", "seed"))
        if node is None:
            return None
        if static.get(model):
            return list(static[model])
        if s.engine is not None and s.engine.relation_type(node.schema, node.identifier):
            return [c for c, _ in s.engine.columns(node.schema, node.identifier)]
        return list(node.columns) or None

    validate_columns(suites, columns_of)


def check_gate(s: Any) -> list[NodeResult]:
    from warehouse.check import blocking_failures, run_suites, summarize, write_results

    suites = selected_suites(s, s.suites)
    if not suites:
        return []
    # A model that failed to build still has last build's table in the staging copy: checking it
    # would report a PASS about data this build did not make. Skip its suites, as data tests are.
    failed = {r.name for r in s.results if r.resource_type in ("model", "seed") and r.status in ("error", "skipped")}
    skipped = [_skipped(x) for x in suites if x.model in failed]
    for result in skipped:
        s.reporter.node(result)
    suites = [x for x in suites if x.model not in failed]

    def relation_of(model: str) -> str:
        node = _node(s.project, model)
        return quote_relation(node.schema, node.identifier) if node is not None else model

    started = time.perf_counter()
    results = run_suites(s.engine, suites, relation_of, path=s.options.check_path,
                         notice=lambda text: s.reporter.event("check_path", text, level="warn"))
    write_results(results, s.project.config.target_path, s.engine, s.build_id, tuple(r.name for r in skipped))
    s.check_results = [_as_json(r) for r in results]
    blocking = {(b.suite, b.index) for b in blocking_failures(results)}
    for line in summarize(results):
        s.reporter.event("check", line)
    out = []
    for r in results:
        failed = [e for e in r.results if not e.success]
        status = "pass" if not failed else ("fail" if any((e.suite, e.index) in blocking for e in failed) else "warn")
        out.append(NodeResult(f"check.{r.suite}", r.suite, "check", status, seconds=round(r.seconds, 4),
                              rows=sum(e.unexpected_count or 0 for e in failed) if failed else 0,
                              message="; ".join(f"#{e.index} {e.type} ({e.severity})" for e in failed),
                              materialized=r.path, details={"model": r.model}))
        s.reporter.node(out[-1])
    s.reporter.event("checks_done", f"{len(results)} suite(s) checked in {time.perf_counter() - started:.2f}s")
    return skipped + out


def _skipped(suite: Any) -> NodeResult:
    return NodeResult(f"check.{suite.name}", suite.name, "check", "skipped",
                      message=f"not run: model {suite.model} failed to build in this build",
                      details={"model": suite.model})


def _as_json(result: Any) -> dict:
    from dataclasses import asdict

    return asdict(result)
