"""The CLI edge: fast --help without heavy imports, exit codes, output formats."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, cli, cli_inprocess

HEAVY = ("pandas", "great_expectations", "pyspark", "duckdb", "sqlglot", "jinja2")


def _modules_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    return set(done.stdout.split())


def test_help_imports_nothing_heavy() -> None:
    loaded = _modules_after("from warehouse.cli.app import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass")
    assert not [m for m in HEAVY if m in loaded]


def test_ls_and_compile_do_not_import_pandas_or_gx(mini: Path) -> None:
    for command in ("ls", "compile"):
        loaded = _modules_after(f"from warehouse.cli.app import main\nmain(['--project-dir', r'{mini}', '-q', '{command}'])")
        assert "great_expectations" not in loaded and "pandas" not in loaded, command


def test_run_py_help_lists_commands() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "run.py"), "--help"], capture_output=True, text=True,
                          env={"WAREHOUSE_NO_VENV": "1", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0
    for command in ("build", "seed", "run", "test", "check", "compile", "ls", "query", "clean", "selftest"):
        assert command in done.stdout


def test_query_formats(mini: Path, capsys) -> None:
    assert cli_inprocess(mini, "build", capsys=capsys).code == 0
    outcome = cli_inprocess(mini, "query", "select customer_id, paid_cents from fct_customer_totals order by 1",
                            "--format", "csv", capsys=capsys)
    assert outcome.out.splitlines() == ["customer_id,paid_cents", "1,12050", "2,0", "3,7000"]
    outcome = cli_inprocess(mini, "query", "select count(*) as n from fct_customer_totals", "--format", "json",
                            capsys=capsys)
    assert json.loads(outcome.out) == [{"n": 3}]
    outcome = cli_inprocess(mini, "query", "select count(*) as n from fct_customer_totals", capsys=capsys)
    assert "1 row(s)" in outcome.out and "3" in outcome.out


def test_query_is_read_only(mini: Path, capsys) -> None:
    assert cli_inprocess(mini, "build", capsys=capsys).code == 0
    outcome = cli_inprocess(mini, "query", "drop table fct_customer_totals", capsys=capsys)
    assert outcome.code == 2 and "read-only" in outcome.err.lower()


def test_query_before_any_build_says_what_to_do(mini: Path, capsys) -> None:
    outcome = cli_inprocess(mini, "query", "select 1", capsys=capsys)
    assert outcome.code == 2 and "run.py build" in outcome.err


def test_json_log_format_is_one_object_per_line(mini: Path) -> None:
    outcome = cli(mini, "build", "--log-format", "json")
    assert outcome.code == 0
    events = [json.loads(line) for line in outcome.out.splitlines()]
    assert events[0]["event"] == "started" and events[-1]["event"] == "finished"
    assert {"ts", "level", "event", "message"} <= set(events[1])


def test_clean_keeps_published_warehouse(mini: Path, capsys) -> None:
    assert cli_inprocess(mini, "build", capsys=capsys).code == 0
    assert cli_inprocess(mini, "clean", capsys=capsys).code == 0
    assert not (mini / "target").exists()
    assert (mini / "warehouse.duckdb").exists() and (mini / "exports" / "manifest.json").exists()
