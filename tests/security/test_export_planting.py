"""Model SQL cannot plant files among the exports: the export staging folder is written only by
the engine's own export step, on a connection no project SQL ran on (issue 11: a model writes
nowhere but the staging database), and a file found there before that step is refused.

DuckDB 2.0 does not create the allowed folder itself, and a build starts without it, so SQL
alone needs the folder to exist first: here a Python model (trusted code with the build user's
rights) makes it, as any step creating it before the exports would."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import cli
from tests.nightly._support import snapshot


def _export_stage(project: Path) -> Path:
    """Where the build stages its exports (warehouse.publish.workspace.Workspace.export_stage)."""
    return project / ".warehouse" / "staging" / "exports"


def _partitioned_mart(project: Path) -> None:
    mart = project / "models" / "marts" / "fct_customer_totals.sql"
    mart.write_text("{{ config(partition_by='customer_id') }}\n" + mart.read_text())


def _python_model(project: Path, body: str) -> None:
    """py_prep: runs `body` (Python), returns one row; fct_planter refs it to run after it."""
    (project / "models" / "marts" / "py_prep.py").write_text(
        "def model(dbt, session):\n    import os\n" + body + "    return session.sql('select 1 as x')\n")


def _make_stage_folder(project: Path) -> None:
    _python_model(project, f"    os.makedirs({str(_export_stage(project))!r}, exist_ok=True)\n")


def _plant(project: Path) -> str:
    """SQL writing an extra partition (customer_id=999) into fct_customer_totals' staged export
    folder, which the export's overwrite_or_ignore leaves alone and publish swaps in whole."""
    return ("copy (select 999 as customer_id, 0 as paid_cents) to "
            f"'{_export_stage(project) / 'fct_customer_totals'}' "
            "(format parquet, partition_by (customer_id), overwrite_or_ignore true)")


def test_model_cannot_plant_a_partition_file_in_an_export(published: Path) -> None:
    _partitioned_mart(published)
    _make_stage_folder(published)
    (published / "models" / "marts" / "fct_planter.sql").write_text(
        "{{ config(materialized='table', static_check=false) }}\n"
        "select x from {{ ref('py_prep') }};\n" + _plant(published) + "\n")
    before = snapshot(published)
    outcome = cli(published, "build")
    assert outcome.code == 2, outcome.text
    assert "fct_planter" in outcome.text and "disabled by configuration" in outcome.text
    assert "Nothing was published" in outcome.text
    assert snapshot(published) == before
    assert not list((published / "exports").rglob("customer_id=999"))


def test_hook_cannot_plant_a_file_in_an_export(published: Path) -> None:
    """on-run-end hooks run after every model, just before the export step: same limits."""
    _partitioned_mart(published)
    _make_stage_folder(published)
    before = snapshot(published)
    project_file = published / "dbt_project.yml"
    project_file.write_text(project_file.read_text() + f"on-run-end:\n  - \"{_plant(published)}\"\n")
    outcome = cli(published, "build")
    assert outcome.code != 0, outcome.text
    assert "disabled by configuration" in outcome.text and "Nothing was published" in outcome.text
    assert snapshot(published) == before
    assert not list((published / "exports").rglob("customer_id=999"))


def test_a_file_in_the_export_staging_folder_before_the_exports_is_refused(published: Path) -> None:
    """Publish swaps in only what the export step wrote: the folder starts empty each build, so a
    file already there (here written by Python code, which has no SQL limits) stops the build."""
    _partitioned_mart(published)
    planted = _export_stage(published) / "fct_customer_totals" / "customer_id=999"
    _python_model(published, f"    os.makedirs({str(planted)!r})\n"
                             f"    open({str(planted / 'planted.parquet')!r}, 'w').write('x')\n")
    before = snapshot(published)
    outcome = cli(published, "build")
    assert outcome.code == 2, outcome.text
    assert "did not write" in outcome.text and "fct_customer_totals/customer_id=999" in outcome.text
    assert snapshot(published) == before
    assert not list((published / "exports").rglob("customer_id=999"))


def test_sql_cannot_create_the_export_staging_folder(published: Path) -> None:
    """Without the folder (the normal case), a model cannot make it either."""
    before = snapshot(published)
    (published / "models" / "marts" / "fct_planter.sql").write_text(
        "{{ config(materialized='table', static_check=false) }}\nselect 1 as x;\n"
        f"copy (select 1 as k, 2 as v) to '{_export_stage(published)}' (format parquet, partition_by (k))\n")
    outcome = cli(published, "build")
    assert outcome.code == 2, outcome.text
    assert "fct_planter" in outcome.text and "disabled by configuration" in outcome.text
    assert snapshot(published) == before


def test_partitioned_export_still_publishes(published: Path) -> None:
    """The export step keeps what it needs: it writes the staging folder on its own connection."""
    _partitioned_mart(published)
    outcome = cli(published, "build")
    assert outcome.code == 0, outcome.text
    folder = published / "exports" / "fct_customer_totals"
    assert folder.is_dir() and len(list(folder.rglob("*.parquet"))) == 3
