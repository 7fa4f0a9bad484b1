#!/usr/bin/env python3
"""Bootstrap for reform-warehouse, in the manner of Rust's x.py or Gradle's wrapper.

A fresh clone has no environment. This script uses only the standard library until it
has created `.venv/` from the pinned `requirements.lock`, then re-executes itself inside
that environment and hands over to `warehouse.cli.app`. Later runs skip the set-up while the
lock file is unchanged (its hash is stamped into `.venv/`).

    python3 run.py build      # set up on first use, build and publish from seeds/
    python3 run.py selftest   # the project's pytest suite

Three set-up commands also live here, because they manage environments rather than the
warehouse (none of them is ever run by a test; `.ci/run` runs the last two explicitly):

    python3 run.py lock [--upgrade]        # resolve requirements.lock from pyproject.toml in a scratch venv
    python3 run.py setup-browser           # Debian's chromium (as root) for the docs-site browser tests
    python3 run.py setup-compat-clients    # .venv-compat/: DuckDB 1.x clients from requirements-compat.lock
Spark is an optional engine with its own pinned lock, `requirements-spark.lock`: it is
installed into the same `.venv/` the first time a Spark target is used (the CLI asks this
script to do it), or explicitly with `python3 run.py setup spark` (CI does, before selftest).
It is stamped like the main lock, so it reinstalls only when the file changes.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".lock-sha256"
SPARK_LOCK = ROOT / "requirements-spark.lock"
SPARK_STAMP_NAME = ".spark-lock-sha256"     # in the environment's prefix (.venv/ normally)
MIN_PYTHON = (3, 11)
COMPAT_VENV = ROOT / ".venv-compat"
COMPAT_LOCK = ROOT / "requirements-compat.lock"
CHROMIUM = Path("/usr/bin/chromium")
LOCK_EXTRAS = ("test",)     # optional dependency groups pinned into requirements.lock (not spark: own lock)
LOCK_HEADER = """# Pinned, resolved together on Python 3.11 (pip freeze of a clean venv).
# run.py installs exactly this into .venv; regenerate with: python3 run.py lock
"""


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


def _wanted_requirements() -> list[str]:
    """pyproject.toml's dependencies plus the extras the lock pins (LOCK_EXTRAS)."""
    import tomllib      # here, not at the top: the Python version check must come first

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project.get("optional-dependencies", {})
    return [*project["dependencies"], *(r for name in LOCK_EXTRAS for r in extras.get(name, []))]


def _lock(args: list[str]) -> int:
    """Resolve pyproject's ranges in a scratch venv and write its `pip freeze` as the lock.

    Current pins are kept where pyproject still allows them (the old lock is a pip constraints
    file), so adding one dependency does not move every other; `lock --upgrade` re-resolves all."""
    wanted = _wanted_requirements()
    constraints = [] if "--upgrade" in args or not LOCK.exists() else ["-c", str(LOCK)]
    with tempfile.TemporaryDirectory(prefix="reform-lock-") as scratch:
        _say(f"resolving {len(wanted)} requirement(s) of pyproject.toml in a scratch venv")
        venv.EnvBuilder(with_pip=True).create(scratch)
        python = str(Path(scratch) / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))
        pip = [python, "-m", "pip", "--disable-pip-version-check"]
        try:
            subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True)
            subprocess.run([*pip, "install", "--quiet", *constraints, *wanted], check=True)
            frozen = subprocess.run([*pip, "freeze", "--all", "--exclude", "pip", "--exclude", "setuptools",
                                     "--exclude", "wheel"], check=True, capture_output=True, text=True).stdout
        except (subprocess.CalledProcessError, OSError) as exc:
            _say(f"could not resolve the requirements: {exc}; {LOCK.name} is unchanged")
            return 2
    pins = sorted((line for line in frozen.splitlines() if line and not line.startswith("#")),
                  key=lambda pin: pin.split("==")[0].lower())
    LOCK.write_text(LOCK_HEADER + "\n".join(pins) + "\n")
    _say(f"wrote {LOCK.name} ({len(pins)} pins); the next run.py command reinstalls .venv/")
    return 0


def _setup_compat_clients(args: list[str]) -> int:
    """.venv-compat/: the DuckDB 1.x clients analysts use, to test that they open what we publish.

    Kept apart from .venv (two duckdb versions cannot share one environment). Tests that need it
    skip, naming this command, when it is absent; `.ci/run` runs it before the suite."""
    stamp = COMPAT_VENV / ".lock-sha256"
    digest = hashlib.sha256(COMPAT_LOCK.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text().strip() == digest:
        _say(f"{COMPAT_VENV.name}/ is up to date with {COMPAT_LOCK.name}")
        return 0
    _say(f"creating {COMPAT_VENV.name}/ from {COMPAT_LOCK.name}")
    venv.EnvBuilder(with_pip=True, clear=True).create(COMPAT_VENV)
    python = str(COMPAT_VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))
    try:
        subprocess.run([python, "-m", "pip", "--disable-pip-version-check", "install", "--quiet",
                        "-r", str(COMPAT_LOCK)], check=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        _say(f"could not set up {COMPAT_VENV.name}/: {exc}. Check network access to PyPI, then run again.")
        return 2
    stamp.write_text(digest + "\n")
    return 0


def _setup_browser(args: list[str]) -> int:
    """Debian's chromium for the docs-site browser tests (Playwright, pinned in the lock, drives it).

    Playwright's own browser download cannot work without internet access, so the system
    package is used. Installing a system package needs root: this is an explicit step, never
    something a test does."""
    if CHROMIUM.exists():
        _say(f"{CHROMIUM} is installed")
        return 0
    if shutil.which("apt-get") is None:
        _say(f"{CHROMIUM} is absent and there is no apt-get here: install a Chromium at that path by hand")
        return 2
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        _say(f"{CHROMIUM} is absent; installing it needs root: sudo apt-get install -y chromium")
        return 2
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]):
        _say(" ".join(command))
        if subprocess.run(command, env=env, stdin=subprocess.DEVNULL).returncode != 0:
            _say(f"`{' '.join(command)}` failed; the browser tests will skip")
            return 2
    return 0 if CHROMIUM.exists() else 2


def _ensure_spark() -> int:
    """Install requirements-spark.lock into .venv unless its hash is already stamped there."""
    sys.path.insert(0, str(ROOT))
    from warehouse.engine.spark.java import java_problem   # standard library only, as run.py is here

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


# Commands about environments, run with the standard library only (never inside warehouse.cli).
SETUP_COMMANDS = {"lock": _lock, "setup-compat-clients": _setup_compat_clients, "setup-browser": _setup_browser}


def main(argv: list[str]) -> int:
    if sys.version_info < MIN_PYTHON:
        _say(f"Python {'.'.join(map(str, MIN_PYTHON))} or newer is required, this is {sys.version.split()[0]}")
        return 2
    if argv[:1] and argv[0] in SETUP_COMMANDS:
        return SETUP_COMMANDS[argv[0]](argv[1:])
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
