"""Properties YAML (`_<folder>__models.yml`): descriptions, columns, configs and generic tests.

The shape is dbt's `version: 2` schema YAML, so a dbt user's files read unchanged:
`models:`, `seeds:` and `sources:` lists, each entry with `description`, `config`,
`columns` (each with `data_tests` or `tests`) and model-level tests.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from warehouse.core.errors import Location, ProjectError
from warehouse.project.configs import canonical, merge
from warehouse.project.ignored import Ignored
from warehouse.project.nodes import IGNORED_CONFIG_KEYS, NODE_CONFIG_KEYS, Column, DataTestSpec, Node, node_id
from warehouse.core.yamlio import Mapping, nearest, reject_unknown_keys

TOP_KEYS = ("version", "models", "seeds", "sources", "macros", "snapshots", "analyses", "unit_tests",
            "exposures", "metrics", "semantic_models", "saved_queries", "groups")
# dbt top-level keys we parse but do not implement: each entry is listed as ignored.
IGNORED_TOP_KEYS = ("exposures", "metrics", "semantic_models", "saved_queries", "groups", "analyses")
ENTRY_KEYS = ("name", "description", "config", "columns", "data_tests", "tests", "meta", "docs", "constraints",
              "freshness", "loaded_at_field", "identifier", "tags", "access", "group", "deprecation_date",
              "latest_version", "versions", "time_spine", "external")
IGNORED_ENTRY_KEYS = ("access", "group", "deprecation_date", "time_spine")
COLUMN_KEYS = ("name", "description", "data_type", "data_tests", "tests", "meta", "quote", "tags", "constraints",
               "policy_tags")
SOURCE_KEYS = ("name", "description", "schema", "database", "tables", "tags", "meta", "config", "freshness",
               "loaded_at_field", "loader", "quoting", "overrides", "loaded_at_query")
TEST_CONFIG_KEYS = ("severity", "where", "config", "name", "arguments", "limit", "warn_if", "error_if",
                    "store_failures", "tags", "meta")


def apply(project: Any, path: Path, data: Any, package: str | None = None) -> None:
    """Attach one properties file's content to the project's nodes (of `package`)."""
    if data is None:
        return
    rel = path.relative_to(project.root) if path.is_relative_to(project.root) else path
    if not isinstance(data, dict):
        raise ProjectError("a properties file must be a mapping with models:/seeds:/sources:", Location(rel, 1))
    reject_unknown_keys(data, TOP_KEYS, "a properties file", rel)
    for key in IGNORED_TOP_KEYS:
        for entry in data.get(key) or []:
            name = entry.get("name") if isinstance(entry, dict) else entry
            project.config.ignored.append(Ignored(f"`{key}:` entry '{name}'", _loc(entry, rel)))
    for kind in ("models", "seeds"):
        for entry in data.get(kind) or []:
            _apply_entry(project, rel, kind[:-1], entry, package)
    for source in data.get("sources") or []:
        _add_source(project, rel, source, package)
    if data.get("snapshots"):
        from warehouse.project.snapshots import apply_yaml

        apply_yaml(project, path, data)
    if data.get("unit_tests"):
        from warehouse.project import unit_tests

        unit_tests.apply_yaml(project, path, data)


def _apply_entry(project: Any, rel: Path, kind: str, entry: Any, package: str | None = None) -> None:
    if not isinstance(entry, dict) or "name" not in entry:
        raise ProjectError(f"each entry under {kind}s: needs a 'name'", _loc(entry, rel))
    reject_unknown_keys(entry, ENTRY_KEYS, f"{kind} '{entry['name']}'", rel)
    if kind == "model" and "versions" in entry:
        from warehouse.project.versions import apply_versions

        apply_versions(project, rel, entry, lambda node, data, where: _fill(node, data, where, project), _column)
        return
    node = project.by_name(entry["name"], (kind,), package=package)
    if node is None:
        # dbt warns and goes on: a properties entry without its file documents nothing.
        names = [n.name for n in project.of_type(kind)]
        hint = nearest(entry["name"], names)
        project.config.warnings.append(
            f"{_loc(entry, rel, 'name')}: {kind} '{entry['name']}' is documented here but there is no such {kind} "
            f"file" + (f" (did you mean '{hint}'?)" if hint else ""))
        return
    for key in IGNORED_ENTRY_KEYS:
        if key in entry:
            project.config.ignored.append(Ignored(f"`{key}:` of {kind} '{entry['name']}'", _loc(entry, rel, key)))
    _fill(node, entry, rel, project)


def _fill(node: Node, entry: dict, rel: Path, project: Any = None) -> None:
    node.properties_path = rel
    node.description = entry.get("description") or node.description
    config = entry.get("config") or {}
    _check_config_keys(config, rel, node.name, project)
    for key, value in config.items():
        merge(node.config, str(key), value)
    for key in ("tags", "meta", "freshness", "loaded_at_field", "docs", "constraints"):
        if key in entry:
            merge(node.config, key, entry[key])
    node.constraints = [c for c in entry.get("constraints") or [] if isinstance(c, dict)]
    for column in entry.get("columns") or []:
        col = _column(column, rel, node.name)
        node.columns[col.name] = col
    node.tests.extend(_tests(entry, rel, node.name, None))


def _check_config_keys(config: Any, rel: Path, owner: str, project: Any = None) -> None:
    """A key dbt and we do not know is a typo when it is close to one we know (an error with
    the nearest key); otherwise it is a custom config, kept (for config.get and the manifest)
    as dbt keeps it, with a warning."""
    if not isinstance(config, dict):
        return
    for key in config:
        name = canonical(str(key))
        if name in IGNORED_CONFIG_KEYS and project is not None:
            project.config.ignored.append(Ignored(f"config `{name}` of {owner}", _loc(config, rel, key)))
        if name in NODE_CONFIG_KEYS:
            continue
        hint = nearest(name, NODE_CONFIG_KEYS, cutoff=0.8)
        if hint or project is None:
            raise ProjectError(f"unknown config '{key}' for {owner}", _loc(config, rel, key),
                               hint=f"did you mean '{hint}'?" if hint else None)
        project.config.warnings.append(f"{_loc(config, rel, key)}: custom config '{key}' of {owner} is kept "
                                       "for config.get() and the manifest; nothing else reads it")


def _column(entry: Any, rel: Path, owner: str) -> Column:
    if isinstance(entry, str):
        return Column(name=entry)
    if not isinstance(entry, dict) or "name" not in entry:
        raise ProjectError(f"each column of {owner} needs a 'name'", _loc(entry, rel))
    reject_unknown_keys(entry, COLUMN_KEYS, f"column '{entry['name']}' of {owner}", rel)
    if not isinstance(entry.get("quote", False), bool):
        raise ProjectError(f"quote of column '{entry['name']}' of {owner} must be true or false",
                           _loc(entry, rel, "quote"))
    column = Column(name=str(entry["name"]), description=entry.get("description") or "",
                    data_type=entry.get("data_type"), meta=entry.get("meta") or {},
                    constraints=list(entry.get("constraints") or []), quote=entry.get("quote") is True)
    column.tests = _tests(entry, rel, owner, column.name)
    return column


def _tests(entry: dict, rel: Path, owner: str, column: str | None) -> list[DataTestSpec]:
    specs = []
    for key in ("data_tests", "tests"):
        items = entry.get(key) or []
        for item in items:
            specs.append(_test_spec(item, rel, owner, column, _loc(entry, rel, key)))
    return specs


def _test_spec(item: Any, rel: Path, owner: str, column: str | None, where: Location) -> DataTestSpec:
    if isinstance(item, str):
        return DataTestSpec(item, {}, {}, column, where)
    if not isinstance(item, dict) or len(item) != 1:
        raise ProjectError(f"a test of {owner} must be a name or a one-key mapping {{test_name: {{args}}}}", where)
    (name, args), = item.items()
    where = _loc(item, rel, name)
    args = dict(args or {})
    _check_config_keys(args.get("config"), rel, f"test '{name}' on {owner}")    # `severty: warn` ignored no test
    config = dict(args.pop("config", None) or {})
    for key in ("severity", "where", "limit", "tags", "meta", "store_failures", "warn_if", "error_if"):
        if key in args:
            config[key] = args.pop(key)
    if "arguments" in args:
        args.update(args.pop("arguments") or {})
    if "name" in args:
        config["name"] = args.pop("name")
    if "severity" in config:     # else dbt_project.yml's tests: tree, else error (when the test runs)
        severity = str(config["severity"]).lower()
        if severity not in ("error", "warn"):
            raise ProjectError(f"severity of test '{name}' on {owner} must be error or warn, not '{severity}'", where)
        config["severity"] = severity
    return DataTestSpec(str(name), args, config, column, where)


def _add_source(project: Any, rel: Path, source: Any, package: str | None = None) -> None:
    if not isinstance(source, dict) or "name" not in source:
        raise ProjectError("each entry under sources: needs a 'name'", _loc(source, rel))
    reject_unknown_keys(source, SOURCE_KEYS, f"source '{source['name']}'", rel)
    source_name = str(source["name"])
    schema = source.get("schema") or source_name
    source_meta = dict(source.get("meta") or {})
    source_config = dict(source.get("config") or {})
    for table in source.get("tables") or []:
        if not isinstance(table, dict) or "name" not in table:
            raise ProjectError(f"each table of source '{source_name}' needs a 'name'", _loc(table, rel))
        landing = project.by_name(table["name"], ("seed",))
        if landing is not None and landing.source_name == source_name:
            _fill(landing, table, rel, project)        # a landing file documented as a source table
            continue
        identifier = str(table.get("identifier") or table["name"])
        node = Node(
            unique_id=node_id("source", package or project.config.name, source_name, str(table["name"])),
            name=str(table["name"]), resource_type="source",
            path=rel, fqn=("sources", source_name, str(table["name"])),
            config={"schema": schema, "alias": identifier, "meta": dict(source_meta),
                    "freshness": source.get("freshness"), "loaded_at_field": source.get("loaded_at_field"),
                    **{k: v for k, v in source_config.items() if k not in ("meta",)}},
            source_name=source_name, package_name=package,
        )
        _fill(node, {k: v for k, v in table.items() if k != "identifier"}, rel, project)
        location = _external_location(node, table, identifier, project.root)
        if location:
            node.config["external_location"] = location
        project.add(node)


def _external_location(node: Node, table: dict, identifier: str, root: Path) -> str | None:
    """dbt-duckdb's external sources: `external_location` in the table's or the source's config
    or meta, formatted with {name}, {identifier} and the meta keys. A relative path (also the
    first argument of a call such as read_csv(...)) is taken from the project folder."""
    meta = node.config.get("meta") or {}
    template = node.config.get("external_location") or meta.get("external_location")
    if not template:
        return None
    try:
        text = str(template).format(**{**meta, "name": node.name, "identifier": identifier,
                                        "schema": node.config.get("schema")})
    except (KeyError, IndexError, ValueError) as exc:
        raise ProjectError(f"external_location of source table {node.name} names an unknown field {exc}",
                           node.location) from None
    if "(" not in text:
        return _absolute(text, root)
    # read_csv('data/x.csv', ...): the first quoted path is made absolute too, so the location means
    # the same file whatever the current folder of the command is
    return re.sub(r"\(\s*'([^']*)'", lambda m: "('" + _absolute(m.group(1), root).replace("'", "''") + "'", text,
                  count=1)


def _absolute(location: str, root: Path) -> str:
    if "://" in location or Path(location).is_absolute():
        return location
    return str(root / location)


def add_generic_tests(project: Any) -> None:
    """Turn every declared generic test into a test node attached to its model/seed/source."""
    for node in list(project.nodes.values()):
        if node.resource_type == "test":
            continue
        specs = list(node.tests) + [t for c in node.columns.values() for t in c.tests]
        for spec in specs:
            package = node.package_name or project.config.name
            test = _test_node(node, spec, package)
            if project.by_name(test.name, ("test",), package=package) is not None:
                # The same test twice on one column (e.g. two accepted_values lists): keep both,
                # with names that differ, so their compiled SQL and results do not collide.
                digest = hashlib.sha1(repr((spec.kwargs, spec.config)).encode()).hexdigest()[:8]
                test.name += f"_{digest}"
                test.unique_id = _test_id(package, test.name, node, spec)
            project.add(test)


def _test_id(package: str, name: str, parent: Node, spec: DataTestSpec) -> str:
    """dbt's `test.<package>.<name>.<hash>`: the hash (10 hex digits) of what defines the test,
    so two tests of one name never share an id and the id stays the same from build to build."""
    defined = repr((name, spec.test_name, parent.unique_id, spec.column, spec.kwargs, spec.config))
    return node_id("test", package, name, hashlib.md5(defined.encode()).hexdigest()[-10:])


def _test_node(parent: Node, spec: DataTestSpec, package: str) -> Node:
    name = spec.config.get("name") or "_".join(
        p for p in (spec.test_name.split(".")[-1], parent.name, spec.column) if p)
    name = re.sub(r"[^0-9A-Za-z_]+", "_", name)
    column = parent.columns.get(spec.column) if spec.column else None
    quote = {"quote": True} if column is not None and column.quote else {}     # absent by default: checksums stay
    return Node(
        unique_id=_test_id(package, name, parent, spec), name=name, resource_type="test", path=spec.location.file,
        fqn=("generic", name), config={k: v for k, v in spec.config.items() if k != "name"},
        test_metadata={"kind": "generic", "test_name": spec.test_name, "kwargs": spec.kwargs,
                       "column": spec.column, "attached_to": parent.unique_id, "line": spec.location.line,
                       **quote},
        package_name=package,
    )


def _loc(entry: Any, rel: Path, key: str | None = None) -> Location:
    if isinstance(entry, Mapping):
        return Location(rel, entry.key_lines.get(key, entry.line) if key else entry.line)
    return Location(rel)
