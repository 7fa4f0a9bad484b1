"""Test: data tests, each a query returning the rows that break a rule.

Generic tests are declared in YAML beside the models: `not_null`, `unique`,
`accepted_values`, `relationships`, and custom ones written as `{% test name(model,
column_name) %}` macros in macros/. Singular tests are `.sql` files in the test paths.
A test fails when its query returns rows; severity `error` (default) blocks publishing,
`warn` is reported.
"""
from __future__ import annotations

import re
import time
from typing import Any, Callable

from warehouse.compile.compiled_files import write_compiled
from warehouse.compile.compiler import Compiler, RenderState
from warehouse.compile.ephemeral import with_ctes
from warehouse.core.errors import CompileError, Location, WarehouseError
from warehouse.core.values import jsonable
from warehouse.core.vocab import Materialization, NodeStatus, NodeType, Severity, TimingStep
from warehouse.engine.base import Engine
from warehouse.project.nodes import Node
from warehouse.project.loader import Project
from warehouse.core.relation import quote_identifier, quote_relation
from warehouse.core.results import NodeResult
from warehouse.core.yamlio import nearest
from warehouse.sql.data_tests import BUILTIN, DataTestSqlError, GenericTest, generic_test_sql

# The arguments each built-in test takes: any other (`severty: warn`, `value: [...]`) is a typo
# that would otherwise be dropped, or fail only when the test runs, as a failed gate.
BUILTIN_ARGUMENTS = {"not_null": ("column_name",), "unique": ("column_name",),
                     "accepted_values": ("values", "quote", "column_name"),
                     "relationships": ("to", "field", "column_name")}
SAMPLE_ROWS = 5


def parse_tests(project: Project, compiler: Compiler) -> None:
    """Attach each generic test to the nodes it reads (its model, and `to:` of relationships)."""
    for node in project.of_type(NodeType.TEST):
        meta = node.test_metadata or {}
        where = Location(node.path, meta.get("line"), node=node.name)
        for key in ("warn_if", "error_if"):     # refused before anything runs (exit 2), not per test
            _condition(node, key, where)
        _limited("", node.config.get("limit"), where)
        if meta.get("kind") != "generic":
            continue
        refs = [meta["attached_to"]]
        for value in meta["kwargs"].values():
            if isinstance(value, str) and ("ref(" in value or "source(" in value):
                state = RenderState(node)
                compiler.render_expression(value, state, final=False)
                refs += state.refs
        node.depends_on = list(dict.fromkeys(refs))
        if meta["test_name"] in BUILTIN:
            _check_builtin_arguments(meta["test_name"], meta["kwargs"], where)
        if meta["test_name"] not in BUILTIN and f"test_{_bare(meta['test_name'])}" not in compiler.macro_names:
            known = list(BUILTIN) + [k[5:] for k in compiler.macro_names if k.startswith("test_")]
            hint = nearest(meta["test_name"], known)
            raise CompileError(f"unknown test '{meta['test_name']}'", Location(node.path, meta.get("line")),
                               hint=f"did you mean '{hint}'?" if hint
                               else "write it as {% test name(model, column_name) %} in macros/")


def _check_builtin_arguments(name: str, kwargs: dict[str, Any], where: Location) -> None:
    """Refuse an argument a built-in test does not take, naming the nearest one, and a missing
    required one, before any model runs (exit 2, not a failed test)."""
    allowed = BUILTIN_ARGUMENTS[name]
    for key in kwargs:
        if key not in allowed:
            hint = nearest(str(key), [*allowed, "severity", "where", "limit", "warn_if", "error_if", "store_failures"])
            raise CompileError(f"test '{name}' takes no argument '{key}'", where,
                               hint=f"did you mean '{hint}'?" if hint else f"it takes: {', '.join(allowed)}")
    if name == "accepted_values" and (not isinstance(kwargs.get("values"), list) or not kwargs["values"]):
        raise CompileError("accepted_values needs a non-empty 'values' list", where)
    if name == "relationships" and not (kwargs.get("to") and kwargs.get("field")):
        raise CompileError("relationships needs 'to' (e.g. ref('dim_x')) and 'field'", where)


