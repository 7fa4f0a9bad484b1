"""Unofficial English renderings of EB152/34's actions: one per action, labelled, figures kept."""
from pathlib import Path

import pytest

import eb152_34_translations
import seedio

ROOT = Path(__file__).resolve().parents[2]
LINES = (ROOT / "sources" / "002_9d0e41a0e7538786.txt").read_text(encoding="utf-8").split("\n")


def test_committed_seed_is_what_the_script_writes():
    assert seedio.stale_outputs(eb152_34_translations.main) == []


def test_every_action_has_one_rendering_labelled_unofficial():
    rows = eb152_34_translations.rows(ROOT / "sources")
    assert len(rows) == 98 == len({r["action_id"] for r in rows})     # paragraph 7 (line 44): 98 actions
    assert {r["translation_status"] for r in rows} == {"unofficial translation"}
    assert all(r["action_en"].strip() for r in rows)


@pytest.mark.parametrize("action_id, line_no, printed, english", [
    ("EB152-A1-055", 267, "69.3", "score 69.3"),                      # ATI score as printed
    ("EB152-A2-014", 314, "JIU/REP/2020/1", "JIU/REP/2020/1"),       # symbols survive translation
    ("EB152-A1-020", 188, "2024-2025", "2024-2025"),
])
def test_printed_figures_and_symbols_reappear_in_the_rendering(action_id, line_no, printed, english):
    assert printed in LINES[line_no - 1]
    rows = {r["action_id"]: r["action_en"] for r in eb152_34_translations.rows(ROOT / "sources")}
    assert english in rows[action_id]


def test_a_rendering_that_drops_a_printed_figure_stops_the_script(monkeypatch):
    monkeypatch.setitem(eb152_34_translations.EN, "A1-055", "Improve WHO's ATI score")
    with pytest.raises(ValueError, match="'69.3' is printed in the action but missing"):
        eb152_34_translations.rows(ROOT / "sources")
