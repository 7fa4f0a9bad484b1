"""Setting Spark up: the bootstrap's explicit step, a missing Java in one line, and pyspark kept
off every path that does not use a Spark target. None of these start Spark."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


# These tests run run.py's real set-up paths outside a venv (WAREHOUSE_NO_VENV) and expect them to
# stop before installing anything. Should one not stop, pip must refuse rather than install into
# this machine's Python: no index, and no install outside a virtual environment.
NO_INSTALL = {"PIP_NO_INDEX": "1", "PIP_REQUIRE_VIRTUALENV": "1", "PIP_CONFIG_FILE": os.devnull}


def _run_py(*args: str, env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], capture_output=True, text=True,
                          env={**env, **NO_INSTALL}, cwd=cwd, timeout=120)


def test_setup_spark_without_java_says_what_to_install_in_one_line(tmp_path: Path) -> None:
    env = {"PATH": str(tmp_path), "WAREHOUSE_NO_VENV": "1", "HOME": str(tmp_path)}   # no java anywhere
    done = _run_py("setup", "spark", env=env)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Spark targets need Java 17+ and no java was found" in lines[0]
    assert "apt-get install openjdk-17-jre-headless" in lines[0]


def test_setup_names_the_engines_it_can_set_up(tmp_path: Path) -> None:
    done = _run_py("setup", env={**os.environ, "WAREHOUSE_NO_VENV": "1"})
    assert done.returncode == 2
    assert "python3 run.py setup spark" in done.stderr


def test_a_missing_java_stops_a_spark_session_with_the_same_line(monkeypatch, tmp_path: Path) -> None:
    from warehouse.core.errors import ProjectError
    from warehouse.engine.spark.session import spark_session
    from warehouse.engine.spark.target import SparkTarget

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    try:
        spark_session(SparkTarget(master="local[1]"))
    except ProjectError as error:
        assert "Spark targets need Java 17+ and no java was found" in str(error)
    else:
        raise AssertionError("a session started without Java")


def test_the_spark_engine_imports_no_pyspark_until_a_session_starts() -> None:
    code = ("import sys, warehouse.engine.spark.engine, warehouse.gates.transpile_gate, warehouse.engine.spark.dialect; "
            "from warehouse.engine import engine_class; engine_class('spark'); "
            "print('pyspark' in sys.modules, 'py4j' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert done.stdout.strip() == "False False", done.stderr


def test_a_spark_target_is_checked_key_by_key(tmp_path: Path) -> None:
    import pytest

    from warehouse.core.errors import ProjectError
    from warehouse.engine.spark.target import spark_target

    target = spark_target({"type": "spark", "method": "session", "master": "spark://head:7077",
                           "warehouse_dir": "wh", "conf": {"spark.executor.memory": "4g"}}, tmp_path)
    assert (target.master, target.warehouse_dir, target.manifest) == ("spark://head:7077", tmp_path / "wh",
                                                                      tmp_path / "wh" / "current.json")
    assert spark_target({"master": "sc://connect:15002"}, tmp_path).is_connect
    with pytest.raises(ProjectError, match="unknown key 'mastr'") as error:
        spark_target({"mastr": "local[2]"}, tmp_path)
    assert "did you mean 'master'" in error.value.render()
    with pytest.raises(ProjectError, match="spark target method 'thrift' is not supported"):
        spark_target({"method": "thrift"}, tmp_path)
    with pytest.raises(ProjectError, match="is not one Spark accepts"):
        spark_target({"master": "localhost"}, tmp_path)


# pyspark hidden from the child process: its import fails, and find_spec does not see it.
BLOCK_PYSPARK = """
import sys
class Hide:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('pyspark', 'py4j'):
            raise ModuleNotFoundError(name)
sys.meta_path.insert(0, Hide())
import importlib.util
importlib.util.find_spec = lambda name, *a: None if name.split('.')[0] == 'pyspark' else _find(name, *a)
"""


def _first_use(tmp_path: Path, exit_code: int) -> subprocess.CompletedProcess:
    """Open a Spark target as a build does, in a process where pyspark is not installed, with a
    bootstrap (run.py's part) that only records how it was called."""
    bootstrap = tmp_path / "bootstrap.py"
    bootstrap.write_text(f"import sys, pathlib\npathlib.Path({str(tmp_path / 'called')!r}).write_text("
                         f"' '.join(sys.argv[1:]))\nsys.exit({exit_code})\n")
    project = tmp_path / "p"
    project.mkdir()
    (project / "profiles.yml").write_text("p:\n  target: spark\n  outputs:\n    spark:\n"
                                          "      type: spark\n      master: local[2]\n")
    code = ("import importlib.util; _find = importlib.util.find_spec\n" + BLOCK_PYSPARK +
            "from pathlib import Path\nfrom warehouse.core.errors import ProjectError\n"
            "from warehouse.engine.factory import open_engine\nfrom warehouse.project.profiles import read_target\n"
            f"target = read_target(Path({str(project)!r}), 'p', 'p', None, None, [])\n"
            "try:\n    open_engine(target, Path('staging.json'))\nexcept ProjectError as e:\n    print(e.render())\n")
    env = {**os.environ, **NO_INSTALL, "PYTHONPATH": str(ROOT), "WAREHOUSE_BOOTSTRAP": str(bootstrap)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=120)


def test_a_spark_target_installs_the_spark_lock_before_the_build_starts(tmp_path: Path) -> None:
    from warehouse.engine.spark.java import java_problem

    if java_problem():
        import pytest

        pytest.skip(f"Spark tests skipped: {java_problem()}")
    done = _first_use(tmp_path, exit_code=0)
    assert (tmp_path / "called").read_text() == "setup spark"       # run.py's step, run on opening the target
    # (the recording bootstrap installed nothing, so pyspark is still missing: said how to get it)
    assert "a Spark target needs pyspark, which is not installed" in done.stdout, done.stdout + done.stderr
    assert "python3 run.py setup spark" in done.stdout
    (tmp_path / "again").mkdir()
    failed = _first_use(tmp_path / "again", exit_code=2)           # the install failed: said so, nothing else
    assert "the Spark engine could not be set up (see the line above)" in failed.stdout, failed.stderr


def test_build_on_a_spark_target_without_java_is_one_line(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "dbt_project.yml").write_text("name: p\nprofile: p\n")
    (project / "profiles.yml").write_text("p:\n  target: spark\n  outputs:\n    spark:\n"
                                          "      type: spark\n      master: local[2]\n")
    env = {"PATH": str(tmp_path), "WAREHOUSE_NO_VENV": "1", "HOME": str(tmp_path)}     # no java anywhere
    done = _run_py("build", env=env, cwd=project)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "error: Spark targets need Java 17+ and no java was found: install a JDK 17 or newer "
        "(Debian/Ubuntu: apt-get install openjdk-17-jre-headless) or set JAVA_HOME"]
