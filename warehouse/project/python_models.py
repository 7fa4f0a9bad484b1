"""Python models as dbt-duckdb runs them: `models/*.py` defining `def model(dbt, session)`.

One parser per resource type. As dbt does, the file is read with `ast`, never imported: the
literal arguments of `dbt.ref(...)`, `dbt.source(...)` and `dbt.config(...)` give the node its
dependencies and config, so parsing a project imports nothing the model imports (pandas, polars
...). The model runs inside the engine (warehouse.engine), which hands it DuckDB relations.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from warehouse.core.errors import CompileError, Location
from warehouse.project.nodes import Node

MATERIALIZATIONS = ("table",)


@dataclass
class PythonCalls:
    """What a Python model's source says about itself."""

    refs: list[tuple[str, Any]] = field(default_factory=list)       # (name, version)
    sources: list[tuple[str, str]] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)


def is_python(node: Node) -> bool:
    return node.resource_type == "model" and node.path is not None and node.path.suffix == ".py"


def parse_python(node: Node) -> PythonCalls:
    """The dbt.ref/dbt.source/dbt.config calls of the model's source (literal arguments only)."""
    try:
        tree = ast.parse(node.raw_sql, filename=str(node.path))
    except SyntaxError as exc:
        raise CompileError(f"Python syntax error: {exc.msg}", Location(node.path, exc.lineno, exc.offset, node.name)) \
            from None
    if not any(isinstance(n, ast.FunctionDef) and n.name == "model" for n in tree.body):
        raise CompileError("a Python model must define `def model(dbt, session):`",
                           Location(node.path, 1, node=node.name))
    calls = PythonCalls()
    for call in ast.walk(tree):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and isinstance(call.func.value, ast.Name) and call.func.value.id == "dbt"):
            continue
        method = call.func.attr
        if method in ("ref", "source", "config"):
            args, kwargs = _literals(node, call)
            if method == "ref":
                calls.refs.append((args[0], kwargs.get("v", kwargs.get("version"))))
            elif method == "source":
                calls.sources.append((args[0], args[1]))
            else:
                calls.config.update(kwargs)
    materialized = calls.config.get("materialized", "table")
    if materialized not in MATERIALIZATIONS:
        raise CompileError(f"Python model {node.name}: materialized='{materialized}' is not supported (use table)",
                           Location(node.path, node=node.name))
    calls.config["materialized"] = materialized
    return calls


def _literals(node: Node, call: ast.Call) -> tuple[list[Any], dict[str, Any]]:
    try:
        args = [ast.literal_eval(a) for a in call.args]
        return args, {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg}
    except ValueError:
        raise CompileError(f"dbt.{call.func.attr}() in a Python model takes literal arguments (as in dbt)",  # type: ignore[attr-defined]
                           Location(node.path, call.lineno, call.col_offset + 1, node.name)) from None


def parse_python_model(project: Any, node: Node) -> None:
    """Give a Python model its config and dependencies, and the relations its dbt.ref/dbt.source
    calls will read (stored in its config under `__python`)."""
    from warehouse.core.relation import quote_relation
    from warehouse.core.yamlio import nearest
    from warehouse.project.versions import resolve

    calls = parse_python(node)
    node.config.update(calls.config)
    refs, sources, depends = [], [], []
    for name, pin in calls.refs:
        target = resolve(project, name, pin)
        if target is None and pin is None:
            target = project.by_name(name, ("model", "seed", "snapshot"))
        if target is None:
            hint = nearest(name, [n.name for n in project.of_type("model", "seed", "snapshot")])
            raise CompileError(f"dbt.ref('{name}') names no model or seed", Location(node.path, node=node.name),
                               hint=f"did you mean '{hint}'?" if hint else None)
        refs.append([name, None if pin is None else str(pin), quote_relation(target.schema, target.identifier)])
        depends.append(target.unique_id)
    for source_name, table in calls.sources:
        target = project.source(source_name, table)
        landing = project.by_name(table, ("seed",))
        target = target or (landing if landing is not None and landing.source_name == source_name else None)
        if target is None:
            raise CompileError(f"dbt.source('{source_name}', '{table}') is not declared",
                               Location(node.path, node=node.name))
        sources.append([source_name, table, quote_relation(target.schema, target.identifier)])
        depends.append(target.unique_id)
    node.config["__python"] = {"refs": refs, "sources": sources}
    node.depends_on = list(dict.fromkeys(depends))
