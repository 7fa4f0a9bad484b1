"""`type: spark` targets, from profiles.yml to the session builder, for every kind of master, without a
cluster and without starting Spark: the profile is read as a build reads it, the engine is opened as a
build opens it, and the builder it would start is inspected (pyspark's `Builder` keeps its options)."""
from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.core.errors import ProjectError
from warehouse.engine.factory import open_engine
from warehouse.project.profiles import read_target
from tests.spark.conftest import needs_spark

pytestmark = needs_spark     # opening a Spark target checks for Java and pyspark; nothing here starts Spark

CLUSTERS = {
    "local[2]": ("spark.master", {}),
    "local[*]": ("spark.master", {}),
    "spark://head:7077": ("spark.master", {"spark.executor.memory": "8g", "spark.executor.cores": "4"}),
    "yarn": ("spark.master", {"spark.executor.instances": "10"}),
    "k8s://https://api-server:443": ("spark.master", {"spark.kubernetes.container.image": "reform/spark:4.3",
                                                      "spark.kubernetes.namespace": "warehouse"}),
    "sc://connect-host:15002": ("spark.remote", {"spark.sql.shuffle.partitions": "64"}),
}


def _profile(project: Path, output: str) -> Path:
    project.mkdir(parents=True, exist_ok=True)
    (project / "profiles.yml").write_text("reform:\n  target: spark\n  outputs:\n    spark:\n" + output)
    return project


def _opened(project: Path):
    target = read_target(project, "reform", "reform", None, None, [])
    engine = open_engine(target, project / ".warehouse" / "staging" / "current.json")
    return target, engine


@pytest.mark.parametrize("master", list(CLUSTERS))
def test_each_kind_of_master_reaches_the_session_builder(tmp_path: Path, master: str) -> None:
    from warehouse.engine.spark.session import session_builder

    where, conf = CLUSTERS[master]
    lines = "".join(f'        {key}: "{value}"\n' for key, value in conf.items())
    project = _profile(tmp_path / "p", f"      type: spark\n      method: session\n      master: {master}\n"
                                       f"      warehouse_dir: /shared/warehouse\n      schema: main\n"
                                       f"      conf:\n{lines}")
    target, engine = _opened(project)
    assert (target.type, target.path) == ("spark", Path("/shared/warehouse/current.json"))
    assert engine._spark is None                                      # opening started nothing
    options = session_builder(engine.target)._options
    assert options[where] == master
    assert {k: options[k] for k in conf} == conf                      # the profile's conf, as written
    assert options["spark.sql.session.timeZone"] == "UTC"             # our defaults beside it
    assert options["spark.app.name"] == "reform-warehouse"
    if where == "spark.remote":        # a Spark Connect client: no master, no driver JVM options, no Java needed
        assert "spark.master" not in options and "spark.driver.extraJavaOptions" not in options
        assert engine.target.is_connect
    else:
        assert "spark.remote" not in options
        assert "log4j2.properties" in options["spark.driver.extraJavaOptions"]
    engine.close()


def test_a_conf_key_wins_over_our_defaults(tmp_path: Path) -> None:
    from warehouse.engine.spark.session import session_builder

    project = _profile(tmp_path / "p", "      type: spark\n      master: local[2]\n"
                                       "      conf: {spark.sql.session.timeZone: Europe/Geneva}\n")
    _, engine = _opened(project)
    assert session_builder(engine.target)._options["spark.sql.session.timeZone"] == "Europe/Geneva"


@pytest.mark.parametrize("output, message", [
    ("      type: spark\n      master: yarn\n      conf: {spark.master: 'local[4]'}\n",
     "spark target conf sets spark.master, which the target's master decides"),
    ("      type: spark\n      method: thrift\n", "spark target method 'thrift' is not supported"),
    ("      type: spark\n      master: local[2]\n      warehouse_directory: wh\n", "unknown key 'warehouse_directory'"),
    ("      type: spark\n      master: mesos-head:5050\n", "spark master 'mesos-head:5050' is not one Spark accepts"),
])
def test_a_wrong_spark_target_is_named_with_its_profiles_file(tmp_path: Path, output: str, message: str) -> None:
    project = _profile(tmp_path / "p", output)
    with pytest.raises(ProjectError, match=message) as error:
        _opened(project)
    assert "profiles.yml" in error.value.render()
