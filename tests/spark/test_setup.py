"""Setting Spark up: the bootstrap's explicit step, a missing Java in one line, and pyspark kept
off every path that does not use a Spark target. None of these start Spark."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def _run_py(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)


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
