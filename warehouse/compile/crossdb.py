"""dbt's cross-database macros (`dbt.date_trunc`, `dbt.type_string`, ...), written for DuckDB.

Models are written once in DuckDB SQL; an engine with another dialect (Spark) transpiles the
compiled SQL with sqlglot, so these return DuckDB SQL only. Each is a plain function of the
same name and arguments as dbt's macro (dbt-core's `macros/utils/*.sql` documentation), so
`{{ dbt.datediff("a", "b", "day") }}` and the bare `{{ datediff(...) }}` both work. Arguments are
SQL expressions given as strings, as in dbt.
"""
from __future__ import annotations

from typing import Any

_PART_ALIASES = {"dow": "dayofweek", "doy": "dayofyear", "weekday": "dayofweek"}


def _part(datepart: Any) -> str:
    text = str(datepart).strip().strip("'\"").lower()
    return _PART_ALIASES.get(text, text)


def _list(values: Any) -> list[str]:
    return [str(v) for v in (values if isinstance(values, (list, tuple)) else [values])]


# -- dates -------------------------------------------------------------------------------------
def date_trunc(datepart: Any, date: Any) -> str:
    return f"date_trunc('{_part(datepart)}', {date})"


def dateadd(datepart: Any, interval: Any, from_date_or_timestamp: Any) -> str:
    return f"({from_date_or_timestamp} + ((interval '1 {_part(datepart)}') * ({interval})))"


def datediff(first_date: Any, second_date: Any, datepart: Any) -> str:
    return f"date_diff('{_part(datepart)}', ({first_date})::timestamp, ({second_date})::timestamp)"


def last_day(date: Any, datepart: Any) -> str:
    part = _part(datepart)
    return f"cast({dateadd('day', '-1', dateadd(part, '1', date_trunc(part, date)))} as date)"


def current_timestamp() -> str:
    return "now()"


def current_timestamp_backcompat() -> str:
    return "current_timestamp::timestamp"


def current_timestamp_in_utc_backcompat() -> str:
    return "(current_timestamp at time zone 'utc')::timestamp"


def date(year: Any, month: Any, day: Any) -> str:
    return f"make_date({int(year)}, {int(month)}, {int(day)})"


def date_spine_sql_placeholder() -> str:  # pragma: no cover - documented as not provided
    raise NotImplementedError


# -- types ---------------------------------------------------------------------------------------
def type_string() -> str:
    return "varchar"


def type_timestamp() -> str:
    return "timestamp"


def type_float() -> str:
    return "double"


def type_numeric() -> str:
    return "numeric(28,6)"


def type_bigint() -> str:
    return "bigint"


def type_int() -> str:
    return "integer"


def type_boolean() -> str:
    return "boolean"


def safe_cast(field: Any, type: Any) -> str:  # noqa: A002 - dbt's argument name
    return f"try_cast({field} as {type})"


def cast(field: Any, type: Any) -> str:  # noqa: A002
    return f"cast({field} as {type})"


def cast_bool_to_text(field: Any) -> str:
    return f"cast({field} as varchar)"


# -- strings -------------------------------------------------------------------------------------
def concat(fields: Any) -> str:
    return "(" + " || ".join(_list(fields)) + ")"


def hash(field: Any) -> str:  # noqa: A001 - dbt's macro name
    return f"md5(cast({field} as varchar))"


def split_part(string_text: Any, delimiter_text: Any, part_number: Any) -> str:
    return f"split_part({string_text}, {delimiter_text}, {part_number})"


def listagg(measure: Any, delimiter_text: Any = "','", order_by_clause: Any = None, limit_num: Any = None) -> str:
    order = f" {order_by_clause}" if order_by_clause else ""
    if limit_num:
        return (f"array_to_string((list({measure}{order}))[1:{int(limit_num)}], {delimiter_text})")
    return f"string_agg({measure}, {delimiter_text}{order})"


def escape_single_quotes(expression: Any) -> str:
    return str(expression).replace("'", "''")


def string_literal(value: Any) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def position(substring_text: Any, string_text: Any) -> str:
    return f"position({substring_text} in {string_text})"


def replace(field: Any, old_chars: Any, new_chars: Any) -> str:
    return f"replace({field}, {old_chars}, {new_chars})"


def right(string_text: Any, length_expression: Any) -> str:
    return f"right({string_text}, {length_expression})"


def length(expression: Any) -> str:
    return f"length({expression})"


# -- aggregates and sets ---------------------------------------------------------------------------
def any_value(expression: Any) -> str:
    return f"any_value({expression})"


def bool_or(expression: Any) -> str:
    return f"bool_or({expression})"


def except_() -> str:
    return "except"


def intersect() -> str:
    return "intersect"


# -- arrays --------------------------------------------------------------------------------------
def array_construct(inputs: Any = (), data_type: Any = None) -> str:
    items = _list(inputs) if inputs else []
    if not items and data_type:
        return f"cast([] as {data_type}[])"
    return "[" + ", ".join(items) + "]"


def array_append(array: Any, new_element: Any) -> str:
    return f"list_append({array}, {new_element})"


def array_concat(array_1: Any, array_2: Any) -> str:
    return f"list_concat({array_1}, {array_2})"


def array_size(array: Any) -> str:
    return f"len({array})"


# -- relations -----------------------------------------------------------------------------------
def generate_series(upper_bound: Any) -> str:
    return f"select unnest(generate_series(1, {int(upper_bound)})) as generated_number"


MACROS: dict[str, Any] = {
    name: fn for name, fn in dict(globals()).items()
    if callable(fn) and not name.startswith("_") and fn.__module__ == __name__ and name != "date_spine_sql_placeholder"
}
MACROS["except"] = MACROS.pop("except_")
