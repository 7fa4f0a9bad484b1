"""Row-by-row ("map") expectations evaluated in the engine with GX's pandas semantics.

GX rules reproduced here (great_expectations/expectations/expectation.py, 1.24.1):
- column map types drop missing values first, so unexpected_percent is over non-missing rows,
  and a column with no non-missing value passes vacuously;
- expect_column_values_to_(not_)be_null count over all rows and report no missing_* details;
- pair and multicolumn types drop rows per `ignore_row_if` and count over the rows left;
- `mostly`: success when (considered - unexpected) / considered >= mostly, in float;
- partial_unexpected_list holds the first 20 unexpected values in table order (DuckDB keeps
  insertion order through WHERE/LIMIT and empty OVER () windows, which is all we use);
- increasing/decreasing compare each non-missing value with the previous non-missing one
  (pandas diff), the first one always passing.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlglot import exp

from warehouse.check.sql_table import PARTIAL_COUNT, Table
from warehouse.sql import expectation_sql as q

PAIR_TYPES = ("expect_column_pair_values_a_to_be_greater_than_b",
              "expect_column_pair_values_to_be_equal", "expect_column_pair_values_to_be_in_set")
MULTI_TYPES = ("expect_compound_columns_to_be_unique",
               "expect_select_column_values_to_be_unique_within_record",
               "expect_multicolumn_sum_to_equal")
ORDER_TYPES = ("expect_column_values_to_be_increasing", "expect_column_values_to_be_decreasing")
_RN, _PREV = "__wh_rn", "__wh_prev"


@dataclass(frozen=True)
class MapPlan:
    """How to find one expectation's unexpected rows.

    scope: the rows GX considers; unexpected: predicate on those rows, or None when the
    unexpected rows are those whose `columns` values occur more than once (uniqueness);
    source: a derived relation to read instead of the table (increasing/decreasing).
    """

    columns: tuple[str, ...]
    scope: exp.Expression
    unexpected: exp.Expression | None
    shape: str = "scalar"  # "scalar" | "pair" | "dict": how GX lists unexpected values
    over_total: bool = False  # (not_)be_null: percentages over all rows, no missing_* keys
    source: exp.Expression | None = None


def _matches(kw: dict, key: str, match: Callable[[str], exp.Expression]) -> list[exp.Expression]:
    return [match(p) for p in kw[key]]


def _combine(kw: dict, parts: list[exp.Expression]) -> exp.Expression:
    return q.all_of(parts) if kw.get("match_on", "any") == "all" else q.any_of(parts)


def _regexes(name: str, kw: dict) -> list[exp.Expression]:
    return _matches(kw, "regex_list", lambda p: q.regex_match(name, p))


def _likes(name: str, kw: dict) -> list[exp.Expression]:
    return _matches(kw, "like_pattern_list", lambda p: q.like_match(name, p, kw.get("escape")))


def _length_between(name: str, kw: dict) -> exp.Expression:
    return q.between(q.text_length(name), kw.get("min_value"), kw.get("max_value"),
                     kw.get("strict_min"), kw.get("strict_max"))


# The unexpected-row predicate of each column map type, over non-missing rows.
_UNEXPECTED: dict[str, Callable[[Table, str, dict], exp.Expression]] = {
    "expect_column_values_to_be_in_set": lambda t, c, kw: q.not_(q.in_set(q.col(c), kw["value_set"])),
    "expect_column_values_to_not_be_in_set": lambda t, c, kw: q.in_set(q.col(c), kw["value_set"]),
    "expect_column_values_to_be_between": lambda t, c, kw: q.not_(q.between(
        q.col(c), kw.get("min_value"), kw.get("max_value"), kw.get("strict_min"), kw.get("strict_max"))),
    "expect_column_values_to_match_regex": lambda t, c, kw: q.not_(
        q.regex_match(c, kw.get("regex", "(?s).*"))),
    "expect_column_values_to_not_match_regex": lambda t, c, kw: q.regex_match(c, kw["regex"]),
    "expect_column_values_to_match_regex_list": lambda t, c, kw: q.not_(_combine(kw, _regexes(c, kw))),
    "expect_column_values_to_not_match_regex_list": lambda t, c, kw: q.any_of(_regexes(c, kw)),
    "expect_column_values_to_match_like_pattern": lambda t, c, kw: q.not_(
        q.like_match(c, kw["like_pattern"], kw.get("escape"))),
    "expect_column_values_to_not_match_like_pattern": lambda t, c, kw: q.like_match(
        c, kw["like_pattern"], kw.get("escape")),
    "expect_column_values_to_match_like_pattern_list": lambda t, c, kw: q.not_(_combine(kw, _likes(c, kw))),
    "expect_column_values_to_not_match_like_pattern_list": lambda t, c, kw: q.any_of(_likes(c, kw)),
    "expect_column_value_lengths_to_be_between": lambda t, c, kw: q.not_(_length_between(c, kw)),
    "expect_column_value_lengths_to_equal": lambda t, c, kw: q.not_(q.sure(
        exp.EQ(this=q.text_length(c), expression=q.lit(kw["value"])))),
    "expect_column_values_to_match_strftime_format": lambda t, c, kw: q.not_(
        q.parses_as(c, kw["strftime_format"])),
}
COLUMN_TYPES = ("expect_column_values_to_not_be_null", "expect_column_values_to_be_null",
                "expect_column_values_to_be_unique", *_UNEXPECTED)


class NotText(TypeError):
    """A string expectation on a non-text column: GX's pandas path raises too."""


