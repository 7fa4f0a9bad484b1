"""The docs site in a real headless browser: `run.py docs` on the built reform project, opened from file://.

The browser fixture (conftest.py) installs Debian's Chromium and Playwright when missing, or
skips with the reason. The tests without a browser check the command and the embedded data.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import cli, cli_inprocess

DATA_BLOCK = re.compile(r'<script id="warehouse-docs-data" type="application/json">(.*?)</script>', re.S)
VIEWPORT = {"width": 1400, "height": 900}


def site_data(index: Path) -> dict:
    return json.loads(DATA_BLOCK.search(index.read_text(encoding="utf-8")).group(1))


@pytest.fixture(scope="module")
def site(reform_built: Path) -> Path:
    outcome = cli(reform_built, "docs")
    assert outcome.code == 0, outcome.text
    index = reform_built / "target" / "docs" / "index.html"
    assert f"wrote {index}" in outcome.text
    return index


@pytest.fixture(scope="module")
def manifest(reform_built: Path) -> dict:
    return json.loads((reform_built / "target" / "manifest.json").read_text(encoding="utf-8"))


@dataclass
class Tab:
    """A page plus everything it complained about or asked the network for."""

    page: object
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector("body[data-ready=true]")

    def check_clean(self) -> None:
        assert self.errors == []
        offsite = [u for u in self.requests if not u.startswith(("file://", "data:", "blob:"))]
        assert offsite == [], "the site must work offline: it fetched " + ", ".join(offsite)


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    tab = Tab(page)
    page.on("console", lambda m: tab.errors.append(f"console.{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: tab.errors.append(f"uncaught: {e}"))
    page.on("request", lambda r: tab.requests.append(r.url))
    yield tab
    context.close()


# -- without a browser -----------------------------------------------------------------------------

def test_docs_writes_one_index_with_embedded_data_and_vendored_assets(site: Path, manifest: dict):
    docs = site.parent
    for name in ("app.js", "style.css", "vendor/cytoscape.min.js", "vendor/chart.umd.min.js",
                 "vendor/cytoscape.LICENSE", "vendor/chart.js.LICENSE.md"):
        assert (docs / name).stat().st_size > 0, name
    html = site.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']https?:""", html), "assets must be local"
    data = site_data(site)
    documented = {u for u, n in {**manifest["nodes"], **manifest["sources"]}.items()
                  if n["resource_type"] in ("model", "seed", "source")}
    assert {n["unique_id"] for n in data["nodes"]} == documented
    tests = {u for u, n in manifest["nodes"].items() if n["resource_type"] == "test"}
    assert set(data["tests"]) == tests
    assert all(t["result"] for t in data["tests"].values()), "every test has its result from run_results.json"
    assert {c["id"]: "skipped" in c for c in data["charts"]} == {"completion": False, "budget": False,
                                                                 "deadlines": False}
    assert data["lineage"]["mart_completion_rates"]["completion_rate"] == ["fct_reform_actions.is_completed"]


def test_embedded_json_cannot_close_its_script_tag():
    from warehouse.docs.site import embed_json

    text = embed_json({"description": "</script><script>alert(1)</script> <!-- & -->"})
    assert "<" not in text and ">" not in text
    assert json.loads(text)["description"].startswith("</script>")


def test_docs_without_a_published_warehouse_skips_the_charts_with_a_note(mini: Path, capsys):
    outcome = cli_inprocess(mini, "docs", capsys=capsys)
    assert outcome.code == 0, outcome.text
    data = site_data(mini / "target" / "docs" / "index.html")
    assert all("has not been published yet" in c["skipped"] for c in data["charts"])
    assert not (mini / "warehouse.duckdb").exists(), "docs must not create the warehouse"
    totals = next(n for n in data["nodes"] if n["name"] == "fct_customer_totals")
    assert [c["name"] for c in totals["columns"]] == ["customer_id", "customer_name", "country_code",
                                                       "paid_cents", "paid_orders"]  # from static analysis


