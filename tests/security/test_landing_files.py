"""Landing (and seed) files must be regular files inside their folder: no symbolic links, no FIFOs."""
from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import cli
from tests.nightly._support import snapshot


def test_symlinked_landing_file_is_refused(published: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("who,what\nroot,hunter2\n")
    (published / "landing").mkdir(exist_ok=True)
    os.symlink(secret, published / "landing" / "leak.csv")
    before = snapshot(published)
    outcome = cli(published, "build")
    assert outcome.code == 2, outcome.text
    assert "landing/leak.csv" in outcome.text and "symbolic link" in outcome.text
    assert snapshot(published) == before
    assert b"hunter2" not in (published / "warehouse.duckdb").read_bytes()


def test_fifo_in_landing_fails_at_once_instead_of_hanging(published: Path) -> None:
    (published / "landing").mkdir(exist_ok=True)
    os.mkfifo(published / "landing" / "pipe.csv")
    before = snapshot(published)
    outcome = cli(published, "build", timeout=120)
    assert outcome.code == 2, outcome.text
    assert "landing/pipe.csv" in outcome.text and "FIFO" in outcome.text
    assert snapshot(published) == before
    assert not (published / ".warehouse" / "build.lock").exists()


def test_symlinked_seed_is_refused_too(published: Path) -> None:
    os.symlink("/etc/passwd", published / "seeds" / "passwd.csv")
    outcome = cli(published, "build")
    assert outcome.code == 2 and "seeds/passwd.csv" in outcome.text and "symbolic link" in outcome.text, outcome.text


def _landing_model(project: Path) -> None:
    (project / "landing").mkdir(exist_ok=True)
    (project / "models" / "marts" / "fct_visits.sql").write_text(
        "select id, day from {{ source('landing', 'visits') }}\n")


def test_new_landing_table_compiles_before_any_build_published_it(published: Path) -> None:
    _landing_model(published)
    (published / "landing" / "visits.csv").write_text("id,day\n1,2024-01-02\n")
    outcome = cli(published, "compile")
    assert outcome.code == 0, outcome.text
    assert cli(published, "build").code == 0


def test_landing_column_types_are_declared_in_yaml_and_a_bad_value_names_file_and_line(published: Path) -> None:
    _landing_model(published)
    (published / "landing" / "visits.csv").write_text("id,day\n1,2024-01-02\n2,2024-13-45\n")
    (published / "models" / "marts" / "_landing.yml").write_text(
        "version: 2\nsources:\n  - name: landing\n    tables:\n      - name: visits\n        columns:\n"
        "          - name: id\n            data_type: integer\n          - name: day\n            data_type: date\n")
    before = snapshot(published)
    outcome = cli(published, "build")
    assert outcome.code == 2, outcome.text
    assert "landing/visits.csv:3" in outcome.text and "2024-13-45" in outcome.text
    assert snapshot(published) == before


def test_missing_landing_file_is_named(published: Path) -> None:
    _landing_model(published)
    (published / "models" / "marts" / "_landing.yml").write_text(
        "version: 2\nsources:\n  - name: landing\n    tables:\n      - name: visits\n")
    outcome = cli(published, "build")
    assert outcome.code == 2, outcome.text
    assert "models/marts/fct_visits.sql:1" in outcome.text
    assert "no landing file visits.csv, visits.parquet or visits.xlsx in landing" in outcome.text
