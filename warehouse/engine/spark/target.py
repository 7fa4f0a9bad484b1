"""A `type: spark` target: where Spark runs, where the warehouse lives, and Spark's settings.

    spark:
      type: spark
      method: session              # an in-process driver (the only method; Spark Connect below)
      master: local[*]             # local[N], spark://host:7077, yarn, k8s://https://host:443, or sc://host:15002
      warehouse_dir: spark-warehouse   # Parquet of every build and the current-build manifest
      conf: {spark.executor.memory: 4g}

Read without pyspark, so a wrong key is reported before anything heavy is imported.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warehouse.core.errors import Location, ProjectError
from warehouse.core.yamlio import nearest

KEYS = ("type", "method", "master", "warehouse_dir", "conf", "app_name", "threads", "schema")
METHODS = ("session",)
MASTER_PREFIXES = ("local[", "spark://", "k8s://", "mesos://", "sc://")
MASTER_NAMES = ("local", "yarn")


@dataclass(frozen=True)
class SparkTarget:
    master: str = "local[*]"
    warehouse_dir: Path = Path("spark-warehouse")
    conf: dict[str, str] = field(default_factory=dict)
    app_name: str = "reform-warehouse"

    @property
    def is_connect(self) -> bool:
        """Spark Connect: the driver runs on the server; this process is a thin client."""
        return self.master.startswith("sc://")

    @property
    def manifest(self) -> Path:
        """The published warehouse: the current build's manifest, replaced by rename."""
        return self.warehouse_dir / "current.json"


def spark_target(settings: dict[str, Any], project_dir: Path, where: Location | None = None) -> SparkTarget:
    """The target's settings checked key by key (an unknown key is an error naming the nearest one)."""
    for key in settings:
        if key not in KEYS:
            close = nearest(key, list(KEYS))
            raise ProjectError(f"unknown key '{key}' in a spark target", where,
                               hint=f"did you mean '{close}'?" if close else f"keys: {', '.join(KEYS)}")
    method = settings.get("method", "session")
    if method not in METHODS:
        raise ProjectError(f"spark target method '{method}' is not supported", where,
                           hint="use method: session (for Spark Connect, set master: sc://host:port)")
    master = str(settings.get("master", "local[*]"))
    if master not in MASTER_NAMES and not master.startswith(MASTER_PREFIXES):
        raise ProjectError(f"spark master '{master}' is not one Spark accepts", where,
                           hint="local[*], spark://host:7077, yarn, k8s://https://host:443 or sc://host:15002")
    conf = settings.get("conf") or {}
    if not isinstance(conf, dict):
        raise ProjectError("spark target 'conf' must be a mapping of Spark settings", where)
    for key in ("spark.master", "spark.remote"):
        if key in conf:
            raise ProjectError(f"spark target conf sets {key}, which the target's master decides", where,
                               hint=f"write master: {conf[key]} instead")
    directory = Path(str(settings.get("warehouse_dir", "spark-warehouse")))
    return SparkTarget(master=master, warehouse_dir=directory if directory.is_absolute() else project_dir / directory,
                       conf={str(k): str(v) for k, v in conf.items()},
                       app_name=str(settings.get("app_name", "reform-warehouse")))
