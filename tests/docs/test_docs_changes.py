"""The docs site's "What changed" page and each model's recent changes, from `_warehouse_changes`."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import cli_inprocess, copy_fixture
from tests.docs.test_docs_site import site_data
from tests.docs.test_docs_site import tab as tab  # noqa: F401 - the browser tab fixture


@pytest.fixture
def changed_site(tmp_path: Path, capsys: pytest.CaptureFixture) -> Path:
    """The `changes` fixture published twice, the second time with one price changed; then docs."""
    project = copy_fixture("changes", tmp_path / "changes")
    assert cli_inprocess(project, "build", capsys=capsys).code == 0
    seed = project / "seeds" / "items.csv"
    seed.write_text(seed.read_text().replace("2,bread,2.25,bakery", "2,bread,2.45,bakery"))
    assert cli_inprocess(project, "build", capsys=capsys).code == 0
    assert cli_inprocess(project, "docs", capsys=capsys).code == 0
    return project / "target" / "docs" / "index.html"


def test_site_data_holds_each_build_and_its_changes(changed_site: Path) -> None:
    builds = site_data(changed_site)["changes"]
    assert len(builds) == 2                                   # the first build (all new) and the price change
    latest = {c["name"]: c for c in builds[0]["changes"]}
    assert set(latest) == {"items", "mart_items", "work_prices"}
    assert latest["mart_items"]["summary"] == "mart_items: 1 changed (price)"
    assert {c["status"] for c in builds[1]["changes"]} == {"new"}


def test_what_changed_page_and_model_page_in_a_browser(changed_site: Path, tab) -> None:
    build = site_data(changed_site)["changes"][0]["build_id"]
    tab.open(changed_site.as_uri() + "#/changes")
    page = tab.page
    card = page.locator(".change[data-model=mart_items]").first
    assert "mart_items: 1 changed (price)" in card.inner_text()
    assert "2.25" in card.inner_text() and "2.45" in card.inner_text()
    tab.open(changed_site.as_uri() + "#/node/model.changes.mart_items")
    rows = page.locator("#node-changes tr").all_inner_texts()
    assert any(build in r and "1 changed (price)" in r for r in rows), rows
    tab.check_clean()
