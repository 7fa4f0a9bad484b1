"""Run dbt unit tests: a model's SQL on mocked inputs, in memory, compared with expected rows.

Each unit test gets a fresh in-memory database of the build's engine kind: never the staging or
the published warehouse. Its `given` inputs become tables with exactly the names the model's
compiled SQL reads (so `ref()`/`source()`/`this` need no rewriting); their column types come from
the relation in the database being built when it exists there (dbt reads them the same way), and
columns a row leaves out are NULL. Only the columns named in `expect` are compared, as multisets;
a failure shows the rows expected but missing and the rows not expected.
"""
from __future__ import annotations

import csv
import io
import time
from collections import Counter
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable

from warehouse.compile.compiler import Compiler, RenderState
from warehouse.core.errors import CompileError, DatabaseError, Location, WarehouseError
from warehouse.core.relation import quote_identifier as q
from warehouse.core.relation import quote_literal, quote_relation
from warehouse.core.results import NodeResult
from warehouse.core.vocab import TimingStep
from warehouse.core.yamlio import nearest, read_utf8
from warehouse.project.loader import Project
from warehouse.project.nodes import Node

if TYPE_CHECKING:
    from warehouse.engine.base import Engine

SHOWN_ROWS = 10
Columns = list[tuple[str, "str | None"]]


def run_unit_tests(project: Project, compiler: Compiler, engine: "Engine", tests: list[Node],
                   report: Callable[[NodeResult], None]) -> list[NodeResult]:
    """Run `tests` one by one, each in its own in-memory database."""
    results = []
    for node in tests:
        result = run_one(project, compiler, engine, node)
        report(result)
        results.append(result)
    return results


def run_one(project: Project, compiler: Compiler, engine: "Engine", node: Node) -> NodeResult:
    started = time.perf_counter()
    meta = node.test_metadata or {}
    result = NodeResult(node.unique_id, node.name, "unit_test", "pass", details={"model": meta.get("model")})
    scratch = engine.scratch()         # an empty in-memory database of the same engine and target
    with result.step(TimingStep.EXECUTE):
        try:
            missing, unexpected = _run(project, compiler, engine, scratch, node)
            if missing or unexpected:
                result.status, result.rows = "fail", len(missing) + len(unexpected)
                result.message = _diff_message(node, project.nodes[meta["model"]].name, missing, unexpected)
                result.details.update(missing=missing[:SHOWN_ROWS], unexpected=unexpected[:SHOWN_ROWS])
        except DatabaseError as exc:       # the model's own SQL failing on the mocked inputs
            where = Location(node.path, meta.get("line"), node=node.name)
            result.status, result.message = "error", f"{where}: {exc.message}"
        except WarehouseError as exc:
            result.status, result.message = "error", exc.render()
        finally:
            scratch.close()
    result.seconds = round(time.perf_counter() - started, 4)
    return result


def _run(project: Project, compiler: Compiler, engine: "Engine", scratch: "Engine", node: Node) -> tuple[list, list]:
    meta = node.test_metadata or {}
    model = project.nodes[meta["model"]]
    tester = _compiler_for(compiler, meta.get("overrides") or {})
    mocked = set()
    for given in meta["given"]:
        target = _input_node(project, tester, model, node, given)
        mocked.add(target.unique_id)
        known = _in_duckdb_sql(engine, engine.columns(target.schema, target.identifier)) or _declared_columns(target)
        scratch.ensure_schema(target.schema)
        sql = _input_sql(project, node, given, known)
        scratch.execute(f"create table {quote_relation(target.schema, target.identifier)} as\n{sql}")
    unmocked = [project.nodes[u] for u in model.depends_on if u not in mocked]
    if unmocked:
        raise CompileError(f"unit test {node.name}: {model.name} reads {_names(unmocked)}, which no given input mocks",
                           _where(node), hint="add a given input for each ref() and source() the model reads")
    scratch.execute(f"create table main.__unit_actual as\n{tester.compile_node(model).strip().rstrip(';')}")
    actual = _in_duckdb_sql(scratch, scratch.columns("main", "__unit_actual"))
    expect = meta["expect"]
    wanted = _expected_columns(project, node, expect, actual)
    scratch.execute(f"create table main.__unit_expected as\n{_input_sql(project, node, expect, wanted)}")
    return _difference(scratch, wanted)


