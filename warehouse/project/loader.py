"""Loading a project: `warehouse.yml`, then every seed, model, properties YAML and singular test.

The result is a `Project`: plain data the later stages (compile, graph, run, test, check,
publish, export) read and never change. Unknown configuration keys are errors naming
the file, the line and the nearest valid key: a typo must never be silently ignored.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warehouse.project import properties
from warehouse.core.errors import Location, ProjectError
from warehouse.project.nodes import MATERIALIZATIONS, NODE_CONFIG_KEYS, Node
from warehouse.core.yamlio import Mapping, load_yaml, nearest, reject_unknown_keys

PROJECT_FILE = "warehouse.yml"
SEED_SUFFIXES = (".csv", ".parquet", ".xlsx")

PROJECT_KEYS = {
    "name": None, "version": None, "config-version": None, "profile": None,
    "model-paths": ["models"], "seed-paths": ["seeds"], "macro-paths": ["macros"],
    "test-paths": ["tests"], "check-paths": ["data_checks"], "landing-paths": ["landing"],
    "landing-schema": "landing", "target-path": "target", "export-path": "exports",
    "database": "warehouse.duckdb", "keep-published": 3, "threads": 1,
    "vars": {}, "models": {}, "seeds": {},
}


@dataclass
class ProjectConfig:
    """The settings of `warehouse.yml`, with defaults filled in. Paths are absolute."""

    name: str
    root: Path
    model_paths: list[Path]
    seed_paths: list[Path]
    macro_paths: list[Path]
    test_paths: list[Path]
    check_paths: list[Path]
    landing_paths: list[Path]
    landing_schema: str
    target_path: Path
    export_path: Path
    database: Path
    keep_published: int
    threads: int
    vars: dict[str, Any]
    models: dict[str, Any]
    seeds: dict[str, Any]
    file: Path


@dataclass
class Project:
    config: ProjectConfig
    nodes: dict[str, Node] = field(default_factory=dict)
    macro_files: list[Path] = field(default_factory=list)
    _index: dict[str, list[Node]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _indexed: int = field(default=0, init=False, repr=False, compare=False)

    @property
    def root(self) -> Path:
        return self.config.root

    def by_name(self, name: str, types: tuple[str, ...] = ("model", "seed")) -> Node | None:
        """The first node (in project order) called `name` of one of `types`.

        An index by name, not a scan: `ref()` asks this for every reference, and a scan made
        compile time grow with the square of the project's size."""
        for attempt in range(2):
            if attempt or self._indexed != len(self.nodes):
                self._reindex()
            found = [n for n in self._index.get(name, ()) if n.resource_type in types]
            if all(self.nodes.get(n.unique_id) is n for n in found):   # else: nodes replaced since
                return found[0] if found else None
        return None

    def add(self, node: Node) -> None:
        """Register `node`, keeping the name index current."""
        self.nodes[node.unique_id] = node
        if self._indexed == len(self.nodes) - 1:
            self._index.setdefault(node.name, []).append(node)
            self._indexed += 1

    def _reindex(self) -> None:
        self._index = {}
        for node in self.nodes.values():
            self._index.setdefault(node.name, []).append(node)
        self._indexed = len(self.nodes)

    def of_type(self, *types: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.resource_type in types]


def read_config(root: Path) -> ProjectConfig:
    """Read `warehouse.yml` at `root`, rejecting unknown keys."""
    file = root / PROJECT_FILE
    if not file.exists():
        raise ProjectError(f"no {PROJECT_FILE} in {root}", hint="run from the project folder, or create warehouse.yml")
    data = load_yaml(file, Path(PROJECT_FILE)) or Mapping(file=file)
    if not isinstance(data, dict):
        raise ProjectError("the project file must be a mapping of keys", Location(file, 1))
    reject_unknown_keys(data, PROJECT_KEYS, "the project file", file)
    get = lambda key: data.get(key, PROJECT_KEYS[key])  # noqa: E731
    paths = lambda key: [root / p for p in _as_list(get(key))]  # noqa: E731
    if not data.get("name"):
        raise ProjectError("the project file needs a 'name'", Location(file, 1))
    return ProjectConfig(
        name=str(data["name"]), root=root, file=file,
        model_paths=paths("model-paths"), seed_paths=paths("seed-paths"),
        macro_paths=paths("macro-paths"), test_paths=paths("test-paths"),
        check_paths=paths("check-paths"), landing_paths=paths("landing-paths"),
        landing_schema=str(get("landing-schema")),
        target_path=root / get("target-path"), export_path=root / get("export-path"),
        database=root / get("database"), keep_published=int(get("keep-published")),
        threads=int(get("threads")), vars=dict(get("vars") or {}),
        models=get("models") or {}, seeds=get("seeds") or {},
    )


