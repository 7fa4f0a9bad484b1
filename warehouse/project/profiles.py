"""`profiles.yml`, found as dbt finds it, and the target it selects.

Search order (first folder holding a profiles.yml wins): `--profiles-dir`, `DBT_PROFILES_DIR`,
the project folder, `~/.dbt/`. dbt looks in the current folder where we look in the project
folder; with `python3 run.py` run from the project they are the same place.

A DuckDB output's `path` is the *published* warehouse: builds still write to a staging copy
and publish it only when every gate passed. Other output types (e.g. `spark`) keep their
keys in `Target.options` for the engine that reads them (see `warehouse.engine.factory`).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warehouse.core.errors import Location, ProjectError
from warehouse.core.yamlio import Mapping, load_yaml, nearest, reject_unknown_keys
from warehouse.project.dbt_project import env_var, render_value
from warehouse.project.ignored import Ignored

PROFILES_FILE = "profiles.yml"
DEFAULT_TARGET = "dev"
# dbt-duckdb output keys: implemented, and parsed-but-ignored (listed once).
DUCKDB_KEYS = frozenset({"type", "path", "schema", "database", "threads", "settings", "attach", "extensions"})
DUCKDB_IGNORED = frozenset({"config_options", "filesystems", "plugins", "secrets", "module_paths", "external_root",
                            "use_credential_provider", "disable_transactions", "keep_open", "retries", "tmp_dir",
                            "is_nightly", "motherduck_token", "remote"})
ATTACH_KEYS = frozenset({"path", "alias", "type", "read_only", "options"})


@dataclass(frozen=True)
class Target:
    """The output a command runs against: engine type, published location, schema, threads."""

    profile: str
    name: str
    type: str
    schema: str
    threads: int
    database: str
    path: Path | None = None                      # duckdb: the published warehouse file
    settings: dict[str, Any] = field(default_factory=dict)
    attach: tuple[dict[str, Any], ...] = ()
    extensions: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)   # every key of the output, as written
    file: Path | None = None
    threads_at: Location | None = None            # where `threads:` is written (listed as ignored when > 1)

    def context(self) -> dict[str, Any]:
        """`target` as dbt's Jinja sees it (the output's keys plus name, profile_name, type...)."""
        ctx = {k: v for k, v in self.options.items() if k not in ("password", "token", "motherduck_token")}
        ctx.update(name=self.name, profile_name=self.profile, type=self.type, schema=self.schema,
                   database=self.database, threads=self.threads)
        if self.path is not None:
            ctx["path"] = str(self.path)
        return ctx


def find_profiles(project_root: Path, profiles_dir: Path | None) -> Path | None:
    """The profiles.yml dbt would read, or None when there is none anywhere."""
    candidates = []
    if profiles_dir is not None:
        candidates.append(Path(profiles_dir))
    elif os.environ.get("DBT_PROFILES_DIR"):
        candidates.append(Path(os.environ["DBT_PROFILES_DIR"]))
    else:
        candidates += [project_root, Path.home() / ".dbt"]
    for folder in candidates:
        if (folder / PROFILES_FILE).is_file():
            return (folder / PROFILES_FILE).resolve()
    if profiles_dir is not None or os.environ.get("DBT_PROFILES_DIR"):
        raise ProjectError(f"no {PROFILES_FILE} in {candidates[0]}",
                           hint="--profiles-dir and DBT_PROFILES_DIR name the folder that holds profiles.yml")
    return None


def read_target(project_root: Path, profile: str | None, project_name: str, target_name: str | None,
                profiles_dir: Path | None, ignored: list[Ignored]) -> Target:
    """Select the output of `profile` named by --target (else the profile's `target:`)."""
    file = find_profiles(project_root, profiles_dir)
    if file is None:
        if profile:
            raise ProjectError(f"dbt_project.yml names profile '{profile}' but no profiles.yml was found",
                               Location("dbt_project.yml"),
                               hint="looked in --profiles-dir, $DBT_PROFILES_DIR, the project folder and ~/.dbt/")
        return default_target(project_root, project_name)
    data = load_yaml(file, file) or {}
    name = profile or project_name
    if not isinstance(data, dict) or name not in data:
        names = [k for k in data if k != "config"] if isinstance(data, dict) else []
        hint = nearest(name, names)
        raise ProjectError(f"profile '{name}' is not in {file}", Location(file, 1),
                           hint=f"did you mean '{hint}'?" if hint else f"profiles there: {', '.join(names) or 'none'}")
    entry = data[name]
    if not isinstance(entry, dict) or not isinstance(entry.get("outputs"), dict):
        raise ProjectError(f"profile '{name}' needs an outputs: mapping", _where(data, name, file))
    reject_unknown_keys(entry, ("target", "outputs"), f"profile '{name}'", file)
    chosen = target_name or os.environ.get("DBT_TARGET") or entry.get("target") or DEFAULT_TARGET
    chosen = render_value(chosen, _context(), _where(entry, "target", file))
    outputs = entry["outputs"]
    if chosen not in outputs:
        hint = nearest(str(chosen), list(outputs))
        raise ProjectError(f"target '{chosen}' is not an output of profile '{name}'", _where(entry, "outputs", file),
                           hint=f"did you mean '{hint}'?" if hint else f"outputs: {', '.join(outputs)}")
    output = render_value(outputs[chosen], _context(), _where(outputs, chosen, file))
    return _target(name, str(chosen), output, file, project_root, ignored)


def default_target(project_root: Path, project_name: str) -> Target:
    """No profiles.yml and no `profile:`: a DuckDB warehouse file in the project folder."""
    path = project_root / "warehouse.duckdb"
    return Target(profile=project_name, name=DEFAULT_TARGET, type="duckdb", schema="main", threads=1,
                  database=path.stem, path=path, options={"type": "duckdb", "path": str(path), "schema": "main"})


def _context() -> dict[str, Any]:
    return {"env_var": env_var}


def _where(data: Any, key: str, file: Path) -> Location:
    return data.where(key) if isinstance(data, Mapping) else Location(file)


def _target(profile: str, name: str, output: Any, file: Path, root: Path, ignored: list[Ignored]) -> Target:
    if not isinstance(output, dict) or not output.get("type"):
        raise ProjectError(f"output '{name}' of profile '{profile}' needs a type", Location(file))
    kind = str(output["type"])
    threads = _int(output.get("threads", 1), "threads", output, file)
    if kind != "duckdb":
        return Target(profile=profile, name=name, type=kind, schema=str(output.get("schema") or "default"),
                      threads=threads, database=str(output.get("database") or output.get("catalog") or ""),
                      path=_spark_manifest(output, root) if kind == "spark" else None,
                      options=dict(output), file=file)
    reject_unknown_keys(output, sorted(DUCKDB_KEYS | DUCKDB_IGNORED), f"duckdb output '{name}'", file)
    ignored += [Ignored(f"profiles.yml `{key}:`", _where(output, key, file)) for key in output if key in DUCKDB_IGNORED]
    raw_path = str(output.get("path") or "")
    if not raw_path or raw_path == ":memory:" or raw_path.startswith("md:"):
        raise ProjectError(f"output '{name}' needs a path to a DuckDB file (the published warehouse)",
                           _where(output, "path", file), hint="e.g. path: warehouse.duckdb (in-memory and MotherDuck "
                           "databases cannot be published atomically)")
    path = Path(os.path.expanduser(raw_path))
    path = path if path.is_absolute() else root / path
    schema = str(output.get("schema") or "main")
    if schema.lower() == path.stem.lower():
        # Relations are written schema.name (no catalog, so the file can move): DuckDB could not tell
        # the catalog (named after the file) from the schema.
        raise ProjectError(f"output '{name}': schema '{schema}' has the name of the database file {path.name}",
                           _where(output, "schema", file), hint="DuckDB would find `schema.table` ambiguous: "
                           "rename the file or the schema")
    database = str(output.get("database") or path.stem)
    if database != path.stem:
        # DuckDB names the catalog of a file after the file; ours are staging copies, then the
        # published file, so relations are written without a catalog and the name stays the file's
        ignored.append(Ignored(f"profiles.yml `database: {database}` (the warehouse's catalog is named after "
                               f"its file: {path.stem})", _where(output, "database", file)))
    return Target(
        profile=profile, name=name, type=kind, schema=schema, threads=threads,
        database=path.stem, path=path, threads_at=_where(output, "threads", file) if "threads" in output else None,
        settings=_mapping(output.get("settings"), "settings", output, file),
        attach=tuple(_attach(output.get("attach"), output, file, root)),
        extensions=tuple(_extensions(output.get("extensions"), output, file)),
        options=dict(output), file=file,
    )


def _spark_manifest(output: Any, root: Path) -> Path:
    """A Spark target's published warehouse: the current-build manifest in its `warehouse_dir`
    (docs/scale-out.md). The engine checks the target's other keys when it opens."""
    directory = Path(os.path.expanduser(str(output.get("warehouse_dir") or "spark-warehouse")))
    return (directory if directory.is_absolute() else root / directory) / "current.json"


def _int(value: Any, key: str, output: Any, file: Path) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ProjectError(f"{key} must be a whole number, not {value!r}", _where(output, key, file)) from None
    if number < 1:
        raise ProjectError(f"{key} must be at least 1", _where(output, key, file))
    return number


def _mapping(value: Any, key: str, output: Any, file: Path) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ProjectError(f"{key} must be a mapping", _where(output, key, file))
    return dict(value)


def _attach(value: Any, output: Any, file: Path, root: Path) -> list[dict[str, Any]]:
    entries = []
    for entry in value or []:
        if not isinstance(entry, dict) or not entry.get("path"):
            raise ProjectError("each attach: entry needs a path", _where(output, "attach", file))
        reject_unknown_keys(entry, ATTACH_KEYS, "an attach: entry", file)
        path = str(entry["path"])
        if "://" not in path and not Path(path).is_absolute():
            path = str(root / path)
        alias = str(entry.get("alias") or Path(path).stem)
        entries.append({"path": path, "alias": alias, "type": entry.get("type"),
                        "read_only": bool(entry.get("read_only", False))})
    return entries


def _extensions(value: Any, output: Any, file: Path) -> list[str]:
    names = []
    for item in value or []:
        name = item.get("name") if isinstance(item, dict) else item
        if not isinstance(name, str):
            raise ProjectError(f"cannot read extension {item!r}", _where(output, "extensions", file))
        names.append(name)
    return names
