"""`dbt_project.yml`, read as dbt reads it, and our own settings in the one block dbt tolerates.

dbt validates its project file strictly (an unknown top-level key is an error there), so our
settings cannot be top-level keys: they live under `vars: warehouse:` (dbt accepts any value
under `vars`). Keys dbt documents but we do not implement (semantic layer, exposures,
query-comment, ...) are accepted and listed as ignored; a key neither dbt nor we know is an
error naming the line and the nearest valid key.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warehouse.core.errors import Location, ProjectError
from warehouse.core.yamlio import Mapping, load_yaml, reject_unknown_keys
from warehouse.project.ignored import Ignored

PROJECT_FILE = "dbt_project.yml"
LEGACY_FILE = "warehouse.yml"

# Every top-level key of dbt's project file (dbt-core 1.8-1.11 documentation).
PATH_KEYS = {
    "model-paths": ["models"], "seed-paths": ["seeds"], "macro-paths": ["macros"], "test-paths": ["tests"],
    "snapshot-paths": ["snapshots"], "analysis-paths": ["analyses"], "docs-paths": None, "asset-paths": [],
    "function-paths": ["functions"],
}
IMPLEMENTED_KEYS = frozenset({
    "name", "version", "config-version", "profile", *PATH_KEYS, "target-path", "log-path",
    "packages-install-path", "clean-targets", "require-dbt-version", "quoting", "on-run-start", "on-run-end",
    "dispatch", "vars", "flags", "models", "seeds", "snapshots", "tests", "data_tests", "sources", "unit_tests",
})
# dbt keys parsed and reported once as "not supported, ignored".
IGNORED_KEYS = frozenset({
    "metrics", "semantic-models", "saved-queries", "exposures", "query-comment", "restrict-access", "dbt-cloud",
    "functions", "analyses",
})
# Our own settings, under `vars: warehouse:`; defaults here.
WAREHOUSE_VAR = "warehouse"
WAREHOUSE_KEYS: dict[str, Any] = {
    "landing-paths": ["landing"], "landing-schema": "landing", "check-paths": ["data_checks"],
    "export-path": "exports", "keep-published": 3, "static-check": {},
    # DuckDB storage format of the published file: v1.0.0 opens in every 1.x client and loses
    # nothing our marts use (docs/project.md); "latest" for duckdb 2.0's own format.
    "storage-compatibility-version": "v1.0.0",
}
# Kinds of static-check finding whose level a project may set (error, warn or off).
STATIC_CHECK_KINDS = ("unknown_table", "unknown_column", "ambiguous_column", "select_star_in_mart",
                      "undocumented_missing", "analysis_skipped")
FLAG_KEYS = frozenset({
    "send_anonymous_usage_stats", "use_colors", "partial_parse", "printer_width", "write_json", "warn_error",
    "warn_error_options", "log_format", "log_level", "debug", "version_check", "fail_fast", "use_experimental_parser",
    "static_parser", "cache_selected_only", "populate_cache", "indirect_selection", "quiet", "no_print",
    "require_explicit_package_overrides_for_builtin_materializations", "require_resource_names_without_spaces",
    "source_freshness_run_project_hooks", "skip_nodes_if_on_run_start_fails",
    "state_modified_compare_more_unrendered_values",
    "state_modified_compare_vars", "require_yaml_configuration_for_mf_time_spines",
    "require_batched_execution_for_custom_microbatch_strategy",
    "require_nested_cumulative_type_params", "validate_macro_args", "require_all_warnings_handled_by_warn_error",
    "require_generic_test_arguments_property", "require_unique_project_resource_names",
    "require_ref_searches_node_package_before_root",
    "use_fast_test_edges", "log_path", "target_path", "invocation_command", "empty", "defer", "state", "threads",
})
QUOTING_KEYS = frozenset({"database", "schema", "identifier", "snowflake_ignore_case"})
DBT_VERSION_WE_MATCH = (1, 10, 0)


@dataclass
class ProjectFile:
    """The settings of one `dbt_project.yml` (the root project or an installed package)."""

    name: str
    root: Path
    file: Path
    profile: str | None
    paths: dict[str, list[Path]]
    target_path: Path
    packages_install_path: Path
    clean_targets: list[Path]
    vars: dict[str, Any]
    models: Any
    seeds: Any
    snapshots: Any
    tests: Any
    sources: Any
    on_run_start: list[str]
    on_run_end: list[str]
    dispatch: list[dict[str, Any]]
    quoting: dict[str, Any]
    flags: dict[str, Any]
    warehouse: dict[str, Any]
    require_dbt_version: list[str]
    ignored: list[Ignored] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_project_file(root: Path, cli_vars: dict[str, Any] | None = None, is_root: bool = True) -> ProjectFile:
    """Read `root/dbt_project.yml`; unknown keys are errors, dbt keys we lack are listed as ignored."""
    file = root / PROJECT_FILE
    if not file.exists():
        if is_root and (root / LEGACY_FILE).exists():
            raise ProjectError(f"{LEGACY_FILE} is no longer read: the project file is {PROJECT_FILE} "
                               "(with profiles.yml)",
                               Location(root / LEGACY_FILE, 1), hint="see docs/project.md for the mapping of each key")
        raise ProjectError(f"no {PROJECT_FILE} in {root}", hint="run from the project folder or pass --project-dir")
    shown = Path(PROJECT_FILE) if is_root else file
    data = load_yaml(file, shown) or Mapping(file=shown)
    if not isinstance(data, dict):
        raise ProjectError("the project file must be a mapping of keys", Location(shown, 1))
    _reject_moved_settings(data, shown)
    reject_unknown_keys(data, sorted(IMPLEMENTED_KEYS | IGNORED_KEYS), "dbt_project.yml", shown)
    data = _render_top_level(data, cli_vars or {}, shown)
    if not data.get("name"):
        raise ProjectError("dbt_project.yml needs a 'name'", Location(shown, 1))
    name = str(data["name"])
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ProjectError(f"project name '{name}' must contain only letters, digits and underscores",
                           _where(data, "name", shown))
    ignored = [Ignored(f"dbt_project.yml `{key}:`", _where(data, key, shown)) for key in data if key in IGNORED_KEYS]
    vars_ = data.get("vars") or {}
    if not isinstance(vars_, dict):
        raise ProjectError("'vars' must be a mapping of names to values", _where(data, "vars", shown))
    version_warning = check_require_version(data.get("require-dbt-version"), _where(data, "require-dbt-version", shown))
    _check_mapping(data.get("flags"), "flags", FLAG_KEYS, shown)
    _check_mapping(data.get("quoting"), "quoting", QUOTING_KEYS, shown)
    return ProjectFile(
        name=name, root=root, file=file, profile=data.get("profile"),
        paths={key: [root / p for p in _as_list(data.get(key, default) or [])] for key, default in PATH_KEYS.items()},
        target_path=root / str(data.get("target-path") or "target"),
        packages_install_path=root / str(data.get("packages-install-path") or "dbt_packages"),
        clean_targets=[root / p for p in _as_list(data.get("clean-targets") or [])],
        vars=vars_, models=data.get("models") or {}, seeds=data.get("seeds") or {},
        snapshots=data.get("snapshots") or {}, tests=_merged_tests(data), sources=data.get("sources") or {},
        on_run_start=[str(h) for h in _as_list(data.get("on-run-start") or [])],
        on_run_end=[str(h) for h in _as_list(data.get("on-run-end") or [])],
        dispatch=_dispatch(data.get("dispatch"), shown), quoting=dict(data.get("quoting") or {}),
        flags=dict(data.get("flags") or {}),
        warehouse=_warehouse_settings(vars_, shown) if is_root else dict(WAREHOUSE_KEYS),
        require_dbt_version=[str(v) for v in _as_list(data.get("require-dbt-version") or [])],
        ignored=ignored, warnings=[version_warning] if version_warning else [],
    )


MOVED = {"database": "the published warehouse is the `path:` of the target in profiles.yml",
         "threads": "threads are set per target in profiles.yml (or --threads)"}


def _reject_moved_settings(data: Mapping, file: Path) -> None:
    """warehouse.yml's own keys written at the top of dbt_project.yml: say where they live now."""
    for key in data:
        spelled = str(key).replace("_", "-")
        if key in IMPLEMENTED_KEYS or key in IGNORED_KEYS:
            continue
        if spelled in WAREHOUSE_KEYS:
            raise ProjectError(f"unknown key '{key}' in dbt_project.yml", _where(data, key, file),
                               hint=f"our own settings go under vars: {WAREHOUSE_VAR}: {{{spelled}: ...}} "
                                    "(dbt does not allow extra top-level keys)")
        if spelled in MOVED:
            raise ProjectError(f"unknown key '{key}' in dbt_project.yml", _where(data, key, file), hint=MOVED[spelled])


