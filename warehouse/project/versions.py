"""Model versions (dbt 1.5+): `versions:` with `v`, `defined_in`, per-version `columns`
(`include`/`exclude` of the top-level columns, plus columns of its own) and `latest_version`.

One parser per resource property. Each version is its own model node, defined in
`<name>_v<v>.sql` (or the file `defined_in` names) and built as the relation `<name>_v<v>` (unless
it sets an alias). `ref('name')` means the latest version, `ref('name', v=1)` (or `version=1`) a
pinned one. The latest version is also reachable as a view named `name` (dbt 1.12's
`latest_version_pointer`, on by default here; `latest_version_pointer: {enabled: false}` turns it
off). Node names are the relation names (`dim_customers_v2`) so every report names one relation.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from warehouse.core.errors import Location, ProjectError
from warehouse.core.yamlio import Mapping, nearest, reject_unknown_keys
from warehouse.project.nodes import Column, Node, node_id

VERSION_KEYS = ("v", "defined_in", "columns", "config", "description", "data_tests", "tests", "constraints", "docs")
VERSION_INFO = "__version"      # config key: {"model": name, "v": v, "latest": bool}


def apply_versions(project: Any, rel: Path, entry: dict, fill: Any, column_of: Any) -> None:
    """Turn the files of a versioned model into one node per version, documented by `entry`."""
    name = str(entry["name"])
    versions = entry.get("versions") or []
    if not isinstance(versions, list) or not versions:
        raise ProjectError(f"versions of model '{name}' must be a list of {{v: ...}}", _loc(entry, rel, "versions"))
    ids = [_version(v, rel, name) for v in versions]
    latest = entry.get("latest_version", _newest(ids))
    if latest not in ids:
        raise ProjectError(f"latest_version {latest!r} of model '{name}' is not one of its versions {ids}",
                           _loc(entry, rel, "latest_version"))
    shared = {k: v for k, v in entry.items() if k not in ("versions", "latest_version", "columns")}
    top_columns = [column_of(c, rel, name) for c in entry.get("columns") or []]
    for spec, v in zip(versions, ids):
        reject_unknown_keys(spec, VERSION_KEYS, f"version {v} of model '{name}'", rel)
        node = _version_node(project, rel, name, spec, v)
        node.config[VERSION_INFO] = {"model": name, "v": v, "latest": v == latest}
        project.versions.setdefault(name, {})[str(v)] = node.unique_id
        if v == latest:
            project.versions[name]["latest"] = node.unique_id
        node.config.setdefault("alias", f"{name}_v{v}")
        fill(node, {**shared, "name": node.name, **{k: spec[k] for k in ("description", "config", "data_tests", "tests",
                                                                          "constraints", "docs") if k in spec}}, rel)
        for column in _columns(top_columns, spec.get("columns"), rel, name, v, column_of):
            node.columns[column.name] = column


def _version(spec: Any, rel: Path, name: str) -> Any:
    if not isinstance(spec, dict) or "v" not in spec:
        raise ProjectError(f"each version of model '{name}' needs a 'v'", _loc(spec, rel))
    return spec["v"]


def _newest(ids: list[Any]) -> Any:
    """dbt's default latest_version: the greatest number, else the last string."""
    if all(isinstance(v, (int, float)) for v in ids):
        return max(ids)
    return sorted(str(v) for v in ids)[-1]


def _version_node(project: Any, rel: Path, name: str, spec: dict, v: Any) -> Node:
    """The model file of one version, renamed as that version."""
    defined_in = str(spec.get("defined_in") or f"{name}_v{v}")
    package = project.config.name
    node = project.nodes.pop(node_id("model", package, defined_in), None)
    if node is None:
        files = [n.name for n in project.of_type("model")]
        hint = nearest(defined_in, files)
        raise ProjectError(f"version {v} of model '{name}' needs the file {defined_in}.sql in the model paths",
                           _loc(spec, rel, "defined_in" if "defined_in" in spec else "v"),
                           hint=f"did you mean '{hint}'? (set defined_in)" if hint else None)
    node.name = f"{name}_v{v}"
    node.unique_id = node_id("model", package, name, f"v{v}")
    node.fqn = (*node.fqn[:-1], name, f"v{v}")
    if node.unique_id in project.nodes:
        raise ProjectError(f"version {v} of model '{name}' is declared twice", _loc(spec, rel, "v"))
    project.nodes[node.unique_id] = node
    project._reindex()          # the node changed its name: ref() finds nodes through the name index
    return node


def _columns(top: list[Column], specs: Any, rel: Path, name: str, v: Any, column_of: Any) -> list[Column]:
    """dbt's rule: a version has the top-level columns (`include: all` unless it says otherwise),
    minus `exclude`, plus the columns it declares itself (which replace top-level ones)."""
    if specs is None:
        return list(top)
    include: Any = "all"
    exclude: list[str] = []
    own: list[Column] = []
    for spec in specs:
        if isinstance(spec, dict) and "include" in spec:
            include, exclude = spec["include"], list(spec.get("exclude") or [])
        else:
            own.append(column_of(spec, rel, f"{name} v{v}"))
    names = [c.name for c in top]
    for column in exclude + ([] if include in ("all", "*") else list(include)):
        if column not in names:
            raise ProjectError(f"version {v} of model '{name}' includes or excludes column '{column}', "
                               "which the model does not declare", Location(rel),
                               hint=f"top-level columns: {', '.join(names)}")
    kept = [c for c in top if (include in ("all", "*") or c.name in include) and c.name not in exclude]
    mine = {c.name for c in own}
    return [c for c in kept if c.name not in mine] + own


def version_of(node: Node) -> dict[str, Any] | None:
    return node.config.get(VERSION_INFO)


def resolve(project: Any, name: str, version: Any = None) -> Node | None:
    """The node `ref(name)` (latest) or `ref(name, v=version)` means, among versioned models."""
    uid = project.versions.get(name, {}).get("latest" if version is None else str(version))
    return project.nodes.get(uid) if uid else None


def _loc(entry: Any, rel: Path, key: str | None = None) -> Location:
    if isinstance(entry, Mapping):
        return Location(rel, entry.key_lines.get(key, entry.line) if key else entry.line)
    return Location(rel)
