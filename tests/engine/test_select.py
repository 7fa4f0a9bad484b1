"""Selectors: names, +model, model+, n+ depth, @, tag:, path:, comma intersection, --exclude."""
from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.compile.compiler import Compiler
from warehouse.compile.parse import parse
from warehouse.core.errors import SelectionError
from warehouse.compile.graph import Graph
from warehouse.project.loader import load_project
from warehouse.compile.selector import Selector
from tests.conftest import cli_inprocess


@pytest.fixture
def selector(mini: Path) -> Selector:
    project = load_project(mini)
    parse(project, Compiler(project))
    from warehouse.pipeline.test import parse_tests

    parse_tests(project, Compiler(project))
    return Selector(project, Graph.from_project(project))


def names(selector: Selector, include, exclude=None, tests=False) -> list[str]:
    chosen = selector.select(include, exclude)
    return sorted(selector.project.nodes[u].name for u in chosen
                  if tests or selector.project.nodes[u].resource_type != "test")


def test_plain_name(selector) -> None:
    assert names(selector, ["stg_orders"]) == ["stg_orders"]


def test_ancestors(selector) -> None:
    assert names(selector, ["+fct_customer_totals"]) == [
        "customers", "fct_customer_totals", "int_orders_paid", "orders", "stg_customers", "stg_orders"]


def test_descendants(selector) -> None:
    assert names(selector, ["stg_orders+"]) == ["fct_customer_totals", "fct_orders_log", "int_orders_paid", "stg_orders"]


def test_depth_limited_descendants(selector) -> None:
    assert names(selector, ["stg_orders+1"]) == ["fct_orders_log", "int_orders_paid", "stg_orders"]


def test_at_operator_includes_ancestors_of_descendants(selector) -> None:
    assert "customers" in names(selector, ["@stg_orders"])


def test_tag(selector) -> None:
    assert names(selector, ["tag:staging"]) == ["stg_customers", "stg_orders"]


def test_path(selector) -> None:
    assert names(selector, ["path:models/marts"]) == ["fct_customer_totals", "fct_orders_log"]


def test_intersection_and_union(selector) -> None:
    assert names(selector, ["tag:staging,stg_orders+"]) == ["stg_orders"]
    assert names(selector, ["stg_orders customers"]) == ["customers", "stg_orders"]


def test_exclude(selector) -> None:
    assert names(selector, ["stg_orders+"], ["fct_orders_log"]) == ["fct_customer_totals", "int_orders_paid", "stg_orders"]


def test_glob(selector) -> None:
    assert names(selector, ["fct_*"]) == ["fct_customer_totals", "fct_orders_log"]


def test_tests_follow_their_models(selector) -> None:
    chosen = names(selector, ["stg_customers"], tests=True)
    assert "unique_stg_customers_customer_id" in chosen and "unique_customers_customer_id" not in chosen


def test_nothing_matched_is_an_error_with_hint(selector) -> None:
    with pytest.raises(SelectionError, match="did you mean 'stg_orders'"):
        selector.select(["stg_ordrs"])


def test_selective_build_carries_over_unselected_models(mini: Path, capsys) -> None:
    assert cli_inprocess(mini, "build", capsys=capsys).code == 0
    outcome = cli_inprocess(mini, "build", "--select", "stg_orders+", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert "stg_customers" not in outcome.out.split("selected")[1].split("published")[0].replace(
        "test unique_stg_customers", "")
    import duckdb

    with duckdb.connect(str(mini / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from staging.stg_customers").fetchone() == (3,)


def test_ls_lists_selection(mini: Path, capsys) -> None:
    outcome = cli_inprocess(mini, "ls", "--select", "tag:marts", "--resource-type", "model", capsys=capsys)
    assert outcome.out.split() == ["fct_customer_totals", "fct_orders_log"]


def test_exclude_wins_over_indirect_test_selection(selector) -> None:
    """dbt: `build --exclude resource_type:test` builds the models and runs no test at all."""
    chosen = selector.select(None, ["resource_type:test"])
    kinds = {selector.project.nodes[u].resource_type for u in chosen}
    assert "test" not in kinds and "model" in kinds
    with_tests = selector.select(None, ["stg_orders"])
    assert any(selector.project.nodes[u].resource_type == "test" for u in with_tests)