def _where(data: Any, key: str, file: Path) -> Location:
    return data.where(key) if isinstance(data, Mapping) else Location(file)


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _merged_tests(data: dict) -> Any:
    """`tests:` was renamed `data_tests:` in dbt 1.8; both configure tests, data_tests wins."""
    tests = data.get("tests") or {}
    data_tests = data.get("data_tests") or {}
    if isinstance(tests, dict) and isinstance(data_tests, dict):
        merged = Mapping({**tests, **data_tests}, line=getattr(data_tests, "line", None),
                         key_lines={**getattr(tests, "key_lines", {}), **getattr(data_tests, "key_lines", {})},
                         file=getattr(data_tests, "file", None) or getattr(tests, "file", None))
        return merged
    return data_tests or tests


def _render_top_level(data: Mapping, cli_vars: dict[str, Any], file: Path) -> Mapping:
    """dbt renders the project file's own settings (name, profile, paths) with env_var() and the
    --vars values; `vars`, configs under models:/seeds: and hooks are rendered later, per node."""
    deferred = {"vars", "models", "seeds", "snapshots", "tests", "data_tests", "sources", "on-run-start",
                "on-run-end", "unit_tests", *IGNORED_KEYS}
    out = Mapping(line=data.line, key_lines=dict(data.key_lines), file=data.file)
    for key, value in data.items():
        out[key] = value if key in deferred else render_value(value, {"var": _cli_var(cli_vars)},
                                                              _where(data, key, file))
    return out