def compile_test(project: Project, compiler: Compiler, node: Node) -> str:
    """The SQL returning the failing rows of one test."""
    meta = node.test_metadata or {}
    if meta.get("kind") == "singular":
        return compiler.render(node, final=True).sql
    parent = project.nodes[meta["attached_to"]]
    state = RenderState(node)
    if parent.materialized == Materialization.EPHEMERAL:      # tested as the CTE its readers inline
        state.ephemerals.append(parent.unique_id)
        model = compiler.ref(state, (parent.name,), {}, final=True).render()
    else:
        model = quote_relation(parent.schema, parent.identifier)
    kwargs = dict(meta["kwargs"])
    column = meta.get("column") or kwargs.pop("column_name", None)
    name = meta["test_name"]
    if name in BUILTIN:
        sql = _builtin(name, model, column, kwargs, compiler, node, state)
    else:
        if node.config.get("where"):
            model = f"(select * from {model} where {node.config['where']})"
        macro = compiler.macro(f"test_{_bare(name)}", state, package=_package(name))
        if column is not None or "column_name" in getattr(macro, "arguments", ()):
            # a model-level test may take no column_name; a column with `quote: true` is handed over
            # quoted, as dbt does (otherwise as written)
            kwargs["column_name"] = quote_identifier(column, always=True) if column and meta.get("quote") else column
        sql = str(macro(model=model, **kwargs))
    return with_ctes(sql, compiler.ephemeral_ctes(state.ephemerals))


def _bare(test_name: str) -> str:
    """`shared_utils.is_positive` -> `is_positive` (dbt's namespaced generic tests)."""
    return test_name.rpartition(".")[2]


def _package(test_name: str) -> str | None:
    return test_name.rpartition(".")[0] or None


def _builtin(name: str, model: str, column: str | None, kwargs: dict[str, Any], compiler: Compiler, node: Node,
             state: RenderState) -> str:
    """dbt's built-in tests, built as sqlglot expressions (`sql/data_tests.py`) in the SQL every
    engine takes (DuckDB's; the Spark engine transpiles it), so odd column names are quoted right."""
    if column is None:
        raise CompileError(f"test '{name}' needs a column", node.location)
    values, to, field = kwargs.get("values"), kwargs.get("to"), kwargs.get("field")
    if name == "accepted_values" and (not isinstance(values, list) or not values):
        raise CompileError("accepted_values needs a non-empty 'values' list", node.location)
    if name == "relationships" and (not to or not field):
        raise CompileError("relationships needs 'to' (e.g. ref('dim_x')) and 'field'", node.location)
    where = node.config.get("where")
    test = GenericTest(name, model, column, quote=bool((node.test_metadata or {}).get("quote")),
                       where=str(where) if where else None, values=tuple(values or ()),
                       quote_values=bool(kwargs.get("quote", True)), field=str(field) if field else None,
                       to=compiler.render_expression(to, state, final=True) if name == "relationships" else None)
    try:
        return generic_test_sql(test)
    except DataTestSqlError as exc:
        raise CompileError(f"test {node.name}: {exc}", node.location) from None


def run_tests(project: Project, compiler: Compiler, engine: Engine, tests: list[str],
              skip: set[str], report: Callable[[NodeResult], None]) -> list[NodeResult]:
    """Run each test; tests of nodes that failed or were skipped are skipped too."""
    results = []
    for uid in tests:
        node = project.nodes[uid]
        if set(node.depends_on) & skip:
            result = NodeResult(uid, node.name, NodeType.TEST, NodeStatus.SKIPPED,
                                message="skipped: the tested node did not build")
        else:
            result = _run_test(project, compiler, engine, node)
        results.append(result)
        report(result)
    return results


