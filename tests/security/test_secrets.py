"""Values of secret environment variables (dbt's DBT_ENV_SECRET_ prefix) appear in no file we
write: not in target/, the docs site, the published warehouse (its _warehouse_manifest), exports,
logs or run_results. Checked by grepping every file of the project after build, compile and docs."""
from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import cli

SECRET = "s3cr3t-Token-4417"


def _files_containing(root: Path, needle: bytes) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink() and needle in path.read_bytes():
            found.append(str(path.relative_to(root)))
    return found


def test_secret_env_values_are_masked_in_everything_written(published: Path) -> None:
    env = {"DBT_ENV_SECRET_API_TOKEN": SECRET}
    model = published / "models" / "marts" / "fct_with_meta.sql"
    model.write_text("{{ config(materialized='table', meta={'token': env_var('DBT_ENV_SECRET_API_TOKEN')}) }}\n"
                     "-- fetched with {{ env_var('DBT_ENV_SECRET_API_TOKEN') }}\n"
                     "select 1 as x\n")
    (published / "logs").mkdir()
    build = cli(published, "build", "--log-format", "json", env=env)
    assert build.code == 0, build.text
    (published / "logs" / "build.jsonl").write_text(build.out + build.err)
    for command in (("compile",), ("docs",), ("ls", "--output", "json")):
        outcome = cli(published, *command, env=env)
        assert outcome.code == 0, outcome.text
        assert SECRET not in outcome.text
    # A failing build writes its messages too.
    model.write_text(model.read_text().replace("select 1 as x", "select {{ env_var('DBT_ENV_SECRET_API_TOKEN') }} as x"))
    failed = cli(published, "build", env=env)
    assert failed.code == 2 and SECRET not in failed.text, failed.text
    assert "*****" in (published / "target" / "compiled" / "models" / "marts" / "fct_with_meta.sql").read_text()
    assert _files_containing(published, SECRET.encode()) == []
    manifest = cli(published, "query", "select manifest from _warehouse_manifest", "--format", "csv")
    assert "*****" in manifest.out and SECRET not in manifest.out


def test_masking_does_not_touch_ordinary_env_vars(published: Path) -> None:
    (published / "models" / "marts" / "fct_env.sql").write_text(
        "select '{{ env_var('REGION_NAME') }}' as region\n")
    outcome = cli(published, "build", env={"REGION_NAME": "EMRO"})
    assert outcome.code == 0, outcome.text
    assert "EMRO" in cli(published, "query", "select region from fct_env").out
    assert os.environ.get("DBT_ENV_SECRET_API_TOKEN") is None
