"""The reform project's own expectation suites (data_checks/*.json).

They load and validate, every mart and staging model has one, the reform build runs and records
every one of them with success, the SQL and GX paths agree on every expectation (on the built
warehouse and on a deliberately damaged copy of it), and a build whose data contradicts a
document-fixed count exits 1 without publishing.
"""
from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, cli_inprocess, copy_reform_project, digest

CHECKS = ROOT / "data_checks"
MARTS = sorted(p.stem for p in (ROOT / "models" / "marts").glob("*.sql"))
STAGING = sorted(p.stem for p in (ROOT / "models" / "staging").rglob("*.sql"))
SAMPLE_MARTS = ("sample_mart_so12_indicators", "sample_mart_moss_funding_gaps")
COMPARED = ("success", "unexpected_count", "unexpected_percent", "partial_unexpected_list",
            "element_count", "exception")


@pytest.fixture(scope="module")
def suites():
    from warehouse.check import load_suites

    return load_suites(CHECKS)


def relations(con) -> dict[str, str]:
    """Model name -> quoted schema.table, read from the warehouse itself."""
    from warehouse.core.relation import quote_relation

    rows = con.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall()
    return {name: quote_relation(schema, name) for schema, name in rows}


def run_both(con, suites, gx_runner):
    """Both paths through the engine interface, as the check gate runs them."""
    from warehouse.check import run_suites
    from warehouse.engine.duckdb_engine import DuckDBEngine

    relation_of = relations(con).__getitem__
    engine = DuckDBEngine.from_connection(con)
    return (run_suites(engine, suites, relation_of, path="sql"),
            run_suites(engine, suites, relation_of, path="gx", gx_runner=gx_runner))


def same_observed(a, b) -> bool:
    """Observed values agree; a mean or ratio may differ in the last float bits (DuckDB's avg
    and pandas' mean add in a different order)."""
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-12)
    return a == b


def disagreements(sql_results, gx_results) -> list[str]:
    found = []
    for sql_suite, gx_suite in zip(sql_results, gx_results, strict=True):
        assert sql_suite.suite == gx_suite.suite
        for s, g in zip(sql_suite.results, gx_suite.results, strict=True):
            where = f"{s.suite}#{s.index} {s.type}({s.column})"
            if (s.path, g.path) != ("sql", "gx"):
                found.append(f"{where}: computed on {s.path}/{g.path}, not sql/gx")
            found += [f"{where}: {field} sql={getattr(s, field)!r} gx={getattr(g, field)!r}"
                      for field in COMPARED if getattr(s, field) != getattr(g, field)]
            if not same_observed(s.observed_value, g.observed_value):
                found.append(f"{where}: observed_value sql={s.observed_value!r} gx={g.observed_value!r}")
    return found


def failed(results) -> set[str]:
    """'suite type(columns)' of every failed expectation."""
    return {f"{r.suite} {r.type}({r.column or ''})" for s in results for r in s.results if not r.success}


# ---------------------------------------------------------------- the suite files


def test_every_suite_file_loads_and_validates() -> None:
    from warehouse.check import load_suites
    from warehouse.core.errors import ErrorList

    try:
        loaded = load_suites(CHECKS)
    except ErrorList as exc:
        pytest.fail(f"data_checks/ does not validate:\n{exc}")
    files = sorted(CHECKS.glob("*.json"))
    assert len(loaded) == len(files) >= len(MARTS) + len(STAGING)
    assert [s.name for s in loaded] == [f.stem for f in files], "one file per suite, named after the suite"


def test_every_expectation_says_why(suites) -> None:
    unexplained = [f"{s.name}#{e.index}" for s in suites for e in s.expectations
                   if not str(e.meta.get("notes", "")).strip()]
    assert unexplained == []


def test_every_expectation_runs_on_the_sql_path(suites) -> None:
    from warehouse.check.sql_path import sql_supported

    assert [f"{s.name}#{e.index} {e.type}" for s in suites for e in s.expectations
            if not sql_supported(e)] == []


def test_every_mart_and_staging_model_has_a_suite(suites) -> None:
    bound = {s.model for s in suites if s.model}
    assert MARTS and STAGING
    assert [m for m in MARTS if m not in bound] == []
    assert [m for m in STAGING if m not in bound] == []


