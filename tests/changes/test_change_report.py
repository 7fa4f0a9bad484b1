"""The change report of a build and the gates on change, on the small `changes` fixture.

Each test starts from a published build of the fixture, edits a seed, a model or the config,
builds again and reads what the build reported: its end-of-build lines, target/run_results.json,
the `_warehouse_changes` table, and whether the published warehouse moved.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from tests.conftest import Outcome, cli_inprocess, copy_fixture

SEED = "seeds/items.csv"
PROJECT = "dbt_project.yml"
MARTS = "      +materialized: table        #"   # the marts folder's first config line


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture) -> Path:
    """The `changes` fixture, built and published once."""
    path = copy_fixture("changes", tmp_path / "changes")
    outcome = build(path, capsys)
    assert outcome.code == 0, outcome.text
    return path


def build(project: Path, capsys: pytest.CaptureFixture, *args: str) -> Outcome:
    return cli_inprocess(project, "build", *args, capsys=capsys)


def changes(project: Path) -> dict[str, dict]:
    data = json.loads((project / "target" / "run_results.json").read_text())
    return {c["name"]: c for c in data["changes"]}


def edit(project: Path, path: str, old: str, new: str) -> None:
    file = project / path
    text = file.read_text()
    assert old in text, f"{old!r} not in {path}"
    file.write_text(text.replace(old, new))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def published_columns(project: Path, table: str) -> list[str]:
    with duckdb.connect(str(project / "warehouse.duckdb"), read_only=True) as con:
        return [r[0] for r in con.execute(f"describe {table}").fetchall()]


# -- the report ------------------------------------------------------------------------------------

def test_first_build_reports_every_model_as_new(project: Path) -> None:
    report = changes(project)
    assert report["mart_items"]["status"] == "new" and report["mart_items"]["rows_after"] == 5
    assert report["mart_items"]["summary"] == "mart_items: new (5 rows)"


def test_unchanged_rebuild_reports_no_change(project: Path, capsys: pytest.CaptureFixture) -> None:
    outcome = build(project, capsys)
    assert outcome.code == 0, outcome.text
    assert {c["status"] for c in changes(project).values()} == {"unchanged"}
    assert "no changes to the 4 model(s) and seed(s) built" in outcome.out


def test_model_gaining_rows(project: Path, capsys: pytest.CaptureFixture) -> None:
    with (project / SEED).open("a") as seed:
        seed.write("6,figs,5.00,fruit\n7,grapes,2.80,fruit\n")
    outcome = build(project, capsys)
    assert outcome.code == 0, outcome.text
    mart = changes(project)["mart_items"]
    assert (mart["rows_before"], mart["rows_after"]) == (5, 7)
    assert {k: mart["rows"][k] for k in ("method", "key", "added", "removed", "changed")} == \
        {"method": "key", "key": ["item_id"], "added": 2, "removed": 0, "changed": 0}
    assert mart["rows"]["examples"]["added"] == [
        {"item_id": 6, "name": "figs", "price": 5.0, "category": "fruit"},
        {"item_id": 7, "name": "grapes", "price": 2.8, "category": "fruit"}]
    assert mart["key_source"] == "unique test"
    assert "mart_items: +2 rows" in outcome.out.splitlines()


def test_model_losing_rows(project: Path, capsys: pytest.CaptureFixture) -> None:
    edit(project, SEED, "5,eggs,3.30,dairy\n", "")
    outcome = build(project, capsys)
    assert outcome.code == 0, outcome.text
    mart = changes(project)["mart_items"]
    assert (mart["rows"]["added"], mart["rows"]["removed"], mart["rows"]["changed"]) == (0, 1, 0)
    assert mart["rows"]["examples"]["removed"] == [{"item_id": 5, "name": "eggs", "price": 3.3, "category": "dairy"}]
    assert "mart_items: -1 row" in outcome.out.splitlines()


def test_values_changed_under_the_unique_key(project: Path, capsys: pytest.CaptureFixture) -> None:
    edit(project, SEED, "2,bread,2.25,bakery", "2,bread,2.45,bakery")
    edit(project, SEED, "4,dates,4.10,fruit", "4,dates,4.10,dried fruit")
    outcome = build(project, capsys)
    assert outcome.code == 0, outcome.text
    report = changes(project)
    mart = report["mart_items"]
    assert (mart["rows"]["added"], mart["rows"]["removed"], mart["rows"]["changed"]) == (0, 0, 2)
    assert mart["rows"]["columns_changed"] == [{"column": "category", "rows": 1}, {"column": "price", "rows": 1}]
    assert mart["rows"]["examples"]["changed"] == [
        {"key": {"item_id": 2}, "changes": {"price": [2.25, 2.45]}},
        {"key": {"item_id": 4}, "changes": {"category": ["fruit", "dried fruit"]}}]
    assert "mart_items: 2 changed (category, price)" in outcome.out.splitlines()
    # work_prices is matched on its unique_key config; work_categories (no key) on whole-row hashes
    assert report["work_prices"]["key_source"] == "unique_key"
    assert report["work_prices"]["rows"]["changed"] == 1
    assert report["work_categories"]["rows"]["method"] == "row_hash"
    assert (report["work_categories"]["rows"]["added"], report["work_categories"]["rows"]["removed"]) == (2, 1)
    assert "work_categories: +2 rows, -1 row" in outcome.out.splitlines()


def test_schema_change_of_a_model_that_is_not_exported(project: Path, capsys: pytest.CaptureFixture) -> None:
    (project / "models/work/work_prices.sql").write_text(
        "select cast(price as varchar) as price, name, category\nfrom {{ ref('items') }}\n")
    outcome = build(project, capsys)
    assert outcome.code == 0, outcome.text              # not exported, not contracted: reported, not blocked
    prices = changes(project)["work_prices"]
    assert prices["schema"] == {"added": [{"name": "category", "type": "VARCHAR"}], "removed": [],
                                "retyped": [{"name": "price", "from": "DOUBLE", "to": "VARCHAR"}], "reordered": True}
    # values are compared in the new type: 1.5 becomes '1.5', so no row counts as changed
    assert (prices["rows"]["added"], prices["rows"]["removed"], prices["rows"]["changed"]) == (0, 0, 0)
    assert ("work_prices: column category added, column price retyped (DOUBLE -> VARCHAR), columns reordered"
            in outcome.out.splitlines())


def test_report_is_stored_in_the_published_warehouse(project: Path, capsys: pytest.CaptureFixture) -> None:
    edit(project, SEED, "2,bread,2.25,bakery", "2,bread,2.45,bakery")
    assert build(project, capsys).code == 0
    build_id = json.loads((project / "target" / "run_results.json").read_text())["metadata"]["build_id"]
    with duckdb.connect(str(project / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute("select model, status, rows_changed, summary from _warehouse_changes "
                           "where build_id = ? order by model", [build_id]).fetchall()
    assert rows == [("items", "changed", 1, "items: 1 changed (price)"),
                    ("mart_items", "changed", 1, "mart_items: 1 changed (price)"),
                    ("work_prices", "changed", 1, "work_prices: 1 changed (price)")]


def test_row_diff_skipped_above_diff_max_rows(project: Path, capsys: pytest.CaptureFixture) -> None:
    edit(project, PROJECT, MARTS, "      +diff_max_rows: 3\n" + MARTS)
    edit(project, SEED, "5,eggs,3.30,dairy\n", "")
    outcome = build(project, capsys)
    assert outcome.code == 0, outcome.text
    mart = changes(project)["mart_items"]
    assert mart["rows"]["method"] == "skipped" and mart["rows"]["added"] is None
    assert mart["summary"] == "mart_items: -1 rows net (row diff skipped: 5 rows is above diff_max_rows 3)"


# -- gates -----------------------------------------------------------------------------------------

def test_breaking_change_to_an_exported_mart_blocks_publishing(project: Path, capsys: pytest.CaptureFixture) -> None:
    before = digest(project / "warehouse.duckdb")
    (project / "models/marts/mart_items.sql").write_text("select item_id, name, price\nfrom {{ ref('items') }}\n")
    outcome = build(project, capsys)
    assert outcome.code == 1, outcome.text
    assert "breaking change to exported model mart_items: column category removed" in outcome.text
    assert "--allow-breaking" in outcome.text
    assert "Nothing was published" in outcome.text
    assert digest(project / "warehouse.duckdb") == before
    assert changes(project)["mart_items"]["gates"] == [{
        "gate": "breaking_changes", "outcome": "blocked",
        "message": "breaking change to exported model mart_items: column category removed"}]

    outcome = build(project, capsys, "--allow-breaking")
    assert outcome.code == 0, outcome.text
    assert "(allowed by --allow-breaking)" in outcome.out
    assert published_columns(project, "mart_items") == ["item_id", "name", "price"]


def test_retyped_column_blocks_and_breaking_changes_warn_lets_it_through(project: Path,
                                                                        capsys: pytest.CaptureFixture) -> None:
    (project / "models/marts/mart_items.sql").write_text(
        "select item_id, name, cast(price * 100 as integer) as price, category\nfrom {{ ref('items') }}\n")
    outcome = build(project, capsys)
    assert outcome.code == 1, outcome.text
    assert "breaking change to exported model mart_items: column price (DOUBLE -> INTEGER) retyped" in outcome.text
    edit(project, "models/marts/_marts__models.yml", "    description: One row per item (exported).",
         "    description: One row per item (exported).\n    config:\n      breaking_changes: warn")
    outcome = build(project, capsys)
    assert outcome.code == 0, outcome.text
    assert "WARN" in outcome.out and "column price (DOUBLE -> INTEGER) retyped" in outcome.out


def test_volume_gate_that_blocks(project: Path, capsys: pytest.CaptureFixture) -> None:
    edit(project, PROJECT, MARTS, "      +max_row_change: 20%\n" + MARTS)
    edit(project, SEED, "4,dates,4.10,fruit\n5,eggs,3.30,dairy\n", "")
    before = digest(project / "warehouse.duckdb")
    outcome = build(project, capsys)
    assert outcome.code == 1, outcome.text
    assert "mart_items went from 5 to 3 rows (-40.0%), more than max_row_change 20%" in outcome.text
    assert digest(project / "warehouse.duckdb") == before


def test_volume_gates_that_warn(project: Path, capsys: pytest.CaptureFixture) -> None:
    edit(project, PROJECT, MARTS,
         "      +max_removed_rows: {limit: 0, severity: warn}\n      +min_rows: {limit: 10, severity: warn}\n" + MARTS)
    edit(project, SEED, "5,eggs,3.30,dairy\n", "")
    outcome = build(project, capsys)
    assert outcome.code == 0, outcome.text
    assert "mart_items lost 1 rows, more than max_removed_rows 0" in outcome.out
    assert "mart_items has 4 rows, fewer than min_rows 10" in outcome.out
    assert [g["outcome"] for g in changes(project)["mart_items"]["gates"]] == ["warned", "warned"]
    assert published_columns(project, "mart_items")       # published
    with duckdb.connect(str(project / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from mart_items").fetchone()[0] == 4


@pytest.mark.parametrize("line, message", [
    ("      +max_row_chnage: 20%", "did you mean '+max_row_change'?"),
    ("      +breaking_changes: blok", "did you mean 'block'?"),
    ("      +max_row_change: lots", "max_row_change must be a percentage like 20%, not 'lots'"),
    ("      +min_rows: {limit: 3, severty: warn}", "did you mean 'severity'?"),
])
def test_bad_change_config_is_refused_naming_the_key(project: Path, capsys: pytest.CaptureFixture,
                                                     line: str, message: str) -> None:
    edit(project, PROJECT, MARTS, line + "\n" + MARTS)
    outcome = build(project, capsys)
    assert outcome.code == 2, outcome.text
    assert message in outcome.text


# -- run.py diff -----------------------------------------------------------------------------------

def test_diff_between_two_builds_in_history(project: Path, capsys: pytest.CaptureFixture) -> None:
    first = json.loads((project / "target" / "run_results.json").read_text())["metadata"]["build_id"]
    edit(project, SEED, "2,bread,2.25,bakery", "2,bread,2.45,bakery")
    assert build(project, capsys).code == 0
    second = json.loads((project / "target" / "run_results.json").read_text())["metadata"]["build_id"]
    with (project / SEED).open("a") as seed:
        seed.write("6,figs,5.00,fruit\n")
    assert build(project, capsys).code == 0

    outcome = cli_inprocess(project, "diff", "--from", first, "--to", second, "--format", "json", capsys=capsys)
    assert outcome.code == 0, outcome.text
    report = {c["name"]: c for c in json.loads(outcome.out)["changes"]}
    assert (report["mart_items"]["rows"]["added"], report["mart_items"]["rows"]["changed"]) == (0, 1)

    outcome = cli_inprocess(project, "diff", "--from", second, "--format", "table", capsys=capsys)   # to: published
    assert outcome.code == 0, outcome.text
    assert outcome.out.splitlines()[0].startswith(f"build {second} -> build ")
    assert "4 of 4 model(s) changed" in outcome.out      # figs: a row in items, the mart, prices, a fruit count

    outcome = cli_inprocess(project, "diff", "--from", first, "--format", "markdown", capsys=capsys)
    assert "| `mart_items` | +1 row, 1 changed (price) | 5 | 6 |" in outcome.out
    assert "| item_id=2 | `price` | 2.25 | 2.45 |" in outcome.out

    outcome = cli_inprocess(project, "diff", "--from", "nosuchbuild", capsys=capsys)
    assert outcome.code == 2 and "'nosuchbuild' is not a build kept in history" in outcome.text


def test_diff_of_the_development_database(project: Path, capsys: pytest.CaptureFixture) -> None:
    before = digest(project / "warehouse.duckdb")
    edit(project, SEED, "3,cheese,7.00,dairy", "3,cheese,7.50,dairy")
    assert cli_inprocess(project, "seed", capsys=capsys).code == 0
    assert cli_inprocess(project, "run", "-s", "mart_items", capsys=capsys).code == 0
    outcome = cli_inprocess(project, "diff", "-s", "mart_items", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert outcome.out.splitlines()[0] == "published warehouse -> development database"
    assert "1 of 1 model(s) changed" in outcome.out
    assert digest(project / "warehouse.duckdb") == before