def _run_test(project: Project, compiler: Compiler, engine: Engine, node: Node) -> NodeResult:
    """One test's result: failing rows counted (and a few kept as a sample, so the log shows what
    broke), the status decided by dbt's severity rules; a test that cannot run is an error result."""
    started = time.perf_counter()
    severity = str(node.config.get("severity", "error")).lower()
    result = NodeResult(node.unique_id, node.name, NodeType.TEST, NodeStatus.PASS, details={"severity": severity})
    try:
        where = Location(node.path, (node.test_metadata or {}).get("line"), node=node.name)
        with result.step(TimingStep.COMPILE):
            warn_if, error_if = (_condition(node, key, where) for key in ("warn_if", "error_if"))
            sql = _limited(compile_test(project, compiler, node), node.config.get("limit"), where)
            result.compiled_path = str(write_compiled(project, node, sql).relative_to(project.root))
        with result.step(TimingStep.EXECUTE):
            _execute(engine, node, sql, result, where, severity, warn_if, error_if)
    except WarehouseError as exc:       # DatabaseError renders as "<file:line [node]>: <kind>: <detail>"
        result.status, result.message, result.location = NodeStatus.ERROR, exc.render(), exc.location.to_json()
    result.seconds = round(time.perf_counter() - started, 4)
    return result


def _execute(engine: Engine, node: Node, sql: str, result: NodeResult, where: Location, severity: str,
             warn_if: Any, error_if: Any) -> None:
    """Run a compiled data test: store its failures when asked, count them, set the status."""
    if node.config.get("store_failures"):
        engine.ensure_schema(AUDIT_SCHEMA)
        engine.create_table(AUDIT_SCHEMA, node.name, sql, where=where)
        result.details["stored_failures"] = f"{AUDIT_SCHEMA}.{node.name}"
    failures, names, rows = engine.test_failures(sql, SAMPLE_ROWS, where=where)
    result.rows = failures
    result.status = _status(failures, severity, warn_if, error_if)
    if failures:
        result.details["sample"] = [dict(zip(names, map(jsonable, r))) for r in rows]
        result.message = f"{failures} failing row(s); e.g. {result.details['sample'][0]}"


# dbt's test options (https://docs.getdbt.com/reference/resource-configs/...): where stored
# failures go, and the conditions on the number of failing rows.
AUDIT_SCHEMA = "dbt_test__audit"
_CONDITION = re.compile(r"^\s*(==|=|!=|<>|>=|<=|>|<)\s*(\d+)\s*$")
_COMPARE: dict[str, Callable[[int, int], bool]] = {
    "==": lambda a, b: a == b, "=": lambda a, b: a == b, "!=": lambda a, b: a != b, "<>": lambda a, b: a != b,
    ">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, "<": lambda a, b: a < b}


def _condition(node: Node, key: str, where: Location) -> Callable[[int], bool]:
    """`warn_if` / `error_if` ('!= 0' by default, as in dbt) as a test on the failure count."""
    text = str(node.config.get(key, "!= 0"))
    found = _CONDITION.match(text)
    if not found:
        raise CompileError(f"{key}: '{text}' is not a condition on the number of failing rows", where,
                           hint=f"write an operator and a number, e.g. {key}: '>10' or '!= 0'")
    operator, number = found.group(1), int(found.group(2))
    return lambda count: _COMPARE[operator](count, number)


def _status(failures: int, severity: str, warn_if: Callable[[int], bool],
            error_if: Callable[[int], bool]) -> NodeStatus:
    """dbt's rule: with severity error, error_if decides fail, else warn_if decides warn; with
    severity warn, only warn_if is evaluated."""
    if Severity.of(severity) is not Severity.WARN and error_if(failures):
        return NodeStatus.FAIL
    return NodeStatus.WARN if warn_if(failures) else NodeStatus.PASS


def _limited(sql: str, limit: Any, where: Location) -> str:
    """`limit: N` caps the failing rows counted (and stored)."""
    if limit is None:
        return sql
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise CompileError(f"limit: '{limit}' must be a whole number", where)
    return f"select * from (\n{sql.strip().rstrip(';')}\n) as limited_failures limit {limit}"

