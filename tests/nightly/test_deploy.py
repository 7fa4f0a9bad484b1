"""deploy/: the cron line and the systemd units, rendered by deploy/install.sh for a copy of mini,
run the nightly build exactly as written, and it publishes.

`python3 run.py` in a real checkout bootstraps .venv next to run.py; the test project gets a
small run.py shim instead, which execs this repo's venv interpreter with `-m warehouse.cli`.
`crontab` and `systemctl` are replaced by recording stand-ins on PATH, so nothing on this
machine is scheduled.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_fixture

INSTALL = ROOT / "deploy" / "install.sh"
UNITS = ("reform-warehouse-build.service", "reform-warehouse-build.timer")
CRON_LINE = re.compile(r"^(\S+ \S+ \S+ \S+ \S+) (.+)$")

SHIM = f'''#!/usr/bin/env python3
"""Test stand-in for run.py: use the repo's venv instead of bootstrapping one here."""
import os, sys
python = {sys.executable!r}
os.execve(python, [python, "-m", "warehouse.cli", *sys.argv[1:]], {{**os.environ, "PYTHONPATH": {str(ROOT)!r}}})
'''
FAKE_CRONTAB = '''#!/bin/sh
# Stand-in for crontab(1): -l prints the saved table, - saves stdin.
table="$FAKE_CRONTAB_FILE"
for arg in "$@"; do
  case "$arg" in
    -l) [ -f "$table" ] && cat "$table" && exit 0; echo "no crontab for $(id -un)" >&2; exit 1 ;;
    -) cat > "$table"; exit 0 ;;
  esac
