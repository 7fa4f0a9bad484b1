"""The transpile gate: on an engine that does not speak DuckDB SQL, every model is translated
before anything runs.

Models are written once, in DuckDB SQL. An engine of another dialect (Spark) translates each
compiled model with its rules (`warehouse.engine.spark.dialect`); a model it refuses (a construct that
would run and be wrong, or a function the engine lacks) is an error naming the model and the
reason, and the build stops before any model runs, as for any static check (seeds and landing
files are loaded first: the static checks read their columns; a failed build publishes none of it).
"""
from __future__ import annotations

import time
from typing import Any

from warehouse.core.errors import DatabaseError, Location
from warehouse.core.results import NodeResult
from warehouse.core.vocab import NodeStatus, NodeType


def transpile_gate(s: Any) -> list[NodeResult]:
    """One error result per model the engine refuses to translate; nothing when all translate."""
    translate = getattr(s.engine, "transpile", None)
    if translate is None or s.engine.dialect == "duckdb":
        return []
    results = []
    for uid in s.order(NodeType.MODEL):
        node = s.project.nodes[uid]
        if uid not in s.compiled:
            continue
        started = time.perf_counter()
        try:
            translate(s.compiled[uid], Location(node.path, node=node.name))
        except DatabaseError as error:
            result = NodeResult(uid, node.name, NodeType.MODEL, NodeStatus.ERROR,
                                seconds=round(time.perf_counter() - started, 4),
                                message=f"cannot run on {s.engine.dialect}: {error.render()}",
                                materialized=node.materialized)
            results.append(result)
            s.reporter.node(result)
    return results