def _difference(scratch: "Engine", columns: Columns) -> tuple[list, list]:
    """(expected rows missing from the actual ones, actual rows not expected), as multisets (SQL's
    EXCEPT ALL, NULLs equal): both sides typed alike are read in one query and compared here, so
    a distributed engine runs one job on a few rows rather than two shuffles per test."""
    names = ", ".join(q(c) for c, _ in columns)
    sides: tuple[Counter, Counter] = (Counter(), Counter())
    for side, *row in scratch.fetchall(f"select 0, {names} from main.__unit_expected union all "
                                       f"select 1, {names} from main.__unit_actual"):
        sides[side][tuple(row)] += 1
    expected, actual = sides
    return _rows(expected - actual, columns), _rows(actual - expected, columns)


def _in_duckdb_sql(engine: "Engine", columns: Columns) -> Columns:
    """Column types as DuckDB SQL names them: the rows are written as DuckDB SQL, which the engine
    translates (a Spark table reports `STRUCT<a:INT>`, which DuckDB SQL spells `STRUCT(a INT)`)."""
    if engine.dialect == "duckdb" or not columns:
        return columns
    from warehouse.sql.transpile import duckdb_type

    return [(name, duckdb_type(kind, engine.dialect) if kind else kind) for name, kind in columns]


def _compiler_for(compiler: Compiler, overrides: dict[str, dict]) -> Compiler:
    """A compiler seeing the test's vars, and its macros and env vars replaced by fixed values."""
    names: dict[str, Any] = {name: _constant(value) for name, value in (overrides.get("macros") or {}).items()}
    env = {str(k): str(v) for k, v in (overrides.get("env_vars") or {}).items()}
    if env:
        from warehouse.compile.compiler import _env_var

        names["env_var"] = lambda name, default=None: env[name] if name in env else _env_var(name, default)
    return replace(compiler, vars={**compiler.vars, **(overrides.get("vars") or {})},
                   overrides={**compiler.overrides, **names})


def _constant(value: Any) -> Callable[..., Any]:
    return lambda *args, **kwargs: value


def _input_node(project: Project, compiler: Compiler, model: Node, test: Node, given: dict) -> Node:
    expression = str(given["input"]).strip()
    if expression == "this":
        return model
    state = RenderState(test)
    try:
        compiler.render_expression(expression, state, final=False)
    except WarehouseError as exc:
        raise CompileError(f"unit test {test.name}: input {expression}: {exc.message}",
                           Location(test.path, given.get("line"), node=test.name), exc.hint) from None
    if len(state.refs) != 1:
        raise CompileError(f"unit test {test.name}: input must be ref('...'), source('...', '...') or this, "
                           f"not {expression}", Location(test.path, given.get("line"), node=test.name))
    return project.nodes[state.refs[0]]


def _declared_columns(node: Node) -> Columns:
    """Before the input was ever built: its documented columns and seed column_types."""
    types = {str(k): str(v) for k, v in (node.config.get("column_types") or {}).items()}
    columns: Columns = [(c.name, c.data_type or types.get(c.name)) for c in node.columns.values()]
    return columns + [(c, t) for c, t in types.items() if c not in node.columns]


def _input_sql(project: Project, test: Node, spec: dict, known: Columns) -> str:
    """A query giving the rows of one `given` (or of `expect`), typed as `known` where known."""
    form = spec.get("format", "dict")
    rows = spec.get("rows")
    if "fixture" in spec:
        rows = _fixture(project, test, str(spec["fixture"]), form)
    if form == "sql":
        return str(rows)
    if form == "csv":
        reader = csv.DictReader(io.StringIO(str(rows).strip()))
        rows = [{k: (v if v != "" else None) for k, v in r.items()} for r in reader]
        untyped = {c.lower() for c, t in known if not t} if known else None
        rows = [{k: _guess(v) if untyped is None or k.lower() in untyped else v for k, v in r.items()} for r in rows]
    return _rows_sql(test, rows or [], known, spec.get("line"))


def _guess(text: str | None) -> Any:
    """A CSV cell of a column whose type is unknown: a number, date, timestamp or boolean if it reads as one."""
    if text is None or text.lower() in ("true", "false"):
        return None if text is None else text.lower() == "true"
    for parse in (int, Decimal, date.fromisoformat, datetime.fromisoformat):
        try:
            return parse(text)
        except (ValueError, ArithmeticError):
            continue
    return text


