"""Value rules for the kwargs of the SQL path's types, checked without importing GX.

GX's pydantic models would reject these values too, but only after a 2.5 s import and, for
some (min_value > max_value), only while the suite runs. Each rule returns readable problems.
"""
from __future__ import annotations

import datetime
import re
from numbers import Real

COLUMN_KWARGS = ("column", "column_A", "column_B")
IGNORE_ROW_IF = {
    "pair": ("both_values_are_missing", "either_value_is_missing", "neither"),
    "multi": ("all_values_are_missing", "any_value_is_missing", "never"),
}
_MULTI = ("expect_compound_columns_to_be_unique",
          "expect_select_column_values_to_be_unique_within_record")
_LIST_KWARGS = ("value_set", "column_set", "column_list", "value_pairs_set")
_BOOL_KWARGS = ("strict_min", "strict_max", "exact_match", "or_equal", "catch_exceptions",
                "strictly", "ties_okay")
_TEXT_KWARGS = ("like_pattern", "strftime_format", "other_table_name")
_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _is_number(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _names(kwargs: dict) -> list[str]:
    problems = []
    for key in COLUMN_KWARGS:
        if key in kwargs and (not isinstance(kwargs[key], str) or not kwargs[key]):
            problems.append(f"kwarg '{key}' must be a non-empty string, got {kwargs[key]!r}")
    return problems


def _lists(type_: str, kwargs: dict) -> list[str]:
    problems = []
    for key in _LIST_KWARGS:
        if key in kwargs and kwargs[key] is not None and not isinstance(kwargs[key], list):
            problems.append(f"kwarg '{key}' must be a list, got {type(kwargs[key]).__name__}")
    columns = kwargs.get("column_list")
    if type_ in _MULTI and isinstance(columns, list):
        if len(columns) < 2 or not all(isinstance(c, str) and c for c in columns):
            problems.append("kwarg 'column_list' must name at least two columns")
    if type_ == "expect_column_distinct_values_to_be_in_set" and kwargs.get("value_set") == []:
        problems.append("kwarg 'value_set' must not be empty")
    return problems


def _mostly(kwargs: dict) -> list[str]:
    mostly = kwargs.get("mostly", 1)
    if not _is_number(mostly) or not 0 <= mostly <= 1:
        return [f"kwarg 'mostly' must be a number from 0 to 1, got {mostly!r}"]
    return []


def _is_iso_datetime(value) -> bool:
    try:
        datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _bound_problem(type_: str, key: str, value) -> str | None:
    """GX types bounds as float | date | datetime (row counts: int; proportions: float)."""
    if value is None:
        return None
    if type_.startswith("expect_table_row_count"):
        ok, kind = isinstance(value, int) and not isinstance(value, bool), "an integer"
    elif type_ == "expect_column_proportion_of_unique_values_to_be_between":
        ok, kind = _is_number(value), "a number"
    else:
        ok = _is_number(value) or (isinstance(value, str) and _is_iso_datetime(value))
        kind = "a number or an ISO date/time string"
    return None if ok else f"kwarg '{key}' must be {kind}, got {value!r}"


def _bounds(type_: str, kwargs: dict) -> list[str]:
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    if type_ in ("expect_column_values_to_be_between", "expect_column_value_lengths_to_be_between") \
            and low is None and high is None:
        return ["kwargs 'min_value' and 'max_value' cannot both be missing"]
    problems = [p for p in (_bound_problem(type_, "min_value", low),
                            _bound_problem(type_, "max_value", high)) if p]
    if not problems and _is_number(low) and _is_number(high) and low > high:
        problems.append(f"kwarg 'min_value' ({low}) is greater than 'max_value' ({high})")
    return problems


def _flags(type_: str, kwargs: dict) -> list[str]:
    problems = [f"kwarg '{key}' must be true or false, got {kwargs[key]!r}"
                for key in _BOOL_KWARGS
                if key in kwargs and kwargs[key] is not None and not isinstance(kwargs[key], bool)]
    if "ignore_row_if" in kwargs:
        allowed = IGNORE_ROW_IF["multi" if type_ in _MULTI else "pair"]
        if kwargs["ignore_row_if"] not in allowed:
            problems.append(f"kwarg 'ignore_row_if' must be one of {', '.join(allowed)}")
    if "regex" in kwargs:
        problems += _regex_problems(kwargs["regex"])
    if "match_on" in kwargs and kwargs["match_on"] not in ("any", "all"):
        problems.append(f"kwarg 'match_on' must be 'any' or 'all', got {kwargs['match_on']!r}")
    if "value" in kwargs and not (isinstance(kwargs["value"], int)
                                  and not isinstance(kwargs["value"], bool)):
        problems.append(f"kwarg 'value' must be an integer, got {kwargs['value']!r}")
    return problems


def _regex_problems(regex) -> list[str]:
    """GX matches with Python's `re`, so that is the syntax a suite must use."""
    if not isinstance(regex, str):
        return ["kwarg 'regex' must be a string"]
    try:
        re.compile(regex)
    except re.error as exc:
        return [f"kwarg 'regex' is not a valid regular expression: {exc}"]
    return []


def _pattern_lists(kwargs: dict) -> list[str]:
    problems = []
    for key in ("regex_list", "like_pattern_list"):
        if key not in kwargs:
            continue
        value = kwargs[key]
        if not isinstance(value, list) or not value or not all(isinstance(p, str) for p in value):
            problems.append(f"kwarg '{key}' must be a non-empty list of strings")
        elif key == "regex_list":
            problems += [p for r in value for p in _regex_problems(r)]
    return problems


def _texts(kwargs: dict) -> list[str]:
    problems = [f"kwarg '{key}' must be a non-empty string, got {kwargs[key]!r}"
                for key in _TEXT_KWARGS if key in kwargs and (not isinstance(kwargs[key], str)
                                                             or not kwargs[key])]
    escape = kwargs.get("escape")
    if escape is not None and not (isinstance(escape, str) and len(escape) == 1):
        problems.append(f"kwarg 'escape' must be one character, got {escape!r}")
    if "sum_total" in kwargs and not _is_number(kwargs["sum_total"]):
        problems.append(f"kwarg 'sum_total' must be a number, got {kwargs['sum_total']!r}")
    pairs = kwargs.get("value_pairs_set")
    if isinstance(pairs, list) and not all(isinstance(p, list) and len(p) == 2 for p in pairs):
        problems.append("kwarg 'value_pairs_set' must be a list of [value_A, value_B] pairs")
    return problems


def _quantile_ranges(kwargs: dict) -> list[str]:
    """quantile_ranges = {"quantiles": [q...], "value_ranges": [[low, high]...]}, one range per q."""
    if "quantile_ranges" not in kwargs:
        return []
    ranges, problems = kwargs["quantile_ranges"], []
    quantiles = ranges.get("quantiles") if isinstance(ranges, dict) else None
    bounds = ranges.get("value_ranges") if isinstance(ranges, dict) else None
    if not isinstance(quantiles, list) or not all(_is_number(x) and 0 <= x <= 1 for x in quantiles):
        problems.append("kwarg 'quantile_ranges' needs 'quantiles': a list of numbers from 0 to 1")
    if not isinstance(bounds, list) or not all(
            isinstance(b, list) and len(b) == 2 and all(v is None or _is_number(v) for v in b)
            for b in bounds):
        problems.append("kwarg 'quantile_ranges' needs 'value_ranges': a list of [low, high] "
                        "pairs of numbers or null")
    elif isinstance(quantiles, list) and len(quantiles) != len(bounds):
        problems.append(f"kwarg 'quantile_ranges' has {len(quantiles)} quantiles but "
                        f"{len(bounds)} value_ranges")
    method = kwargs.get("allow_relative_error")
    if method not in (None, False) and method not in _INTERPOLATIONS:
        problems.append(f"kwarg 'allow_relative_error' must be one of {', '.join(_INTERPOLATIONS)} "
                        f"(pandas' interpolation), got {method!r}")
    return problems


def static_value_problems(type_: str, kwargs: dict) -> list[str]:
    """Every problem with the kwarg values of one SQL-path expectation."""
    return (_names(kwargs) + _lists(type_, kwargs) + _mostly(kwargs)
            + _bounds(type_, kwargs) + _flags(type_, kwargs) + _pattern_lists(kwargs)
            + _texts(kwargs) + _quantile_ranges(kwargs))
