"""The bad-input corpus (tests/fixtures/bad_input/): each corruption of a published project makes
the build fail with the right exit code and a message naming the file (and line, column or
model), and leaves the published warehouse and exports byte-identical."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, cli
from tests.nightly._support import snapshot

CORPUS = FIXTURES / "bad_input"


def _cases() -> list:
    cases = []
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        expect = json.loads((folder / "expect.json").read_text())
        marks = [pytest.mark.xfail(strict=True, reason=expect["xfail"])] if expect.get("xfail") else []
        cases.append(pytest.param(folder, expect, id=folder.name, marks=marks))
    return cases


def test_corpus_is_complete() -> None:
    names = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert {"ragged_row", "bad_quoting", "latin1_encoding", "missing_column", "extra_column", "wrong_type",
            "duplicate_keys", "empty_file", "broken_sql", "jinja_error", "missing_ref", "cycle",
            "unknown_config_key", "invalid_suite"} <= names
    assert b"\xeb" in (CORPUS / "latin1_encoding" / "files" / "seeds" / "customers.csv").read_bytes()


@pytest.mark.parametrize("folder, expect", _cases())
def test_bad_input_fails_cleanly_and_publishes_nothing(published: Path, folder: Path, expect: dict) -> None:
    before = snapshot(published)
    shutil.copytree(folder / "files", published, dirs_exist_ok=True)
    outcome = cli(published, "build", *expect.get("args", []))
    assert outcome.code == expect["exit"], outcome.text
    missing = [m for m in expect["messages"] if m not in outcome.text]
    assert not missing, f"not in the output: {missing}\n{outcome.text}"
    assert snapshot(published) == before
    state = published / ".warehouse"
    assert not (state / "publish-journal.json").exists() and not (state / "build.lock").exists()
