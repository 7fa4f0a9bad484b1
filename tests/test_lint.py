"""ruff, configured in pyproject.toml ([tool.ruff]: line length 120), as part of the selftest."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_ruff_finds_nothing() -> None:
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise",
                           "warehouse", "tests", "bench", "run.py"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_is_configured_and_does_fail_on_a_problem(tmp_path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("import os\n" + "x = '" + "a" * 130 + "'\n")
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"),
                           "--output-format", "concise", str(probe)], capture_output=True, text=True)
    assert done.returncode == 1
    assert "F401" in done.stdout and "E501" in done.stdout
