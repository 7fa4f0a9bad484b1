"""Loading a project: `dbt_project.yml` + `profiles.yml`, installed packages, then every seed,
model, properties YAML and test of each.

The result is a `Project`: plain data the later stages (compile, graph, run, test, check,
publish, export) read. Unknown configuration keys are errors naming the file, the line and
the nearest valid key; dbt keys we do not implement are listed in `config.ignored`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warehouse.core.errors import Location, ProjectError
from warehouse.core.yamlio import Mapping, load_yaml, nearest, read_utf8
from warehouse.project import configs, packages, properties, snapshots
from warehouse.project.change_config import change_config
from warehouse.project.dbt_project import ProjectFile, read_project_file
from warehouse.project.ignored import Ignored
from warehouse.project.nodes import MATERIALIZATIONS, Node, node_id
from warehouse.project.profiles import Target, read_target

PROJECT_FILE = "dbt_project.yml"
SEED_SUFFIXES = (".csv", ".parquet", ".xlsx")


@dataclass
class ProjectConfig:
    """The settings of `dbt_project.yml` and the selected profile target. Paths are absolute."""

    name: str
    root: Path
    file: Path
    model_paths: list[Path]
    seed_paths: list[Path]
    macro_paths: list[Path]
    test_paths: list[Path]
    docs_paths: list[Path]
    check_paths: list[Path]
    landing_paths: list[Path]
    landing_schema: str
    target_path: Path
    export_path: Path
    database: Path                  # the published warehouse (the target's path)
    keep_published: int
    storage_compatibility_version: str
    threads: int
    vars: dict[str, Any]
    models: Any
    seeds: Any
    target: Target
    project_file: ProjectFile
    packages: list[ProjectFile] = field(default_factory=list)
    cli_vars: dict[str, Any] = field(default_factory=dict)
    ignored: list[Ignored] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    static_check_levels: dict[str, str] = field(default_factory=dict)


@dataclass
class Project:
    config: ProjectConfig
    nodes: dict[str, Node] = field(default_factory=dict)
    macro_files: list[Path] = field(default_factory=list)              # the root project's
    versions: dict[str, dict[str, str]] = field(default_factory=dict)   # model -> {"1": uid, ..., "latest": uid}
    package_macros: dict[str, list[Path]] = field(default_factory=dict)  # per installed package
    disabled: dict[str, Node] = field(default_factory=dict)
    docs: dict[str, str] = field(default_factory=dict)                 # {% docs name %} blocks, for doc()
    _index: dict[str, list[Node]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _indexed: int = field(default=0, init=False, repr=False, compare=False)

    @property
    def root(self) -> Path:
        return self.config.root

    def by_name(self, name: str, types: tuple[str, ...] = ("model", "seed"), package: str | None = None) -> Node | None:
        """The first node (in project order) called `name` of one of `types` (of `package` when
        given); the root project's before an installed package's, as dbt resolves a one-argument ref.

        An index by name, not a scan: `ref()` asks this for every reference, and a scan made
        compile time grow with the square of the project's size."""
        for attempt in range(2):
            if attempt or self._indexed != len(self.nodes):
                self._reindex()
            found = [n for n in self._index.get(name, ()) if n.resource_type in types
                     and (package is None or n.package_name == package)]
            if all(self.nodes.get(n.unique_id) is n for n in found):   # else: nodes replaced since
                found.sort(key=lambda n: n.package_name not in (None, self.config.name))
                return found[0] if found else None
        return None

    def source(self, source_name: str, table: str) -> Node | None:
        """The declared source table `source(source_name, table)` means: the root project's, else
        the first package's that declares it (as dbt resolves it)."""
        for package in self.package_names():
            node = self.nodes.get(node_id("source", package, source_name, table))
            if node is not None:
                return node
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

    def package_names(self) -> list[str]:
        return [self.config.name] + [p.name for p in self.config.packages]


