"""What each stage reports about each node: plain records, written to run_results.json."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from warehouse.core.vocab import NodeStatus, NodeType

# Statuses that stop a build from publishing.
BLOCKING = frozenset(s for s in NodeStatus if s.blocking)


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

    @property
    def blocking(self) -> bool:
        return self.status in BLOCKING

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
