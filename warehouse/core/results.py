"""What each stage reports about each node: plain records, written to run_results.json."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

from warehouse.core.vocab import NodeStatus, NodeType, TimingStep

# Statuses that stop a build from publishing.
BLOCKING = frozenset(s for s in NodeStatus if s.blocking)


def utc_timestamp(when: datetime | None = None) -> str:
    """A time as dbt's artifacts write it: UTC, microseconds, a trailing Z."""
    return (when or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class NodeResult:
    """One node's outcome in one stage; `location` (file, line, column, node) says where to look
    when it did not succeed, as structured fields rather than only inside `message`."""

    unique_id: str
    name: str
    resource_type: NodeType | str
    status: NodeStatus | str    # success | error | skipped | pass | fail | warn
    seconds: float = 0.0
    rows: int | None = None     # rows in the relation (models, seeds) or failing rows (tests)
    message: str = ""
    materialized: str | None = None
    compiled_path: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    location: dict[str, Any] | None = None
    timing: list[dict[str, str]] = field(default_factory=list)   # dbt's: [{name, started_at, completed_at}]

    @property
    def blocking(self) -> bool:
        return self.status in BLOCKING

    @contextmanager
    def step(self, name: TimingStep) -> Iterator[None]:
        """Record one of dbt's timing steps (compile, execute) around the code it times, also
        when that code raises: a failed node shows how far it got."""
        started = utc_timestamp()
        try:
            yield
        finally:
            self.timing.append({"name": str(name), "started_at": started, "completed_at": utc_timestamp()})

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
