"""Diff one relation against its published version: schema, row counts, rows added, removed, changed.

Everything is computed by the engine in SQL built as sqlglot expressions (rendered in the
engine's dialect): rows are matched on the model's unique key with a full outer join, or,
for a model without one, compared as multisets of whole-row hashes. Only aggregates and a
few example rows come back to Python, so the cost is one or two scans of each side.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, Sequence

from sqlglot import exp

# The engine's row hash: 64-bit, variadic, NULL-safe. Engines differ in its name only.
HASH_FUNCTION = {"duckdb": "hash", "spark": "xxhash64"}
# Dialects with a top-N aggregate (`arg_min(value, order, n)`): example rows come from the same pass
# as the counts. Others need a second pass over the join for them.
TOP_N_AGGREGATE = frozenset({"duckdb"})
EXAMPLES = 3
MAX_TEXT = 60
IN_NEW, IN_OLD = "__in_new", "__in_old"


class SqlEngine(Protocol):
    dialect: str

    def fetchall(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple]: ...


@dataclass(frozen=True)
class Side:
    """One relation to compare: its (catalog, schema, name) and its columns as [(name, type)]."""

    catalog: str | None
    schema: str
    name: str
    columns: tuple[tuple[str, str], ...]

    def table(self, alias: str | None = None) -> exp.Table:
        table = exp.Table(this=exp.to_identifier(self.name, quoted=True),
                          db=exp.to_identifier(self.schema, quoted=True),
                          catalog=exp.to_identifier(self.catalog, quoted=True) if self.catalog else None)
        return table.as_(alias) if alias else table


@dataclass
class SchemaChange:
    added: list[dict] = field(default_factory=list)      # {name, type}
    removed: list[dict] = field(default_factory=list)    # {name, type}
    retyped: list[dict] = field(default_factory=list)    # {name, from, to}
    reordered: bool = False

    def any(self) -> bool:
        return bool(self.added or self.removed or self.retyped or self.reordered)


@dataclass
class RowDiff:
    method: str                   # key | row_hash | skipped
    key: list[str] = field(default_factory=list)
    added: int | None = None
    removed: int | None = None
    changed: int | None = None    # rows whose key matched but a compared value differs (keyed only)
    columns_changed: list[dict] = field(default_factory=list)   # [{column, rows}] most changed first
    examples: dict[str, list] = field(default_factory=dict)     # added / removed / changed
    note: str = ""


def schema_change(old: Sequence[tuple[str, str]], new: Sequence[tuple[str, str]]) -> SchemaChange:
    """Columns added, removed, retyped, and whether the common ones changed order."""
    old_types, new_types = dict(old), dict(new)
    change = SchemaChange(
        added=[{"name": c, "type": t} for c, t in new if c not in old_types],
        removed=[{"name": c, "type": t} for c, t in old if c not in new_types],
        retyped=[{"name": c, "from": old_types[c], "to": t} for c, t in new
                 if c in old_types and old_types[c] != t],
    )
    common_old = [c for c, _ in old if c in new_types]
    common_new = [c for c, _ in new if c in old_types]
    change.reordered = common_old != common_new
    return change


def row_count(engine: SqlEngine, side: Side) -> int:
    query = exp.select(exp.Count(this=exp.Star())).from_(side.table())
    return int(engine.fetchall(query.sql(dialect=engine.dialect))[0][0])


def diff_rows(engine: SqlEngine, old: Side, new: Side, key: Sequence[str]) -> RowDiff:
    """Rows added, removed and changed between `old` and `new`, on `key` or on whole-row hashes."""
    old_types = dict(old.columns)
    common = [(c, t) for c, t in new.columns if c in old_types]
    names = {c for c, _ in common}
    if key and all(k in names for k in key):
        return _keyed(engine, old, new, list(key), common, old_types)
    note = f"key column(s) {', '.join(k for k in key if k not in names)} not on both sides; " if key else ""
    result = _hashed(engine, old, new, common, old_types)
    result.note = note + result.note if note else result.note
    return result


# -- keyed -------------------------------------------------------------------------------------

def _projection(side: str, common: list[tuple[str, str]], old_types: dict[str, str], dialect: str,
                marker: str) -> list[exp.Expression]:
    """The compared columns of one side, the old side cast to the new type where retyped."""
    items: list[exp.Expression] = [exp.alias_(exp.Literal.number(1), marker)]
    for name, new_type in common:
        column: exp.Expression = exp.column(name, quoted=True)
        if side == "old" and old_types[name] != new_type:
            column = exp.TryCast(this=column, to=exp.DataType.build(new_type, dialect=dialect))
        items.append(exp.alias_(column, name, quoted=True))
    return items


def _joined(engine: SqlEngine, old: Side, new: Side, key: list[str], common: list[tuple[str, str]],
            old_types: dict[str, str]) -> exp.Select:
    dialect = engine.dialect
    n = exp.select(*_projection("new", common, old_types, dialect, IN_NEW)).from_(new.table())
    o = exp.select(*_projection("old", common, old_types, dialect, IN_OLD)).from_(old.table())
    on = exp.and_(*[exp.NullSafeEQ(this=_col(k, "n"), expression=_col(k, "o")) for k in key])
    return (exp.select().with_("n", as_=n).with_("o", as_=o)
            .from_(exp.to_table("n")).join(exp.to_table("o"), on=on, join_type="full outer"))


def _col(name: str, table: str) -> exp.Column:
    return exp.column(name, table=table, quoted=True)


def _kinds(values: list[str]) -> tuple[exp.Expression, exp.Expression, exp.Expression]:
    """Conditions on a joined row: only in new (added), only in old (removed), in both but different."""
    added = exp.and_(_present(IN_NEW, "n"), _absent(IN_OLD, "o"))
    removed = exp.and_(_present(IN_OLD, "o"), _absent(IN_NEW, "n"))
    differs = exp.or_(*[_differs(v) for v in values]) if values else exp.false()
    changed = exp.and_(_in_both(), exp.paren(differs))
    return added, removed, changed


def _present(marker: str, side: str) -> exp.Expression:
    return exp.Not(this=_absent(marker, side))


def _absent(marker: str, side: str) -> exp.Expression:
    return exp.Is(this=_col(marker, side), expression=exp.Null())


def _differs(column: str) -> exp.Expression:
    return exp.NullSafeNEQ(this=_col(column, "n"), expression=_col(column, "o"))


def _keyed(engine: SqlEngine, old: Side, new: Side, key: list[str], common: list[tuple[str, str]],
           old_types: dict[str, str]) -> RowDiff:
    """One pass of the full outer join for the counts (per column too) and, where the dialect has a
    top-N aggregate, the example rows; otherwise one more pass for those."""
    values = [c for c, _ in common if c not in key]
    added, removed, changed = _kinds(values)
    measures = [exp.CountIf(this=added.copy()), exp.CountIf(this=removed.copy()), exp.CountIf(this=changed.copy())]
    measures += [exp.CountIf(this=exp.and_(_in_both(), _differs(v))) for v in values]
    joined = _joined(engine, old, new, key, common, old_types)
    one_pass = engine.dialect in TOP_N_AGGREGATE
    if one_pass:
        measures += _example_measures(key, values, (added, removed, changed))
    row = engine.fetchall(joined.select(*measures, copy=True).sql(dialect=engine.dialect))[0]
    result = RowDiff("key", key=key, added=int(row[0]), removed=int(row[1]), changed=int(row[2]))
    counts = row[3:3 + len(values)]
    result.columns_changed = sorted(({"column": c, "rows": int(r)} for c, r in zip(values, counts) if r),
                                    key=lambda d: (-d["rows"], d["column"]))
    if result.added or result.removed or result.changed:
        if one_pass:
            result.examples = _examples_from_structs(key, values, row[3 + len(values):])
        else:
            result.examples = _keyed_examples(engine, joined, key, values, (added, removed, changed))
    return result


def _example_measures(key: list[str], values: list[str], kinds: tuple[exp.Expression, ...]) -> list[exp.Expression]:
    """arg_min(row, key, EXAMPLES) FILTER (WHERE kind): the first few rows of each kind, by key."""
    columns = [*key, *values]
    first = [exp.Coalesce(this=_col(k, "n"), expressions=[_col(k, "o")]) for k in key]
    order = exp.Struct(expressions=[exp.PropertyEQ(this=exp.to_identifier(f"k{i}"), expression=value)
                                    for i, value in enumerate(first)])

    def row(*sides: str) -> exp.Struct:
        return exp.Struct(expressions=[exp.PropertyEQ(this=exp.to_identifier(f"{side}{i}"), expression=_col(c, side))
                                       for side in sides for i, c in enumerate(columns)])

    payloads = (row("n"), row("o"), row("n", "o"))
    return [exp.Filter(this=exp.ArgMin(this=payload, expression=order.copy(), count=exp.Literal.number(EXAMPLES)),
                       expression=exp.Where(this=kind.copy())) for payload, kind in zip(payloads, kinds)]


def _examples_from_structs(key: list[str], values: list[str], found: Sequence[Any]) -> dict[str, list]:
    columns = [*key, *values]
    side = lambda record, prefix: [record[f"{prefix}{i}"] for i in range(len(columns))]  # noqa: E731
    added, removed, changed = ([] if x is None else list(x) for x in found)
    return {
        "added": [_record(columns, side(r, "n")) for r in added],
        "removed": [_record(columns, side(r, "o")) for r in removed],
        "changed": [_changed_example(key, values, side(r, "n"), side(r, "o")) for r in changed],
    }


def _changed_example(key: list[str], values: list[str], new: Sequence[Any], old: Sequence[Any]) -> dict:
    return {"key": _record(key, new[:len(key)]),
            "changes": {c: [_jsonable(o), _jsonable(n)] for c, o, n in zip(values, old[len(key):], new[len(key):])
                        if o != n}}


def _in_both() -> exp.Expression:
    return exp.and_(_present(IN_NEW, "n"), _present(IN_OLD, "o"))


def _keyed_examples(engine: SqlEngine, joined: exp.Select, key: list[str], values: list[str],
                    kinds: tuple[exp.Expression, ...]) -> dict[str, list]:
    kind = exp.Case(ifs=[exp.If(this=cond.copy(), true=exp.Literal.string(name))
                         for cond, name in zip(kinds, ("added", "removed", "changed"))])
    columns = [*key, *values]
    # Filter to the differing rows first, then rank them: ranking the whole join sorts every row.
    differing = joined.select(exp.alias_(kind, "__kind"),
                              *[exp.alias_(_col(c, "n"), f"n_{i}") for i, c in enumerate(columns)],
                              *[exp.alias_(_col(c, "o"), f"o_{i}") for i, c in enumerate(columns)], copy=True)
    differing = differing.where(exp.or_(*[k.copy() for k in kinds]))
    order = [exp.Coalesce(this=exp.column(f"n_{i}"), expressions=[exp.column(f"o_{i}")]) for i in range(len(key))]
    rank = exp.Window(this=exp.RowNumber(), partition_by=[exp.column("__kind")], order=exp.Order(expressions=order))
    ranked = exp.select("*", exp.alias_(rank, "__rank")).from_(differing.subquery("d"))
    query = (exp.select("*").from_(ranked.subquery("r"))
             .where(exp.LTE(this=exp.column("__rank"), expression=exp.Literal.number(EXAMPLES)))
             .order_by("__kind", "__rank"))
    examples: dict[str, list] = {"added": [], "removed": [], "changed": []}
    width = len(columns)
    for row in engine.fetchall(query.sql(dialect=engine.dialect)):
        name, new, old = row[0], row[1:1 + width], row[1 + width:1 + 2 * width]
        if name == "added":
            examples["added"].append(_record(columns, new))
        elif name == "removed":
            examples["removed"].append(_record(columns, old))
        else:
            examples["changed"].append(_changed_example(key, values, new, old))
    return examples


# -- row hashes --------------------------------------------------------------------------------

def _row_hash(engine: SqlEngine, common: list[tuple[str, str]], old_types: dict[str, str], side: str) -> exp.Expression:
    columns = _projection(side, common, old_types, engine.dialect, "_")[1:]
    return exp.func(HASH_FUNCTION.get(engine.dialect, "hash"), *[c.this for c in columns], dialect=engine.dialect)


def _hash_counts(engine: SqlEngine, side: Side, common: list[tuple[str, str]], old_types: dict[str, str],
                 which: str) -> exp.Select:
    """How many times each whole-row hash occurs on one side: SELECT hash AS h, count(*) AS c ... GROUP BY."""
    h = _row_hash(engine, common, old_types, which)
    counted = exp.select(exp.alias_(h, "h"), exp.alias_(exp.Count(this=exp.Star()), "c")).from_(side.table())
    return counted.group_by(h.copy())


def _hashed(engine: SqlEngine, old: Side, new: Side, common: list[tuple[str, str]],
            old_types: dict[str, str]) -> RowDiff:
    """Rows as multisets of hashes: a row occurring twice before and once now is one row removed."""
    if not common:
        return RowDiff("row_hash", note="no column in common: rows not compared")
    zero = exp.Literal.number(0)
    n_c = exp.Coalesce(this=_col("c", "n"), expressions=[zero])
    o_c = exp.Coalesce(this=_col("c", "o"), expressions=[zero])
    surplus = lambda a, b: exp.Sum(this=exp.Greatest(this=exp.Sub(this=a, expression=b), expressions=[zero.copy()]))  # noqa: E731
    query = (exp.select(exp.alias_(surplus(n_c, o_c), "added"), exp.alias_(surplus(o_c.copy(), n_c.copy()), "removed"))
             .with_("n", as_=_hash_counts(engine, new, common, old_types, "new"))
             .with_("o", as_=_hash_counts(engine, old, common, old_types, "old"))
             .from_(exp.to_table("n"))
             .join(exp.to_table("o"), on=exp.EQ(this=_col("h", "n"), expression=_col("h", "o")),
                   join_type="full outer"))
    added, removed = (int(x or 0) for x in engine.fetchall(query.sql(dialect=engine.dialect))[0])
    result = RowDiff("row_hash", added=added, removed=removed)
    if added or removed:
        result.examples = {"added": _hash_examples(engine, new, old, common, old_types, "new") if added else [],
                           "removed": _hash_examples(engine, old, new, common, old_types, "old") if removed else [],
                           "changed": []}
    return result


def _hash_examples(engine: SqlEngine, side: Side, other: Side, common: list[tuple[str, str]],
                   old_types: dict[str, str], which: str) -> list[dict]:
    """A few rows of `side` whose whole-row hash occurs more often there than on the other side."""
    other_which = "old" if which == "new" else "new"
    surplus = (exp.select(_col("h", "m")).from_(_hash_counts(engine, side, common, old_types, which).subquery("m"))
               .join(_hash_counts(engine, other, common, old_types, other_which).subquery("t"),
                     on=exp.EQ(this=_col("h", "m"), expression=_col("h", "t")), join_type="left")
               .where(exp.GT(this=_col("c", "m"),
                             expression=exp.Coalesce(this=_col("c", "t"), expressions=[exp.Literal.number(0)]))))
    names = [c for c, _ in common]
    query = (exp.select(*[exp.column(c, quoted=True) for c in names]).distinct().from_(side.table())
             .where(exp.In(this=_row_hash(engine, common, old_types, which), query=surplus.subquery()))
             .order_by(*[exp.column(c, quoted=True) for c in names]).limit(EXAMPLES))
    return [_record(names, row) for row in engine.fetchall(query.sql(dialect=engine.dialect))]


# -- values ------------------------------------------------------------------------------------

def _record(names: Sequence[str], values: Sequence[Any]) -> dict:
    return {n: _jsonable(v) for n, v in zip(names, values)}


def _jsonable(value: Any) -> Any:
    """Example values as JSON: long text cut so a report stays readable."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"