def test_public_marts_pin_their_columns_and_sample_marts_their_flag(suites) -> None:
    by_model: dict[str, list] = {}
    for s in suites:
        if s.model:
            by_model.setdefault(s.model, []).extend(s.expectations)
    for mart in MARTS:
        pinned = [e for e in by_model[mart] if e.type == "expect_table_columns_to_match_set"]
        assert pinned and all(e.kwargs.get("exact_match") is True for e in pinned), mart
    for mart in SAMPLE_MARTS:
        assert any(e.type == "expect_column_values_to_be_in_set" and e.kwargs == {
            "column": "is_sample", "value_set": [True]} for e in by_model[mart]), mart


def test_document_fixed_counts_are_checked(suites) -> None:
    counts = {(s.model or s.name, e.kwargs["value"]) for s in suites for e in s.expectations
              if e.type == "expect_table_row_count_to_equal"}
    for expected in [("stg_eb152__actions", 98), ("stg_eb152__actions__annex_1", 60),
                     ("stg_eb152__actions__annex_2", 38), ("fct_reform_actions__eb152_annex_1", 60),
                     ("fct_reform_actions__eb152_annex_2", 38), ("stg_unossc__key_actions", 28),
                     ("fct_reform_actions__unossc", 28), ("stg_reference__member_states", 194),
                     ("dim_country", 194), ("stg_csu2008__key_action_points", 14)]:
        assert expected in counts


# ---------------------------------------------------------------- the reform build


def test_reform_build_ran_every_suite_with_success(reform_built: Path, suites) -> None:
    doc = json.loads((reform_built / "target" / "check_results.json").read_text())
    assert doc["success"] is True
    by_name = {s["suite"]: s for s in doc["suites"]}
    assert sorted(by_name) == sorted(s.name for s in suites)
    for s in suites:
        result = by_name[s.name]
        bad = [r for r in result["results"] if not r["success"]]
        assert result["success"] and not bad, (s.name, bad)
        assert len(result["results"]) == len(s.expectations), s.name


def test_published_warehouse_stores_one_row_per_expectation(reform_built: Path, reform_db, suites) -> None:
    build_id = json.loads((reform_built / "target" / "check_results.json").read_text())["build_id"]
    rows = reform_db.execute(
        "SELECT suite, expectation_index, expectation_type, severity, success FROM _warehouse_checks "
        "WHERE build_id = ?", [build_id]).fetchall()
    expected = {(s.name, e.index, e.type, e.severity) for s in suites for e in s.expectations}
    assert len(rows) == len(expected)
    assert {r[:4] for r in rows} == expected
    assert all(r[4] for r in rows)


def test_every_named_column_exists_in_the_built_models(reform_db, suites) -> None:
    from warehouse.check import validate_columns

    rows = reform_db.execute("SELECT table_name, column_name FROM information_schema.columns "
                             "ORDER BY table_name, ordinal_position").fetchall()
    columns: dict[str, list[str]] = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    validate_columns(suites, columns.get)  # raises an ErrorList naming suite, column and nearest column


# ---------------------------------------------------------------- SQL path == GX path


def test_sql_and_gx_paths_agree_on_the_reform_warehouse(reform_db, suites, gx_runner) -> None:
    sql_results, gx_results = run_both(reform_db, suites, gx_runner)
    assert disagreements(sql_results, gx_results) == []
    assert failed(sql_results) == set()


# Each statement breaks rules some suite checks; partial_unexpected_list then has content.
DAMAGE = [
    "UPDATE main.fct_reform_actions SET status = 'done' WHERE action_key IN ('EB152-A1-001', 'EB152-A1-007')",
    "UPDATE main.fct_reform_actions SET plan_code = NULL WHERE action_key = 'UNOSSC-MTR-R1.1'",
    "INSERT INTO main.fct_reform_actions SELECT * FROM main.fct_reform_actions WHERE action_key = 'EB152-A2-001'",
    "UPDATE main.mart_completion_rates SET completion_rate = 1.25, completed = actions + 1 WHERE grain = 'plan'",
    "UPDATE main.mart_budget_totals SET cost_low_usd = cost_high_usd + 1 WHERE cost_basis = 'per_year'",
    "DELETE FROM main.mart_budget_totals WHERE budget_status = 'to_be_completed'",
    "UPDATE main.sample_mart_moss_funding_gaps SET share_funded = 1.5, is_sample = false WHERE items = 5",
    "UPDATE main.sample_mart_moss_funding_gaps SET share_funded = NULL WHERE items = 2",
    "UPDATE main.sample_mart_so12_indicators SET value = 140 WHERE unit = 'percent' AND region_code = 'AFRO'",
    "ALTER TABLE main.dim_country ADD COLUMN population BIGINT",
    "DELETE FROM main.dim_country WHERE iso3 IN ('ALB', 'VNM')",
    "UPDATE raw.unossc_key_actions SET status_raw = 'Overdue' WHERE recommendation_no = 3",
    "DELETE FROM raw.eb152_actions WHERE annex = 2 AND action_no = 38",
]