def _rows_sql(test: Node, rows: list[dict], known: Columns, line: int | None) -> str:
    types = {c.lower(): (c, t) for c, t in known}
    for row in rows:
        for column in row:
            if types and str(column).lower() not in types and all(t for _, t in known):
                hint = nearest(str(column), [c for c, _ in known])
                raise CompileError(f"unit test {test.name}: '{column}' is not a column of this input",
                                   Location(test.path, line, node=test.name),
                                   hint=f"did you mean '{hint}'?" if hint else None)
    columns: Columns = list(known) or [(str(c), None) for c in dict.fromkeys(k for r in rows for k in r)]
    if not rows:
        return "select " + ", ".join(f"cast(null as {t or 'varchar'}) as {q(c)}" for c, t in columns) + " where false"
    selects = []
    for row in rows:
        lowered = {str(k).lower(): v for k, v in row.items()}
        selects.append("select " + ", ".join(f"{_value(lowered.get(c.lower()), t)} as {q(c)}" for c, t in columns))
    return "\nunion all ".join(selects)


def _value(value: Any, kind: str | None) -> str:
    literal = _literal(value)
    return f"cast({literal} as {kind})" if kind else literal


def _literal(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return repr(value) if not isinstance(value, Decimal) else str(value)
    if isinstance(value, datetime):
        return f"timestamp '{value.isoformat(sep=' ')}'"
    if isinstance(value, date):
        return f"date '{value.isoformat()}'"
    return quote_literal(str(value))


def _expected_columns(project: Project, test: Node, expect: dict, actual: Columns) -> Columns:
    """The columns `expect` names, typed as the model's result; each must be a column of it."""
    form = expect.get("format", "dict")
    if form == "sql":
        return actual
    rows = expect.get("rows")
    if "fixture" in expect:
        rows = _fixture(project, test, str(expect["fixture"]), form)
    if form == "csv":
        named = next(csv.reader(io.StringIO(str(rows).strip())), [])
    else:
        named = list(dict.fromkeys(str(k) for r in rows or [] for k in r))
    types = {c.lower(): (c, t) for c, t in actual}
    for column in named:
        if column.lower() not in types:
            hint = nearest(column, [c for c, _ in actual])
            raise CompileError(f"unit test {test.name}: expected column '{column}' is not in the model's result",
                               _where(test), hint=f"did you mean '{hint}'?" if hint else None)
    return [types[c.lower()] for c in named] or actual


def _fixture(project: Project, test: Node, name: str, form: str) -> str:
    suffix = ".sql" if form == "sql" else ".csv"
    for base in project.config.test_paths:
        path = base / "fixtures" / f"{name}{suffix}"
        if path.exists():
            return read_utf8(path, path.relative_to(project.root) if path.is_relative_to(project.root) else path)
    raise CompileError(f"unit test {test.name}: no fixture file {name}{suffix} in a fixtures/ folder of the test paths",
                       _where(test))


def _rows(rows: Counter, columns: Columns) -> list[dict[str, Any]]:
    names = [c for c, _ in columns]
    return [dict(zip(names, map(_plain, row))) for row in sorted(rows.elements(), key=repr)]


def _plain(value: Any) -> Any:
    return value if isinstance(value, (int, float, str, bool, type(None))) else str(value)


def _diff_message(node: Node, model: str, missing: list[dict], unexpected: list[dict]) -> str:
    lines = [f"unit test {node.name} on {model}: actual differs from expected "
             f"({len(missing)} expected row(s) missing, {len(unexpected)} unexpected row(s))"]
    lines += [f"  - expected: {_show(r)}" for r in missing[:SHOWN_ROWS]]
    lines += [f"  + actual:   {_show(r)}" for r in unexpected[:SHOWN_ROWS]]
    return "\n".join(lines)


def _show(row: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {v!r}" for k, v in row.items()) + "}"


def _names(nodes: list[Node]) -> str:
    return ", ".join(f"source('{n.source_name}', '{n.name}')" if n.resource_type == "source" else f"ref('{n.name}')"
                     for n in nodes)


def _where(node: Node) -> Location:
    return Location(node.path, (node.test_metadata or {}).get("line"), node=node.name)
