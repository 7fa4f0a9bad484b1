"""The snapshot materialization: type-2 history of a query, kept from build to build.

dbt's semantics (1.9): each row of the query is tracked by `unique_key`; `strategy: timestamp`
sees a change when `updated_at` moved past the current version's `dbt_valid_from`, `strategy:
check` when one of `check_cols` (or any column, `all`) differs. A changed row closes the current
version (`dbt_valid_to`) and inserts a new one. Rows gone from the query are kept (`hard_deletes:
ignore`), closed (`invalidate`), or closed and followed by a version flagged `dbt_is_deleted =
'True'` (`new_record`). `dbt_valid_to_current` replaces NULL as the end of current versions.

All statements of one snapshot run in one transaction on the staging database, which starts as a
copy of the published warehouse: a build that fails publishes nothing, so the history stays exactly
as published, and a second build on the same data finds no change and adds no rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from warehouse.core.errors import Location, ModelError
from warehouse.project.nodes import Node
from warehouse.core.relation import quote_identifier as q
from warehouse.core.relation import quote_literal, quote_relation
from warehouse.core.yamlio import nearest

if TYPE_CHECKING:
    from warehouse.engine.base import Engine

SRC, CUR, CLOSE, NEW, GONE = "__snap_src", "__snap_cur", "__snap_close", "__snap_new", "__snap_gone"
KEY, UPDATED = "__dbt_key", "__dbt_updated"


@dataclass(frozen=True)
class Plan:
    """One snapshot's settings, resolved: column names, key and change expressions."""

    node: Node
    strategy: str
    keys: list[str]
    updated_at: str | None
    check_cols: list[str] | str
    hard_deletes: str
    current_to: str | None        # SQL expression for dbt_valid_to of current rows, or None (NULL)
    names: dict[str, str]         # dbt_valid_from -> the column name used
    now: str                      # the snapshot time as a SQL literal

    def col(self, meta: str) -> str:
        return q(self.names.get(meta, meta))


def plan_for(node: Node, snapshot_time: datetime) -> Plan:
    from warehouse.project.snapshots import hard_deletes

    config = node.config
    keys = config["unique_key"]
    return Plan(
        node=node, strategy=config["strategy"], keys=[keys] if isinstance(keys, str) else list(keys),
        updated_at=config.get("updated_at"), check_cols=config.get("check_cols") or [],
        hard_deletes=hard_deletes(node), current_to=config.get("dbt_valid_to_current"),
        names=dict(config.get("snapshot_meta_column_names") or {}),
        now=f"cast({quote_literal(snapshot_time.strftime('%Y-%m-%d %H:%M:%S.%f'))} as timestamp)",
    )


def run_snapshot(engine: "Engine", node: Node, sql: str, snapshot_time: datetime) -> tuple[int, dict[str, Any]]:
    """Snapshot `sql` into the node's table; return (rows in the table, what changed)."""
    plan = plan_for(node, snapshot_time)
    target = quote_relation(node.schema, node.identifier)
    engine.ensure_schema(node.schema)
    engine.execute("begin transaction")
    try:
        _stage_source(engine, plan, sql)
        if engine.relation_type(node.schema, node.identifier) is None:
            details = _create(engine, plan, target)
        else:
            details = _merge(engine, plan, target)
        for table in (SRC, CUR, CLOSE, NEW, GONE):
            engine.execute(f"drop table if exists {table}")
        engine.execute("commit")
    except BaseException:
        engine.execute("rollback")
        raise
    rows = engine.fetchall(f"select count(*) from {target}")[0][0]
    return rows, details