def test_chart_figures_agree_with_the_marts(site: Path, reform_db):
    charts = {c["id"]: c["data"] for c in site_data(site)["charts"]}
    rates = {(r[0], r[1]): r[2:] for r in reform_db.execute(
        "select plan_code, coalesce(category_en, '(plan)'), actions, completed from mart_completion_rates").fetchall()}
    for plan in charts["completion"]["plans"]:
        assert (plan["actions"], plan["completed"]) == rates[(plan["plan_code"], "(plan)")]
        for c in plan["categories"]:
            assert (c["actions"], c["completed"]) == rates[(plan["plan_code"], c["category"])]
    # one-off amounts only, never added to other cost bases: the same total as mart_budget_totals
    low, high = reform_db.execute("select sum(cost_low_usd), sum(cost_high_usd) from mart_budget_totals "
                                  "where cost_basis = 'one_off'").fetchone()
    cells = [v for c in charts["budget"]["categories"] for v in c["by_status"].values()]
    assert (sum(v["low"] for v in cells), sum(v["high"] for v in cells)) == (pytest.approx(low), pytest.approx(high))


def test_budget_and_deadline_charts_read_the_exposure_and_deadline_marts(site: Path, reform_db):
    charts = {c["id"]: c["data"] for c in site_data(site)["charts"]}
    budget = charts["budget"]
    assert budget["basis"] == "basis_not_stated"
    # counted, never added: 2 amounts per year (#36 and the PSEAH sub-heading), 1 per biennium, 1 per
    # visit, and every Annex 1 action without a figure (mart_budget_exposure.actions_without_amount)
    without = reform_db.execute("select sum(actions_without_amount) from mart_budget_exposure").fetchone()[0]
    assert budget["left_out"] == {"per_year": 2, "per_biennium": 1, "per_visit": 1, "no_figure": without}
    deadlines = {p["plan_code"]: p for p in charts["deadlines"]["plans"]}
    expected = dict(reform_db.execute(
        "select plan_code || ' ' || coalesce(cast(due_year as varchar), '-'), count(*) from mart_action_deadlines "
        "group by 1").fetchall())
    for plan in deadlines.values():
        got = {f"{plan['plan_code']} {c['category'].split()[1] if c['category'] != 'no due date' else '-'}": c["actions"]
               for c in plan["categories"]}
        assert got == {k: v for k, v in expected.items() if k.startswith(plan["plan_code"] + " ")}
    eb152 = {c["category"]: (c["actions"], c["completed"]) for c in deadlines["EB152/34"]["categories"]}
    assert eb152 == {"due 2023": (23, 0), "due 2024": (17, 0), "due 2025 or later": (15, 0), "no due date": (43, 38)}


def test_a_chart_whose_mart_is_missing_is_skipped_with_the_reason(reform_built: Path):
    from warehouse.docs.charts import load_declarations
    from warehouse.engine.duckdb_engine import DuckDBEngine
    from warehouse.project.loader import load_project

    project = load_project(reform_built)
    engine = DuckDBEngine()   # an empty warehouse: none of the marts exist
    try:
        charts = [chart.build(project, engine) for chart in load_declarations(reform_built).charts]
    finally:
        engine.close()
    completion = charts[0]["skipped"]
    assert "mart_completion_rates is not in the published warehouse" in completion
    assert "fct_reform_actions is not in the published warehouse" in completion


# -- in the browser --------------------------------------------------------------------------------

def test_overview_loads_offline_without_console_errors(tab: Tab, site: Path):
    tab.open(site.as_uri())
    assert tab.page.locator("h1").first.inner_text() == "reform_warehouse"
    assert "SUCCESS" in tab.page.locator("#run-status").inner_text().upper()
    tab.check_clean()


def test_model_list_shows_every_model_of_the_manifest(tab: Tab, site: Path, manifest: dict):
    tab.open(site.as_uri())
    listed = set(tab.page.locator("#model-list li[data-type=model]").evaluate_all("els => els.map(e => e.dataset.uid)"))
    models = {u for u, n in manifest["nodes"].items() if n["resource_type"] == "model"}
    assert listed == models
    seeds = {u for u, n in manifest["nodes"].items() if n["resource_type"] == "seed"}
    assert set(tab.page.locator("#model-list li[data-type=seed]").evaluate_all("els => els.map(e => e.dataset.uid)")) == seeds
    tab.page.fill("#search", "completion_rate")   # filters by column name too
    visible = tab.page.locator("#model-list li:visible").evaluate_all("els => els.map(e => e.dataset.uid)")
    assert "model.reform_warehouse.mart_completion_rates" in visible and "model.reform_warehouse.dim_plan" not in visible
    tab.check_clean()


