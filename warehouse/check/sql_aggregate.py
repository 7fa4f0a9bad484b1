"""Aggregate expectations of one column in the engine, with GX's pandas semantics.

Reproduced from GX 1.24.1: aggregates skip missing values (pandas skipna); the sum of no
values is 0 (pandas), while min/max/mean/median/stdev of no values are missing, which fails
with observed_value None; the unique proportion of a column with no values is 0; distinct
values outside a set are listed sorted, at most 20, with observed_value None; quantiles use
numpy's interpolation rules (default "nearest", ties to even); the most common values are all
the modes, sorted.
"""
from __future__ import annotations

import datetime
import math

from sqlglot import exp

from warehouse.check.sql_table import PARTIAL_COUNT, Table
from warehouse.sql import expectation_sql as q

_AGGREGATE_FN = {"expect_column_min_to_be_between": exp.Min,
                 "expect_column_max_to_be_between": exp.Max,
                 "expect_column_mean_to_be_between": exp.Avg,
                 "expect_column_sum_to_be_between": exp.Sum,
                 "expect_column_median_to_be_between": exp.Median,
                 "expect_column_stdev_to_be_between": exp.StddevSamp}


def _as_date_like(bound, observed):
    """GX parses string bounds when the observed value is a date or timestamp."""
    if isinstance(bound, str) and isinstance(observed, datetime.datetime):
        return datetime.datetime.fromisoformat(bound)
    if isinstance(bound, str) and isinstance(observed, datetime.date):
        return datetime.date.fromisoformat(bound[:10])
    return bound


def between_success(observed, kw: dict) -> bool:
    """GX's _validate_metric_value_between: a missing observed value fails."""
    if observed is None:
        return False
    low, high = _as_date_like(kw.get("min_value"), observed), _as_date_like(
        kw.get("max_value"), observed)
    above = low is None or (observed > low if kw.get("strict_min") else observed >= low)
    below = high is None or (observed < high if kw.get("strict_max") else observed <= high)
    return bool(above and below)


def _aggregate(table: Table, type_: str, kw: dict) -> tuple[bool, dict]:
    name = kw["column"]
    fn = _AGGREGATE_FN[type_]
    target = table.value(name) if fn in (exp.Median, exp.StddevSamp) else q.col(name)
    (value,) = table.one(q.select(fn(this=target), source=table.source,
                                  where=table.present(name)))
    if value is None and fn is exp.Sum:
        value = 0
    return between_success(value, kw), {"observed_value": value}


def _unique(table: Table, type_: str, kw: dict) -> tuple[bool, dict]:
    name = kw["column"]
    present = table.present(name)
    total, nonmissing, distinct = table.one(q.select(
        q.count_all(), q.count_if(present),
        exp.Filter(this=exp.Count(this=exp.Distinct(expressions=[q.col(name)])),
                   expression=exp.Where(this=present.copy())), source=table.source))
    if type_ == "expect_column_unique_value_count_to_be_between":
        return between_success(distinct, kw), {"observed_value": distinct}
    value = distinct / nonmissing if total and nonmissing else 0
    return between_success(value, kw), {"observed_value": value}


def _distinct_outside(table: Table, name: str, values) -> tuple[int, list]:
    """How many distinct present values lie outside `values`, and the first 20, sorted."""
    outside = q.not_(q.in_set(q.col(name), values))
    distinct = q.subquery(q.select(q.col(name).as_("v"), source=table.source,
                                   where=q.all_of([table.present(name), outside])).distinct(), "__wh_d")
    (count,) = table.one(q.select(q.count_all(), source=distinct))
    rows = table.all(q.select(exp.column("v"), source=distinct.copy(), order_by=[exp.column("v")],
                              limit=PARTIAL_COUNT)) if count else []
    return count, [r[0] for r in rows]


def _missing_from_column(table: Table, name: str, values) -> list:
    """The members of `values` no present row equals (each compared in the column's type)."""
    wanted = [v for v in dict.fromkeys(values or []) if v is not None]
    if not wanted:
        return []
    present = table.present(name)
    found = table.one(q.select(*[q.count_if(q.all_of([present, q.sure(exp.EQ(
        this=q.col(name), expression=q.lit(v)))])) for v in wanted], source=table.source))
    return [v for v, n in zip(wanted, found) if not n]


def _distinct_sets(table: Table, type_: str, kw: dict) -> tuple[bool, dict]:
    name, values = kw["column"], kw["value_set"]
    if type_ == "expect_column_distinct_values_to_be_in_set":
        count, listed = _distinct_outside(table, name, values)
        return count == 0, {"observed_value": None, "unexpected_count": count,
                            "partial_unexpected_list": listed}
    missing = _missing_from_column(table, name, values)
    result = {"observed_value": None, "missing_count": len(missing),
              "partial_missing_list": missing[:PARTIAL_COUNT]}
    if type_ == "expect_column_distinct_values_to_contain_set":
        return not missing, result
    count, listed = _distinct_outside(table, name, values)
    result.update(unexpected_count=count, partial_unexpected_list=listed)
    return not missing and count == 0, result


