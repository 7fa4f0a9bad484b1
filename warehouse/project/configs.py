"""Node configs from `dbt_project.yml`, resolved as dbt resolves them.

`models:`/`seeds:`/`tests:`/`snapshots:` are trees: `+key` (or a bare key dbt knows as a
config) applies to everything below it; other keys are, in order, a project or package name,
folders, and finally a file name (a per-file entry). For a package's node, the package's own
project file applies first and the root project's then overrides it. `tags` and hooks add up
down the tree, `meta`/`docs`/`persist_docs`/`column_types` merge key by key, everything else
is replaced by the more specific value. Jinja in a value (`+enabled: "{{ var('x') }}"`) is
rendered per node with `var`, `env_var` and `target`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from warehouse.core.errors import Location, ProjectError
from warehouse.core.yamlio import Mapping, nearest
from warehouse.project.dbt_project import ProjectFile, env_var, render_value
from warehouse.project.nodes import NODE_CONFIG_KEYS, Node

TREES = {"model": "models", "seed": "seeds", "test": "tests", "snapshot": "snapshots"}
PATH_KEY = {"model": "model-paths", "seed": "seed-paths", "test": "test-paths", "snapshot": "snapshot-paths"}
APPEND = frozenset({"tags", "pre_hook", "post_hook"})
UPDATE = frozenset({"meta", "docs", "persist_docs", "column_types", "quoting", "grants", "contract"})
RENDER_LATER = frozenset({"pre_hook", "post_hook", "sql_header"})   # rendered when the node runs (they use `this`)
FILE_SUFFIXES = (".sql", ".csv", ".parquet", ".xlsx", ".py")


def canonical(key: str) -> str:
    """`+pre-hook` and `pre_hook` are one config; dbt writes hooks with a hyphen in YAML."""
    return key.lstrip("+").replace("-", "_") if key.lstrip("+") in ("pre-hook", "post-hook") else key.lstrip("+")


def merge(config: dict[str, Any], key: str, value: Any) -> None:
    """Set one config key with dbt's merge behaviour (append, update, or replace)."""
    key = canonical(key)
    if key in APPEND:
        before = config.get(key) or []
        config[key] = list(dict.fromkeys(_as_list(before) + _as_list(value))) if key == "tags" else \
            _as_list(before) + _as_list(value)
    elif key in UPDATE and isinstance(value, dict) and isinstance(config.get(key), dict):
        config[key] = {**config[key], **value}
    else:
        config[key] = value


def truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "0", "no", "off", "none", "")
    return bool(value)


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


class ConfigResolver:
    """Folder and per-file configs of every project file, and dbt's variable scoping."""

    def __init__(self, config: Any):
        self.root = config.project_file
        self.files = {pf.name: pf for pf in [config.project_file, *config.packages]}
        self.cli_vars = config.cli_vars
        self.target = config.target

    # -- configs -----------------------------------------------------------------------------
    def node_config(self, kind: str, package: str, folders: tuple[str, ...], name: str) -> dict[str, Any]:
        config: dict[str, Any] = {}
        tree_name = TREES[kind]
        if package != self.root.name and package in self.files:
            _apply(config, getattr(self.files[package], tree_name), package, folders, name)
        _apply(config, getattr(self.root, tree_name), package, folders, name)
        return config

    def render(self, node: Node) -> None:
        """Render Jinja in the node's config values (not hooks: those render when the node runs)."""
        context = {"var": self.var_function(node.package_name or self.root.name), "env_var": env_var,
                   "target": self.target.context(), "project_name": self.root.name}
        for key, value in list(node.config.items()):
            if key not in RENDER_LATER:
                node.config[key] = render_value(value, context, node.location)

    # -- vars ------------------------------------------------------------------------------------
    def var_function(self, package: str) -> Callable[..., Any]:
        """`var()` for nodes of `package`, with dbt's precedence: --vars, the root project's vars
        scoped to the package, the root's global vars, then the package's own vars, then the default."""
        scopes = self.var_scopes(package)

        def var(name: str, default: Any = _MISSING) -> Any:
            for scope in scopes:
                if name in scope:
                    return scope[name]
            if default is not _MISSING:
                return default
            raise ProjectError(f"var('{name}') is not defined",
                               hint=f"set it under vars: in dbt_project.yml or pass --vars '{{\"{name}\": ...}}'")
        return var

    def var_scopes(self, package: str) -> list[dict[str, Any]]:
        names = set(self.files)
        root_vars = self.root.vars or {}
        scopes = [self.cli_vars, _scoped(root_vars, package), _global(root_vars, names)]
        if package != self.root.name and package in self.files:
            own = self.files[package].vars or {}
            scopes += [_scoped(own, package), _global(own, names)]
        return scopes

    # -- validation ------------------------------------------------------------------------------
    def check_tree(self, pf: ProjectFile, ignored: list | None = None) -> None:
        """Every key of models:/seeds:/snapshots: must be a config, a project/package name, a folder or a file;
        dbt configs we do not implement (grants, access, group, ...) are added to `ignored`."""
        if ignored is not None:
            _collect_ignored(pf, ignored)
        for kind in ("model", "seed", "snapshot"):
            tree = getattr(pf, TREES[kind])
            if not isinstance(tree, dict):
                continue
            for key, value in tree.items():
                key = str(key)
                if _is_config(key, None):
                    _check_config_key(tree, key, pf, TREES[kind])
                elif key in self.files:
                    bases = self.files[key].paths[PATH_KEY[kind]]
                    _check_subtree(value, bases, pf, TREES[kind], (key,), ())
                else:
                    if any((self.root.root / f).is_file() for f in ("packages.yml", "dependencies.yml")):
                        raise ProjectError(f"'{key}' under {TREES[kind]}: is no installed package or project",
                                           _where(tree, key, pf), hint="install the project's packages with "
                                           "`python3 run.py deps` (into packages-install-path)")
                    options = sorted(self.files) + ["+" + k for k in NODE_CONFIG_KEYS]
                    hint = nearest(key, options)
                    raise ProjectError(
                        f"'{key}' under {TREES[kind]}: is neither a '+config' key nor a project or package name",
                        _where(tree, key, pf), hint=(f"did you mean '{hint}'? " if hint else "") +
                        f"folder configs are nested under the project name: {TREES[kind]}: {{{self.root.name}: "
                        f"{{{key}: ...}}}}")


