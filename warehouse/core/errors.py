"""Errors the engine raises, each knowing where the user should look.

Like sqlglot's `errors.py`: one small hierarchy whose instances carry structured details
(file, line, column, node) as well as a message. The CLI prints them uniformly and decides
the exit code (`warehouse.cli.app.exit_code_for`); nothing below the CLI calls `sys.exit`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Location:
    """Where in the user's project a problem is: file, and line/column when known (1-based)."""

    file: Path | str | None = None
    line: int | None = None
    column: int | None = None
    node: str | None = None

    def to_json(self) -> dict[str, Any] | None:
        """file/line/column/node for run_results.json; None when nothing is known."""
        if self.file is None and self.node is None:
            return None
        return {"file": str(self.file) if self.file is not None else None, "line": self.line,
                "column": self.column, "node": self.node}

    def __str__(self) -> str:
        parts = []
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            parts.append(where)
        if self.node:
            parts.append(f"[{self.node}]")
        return " ".join(parts)


class WarehouseError(Exception):
    """Base class: a problem of the project or its input, never a bug of ours."""

    def __init__(self, message: str, location: Location | None = None, hint: str | None = None):
        self.message = message
        self.location = location or Location()
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        where = str(self.location)
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class ProjectError(WarehouseError):
    """The project's configuration (warehouse.yml, properties YAML) is invalid."""


class SeedError(WarehouseError):
    """A seed or landing file could not be loaded (malformed, wrong types, missing columns)."""


class CompileError(WarehouseError):
    """A model's Jinja could not be rendered, or refers to something that does not exist."""


class GraphError(WarehouseError):
    """The dependency graph is invalid, e.g. it has a cycle."""


class SelectionError(WarehouseError):
    """A --select/--exclude expression matched nothing or could not be parsed."""


class ModelError(WarehouseError):
    """A model's SQL failed in the database: a problem of the project, like a bad config."""


class DatabaseError(WarehouseError):
    """The database refused a statement. Raised only by `warehouse.engine`, which turns each
    driver's own exceptions into this one (`kind` is the driver's class name, `detail` its text),
    so no stage ever catches a driver exception."""

    def __init__(self, kind: str, detail: str, location: Location | None = None, hint: str | None = None):
        self.kind, self.detail = kind, detail
        super().__init__(f"{kind}: {detail}", location, hint)


class PublishError(WarehouseError):
    """The published warehouse cannot be replaced (or opened) safely."""


class CheckSuiteError(WarehouseError):
    """An expectation suite in data_checks/ is invalid (unknown type, missing kwarg, unknown column)."""


class StaticCheckError(WarehouseError):
    """sqlglot's static analysis found a problem before anything ran."""


class LockHeld(WarehouseError):
    """Another build holds the build lock."""


class ErrorList(WarehouseError):
    """Several independent problems found in one pass (e.g. every invalid suite at once)."""

    def __init__(self, errors: list[WarehouseError]):
        self.errors = list(errors)
        super().__init__("\n".join(e.render() for e in self.errors))

    def render(self) -> str:
        return self.message
