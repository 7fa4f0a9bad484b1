"""The dependency graph of a project, from `ref()` / `source()` and test attachments.

Gives a deterministic topological order (ties broken by name, so runs are reproducible),
ancestors and descendants for selection, and a cycle error that prints the cycle.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from warehouse.core.errors import GraphError, Location
from warehouse.project.loader import Project


@dataclass
class Graph:
    parents: dict[str, set[str]] = field(default_factory=dict)
    children: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def from_project(cls, project: Project) -> "Graph":
        graph = cls()
        for uid in project.nodes:
            graph.parents.setdefault(uid, set())
            graph.children.setdefault(uid, set())
        for uid, node in project.nodes.items():
            for parent in node.depends_on:
                if parent not in project.nodes:
                    raise GraphError(f"{node.name} depends on unknown node {parent}", node.location)
                graph.parents[uid].add(parent)
                graph.children[parent].add(uid)
        graph.raise_on_cycle(project)
        return graph

    def topological(self, among: set[str] | None = None) -> list[str]:
        """Kahn's algorithm over `among` (default: all nodes), smallest unique_id first among ready nodes."""
        nodes = set(self.parents) if among is None else set(among)
        indegree = {n: len(self.parents[n] & nodes) for n in nodes}
        ready = [n for n, d in indegree.items() if d == 0]
        heapq.heapify(ready)
        order = []
        while ready:
            node = heapq.heappop(ready)
            order.append(node)
            for child in self.children[node] & nodes:
                indegree[child] -= 1
                if indegree[child] == 0:
                    heapq.heappush(ready, child)
        return order

    def ancestors(self, uid: str, depth: int | None = None) -> set[str]:
        return self._walk(uid, self.parents, depth)

    def descendants(self, uid: str, depth: int | None = None) -> set[str]:
        return self._walk(uid, self.children, depth)

    @staticmethod
    def _walk(start: str, edges: dict[str, set[str]], depth: int | None) -> set[str]:
        seen: set[str] = set()
        frontier = {start}
        level = 0
        while frontier and (depth is None or level < depth):
            frontier = {n for f in frontier for n in edges[f]} - seen
            seen |= frontier
            level += 1
        return seen

    def raise_on_cycle(self, project: Project) -> None:
        if len(self.topological()) == len(self.parents):
            return
        cycle = self._find_cycle()
        names = [project.nodes[u].name for u in cycle]
        first = project.nodes[cycle[0]]
        raise GraphError(
            "dependency cycle: " + " -> ".join(names + [names[0]]),
            Location(first.path, node=first.name),
            hint="a model cannot ref() itself through other models; break one of these refs",
        )

    def _find_cycle(self) -> list[str]:
        """Depth-first search for one cycle, returned in dependency order."""
        state: dict[str, int] = {}
        stack: list[str] = []

        def visit(node: str) -> list[str] | None:
            state[node] = 1
            stack.append(node)
            for parent in sorted(self.parents[node]):
                if state.get(parent) == 1:
                    return stack[stack.index(parent):]
                if parent not in state:
                    found = visit(parent)
                    if found:
                        return found
            stack.pop()
            state[node] = 2
            return None

        for node in sorted(self.parents):
            if node not in state:
                found = visit(node)
                if found:
                    return list(reversed(found))
        return []