done
exit 64
'''
FAKE_SYSTEMCTL = '''#!/bin/sh
echo "$*" >> "$FAKE_SYSTEMCTL_LOG"
'''
PATH = "/usr/bin:/bin"          # what cron and systemd give a job


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = copy_fixture("mini", tmp_path / "mini")
    (project / "run.py").write_text(SHIM)
    return project


@pytest.fixture
def fakes(tmp_path: Path) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, text in (("crontab", FAKE_CRONTAB), ("systemctl", FAKE_SYSTEMCTL)):
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}:{PATH}",
            "FAKE_CRONTAB_FILE": str(tmp_path / "crontab.txt"), "FAKE_SYSTEMCTL_LOG": str(tmp_path / "systemctl.log")}


def install(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(INSTALL), *args], capture_output=True, text=True, env=env, timeout=60)


def _published(project: Path) -> None:
    import duckdb

    with duckdb.connect(str(project / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from fct_customer_totals").fetchone() == (3,)
        assert con.execute("select status from _warehouse_runs").fetchall() == [("published",)]
    assert (project / "exports" / "manifest.json").exists()


def _json_lines(text: str) -> list[dict]:
    events = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert events and all({"ts", "level", "event"} <= set(e) for e in events)
    return events


def test_render_substitutes_every_placeholder(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "rendered"
    done = install("--render", str(out), "--project-dir", str(project), "--user", "nobody")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(["reform-warehouse.cron", *UNITS])
    for path in out.iterdir():
        text = path.read_text()
        assert "@PROJECT_DIR@" not in text and "@RUN_AS@" not in text, f"placeholder left in {path.name}"
        assert str(project) in text
    service = (out / UNITS[0]).read_text()
    assert "Type=oneshot" in service and f"WorkingDirectory={project}\n" in service and "User=nobody" in service
    assert "ExecStart=/usr/bin/env python3 run.py build --log-format json\n" in service
    timer = (out / UNITS[1]).read_text()
    assert "OnCalendar=*-*-* 02:30:00" in timer and "Persistent=true" in timer


def test_dry_run_prints_and_changes_nothing(project: Path, tmp_path: Path, fakes: dict) -> None:
    units = tmp_path / "units"
    for mode in ("--cron", "--systemd"):
        done = install(mode, "--dry-run", "--project-dir", str(project), "--unit-dir", str(units), env=fakes)
        assert done.returncode == 0, done.stderr
        assert "would" in done.stdout and str(project) in done.stdout
    assert "crontab" in done.stdout or "systemctl enable --now reform-warehouse-build.timer" in done.stdout
    assert not units.exists() and not (project / "logs").exists()
    assert not Path(fakes["FAKE_CRONTAB_FILE"]).exists() and not Path(fakes["FAKE_SYSTEMCTL_LOG"]).exists()


def test_cron_line_runs_the_nightly_build(project: Path, fakes: dict) -> None:
    table = Path(fakes["FAKE_CRONTAB_FILE"])
    table.write_text("MAILTO=ops@example.org\n15 * * * * /usr/local/bin/something-else\n")
    for _ in range(2):                                  # installing twice leaves one block
        done = install("--cron", "--project-dir", str(project), env=fakes)
        assert done.returncode == 0, done.stderr
    lines = table.read_text().splitlines()
    assert lines[:2] == ["MAILTO=ops@example.org", "15 * * * * /usr/local/bin/something-else"]
    jobs = [CRON_LINE.match(line) for line in lines if line and not line.startswith("#") and "=" not in line.split()[0]]
    jobs = [j for j in jobs if j and "run.py" in j.group(2)]
    assert len(jobs) == 1
    schedule, command = jobs[0].groups()
    assert schedule == "30 2 * * *"
    assert command == f"cd {project} && python3 run.py build --log-format json >> logs/build.jsonl 2>&1"
    assert (project / "logs").is_dir()                  # created by install.sh: the redirect needs it

    done = subprocess.run(["/bin/sh", "-c", command], env={"PATH": PATH, "HOME": str(project)},
                          capture_output=True, text=True, timeout=120, cwd="/")
    assert done.returncode == 0, (project / "logs" / "build.jsonl").read_text()
    events = _json_lines((project / "logs" / "build.jsonl").read_text())
    assert events[-1]["event"] == "finished"
    _published(project)


def test_systemd_units_run_the_nightly_build(project: Path, tmp_path: Path, fakes: dict) -> None:
    units = tmp_path / "units"
    done = install("--systemd", "--project-dir", str(project), "--unit-dir", str(units), env=fakes)
    assert done.returncode == 0, done.stderr
    assert Path(fakes["FAKE_SYSTEMCTL_LOG"]).read_text().splitlines() == [
        "daemon-reload", "enable --now reform-warehouse-build.timer"]
    service = dict(line.split("=", 1) for line in (units / UNITS[0]).read_text().splitlines()
                   if "=" in line and not line.startswith("#"))
    assert service["Type"] == "oneshot"
    assert "SuccessExitStatus" not in service           # only 0 is success (documented in the unit)
    argv = shlex.split(service["ExecStart"])
    done = subprocess.run(argv, cwd=service["WorkingDirectory"], env={"PATH": PATH}, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _json_lines(done.stdout)[-1]["event"] == "finished"
    _published(project)


def test_systemd_analyze_verify(project: Path, tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here")
    out = tmp_path / "rendered"
    done = install("--render", str(out), "--project-dir", str(project), "--user", "root")
    assert done.returncode == 0, done.stderr
    check = subprocess.run([analyze, "verify", *(str(out / u) for u in UNITS)], capture_output=True, text=True,
                           timeout=60)
    if check.returncode != 0 and ("bus" in check.stderr.lower() or "not booted" in check.stderr.lower()):
        pytest.skip(f"systemd-analyze cannot run here: {check.stderr.strip()}")
    # verify exits 0 even for unknown keys and bad values: its warnings must be empty too.
    assert check.returncode == 0 and check.stderr.strip() == "", check.stderr


def test_install_refuses_what_cron_or_systemd_would_misread(tmp_path: Path) -> None:
    odd = copy_fixture("mini", tmp_path / "with space")
    (odd / "run.py").write_text(SHIM)
    done = install("--render", str(tmp_path / "out"), "--project-dir", str(odd))
    assert done.returncode == 2 and "plain path" in done.stderr
    done = install("--cron", "--dry-run", "--project-dir", str(tmp_path))
    assert done.returncode == 2 and "not a reform-warehouse project" in done.stderr
