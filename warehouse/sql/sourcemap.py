"""Where a finding points: positions in compiled SQL traced back to the Jinja source.

sqlglot reports positions in the SQL it parsed, which is the *rendered* model: `{{ ref() }}`
calls have become quoted table names, `{% if %}` blocks have vanished or been expanded and
macros have added text. A message pointing at line 12 of SQL nobody wrote is little use, so
we translate positions back to the model's .sql file as well as the text allows.

There is no real source map out of Jinja, so `SourceMap` is a heuristic in two steps:

1. Align the lines of the two texts (difflib): lines without Jinja survive rendering
   unchanged, so matched lines map exactly and the others are estimated from their
   nearest matched neighbours.
2. Search the raw text for the offending token (identifier, `*`) and take the occurrence
   nearest the estimated line; on an exactly matched line, take the same occurrence
   (first, second, ...) as in the compiled line so the column is right too.

`Diagnostic` is a finding so located, and `Reporter` collects one model's findings, building
its map only when there is something to report.
"""
from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from sqlglot import exp
from sqlglot.errors import ParseError

from warehouse.core import names
from warehouse.core.errors import Location, StaticCheckError


@dataclass(frozen=True)
class Position:
    """A 1-based line and column in the raw (Jinja) SQL; either may be unknown."""

    line: int | None
    column: int | None


@dataclass(frozen=True)
class SourceMap:
    """Positions in `compiled_sql` translated to positions in `raw_sql`."""

    raw_sql: str
    compiled_sql: str

    def locate(self, offset: int | None, token: str | None = None) -> Position:
        """Where the text at `offset` (0-based, in compiled SQL) came from in the raw SQL.

        `token` is the text found there (e.g. a column name); without it only the line
        can be estimated.
        """
        if offset is None:
            return self._search(token, None, None) if token else Position(None, None)
        line_index = bisect_right(self._compiled_starts, offset) - 1
        estimate = self._estimate(line_index)
        if not token:
            return Position(estimate + 1, None)
        exact = self._line_map.get(line_index)
        if exact is not None:
            start = self._compiled_starts[line_index]
            nth = len(_occurrences(token, self.compiled_sql[start:offset]))
            found = _occurrences(token, self._raw_lines[exact])
            if len(found) > nth:
                return Position(exact + 1, found[nth] + 1)
        return self._search(token, estimate, estimate + 1)

    def offset(self, line: int, column: int) -> int:
        """0-based offset of a 1-based line and column of the compiled SQL."""
        starts = self._compiled_starts
        return starts[max(0, min(line, len(starts)) - 1)] + column - 1

    def _search(self, token: str, estimate: int | None, fallback_line: int | None) -> Position:
        """The occurrence of `token` in the raw SQL nearest to line `estimate` (0-based)."""
        best: tuple[int, int, int] | None = None
        for index, text in enumerate(self._raw_lines):
            for column in _occurrences(token, text):
                distance = abs(index - estimate) if estimate is not None else index
                if best is None or distance < best[0]:
                    best = (distance, index, column)
        if best is None:
            return Position(fallback_line, None)
        return Position(best[1] + 1, best[2] + 1)

    def _estimate(self, line_index: int) -> int:
        """The raw line (0-based) most likely to have produced compiled line `line_index`."""
        if line_index in self._line_map:
            return self._line_map[line_index]
        anchors = self._anchors
        before = [(c, r) for c, r in anchors if c < line_index]
        after = [(c, r) for c, r in anchors if c > line_index]
        floor = before[-1][1] + 1 if before else 0
        guess = floor + (line_index - before[-1][0] - 1) if before else line_index
        if after:  # stay within the raw lines between the two matched neighbours
            guess = min(guess, max(after[0][1] - 1, floor))
        return max(0, min(guess, len(self._raw_lines) - 1))

    @cached_property
    def _raw_lines(self) -> list[str]:
        return self.raw_sql.split("\n")

    @cached_property
    def _compiled_starts(self) -> list[int]:
        starts = [0]
        starts.extend(m.end() for m in re.finditer("\n", self.compiled_sql))
        return starts

    @cached_property
    def _line_map(self) -> dict[int, int]:
        """Compiled line index -> raw line index, for lines that rendering left unchanged."""
        raw = [line.strip() for line in self._raw_lines]
        compiled = [line.strip() for line in self.compiled_sql.split("\n")]
        matcher = difflib.SequenceMatcher(None, raw, compiled, autojunk=False)
        mapping: dict[int, int] = {}
        for a, b, size in matcher.get_matching_blocks():
            for k in range(size):
                if compiled[b + k]:  # blank lines match anything; they are no evidence
                    mapping[b + k] = a + k
        return mapping

    @cached_property
    def _anchors(self) -> list[tuple[int, int]]:
        return sorted(self._line_map.items())