def test_clicking_a_model_shows_its_columns_types_and_tests(tab: Tab, site: Path, manifest: dict):
    tab.open(site.as_uri())
    tab.page.click("#model-list li[data-uid='model.reform_warehouse.fct_reform_actions'] a")
    tab.page.wait_for_selector("#columns")
    assert tab.page.locator("#content h1").inner_text().strip() == "fct_reform_actions"
    rows = tab.page.locator("#columns tbody tr")
    shown = rows.evaluate_all("rows => rows.map(r => [r.dataset.column, r.cells[1].innerText.trim()])")
    built = [[c["name"], c["type"]] for c in manifest["nodes"]["model.reform_warehouse.fct_reform_actions"]["built_columns"]]
    assert shown[:len(built)] == built
    assert "model.reform_warehouse.int_reform_actions__unioned" in tab.page.locator("a.node-link").evaluate_all(
        "els => els.map(e => decodeURIComponent(e.hash.split('/')[2]))")
    compiled = tab.page.locator("#compiled-sql pre.sql").inner_text()
    assert "int_reform_actions__unioned" in compiled and "{{" not in compiled
    tab.check_clean()


def test_a_column_with_tests_shows_them_with_their_result(tab: Tab, site: Path, manifest: dict):
    tested = next(n for n in manifest["nodes"].values()
                  if n["resource_type"] == "test" and (n["test_metadata"] or {}).get("column")
                  and n["test_metadata"]["attached_to"].startswith("model."))
    uid, column = tested["test_metadata"]["attached_to"], tested["test_metadata"]["column"]
    tab.open(f"{site.as_uri()}#/node/{uid}/{column}")
    row = tab.page.locator(f"#columns tr[data-column='{column}']")
    assert "highlight" in row.get_attribute("class")
    assert tested["test_metadata"]["test_name"] in row.locator(".chip").all_inner_texts()
    assert tab.page.locator(f"#node-tests tr[data-test='{tested['unique_id']}'] .badge").inner_text().lower() == "pass"
    tab.check_clean()


def test_expectation_suites_show_on_the_models_they_check(tab: Tab, site: Path):
    data = site_data(site)
    if not data["suites"]:
        pytest.skip("this copy of the reform project has no data_checks/ suites")
    uids = {n["name"]: n["unique_id"] for n in data["nodes"]}
    bound = next(s for s in data["suites"] if s["model"] in uids)
    on_query = next((s for s in data["suites"] if not s["model"] and set(s["reads"]) & set(uids)), None)
    for suite, name in [(bound, bound["model"])] + ([(on_query, on_query["reads"][0])] if on_query else []):
        tab.open(f"{site.as_uri()}#/node/{uids[name]}")
        block = tab.page.locator(f".suite[data-suite='{suite['suite']}']")
        assert block.count() == 1, suite["suite"]
        expected = "not run" if suite["success"] is None else "pass" if suite["success"] else "fail"
        assert block.locator("h3 .badge").inner_text().lower() == expected
        assert block.locator("tbody tr").count() == len(suite["expectations"])
    tab.check_clean()


def _leaves(tree: dict) -> set[str]:
    return {tree["name"]} if not tree["upstream"] else set().union(*(_leaves(u) for u in tree["upstream"]))


@pytest.mark.parametrize("target", ["mart_completion_rates.completion_rate", "fct_reform_actions.status"])
def test_lineage_of_a_mart_column_shows_the_seed_columns_of_the_lineage_command(tab: Tab, site: Path, reform_built: Path,
                                                                              target: str):
    outcome = cli(reform_built, "lineage", target, "--format", "json")
    assert outcome.code == 0, outcome.text
    expected = _leaves(json.loads(outcome.out))
    assert "eb152_actions.status_raw" in expected
    model, column = target.split(".")
    tab.open(f"{site.as_uri()}#/lineage/{model}/{column}")
    tab.page.wait_for_selector("#lineage-tree")
    shown = tab.page.locator("#lineage-sources li").evaluate_all("els => els.map(e => e.dataset.name)")
    assert set(shown) == expected
    assert tab.page.locator(f"#lineage-tree li[data-name='{target}']").count() == 1
    assert tab.page.locator("#lineage-model").input_value() == model
    tab.check_clean()


