"""Fixtures of the nightly-safety suite.

Every test works on its own copy of the `mini` fixture. A good build is made once per
session (`published_template`) and copied, so each test starts from a published warehouse
without paying for a build.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import cli, copy_fixture
from tests.nightly._support import leftovers


@pytest.fixture(scope="session")
def published_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """mini, built and published once (never modified: tests copy it)."""
    project = copy_fixture("mini", tmp_path_factory.mktemp("template") / "mini")
    outcome = cli(project, "build")
    assert outcome.code == 0, outcome.text
    assert not leftovers(project)
    return project


@pytest.fixture
def published(published_template: Path, tmp_path: Path) -> Path:
    """A private copy of a published mini build (database, exports, state folder and all)."""
    return Path(shutil.copytree(published_template, tmp_path / "mini", symlinks=True))
