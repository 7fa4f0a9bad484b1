#!/usr/bin/env python3
"""Bootstrap for reform-warehouse, in the manner of Rust's x.py or Gradle's wrapper.

A fresh clone has no environment. This script uses only the standard library until it
has created `.venv/` from the pinned `requirements.lock`, then re-executes itself inside
that environment and hands over to `warehouse.cli.app`. Later runs skip the set-up while the
lock file is unchanged (its hash is stamped into `.venv/`).

    python3 run.py build      # set up on first use, build and publish from seeds/
    python3 run.py selftest   # the project's pytest suite
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".lock-sha256"
MIN_PYTHON = (3, 11)


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _lock_hash() -> str:
    return hashlib.sha256(LOCK.read_bytes()).hexdigest()


def _inside_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def _say(message: str) -> None:
    print(f"run.py: {message}", file=sys.stderr, flush=True)


def _setup_venv() -> None:
    """Create .venv and install the lock file into it; stamp the lock's hash when done."""
    if not _venv_python().exists():
        _say(f"creating {VENV.name}/ (first run)")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    _say(f"installing pinned dependencies from {LOCK.name} (once per lock change)")
    pip = [str(_venv_python()), "-m", "pip", "--disable-pip-version-check"]
    subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "--quiet", "-r", str(LOCK)], check=True)
    _link_package()
    STAMP.write_text(_lock_hash() + "\n")


def _link_package() -> None:
    """Make `warehouse` importable in .venv (like `pip install -e .`, without a build step)."""
    purelib = subprocess.run([str(_venv_python()), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             check=True, capture_output=True, text=True).stdout.strip()
    (Path(purelib) / "reform_warehouse.pth").write_text(str(ROOT) + "\n")


def _ensure_venv() -> None:
    fresh = STAMP.exists() and STAMP.read_text().strip() == _lock_hash()
    if fresh and _venv_python().exists():
        return
    try:
        _setup_venv()
    except (subprocess.CalledProcessError, OSError) as exc:
        _say(f"could not set up {VENV.name}/: {exc}. Check network access to PyPI, then run again.")
        raise SystemExit(2) from exc


def _selftest(args: list[str]) -> int:
    """Run the project's pytest suite with the venv's interpreter; its exit code mapped to ours
    (pytest's 3 and 4 would read as "lock held" and "internal error": see docs/operations.md)."""
    command = [sys.executable, "-m", "pytest", str(ROOT / "tests"), *args]
    code = subprocess.call(command, cwd=ROOT)
    sys.path.insert(0, str(ROOT))
    from warehouse.cli.app import pytest_exit_code

    return int(pytest_exit_code(code))


def main(argv: list[str]) -> int:
    if sys.version_info < MIN_PYTHON:
        _say(f"Python {'.'.join(map(str, MIN_PYTHON))} or newer is required, this is {sys.version.split()[0]}")
        return 2
    if os.environ.get("WAREHOUSE_NO_VENV") != "1" and not _inside_venv():
        _ensure_venv()
        python = str(_venv_python())
        os.execv(python, [python, str(Path(__file__).resolve()), *argv])
    if argv[:1] == ["selftest"]:
        return _selftest(argv[1:])
    sys.path.insert(0, str(ROOT))
    from warehouse.cli.app import main as cli_main

    return cli_main(argv, project_dir=Path.cwd() if (Path.cwd() / "dbt_project.yml").exists() else ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
