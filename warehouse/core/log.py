"""Progress and results on the terminal: rich when attached to one, plain lines otherwise,
and one JSON object per event (`--log-format json`) for schedulers and log shippers."""
from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from typing import IO, Any

from warehouse.core.results import NodeResult

_STYLE = {"success": "green", "pass": "green", "warn": "yellow", "fail": "red", "error": "bold red",
          "skipped": "yellow", "info": "cyan"}


class Reporter:
    """Writes events. `fmt` is plain | rich | json; `auto` picks rich on a terminal."""

    def __init__(self, fmt: str = "auto", stream: IO[str] | None = None, quiet: bool = False):
        self.stream = stream or sys.stdout
        self.errors = stream or sys.stderr    # errors to stderr, except in JSON (one stream of events)
        if fmt == "auto":
            fmt = "rich" if self.stream.isatty() else "plain"
        self.fmt = fmt
        self.quiet = quiet
        self._console = None
        if fmt == "rich":
            from rich.console import Console

            self._console = Console(file=self.stream, highlight=False)

    def event(self, name: str, message: str, level: str = "info", **fields: Any) -> None:
        if self.fmt == "json":
            record = {"ts": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
                      "level": level, "event": name, "message": message, **fields}
            self.stream.write(json.dumps(record, default=str, ensure_ascii=False) + "\n")
            self.stream.flush()
            return
        if self.quiet and level == "info":
            return
        if level == "error" and self.fmt == "plain":
            self.errors.write(message + "\n")
            self.errors.flush()
        elif self._console is not None:
            style = _STYLE.get(level, "")
            styled = style and level != "info"
            self._console.print(f"[{style}]{_escape(message)}[/{style}]" if styled else _escape(message))
        else:
            self.stream.write(message + "\n")
            self.stream.flush()

    def node(self, result: NodeResult) -> None:
        level = {"success": "info", "pass": "info"}.get(result.status, result.status)
        label = result.materialized or result.resource_type
        rows = f" rows={result.rows}" if result.rows is not None else ""
        text = f"{result.status.upper():8} {result.resource_type} {result.name} [{label}]{rows} ({result.seconds:.2f}s)"
        if result.message and result.status not in ("success", "pass"):
            text += "\n         " + result.message.replace("\n", "\n         ")
        self.event("node_finished", text, level=level if level in _STYLE else "info",
                   node=result.unique_id, status=result.status, seconds=result.seconds, rows=result.rows,
                   resource_type=result.resource_type, detail=result.message or None)

    def error(self, message: str, **fields: Any) -> None:
        self.event("error", message, level="error", **fields)


def _escape(text: str) -> str:
    return text.replace("[", r"\[")
