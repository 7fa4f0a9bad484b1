"""dbt features on small dbt projects of our own (tests/fixtures/dbt/), each built by our CLI.

Where dbt documents a behaviour, the assertion is dbt's: schema naming and its overrides,
hooks order (packages' on-run hooks before the root's; a node's hooks from dbt_project.yml,
then its YAML, then its config()), dispatch search order, var precedence for package nodes.
"""
from __future__ import annotations

import datetime
import shutil
from pathlib import Path

from tests.conftest import FIXTURES, cli_inprocess
from tests.dbt.conftest import dbt_project, relations, rows

RUNS = {("main", "_warehouse_runs"), ("main", "_warehouse_manifest"), ("main", "_warehouse_changes")}


def _build(project: Path, capsys, *args: str):
    outcome = cli_inprocess(project, "build", *args, capsys=capsys)
    assert outcome.code == 0, outcome.text
    return outcome


def test_schema_naming_overrides_per_target(tmp_path: Path, capsys) -> None:
    project = dbt_project("schema_naming", tmp_path)
    _build(project, capsys)
    dev = project / "naming.duckdb"
    # the project's generate_schema_name prefixes custom schemas outside prod; generate_alias_name
    # prefixes seeds; an explicit alias wins
    assert relations(dev) - RUNS == {("dev_alice_raw", "seed_numbers"), ("dev_alice_staging", "stg_numbers"),
                                     ("dev_alice", "facts")}
    assert rows(dev, "select * from dev_alice.facts order by id") == [
        (1, "ONE", "dev_alice", "facts"), (2, "TWO", "dev_alice", "facts")]        # `this` is the named relation
    _build(project, capsys, "--target", "prod")
    prod = project / "naming_prod.duckdb"
    assert relations(prod) - RUNS == {("raw", "seed_numbers"), ("staging", "stg_numbers"), ("analytics", "facts")}


def test_hooks_run_in_dbts_documented_order(tmp_path: Path, capsys) -> None:
    project = dbt_project("hooks", tmp_path)
    _build(project, capsys)
    log = rows(project / "hooks.duckdb", "select what from main.hook_log order by step")
    assert [r[0] for r in log] == [
        "on-run-start", "seed post digits",
        "project pre hooked", "model pre hooked",                      # dbt_project.yml's, then config()'s
        "project post hooked", "yaml post hooked", "model post 2 rows",  # then YAML's, then config()'s
        "on-run-end 4 results, schemas main",
    ]
    # sql_header runs in the same session just before the model's statement
    assert rows(project / "hooks.duckdb", "select distinct header from main.hooked") == [("from sql_header",)]


def test_failing_hook_blocks_publishing(tmp_path: Path, capsys) -> None:
    project = dbt_project("hooks", tmp_path)
    (project / "dbt_project.yml").write_text((project / "dbt_project.yml").read_text().replace(
        '  - "create table if not exists', '  - "select * from no_such_table"\n  - "create table if not exists', 1))
    outcome = cli_inprocess(project, "build", capsys=capsys)
    assert outcome.code != 0
    assert "hooks-on-run-start-0" in outcome.text and "no_such_table" in outcome.text
    assert not (project / "hooks.duckdb").exists()


def _packages(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "dbt" / "packages", tmp_path / "packages")
    return tmp_path / "packages" / "project"