def _stage_source(engine: "Engine", plan: Plan, sql: str) -> None:
    engine.execute(f"create or replace temp table {SRC}_raw as\n{sql}")
    columns = [c for c, _ in engine.columns("main", f"{SRC}_raw")]
    _require(plan, columns, plan.keys if _plain(plan.keys) else [], "unique_key")
    if plan.strategy == "timestamp":
        _require(plan, columns, [plan.updated_at], "updated_at")
    elif plan.check_cols != "all":
        _require(plan, columns, list(plan.check_cols), "check_cols")
    updated = f"cast({q(plan.updated_at)} as timestamp)" if plan.strategy == "timestamp" else plan.now
    engine.execute(f"create or replace temp table {SRC} as select *, {_key_expr(plan, None)} as {KEY}, "
                   f"{updated} as {UPDATED} from {SRC}_raw")
    engine.execute(f"drop table {SRC}_raw")
    duplicates = engine.fetchall(f"select {KEY}, count(*) from {SRC} group by {KEY} having count(*) > 1 "
                                 f"order by 2 desc, 1 limit 3")
    if duplicates:
        shown = ", ".join(f"{k!r} ({n} rows)" for k, n in duplicates)
        raise ModelError(f"snapshot {plan.node.name}: unique_key {plan.keys} is not unique in the query: {shown}",
                         _where(plan), hint="a snapshot tracks one row per key; fix the query or the unique_key")


def _plain(keys: list[str]) -> bool:
    return all(k.replace("_", "").isalnum() for k in keys)


def _require(plan: Plan, columns: list[str], wanted: list[str], what: str) -> None:
    lower = {c.lower() for c in columns}
    for name in wanted:
        if str(name).lower() not in lower:
            hint = nearest(str(name), columns)
            raise ModelError(f"snapshot {plan.node.name}: {what} column '{name}' is not in the query's columns",
                             _where(plan), hint=f"did you mean '{hint}'?" if hint else f"columns: {', '.join(columns)}")


def _where(plan: Plan) -> Location:
    return Location(plan.node.path, plan.node.config.get("__line"), node=plan.node.name)


def _key_expr(plan: Plan, alias: str | None) -> str:
    """One text value per row for the unique key (a list of columns joined with '|')."""
    prefix = f"{alias}." if alias else ""
    parts = [f"coalesce(cast({prefix}{q(k) if _plain([k]) else '(' + k + ')'} as varchar), '')" for k in plan.keys]
    return parts[0] if len(parts) == 1 else " || '|' || ".join(parts)


def _source_columns(engine: "Engine") -> list[tuple[str, str]]:
    return [(c, t) for c, t in engine.columns("main", SRC) if c not in (KEY, UPDATED)]


def _valid_to_current(plan: Plan) -> str:
    return f"cast({plan.current_to} as timestamp)" if plan.current_to else "cast(null as timestamp)"


def _is_current(plan: Plan, alias: str) -> str:
    column = f"{alias}.{plan.col('dbt_valid_to')}"
    if plan.current_to:
        return f"({column} is null or {column} = {_valid_to_current(plan)})"
    return f"{column} is null"


def _meta_select(plan: Plan, valid_from: str, deleted: bool | None) -> str:
    """The metadata columns of a new version starting at `valid_from`."""
    scd = f"md5({KEY} || '|' || cast({valid_from} as varchar))"
    parts = [f"{scd} as {plan.col('dbt_scd_id')}", f"{valid_from} as {plan.col('dbt_updated_at')}",
             f"{valid_from} as {plan.col('dbt_valid_from')}",
             f"{_valid_to_current(plan)} as {plan.col('dbt_valid_to')}"]
    if plan.hard_deletes == "new_record":
        parts.append(f"{quote_literal('True' if deleted else 'False')} as {plan.col('dbt_is_deleted')}")
    return ", ".join(parts)


def _create(engine: "Engine", plan: Plan, target: str) -> dict[str, Any]:
    columns = ", ".join(q(c) for c, _ in _source_columns(engine))
    engine.execute(f"create table {target} as select {columns}, {_meta_select(plan, UPDATED, False)} from {SRC}")
    inserted = engine.fetchall(f"select count(*) from {target}")[0][0]
    return {"strategy": plan.strategy, "hard_deletes": plan.hard_deletes, "inserted": inserted,
            "changed": 0, "invalidated": 0, "first_run": True}


