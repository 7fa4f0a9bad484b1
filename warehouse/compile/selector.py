"""Node selection: `--select` / `--exclude` with dbt's syntax.

Space-separated selectors are a union, comma-joined ones an intersection. A selector is a
method (`tag:`, `path:`, `state:`, `resource_type:`, `source:`, `package:`, `test_type:`,
`test_name:`, `file:`, `config.<key>:`, `selector:` of selectors.yml, or a plain name / glob) with optional
graph operators: `+model` (ancestors), `model+` (descendants), `2+model`, `model+1`, `@model`.
Tests are selected with the nodes they test (dbt's eager indirect selection).
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Callable

from warehouse.core.errors import SelectionError
from warehouse.core.vocab import NodeType
from warehouse.compile.graph import Graph
from warehouse.project.loader import Project
from warehouse.core.yamlio import nearest

_SELECTOR = re.compile(r"^(?P<at>@)?(?:(?P<up>\d*)\+)?(?P<body>[^+]+?)(?:\+(?P<down>\d*))?$")

StateFn = Callable[[str], set[str]]


@dataclass
class Selector:
    project: Project
    graph: Graph
    state: StateFn | None = None   # `state:modified` -> unique_ids, provided by the caller

    def select(self, include: list[str] | None, exclude: list[str] | None = None) -> set[str]:
        chosen = set(self.project.nodes) if not include else self._union(include)
        excluded = self._union(exclude) if exclude else set()
        # Exclusion wins over indirect selection, as in dbt: `--exclude resource_type:test`
        # builds without tests (the tests of the selected models are not added back).
        return self._with_tests(chosen - excluded, explicit=bool(include)) - excluded

    def _union(self, expressions: list[str]) -> set[str]:
        result: set[str] = set()
        for expression in expressions:
            for token in expression.split():
                parts = [self._one(p) for p in token.split(",") if p]
                result |= set.intersection(*parts) if parts else set()
        return result

    def _one(self, token: str) -> set[str]:
        match = _SELECTOR.match(token)
        if not match:
            raise SelectionError(f"cannot parse selector '{token}'")
        base = self._method(match["body"])
        result = set(base)
        if match["at"]:
            for uid in base:
                for child in self.graph.descendants(uid) | {uid}:
                    result |= self.graph.ancestors(child) | {child}
        if match["up"] is not None:
            for uid in base:
                result |= self.graph.ancestors(uid, int(match["up"]) if match["up"] else None)
        if match["down"] is not None:
            for uid in base:
                result |= self.graph.descendants(uid, int(match["down"]) if match["down"] else None)
        return result

    def _method(self, body: str) -> set[str]:
        method, _, value = body.partition(":") if ":" in body else ("name", "", body)
        nodes = self.project.nodes.values()
        if method == "tag":
            found = {n.unique_id for n in nodes if value in n.tags}
        elif method == "path":
            prefix = value.rstrip("/")
            found = {n.unique_id for n in nodes if n.path and _under(str(n.path), prefix)}
        elif method == "resource_type":
            found = {n.unique_id for n in nodes if n.resource_type == value}
        elif method == "state":
            if self.state is None:
                raise SelectionError("state: selection needs a previous published build (none found)")
            found = self.state(value)
            return found
        elif method in ("name", "fqn"):
            tests = (NodeType.TEST, NodeType.UNIT_TEST)
            found = {n.unique_id for n in nodes if n.resource_type not in tests and fnmatch.fnmatchcase(n.name, value)}
            found |= {n.unique_id for n in nodes if n.resource_type in tests and n.name == value}
            found |= {n.unique_id for n in nodes if (n.config.get("__version") or {}).get("model") and
                      fnmatch.fnmatchcase(n.config["__version"]["model"], value)}     # every version of a model
        elif method == "source":
            src, _, table = value.partition(".")
            found = {n.unique_id for n in nodes if n.source_name == src and (not table or n.name == table)}
        elif method == "package":
            root = self.project.config.name
            found = {n.unique_id for n in nodes if (n.package_name or root) == value}
        elif method == "test_type":
            kinds = {"generic": ("generic",), "singular": ("singular",),
                     "data": ("generic", "singular")}.get(value, (value,))
            found = {n.unique_id for n in nodes if n.resource_type in (NodeType.TEST, NodeType.UNIT_TEST)  # unit tests
                     and (n.test_metadata or {}).get("kind") in kinds}
        elif method == "test_name":
            found = {n.unique_id for n in nodes if n.resource_type == NodeType.TEST
                     and fnmatch.fnmatchcase(str((n.test_metadata or {}).get("test_name", "")).rpartition(".")[2],
                                             value)}
        elif method == "file":
            found = {n.unique_id for n in nodes if n.path and fnmatch.fnmatchcase(n.path.name, value)}
        elif method.startswith("config."):
            key = method.removeprefix("config.")
            found = {n.unique_id for n in nodes if _config_matches(n.config.get(key), value)}
        elif method == "selector":
            from warehouse.compile.selectors_yml import selector_definition

            return selector_definition(self, value)
        else:
            raise SelectionError(f"unknown selector method '{method}:'",
                                 hint="use a name, tag:, path:, state:, source:, resource_type:, package:, "
                                      "test_type:, test_name:, file:, config.<key>: or selector:")
        if not found:
            names = [n.name for n in nodes if n.resource_type != NodeType.TEST]
            hint = nearest(value, names) if method == "name" else None
            raise SelectionError(f"selector '{body}' matches nothing", hint=f"did you mean '{hint}'?" if hint else None)
        return found

    def _with_tests(self, chosen: set[str], explicit: bool) -> set[str]:
        """Add every test attached to a selected node (eager indirect selection).

        When the selection names only tests, it is taken as it is.
        """
        if explicit and _only_tests(chosen, self.project):
            return set(chosen)
        tests = {uid for uid, node in self.project.nodes.items()
                 if node.resource_type in (NodeType.TEST, NodeType.UNIT_TEST) and self.graph.parents[uid] & chosen}
        return chosen | tests


def _config_matches(actual: object, wanted: str) -> bool:
    """dbt compares config values as text: `config.materialized:table`, `config.tags:x` (lists: any)."""
    if isinstance(actual, (list, tuple, set)):
        return any(str(a) == wanted for a in actual)
    if isinstance(actual, bool):
        return str(actual).lower() == wanted.lower()
    return actual is not None and str(actual) == wanted


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/") or fnmatch.fnmatchcase(path, prefix)


def _only_tests(chosen: set[str], project: Project) -> bool:
    return bool(chosen) and all(project.nodes[u].resource_type in (NodeType.TEST, NodeType.UNIT_TEST) for u in chosen)
