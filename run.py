#!/usr/bin/env python3
"""Bootstrap for reform-warehouse, in the manner of Rust's x.py or Gradle's wrapper.

A fresh clone has no environment. This script uses only the standard library until it
has created `.venv/` from the pinned `requirements.lock`, then re-executes itself inside
that environment and hands over to `warehouse.cli.app`. Later runs skip the set-up while the
lock file is unchanged (its hash is stamped into `.venv/`).

    python3 run.py build      # set up on first use, build and publish from seeds/
    python3 run.py selftest   # the project's pytest suite

Spark is an optional engine with its own pinned lock, `requirements-spark.lock`: it is
installed into the same `.venv/` the first time a Spark target is used (the CLI asks this
script to do it), or explicitly with `python3 run.py setup spark` (CI does, before selftest).
It is stamped like the main lock, so it reinstalls only when the file changes.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".lock-sha256"
SPARK_LOCK = ROOT / "requirements-spark.lock"
SPARK_STAMP_NAME = ".spark-lock-sha256"     # in the environment's prefix (.venv/ normally)
MIN_PYTHON = (3, 11)
MIN_JAVA = 17
JAVA_HINT = "install a JDK 17 or newer (Debian/Ubuntu: apt-get install openjdk-17-jre-headless) or set JAVA_HOME"


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _lock_hash(lock: Path = LOCK) -> str:
    return hashlib.sha256(lock.read_bytes()).hexdigest()


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


def java_problem() -> str | None:
    """Why Spark cannot start on this machine (no Java, or one older than 17), or None."""
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home and (Path(home) / "bin" / "java").exists() else shutil.which("java")
    if not java:
        return f"Spark targets need Java {MIN_JAVA}+ and no java was found: {JAVA_HINT}"
    try:
        shown = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.SubprocessError) as exc:
        return f"Spark targets need Java {MIN_JAVA}+ and {java} does not run ({exc}): {JAVA_HINT}"
    found = re.search(r'version "(\d+)(?:\.(\d+))?', shown)
    major = int(found.group(1)) if found else 0
    major = int(found.group(2) or 0) if major == 1 else major     # "1.8.0" is Java 8
    if major < MIN_JAVA:
        return f"Spark targets need Java {MIN_JAVA}+ but {java} is Java {major or 'of unknown version'}: {JAVA_HINT}"
    return None


def _ensure_spark() -> int:
    """Install requirements-spark.lock into .venv unless its hash is already stamped there."""
    problem = java_problem()
    if problem:
        _say(problem)
        return 2
    stamp = Path(sys.prefix) / SPARK_STAMP_NAME     # runs inside .venv (or your own env)
    if stamp.exists() and stamp.read_text().strip() == _lock_hash(SPARK_LOCK):
        return 0
    _say(f"installing the Spark engine from {SPARK_LOCK.name} (once per lock change, about 30 s)")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    try:
        subprocess.run([*pip, "install", "--quiet", "-r", str(SPARK_LOCK)], check=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        _say(f"could not install {SPARK_LOCK.name}: {exc}. Check network access to PyPI, then run again.")
        return 2
    stamp.write_text(_lock_hash(SPARK_LOCK) + "\n")
    return 0


def _setup(args: list[str]) -> int:
    """`setup spark`: install an optional engine's lock now rather than on first use."""
    if args != ["spark"]:
        _say("usage: python3 run.py setup spark   (installs requirements-spark.lock into .venv)")
        return 2
    return _ensure_spark()


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
    if argv[:1] == ["setup"]:
        return _setup(argv[1:])
    if argv[:1] == ["selftest"]:
        return _selftest(argv[1:])
    # The CLI runs `run.py setup spark` through this when a Spark target is first used.
    os.environ["WAREHOUSE_BOOTSTRAP"] = str(Path(__file__).resolve())
    sys.path.insert(0, str(ROOT))
    from warehouse.cli.app import main as cli_main

    return cli_main(argv, project_dir=Path.cwd() if (Path.cwd() / "dbt_project.yml").exists() else ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
