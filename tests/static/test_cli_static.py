"""Static checks, lineage and transpiling through the real CLI, on copies of the mini project.

Every static error kind is reported by `compile` and by `build` with the model's file, line and
column, and exit code 2; a build stopped by the static check publishes nothing; `static_check:
false` turns the check off for one model; `lineage` prints the tree down to seed columns;
`compile --dialect spark` writes transpiled SQL and says what may not carry over.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
import sqlglot

from tests.conftest import cli, cli_inprocess, copy_fixture

# kind, file, SQL, line, column, a phrase of the message, the hint
ERROR_KINDS = [
    pytest.param("unknown_table", "models/staging/stg_bad.sql", "select customer_id\nfrom raw.custmers\n",
                 2, 10, "unknown table 'raw.custmers'", "did you mean 'raw.customers'?", id="unknown_table"),
    pytest.param("unknown_column", "models/marts/fct_bad.sql",
                 "select customer_id,\n       customer_nme\nfrom {{ ref('stg_customers') }}\n",
                 2, 8, "column 'customer_nme' is not in any table", "did you mean 'customer_name'?", id="unknown_column"),
    pytest.param("ambiguous_column", "models/marts/fct_bad.sql",
                 "select c.customer_name,\n       customer_id\nfrom {{ ref('stg_customers') }} as c\n"
                 "join {{ ref('stg_orders') }} as o on c.customer_id = o.customer_id\n",
                 2, 8, "column 'customer_id' is ambiguous", "qualify it, e.g. c.customer_id", id="ambiguous_column"),
    pytest.param("select_star_in_mart", "models/marts/fct_bad.sql",
                 "-- every column of the customers\nselect *\nfrom {{ ref('stg_customers') }}\n",
                 2, 8, "SELECT * in a mart", "list the columns the mart exposes", id="select_star_in_mart"),
    pytest.param("parse_error", "models/staging/stg_bad.sql",
                 "select customer_id\nfrom {{ ref('customers') }}\nwhere\n",
                 3, 1, "sqlglot cannot parse the SQL near 'where'", None, id="parse_error"),
]


def write(project: Path, relative: str, text: str) -> None:
    path = project / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def published_state(project: Path) -> dict[str, str]:
    """Hash of every published file: the warehouse and the exports."""
    files = [project / "warehouse.duckdb", *sorted((project / "exports").rglob("*"))]
    return {str(f.relative_to(project)): hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.is_file()}


@pytest.fixture(scope="module")
def built_mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini project built and published once; tests take copies."""
    project = copy_fixture("mini", tmp_path_factory.mktemp("built") / "mini")
    outcome = cli(project, "build")
    assert outcome.code == 0, outcome.text
    return project


@pytest.fixture
def published(built_mini: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built_mini, tmp_path / "mini"))


# -- each error kind, from compile and from build --------------------------------------------------

@pytest.mark.parametrize("kind, relative, sql, line, column, phrase, hint", ERROR_KINDS)
def test_compile_reports_each_static_error_kind_at_its_file_and_line(mini, capsys, kind, relative, sql, line,
                                                                     column, phrase, hint):
    write(mini, relative, sql)
    outcome = cli_inprocess(mini, "compile", capsys=capsys)
    assert outcome.code == 2, outcome.text
    assert f"{relative}:{line}:{column}: static check ({kind}): {phrase}" in outcome.err
    if hint:
        assert f"hint: {hint}" in outcome.err
    assert outcome.err.count("static check (") == 1, "one mistake, one diagnostic"


@pytest.mark.parametrize("kind, relative, sql, line, column, phrase, hint", ERROR_KINDS)
def test_build_stops_at_the_static_check_and_publishes_nothing(published, kind, relative, sql, line, column,
                                                               phrase, hint):
    before = published_state(published)
    assert "warehouse.duckdb" in before and any(k.startswith("exports") for k in before)
    write(published, relative, sql)
    outcome = cli(published, "build")
    assert outcome.code == 2, outcome.text
    assert f"{relative}:{line}:{column}: static check ({kind}): {phrase}" in outcome.err
    assert "Nothing was published" in outcome.err
    assert published_state(published) == before
    results = json.loads((published / "target" / "run_results.json").read_text())
    assert results["status"] == "error"
    [failed] = [r for r in results["results"] if r["status"] == "error"]
    assert failed["details"]["stage"] == "static_check"
    assert [d["kind"] for d in failed["details"]["diagnostics"]] == [kind]
    assert not [r for r in results["results"] if r["resource_type"] == "model" and r["status"] == "success"], \
        "no model may run after a failed static check"