# Expectations that DAMAGE must make fail ('suite type(columns)'), whichever path runs them.
DAMAGE_CAUGHT = """
fct_reform_actions expect_column_values_to_be_in_set(status)
fct_reform_actions expect_column_values_to_not_be_null(plan_code)
fct_reform_actions expect_column_values_to_be_unique(action_key)
fct_reform_actions expect_compound_columns_to_be_unique(plan_code,annex,action_ref)
fct_reform_actions__eb152_annex_1 expect_column_values_to_be_in_set(status)
mart_completion_rates expect_column_values_to_be_between(completion_rate)
mart_completion_rates expect_column_pair_values_a_to_be_greater_than_b(actions,completed)
mart_budget_totals expect_column_pair_values_a_to_be_greater_than_b(cost_high_usd,cost_low_usd)
mart_budget_totals expect_column_sum_to_be_between(actions)
sample_mart_moss_funding_gaps expect_column_values_to_be_in_set(is_sample)
sample_mart_moss_funding_gaps expect_column_values_to_be_between(share_funded)
sample_mart_moss_funding_gaps expect_column_mean_to_be_between(share_funded)
sample_mart_so12_indicators__12_2_2_percent expect_column_values_to_be_between(value)
dim_country expect_table_columns_to_match_set()
dim_country expect_table_row_count_to_equal()
dim_country__dao_pilots expect_table_row_count_to_equal()
stg_unossc__key_actions expect_column_values_to_be_in_set(status_raw)
stg_eb152__actions__annex_2 expect_table_row_count_to_equal()
plan_action_totals expect_column_values_to_be_in_set(plan_totals)
"""


def test_sql_and_gx_paths_agree_on_a_damaged_copy(reform_built: Path, tmp_path: Path, suites, gx_runner) -> None:
    damaged = tmp_path / "damaged.duckdb"
    shutil.copy2(reform_built / "warehouse.duckdb", damaged)
    con = duckdb.connect(str(damaged))
    try:
        for statement in DAMAGE:
            con.execute(statement)
        sql_results, gx_results = run_both(con, suites, gx_runner)
    finally:
        con.close()
    assert disagreements(sql_results, gx_results) == []
    missing = [label for label in DAMAGE_CAUGHT.split("\n") if label and label not in failed(sql_results)]
    assert missing == []
    examples = [r for s in sql_results for r in s.results if r.partial_unexpected_list]
    assert len(examples) >= 8, "the damage should give both paths examples to compare"


# ---------------------------------------------------------------- a broken build


def test_wrong_document_count_stops_the_build_and_publishes_nothing(reform_built: Path, tmp_path: Path,
                                                                     capsys) -> None:
    project = copy_reform_project(tmp_path / "reform")
    shutil.copy2(reform_built / "warehouse.duckdb", project / "warehouse.duckdb")  # last night's publish
    before = digest(project / "warehouse.duckdb")
    seed = project / "seeds" / "eb152_34" / "eb152_actions.csv"
    lines = seed.read_text(encoding="utf-8").splitlines(keepends=True)
    last_annex_2 = max(i for i, line in enumerate(lines) if line.startswith("EB152/34,2,"))
    del lines[last_annex_2]  # EB152/34 paragraph 7: Annex 2 has 38 actions; now 37
    seed.write_text("".join(lines), encoding="utf-8")

    # The SQL path keeps this second build fast; the parity tests show it decides as GX does.
    outcome = cli_inprocess(project, "build", "--check-path", "sql", capsys=capsys)

    assert outcome.code == 1, outcome.text
    assert "FAIL stg_eb152__actions__annex_2#0 expect_table_row_count_to_equal" in outcome.text
    assert "FAIL fct_reform_actions__eb152_annex_2#0 expect_table_row_count_to_equal" in outcome.text
    assert "observed 37 (expected value=38)" in outcome.text
    assert "Nothing was published" in outcome.text
    assert digest(project / "warehouse.duckdb") == before
    assert not (project / "exports").exists()
    doc = json.loads((project / "target" / "check_results.json").read_text())
    assert doc["success"] is False
    failing = {s["suite"] for s in doc["suites"] if not s["success"]}
    assert {"stg_eb152__actions", "stg_eb152__actions__annex_2", "fct_reform_actions",
            "fct_reform_actions__eb152_annex_2", "plan_action_totals"} <= failing
