"""dbt's commands as a dbt user types them: run-operation, clean, debug, ls with dbt's selectors."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import cli_inprocess
from tests.dbt.conftest import rows


def test_run_operation_runs_a_macro_on_the_development_database(basics: Path, capsys) -> None:
    (basics / "macros").mkdir(exist_ok=True)           # a clean clone has no empty folders
    (basics / "macros/ops.sql").write_text(
        "{% macro make_note(text) %}\n"
        "{% do run_query(\"create or replace table main.notes as select '\" ~ text ~ \"' as note\") %}\n"
        "{{ return('noted ' ~ text) }}\n{% endmacro %}\n")
    outcome = cli_inprocess(basics, "run-operation", "make_note", "--args", "{text: hello}", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert "noted hello" in outcome.text
    assert rows(basics / ".warehouse/dev/basics.duckdb", "select note from main.notes") == [("hello",)]
    assert not (basics / "basics.duckdb").exists()                # never the published warehouse
    missing = cli_inprocess(basics, "run-operation", "no_such_macro", capsys=capsys)
    assert missing.code == 2 and "no macro named 'no_such_macro'" in missing.text


def test_clean_removes_clean_targets_but_never_published_data(basics: Path, capsys) -> None:
    assert cli_inprocess(basics, "build", capsys=capsys).code == 0
    (basics / "dbt_packages").mkdir()
    text = (basics / "dbt_project.yml").read_text()
    (basics / "dbt_project.yml").write_text(text.replace('clean-targets: ["target", "dbt_packages"]',
                                                         'clean-targets: ["target", "dbt_packages", "exports", "."]'))
    outcome = cli_inprocess(basics, "clean", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert not (basics / "target").exists() and not (basics / "dbt_packages").exists()
    assert (basics / "basics.duckdb").exists() and (basics / "exports").exists()
    assert "not removing" in outcome.text


def _ls(project: Path, capsys, *args: str) -> set[str]:
    outcome = cli_inprocess(project, "ls", *args, capsys=capsys)
    assert outcome.code == 0, outcome.text
    return set(outcome.out.split())


def test_dbt_selector_methods(basics: Path, capsys) -> None:
    assert _ls(basics, capsys, "--select", "resource_type:seed", "--resource-type", "seed") == {"raw_orders", "raw_customers"}
    assert _ls(basics, capsys, "--select", "config.materialized:table", "--resource-type", "model") == {"fct_orders"}
    assert _ls(basics, capsys, "--select", "config.tags:staging", "--resource-type", "model") == {
        "stg_orders", "stg_customers", "eph_paid_orders"}
    assert _ls(basics, capsys, "--select", "test_type:generic,test_name:relationships") == {
        "relationships_stg_orders_order_id", "relationships_eph_paid_orders_order_id"}
    assert "stg_orders" in _ls(basics, capsys, "--select", "package:basics")
    assert _ls(basics, capsys, "--select", "file:fct_orders.sql", "--resource-type", "model") == {"fct_orders"}
    assert _ls(basics, capsys, "--select", "+fct_orders", "--resource-type", "model") == {
        "fct_orders", "stg_orders", "stg_customers"}


def test_selectors_yml_named_and_default(basics: Path, capsys) -> None:
    (basics / "selectors.yml").write_text(
        "selectors:\n"
        "  - name: marts_and_parents\n"
        "    definition:\n"
        "      union:\n"
        "        - method: path\n"
        "          value: models/marts\n"
        "          parents: true\n"
        "        - exclude:\n"
        "            - resource_type:seed\n"
        "  - name: seeds_only\n"
        "    default: true\n"
        "    definition: 'resource_type:seed'\n")
    assert _ls(basics, capsys, "--selector", "marts_and_parents", "--resource-type", "model") == {
        "fct_orders", "stg_orders", "stg_customers"}
    assert _ls(basics, capsys, "--selector", "marts_and_parents", "--resource-type", "seed") == set()
    assert _ls(basics, capsys, "--resource-type", "seed") == {"raw_orders", "raw_customers"}   # the default
    assert _ls(basics, capsys, "--resource-type", "model") == set()
    wrong = cli_inprocess(basics, "ls", "--selector", "marts_and_parent", capsys=capsys)
    assert wrong.code == 2 and "did you mean 'marts_and_parents'" in wrong.text


def test_artifacts_keep_the_keys_dbt_tools_read(tmp_path: Path, capsys) -> None:
    import json

    from tests.dbt.conftest import dbt_project

    project = dbt_project("external_sources", tmp_path)
    assert cli_inprocess(project, "build", capsys=capsys).code == 0
    manifest = json.loads((project / "target/manifest.json").read_text())
    model = manifest["nodes"]["model.ext_sources.person_visits"]
    assert model["unique_id"] == "model.ext_sources.person_visits" and model["resource_type"] == "model"
    assert model["package_name"] == "ext_sources" and model["fqn"] == ["ext_sources", "person_visits"]
    assert model["depends_on"]["nodes"] == ["source.ext_sources.files.people", "source.ext_sources.files.visits"]
    assert model["config"]["materialized"] == "table" and model["relation_name"] == '"ext"."main"."person_visits"'
    assert model["columns"]["name"]["name"] == "name"
    assert set(manifest["sources"]) == {"source.ext_sources.files.visits", "source.ext_sources.files.people", "source.ext_sources.files.visits_again"}
    assert manifest["sources"]["source.ext_sources.files.visits_again"]["identifier"] == "visits"
    assert not [uid for uid in manifest["nodes"] if uid.startswith("source.")]      # as in dbt: sources apart
    assert manifest["parent_map"]["model.ext_sources.visit_count"] == ["source.ext_sources.files.visits_again"]
    assert "model.ext_sources.person_visits" in manifest["child_map"]["source.ext_sources.files.people"]
    results = json.loads((project / "target/run_results.json").read_text())
    by_id = {r["unique_id"]: r for r in results["results"]}
    built = by_id["model.ext_sources.person_visits"]
    assert built["status"] == "success" and built["execution_time"] >= 0
    assert [t["name"] for t in built["timing"]] == ["compile", "execute"]     # dbt's steps, each with its times
    assert built["adapter_response"]["rows_affected"] == 2
    (test,) = [r for uid, r in by_id.items() if uid.startswith("test.ext_sources.unique_person_visits_name.")]
    assert test["status"] == "pass" and test["failures"] == 0
    assert results["elapsed_time"] >= 0 and results["args"]["which"] == "build"
