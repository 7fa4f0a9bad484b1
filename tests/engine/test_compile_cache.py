"""The compile cache (target/cache/) is reused when nothing changed and never returns a stale result.

Each test compiles once (filling the cache), then marks every cached static analysis with a
warning no real analysis produces. A compile with nothing changed must show the marker (the
cache is used); after a change to a model, a macro, a var, a properties YAML, a seed's schema
or our version, the models that change touches must be analysed afresh (no marker), and the
outcome must equal a compile with the cache deleted.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import cli_inprocess
from warehouse.compile import cache as compile_cache

MARKER = "CACHED-ANALYSIS-MARKER"


def _project(root: Path) -> Path:
    (root / "seeds").mkdir(parents=True)
    (root / "macros").mkdir()
    (root / "models").mkdir()
    (root / "dbt_project.yml").write_text("name: cache_probe\nvars:\n  col: name\n")
    (root / "seeds" / "people.csv").write_text("id,name,age\n1,Ada,36\n2,Alan,41\n")
    (root / "seeds" / "_seeds.yml").write_text(
        "version: 2\nseeds:\n  - name: people\n    columns:\n      - {name: id, data_type: integer}\n"
        "      - {name: name, data_type: varchar}\n      - {name: age, data_type: integer}\n")
    (root / "macros" / "pick.sql").write_text("{% macro pick() %}name{% endmacro %}\n")
    (root / "models" / "m_a.sql").write_text(
        "select id, {{ pick() }} as who, {{ var('col') }} as v from {{ ref('people') }}\n")
    (root / "models" / "m_b.sql").write_text("select id, who from {{ ref('m_a') }}\n")
    (root / "models" / "_models.yml").write_text(
        "version: 2\nmodels:\n  - name: m_a\n    columns: [{name: id}, {name: who}, {name: v}]\n"
        "  - name: m_b\n    columns: [{name: id}, {name: who}]\n")
    return root


def _compile(project: Path, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, dict]:
    outcome = cli_inprocess(project, "compile", *args, capsys=capsys)
    lineage = json.loads((project / "target" / "manifest.json").read_text())["lineage"]
    return outcome.code, outcome.text, lineage


def _poison(project: Path) -> None:
    """Add a warning no analysis produces to every cached analysis."""
    path = project / "target" / "cache" / "static_check.json"
    data = json.loads(path.read_text())
    for entry in data["entries"].values():
        entry["diagnostics"].append({"model": entry["model"], "path": "models/x.sql", "line": None, "column": None,
                                     "kind": "cache_probe", "message": MARKER, "hint": None, "severity": "warn"})
    path.write_text(json.dumps(data))


def _fresh(project: Path, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, dict]:
    """The truth: the same compile with no cache at all."""
    import shutil

    shutil.rmtree(project / "target" / "cache")
    code, _, lineage = _compile(project, capsys, *args)
    return code, lineage


@pytest.fixture
def probe(tmp_path: Path, capsys: pytest.CaptureFixture) -> Path:
    project = _project(tmp_path / "probe")
    code, text, lineage = _compile(project, capsys)
    assert code == 0, text
    assert lineage["m_a"]["who"] == ["people.name"]
    _poison(project)
    return project


def test_nothing_changed_reuses_every_analysis(probe: Path, capsys: pytest.CaptureFixture) -> None:
    code, text, lineage = _compile(probe, capsys)
    assert code == 0
    assert text.count(MARKER) == 2          # both models came from the cache
    assert lineage["m_b"]["who"] == ["m_a.who"]


def test_changed_model_is_analysed_again(probe: Path, capsys: pytest.CaptureFixture) -> None:
    (probe / "models" / "m_b.sql").write_text("select id, who, nope from {{ ref('m_a') }}\n")
    code, text, lineage = _compile(probe, capsys)
    assert code == 2 and "column 'nope'" in text
    assert text.count(MARKER) == 1          # m_a unchanged: still cached; m_b analysed afresh
    assert (code, lineage) == _fresh(probe, capsys)


def test_changed_macro_is_rendered_and_analysed_again(probe: Path, capsys: pytest.CaptureFixture) -> None:
    (probe / "macros" / "pick.sql").write_text("{% macro pick() %}age{% endmacro %}\n")
    code, text, lineage = _compile(probe, capsys)
    # m_a is analysed afresh; m_b reads the same columns of m_a as before, so its analysis holds
    assert code == 0 and text.count(MARKER) == 1
    assert lineage["m_a"]["who"] == ["people.age"]
    assert "age as who" in (probe / "target" / "compiled" / "models" / "m_a.sql").read_text()
    assert (code, lineage) == _fresh(probe, capsys)


@pytest.mark.parametrize("how", ["cli", "project_file"])
def test_changed_var_is_analysed_again(probe: Path, capsys: pytest.CaptureFixture, how: str) -> None:
    if how == "cli":
        args: tuple[str, ...] = ("--vars", '{"col": "age"}')
    else:
        (probe / "dbt_project.yml").write_text("name: cache_probe\nvars:\n  col: age\n")
        args = ()
    code, text, lineage = _compile(probe, capsys, *args)
    assert code == 0
    assert lineage["m_a"]["v"] == ["people.age"]
    assert (code, lineage) == _fresh(probe, capsys, *args)


def test_changed_properties_yaml_is_analysed_again(probe: Path, capsys: pytest.CaptureFixture) -> None:
    yml = probe / "models" / "_models.yml"
    yml.write_text(yml.read_text().replace("[{name: id}, {name: who}]", "[{name: id}, {name: who}, {name: extra}]"))
    code, text, _ = _compile(probe, capsys)
    assert "extra" in text and "undocumented_missing" in text
    assert text.count(MARKER) == 1          # only m_a is still cached


def test_changed_seed_schema_is_analysed_again(probe: Path, capsys: pytest.CaptureFixture) -> None:
    (probe / "seeds" / "people.csv").write_text("id,full_name,age\n1,Ada,36\n")
    yml = probe / "seeds" / "_seeds.yml"
    yml.write_text(yml.read_text().replace("name: name,", "name: full_name,"))
    code, text, lineage = _compile(probe, capsys)
    assert code == 2 and "column 'name'" in text
    assert MARKER not in text
    assert (code, lineage) == _fresh(probe, capsys)


def test_other_version_starts_from_an_empty_cache(probe: Path, capsys: pytest.CaptureFixture,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import warehouse

    compile_cache.code_fingerprint.cache_clear()
    monkeypatch.setattr(warehouse, "__version__", warehouse.__version__ + ".post-cache-test")
    try:
        code, text, _ = _compile(probe, capsys)
    finally:
        compile_cache.code_fingerprint.cache_clear()
    assert code == 0 and MARKER not in text


def test_unwritable_cache_only_costs_speed(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project = _project(tmp_path / "ro")
    (project / "target").mkdir()
    (project / "target" / "cache").write_text("not a folder")      # every cache write fails
    code, text, lineage = _compile(project, capsys)
    assert code == 0, text
    assert lineage["m_a"]["who"] == ["people.name"]