def test_error_in_an_ephemeral_model_is_located_in_its_own_file(mini, capsys):
    write(mini, "models/intermediate/int_orders_paid.sql",
          "select order_id, customer_id, amount_cent as amount_cents, status\n"
          "from {{ ref('stg_orders') }} where status = 'paid'\n")
    outcome = cli_inprocess(mini, "compile", capsys=capsys)
    assert outcome.code == 2, outcome.text
    assert "models/intermediate/int_orders_paid.sql:1:31: static check (unknown_column)" in outcome.err


# -- turning the check off ------------------------------------------------------------------------

BAD_MART = "select customer_id,\n       customer_nme\nfrom {{ ref('stg_customers') }}\n"


@pytest.mark.parametrize("how", ["sql_config", "properties_yaml", "folder_config"])
def test_static_check_false_skips_that_model_only(mini, capsys, how):
    if how == "sql_config":
        write(mini, "models/marts/fct_bad.sql", "{{ config(static_check=false) }}\n" + BAD_MART)
    else:
        write(mini, "models/marts/fct_bad.sql", BAD_MART)
    if how == "properties_yaml":
        with (mini / "models/marts/_marts__models.yml").open("a", encoding="utf-8") as yml:
            yml.write("  - name: fct_bad\n    config:\n      static_check: false\n")
    if how == "folder_config":
        config = (mini / "dbt_project.yml").read_text(encoding="utf-8")
        write(mini, "dbt_project.yml", config.replace("      +tags: [marts]\n", "      +tags: [marts]\n      +static_check: false\n"))
    assert cli_inprocess(mini, "compile", capsys=capsys).code == 0

    write(mini, "models/staging/stg_bad.sql", "select customer_id\nfrom raw.custmers\n")   # still checked
    outcome = cli_inprocess(mini, "compile", capsys=capsys)
    assert outcome.code == 2
    assert "models/staging/stg_bad.sql:2:10: static check (unknown_table)" in outcome.err
    assert "fct_bad" not in outcome.err


def test_no_static_check_flag_skips_every_model(mini, capsys):
    write(mini, "models/marts/fct_bad.sql", BAD_MART)
    assert cli_inprocess(mini, "compile", "--no-static-check", capsys=capsys).code == 0


# -- lineage ---------------------------------------------------------------------------------------

def test_lineage_prints_the_tree_down_to_the_seed_column(mini):
    outcome = cli(mini, "lineage", "fct_customer_totals.paid_cents")
    assert outcome.code == 0, outcome.text
    assert outcome.out.strip() == (
        "fct_customer_totals.paid_cents\n"
        "└── stg_orders.amount_cents\n"
        "    └── orders.amount (relation)"
    )
    assert not (mini / "warehouse.duckdb").exists(), "lineage must not build anything"


def test_lineage_json(mini, capsys):
    outcome = cli_inprocess(mini, "lineage", "fct_customer_totals.paid_cents", "--format", "json", capsys=capsys)
    assert outcome.code == 0, outcome.text
    tree = json.loads(outcome.out)
    assert (tree["name"], tree["kind"]) == ("fct_customer_totals.paid_cents", "model")
    [staging] = tree["upstream"]
    assert (staging["node"], staging["column"], staging["kind"]) == ("stg_orders", "amount_cents", "model")
    assert staging["upstream"] == [{"name": "orders.amount", "node": "orders", "column": "amount",
                                    "kind": "relation", "upstream": []}]


