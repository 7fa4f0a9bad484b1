"""Model contracts (dbt 1.5+): `contract: {enforced: true}` with each column's `data_type` and
`constraints`.

Before a contracted model runs, its query is bound (a temporary view: nothing executes) and its
columns and types are compared with the contract: a column missing, one not in the contract, or a
type that differs fails the model, naming each mismatch, and the model is not built. Types are
compared as the engine spells them (`int` and `integer` are the same; `decimal(18,2)` and
`decimal(38,2)` are not). A contracted table is then created from its column definitions, with the
constraints DuckDB enforces (`not_null`, `unique`, `primary_key`, `check`), and filled in one
transaction, so a row breaking a constraint fails the model. Views get the column check only, as
in dbt. `foreign_key` is accepted and not enforced (dbt does not enforce it on DuckDB either).
"""
from __future__ import annotations

import re

from typing import TYPE_CHECKING, Any

from warehouse.core.errors import DatabaseError, ModelError
from warehouse.core.relation import quote_identifier as q
from warehouse.core.relation import quote_relation
from warehouse.project.nodes import Node

if TYPE_CHECKING:
    from warehouse.engine.base import Engine

PROBE = "__contract_probe"
ENFORCED = {"not_null": "not null", "unique": "unique", "primary_key": "primary key"}
NOT_ENFORCED = ("foreign_key", "custom")


def is_enforced(node: Node) -> bool:
    contract = node.config.get("contract") or {}
    return isinstance(contract, dict) and bool(contract.get("enforced"))


def check_contract(engine: "Engine", node: Node, sql: str) -> list[tuple[str, str]]:
    """Compare the query's columns with the contract; raise naming every mismatch.
    Returns the contract's columns as (name, engine type), in contract order."""
    declared = _declared(engine, node)
    actual = _bind(engine, sql)
    problems = []
    by_name = {c.lower(): (c, t) for c, t in actual}
    for name, kind in declared:
        found = by_name.pop(name.lower(), None)
        if found is None:
            problems.append(f"column '{name}' ({kind}) is in the contract but not in the query")
        elif found[1] != kind and not (engine.dialect != "duckdb" and _widens(found[1], kind)):
            problems.append(f"column '{name}' is {found[1]} in the query, the contract says {kind}")
    problems += [f"column '{c}' ({t}) is in the query but not in the contract" for c, t in by_name.values()]
    if problems:
        raise ModelError(f"the contract of {node.name} is not met ({len(problems)} mismatch(es)); "
                         "the model was not built:\n  " + "\n  ".join(problems), node.location,
                         hint=f"change the query or the columns/data_type of {node.name} in {node.properties_path}")
    return declared


_INTEGERS = ("TINYINT", "SMALLINT", "INT", "BIGINT")
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


def _widens(actual: str, declared: str) -> bool:
    """A lossless widening into the contract's type (INT into BIGINT, DECIMAL(24,2) into
    DECIMAL(38,2)). Accepted on engines other than DuckDB only: the same model's aggregates get
    other widths there (Spark's SUM of DECIMAL(18,2) is DECIMAL(28,2), DuckDB's DECIMAL(38,2)),
    and the contracted table is created with the contract's types, so what is published matches."""
    a, d = actual.upper(), declared.upper()
    if a in _INTEGERS and d in _INTEGERS:
        return _INTEGERS.index(a) <= _INTEGERS.index(d)
    ma, md = _DECIMAL.fullmatch(a), _DECIMAL.fullmatch(d)
    return bool(ma and md and ma.group(2) == md.group(2) and int(ma.group(1)) <= int(md.group(1)))


def create_contracted_table(engine: "Engine", node: Node, sql: str, declared: list[tuple[str, str]]) -> None:
    """Create the table from the contract's columns and constraints, then fill it (one transaction)."""
    target = quote_relation(node.schema, node.identifier)
    definitions = [f"{q(name)} {kind}{_column_constraints(node, name)}" for name, kind in declared]
    definitions += _model_constraints(node)
    names = ", ".join(q(name) for name, _ in declared)
    existing = engine.relation_type(node.schema, node.identifier)
    engine.execute("begin transaction")
    try:
        if existing:
            engine.execute(f"drop {existing} {target}")
        engine.execute(f"create table {target} (\n    " + ",\n    ".join(definitions) + "\n)")
        engine.execute(f"insert into {target} ({names}) select {names} from (\n{sql}\n) as __contracted")
        engine.execute("commit")
    except BaseException:
        engine.execute("rollback")
        raise


def _declared(engine: "Engine", node: Node) -> list[tuple[str, str]]:
    """The contract's columns with their types as the engine spells them."""
    missing = [c.name for c in node.columns.values() if not c.data_type]
    if not node.columns or missing:
        raise ModelError(f"{node.name} enforces a contract, so every column needs a data_type"
                         + (f"; missing for: {', '.join(missing)}" if missing else "; it documents no columns"),
                         node.location, hint=f"add data_type to the columns of {node.name} in its properties YAML")
    select = ", ".join(f"cast(null as {c.data_type}) as {q(c.name)}" for c in node.columns.values())
    try:
        return _bind(engine, f"select {select}")
    except DatabaseError as exc:       # an unknown type name in the contract
        raise ModelError(f"the contract of {node.name} names a type the engine does not know: {exc.message}",
                         node.location) from None


def _bind(engine: "Engine", sql: str) -> list[tuple[str, str]]:
    """The columns a query would return, without running it."""
    engine.execute(f"create or replace temp view {PROBE} as\n{sql}")
    try:
        return engine.columns("main", PROBE)
    finally:
        engine.execute(f"drop view if exists {PROBE}")


def _column_constraints(node: Node, column: str) -> str:
    parts = []
    for constraint in _constraints(node.columns[column].constraints if column in node.columns else []):
        kind = constraint.get("type")
        if kind in ENFORCED:
            parts.append(ENFORCED[kind])
        elif kind == "check":
            parts.append(f"check ({constraint['expression']})")
    return (" " + " ".join(parts)) if parts else ""


def _model_constraints(node: Node) -> list[str]:
    found = []
    for constraint in _constraints(node.config.get("constraints") or []):
        kind, columns = constraint.get("type"), constraint.get("columns") or []
        if kind in ("unique", "primary_key") and columns:
            found.append(f"{ENFORCED[kind]} ({', '.join(q(c) for c in columns)})")
        elif kind == "check":
            found.append(f"check ({constraint['expression']})")
    return found


def _constraints(items: Any) -> list[dict]:
    known = (*ENFORCED, "check", *NOT_ENFORCED)
    result = []
    for item in items or []:
        if not isinstance(item, dict) or item.get("type") not in known:
            raise ModelError(f"a constraint must be a mapping with type: one of {', '.join(known)} (got {item!r})")
        if item["type"] == "check" and not item.get("expression"):
            raise ModelError("a check constraint needs an expression")
        result.append(item)
    return result