_MISSING = object()


def _collect_ignored(pf: ProjectFile, ignored: list) -> None:
    from warehouse.project.ignored import Ignored
    from warehouse.project.nodes import IGNORED_CONFIG_KEYS

    def walk(tree: Any, what: str) -> None:
        if not isinstance(tree, dict):
            return
        for key, value in tree.items():
            if str(key).startswith("+") and canonical(str(key)) in IGNORED_CONFIG_KEYS:
                ignored.append(Ignored(f"config `{canonical(str(key))}` under {what}:", _where(tree, str(key), pf)))
            elif isinstance(value, dict):
                walk(value, what)

    for tree_name in ("models", "seeds", "snapshots", "tests"):
        walk(getattr(pf, tree_name), tree_name)


def _scoped(vars_: dict, package: str) -> dict:
    value = vars_.get(package)
    return value if isinstance(value, dict) else {}


def _global(vars_: dict, names: set[str]) -> dict:
    return {k: v for k, v in vars_.items() if k not in names}


def _is_config(key: str, next_part: str | None) -> bool:
    return key.startswith("+") or (key != next_part and canonical(key) in NODE_CONFIG_KEYS)


def _apply(config: dict[str, Any], tree: Any, package: str, folders: tuple[str, ...], name: str) -> None:
    """Walk top -> package -> folders -> file, merging the configs met on the way."""
    path = (package, *folders, name)
    level = tree
    for depth in range(len(path) + 1):
        if not isinstance(level, dict):
            return
        following = path[depth] if depth < len(path) else None
        for key, value in level.items():
            if _is_config(str(key), following):
                merge(config, str(key), value)
        if following is None:
            return
        level = level.get(following)


def _where(tree: Any, key: str, pf: ProjectFile) -> Location:
    return tree.where(key) if isinstance(tree, Mapping) else Location(pf.file)


def _check_config_key(tree: Any, key: str, pf: ProjectFile, what: str) -> None:
    name = canonical(key)
    if name in NODE_CONFIG_KEYS:
        return
    hint = nearest(name, NODE_CONFIG_KEYS)
    raise ProjectError(f"unknown config '{key}' under {what}:", _where(tree, key, pf),
                       hint=f"did you mean '+{hint}'?" if hint else None)


def _check_subtree(tree: Any, bases: list[Path], pf: ProjectFile, what: str, trail: tuple, folders: tuple) -> None:
    if not isinstance(tree, dict):
        return
    for key, value in tree.items():
        key = str(key)
        here = [b.joinpath(*folders) for b in bases]
        if key.startswith("+"):
            _check_config_key(tree, key, pf, what)
            continue
        is_folder = any((h / key).is_dir() for h in here)
        is_file = any((h / (key + s)).is_file() for h in here for s in FILE_SUFFIXES)
        if is_folder:
            _check_subtree(value, bases, pf, what, (*trail, key), (*folders, key))
        elif is_file or canonical(key) in NODE_CONFIG_KEYS:
            if is_file:
                plus = {k: v for k, v in value.items() if str(k).startswith("+")} if isinstance(value, dict) else {}
                _check_subtree(plus, bases, pf, what, (*trail, key), folders)
            continue
        else:
            options = {p.name for h in here if h.is_dir() for p in h.iterdir() if p.is_dir()}
            options |= {p.stem for h in here if h.is_dir() for p in h.iterdir() if p.suffix in FILE_SUFFIXES}
            hint = nearest(key, options | {"+" + k for k in NODE_CONFIG_KEYS})
            raise ProjectError(f"'{key}' under {what}: is neither a '+config' key nor a folder or file of "
                               f"{'/'.join(trail)}", _where(tree, key, pf),
                               hint=f"did you mean '{hint}'?" if hint else None)