def load_project(root: Path) -> Project:
    """Read the whole project: config, seeds, landing files, models, YAML properties, tests."""
    config = read_config(root.resolve())
    check_config_tree(config.models, config.model_paths, config.file, "models:")
    check_config_tree(config.seeds, config.seed_paths, config.file, "seeds:")
    project = Project(config=config)
    _add_files(project, config.seed_paths, SEED_SUFFIXES, "seed", config.seeds)
    _add_landing(project)
    _add_files(project, config.model_paths, (".sql",), "model", config.models)
    for path in _yaml_files(config):
        properties.apply(project, path, load_yaml(path, path.relative_to(project.root)))
    _add_singular_tests(project)
    project.macro_files = sorted(p for d in config.macro_paths if d.exists() for p in d.rglob("*.sql"))
    for node in project.nodes.values():
        _validate_node_config(node)
    properties.add_generic_tests(project)
    return project


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _add_files(project: Project, dirs: list[Path], suffixes: tuple, kind: str, tree: dict) -> None:
    for base in dirs:
        if not base.exists():
            continue
        for path in sorted(base.rglob("*")):
            if path.suffix.lower() not in suffixes or _hidden(path, base):
                continue
            folders = path.relative_to(base).parent.parts
            node = Node(
                unique_id=f"{kind}.{path.stem}", name=path.stem, resource_type=kind,
                path=path.relative_to(project.root), fqn=(*folders, path.stem),
                config=folder_config(tree, folders, project.config.file, base),
            )
            if kind == "model":
                node.raw_sql = path.read_text(encoding="utf-8")
            _register(project, node)


def _hidden(path: Path, base: Path) -> bool:
    return any(part.startswith((".", "_")) and part != "_" for part in path.relative_to(base).parts[:-1]) \
        or path.name.startswith(".")


def _add_landing(project: Project) -> None:
    """Files dropped in the landing folder load like seeds, into the landing schema."""
    config = project.config
    for base in config.landing_paths:
        if not base.exists():
            continue
        for path in sorted(base.iterdir()):
            if path.suffix.lower() in SEED_SUFFIXES and not path.name.startswith("."):
                node = Node(
                    unique_id=f"seed.{path.stem}", name=path.stem, resource_type="seed",
                    path=path.relative_to(config.root) if path.is_relative_to(config.root) else path,
                    fqn=("landing", path.stem), config={"schema": config.landing_schema},
                    source_name="landing",
                )
                _register(project, node)


def _register(project: Project, node: Node) -> None:
    clash = project.nodes.get(node.unique_id) or project.by_name(node.name)
    if clash is not None:
        raise ProjectError(
            f"two nodes are named '{node.name}': {clash.path} and {node.path}",
            Location(node.path), hint="model and seed names share one namespace; rename one file",
        )
    project.add(node)


def folder_config(tree: Any, folders: tuple[str, ...], file: Path, base: Path) -> dict[str, Any]:
    """Merge `+key` settings from the project file's models:/seeds: tree, outermost first."""
    config: dict[str, Any] = {}
    level = tree
    for depth in range(len(folders) + 1):
        if not isinstance(level, dict):
            break
        for key, value in level.items():
            if str(key).startswith("+"):
                _merge(config, key[1:], value)
        if depth == len(folders):
            break
        level = level.get(folders[depth])
    return config


def _merge(config: dict, key: str, value: Any) -> None:
    if key == "tags" and "tags" in config:
        config["tags"] = list(dict.fromkeys(_as_list(config["tags"]) + _as_list(value)))
    else:
        config[key] = value


def check_config_tree(tree: Any, bases: list[Path], file: Path, what: str, trail: tuple = ()) -> None:
    """Every `+key` must be a known config and every other key an existing folder."""
    if not isinstance(tree, dict):
        return
    for key, value in tree.items():
        key = str(key)
        if key.startswith("+"):
            if key[1:] not in NODE_CONFIG_KEYS:
                hint = nearest(key[1:], NODE_CONFIG_KEYS)
                raise ProjectError(f"unknown config '{key}' under {what}", _where(tree, key, file),
                                   hint=f"did you mean '+{hint}'?" if hint else None)
            continue
        folders = [b.joinpath(*trail, key) for b in bases]
        if not any(f.is_dir() for f in folders):
            options = {p.name for b in bases if b.joinpath(*trail).is_dir() for p in b.joinpath(*trail).iterdir() if p.is_dir()}
            hint = nearest(key, options | {"+" + k for k in NODE_CONFIG_KEYS})
            raise ProjectError(f"'{key}' under {what} is neither a '+config' key nor a folder of {'/'.join(trail) or 'the project'}",
                               _where(tree, key, file), hint=f"did you mean '{hint}'?" if hint else None)
        check_config_tree(value, bases, file, what, (*trail, key))


def _where(tree: dict, key: str, file: Path) -> Location:
    return tree.where(key) if isinstance(tree, Mapping) else Location(file)


def _validate_node_config(node: Node) -> None:
    materialized = node.config.get("materialized")
    if node.resource_type == "model" and materialized and materialized not in MATERIALIZATIONS:
        raise ProjectError(f"unknown materialization '{materialized}' for model {node.name}", node.location,
                           hint=f"one of {', '.join(MATERIALIZATIONS)}")


def _yaml_files(config: ProjectConfig) -> list[Path]:
    dirs = config.model_paths + config.seed_paths + config.landing_paths
    return sorted(p for d in dirs if d.exists() for p in d.rglob("*.y*ml") if p.suffix in (".yml", ".yaml"))


def _add_singular_tests(project: Project) -> None:
    """Singular tests are `.sql` files in the test paths: a query returning the failing rows."""
    for base in project.config.test_paths:
        if not base.exists():
            continue
        for path in sorted(base.glob("*.sql")):
            node = Node(
                unique_id=f"test.{path.stem}", name=path.stem, resource_type="test",
                path=path.relative_to(project.root), fqn=("singular", path.stem),
                raw_sql=path.read_text(encoding="utf-8"), config={"severity": "error"},
                test_metadata={"kind": "singular"},
            )
            project.add(node)
