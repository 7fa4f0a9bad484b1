"""Column lineage: per-model parents, trees down to relation columns, text and JSON output."""
from __future__ import annotations

import json

import pytest

from _project import MODELS, RELATIONS, STG_ACTIONS, model
from warehouse.core.errors import StaticCheckError
from warehouse.sql.lineage import LineageNode, lineage_tree, render_tree, tree_to_json
from warehouse.sql.static_check import Analysis, analyze


@pytest.fixture(scope="module")
def analysis():
    return analyze(MODELS, RELATIONS)


def test_direct_parents_through_ctes_joins_case_and_renames(analysis):
    assert analysis.lineage["stg_eb152__actions"]["category"] == ["eb152_actions.category_en"]
    costed = analysis.lineage["int_actions_costed"]
    assert costed["action_id"] == ["stg_eb152__actions.action_id"]  # through the `actions` CTE
    assert costed["status"] == ["stg_eb152__actions.status_raw"]  # CASE
    assert costed["cost_usd"] == ["stg_eb152__budget_lines.cost_high_usd", "stg_eb152__budget_lines.cost_low_usd"]
    facts = analysis.lineage["fct_category_costs"]
    assert facts["n_actions"] == []  # count(*) reads no column
    assert facts["total_cost_usd"] == ["int_actions_costed.cost_usd"]  # aggregate
    assert facts["cost_rank"] == ["int_actions_costed.cost_usd"]  # window over an aggregate


def test_tree_reaches_relation_columns(analysis):
    tree = lineage_tree(analysis, "fct_category_costs.total_cost_usd")
    assert (tree.node, tree.column, tree.kind) == ("fct_category_costs", "total_cost_usd", "model")
    leaves = [n for n in _walk(tree) if not n.upstream]
    assert {(n.name, n.kind) for n in leaves} == {
        ("eb152_budget_lines.cost_high_usd", "relation"),
        ("eb152_budget_lines.cost_low_usd", "relation"),
    }


def test_render_tree(analysis):
    text = render_tree(lineage_tree(analysis, "fct_category_costs.total_cost_usd"))
    assert text == """\
fct_category_costs.total_cost_usd
└── int_actions_costed.cost_usd
    ├── stg_eb152__budget_lines.cost_high_usd
    │   └── eb152_budget_lines.cost_high_usd (relation)
    └── stg_eb152__budget_lines.cost_low_usd
        └── eb152_budget_lines.cost_low_usd (relation)"""


def test_tree_to_json_shape(analysis):
    data = tree_to_json(lineage_tree(analysis, "fct_category_costs.n_done"))
    json.dumps(data)  # serialisable as is
    assert data == {
        "name": "fct_category_costs.n_done",
        "node": "fct_category_costs",
        "column": "n_done",
        "kind": "model",
        "upstream": [
            {
                "name": "int_actions_costed.status",
                "node": "int_actions_costed",
                "column": "status",
                "kind": "model",
                "upstream": [
                    {
                        "name": "stg_eb152__actions.status_raw",
                        "node": "stg_eb152__actions",
                        "column": "status_raw",
                        "kind": "model",
                        "upstream": [
                            {
                                "name": "eb152_actions.status_raw",
                                "node": "eb152_actions",
                                "column": "status_raw",
                                "kind": "relation",
                                "upstream": [],
                            }
                        ],
                    }
                ],
            }
        ],
    }


def test_target_is_matched_ignoring_case(analysis):
    assert lineage_tree(analysis, "fct_category_costs.TOTAL_COST_USD").column == "total_cost_usd"
    assert lineage_tree(analysis, "eb152_actions.annex").kind == "relation"


@pytest.mark.parametrize(
    "target, message, hint",
    [
        ("fct_category_cost.total_cost_usd", "unknown model 'fct_category_cost'", "did you mean 'fct_category_costs'?"),
        ("fct_category_costs.total_cost", "has no column 'total_cost'", "did you mean 'total_cost_usd'?"),
        ("fct_category_costs", "expected model.column", None),
    ],
)
def test_unknown_target_is_a_clear_error(analysis, target, message, hint):
    with pytest.raises(StaticCheckError) as raised:
        lineage_tree(analysis, target)
    assert message in raised.value.message
    assert raised.value.hint == hint


def test_union_derived_table_and_scalar_subquery():
    raw = """\
select u.action_id, u.amount,
    (select max(cost_high_usd) from {{ source('raw', 'eb152_budget_lines') }}) as ceiling
from (
    select action_id, annex as amount from {{ ref('stg_eb152__actions') }}
    union all
    select action_id, cost_low_usd from {{ source('raw', 'eb152_budget_lines') }}
) as u
"""
    analysis = analyze([STG_ACTIONS, model("int_union", raw)], RELATIONS)
    assert analysis.diagnostics == []
    parents = analysis.lineage["int_union"]
    assert parents["amount"] == ["eb152_budget_lines.cost_low_usd", "stg_eb152__actions.annex"]
    assert parents["ceiling"] == ["eb152_budget_lines.cost_high_usd"]


def test_lineage_survives_unknown_upstream_columns():
    """A model over a broken one still records which columns it reads from it."""
    broken = model("int_broken", "select from where")
    reader = model("fct_reader", "select b.x as y from {{ ref('int_broken') }} as b")
    analysis = analyze([broken, reader], RELATIONS)
    assert analysis.lineage["fct_reader"] == {"y": ["int_broken.x"]}
    tree = lineage_tree(analysis, "fct_reader.y")
    assert [(n.name, n.kind) for n in tree.upstream] == [("int_broken.x", "model")]
    with pytest.raises(StaticCheckError) as raised:
        lineage_tree(analysis, "int_broken.x")
    assert "failed static analysis" in raised.value.hint


def _walk(node: LineageNode):
    yield node
    for child in node.upstream:
        yield from _walk(child)


def _chain(depth: int, diamonds: bool = False) -> Analysis:
    """m0000.x <- m0001.x <- ...: each model's x read from the one below (twice, through a
    and b, when `diamonds`: 2**depth paths, depth distinct columns)."""
    found = Analysis(relations={"raw": ["x"]})
    for i in range(depth):
        below = f"m{i - 1:04d}" if i else "raw"
        found.columns[f"m{i:04d}"] = ["x", "a", "b"] if diamonds else ["x"]
        if diamonds:
            found.lineage[f"m{i:04d}"] = {"a": [f"{below}.x"], "b": [f"{below}.x"], "x": [f"m{i:04d}.a", f"m{i:04d}.b"]}
        else:
            found.lineage[f"m{i:04d}"] = {"x": [f"{below}.x"]}
    return found


def test_lineage_of_a_chain_of_1500_models_is_no_recursion_error():
    tree = lineage_tree(_chain(1500), "m1499.x")
    text = render_tree(tree)
    assert text.count("\n") == 1500 and text.rstrip().endswith("raw.x (relation)")
    with pytest.raises(StaticCheckError, match="more than 400 models deep"):
        tree_to_json(tree)
    assert json.dumps(tree_to_json(lineage_tree(_chain(300), "m0299.x")))


def test_lineage_of_a_graph_of_diamonds_stays_linear():
    """60 levels of diamonds are 2**60 paths: each column is shown once, then `(see above)`."""
    text = render_tree(lineage_tree(_chain(60, diamonds=True), "m0059.x"))
    assert text.count("(see above)") == 59 and len(text.splitlines()) == 1 + 60 * 4
    data = json.dumps(tree_to_json(lineage_tree(_chain(60, diamonds=True), "m0059.x")))
    assert data.count('"repeated": true') == 59
