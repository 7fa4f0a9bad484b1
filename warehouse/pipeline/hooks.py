"""dbt's hooks: `on-run-start`/`on-run-end` of each project, and a node's `pre-hook`/`post-hook`.

Order, as dbt documents it: installed packages' on-run hooks before the root project's
(packages by name), each project's hooks in the order written; a node's hooks from
dbt_project.yml before those of its properties YAML and its `config()` call. Hooks run in the
database being built (the staging copy on `build`), so their effects publish with the build.
"""
from __future__ import annotations

import time
from typing import Any

from warehouse.compile.compiler import Compiler, RenderState
from warehouse.core.errors import Location, WarehouseError
from warehouse.core.results import NodeResult
from warehouse.core.vocab import NodeStatus, NodeType, TimingStep
from warehouse.project.nodes import Node

PROJECT_HOOKS = {"on-run-start": "on_run_start", "on-run-end": "on_run_end"}


def hook_sql(hook: Any) -> str:
    """A hook is a SQL string or dbt's `{sql: ..., transaction: ...}` mapping."""
    return str(hook.get("sql", "")) if isinstance(hook, dict) else str(hook)


def run_node_hooks(compiler: Compiler, engine: Any, node: Node, which: str) -> None:
    """Run a node's pre_hook (then its sql_header) or post_hook statements."""
    statements = [hook_sql(h) for h in node.config.get(which) or []]
    if which == "pre_hook" and node.config.get("sql_header"):
        statements.append(str(node.config["sql_header"]))
    for sql in statements:
        rendered = compiler.render_text(sql, RenderState(node), final=True).strip()
        if rendered:
            engine.execute(rendered)


def run_project_hooks(compiler: Compiler, engine: Any, which: str,
                      context: dict[str, Any] | None = None) -> list[NodeResult]:
    """Run every project's on-run-start or on-run-end hooks; one result per hook."""
    project = compiler.project
    files = sorted(project.config.packages, key=lambda p: p.name) + [project.config.project_file]
    results = []
    for pf in files:
        for index, hook in enumerate(getattr(pf, PROJECT_HOOKS[which])):
            name = f"{pf.name}-{which}-{index}"
            node = Node(unique_id=f"operation.{pf.name}.{name}", name=name, resource_type="operation",
                        path=pf.file.relative_to(project.root) if pf.file.is_relative_to(project.root) else pf.file,
                        fqn=(name,), package_name=pf.name)
            results.append(_run_one(compiler, engine, node, hook_sql(hook), context or {}))
    return results


def _run_one(compiler: Compiler, engine: Any, node: Node, sql: str, extra: dict[str, Any]) -> NodeResult:
    started = time.perf_counter()
    result = NodeResult(node.unique_id, node.name, NodeType.OPERATION, NodeStatus.SUCCESS)
    with result.step(TimingStep.EXECUTE):
        try:
            state = RenderState(node)
            ctx = compiler.context(state, final=True)
            ctx.update(extra)
            rendered = compiler.env.from_string(sql).render(ctx).strip()
            if rendered:
                engine.execute(rendered)
        except WarehouseError as exc:
            result.status, result.message = NodeStatus.ERROR, exc.render()
        except Exception as exc:  # noqa: BLE001 - a hook's SQL or Jinja failed: the project's error
            result.status = NodeStatus.ERROR
            result.message = f"{Location(node.path, node=node.name)}: {type(exc).__name__}: {exc}"
    result.seconds = round(time.perf_counter() - started, 4)
    return result
