"""dbt_project.yml and profiles.yml read as dbt reads them (tests/fixtures/dbt/project_basics).

Expectations are dbt's documented behaviour: configs nested under the project name with and
without `+`, per-file entries, `<target schema>_<custom schema>` naming, var precedence
(--vars, then vars scoped to the project, then global vars), profiles.yml found through
--profiles-dir, DBT_PROFILES_DIR or the project folder, `--target`, env_var() in profiles.
"""
from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import cli, cli_inprocess
from tests.dbt.conftest import relations, rows
from warehouse.core.errors import ProjectError
from warehouse.project.loader import load_project


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_build_names_relations_as_dbt_and_applies_nested_configs(basics: Path, capsys) -> None:
    outcome = cli_inprocess(basics, "build", capsys=capsys)
    assert outcome.code == 0, outcome.text
    database = basics / "basics.duckdb"              # the profile's path is the published warehouse
    built = relations(database) - {("main", "_warehouse_runs"), ("main", "_warehouse_manifest"), ("main", "_warehouse_changes")}
    # target schema `analytics`; custom schemas appended as <target>_<custom>; `orders` is fct_orders' alias;
    # exp_big_orders (+enabled: "{{ var('enable_experimental', false) }}") and disabled_in_sql are not built;
    # a model in a folder starting with `_` is.
    assert built == {("analytics_raw", "raw_orders"), ("analytics_raw", "raw_customers"),
                     ("analytics_staging", "stg_orders"), ("analytics_staging", "stg_customers"),
                     ("analytics", "orders"), ("analytics", "shared_constants")}
    # min_amount (global var) = 10 drops order 2; currency scoped to the project (EUR) beats the global USD
    assert rows(database, "select * from analytics.orders order by order_id") == [
        (1, "Ana", Decimal("12.50"), "EUR"), (3, "Bo", Decimal("30.25"), "EUR"), (4, "Chen", Decimal("99.99"), "EUR")]
    # seed per-file configs: delimiter ';' and column_types
    assert rows(database, "select data_type from duckdb_columns() where table_name = 'raw_orders' "
                          "and column_name = 'amount'") == [("DECIMAL(10,2)",)]
    views = rows(database, "select schema_name, view_name from duckdb_views() where not internal")
    assert ("analytics_staging", "stg_orders") in views                  # +materialized: view at project level
    assert ("analytics", "orders") not in views                          # `materialized: table` without '+'
    # the profile's `threads: 2` is the one thing listed: nodes run one at a time (said once, with its line)
    assert "profiles.yml:8: `threads: 2` (nodes run one at a time; DuckDB uses every core within each) " \
           "is not supported, ignored" in outcome.text
    assert "ignored 1 unsupported dbt feature(s): threads: 2" in outcome.text


def test_target_flag_cli_vars_and_jinja_in_config(basics: Path, capsys) -> None:
    outcome = cli_inprocess(basics, "build", "--target", "ci", "--vars", "{enable_experimental: true, currency: CHF}",
                            capsys=capsys)
    assert outcome.code == 0, outcome.text
    database = basics / "basics_ci.duckdb"
    assert not (basics / "basics.duckdb").exists()
    built = relations(database)
    assert {("ci", "orders"), ("ci", "exp_big_orders"), ("ci_staging", "stg_orders"), ("ci_raw", "raw_orders")} <= built
    # --vars beats every vars: of dbt_project.yml
    assert rows(database, "select distinct currency from ci.orders") == [("CHF",)]
    assert rows(database, "select order_id from ci.exp_big_orders") == [(4,)]


def test_env_var_in_profiles_picks_the_published_file(basics: Path) -> None:
    outcome = cli(basics, "build", "--no-checks", env={"BASICS_DB": "elsewhere.duckdb"})
    assert outcome.code == 0, outcome.text
    assert (basics / "elsewhere.duckdb").exists() and not (basics / "basics.duckdb").exists()