def _threads_ignored(cli_threads: int | None, target: Target) -> list[Ignored]:
    """dbt's `threads` (--threads, or the profile's): nodes run one at a time here, so more than
    one is listed once as ignored. Measured: DuckDB already uses every core inside each statement,
    and concurrent nodes gave no gain (bench/bench_threads.py, docs/dbt-compatibility.md)."""
    threads = cli_threads or target.threads
    if threads <= 1:
        return []
    where = Location("--threads") if cli_threads else (target.threads_at or Location(target.file))
    return [Ignored(f"`threads: {threads}` (nodes run one at a time; DuckDB uses every core within each)", where)]


def read_config(root: Path, *, profiles_dir: Path | None = None, target: str | None = None,
                cli_vars: dict[str, Any] | None = None, threads: int | None = None) -> ProjectConfig:
    """Read dbt_project.yml, the profile target it selects, and the installed packages."""
    root = root.resolve()
    pf = read_project_file(root, cli_vars)
    ignored = list(pf.ignored)
    tgt = read_target(root, pf.profile, pf.name, target, profiles_dir, ignored)
    ignored += _threads_ignored(threads, tgt)
    installed = packages.installed(pf, cli_vars or {})
    for package in installed:
        ignored += package.ignored
    settings = pf.warehouse
    return ProjectConfig(
        name=pf.name, root=root, file=pf.file,
        model_paths=pf.paths["model-paths"], seed_paths=pf.paths["seed-paths"], macro_paths=pf.paths["macro-paths"],
        test_paths=pf.paths["test-paths"], docs_paths=pf.paths["docs-paths"] or pf.paths["model-paths"],
        check_paths=[root / p for p in _as_list(settings["check-paths"])],
        landing_paths=[root / p for p in _as_list(settings["landing-paths"])],
        landing_schema=str(settings["landing-schema"]), target_path=pf.target_path,
        export_path=root / str(settings["export-path"]), database=tgt.path or root / "warehouse.duckdb",
        keep_published=int(settings["keep-published"]), threads=int(threads or tgt.threads),
        storage_compatibility_version=str(settings["storage-compatibility-version"]),
        vars=dict(pf.vars), models=pf.models, seeds=pf.seeds, target=tgt, project_file=pf,
        packages=installed, cli_vars=dict(cli_vars or {}), ignored=ignored, warnings=list(pf.warnings),
        static_check_levels=dict(settings["static-check"] or {}),
    )


def load_project(root: Path, **options: Any) -> Project:
    """Read the whole project: config, packages, seeds, landing files, models, YAML properties, tests."""
    config = read_config(root, **options)
    project = Project(config=config)
    resolver = configs.ConfigResolver(config)
    for pf in [config.project_file, *config.packages]:
        resolver.check_tree(pf, config.ignored)
        _note_unsupported_files(pf, config.ignored)
    for pf in [config.project_file, *config.packages]:
        _add_files(project, pf, pf.paths["seed-paths"], SEED_SUFFIXES, "seed", resolver)
    _add_landing(project)
    for pf in [config.project_file, *config.packages]:
        _add_files(project, pf, pf.paths["model-paths"], (".sql", ".py"), "model", resolver)
    root_file = config.project_file
    snapshots.add_snapshots(project, root_file.paths["snapshot-paths"],
                            lambda folders, name: resolver.node_config("snapshot", root_file.name, folders, name))
    for pf in [config.project_file, *config.packages]:
        for path in _yaml_files(pf, config if pf is config.project_file else None):
            properties.apply(project, path, load_yaml(path, _shown(project, path)), pf.name)
        _add_singular_tests(project, pf)
    project.docs = read_docs([d for pf in [*config.packages, config.project_file]
                              for d in (pf.paths["docs-paths"] or pf.paths["model-paths"] + pf.paths["seed-paths"])],
                             root)
    _render_descriptions(project, resolver)
    project.macro_files = _macro_files(config.project_file)
    project.package_macros = {pf.name: _macro_files(pf) for pf in config.packages}
    for node in project.nodes.values():
        resolver.render(node)
        _validate_node_config(node)
    drop_disabled(project, before_parse=True)
    properties.add_generic_tests(project)
    _apply_test_configs(project, resolver)
    return project


