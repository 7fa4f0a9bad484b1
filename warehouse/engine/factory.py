"""Opening the engine a profile target names: `type` picks the class (`warehouse.engine.ENGINES`,
the one registry), then the target's own settings are applied.

`profiles.yml` says `type: duckdb` (or, with the Spark engine, `type: spark`); every command
that builds opens its engine through `open_engine`, so adding an engine is one entry in
`ENGINES` plus, if it reads target keys, a `configure(target)` method. Engine modules are
imported only when their type is used: pyspark never loads for DuckDB.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from warehouse.core.errors import ProjectError
from warehouse.engine import ENGINES, engine_class


def target_engine_class(target: Any) -> type:
    """The engine class for a target's type; an unknown type is an error listing the known ones."""
    if target.type not in ENGINES:
        raise ProjectError(f"profiles.yml: target type '{target.type}' is not supported",
                           hint=f"supported types: {', '.join(sorted(ENGINES))}")
    return engine_class(target.type)


def open_engine(target: Any, database: Path | str, read_only: bool = False, storage_version: str | None = None,
                access: Any = None, attach: tuple[tuple[Path, str], ...] = ()) -> Any:
    """An engine for `target` on `database` (the staging or development copy), with the target's
    settings, extensions and attached databases applied (`configure`, where the engine has it),
    then, given `access`, limited to those folders before any model SQL runs (`restrict`).

    `attach` ((path, alias) pairs) are attached read-only before the limits are set, for the
    engine's own comparisons only: DuckDB keeps a file attached before the limits reachable
    (even read-write after a DETACH), so no project SQL may ever run on such a connection."""
    engine = target_engine_class(target).open(database, read_only=read_only, storage_version=storage_version)
    configure = getattr(engine, "configure", None)
    try:
        if configure is not None:
            configure(target)
        for path, alias in attach:
            engine.attach(path, alias)
        restrict = getattr(engine, "restrict", None)
        if access is not None and restrict is not None:
            restrict(access)
    except BaseException:
        engine.close()
        raise
    return engine