def test_profiles_found_by_flag_env_and_project_folder(basics: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    (basics / "profiles.yml").rename(folder / "profiles.yml")
    missing = cli_inprocess(basics, "ls", capsys=capsys)
    assert missing.code == 2
    assert "names profile 'basics' but no profiles.yml was found" in missing.text
    assert cli_inprocess(basics, "ls", "--profiles-dir", str(folder), capsys=capsys).code == 0
    os.environ["DBT_PROFILES_DIR"] = str(folder)
    try:
        found = cli_inprocess(basics, "debug", capsys=capsys)
    finally:
        del os.environ["DBT_PROFILES_DIR"]
    assert found.code == 0, found.text
    assert f"profiles.yml: {folder / 'profiles.yml'}" in found.text and "target: dev (profile basics, type duckdb)" in found.text


def test_unknown_target_and_profile_name_the_nearest(basics: Path) -> None:
    with pytest.raises(ProjectError, match="target 'cii' is not an output of profile 'basics'") as info:
        load_project(basics, target="cii")
    assert "did you mean 'ci'" in info.value.render()
    _edit(basics / "dbt_project.yml", "profile: basics", "profile: basic")
    with pytest.raises(ProjectError, match="profile 'basic' is not in") as info:
        load_project(basics)
    assert "did you mean 'basics'" in info.value.render()


def test_extensions_only_built_in_ones(basics: Path, capsys) -> None:
    _edit(basics / "profiles.yml", "extensions: [parquet, json]", "extensions: [parquet, spatial]")
    outcome = cli_inprocess(basics, "build", "--target", "ci", capsys=capsys)
    assert outcome.code == 2
    assert "extension 'spatial' is not built into this DuckDB and cannot be downloaded" in outcome.text
    assert "parquet" in outcome.text            # the hint lists what is built in


def test_settings_are_applied_and_a_bad_one_is_named(basics: Path, capsys) -> None:
    _edit(basics / "profiles.yml", "preserve_insertion_order: true", "no_such_setting: 1")
    outcome = cli_inprocess(basics, "build", capsys=capsys)
    assert outcome.code == 2 and "setting no_such_setting" in outcome.text


def test_unknown_keys_are_errors_with_the_nearest_key(basics: Path) -> None:
    _edit(basics / "dbt_project.yml", "model-paths:", "model-path:")
    with pytest.raises(ProjectError, match="unknown key 'model-path' in dbt_project.yml") as info:
        load_project(basics)
    assert "did you mean 'model-paths'" in info.value.render() and info.value.location.line == 8


def test_folder_configs_need_the_project_name_level(basics: Path) -> None:
    _edit(basics / "dbt_project.yml", "models:\n  basics:\n", "models:\n  basic:\n")
    with pytest.raises(ProjectError, match="'basic' under models: is neither a '\\+config' key nor a project") as info:
        load_project(basics)
    assert "did you mean 'basics'" in info.value.render()


def test_our_settings_live_under_vars_warehouse(basics: Path) -> None:
    assert load_project(basics).config.keep_published == 2
    _edit(basics / "dbt_project.yml", "keep-published: 2", "keep-publishd: 2")
    with pytest.raises(ProjectError, match="unknown key 'keep-publishd' in vars: warehouse:") as info:
        load_project(basics)
    assert "did you mean 'keep-published'" in info.value.render()


def test_require_dbt_version_is_checked_loosely(basics: Path, capsys) -> None:
    _edit(basics / "dbt_project.yml", 'require-dbt-version: [">=1.5.0", "<2.0.0"]', 'require-dbt-version: ">=2.0.0"')
    outcome = cli_inprocess(basics, "build", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert "require-dbt-version >=2.0.0 excludes dbt 1.10.0" in outcome.text
    _edit(basics / "dbt_project.yml", 'require-dbt-version: ">=2.0.0"', 'require-dbt-version: "about two"')
    with pytest.raises(ProjectError, match="cannot read require-dbt-version 'about two'"):
        load_project(basics)


def test_ref_to_a_disabled_model_is_an_error_as_in_dbt(basics: Path, capsys) -> None:
    (basics / "models/marts/reads_disabled.sql").write_text("select * from {{ ref('disabled_in_sql') }}\n")
    outcome = cli_inprocess(basics, "compile", capsys=capsys)
    assert outcome.code == 2
    assert "depends on model 'disabled_in_sql', which is disabled" in outcome.text


def test_warehouse_yml_is_refused_with_a_pointer(tmp_path: Path) -> None:
    (tmp_path / "warehouse.yml").write_text("name: old\n")
    with pytest.raises(ProjectError, match="warehouse.yml is no longer read: the project file is dbt_project.yml"):
        load_project(tmp_path)


def test_schema_equal_to_the_file_name_is_refused(basics: Path) -> None:
    _edit(basics / "profiles.yml", "path: basics_ci.duckdb", "path: ci.duckdb")
    with pytest.raises(ProjectError, match="schema 'ci' has the name of the database file ci.duckdb"):
        load_project(basics, target="ci")


def test_unknown_target_type_lists_the_engines(basics: Path, capsys) -> None:
    _edit(basics / "profiles.yml", "      type: duckdb\n      path: basics_ci", "      type: oracle\n      path: basics_ci")
    outcome = cli_inprocess(basics, "build", "--target", "ci", capsys=capsys)
    assert outcome.code == 2
    assert "'oracle'" in outcome.text and "engines: duckdb" in outcome.text