def _apply_test_configs(project: Project, resolver: configs.ConfigResolver) -> None:
    """dbt_project.yml's `tests:`/`data_tests:` tree under each test: the test's own config wins."""
    for node in project.of_type("test"):
        meta = node.test_metadata or {}
        parent = project.nodes.get(meta.get("attached_to", "")) if meta.get("attached_to") else None
        package = (parent.package_name if parent else node.package_name) or project.config.name
        folders = tuple(node.path.parts[1:-1]) if node.path and len(node.path.parts) > 2 else ()
        base = resolver.node_config("test", package, folders, node.name)
        if base:
            node.config = {**base, **node.config}
            if "severity" in node.config:
                node.config["severity"] = str(node.config["severity"]).lower()


_DOCS_BLOCK = re.compile(r"{%-?\s*docs\s+(\w+)\s*-?%}(.*?){%-?\s*enddocs\s*-?%}", re.DOTALL)


def read_docs(folders: list[Path], root: Path | None = None) -> dict[str, str]:
    """dbt's `{% docs name %}...{% enddocs %}` blocks from the .md files of the docs paths."""
    docs: dict[str, str] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
            shown = path.relative_to(root) if root and path.is_relative_to(root) else path
            for match in _DOCS_BLOCK.finditer(read_utf8(path, shown)):
                docs[match.group(1)] = match.group(2).strip()
    return docs


def _render_descriptions(project: Project, resolver: configs.ConfigResolver) -> None:
    """Descriptions written with Jinja (`"{{ doc('x') }}"`) are rendered once, as dbt does."""
    from warehouse.project.yaml_jinja import render_string

    def doc(name: str, package: str | None = None) -> str:
        if name not in project.docs:
            raise ProjectError(f"doc('{name}'): no {{% docs {name} %}} block in the docs paths")
        return project.docs[name]

    for node in project.nodes.values():
        context = {"doc": doc, "var": resolver.var_function(node.package_name or project.config.name),
                   "env_var": configs.env_var}
        where = Location(node.properties_path or node.path, node=node.name)
        if "{{" in node.description:
            node.description = str(render_string(node.description, context, where))
        for column in node.columns.values():
            if "{{" in column.description:
                column.description = str(render_string(column.description, context, where))


_MATERIALIZATION = re.compile(r"{%-?\s*materialization\s+(\w+)")


def _note_unsupported_files(pf: ProjectFile, ignored: list[Ignored]) -> None:
    """Custom materializations and analyses: listed as ignored, with their file (and line)."""
    for path in _macro_files(pf):
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in _MATERIALIZATION.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            ignored.append(Ignored(f"custom materialization `{match.group(1)}`", Location(_rel(pf, path), line)))
    for base in pf.paths["analysis-paths"]:
        files = sorted(base.rglob("*.sql")) if base.is_dir() else []
        if files:
            ignored.append(Ignored(f"`analyses` ({len(files)} file(s), not compiled)", Location(_rel(pf, base))))


def _rel(pf: ProjectFile, path: Path) -> Path:
    return path.relative_to(pf.root) if path.is_relative_to(pf.root) else path


def drop_disabled(project: Project, before_parse: bool = False) -> None:
    """Nodes with `enabled: false` leave the project (with their tests), as in dbt; a node that
    still depends on one is an error naming both, as dbt's is."""
    gone = {uid for uid, n in project.nodes.items() if not configs.truthy(n.config.get("enabled", True))}
    if not gone:
        return
    for uid in gone:
        project.disabled[uid] = project.nodes.pop(uid)
    for uid, node in list(project.nodes.items()):
        meta = node.test_metadata or {}
        if meta.get("attached_to") in gone:
            project.disabled[uid] = project.nodes.pop(uid)
    if before_parse:
        return
    for node in project.nodes.values():
        for parent in node.depends_on:
            if parent in project.disabled:
                other = project.disabled[parent]
                raise ProjectError(f"{node.resource_type} '{node.name}' depends on {other.resource_type} "
                                   f"'{other.name}', which is disabled", node.location,
                                   hint=f"enable {other.name} or remove the ref()")


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _shown(project: Project, path: Path) -> Path:
    return path.relative_to(project.root) if path.is_relative_to(project.root) else path


