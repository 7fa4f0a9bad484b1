"""Compile: Jinja with ref/source/config/var/this/is_incremental/macros, ephemeral CTEs, cycles."""
from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.compile.compiler import Compiler
from warehouse.compile.ephemeral import with_ctes
from warehouse.compile.parse import parse
from warehouse.core.errors import CompileError, GraphError
from warehouse.compile.graph import Graph
from warehouse.project.loader import load_project


def _compiled(project_dir: Path, name: str, **kwargs) -> str:
    project = load_project(project_dir)
    compiler = Compiler(project, **kwargs)
    parse(project, compiler)
    return compiler.compile_node(project.by_name(name))


def test_ref_renders_schema_qualified_relation_and_records_dependency(mini: Path) -> None:
    project = load_project(mini)
    parse(project, Compiler(project))
    assert project.by_name("stg_orders").depends_on == ["seed.mini.orders"]
    assert "from raw.orders" in _compiled(mini, "stg_orders")


def test_macro_and_var_are_rendered(mini: Path) -> None:
    sql = _compiled(mini, "stg_orders", vars={"min_amount": 7})
    assert "cast(round(amount * 100) as bigint) as amount_cents" in sql
    assert "where amount >= 7" in sql


def test_ephemeral_model_is_inlined_as_cte_merged_with_own_with(mini: Path) -> None:
    sql = _compiled(mini, "fct_customer_totals")
    assert sql.startswith("with __ephemeral_int_orders_paid as (")
    assert "),\npaid as (" in sql   # merged into the model's own WITH, not nested
    assert "staging.stg_orders" in sql


def test_with_ctes_wraps_a_query_without_with() -> None:
    sql = with_ctes("select * from e", [("e", "select 1 as x")])
    assert sql == "with e as (\nselect 1 as x\n)\nselect * from (\nselect * from e\n) as __model"


def test_config_call_in_sql_overrides_folder_default(mini: Path) -> None:
    project = load_project(mini)
    parse(project, Compiler(project))
    node = project.by_name("fct_orders_log")
    assert node.materialized == "incremental" and node.config["unique_key"] == "order_id"


def test_is_incremental_and_this(mini: Path) -> None:
    fresh = _compiled(mini, "fct_orders_log")
    assert "where order_id >=" not in fresh
    existing = _compiled(mini, "fct_orders_log", relation_exists=lambda node: True)
    assert "(select min(order_id) from main.fct_orders_log)" in existing
    refreshed = _compiled(mini, "fct_orders_log", relation_exists=lambda node: True, full_refresh=True)
    assert "where order_id >=" not in refreshed


def test_unknown_ref_names_file_line_and_nearest_model(mini: Path) -> None:
    (mini / "models/marts/bad_ref.sql").write_text("select 1 as a\nfrom {{ ref('stg_order') }}\n")
    with pytest.raises(CompileError) as info:
        _compiled(mini, "stg_orders")
    text = info.value.render()
    assert "models/marts/bad_ref.sql:2" in text
    assert "ref('stg_order') names no model or seed" in text and "did you mean ref('stg_orders')" in text


def test_jinja_syntax_error_names_line(mini: Path) -> None:
    (mini / "models/marts/broken_jinja.sql").write_text("select 1\n{% if %}\n")
    with pytest.raises(CompileError) as info:
        _compiled(mini, "stg_orders")
    assert "models/marts/broken_jinja.sql:2" in info.value.render() and "Jinja syntax error" in info.value.render()


def test_undefined_variable_is_an_error_with_line(mini: Path) -> None:
    (mini / "models/marts/undefined.sql").write_text("select 1 as a,\n  {{ no_such_thing }} as b\n")
    with pytest.raises(CompileError) as info:
        _compiled(mini, "stg_orders")
    assert "undefined.sql:2" in info.value.render() and "no_such_thing" in info.value.render()


def test_missing_var_explains_how_to_set_it(mini: Path) -> None:
    (mini / "models/marts/needs_var.sql").write_text("select {{ var('year') }} as y\n")
    with pytest.raises(CompileError, match="var\\('year'\\) is not defined"):
        _compiled(mini, "stg_orders")


def test_cycle_is_an_error_that_prints_the_cycle(mini: Path) -> None:
    (mini / "models/marts/cycle_a.sql").write_text("select * from {{ ref('cycle_b') }}")
    (mini / "models/marts/cycle_b.sql").write_text("select * from {{ ref('cycle_c') }}")
    (mini / "models/marts/cycle_c.sql").write_text("select * from {{ ref('cycle_a') }}")
    project = load_project(mini)
    parse(project, Compiler(project))
    with pytest.raises(GraphError) as info:
        Graph.from_project(project)
    message = str(info.value)
    assert "dependency cycle:" in message
    cycle = message.split("dependency cycle: ")[1].splitlines()[0].split(" -> ")
    assert cycle[0] == cycle[-1] and sorted(cycle[:-1]) == ["cycle_a", "cycle_b", "cycle_c"]


def test_topological_order_puts_parents_first(mini: Path) -> None:
    project = load_project(mini)
    parse(project, Compiler(project))
    graph = Graph.from_project(project)
    order = [project.nodes[u].name for u in graph.topological()]
    assert order.index("orders") < order.index("stg_orders") < order.index("int_orders_paid") < order.index("fct_customer_totals")


def test_macro_return_gives_a_value_to_other_macros(mini: Path) -> None:
    (mini / "macros" / "statuses.sql").write_text(
        "{% macro paid_statuses() %}{{ return(['paid', 'settled']) }}{% endmacro %}\n"
        "{% macro in_list(column) %}{{ column }} in ('{{ paid_statuses() | join(\"', '\") }}'){% endmacro %}\n")
    (mini / "models" / "marts" / "fct_paid.sql").write_text(
        "select * from {{ ref('stg_orders') }} where {{ in_list('status') }}\n")
    assert "where status in ('paid', 'settled')" in _compiled(mini, "fct_paid")


def test_same_test_twice_on_a_column_gets_distinct_names(mini: Path) -> None:
    yml = mini / "models" / "staging" / "_staging__models.yml"
    yml.write_text(yml.read_text().replace(
        "              config: {severity: warn}\n",
        "              config: {severity: warn}\n          - accepted_values: {values: [paid]}\n"))
    project = load_project(mini)
    names = [n.name for n in project.of_type("test") if n.name.startswith("accepted_values_stg_orders_status")]
    assert len(names) == 2 and len(set(names)) == 2