def _column_plan(table: Table, type_: str, kw: dict) -> MapPlan:
    name = kw["column"]
    if type_ == "expect_column_values_to_not_be_null":
        return MapPlan((name,), q.true(), table.is_missing(name), over_total=True)
    if type_ == "expect_column_values_to_be_null":
        return MapPlan((name,), q.true(), table.present(name), over_total=True)
    if type_ == "expect_column_values_to_be_unique":
        return MapPlan((name,), table.present(name), None)
    if type_ == "expect_column_values_to_match_strftime_format" and not table.is_text(name):
        raise NotText(f"expect_column_values_to_match_strftime_format needs a text column; "
                      f"'{name}' is {table.types.get(name)}")
    return MapPlan((name,), table.present(name), _UNEXPECTED[type_](table, name, kw))


def _order_plan(table: Table, type_: str, kw: dict) -> MapPlan:
    """Each value against the previous non-missing one, in table order: the rows are numbered,
    then LAG runs within the non-missing rows (partitioned by the missing flag)."""
    name = kw["column"]
    numbered = q.subquery(q.select(exp.Star(), q.row_number().as_(_RN), source=table.source), "__wh_n")
    prev = q.previous(q.col(name), table.is_missing(name), exp.column(_RN))
    source = q.subquery(q.select(exp.Star(), prev.as_(_PREV), source=numbered), "__wh_o")
    increasing = type_ == "expect_column_values_to_be_increasing"
    strict = bool(kw.get("strictly"))
    op = {(True, False): exp.GTE, (True, True): exp.GT,
          (False, False): exp.LTE, (False, True): exp.LT}[(increasing, strict)]
    in_order = q.any_of([exp.Is(this=exp.column(_PREV), expression=exp.null()),
                         op(this=q.col(name), expression=exp.column(_PREV))])
    return MapPlan((name,), table.present(name), q.not_(q.sure(in_order)), source=source)


def _pair_scope(table: Table, a: str, b: str, rule: str) -> exp.Expression:
    missing_a, missing_b = table.is_missing(a), table.is_missing(b)
    return {"both_values_are_missing": q.not_(q.all_of([missing_a, missing_b])),
            "either_value_is_missing": q.not_(q.any_of([missing_a, missing_b])),
            "neither": q.true()}[rule]


def _pair_member(table: Table, a: str, b: str, pair) -> exp.Expression:
    """(a, b) equals `pair`, a missing value matching only a null member (GX's pandas loop)."""
    parts = []
    for name, value in ((a, pair[0]), (b, pair[1])):
        parts.append(table.is_missing(name) if value is None
                     else q.sure(exp.EQ(this=q.col(name), expression=q.lit(value))))
    return q.all_of(parts)


def _pair_plan(table: Table, type_: str, kw: dict) -> MapPlan:
    a, b = kw["column_A"], kw["column_B"]
    scope = _pair_scope(table, a, b, kw.get("ignore_row_if", "both_values_are_missing"))
    if type_ == "expect_column_pair_values_to_be_equal":
        ok = q.sure(exp.EQ(this=q.col(a), expression=q.col(b)))
    elif type_ == "expect_column_pair_values_to_be_in_set":
        pairs = kw.get("value_pairs_set")
        ok = q.true() if pairs is None else q.any_of(_pair_member(table, a, b, p) for p in pairs)
    else:
        op = exp.GTE if kw.get("or_equal") else exp.GT
        ok = q.sure(op(this=q.col(a), expression=q.col(b)))
    return MapPlan((a, b), scope, q.not_(ok), shape="pair")


