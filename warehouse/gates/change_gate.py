"""The change gate of a build: compare every built model with its published version, then apply
the gates on change (breaking columns, volume limits) before anything is published.

The published file is attached read-only beside the staging database inside the engine, so
the comparison does not depend on staging starting as a copy of it. In a build that limits model
SQL's file access, that engine is a connection opened for the comparison alone (the published file
attached before the limits are set), never the one model SQL runs on (`stages.stage_changes`).
Results are one `NodeResult` per gate hit (`change.<model>`: `fail` blocks publishing, `warn` does not) and the
report itself on the session, for run_results.json, `_warehouse_changes` and the end-of-build lines.
"""
from __future__ import annotations

from typing import Any

from warehouse.changes import history
from warehouse.changes.compare import Target, compare
from warehouse.changes.keys import model_key
from warehouse.changes.report import ChangeStatus, GateHit, ModelChange, GateOutcome
from warehouse.core.results import NodeResult
from warehouse.core.vocab import NodeStatus
from warehouse.project.change_config import ChangeConfig, GateSeverity, change_config

PUBLISHED_CATALOG = "__published"


def is_contracted(node: Any) -> bool:
    contract = node.config.get("contract")
    return isinstance(contract, dict) and bool(contract.get("enforced"))


def targets(project: Any, uids: list[str]) -> list[Target]:
    """What to compare: the given seeds and models that have a relation, with their keys."""
    out = []
    for uid in uids:
        node = project.nodes[uid]
        if not node.is_executable():
            continue
        key, source = model_key(project, node)
        out.append(Target(uid, node.name, node.schema, node.identifier, tuple(key), source.value,
                          change_config(node.config, node.location).diff_max_rows))
    return out


def change_gate(s: Any, attached: bool = False) -> list[NodeResult]:
    """Compare what this build made with what is published; return the gate results.
    `attached`: the engine was opened with the published file attached as PUBLISHED_CATALOG."""
    failed = {r.unique_id for r in s.results if r.status in (NodeStatus.ERROR, NodeStatus.SKIPPED)}
    built = [u for u in s.order("seed", "model") if u not in failed]
    published = s.workspace.published
    if published.exists():
        if not attached:
            s.engine.attach(published, PUBLISHED_CATALOG)
        try:
            changes = compare(s.engine, targets(s.project, built) + _removed(s), PUBLISHED_CATALOG)
            history.carry_over(s.engine, PUBLISHED_CATALOG)
        finally:
            if not attached:
                s.engine.detach(PUBLISHED_CATALOG)
    else:
        changes = compare_first_build(s.engine, targets(s.project, built))
    results = []
    for change in changes:
        node = s.project.nodes.get(change.unique_id)
        if node is not None:
            results += apply_gates(change, node, change_config(node.config, node.location), s.options.allow_breaking)
    s.changes = [c.to_json() for c in changes]
    for result in results:
        s.reporter.node(result)
    return results


def compare_first_build(engine: Any, wanted: list[Target]) -> list[ModelChange]:
    """Nothing is published yet: every relation is new (its row count is still reported)."""
    relations = engine.catalog()
    changes = []
    for t in wanted:
        if (t.schema, t.identifier) in relations:
            rows = engine.row_count(t.schema, t.identifier)
            changes.append(ModelChange(t.unique_id, t.name, f"{t.schema}.{t.identifier}", ChangeStatus.NEW,
                                       rows_after=rows, key_source=t.key_source))
    return changes


def _removed(s: Any) -> list[Target]:
    """Models and seeds deleted from the project since the last publish (full builds drop them)."""
    if not s.previous_manifest or s.options.select or s.options.exclude:
        return []
    out = []
    for uid, node in s.previous_manifest.get("nodes", {}).items():
        if uid not in s.project.nodes and node.get("resource_type") in ("model", "seed") and node.get("relation"):
            schema, name = node["relation"].split(".", 1)
            out.append(Target(uid, node["name"], schema, name))
    return out


def apply_gates(change: ModelChange, node: Any, config: ChangeConfig, allow_breaking: bool) -> list[NodeResult]:
    """Check one model's change against its gates; record each hit on the change, return results."""
    hits = _breaking(change, node, config, allow_breaking) + _volume(change, config)
    change.gates = [hit for hit, _ in hits]
    out = []
    for hit, hint in hits:
        status = NodeStatus.FAIL if hit.outcome == GateOutcome.BLOCKED else NodeStatus.WARN
        message = f"{hit.message}" + (f"\n  hint: {hint}" if hint and hit.outcome == GateOutcome.BLOCKED else "")
        out.append(NodeResult(f"change.{node.name}", node.name, "change", status, message=message,
                              materialized=hit.gate, details={"model": node.unique_id, "gate": hit.gate,
                                                               "outcome": hit.outcome.value}))
    return out


def _breaking(change: ModelChange, node: Any, config: ChangeConfig, allow: bool) -> list[tuple[GateHit, str]]:
    removed = [c["name"] for c in change.schema.get("removed", [])]
    retyped = [f"{c['name']} ({c['from']} -> {c['to']})" for c in change.schema.get("retyped", [])]
    if change.status != ChangeStatus.CHANGED or not (removed or retyped):
        return []
    why = [w for w, yes in (("exported", node.is_exported()), ("contracted", is_contracted(node))) if yes]
    if not why and config.breaking is None:
        return []
    severity = config.breaking or GateSeverity.BLOCK
    if severity == GateSeverity.WARN:
        outcome = GateOutcome.WARNED
    else:
        outcome = GateOutcome.ALLOWED if allow else GateOutcome.BLOCKED
    parts = [(removed, "removed"), (retyped, "retyped")]
    what = "; ".join(f"column{'s' if len(cols) > 1 else ''} {', '.join(cols)} {verb}" for cols, verb in parts if cols)
    label = " and ".join(why) or "a"
    message = f"breaking change to {label} model {node.name}: {what}"
    if outcome == GateOutcome.ALLOWED:
        message += " (allowed by --allow-breaking)"
    return [(GateHit("breaking_changes", outcome, message),
             "readers and BI tools using those columns will break; publish anyway with --allow-breaking, "
             "or set breaking_changes: warn on the model")]


def _volume(change: ModelChange, config: ChangeConfig) -> list[tuple[GateHit, str]]:
    hits = []
    before, after = change.rows_before, change.rows_after
    removed = (change.rows or {}).get("removed")
    if removed is None and before is not None and after is not None:
        removed = max(0, before - after)        # row diff skipped: the net loss is a lower bound
    for limit in config.limits:
        message = None
        if limit.key == "min_rows" and after is not None and after < limit.value:
            message = f"{change.name} has {after:,} rows, fewer than min_rows {int(limit.value):,}"
        elif limit.key == "max_row_change" and before and after is not None:
            percent = (after - before) * 100 / before
            if abs(percent) > limit.value:
                message = (f"{change.name} went from {before:,} to {after:,} rows ({percent:+.1f}%), "
                           f"more than max_row_change {limit.value:g}%")
        elif limit.key == "max_removed_rows" and removed is not None and removed > limit.value:
            message = f"{change.name} lost {removed:,} rows, more than max_removed_rows {int(limit.value):,}"
        if message:
            outcome = GateOutcome.BLOCKED if limit.severity == GateSeverity.BLOCK else GateOutcome.WARNED
            hits.append((GateHit(limit.key, outcome, message),
                         f"if the change is expected, raise {limit.key} or set it to {{limit: ..., severity: warn}}"))
    return hits
