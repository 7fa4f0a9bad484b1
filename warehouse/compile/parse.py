"""The first pass of compiling: what every node depends on and how it is configured."""
from __future__ import annotations

from warehouse.compile.compiler import Compiler
from warehouse.compile.naming import resolve_names
from warehouse.core.vocab import NodeType
from warehouse.project.configs import canonical, merge
from warehouse.project.ignored import Ignored
from warehouse.project.loader import Project, drop_disabled
from warehouse.project.nodes import IGNORED_CONFIG_KEYS
from warehouse.project.python_models import is_python, parse_python_model
from warehouse.project.snapshots import validate as validate_snapshot


def parse(project: Project, compiler: Compiler) -> None:
    """First pass: record every model's dependencies and merge its config() calls; then drop
    disabled nodes and name every relation as dbt would (generate_schema_name & co)."""
    for node in project.of_type(NodeType.MODEL, NodeType.SNAPSHOT):
        if is_python(node):         # read with ast, never rendered or imported
            parse_python_model(project, node)
            continue
        state = compiler.render_node(node, final=False)
        for key, value in state.config.items():
            merge(node.config, key, value)
            if canonical(key) in IGNORED_CONFIG_KEYS:
                project.config.ignored.append(Ignored(f"config `{canonical(key)}` of model {node.name}", node.location))
        node.depends_on = list(dict.fromkeys(state.refs))
        if node.resource_type == NodeType.SNAPSHOT:
            validate_snapshot(node)
    drop_disabled(project)
    for node in project.of_type(NodeType.MODEL, NodeType.SEED, NodeType.SNAPSHOT):
        resolve_names(compiler, node)
    for node in project.of_type(NodeType.TEST):
        if node.test_metadata and node.test_metadata.get("kind") == "singular":
            state = compiler.render(node, final=False)
            node.config.update(state.config)
            node.depends_on = list(dict.fromkeys(state.refs))