def test_clicking_a_lineage_node_navigates_to_its_model(tab: Tab, site: Path):
    tab.open(f"{site.as_uri()}#/lineage/mart_completion_rates/completion_rate")
    tab.page.wait_for_function("document.getElementById('lineage-graph') && document.getElementById('lineage-graph').cy")
    _click_graph_node(tab, "lineage-graph", "eb152_actions.status_raw")
    tab.page.wait_for_selector("#columns tr.highlight")
    assert tab.page.evaluate("location.hash") == "#/node/seed.reform_warehouse.eb152_actions/status_raw"
    assert tab.page.locator("#columns tr.highlight").get_attribute("data-column") == "status_raw"
    tab.page.go_back()
    tab.page.wait_for_selector("#lineage-tree")
    tab.page.click("#lineage-tree li[data-name='fct_reform_actions.is_completed'] > a.reroot")   # re-root the tree
    tab.page.wait_for_function("document.getElementById('lineage-column').value === 'is_completed'")
    assert "mart_completion_rates.completion_rate" in tab.page.locator("#lineage-used-by").inner_text()
    tab.check_clean()


def test_model_graph_draws_every_node_and_navigates_on_click(tab: Tab, site: Path, manifest: dict):
    tab.open(f"{site.as_uri()}#/graph")
    tab.page.wait_for_function("document.getElementById('graph') && document.getElementById('graph').cy")
    drawn = tab.page.evaluate("document.getElementById('graph').cy.nodes().map(n => n.id())")
    assert set(drawn) == {u for u, n in {**manifest["nodes"], **manifest["sources"]}.items()
                          if n["resource_type"] in ("model", "seed", "source")}
    assert tab.page.locator("#graph canvas").count() >= 1
    _click_graph_node(tab, "graph", "model.reform_warehouse.mart_budget_totals")
    tab.page.wait_for_selector("#columns")
    assert tab.page.locator("#content h1").inner_text().strip() == "mart_budget_totals"
    tab.check_clean()


def test_charts_render_on_canvas(tab: Tab, site: Path):
    tab.open(f"{site.as_uri()}#/charts")
    tab.page.wait_for_function("document.querySelectorAll('#charts canvas').length >= 3 && "
                               "[...document.querySelectorAll('#charts canvas')].every(c => Chart.getChart(c))")
    data = site_data(site)
    plans = data["charts"][0]["data"]["plans"]
    assert tab.page.locator("[data-chart=completion] canvas").count() == len(plans) == 2
    assert tab.page.locator("[data-chart=budget] canvas").count() == 1
    painted = tab.page.evaluate("""[...document.querySelectorAll('#charts canvas')].map(c => {
        const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < px.length; i += 4) if (px[i]) n++;
        return n / (c.width * c.height); })""")
    assert all(share > 0.02 for share in painted), painted
    labels = tab.page.evaluate("Chart.getChart(document.querySelector('[data-chart=completion] canvas')).data.labels.flat()")
    assert "Accountability" in " ".join(labels)
    assert tab.page.locator(".chart.skipped").count() == 0
    tab.check_clean()


def test_a_skipped_chart_shows_its_note(tab: Tab, site: Path, tmp_path: Path):
    from warehouse.docs.site import render

    data = site_data(site)
    data["charts"][1] = {"id": "budget", "title": "Budget", "skipped": "mart_budget_totals is not in the published warehouse"}
    index = render(data, tmp_path / "docs")
    tab.open(f"{index.as_uri()}#/charts")
    note = tab.page.locator("[data-chart=budget].skipped .note").inner_text()
    assert "mart_budget_totals is not in the published warehouse" in note
    assert tab.page.locator("[data-chart=completion] canvas").count() == 2
    tab.check_clean()


def _click_graph_node(tab: Tab, container: str, node_id: str) -> None:
    """A real mouse click on a Cytoscape node (it draws on canvas: there is no element to click)."""
    position = tab.page.evaluate(
        "([c, id]) => { const cy = document.getElementById(c).cy; const n = cy.getElementById(id);"
        " if (n.empty()) return null; cy.center(n); return n.renderedPosition(); }", [container, node_id])
    assert position, f"{node_id} is not in the graph"
    box = tab.page.locator(f"#{container}").bounding_box()
    tab.page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