def test_local_package_installed_by_deps_and_used(tmp_path: Path, capsys) -> None:
    project = _packages(tmp_path)
    deps = cli_inprocess(project, "deps", capsys=capsys)
    assert deps.code == 0 and "installed shared_utils into dbt_packages/shared_utils" in deps.text
    assert (project / "dbt_packages/shared_utils/macros/money.sql").exists()
    outcome = _build(project, capsys)
    database = project / "pkgdemo.duckdb"
    # namespaced macros, dispatch with the project's search order (shared_utils first: its duckdb__ wins),
    # a package seed by one-argument ref, a package model by two-argument ref
    assert rows(database, "select * from main.orders_in_cents order by order_id") == [
        (1, 1250, "€", "shared_utils duckdb order", 3), (2, 325, "$", "shared_utils duckdb order", 3)]
    # the root project configures the package's models (+schema: shared beats the package's utils);
    # the root's vars scoped to the package beat the package's own vars
    assert rows(database, "select distinct cents_per_unit from main_shared.util_months") == [(100,)]
    # on-run-start: packages' hooks first, then the root project's
    assert rows(database, "select source from main.run_log order by step") == [("shared_utils",), ("pkgdemo",)]
    # generic tests from the package: bare, namespaced, and model-level without column_name
    for name in ("has_at_least_orders_in_cents", "is_positive_orders_in_cents_amount_cents"):
        assert f"PASS     test {name}" in outcome.text


def test_dispatch_default_search_order_is_root_first(tmp_path: Path, capsys) -> None:
    project = _packages(tmp_path)
    text = (project / "dbt_project.yml").read_text()
    (project / "dbt_project.yml").write_text(text.replace('    search_order: ["shared_utils", "pkgdemo"]',
                                                          '    search_order: ["pkgdemo", "shared_utils"]'))
    assert cli_inprocess(project, "deps", capsys=capsys).code == 0
    _build(project, capsys)
    assert rows(project / "pkgdemo.duckdb", "select distinct label from main.orders_in_cents") == [("pkgdemo order",)]


def test_packages_not_installed_are_clear_errors(tmp_path: Path, capsys) -> None:
    project = _packages(tmp_path)
    outcome = cli_inprocess(project, "compile", capsys=capsys)          # deps not run
    assert outcome.code == 2
    assert "dbt_project.yml:14: 'shared_utils' under models: is no installed package" in outcome.text
    assert "python3 run.py deps" in outcome.text
    text = (project / "dbt_project.yml").read_text()
    (project / "dbt_project.yml").write_text(text.replace("  shared_utils:\n    +schema: shared", ""))
    outcome = cli_inprocess(project, "compile", capsys=capsys)
    assert outcome.code == 2
    assert "models/orders_in_cents.sql:3" in outcome.text and "'shared_utils' is undefined" in outcome.text


def test_jinja_context_of_a_model(tmp_path: Path, capsys) -> None:
    project = dbt_project("jinja_context", tmp_path)
    outcome = _build(project, capsys)
    assert "context_values sees 3 events" in outcome.text                   # log(..., info=True)
    names, values = _one_row(project / "jinja.duckdb", "select * from main.context_values")
    got = dict(zip(names, values))
    assert got == {
        "n_rows": 3, "max_amount": 11, "event_columns": "event_id,amount,kind", "ref_identifier": "events",
        "this_relation": "main.context_values", "model_name": "context_values", "target_info": "dev/duckdb/main",
        "leap_day": "2024-02-29", "regex_result": "abc", "json_text": '{"k": [1, 2]}', "from_json": 5,
        "from_yaml_len": "2", "zipped": "y", "distinct_count": 3, "made_relation": "s.t", "region": "global",
        "invocation_id_length": 36, "executed": True, "models_in_graph": 3, "has_selection": True,
        "quoted": '"Mixed Case"', "relation_found": True, "full_refresh_flag": "False",
    }


def test_var_from_the_command_line(tmp_path: Path, capsys) -> None:
    project = dbt_project("jinja_context", tmp_path)
    _build(project, capsys, "--vars", "region: emro")
    assert rows(project / "jinja.duckdb", "select region from main.context_values") == [("emro",)]