def test_lineage_through_a_join_on_a_published_project(published, capsys):
    outcome = cli_inprocess(published, "lineage", "fct_customer_totals.country_code", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert outcome.out.strip().splitlines() == [
        "fct_customer_totals.country_code",
        "└── stg_customers.country_code",
        "    └── customers.country (relation)",
    ]


@pytest.mark.parametrize("target, message, hint", [
    ("fct_customer_totals.paid_cent", "model 'fct_customer_totals' has no column 'paid_cent'", "did you mean 'paid_cents'?"),
    ("fct_customer_total.paid_cents", "unknown model 'fct_customer_total'", "did you mean 'fct_customer_totals'?"),
    ("fct_customer_totals", "expected model.column", None),
])
def test_lineage_of_an_unknown_column_is_a_usage_error(mini, capsys, target, message, hint):
    outcome = cli_inprocess(mini, "lineage", target, capsys=capsys)
    assert outcome.code == 2
    assert message in outcome.err
    if hint:
        assert f"hint: {hint}" in outcome.err


# -- transpiling -----------------------------------------------------------------------------------

TRICKY = """\
select
    customer_id,
    list(order_id order by amount_cents)[1] as first_order,
    strip_accents(max(status)) as last_status,
    row_number() over (partition by customer_id order by customer_id) as rn
from {{ ref('stg_orders') }}
group by customer_id
qualify rn = 1
"""


def test_compile_dialect_spark_writes_transpiled_sql_and_reports_what_may_not_carry_over(mini, capsys):
    write(mini, "models/marts/fct_tricky.sql", TRICKY)
    outcome = cli_inprocess(mini, "compile", "--dialect", "spark", capsys=capsys)
    assert outcome.code == 0, outcome.text
    out = mini / "target" / "transpiled" / "spark"
    written = {p.stem for p in out.glob("*.sql")}
    # ephemeral int_orders_paid is inlined into its readers, so it has no file of its own
    assert written == {"stg_customers", "stg_orders", "fct_customer_totals", "fct_orders_log", "fct_tricky"}
    for path in out.glob("*.sql"):
        sqlglot.parse_one(path.read_text(encoding="utf-8"), dialect="spark")
    assert "`staging`.`stg_orders`" in (out / "fct_tricky.sql").read_text() or \
        "staging.stg_orders" in (out / "fct_tricky.sql").read_text()
    report = outcome.text
    assert "fct_tricky: ORDER BY inside an aggregate (e.g. list(x ORDER BY y)) was dropped for spark" in report
    assert "fct_tricky: QUALIFY was rewritten as a filtering subquery for spark" in report
    assert "fct_tricky: function strip_accents() is unknown to sqlglot and was copied unchanged" in report
    assert "stg_customers:" not in report and "fct_customer_totals:" not in report, "clean models are not reported"
    assert "COLLECT_LIST" in (out / "fct_tricky.sql").read_text()


def test_compile_dialect_reports_a_model_that_does_not_transpile(mini, capsys):
    write(mini, "models/staging/stg_bad.sql", "select customer_id,\n  (customer_id\nfrom {{ ref('customers') }}\n")
    outcome = cli_inprocess(mini, "compile", "--dialect", "spark", "--no-static-check", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert "stg_bad: cannot parse (compiled SQL line 3) near 'from'" in outcome.text
    assert (mini / "target" / "transpiled" / "spark" / "stg_customers.sql").stat().st_size > 0


def test_a_model_that_does_not_transpile_leaves_no_empty_file(mini, capsys):
    write(mini, "models/staging/stg_bad.sql", "select customer_id,\n  (customer_id\nfrom {{ ref('customers') }}\n")
    path = mini / "target" / "transpiled" / "spark" / "stg_bad.sql"
    path.parent.mkdir(parents=True)
    path.write_text("select 'stale SQL from an earlier compile'\n")     # must not survive this one
    outcome = cli_inprocess(mini, "compile", "--dialect", "spark", "--no-static-check", capsys=capsys)
    assert "stg_bad:" in outcome.text                   # the problem is reported...
    assert not path.exists()                            # ...and no file, empty or stale, is left
    assert (path.parent / "stg_customers.sql").read_text().strip()    # the others were written


def test_compile_unknown_dialect_is_a_usage_error(mini, capsys):
    outcome = cli_inprocess(mini, "compile", "--dialect", "sparkk", capsys=capsys)
    assert outcome.code == 2
    assert "Unknown dialect 'sparkk'" in outcome.err