def _distinct_within_record(columns: list[str]) -> exp.Expression:
    """pandas nunique(dropna=False, axis=1) == n: every pair differs, two missing are equal."""
    return q.all_of(q.distinct(q.col(x), q.col(y))
                    for i, x in enumerate(columns) for y in columns[i + 1:])


def _sum_equals(table: Table, columns: list[str], total) -> exp.Expression:
    """pandas sum(axis=1, skipna=False) == total: a missing value makes the row unexpected."""
    summed = q.col(columns[0])
    for name in columns[1:]:
        summed = exp.Add(this=summed, expression=q.col(name))
    present = q.not_(q.any_of(table.is_missing(c) for c in columns))
    return q.all_of([present, q.sure(exp.EQ(this=exp.paren(summed), expression=q.lit(total)))])


def _multi_plan(table: Table, type_: str, kw: dict) -> MapPlan:
    columns = list(kw["column_list"])
    missing = [table.is_missing(c) for c in columns]
    scope = {"all_values_are_missing": q.not_(q.all_of(missing)),
             "any_value_is_missing": q.not_(q.any_of(missing)),
             "never": q.true()}[kw.get("ignore_row_if", "all_values_are_missing")]
    if type_ == "expect_compound_columns_to_be_unique":
        return MapPlan(tuple(columns), scope, None, shape="dict")
    if type_ == "expect_multicolumn_sum_to_equal":
        return MapPlan(tuple(columns), scope, q.not_(_sum_equals(table, columns, kw["sum_total"])),
                       shape="dict")
    return MapPlan(tuple(columns), scope, q.not_(_distinct_within_record(columns)), shape="dict")


def plan_for(table: Table, type_: str, kw: dict) -> MapPlan:
    if type_ in PAIR_TYPES:
        return _pair_plan(table, type_, kw)
    if type_ in MULTI_TYPES:
        return _multi_plan(table, type_, kw)
    if type_ in ORDER_TYPES:
        return _order_plan(table, type_, kw)
    return _column_plan(table, type_, kw)


def _counts(table: Table, plan: MapPlan) -> tuple[int, int, int]:
    source = plan.source or table.source
    if plan.unexpected is not None:
        total, considered, unexpected = table.one(q.select(
            q.count_all(), q.count_if(plan.scope),
            q.count_if(q.all_of([plan.scope.copy(), plan.unexpected])), source=source))
        return total, considered, unexpected
    keys = [q.col(c) for c in plan.columns]
    total, considered = table.one(q.select(q.count_all(), q.count_if(plan.scope), source=source))
    groups = q.select(q.count_all().as_("n"), source=source, where=plan.scope.copy(), group_by=keys,
                      having=exp.GT(this=q.count_all(), expression=q.lit(1)))
    (unexpected,) = table.one(q.select(
        exp.Coalesce(this=exp.Sum(this=exp.column("n")), expressions=[q.lit(0)]),
        source=q.subquery(groups, "__wh_g")))
    return total, considered, int(unexpected)


def _partial_rows(table: Table, plan: MapPlan) -> list[tuple]:
    keys = [q.col(c) for c in plan.columns]
    if plan.unexpected is not None:
        ordered = [exp.column(_RN)] if plan.source is not None else []  # windows reorder rows
        return table.all(q.select(*keys, source=plan.source or table.source,
                                  where=q.all_of([plan.scope, plan.unexpected]), order_by=ordered,
                                  limit=PARTIAL_COUNT))
    base = q.select(*keys, q.row_number().as_(_RN), source=table.source, where=plan.scope)
    counted = q.select(exp.Star(), q.count_over([k.copy() for k in keys]).as_("__wh_c"),
                       source=q.subquery(base, "__wh_b"))
    return table.all(q.select(*[k.copy() for k in keys], source=q.subquery(counted, "__wh_d"),
                              where=exp.GT(this=exp.column("__wh_c"), expression=q.lit(1)),
                              order_by=[exp.column(_RN)], limit=PARTIAL_COUNT))


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