def _occurrences(token: str, text: str) -> list[int]:
    """0-based start columns of `token` in `text`, as a whole word, ignoring case."""
    if token.isidentifier():
        pattern = r"(?<![\w$])" + re.escape(token) + r"(?![\w$])"
    else:
        pattern = re.escape(token)
    return [m.start() for m in re.finditer(pattern, text, re.IGNORECASE)]


@dataclass
class Diagnostic:
    """One finding. `message` is the bare finding; `str()` adds file, line and column."""

    model: str
    path: Path
    line: int | None
    column: int | None
    kind: str
    message: str
    hint: str | None = None
    severity: str = "error"  # "error" | "warn"

    @property
    def location(self) -> Location:
        return Location(self.path, self.line, self.column, self.model)

    def to_error(self) -> StaticCheckError:
        return StaticCheckError(self.message, self.location, self.hint)

    def __str__(self) -> str:
        return f"{self.severity}: {self.to_error().render()}"


class Reporter:
    """Collects one model's diagnostics, each located in the model's raw Jinja SQL."""

    def __init__(self, model: str, path: Path, raw_sql: str, compiled_sql: str) -> None:
        self.model, self.path = model, path
        self.sourcemap = SourceMap(raw_sql, compiled_sql)  # lazy: costs nothing until used
        self.diagnostics: list[Diagnostic] = []
        self.flagged: list[exp.Expr] = []  # nodes reported as nonexistent
        self._seen: set[tuple] = set()

    def add(
        self,
        kind: str,
        message: str,
        *,
        hint: str | None = None,
        severity: str = "error",
        node: exp.Expr | None = None,
        token: str | None = None,
        offset: int | None = None,
    ) -> None:
        """Record a finding at `node` (a parsed identifier) or `offset`, once."""
        if node is not None:
            offset = node.meta.get("start") if offset is None else offset
            token = token or node.name
        position = self.sourcemap.locate(offset, token)
        key = (kind, message, position.line, position.column)
        if key not in self._seen:
            self._seen.add(key)
            self.diagnostics.append(
                Diagnostic(self.model, self.path, position.line, position.column, kind, message, hint, severity)
            )

    def parse_error(self, error: ParseError) -> None:
        detail = error.errors[0] if error.errors else {}
        line, col, token = detail.get("line"), detail.get("col"), detail.get("highlight") or None
        # sqlglot's col is where the offending token ends
        offset = self.sourcemap.offset(line, col - len(token or " ") + 1) if line and col else None
        near = f" near '{token}'" if token else ""
        message = f"sqlglot cannot parse the SQL{near}: {describe_parse_error(error)}"
        self.add("parse_error", message, offset=offset, token=token)

    def skipped(self, reason: object) -> None:
        """sqlglot could not analyse a valid-looking model: say so, without blocking."""
        self.add(
            "analysis_skipped",
            f"static analysis skipped: {reason}",
            hint="set static_check: false on this model to silence this",
            severity="warn",
        )


def describe_parse_error(error: ParseError) -> str:
    """sqlglot's description of a parse error, without token reprs or ANSI highlighting."""
    detail = error.errors[0] if error.errors else {}
    description = str(detail.get("description") or error).split("\n")[0]
    return _TOKEN_REPR.sub(lambda m: repr(m.group(1)), description)


_TOKEN_REPR = re.compile(r"<Token token_type: [^,]+, text: (.*?), line: \d+[^>]*>")


def did_you_mean(name: str, candidates) -> str | None:
    """'did you mean ...?' for the closest of `candidates` (SQL names: case does not count)."""
    return names.did_you_mean(name, candidates, cutoff=0.6, ignore_case=True)
