"""Row-by-row ("map") expectations evaluated in DuckDB with GX's pandas semantics.

GX rules reproduced here (great_expectations/expectations/expectation.py, 1.24.1):
- column map types drop missing values first, so unexpected_percent is over non-missing rows,
  and a column with no non-missing value passes vacuously;
- expect_column_values_to_not_be_null counts over all rows and reports no missing_* details;
- pair and multicolumn types drop rows per `ignore_row_if` and count over the rows left;
- `mostly`: success when (considered - unexpected) / considered >= mostly, in float;
- partial_unexpected_list holds the first 20 unexpected values in table order (DuckDB keeps
  insertion order through WHERE/LIMIT and empty OVER () windows, which is all we use).
"""
from __future__ import annotations

from dataclasses import dataclass

from warehouse.check.sql_table import PARTIAL_COUNT, Table
from warehouse.check.values import sql_literal

PAIR_TYPES = ("expect_column_pair_values_a_to_be_greater_than_b",)
MULTI_TYPES = ("expect_compound_columns_to_be_unique",
               "expect_select_column_values_to_be_unique_within_record")


@dataclass(frozen=True)
class MapPlan:
    """How to find one expectation's unexpected rows.

    scope: the rows GX considers; unexpected: predicate on those rows, or None when the
    unexpected rows are those whose `columns` values occur more than once (uniqueness).
    """

    columns: tuple[str, ...]
    scope: str
    unexpected: str | None
    shape: str = "scalar"  # "scalar" | "pair" | "dict": how GX lists unexpected values
    over_total: bool = False  # not_be_null: percentages over all rows, no missing_* keys


def _in_set(table: Table, column: str, values) -> str:
    """`column IN (...)`, never NULL: pandas isin() is plain true/false."""
    literals = [sql_literal(v) for v in values or [] if v is not None]
    if not literals:
        return "FALSE"
    return f"coalesce({table.col(column)} IN ({', '.join(literals)}), FALSE)"


def _between(table: Table, column: str, kw: dict) -> str:
    col, parts = table.col(column), []
    if kw.get("min_value") is not None:
        parts.append(f"{col} {'>' if kw.get('strict_min') else '>='} "
                     f"{sql_literal(kw['min_value'])}")
    if kw.get("max_value") is not None:
        parts.append(f"{col} {'<' if kw.get('strict_max') else '<='} "
                     f"{sql_literal(kw['max_value'])}")
    return f"coalesce({' AND '.join(parts) or 'TRUE'}, FALSE)"


def _column_plan(table: Table, type_: str, kw: dict) -> MapPlan:
    name = kw["column"]
    col, scope = table.col(name), f"NOT {table.is_missing(name)}"
    if type_ == "expect_column_values_to_not_be_null":
        return MapPlan((name,), "TRUE", table.is_missing(name), over_total=True)
    if type_ == "expect_column_values_to_be_unique":
        return MapPlan((name,), scope, None)
    if type_ == "expect_column_values_to_be_in_set":
        return MapPlan((name,), scope, f"NOT {_in_set(table, name, kw['value_set'])}")
    if type_ == "expect_column_values_to_not_be_in_set":
        return MapPlan((name,), scope, _in_set(table, name, kw["value_set"]))
    if type_ == "expect_column_values_to_be_between":
        return MapPlan((name,), scope, f"NOT {_between(table, name, kw)}")
    regex = sql_literal(kw.get("regex", "(?s).*"))
    return MapPlan((name,), scope,
                   f"NOT coalesce(regexp_matches(CAST({col} AS VARCHAR), {regex}), FALSE)")


def _pair_plan(table: Table, kw: dict) -> MapPlan:
    a, b = kw["column_A"], kw["column_B"]
    missing_a, missing_b = table.is_missing(a), table.is_missing(b)
    scope = {"both_values_are_missing": f"NOT ({missing_a} AND {missing_b})",
             "either_value_is_missing": f"NOT ({missing_a} OR {missing_b})",
             "neither": "TRUE"}[kw.get("ignore_row_if", "both_values_are_missing")]
    op = ">=" if kw.get("or_equal") else ">"
    return MapPlan((a, b), scope,
                   f"NOT coalesce({table.col(a)} {op} {table.col(b)}, FALSE)", shape="pair")


def _distinct_within_record(table: Table, columns: list[str]) -> str:
    """pandas nunique(dropna=False, axis=1) == n: every pair differs, two missing are equal."""
    pairs = [f"{table.col(x)} IS DISTINCT FROM {table.col(y)}"
             for i, x in enumerate(columns) for y in columns[i + 1:]]
    return " AND ".join(pairs)


