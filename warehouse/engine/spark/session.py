"""Start (or join) the Spark session of a target. The only module that builds a SparkSession.

One session per process: a second engine on the same master joins it (tests share one for
the whole run; a build and a reader in one process share the JVM but not their relations,
which are temporary views of each engine's own child session). Java is checked first, so a
machine without it gets one line saying what to install rather than a py4j traceback.
"""
from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from warehouse.core.errors import ProjectError
from warehouse.engine.spark.java import java_problem
from warehouse.engine.spark.target import SparkTarget

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

# Settings every session gets: quiet, no UI port, no reverse-DNS lookup of this host, dates as UTC,
# and no _SUCCESS marker files inside the Parquet folders readers list.
DEFAULT_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs": "false",
    "spark.sql.parquet.compression.codec": "zstd",
}


LOG4J = Path(__file__).with_name("log4j2.properties")


def ensure_pyspark() -> None:
    """Install the Spark lock on first use when running under `run.py` (which stamps it, so this is
    quick once done); otherwise say how to install it. Never a pip call from here."""
    if "pyspark" in sys.modules:
        return
    bootstrap = os.environ.get("WAREHOUSE_BOOTSTRAP")
    if bootstrap:
        done = subprocess.run([sys.executable, bootstrap, "setup", "spark"], stdout=sys.stderr)
        importlib.invalidate_caches()
        if done.returncode != 0:
            raise ProjectError("the Spark engine could not be set up (see the line above)")
    if importlib.util.find_spec("pyspark") is None:
        raise ProjectError("a Spark target needs pyspark, which is not installed",
                           hint="python3 run.py setup spark (or pip install 'reform-warehouse[spark]')")


def builder_options(target: SparkTarget) -> dict[str, str]:
    """Everything the session builder is given for `target`: where Spark runs (`spark.master`, or
    `spark.remote` for Spark Connect), our defaults, then the target's own `conf`, which wins.
    The log configuration is a driver JVM option: a Spark Connect client starts no JVM."""
    where = {"spark.remote": target.master} if target.is_connect else {"spark.master": target.master}
    options = {"spark.app.name": target.app_name, **where, **DEFAULT_CONF}
    if not target.is_connect:
        options["spark.driver.extraJavaOptions"] = f"-Dlog4j2.configurationFile={LOG4J.as_uri()}"
    return {**options, **target.conf}


def session_builder(target: SparkTarget) -> "SparkSession.Builder":
    """A builder set up for `target`, not started (starting is `getOrCreate`)."""
    with warnings.catch_warnings():
        # pyspark 4.3 warns that it "does not yet fully support pandas >= 3.0.0"; the engine
        # moves data through Arrow and Parquet, not pandas.
        warnings.simplefilter("ignore", FutureWarning)
        from pyspark.sql import SparkSession

    builder = SparkSession.Builder()
    for key, value in builder_options(target).items():
        builder = builder.config(key, value)
    return builder


def make_ready(target: SparkTarget) -> None:
    """What `target` needs on this machine, checked before a build starts: a Java for a driver in
    this process (else one line saying what to install) and pyspark (installed from the Spark lock
    on first use under run.py), imported once here."""
    if not target.is_connect:
        problem = java_problem()
        if problem:
            raise ProjectError(problem)
    ensure_pyspark()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)      # see session_builder
        importlib.import_module("pyspark.sql")


def spark_session(target: SparkTarget) -> "SparkSession":
    """The process's session for `target` (started on first use), quietened."""
    make_ready(target)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = session_builder(target)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)      # see session_builder: raised again on start
        session = builder.getOrCreate()
    if not target.is_connect:
        session.sparkContext.setLogLevel("ERROR")
    for name in ("py4j", "pyspark", "SQLQueryContextLogger"):
        logging.getLogger(name).setLevel(logging.CRITICAL)     # errors reach the user as DatabaseError
    return session
