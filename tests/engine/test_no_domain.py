"""The engine knows no domain: no reform model, seed or programme name appears in warehouse/.

Reform data lives in models, seeds, macros, checks and project config (docs_site.yml declares
the docs site's charts). The names checked are read from the project itself, so a new mart is
covered without editing this test.
"""
from __future__ import annotations

import re

from tests.conftest import ROOT

PROGRAMMES = ("EB152", "UNOSSC", "CSU 2008", "CSU2008", "SO12", "MOSS")
SOURCE_SUFFIXES = (".py", ".js", ".html", ".css")


def project_names() -> set[str]:
    """Every model and seed name of the reform project (file stems under models/ and seeds/)."""
    names = {p.stem for p in (ROOT / "models").rglob("*.sql")}
    names |= {p.stem for p in (ROOT / "seeds").rglob("*.csv")}
    return {n for n in names if "_" in n}       # plain words ("countries") are not domain names


def mentions(text: str, names: set[str]) -> list[str]:
    found = [n for n in names if re.search(rf"\b{re.escape(n)}\b", text)]
    return found + [p for p in PROGRAMMES if re.search(rf"\b{re.escape(p)}", text, re.IGNORECASE)]


def test_warehouse_names_no_reform_model_seed_or_programme() -> None:
    names = project_names()
    assert {"mart_completion_rates", "fct_reform_actions"} <= names
    files = [p for p in (ROOT / "warehouse").rglob("*") if p.suffix in SOURCE_SUFFIXES and "vendor" not in p.parts]
    found = {str(p.relative_to(ROOT)): mentions(p.read_text(encoding="utf-8"), names) for p in files}
    assert {path: hits for path, hits in found.items() if hits} == {}


def test_the_check_finds_a_domain_name() -> None:
    assert mentions("charts = ['mart_completion_rates']  # EB152/34", project_names()) \
        == ["mart_completion_rates", "EB152"]
    assert mentions("a completion_rates_total helper", project_names()) == []