def _cli_var(cli_vars: dict[str, Any]):
    def var(name: str, default: Any = None) -> Any:
        if name in cli_vars:
            return cli_vars[name]
        if default is None:
            raise ProjectError(f"var('{name}') in dbt_project.yml needs a --vars value or a default")
        return default
    return var


def render_value(value: Any, context: dict[str, Any], where: Location) -> Any:
    """Render Jinja in a YAML value (strings inside lists and mappings too); others pass through."""
    if isinstance(value, str) and ("{{" in value or "{%" in value):
        from warehouse.project.yaml_jinja import render_string

        return render_string(value, context, where)
    if isinstance(value, list):
        return [render_value(v, context, where) for v in value]
    if isinstance(value, dict) and not isinstance(value, Mapping):
        return {k: render_value(v, context, where) for k, v in value.items()}
    if isinstance(value, Mapping):
        out = Mapping(line=value.line, key_lines=dict(value.key_lines), file=value.file)
        for k, v in value.items():
            out[k] = render_value(v, context, value.where(k))
        return out
    return value


def check_require_version(spec: Any, where: Location) -> str | None:
    """`require-dbt-version`, checked loosely: we follow dbt 1.10's documented behaviour, so a
    spec is compared with 1.10.0; a malformed spec is an error, a range we fall outside of is a
    warning (returned), since the project may well work here anyway."""
    for item in _as_list(spec or []):
        for part in str(item).split(","):
            match = re.fullmatch(r"\s*(>=|<=|>|<|==|=)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*", part)
            if not match:
                raise ProjectError(f"cannot read require-dbt-version '{item}'", where,
                                   hint='e.g. ">=1.5.0" or [">=1.5.0", "<2.0.0"]')
            op = match.group(1) or "=="
            version = tuple(int(g or 0) for g in match.groups()[1:])
            ours = DBT_VERSION_WE_MATCH
            ok = {">=": ours >= version, ">": ours > version, "<=": ours <= version, "<": ours < version,
                  "==": ours == version, "=": ours == version}[op]
            if not ok:
                return (f"{where}: require-dbt-version {item} excludes dbt "
                        f"{'.'.join(map(str, ours))}, whose behaviour we follow; building anyway")
    return None


def _check_mapping(value: Any, key: str, keys: frozenset[str], file: Path) -> None:
    """`flags:` and `quoting:` are read for their keys only: an unknown key is refused, never ignored."""
    if value is None:
        return
    if not isinstance(value, dict):
        raise ProjectError(f"'{key}' must be a mapping", Location(file))
    reject_unknown_keys(value, keys, f"{key}:", file)


def _dispatch(value: Any, file: Path) -> list[dict[str, Any]]:
    entries = []
    for entry in _as_list(value or []):
        if not isinstance(entry, dict) or "macro_namespace" not in entry or "search_order" not in entry:
            raise ProjectError("each dispatch: entry needs macro_namespace and search_order",
                               entry.where() if isinstance(entry, Mapping) else Location(file))
        reject_unknown_keys(entry, ("macro_namespace", "search_order"), "a dispatch: entry", file)
        entries.append({"macro_namespace": str(entry["macro_namespace"]),
                        "search_order": [str(s) for s in _as_list(entry["search_order"])]})
    return entries


def _warehouse_settings(vars_: dict, file: Path) -> dict[str, Any]:
    """Our own settings: `vars: warehouse: {landing-paths: ..., export-path: ..., ...}`."""
    block = vars_.get(WAREHOUSE_VAR) or {}
    if not isinstance(block, dict):
        raise ProjectError(f"vars: {WAREHOUSE_VAR}: must be a mapping of warehouse settings",
                           _where(vars_, WAREHOUSE_VAR, file))
    reject_unknown_keys(block, WAREHOUSE_KEYS, f"vars: {WAREHOUSE_VAR}:", file)
    settings = {**WAREHOUSE_KEYS, **block}
    levels = settings["static-check"] or {}
    if not isinstance(levels, dict):
        raise ProjectError("static-check: must map finding kinds to error, warn or off",
                           _where(block, "static-check", file))
    reject_unknown_keys(levels, STATIC_CHECK_KINDS, "vars: warehouse: static-check:", file)
    for kind, level in levels.items():
        if level not in ("error", "warn", "off"):
            raise ProjectError(f"static-check level of {kind} must be error, warn or off, not {level!r}",
                               _where(levels, kind, file))
    try:
        settings["keep-published"] = int(settings["keep-published"])
    except (TypeError, ValueError):
        raise ProjectError(f"keep-published must be a whole number, not {settings['keep-published']!r}",
                           _where(block, "keep-published", file)) from None
    return settings


def env_var(name: str, default: Any = None) -> Any:
    """dbt's env_var(): the variable's value, else the default, else an error."""
    if name in os.environ:
        return os.environ[name]
    if default is not None:
        return default
    raise ProjectError(f"env_var('{name}') is not set and has no default")
