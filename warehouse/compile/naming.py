"""dbt's relation naming: generate_schema_name, generate_alias_name and generate_database_name."""
from __future__ import annotations

from typing import Any

from warehouse.compile.compiler import Compiler, RenderState
from warehouse.core.errors import CompileError, Location, WarehouseError
from warehouse.core.vocab import NodeType
from warehouse.project.ignored import Ignored
from warehouse.project.nodes import Node


def resolve_names(compiler: Compiler, node: Node) -> None:
    """Set the node's schema, alias and database as dbt names them: the project's own
    generate_*_name macro when it has one, else dbt's default (`<target schema>_<custom>`)."""
    if node.fixed_schema or node.resource_type not in (NodeType.MODEL, NodeType.SEED, NodeType.SNAPSHOT):
        return
    target = compiler.project.config.target
    state = RenderState(node)
    custom_schema = node.config.get("schema")
    custom_alias = node.config.get("alias")
    custom_database = node.config.get("database")
    node.relation_schema = _generated(compiler, "generate_schema_name", state, custom_schema) or \
        (f"{target.schema}_{str(custom_schema).strip()}" if custom_schema else target.schema)
    node.relation_alias = _generated(compiler, "generate_alias_name", state, custom_alias) or \
        (str(custom_alias).strip() if custom_alias else node.name)
    generated = _generated(compiler, "generate_database_name", state, custom_database)
    node.database = target.database     # every relation is built in the warehouse file (its catalog)
    if generated and generated != target.database:
        _ignore_database_macro(compiler, generated)


def _ignore_database_macro(compiler: Compiler, database: str) -> None:
    """A project's generate_database_name naming another database: listed once per name (the
    `database` config itself is listed where it is written)."""
    feature = f"`generate_database_name` returning '{database}' (relations are built in the warehouse file)"
    ignored = compiler.project.config.ignored
    if all(i.feature != feature for i in ignored):
        ignored.append(Ignored(feature, Location(compiler.project.config.file)))


def _generated(compiler: Compiler, macro_name: str, state: RenderState, custom: Any) -> str | None:
    if macro_name not in compiler.root_macro_names:
        return None
    ctx = compiler.context(state, final=False)
    try:
        value = ctx[macro_name](custom if custom not in ("", None) else None, compiler.model_context(state.node))
    except WarehouseError:
        raise
    except Exception as exc:  # noqa: BLE001 - the project's macro: its error, with its name
        raise CompileError(f"{macro_name} failed for {state.node.name}: {exc}", state.node.location) from None
    text = str(value).strip()
    return text or None