def _multi_plan(table: Table, type_: str, kw: dict) -> MapPlan:
    columns = list(kw["column_list"])
    missing = [table.is_missing(c) for c in columns]
    scope = {"all_values_are_missing": f"NOT ({' AND '.join(missing)})",
             "any_value_is_missing": f"NOT ({' OR '.join(missing)})",
             "never": "TRUE"}[kw.get("ignore_row_if", "all_values_are_missing")]
    if type_ == "expect_compound_columns_to_be_unique":
        return MapPlan(tuple(columns), scope, None, shape="dict")
    return MapPlan(tuple(columns), scope,
                   f"NOT ({_distinct_within_record(table, columns)})", shape="dict")


def plan_for(table: Table, type_: str, kw: dict) -> MapPlan:
    if type_ in PAIR_TYPES:
        return _pair_plan(table, kw)
    if type_ in MULTI_TYPES:
        return _multi_plan(table, type_, kw)
    return _column_plan(table, type_, kw)


def _counts(table: Table, plan: MapPlan) -> tuple[int, int, int]:
    rel = table.relation
    if plan.unexpected is not None:
        total, considered, unexpected = table.one(
            f"SELECT count(*), count(*) FILTER (WHERE {plan.scope}), "
            f"count(*) FILTER (WHERE ({plan.scope}) AND ({plan.unexpected})) FROM {rel}")
        return total, considered, unexpected
    keys = ", ".join(table.col(c) for c in plan.columns)
    total, considered = table.one(
        f"SELECT count(*), count(*) FILTER (WHERE {plan.scope}) FROM {rel}")
    (unexpected,) = table.one(
        f"SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM {rel} "
        f"WHERE {plan.scope} GROUP BY {keys} HAVING count(*) > 1)")
    return total, considered, int(unexpected)


def _partial_rows(table: Table, plan: MapPlan) -> list[tuple]:
    rel, keys = table.relation, ", ".join(table.col(c) for c in plan.columns)
    if plan.unexpected is not None:
        return table.all(f"SELECT {keys} FROM {rel} WHERE ({plan.scope}) "
                         f"AND ({plan.unexpected}) LIMIT {PARTIAL_COUNT}")
    return table.all(
        f"WITH base AS (SELECT {keys}, row_number() OVER () AS __wh_rn FROM {rel} "
        f"WHERE {plan.scope}) SELECT {keys} FROM (SELECT *, count(*) OVER "
        f"(PARTITION BY {keys}) AS __wh_n FROM base) WHERE __wh_n > 1 "
        f"ORDER BY __wh_rn LIMIT {PARTIAL_COUNT}")


def _shape(plan: MapPlan, rows: list[tuple]) -> list:
    if plan.shape == "scalar":
        return [r[0] for r in rows]
    if plan.shape == "pair":
        return [list(r) for r in rows]
    return [dict(zip(plan.columns, r)) for r in rows]


def _percent(part: int, whole: int) -> float | None:
    return part / whole * 100 if whole else None


def _map_result(plan: MapPlan, total: int, considered: int, unexpected: int,
                partial: list) -> dict:
    """GX's _format_map_output for result_format BASIC."""
    result = {"element_count": total, "unexpected_count": unexpected,
              "partial_unexpected_list": partial}
    if plan.over_total:
        result["unexpected_percent"] = _percent(unexpected, total)
        return result
    has_rows = total > 0
    result["unexpected_percent"] = _percent(unexpected, considered) if has_rows else None
    result.update(missing_count=total - considered,
                  missing_percent=_percent(total - considered, total),
                  unexpected_percent_total=_percent(unexpected, total),
                  unexpected_percent_nonmissing=result["unexpected_percent"])
    return result


def evaluate_map(table: Table, type_: str, kw: dict) -> tuple[bool, dict]:
    """(success, GX-shaped result) for one map expectation."""
    plan = plan_for(table, type_, kw)
    total, considered, unexpected = _counts(table, plan)
    partial = _shape(plan, _partial_rows(table, plan)) if unexpected else []
    base = total if plan.over_total else considered
    if total == 0 or base == 0:
        success = True  # GX: vacuously true
    else:
        success = (float(base) - float(unexpected)) / float(base) >= kw.get("mostly", 1)
    return success, _map_result(plan, total, considered, unexpected, partial)
