"""What each stage reports about each node: plain records, written to run_results.json."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Statuses that stop a build from publishing.
BLOCKING = frozenset({"error", "fail", "skipped"})


@dataclass
class NodeResult:
    unique_id: str
    name: str
    resource_type: str
    status: str                 # success | error | skipped | pass | fail | warn
    seconds: float = 0.0
    rows: int | None = None     # rows in the relation (models, seeds) or failing rows (tests)
    message: str = ""
    materialized: str | None = None
    compiled_path: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def blocking(self) -> bool:
        return self.status in BLOCKING

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
