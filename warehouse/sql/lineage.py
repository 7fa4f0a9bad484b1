"""Column-level lineage: from one model's qualified SQL, and across the whole project.

Two halves:
- `column_parents` turns one model's qualified query into "output column -> upstream
  node columns", walking through the model's own CTEs and subqueries with sqlglot's
  `lineage` (given the scope we already built, so nothing is qualified twice). Only the
  nodes the model reads from count as parents: CTEs are the model's private business.
- `lineage_tree` chains those per-model edges into a tree from one column down to the
  seeds' and sources' columns, for `render_tree` (terminal) and `tree_to_json` (tools).
"""
from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass, field

from sqlglot import exp
from sqlglot.lineage import Node, lineage
from sqlglot.optimizer.scope import Scope

from warehouse.core.errors import Location, StaticCheckError
from warehouse.sql.records import DIALECT
from warehouse.sql.sourcemap import did_you_mean

if t.TYPE_CHECKING:
    from sqlglot.schema import Schema

    from warehouse.sql.static_check import Analysis


class _Catalog(t.Protocol):
    schema: Schema

    def node_for(self, table: exp.Table) -> str | None: ...


def column_parents(root: Scope, catalog: _Catalog) -> dict[str, list[str]]:
    """Each output column of a qualified query -> sorted ["upstream_node.column", ...].

    A column sqlglot cannot trace gets no entry rather than stopping the build.
    """
    nodes = _trace(None, root, catalog)
    if nodes is None:
        traced = {name: _trace(name, root, catalog) for name in root.expression.named_selects}
        nodes = {name: node for name, node in traced.items() if node is not None}
    return {name: _parents(node, catalog) for name, node in nodes.items()}


def _trace(column: str | None, root: Scope, catalog: _Catalog):
    """sqlglot's lineage of one column (or of all when None), or None if it fails."""
    try:
        return lineage(column, root.expression, catalog.schema, dialect=DIALECT, scope=root, trim_selects=False,
                       copy=False)
    except Exception:  # noqa: BLE001 - sqlglot gaps (pivots, odd UDTFs) cost lineage, not the build
        return None


def _parents(node: Node, catalog: _Catalog) -> list[str]:
    parents = set()
    for leaf in node.walk():
        if leaf.downstream or not isinstance(leaf.expression, exp.Table):
            continue
        upstream = catalog.node_for(leaf.expression)
        column = _last_part(leaf.name)
        if upstream and column and column != "*":
            parents.add(f"{upstream}.{column}")
    return sorted(parents)


def _last_part(name: str) -> str:
    """`id` from a leaf named `alias.id` or `alias."odd.name"` (parsing it would cost more than the rest)."""
    match = _LAST_PART.search(name)
    return match.group(1).replace('""', '"') if match.group(1) is not None else match.group(2)


_LAST_PART = re.compile(r'(?:"((?:[^"]|"")*)"|([^."]*))$')


@dataclass
class LineageNode:
    """One column of one node and the columns it is computed from."""

    node: str
    column: str
    kind: str  # "model" | "relation" | "unknown" (neither: e.g. a model that failed to parse)
    upstream: list[LineageNode] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.node}.{self.column}"


def lineage_tree(analysis: Analysis, target: str) -> LineageNode:
    """The lineage of `target` ("model.column") down to relation columns.

    Raises StaticCheckError, with the nearest valid name as a hint, for an unknown model or column.
    """
    node, _, column = target.partition(".")
    known = {**analysis.relations, **analysis.columns}
    if not column:
        raise StaticCheckError(f"expected model.column, got '{target}'", Location(node=target))
    if node not in known:
        hint = did_you_mean(node, list(known) + list(analysis.lineage))
        if node in analysis.lineage:
            hint = "its columns are unknown: it failed static analysis"
        raise StaticCheckError(f"unknown model '{node}'", Location(node=node), hint)
    spelled = {c.lower(): c for c in known[node]}
    if column.lower() not in spelled:
        hint = did_you_mean(column, known[node]) or f"columns: {', '.join(known[node])}"
        raise StaticCheckError(f"model '{node}' has no column '{column}'", Location(node=node), hint)
    return _build(analysis, node, spelled[column.lower()], frozenset())


def _build(analysis: Analysis, node: str, column: str, seen: frozenset[str]) -> LineageNode:
    kind = "model" if node in analysis.lineage else "relation" if node in analysis.relations else "unknown"
    tree = LineageNode(node, column, kind)
    name = tree.name
    if name in seen:  # a cycle (a self-referencing incremental model): stop here
        return tree
    for parent in analysis.lineage.get(node, {}).get(column, []):
        parent_node, _, parent_column = parent.partition(".")
        tree.upstream.append(_build(analysis, parent_node, parent_column, seen | {name}))
    return tree


def render_tree(node: LineageNode) -> str:
    """The tree as plain text, root first, for the terminal."""
    lines = [_label(node)]
    _render_children(node.upstream, "", lines)
    return "\n".join(lines)


def _render_children(children: list[LineageNode], prefix: str, lines: list[str]) -> None:
    for index, child in enumerate(children):
        last = index == len(children) - 1
        lines.append(f"{prefix}{'└── ' if last else '├── '}{_label(child)}")
        _render_children(child.upstream, prefix + ("    " if last else "│   "), lines)


def _label(node: LineageNode) -> str:
    return node.name if node.kind == "model" else f"{node.name} ({node.kind})"


def tree_to_json(node: LineageNode) -> dict:
    """{"name", "node", "column", "kind", "upstream": [...]}: JSON-ready, recursive."""
    return {
        "name": node.name,
        "node": node.node,
        "column": node.column,
        "kind": node.kind,
        "upstream": [tree_to_json(child) for child in node.upstream],
    }
