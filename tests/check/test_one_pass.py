"""Every problem of a suite folder is reported in one pass, before anything runs (issue 11):
syntax (JSON and YAML, with lines), types (with the nearest valid name), kwargs, unknown models
and tables, and the columns of models whose columns are certain (an enforced contract)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from warehouse.core.errors import ErrorList
from warehouse.gates.check_gate import load_all


@dataclass
class _Node:
    name: str
    columns: dict
    config: dict = field(default_factory=dict)


@dataclass
class _Config:
    check_paths: list


class _Project:
    """The two things load_all asks a project: its check paths and its nodes by name."""

    def __init__(self, directory: Path):
        self.config = _Config([directory])
        self.nodes = {"orders": _Node("orders", {"id": 1, "status": 1},
                                      {"contract": {"enforced": True}}),
                      "customers": _Node("customers", {"id": 1})}

    def by_name(self, name, types=("model", "seed")):
        return self.nodes.get(name)


def _suite(name: str, model: str, *expectations: dict) -> str:
    return json.dumps({"name": name, "meta": {"model": model}, "expectations": list(expectations)},
                      indent=2)


MANY_PROBLEMS = {
    "a_type.json": _suite("a", "orders", {"type": "expect_column_values_to_be_uniqe",
                                          "kwargs": {"column": "id"}}),
    "b_syntax.json": '{\n  "name": "b",\n  "meta": {"model": "orders"},,\n}\n',
    "c_syntax.yml": "name: c\nmeta:\n  model: orders\nexpectations: [\n  - type: x\n",
    "d_kwargs.json": _suite("d", "orders",
                            {"type": "expect_column_values_to_be_between",
                             "kwargs": {"column": "id", "maxvalue": 3}},
                            {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "id"}},
                            {"type": "expect_column_values_to_not_be_null",
                             "kwargs": {"column": "id", "mostly": 2}}),
    "e_model.json": _suite("e", "ordrs", {"type": "expect_column_values_to_not_be_null",
                                          "kwargs": {"column": "id"}}),
    "f_column.json": _suite("f", "orders",
                            {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "id"}},
                            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "stauts"}},
                            {"type": "expect_column_values_to_be_uniqe", "kwargs": {"column": "idd"}}),
    "g_other.json": _suite("g", "customers", {"type": "expect_table_row_count_to_equal_other_table",
                                              "kwargs": {"other_table_name": "ordres"}}),
    "h_duplicate.json": '{\n  "name": "h",\n  "meta": {"model": "orders"},\n  "expectations": [],\n'
                        '  "expectations": []\n}\n',
}


@pytest.fixture
def problems(tmp_path) -> list[str]:
    folder = tmp_path / "data_checks"
    folder.mkdir()
    for name, text in MANY_PROBLEMS.items():
        (folder / name).write_text(text)
    with pytest.raises(ErrorList) as caught:
        load_all(_Project(folder))
    return [e.render() for e in caught.value.errors]


def _one(problems: list[str], *parts: str) -> str:
    found = [p for p in problems if all(x in p for x in parts)]
    assert len(found) == 1, (parts, problems)
    return found[0]


def test_every_kind_of_problem_comes_in_one_error_list(problems):
    assert "did you mean 'expect_column_values_to_be_unique'?" in _one(problems, "a_type.json", "#0")
    assert ":3:" in _one(problems, "b_syntax.json", "invalid JSON")
    assert ":5:3:" in _one(problems, "c_syntax.yml", "invalid YAML")
    assert "did you mean 'max_value'?" in _one(problems, "d_kwargs.json", "#0", "unknown kwarg 'maxvalue'")
    _one(problems, "d_kwargs.json", "#1", "missing required kwarg 'value_set'")
    _one(problems, "d_kwargs.json", "#2", "kwarg 'mostly' must be a number from 0 to 1")
    _one(problems, "e_model.json", "bound to unknown model 'ordrs'")
    _one(problems, "g_other.json", "other_table_name 'ordres'")
    assert ":5:" in _one(problems, "h_duplicate.json", "duplicate key 'expectations'")


def test_a_suite_with_a_bad_expectation_still_has_its_columns_checked(problems):
    """f_column.json: #2's type is wrong AND #1 names a column the contracted model lacks;
    both come in the same pass (the valid expectations of a broken suite are still checked)."""
    assert "nearest column: 'status'" in _one(problems, "f_column.json", "#1", "column 'stauts'")
    _one(problems, "f_column.json", "#2", "unknown expectation type")
    assert not any("f_column.json" in p and "#0" in p for p in problems)
    assert len(problems) == 11