def _merge(engine: "Engine", plan: Plan, target: str) -> dict[str, Any]:
    source = _source_columns(engine)
    _add_new_columns(engine, plan, target, source)
    deleted_flag = plan.col("dbt_is_deleted") if plan.hard_deletes == "new_record" else None
    engine.execute(f"create or replace temp table {CUR} as select *, {_key_expr(plan, 't')} as {KEY} "
                   f"from {target} as t where {_is_current(plan, 't')}")
    live = f"c.{deleted_flag} is distinct from 'True'" if deleted_flag else "true"
    changed = f"c.{plan.col('dbt_valid_from')} < s.{UPDATED}" if plan.strategy == "timestamp" \
        else _check_changed(plan, source)
    # new versions: changed rows, keys never seen (or seen only as deleted), each with its start
    engine.execute(
        f"create or replace temp table {NEW} as "
        f"select s.*, c.{plan.col('dbt_scd_id')} as __closes, "
        f"case when c.{KEY} is null then s.{UPDATED} when {live} then s.{UPDATED} else {plan.now} end as __from "
        f"from {SRC} as s left join {CUR} as c on c.{KEY} = s.{KEY} "
        f"where c.{KEY} is null or not ({live}) or ({changed})")
    gone = "false" if plan.hard_deletes == "ignore" else \
        f"s.{KEY} is null and {live}"
    engine.execute(f"create or replace temp table {GONE} as select c.* from {CUR} as c "
                   f"left join {SRC} as s on s.{KEY} = c.{KEY} where {gone}")
    engine.execute(
        f"create or replace temp table {CLOSE} as "
        f"select __closes as scd_id, __from as valid_to from {NEW} where __closes is not null "
        f"union all select {plan.col('dbt_scd_id')}, {plan.now} from {GONE}")
    engine.execute(f"update {target} as t set {plan.col('dbt_valid_to')} = x.valid_to from {CLOSE} as x "
                   f"where t.{plan.col('dbt_scd_id')} = x.scd_id and {_is_current(plan, 't')}")
    names = ", ".join(q(c) for c, _ in source)
    engine.execute(f"insert into {target} by name select {names}, {_meta_select(plan, '__from', False)} from {NEW}")
    if plan.hard_deletes == "new_record":
        kept = ", ".join(q(c) for c in _target_source_columns(engine, plan))
        engine.execute(f"insert into {target} by name select {kept}, {_meta_select(plan, plan.now, True)} from {GONE}")
    counts = dict(engine.fetchall(
        f"select 'changed', count(*) from {NEW} where __closes is not null union all "
        f"select 'inserted', count(*) from {NEW} union all select 'invalidated', count(*) from {GONE}"))
    return {"strategy": plan.strategy, "hard_deletes": plan.hard_deletes, "first_run": False, **counts}


def _check_changed(plan: Plan, source: list[tuple[str, str]]) -> str:
    names = [c for c, _ in source] if plan.check_cols == "all" else list(plan.check_cols)
    return " or ".join(f"c.{q(n)} is distinct from s.{q(n)}" for n in names) or "false"


def _target_source_columns(engine: "Engine", plan: Plan) -> list[str]:
    """The tracked columns of the snapshot table (everything but dbt's metadata)."""
    meta = {plan.names.get(m, m) for m in ("dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to",
                                            "dbt_is_deleted")}
    return [c for c, _ in engine.columns("main", CUR) if c not in meta and c != KEY]


def _add_new_columns(engine: "Engine", plan: Plan, target: str, source: list[tuple[str, str]]) -> None:
    """A column new in the query is added to the snapshot (earlier versions read NULL), as dbt does."""
    existing = {c.lower() for c, _ in engine.columns(plan.node.schema, plan.node.identifier)}
    for column, kind in source:
        if column.lower() not in existing:
            engine.execute(f"alter table {target} add column {q(column)} {kind}")