def test_cross_database_macros(tmp_path: Path, capsys) -> None:
    project = dbt_project("jinja_context", tmp_path)
    _build(project, capsys)
    names, values = _one_row(project / "jinja.duckdb", "select * from main.cross_db")
    got = dict(zip(names, values))
    assert got == {
        "month_start": datetime.date(2024, 3, 1), "plus_three_days": datetime.date(2024, 2, 2), "days_between": 60,
        "last_of_february": datetime.date(2024, 2, 29), "as_text": "42", "as_int": 7, "as_float": 1.5,
        "as_timestamp": datetime.datetime(2024, 1, 1, 10, 0), "failed_cast": None, "concatenated": "reform",
        "hashed": "900150983cd24fb0d6963f7d28e17f72", "second_part": "b", "position_of_c": 3, "replaced": "a+b+c",
        "right_five": "house", "text_length": 9, "literal_text": "it's", "bool_text": "true", "made_array": [1, 2],
        "has_now": True, "bare_macro_weeks": 1,
    }
    assert rows(project / "jinja.duckdb", "select * from main.aggregates order by kind") == [
        ("a", "1,3", "a", True), ("b", "2", "b", False)]


def test_doc_blocks_fill_descriptions(tmp_path: Path, capsys) -> None:
    project = dbt_project("jinja_context", tmp_path)
    _build(project, capsys)
    import json

    manifest = json.loads((project / "target/manifest.json").read_text())
    column = manifest["nodes"]["seed.jinja_ctx.events"]["columns"]["amount"]
    assert column["description"] == "The amount of the event, in whole units."


def test_external_location_sources(tmp_path: Path, capsys) -> None:
    project = dbt_project("external_sources", tmp_path)
    _build(project, capsys)
    database = project / "ext.duckdb"
    assert rows(database, "select name, visits, last_visit from main.person_visits order by name") == [
        ("Ana", 2, datetime.datetime(2024, 5, 3, 9, 15)), ("Bo", 1, datetime.datetime(2024, 5, 2, 11, 30))]
    assert rows(database, "select n from main.visit_count") == [(3,)]     # identifier in the location


def test_generic_tests_on_an_ephemeral_model(basics: Path, capsys) -> None:
    outcome = _build(basics, capsys)
    assert "PASS     test unique_eph_paid_orders_order_id" in outcome.text
    assert "PASS     test relationships_eph_paid_orders_order_id" in outcome.text
    # relationships to an ephemeral model: order 3 is refunded, so one row, reported as the warning it is
    assert "WARN     test relationships_stg_orders_order_id [test] rows=1" in outcome.text


def test_unsupported_features_are_listed_once_with_a_count(tmp_path: Path, capsys) -> None:
    project = dbt_project("unsupported", tmp_path)
    outcome = _build(project, capsys)
    expected = [
        "dbt_project.yml:11: dbt_project.yml `exposures:` is not supported, ignored",
        "dbt_project.yml:13: dbt_project.yml `query-comment:` is not supported, ignored",
        "dbt_project.yml:9: config `grants` under models: is not supported, ignored",
        "profiles.yml:8: profiles.yml `plugins:` is not supported, ignored",
        "macros/materializations.sql:1: custom materialization `my_view` is not supported, ignored",
        "models/_models.yml:13: `semantic_models:` entry 'orders_sm' is not supported, ignored",
        "models/_models.yml:20: `metrics:` entry 'revenue' is not supported, ignored",
        "models/_models.yml:24: `saved_queries:` entry 'revenue_by_day' is not supported, ignored",
        "models/_models.yml:26: `exposures:` entry 'finance_dashboard' is not supported, ignored",
        "models/_models.yml:3: `groups:` entry 'finance' is not supported, ignored",
        "models/_models.yml:7: `access:` of model 'orders' is not supported, ignored",
        "models/orders.sql [orders]: config `access` of model orders is not supported, ignored",
        "`analyses` (1 file(s), not compiled) is not supported, ignored",
    ]
    for line in expected:
        assert outcome.text.count(line) == 1, line
    assert "ignored 15 unsupported dbt feature(s):" in outcome.text
    # the macro file's other macros still work around the ignored materialization
    assert rows(project / "unsupported.duckdb", "select answer from main.uses_macro") == [(42,)]