def _add_files(project: Project, pf: ProjectFile, dirs: list[Path], suffixes: tuple, kind: str,
               resolver: configs.ConfigResolver) -> None:
    for base in dirs:
        if not base.exists():
            continue
        for path in sorted(base.rglob("*")):
            if path.suffix.lower() not in suffixes or _hidden(path, base) or not path.is_file():
                continue
            folders = path.relative_to(base).parent.parts
            node = Node(
                unique_id=node_id(kind, pf.name, path.stem),
                name=path.stem, resource_type=kind, path=_shown(project, path), fqn=(*folders, path.stem),
                config=resolver.node_config(kind, pf.name, folders, path.stem), package_name=pf.name,
            )
            if kind == "model":
                shown = path.relative_to(project.root) if path.is_relative_to(project.root) else path
                node.raw_sql = read_utf8(path, shown)
            _register(project, node)


def _hidden(path: Path, base: Path) -> bool:
    """Dot-files and dot-folders are not part of the project (folders starting with `_` are, as in dbt)."""
    return any(part.startswith(".") for part in path.relative_to(base).parts)


def _add_landing(project: Project) -> None:
    """Files dropped in the landing folder load like seeds, into the landing schema."""
    config = project.config
    for base in config.landing_paths:
        if not base.exists():
            continue
        for path in sorted(base.iterdir()):
            if path.suffix.lower() in SEED_SUFFIXES and not path.name.startswith("."):
                node = Node(
                    unique_id=node_id("seed", config.name, path.stem), name=path.stem, resource_type="seed",
                    path=path.relative_to(config.root) if path.is_relative_to(config.root) else path,
                    fqn=("landing", path.stem), config={"schema": config.landing_schema},
                    source_name="landing", package_name=config.name, fixed_schema=True,
                )
                _register(project, node)


def _register(project: Project, node: Node) -> None:
    clash = project.nodes.get(node.unique_id) or project.by_name(node.name, package=node.package_name)
    if clash is not None:
        raise ProjectError(
            f"two nodes are named '{node.name}': {clash.path} and {node.path}",
            Location(node.path), hint="model and seed names share one namespace; rename one file",
        )
    project.add(node)


def _validate_node_config(node: Node) -> None:
    materialized = node.config.get("materialized")
    if node.resource_type == "model" and materialized and materialized not in MATERIALIZATIONS:
        raise ProjectError(f"unknown materialization '{materialized}' for model {node.name}", node.location,
                           hint=f"one of {', '.join(MATERIALIZATIONS)}")
    if node.resource_type in ("model", "seed"):
        change_config(node.config, node.location)      # gates on change: bad values fail at load


def _yaml_files(pf: ProjectFile, config: ProjectConfig | None) -> list[Path]:
    dirs = pf.paths["model-paths"] + pf.paths["seed-paths"] + (config.landing_paths if config else [])
    return sorted(p for d in dirs if d.exists() for p in d.rglob("*.y*ml")
                  if p.suffix in (".yml", ".yaml") and not _hidden(p, d))


def _macro_files(pf: ProjectFile) -> list[Path]:
    """Macros: every .sql under macro-paths, plus generic tests in `<test-path>/generic/`."""
    dirs = pf.paths["macro-paths"] + [t / "generic" for t in pf.paths["test-paths"]]
    return sorted(p for d in dirs if d.exists() for p in d.rglob("*.sql") if not _hidden(p, d))


def _add_singular_tests(project: Project, pf: ProjectFile) -> None:
    """Singular tests: `.sql` files anywhere under the test paths (not `generic/`), as in dbt."""
    for base in pf.paths["test-paths"]:
        if not base.exists():
            continue
        for path in sorted(base.rglob("*.sql")):
            parts = path.relative_to(base).parts
            if parts[0] in ("generic", "fixtures") or _hidden(path, base):     # fixtures: unit-test rows
                continue
            node = Node(
                unique_id=node_id("test", pf.name, path.stem),
                name=path.stem, resource_type="test", path=_shown(project, path), fqn=("singular", path.stem),
                raw_sql=read_utf8(path, path.relative_to(project.root) if path.is_relative_to(project.root) else path),
                config={},
                test_metadata={"kind": "singular"}, package_name=pf.name,
            )
            project.add(node)


__all__ = ["Project", "ProjectConfig", "load_project", "read_config", "drop_disabled", "PROJECT_FILE", "Mapping",
           "nearest"]
