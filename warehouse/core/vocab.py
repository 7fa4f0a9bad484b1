"""The typed vocabularies of the warehouse, each defined once (dbt-core's NodeType/NodeStatus).

They are `StrEnum`s: a member *is* its string, so JSON artifacts, log lines and comparisons
with what a user wrote in YAML stay exactly as they were, while code names the member instead
of repeating a bare string that a typo would silently break.
"""
from __future__ import annotations

from enum import IntEnum, StrEnum


class NodeType(StrEnum):
    """What a node (or a result) is: dbt's resource types (an `operation` is a project hook), plus
    our check suites and freshness."""

    MODEL = "model"
    SEED = "seed"
    SOURCE = "source"
    TEST = "test"
    SNAPSHOT = "snapshot"
    UNIT_TEST = "unit_test"
    CHECK = "check"
    FRESHNESS = "freshness"
    OPERATION = "operation"


class NodeStatus(StrEnum):
    """A node result's status. Models and seeds: success/error/skipped; tests, checks and
    freshness: pass/warn/fail (or error when they could not run)."""

    SUCCESS = "success"
    ERROR = "error"
    SKIPPED = "skipped"
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"

    @property
    def blocking(self) -> bool:
        """Whether this status stops a build from publishing."""
        return self in (NodeStatus.ERROR, NodeStatus.FAIL, NodeStatus.SKIPPED)


class TimingStep(StrEnum):
    """The steps of a node's `timing` in run_results.json, as dbt names them."""

    COMPILE = "compile"
    EXECUTE = "execute"


class Materialization(StrEnum):
    VIEW = "view"
    TABLE = "table"
    INCREMENTAL = "incremental"
    EPHEMERAL = "ephemeral"
    EXTERNAL = "external"       # dbt-duckdb: files read back through a view (warehouse.pipeline.external)


class IncrementalStrategy(StrEnum):
    APPEND = "append"
    DELETE_INSERT = "delete+insert"
    MERGE = "merge"


class Severity(StrEnum):
    """How bad a finding is, whoever found it. dbt tests and static checks say error/warn;
    expectation suites keep Great Expectations' words (critical/warning/info), read through
    `Severity.of` so every gate decides "blocking" the same way."""

    ERROR = "error"
    WARN = "warn"
    INFO = "info"

    @classmethod
    def of(cls, word: str) -> "Severity":
        """error/warn/info, or GX's critical/warning/info; ValueError for anything else."""
        return cls(_SYNONYMS.get(str(word).lower(), str(word).lower()))

    @property
    def blocking(self) -> bool:
        return self is Severity.ERROR


_SYNONYMS = {"critical": "error", "warning": "warn"}


class Outcome(StrEnum):
    """How a command ended, as the command sees it; the CLI edge turns it into an ExitCode."""

    SUCCESS = "success"
    FAILED = "fail"        # a gate failed (a test, a check, freshness): nothing was published
    ERROR = "error"        # bad input: a seed or model could not be built, a static check error


class ExitCode(IntEnum):
    """What a command returns to the shell; decided only at the CLI edge (docs/operations.md)."""

    OK = 0
    GATE_FAILED = 1       # a gate failed: nothing was published
    BAD_INPUT = 2         # bad project, config or input (file, line and column are named)
    LOCKED = 3            # another build holds the lock
    INTERNAL = 4          # a bug of ours: please report it with the traceback
    ENVIRONMENT = 5       # the machine failed the command: disk full (stage and path are named)
    INTERRUPTED = 130     # Ctrl-C (128 + SIGINT), as shells report it
