"""Positions in compiled SQL traced back to the raw Jinja SQL."""
from __future__ import annotations

from _project import render
from warehouse.sql.sourcemap import Position, SourceMap

RAW = """\
{{ config(materialized='table') }}
{% set cols = ['a', 'b', 'c'] %}
select
{% for c in cols %}
    {{ c }},
{% endfor %}
    amount,
    amount + amount as doubled
from {{ ref('stg_x') }}
where amount > 0
"""


def offset_of(compiled: str, needle: str, nth: int = 0) -> int:
    index = -1
    for _ in range(nth + 1):
        index = compiled.index(needle, index + 1)
    return index


def test_unchanged_lines_map_exactly_with_the_right_occurrence():
    compiled = render(RAW)
    sourcemap = SourceMap(RAW, compiled)
    assert compiled.count("\n") > RAW.count("\n")  # the loop added lines
    assert sourcemap.locate(offset_of(compiled, "amount", 0), "amount") == Position(7, 5)
    assert sourcemap.locate(offset_of(compiled, "amount", 1), "amount") == Position(8, 5)
    assert sourcemap.locate(offset_of(compiled, "amount", 2), "amount") == Position(8, 14)
    assert sourcemap.locate(offset_of(compiled, "amount", 3), "amount") == Position(10, 7)


def test_rendered_text_is_found_by_token_near_its_line():
    compiled = render(RAW)
    sourcemap = SourceMap(RAW, compiled)
    # "stg_x" only exists inside {{ ref('stg_x') }} in the raw SQL
    assert sourcemap.locate(offset_of(compiled, "stg_x"), "stg_x") == Position(9, 14)


def test_value_set_in_jinja_is_traced_to_where_it_is_written():
    compiled = render(RAW)
    sourcemap = SourceMap(RAW, compiled)
    assert sourcemap.locate(offset_of(compiled, "    b,") + 4, "b") == Position(2, 22)


def test_text_absent_from_the_raw_sql_gets_an_estimated_line_only():
    raw = "select\n    id,\n    {{ extra_columns() }}\nfrom t\n"
    compiled = "select\n    id,\n    zeta,\n    eta\nfrom t\n"
    sourcemap = SourceMap(raw, compiled)
    assert sourcemap.locate(compiled.index("eta,") - 1, "zeta") == Position(3, None)
    assert sourcemap.locate(compiled.index("eta\n"), "eta") == Position(3, None)


def test_no_offset_and_no_token_is_unknown():
    assert SourceMap("select 1", "select 1").locate(None) == Position(None, None)


def test_offset_from_line_and_column():
    sourcemap = SourceMap("", "select\n  a,\n  b")
    assert sourcemap.offset(3, 3) == len("select\n  a,\n  ")