def _one_row(database: Path, sql: str) -> tuple[list[str], tuple]:
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        cursor = con.execute(sql)
        return [d[0] for d in cursor.description], cursor.fetchone()


def test_incremental_merge_predicates_and_persist_docs(tmp_path: Path, capsys) -> None:
    project = dbt_project("model_configs", tmp_path)
    first = _build(project, capsys)
    assert "WARN     test accepted_values_latest_readings_site" in first.text          # data_tests: +severity: warn
    assert "PASS     test not_null_latest_readings_site" in first.text
    _build(project, capsys, "--vars", "batch: 2")
    database = project / "configs.duckdb"
    # merge on a list unique_key: (A,1) and (B,1) updated, (A,3) inserted, (A,2) kept
    assert rows(database, "select site, day, value, loaded_batch, owner from main.latest_readings order by site, day") == [
        ("A", 1, 11, 2, "reform-data"), ("A", 2, 30, 1, "reform-data"), ("A", 3, 40, 2, "reform-data"),
        ("B", 1, 21, 2, "reform-data")]
    # delete+insert limited by incremental_predicates: only site A's day >= 2 row was deleted
    assert rows(database, "select site, day, value from main.recent_only order by site, day, value") == [
        ("A", 1, 10), ("A", 1, 11), ("A", 3, 40), ("B", 1, 20), ("B", 1, 21)]
    # on_schema_change: append_new_columns adds the column (NULL for earlier rows); ignore leaves it out
    assert rows(database, "select site, day, note from main.growing order by site, day, note nulls first") == [
        ("A", 1, None), ("A", 1, "batch two"), ("A", 2, None), ("A", 3, "batch two"), ("B", 1, None),
        ("B", 1, "batch two")]
    assert [c for c, in rows(database, "select column_name from duckdb_columns() where table_name = 'ignoring'")] == [
        "site", "day"]
    assert rows(database, "select count(*) from main.ignoring") == [(6,)]
    # persist_docs: descriptions are DuckDB comments
    assert rows(database, "select comment from duckdb_tables() where table_name = 'latest_readings'") == [
        ("The latest value of each site and day.",)]
    assert rows(database, "select column_name, comment from duckdb_columns() where table_name = 'latest_readings' "
                          "and comment is not null order by 1") == [("site", "Measuring site code."),
                                                                    ("value", "The reading.")]


def test_on_schema_change_fail(tmp_path: Path, capsys) -> None:
    project = dbt_project("model_configs", tmp_path)
    model = project / "models/growing.sql"
    model.write_text(model.read_text().replace("append_new_columns", "fail"))
    _build(project, capsys)
    outcome = cli_inprocess(project, "build", "--vars", "batch: 2", capsys=capsys)
    assert outcome.code == 2
    assert "the columns of growing changed (new: note; removed: none) and on_schema_change is fail" in outcome.text


def test_git_package_installed_by_deps(tmp_path: Path, capsys) -> None:
    """`git:` with a `revision` (a local repository here: these machines have no network)."""
    import subprocess

    project = _packages(tmp_path)
    repo = tmp_path / "packages" / "shared_utils"
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "init.defaultBranch=main"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "v1"], ["tag", "v0.1.0"]):
        subprocess.run([*git, *args], cwd=repo, check=True, capture_output=True)
    (project / "packages.yml").write_text(f"packages:\n  - git: \"file://{repo}\"\n    revision: v0.1.0\n")
    deps = cli_inprocess(project, "deps", capsys=capsys)
    assert deps.code == 0, deps.text
    assert (project / "dbt_packages/shared_utils/dbt_project.yml").exists()
    assert not (project / "dbt_packages/shared_utils/.git").exists()
    _build(project, capsys)
    (project / "packages.yml").write_text(f"packages:\n  - git: \"file://{repo}\"\n    revision: v9.9.9\n")
    failed = cli_inprocess(project, "deps", capsys=capsys)
    assert failed.code == 2 and "git clone of file://" in failed.text and "v9.9.9" in failed.text
