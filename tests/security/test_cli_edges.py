"""Exit codes and messages at the CLI edge: `-q` summary, a closed pipe, disk full with its own
code naming stage and path, and a dependency cycle through 1,500 models."""
from __future__ import annotations

import errno
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, cli, cli_inprocess
from tests.nightly._support import add_customer, command, environment, snapshot
from warehouse.core.vocab import ExitCode


def test_quiet_build_still_prints_the_summary(published: Path) -> None:
    outcome = cli(published, "-q", "build")
    assert outcome.code == 0, outcome.text
    assert outcome.out.strip().startswith("done:") and "published" in outcome.out
    assert "SUCCESS" not in outcome.out          # the per-node lines are what -q leaves out


def _many_models(project: Path, count: int, cycle: bool = False) -> None:
    folder = project / "models" / "marts" / "generated"
    folder.mkdir(parents=True)
    for i in range(count):
        parent = f"gen_{i - 1:04d}" if i else ("gen_%04d" % (count - 1) if cycle else None)
        source = f"select * from {{{{ ref('{parent}') }}}}" if parent else "select 1 as x"
        (folder / f"gen_{i:04d}.sql").write_text(source + "\n")


def test_ls_into_a_closed_pipe_exits_0(published: Path) -> None:
    _many_models(published, 600)
    listing = subprocess.Popen(command(published, "ls", "--output", "json"), env=environment(), cwd=published,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert listing.stdout.readline()          # like `| head -1`: read one line, then close the pipe
    listing.stdout.close()
    err = listing.stderr.read().decode()
    assert listing.wait(timeout=120) == 0, err
    assert "Broken pipe" not in err and "Traceback" not in err


def test_cycle_through_1500_models_is_reported_not_a_recursion_error(published: Path) -> None:
    _many_models(published, 1500, cycle=True)
    outcome = cli(published, "compile")
    assert outcome.code == 2, outcome.text[-2000:]
    assert "dependency cycle:" in outcome.text and "RecursionError" not in outcome.text


def test_chain_of_1500_ephemeral_models_compiles_without_a_recursion_error(published: Path) -> None:
    folder = published / "models" / "chain"
    folder.mkdir()
    ephemeral = "{{ config(materialized='ephemeral') }}\n"
    (folder / "eph_0000.sql").write_text(ephemeral + "select customer_id from {{ ref('customers') }}\n")
    for i in range(1, 1500):
        (folder / f"eph_{i:04d}.sql").write_text(ephemeral + f"select customer_id from {{{{ ref('eph_{i - 1:04d}') }}}}\n")
    (folder / "chain_top.sql").write_text("select customer_id from {{ ref('eph_1499') }}\n")
    outcome = cli(published, "compile", "--select", "chain_top")
    assert outcome.code == 0, outcome.text[-2000:]
    compiled = (published / "target" / "compiled" / "models" / "chain" / "chain_top.sql").read_text()
    assert compiled.index("eph_0000") < compiled.index("eph_0001") < compiled.index("eph_1499 as (")


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device", "/srv/exports/fct_customer_totals.parquet")


def test_disk_full_while_publishing_exports_exits_5_and_restores(published: Path, monkeypatch, capsys) -> None:
    add_customer(published, 9200)
    before = snapshot(published)
    monkeypatch.setattr("warehouse.pipeline.export.publish_exports", _disk_full)
    outcome = cli_inprocess(published, "build", capsys=capsys)
    assert outcome.code == ExitCode.ENVIRONMENT == 5, outcome.text
    assert "disk full during publish writing /srv/exports/fct_customer_totals.parquet" in outcome.text
    assert "nothing was published" in outcome.text
    assert snapshot(published) == before


def test_disk_full_after_the_swap_says_it_was_published(published: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr("warehouse.publish.artifacts.write_run_results", _disk_full)
    outcome = cli_inprocess(published, "build", capsys=capsys)
    assert outcome.code == 5, outcome.text
    assert "disk full during writing target/ artifacts" in outcome.text
    assert "the build was published" in outcome.text


@pytest.mark.parametrize("document", ["README.md", "deploy/cron/reform-warehouse.cron", "docs/operations.md"])
def test_every_exit_code_is_documented(document: str) -> None:
    codes = sorted(int(c) for c in ExitCode)
    text = (ROOT / document).read_text()
    missing = [c for c in codes if not re.search(rf"(`{c}`|\b{c} [a-z(]|\| {c} \|)", text)]
    assert missing == [], f"{document} does not explain exit code(s) {missing}"


def test_selector_cycle_in_selectors_yml_is_named_not_a_recursion_error(published: Path) -> None:
    (published / "selectors.yml").write_text(
        "selectors:\n  - name: nightly\n    definition:\n      method: selector\n      value: marts_only\n"
        "  - name: marts_only\n    definition:\n      union:\n        - method: selector\n          value: nightly\n"
        "        - customers\n")
    outcome = cli(published, "ls", "--selector", "nightly")
    assert outcome.code == 2, outcome.text[-2000:]
    assert "selectors.yml:2" in outcome.text and "selector cycle nightly -> marts_only -> nightly" in outcome.text
    assert "RecursionError" not in outcome.text
