"""Unit tests as dbt 1.8 declares them: `unit_tests:` in a properties YAML beside the models.

One parser per resource type. Each entry becomes a `unit_test` node attached to its model
(`unit_test.<model>.<name>`): `given` inputs (`ref(...)`, `source(...)`, `this`) with rows as
`dict` (a list of mappings), `csv` (text, or a `fixture` file) or `sql` (a query), `expect` in the
same formats, and `overrides` of `macros` (`is_incremental` included), `vars` and `env_vars`.
The runner (warehouse.pipeline.unit_test) runs them in memory, never in a warehouse database.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from warehouse.core.errors import Location, ProjectError
from warehouse.core.yamlio import Mapping, nearest, reject_unknown_keys
from warehouse.project.nodes import Node, node_id

FORMATS = ("dict", "csv", "sql")
ENTRY_KEYS = ("name", "model", "description", "given", "expect", "overrides", "config", "versions")
INPUT_KEYS = ("input", "rows", "format", "fixture")
EXPECT_KEYS = ("rows", "format", "fixture")
OVERRIDE_KEYS = ("macros", "vars", "env_vars")
CONFIG_KEYS = ("tags", "meta", "enabled")


def apply_yaml(project: Any, path: Path, data: dict) -> None:
    """Add a node for each entry of one file's `unit_tests:` list."""
    rel = path.relative_to(project.root)
    for entry in data.get("unit_tests") or []:
        node = _node(project, rel, entry)
        if node is not None:
            project.nodes[node.unique_id] = node


def _node(project: Any, rel: Path, entry: Any) -> Node | None:
    if not isinstance(entry, dict) or "name" not in entry or "model" not in entry:
        raise ProjectError("each entry under unit_tests: needs a 'name' and a 'model'", _loc(entry, rel))
    name = str(entry["name"])
    reject_unknown_keys(entry, ENTRY_KEYS, f"unit test '{name}'", rel)
    from warehouse.project.versions import resolve

    model = resolve(project, str(entry["model"])) or project.by_name(str(entry["model"]), ("model",))
    if model is None:
        hint = nearest(str(entry["model"]), [n.name for n in project.of_type("model")])
        raise ProjectError(f"unit test '{name}' names model '{entry['model']}', which does not exist",
                           _loc(entry, rel, "model"), hint=f"did you mean '{hint}'?" if hint else None)
    config = dict(entry.get("config") or {})
    reject_unknown_keys(config, CONFIG_KEYS, f"config of unit test '{name}'", rel)
    if config.get("enabled") is False:
        return None
    given = [_input(item, rel, name) for item in entry.get("given") or []]
    expect = entry.get("expect")
    if not isinstance(expect, dict):
        raise ProjectError(f"unit test '{name}' needs expect: with rows (or a fixture)", _loc(entry, rel, "name"))
    reject_unknown_keys(expect, EXPECT_KEYS, f"expect of unit test '{name}'", rel)
    _check_format(expect, rel, name)
    overrides = dict(entry.get("overrides") or {})
    reject_unknown_keys(overrides, OVERRIDE_KEYS, f"overrides of unit test '{name}'", rel)
    package = model.package_name or project.config.name
    uid = node_id("unit_test", package, model.name, name)
    if uid in project.nodes:
        raise ProjectError(f"two unit tests of {model.name} are named '{name}'", _loc(entry, rel, "name"))
    return Node(
        unique_id=uid, name=name, resource_type="unit_test", path=rel, fqn=("unit", model.name, name),
        config={"tags": config.get("tags") or [], "meta": config.get("meta") or {}},
        description=str(entry.get("description") or ""), depends_on=[model.unique_id],
        test_metadata={"kind": "unit", "model": model.unique_id, "given": given, "expect": dict(expect),
                       "overrides": {k: dict(v or {}) for k, v in overrides.items()},
                       "line": _loc(entry, rel, "name").line},
        package_name=package,
    )


def _input(item: Any, rel: Path, test: str) -> dict[str, Any]:
    if not isinstance(item, dict) or "input" not in item:
        raise ProjectError(f"each given of unit test '{test}' needs input: ref('...'), source('...', '...') or this",
                           _loc(item, rel))
    reject_unknown_keys(item, INPUT_KEYS, f"a given of unit test '{test}'", rel)
    _check_format(item, rel, test)
    return {**item, "line": _loc(item, rel).line}


def _check_format(item: dict, rel: Path, test: str) -> None:
    form = item.get("format", "dict")
    if form not in FORMATS:
        hint = nearest(str(form), FORMATS)
        raise ProjectError(f"unit test '{test}': format must be dict, csv or sql, not '{form}'",
                           _loc(item, rel, "format"),
                           hint=f"did you mean '{hint}'?" if hint else None)
    if "rows" not in item and "fixture" not in item:
        raise ProjectError(f"unit test '{test}': rows (or a fixture) are missing", _loc(item, rel))
    if form == "dict" and "fixture" not in item and not isinstance(item["rows"], list):
        raise ProjectError(f"unit test '{test}': format dict wants rows as a list of mappings", _loc(item, rel, "rows"))


def _loc(entry: Any, rel: Path, key: str | None = None) -> Location:
    if isinstance(entry, Mapping):
        return Location(rel, entry.key_lines.get(key, entry.line) if key else entry.line)
    return Location(rel)
