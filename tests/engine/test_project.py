"""Project loading: configuration mistakes are errors naming file, line and the nearest valid key."""
from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.core.errors import ProjectError
from warehouse.project.loader import load_project


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


def test_loads_every_kind_of_node(mini: Path) -> None:
    project = load_project(mini)
    kinds = {n.resource_type for n in project.nodes.values()}
    assert kinds == {"seed", "model", "test"}
    assert project.by_name("stg_orders").config["schema"] == "staging"
    assert project.by_name("stg_orders").tags == ["staging"]
    assert project.by_name("int_orders_paid").materialized == "ephemeral"
    assert project.by_name("customers").schema == "raw"


def test_unknown_project_key_names_line_and_nearest_key(mini: Path) -> None:
    _edit(mini / "dbt_project.yml", "vars:", "model-path: [models]\nvars:")
    with pytest.raises(ProjectError) as info:
        load_project(mini)
    text = info.value.render()
    assert "dbt_project.yml:" in text and "unknown key 'model-path'" in text
    assert "did you mean 'model-paths'" in text
    assert info.value.location.line == 3  # after the comment and name: lines


def test_unknown_plus_config_names_nearest(mini: Path) -> None:
    _edit(mini / "dbt_project.yml", "+materialized: view", "+materialised: view")
    with pytest.raises(ProjectError) as info:
        load_project(mini)
    assert "unknown config '+materialised'" in str(info.value)
    assert "+materialized" in str(info.value)
    assert info.value.location.line is not None


def test_unknown_folder_under_models_is_an_error(mini: Path) -> None:
    _edit(mini / "dbt_project.yml", "    marts:", "    mart:")
    with pytest.raises(ProjectError) as info:
        load_project(mini)
    assert "'mart' under models:" in str(info.value) and "did you mean 'marts'" in str(info.value)


def test_unknown_key_in_properties_yaml(mini: Path) -> None:
    _edit(mini / "models/staging/_staging__models.yml", "    description: One row per customer.",
          "    descripton: One row per customer.")
    with pytest.raises(ProjectError) as info:
        load_project(mini)
    assert "_staging__models.yml:4" in str(info.value)
    assert "did you mean 'description'" in str(info.value)


def test_documented_model_without_file(mini: Path) -> None:
    """A YAML entry without its file is a warning, as in dbt (it documents nothing)."""
    _edit(mini / "models/staging/_staging__models.yml", "  - name: stg_orders", "  - name: stg_order")
    warnings = load_project(mini).config.warnings
    assert any("model 'stg_order' is documented here but there is no such model file" in w
               and "_staging__models.yml:" in w and "did you mean 'stg_orders'" in w for w in warnings)


def test_invalid_yaml_reports_line(mini: Path) -> None:
    (mini / "models/marts/_marts__models.yml").write_text("version: 2\nmodels:\n  - name: [unclosed\n")
    with pytest.raises(ProjectError) as info:
        load_project(mini)
    assert "_marts__models.yml:" in str(info.value) and "invalid YAML" in str(info.value)


def test_duplicate_names_across_models_and_seeds(mini: Path) -> None:
    (mini / "models/marts/customers.sql").write_text("select 1 as x")
    with pytest.raises(ProjectError, match="two nodes are named 'customers'"):
        load_project(mini)


def test_unknown_materialization(mini: Path) -> None:
    _edit(mini / "dbt_project.yml", "+materialized: table", "+materialized: tabel")
    with pytest.raises(ProjectError, match="unknown materialization 'tabel'"):
        load_project(mini)
