"""The "check" quality gate: Great Expectations 1.x suites run against DuckDB tables.

After models are built and column tests pass, the engine loads data_checks/*.json with
`load_suites`, checks their columns with `validate_columns`, runs them on the staging
database with `run_suites`, records them with `write_results`, and refuses to publish when
`blocking_failures` is not empty. See docs/checks.md.

Importing this package imports neither great_expectations nor pandas: both load only when
an expectation actually takes the GX path.
"""
from warehouse.check.model import Expectation, ExpectationResult, Suite, SuiteResult
from warehouse.check.results import blocking_failures, summarize, write_results
from warehouse.check.runner import AUTO_SQL_MIN_ROWS, run_suites
from warehouse.check.suite import load_suites, validate_columns

__all__ = [
    "AUTO_SQL_MIN_ROWS",
    "Expectation",
    "ExpectationResult",
    "Suite",
    "SuiteResult",
    "blocking_failures",
    "load_suites",
    "run_suites",
    "summarize",
    "validate_columns",
    "write_results",
]