def _most_common(table: Table, kw: dict) -> tuple[bool, dict]:
    name = kw["column"]
    counts = q.subquery(q.select(q.col(name).as_("v"), q.count_all().as_("n"), source=table.source,
                                 where=table.present(name), group_by=[q.col(name)]), "__wh_c")
    top = q.subquery(q.select(exp.Max(this=exp.column("n")).as_("m"), source=counts.copy()), "__wh_t")
    query = q.select(exp.column("v"), source=counts, order_by=[exp.column("v")]).join(
        top, on=exp.EQ(this=exp.column("n"), expression=exp.column("m")))
    modes = [r[0] for r in table.all(query)]
    hits = len(set(kw.get("value_set") or []) & set(modes))
    success = hits > 0 if kw.get("ties_okay") else (len(modes) == 1 and hits == 1)
    return success, {"observed_value": modes}


def _lerp(a, b, t: float):
    """numpy's _lerp, so that linear quantiles round as pandas' do."""
    diff = b - a
    return b - diff * (1 - t) if t >= 0.5 else a + diff * t


def _quantile(at, h: float, method: str):
    low, high = math.floor(h), math.ceil(h)
    if method == "nearest":
        return at[round(h)]
    if method == "lower":
        return at[low]
    if method == "higher":
        return at[high]
    if method == "midpoint":
        return _lerp(at[low], at[high], 0.5) if h > low else at[low]
    return _lerp(at[low], at[high], h - low)


def _quantile_values(table: Table, kw: dict) -> list:
    """pandas Series.quantile(quantiles, interpolation=allow_relative_error or "nearest"): the
    values at the needed sorted positions are read from the engine, then interpolated here."""
    name, ranges = kw["column"], kw["quantile_ranges"]
    method = kw.get("allow_relative_error") or "nearest"
    (n,) = table.one(q.select(q.count_all(), source=table.source, where=table.present(name)))
    if not n:
        return [None for _ in ranges["quantiles"]]
    spots = [p * (n - 1) for p in ranges["quantiles"]]
    needed = sorted({i for h in spots for i in (math.floor(h), math.ceil(h), round(h))})
    ranked = q.subquery(q.select(table.value(name).as_("v"), exp.Sub(
        this=q.row_number([q.col(name)]), expression=q.lit(1)).as_("i"),
        source=table.source, where=table.present(name)), "__wh_r")
    at = dict(table.all(q.select(exp.column("i"), exp.column("v"), source=ranked,
                                 where=exp.column("i").isin(*[q.lit(i) for i in needed]))))
    return [_quantile(at, h, method) for h in spots]


def _in_range(value, low, high) -> bool:
    """GX's _quantile_is_in_range: None bounds are infinite, closeness within 1e-4 counts."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    low = -math.inf if low is None else low
    high = math.inf if high is None else high
    near = any(math.isclose(value, b, rel_tol=1e-4) for b in (low, high) if math.isfinite(b))
    return near or low <= value <= high


def _quantiles(table: Table, kw: dict) -> tuple[bool, dict]:
    values = _quantile_values(table, kw)
    ranges = kw["quantile_ranges"]
    details = [_in_range(v, lo, hi) for v, (lo, hi) in zip(values, ranges["value_ranges"])]
    return all(details), {"observed_value": {"quantiles": ranges["quantiles"], "values": values},
                          "details": {"success_details": details}}


COLUMN_AGGREGATE_TYPES = (*_AGGREGATE_FN, "expect_column_proportion_of_unique_values_to_be_between",
                          "expect_column_unique_value_count_to_be_between",
                          "expect_column_distinct_values_to_be_in_set",
                          "expect_column_distinct_values_to_contain_set",
                          "expect_column_distinct_values_to_equal_set",
                          "expect_column_most_common_value_to_be_in_set",
                          "expect_column_quantile_values_to_be_between")


def evaluate_column_aggregate(table: Table, type_: str, kw: dict) -> tuple[bool, dict]:
    """(success, GX-shaped result) for one aggregate expectation of a column."""
    if type_ in _AGGREGATE_FN:
        return _aggregate(table, type_, kw)
    if type_ in ("expect_column_proportion_of_unique_values_to_be_between",
                 "expect_column_unique_value_count_to_be_between"):
        return _unique(table, type_, kw)
    if type_ == "expect_column_most_common_value_to_be_in_set":
        return _most_common(table, kw)
    if type_ == "expect_column_quantile_values_to_be_between":
        return _quantiles(table, kw)
    return _distinct_sets(table, type_, kw)
