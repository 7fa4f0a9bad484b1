"""Freshness: is the data a build is about to publish recent enough?

Seeds, landing files and sources may declare dbt's `freshness:` block
(`warn_after` / `error_after`, each `{count: N, period: minute|hour|day}`). Age is measured
from `max(loaded_at_field)` in the table when a `loaded_at_field` is given, else from the
file's modification time. Error-level staleness blocks publishing, like a failed test.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from warehouse.core.errors import DatabaseError, Location, ProjectError
from warehouse.core.results import NodeResult
from warehouse.core.vocab import NodeStatus, NodeType, TimingStep
from warehouse.engine.base import Engine
from warehouse.project.nodes import Node

PERIODS = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}


def threshold(node: Node, level: str) -> timedelta | None:
    rule = (node.config.get("freshness") or {}).get(level)
    if not rule:
        return None
    period = str(rule.get("period", "")).rstrip("s")
    if period not in PERIODS or not isinstance(rule.get("count"), int):
        raise ProjectError(f"freshness {level} of {node.name} needs {{count: <int>, period: minute|hour|day}}",
                           Location(node.properties_path, node=node.name))
    return rule["count"] * PERIODS[period]


def loaded_at(node: Node, root: Path, engine: Engine | None) -> datetime | None:
    """When the node's data was loaded: from its loaded_at_field, else its file's mtime."""
    field = node.config.get("loaded_at_field")
    if field:
        if engine is None or engine.relation_type(node.schema, node.identifier) is None:
            return None
        return _max_timestamp(node, str(field), engine)
    path = node.path if node.path is None or node.path.is_absolute() else root / node.path
    if path is None or not path.exists() or node.resource_type == NodeType.SOURCE:
        return None
    return datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc)


def _max_timestamp(node: Node, field: str, engine: Engine) -> datetime | None:
    """max(loaded_at_field) as an aware UTC datetime; naive values are taken to be UTC, as dbt does,
    whatever the machine's time zone."""
    names = {name.lower() for name, _ in engine.columns(node.schema, node.identifier)}
    if field.lower() not in names:
        raise ProjectError(f"loaded_at_field '{field}' of {node.name} is not one of its columns "
                           f"({', '.join(sorted(names))})", Location(node.properties_path, node=node.name))
    try:
        epoch = engine.max_epoch(node.schema, node.identifier, field)
    except DatabaseError as exc:
        raise ProjectError(f"loaded_at_field '{field}' of {node.name} cannot be read as a timestamp: {exc.detail}",
                           Location(node.properties_path, node=node.name)) from None
    return None if epoch is None else datetime.fromtimestamp(epoch, tz=timezone.utc)


def check_freshness(nodes: list[Node], root: Path, engine: Engine | None,
                    now: datetime | None = None) -> list[NodeResult]:
    now = now or datetime.now(timezone.utc)
    results = []
    for node in nodes:
        if not node.config.get("freshness"):
            continue
        started = time.perf_counter()
        timing = NodeResult(node.unique_id, node.name, NodeType.FRESHNESS, NodeStatus.PASS)   # its timing only
        warn, error = threshold(node, "warn_after"), threshold(node, "error_after")
        with timing.step(TimingStep.EXECUTE):
            stamp = loaded_at(node, root, engine)
        result = NodeResult(f"freshness.{node.name}", node.name, NodeType.FRESHNESS, NodeStatus.PASS,
                            details={"loaded_at": stamp.isoformat() if stamp else None,
                                     "warn_after": str(warn) if warn else None,
                                     "error_after": str(error) if error else None,
                                     # for sources.json: the node, its freshness block, when measured
                                     "node": node.unique_id, "criteria": dict(node.config.get("freshness") or {}),
                                     "snapshotted_at": now.isoformat()})
        if stamp is None:
            result.status = NodeStatus.FAIL if error else NodeStatus.WARN
            result.message = f"{node.name}: no data to measure freshness (file or loaded_at_field missing or empty)"
        else:
            age = now - stamp
            result.details["age_hours"] = round(age.total_seconds() / 3600, 2)
            if error and age > error:
                result.status = NodeStatus.FAIL
                result.message = f"{node.name} is stale: loaded {_ago(age)} ago (error after {_span(error)})"
            elif warn and age > warn:
                result.status = NodeStatus.WARN
                result.message = f"{node.name} is getting stale: loaded {_ago(age)} ago (warn after {_span(warn)})"
        result.seconds, result.timing = round(time.perf_counter() - started, 4), timing.timing
        results.append(result)
    return results


def _span(span: timedelta) -> str:
    """2 days, 1 hour, 30 minutes: how the rule was written, not timedelta's '2 days, 0:00:00'."""
    minutes = int(span.total_seconds() // 60)
    for size, unit in ((1440, "day"), (60, "hour"), (1, "minute")):
        if minutes % size == 0:
            count = minutes // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return str(span)


def _ago(age: timedelta) -> str:
    hours = age.total_seconds() / 3600
    return f"{hours / 24:.1f} days" if hours >= 48 else f"{hours:.1f} hours"
