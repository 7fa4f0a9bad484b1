"""The command line: parse arguments, call the pipeline, turn outcomes into exit codes.

Only the standard library and `warehouse.core` are imported at start-up, so `--help` answers
at once; each command imports what it needs (DuckDB, Jinja, GX) when it runs. This is the one
place that decides exit codes (docs/operations.md): 0 done/published, 1 a gate failed (nothing
published), 2 bad project, config or input, 3 another build holds the lock, 4 an internal
error (a bug: please report it), 5 the machine failed the command (disk full; the stage and path
are named), 130 interrupted (Ctrl-C).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from warehouse.core.errors import DiskFull, ErrorList, LockHeld, WarehouseError, is_disk_full
from warehouse.core.vocab import ExitCode, Outcome

COMMANDS = {
    "build": "load seeds, run models, test, check, and publish the warehouse and exports if every gate passes",
    "snapshot": "record the history of each snapshot's query in the development database",
    "seed": "load seeds and landing files into the development database",
    "run": "compile and run models in the development database",
    "test": "run data tests against the development database",
    "check": "run expectation suites (data_checks/) against the development database",
    "freshness": "report how old seeds, landing files and sources are against their freshness rules",
    "compile": "render models to SQL in target/compiled/ and run static checks (nothing is executed)",
    "ls": "list the project's nodes (respects --select/--exclude)",
    "query": "run a read-only SQL query on the published warehouse",
    "lineage": "print the upstream columns of MODEL.COLUMN down to seeds and sources",
    "docs": "write a static docs site (models, columns, tests, lineage, mart charts) to target/docs/",
    "diff": "what a build changes: the development database (or --from/--to builds in history) "
            "against the published warehouse",
    "rollback": "put the previously published warehouse back in place",
    "clean": "remove target/, clean-targets and build leftovers (never the published warehouse or exports)",
    "deps": "install the packages of packages.yml (local:, git:, hub) into dbt_packages/",
    "debug": "show the project file, profiles.yml, the selected target and packages, and check the database",
    "run-operation": "run a macro (with --args) against the development database",
    "selftest": "run the project's pytest suite",
}
SELECTING = ("build", "snapshot", "seed", "run", "test", "check", "freshness", "compile", "ls", "docs", "diff")
WITH_VARS = ("build", "snapshot", "seed", "run", "test", "check", "freshness", "compile", "ls", "docs", "lineage",
             "run-operation", "debug")
# Commands that write target/run_results.json: they write it on every way out, errors included.
RECORDING = ("build", "seed", "run", "test", "check")
_EXIT_FOR = {Outcome.SUCCESS: ExitCode.OK, Outcome.FAILED: ExitCode.GATE_FAILED, Outcome.ERROR: ExitCode.BAD_INPUT}
# pytest's own exit codes would collide with ours (its 3 "internal error" is our "lock held",
# its 4 "usage error" our "internal error"), so `selftest` maps them (docs/operations.md).
PYTEST_EXIT = {0: ExitCode.OK, 1: ExitCode.GATE_FAILED, 2: ExitCode.INTERRUPTED, 3: ExitCode.INTERNAL,
               4: ExitCode.BAD_INPUT, 5: ExitCode.BAD_INPUT}


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="run.py", description="reform-warehouse: a dbt-style warehouse on DuckDB "
                                   "that publishes only after every quality gate passes.")
    _global_options(main, defaults=True)
    shared = argparse.ArgumentParser(add_help=False)
    _global_options(shared, defaults=False)   # the same options are accepted after the command too
    commands = main.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, text in COMMANDS.items():
        sub = commands.add_parser(name, help=text, description=text, parents=[shared])
        if name in SELECTING:
            sub.add_argument("-s", "--select", nargs="+",
                             help="names, +model, model+, tag:x, path:dir, state:modified+")
            sub.add_argument("--exclude", nargs="+", help="same syntax as --select")
            sub.add_argument("--selector", help="a named selection of selectors.yml")
        if name in WITH_VARS:
            sub.add_argument("--vars", type=_yaml_mapping, default={},
                             help='YAML or JSON mapping, e.g. \'{year: 2024}\' (overrides dbt_project.yml vars)')
        if name in ("build", "run", "seed"):
            sub.add_argument("--full-refresh", action="store_true", help="rebuild incremental models from scratch")
        if name == "run-operation":
            sub.add_argument("macro", help="the macro to run")
            sub.add_argument("--args", type=_yaml_mapping, default={}, help="its keyword arguments (YAML mapping)")
        if name == "docs":
            sub.add_argument("action", nargs="?", choices=("generate", "serve"), default="generate",
                             help="generate (default); serve is not needed: the site works from the file")
        if name in ("build", "compile", "run"):
            sub.add_argument("--no-static-check", action="store_true", help="skip sqlglot's static checks")
        if name == "build":
            sub.add_argument("--no-checks", action="store_true", help="skip the expectation suites of data_checks/")
            sub.add_argument("--allow-breaking", action="store_true",
                             help="publish even if an exported or contracted model lost or retyped a column")
        if name in ("build", "check"):
            sub.add_argument("--check-path", choices=("auto", "gx", "sql"), default="auto",
                             help="evaluate expectations with Great Expectations, DuckDB SQL, or choose by size")
        if name == "compile":
            sub.add_argument("--dialect", help="also write SQL transpiled to this dialect (spark, postgres, ...)")
        if name == "ls":
            sub.add_argument("--resource-type", choices=("model", "seed", "source", "snapshot", "test", "unit_test"))
            sub.add_argument("--output", choices=("name", "path", "json"), default="name")
        if name == "query":
            sub.add_argument("sql", help="the SQL to run (read-only)")
            sub.add_argument("--format", choices=("table", "csv", "json"), default="table")
            sub.add_argument("--dev", action="store_true", help="query the development database instead")
        if name == "lineage":
            sub.add_argument("target", metavar="MODEL.COLUMN")
            sub.add_argument("--format", choices=("tree", "json"), default="tree")
        if name == "diff":
            sub.add_argument("--from", dest="from_build", metavar="BUILD",
                             help="an earlier published build (id or prefix, see _warehouse_runs) or a .duckdb file")
            sub.add_argument("--to", dest="to_build", metavar="BUILD",
                             help="a later one (default: the published build)")
            sub.add_argument("--format", choices=("table", "json", "markdown"), default="table")
        if name == "selftest":
            sub.add_argument("pytest_args", nargs=argparse.REMAINDER)
    return main


def _yaml_mapping(text: str) -> dict:
    """--vars / --args as dbt takes them: a YAML (or JSON) mapping."""
    from warehouse.core.errors import ProjectError
    from warehouse.core.yamlio import load_yaml_text

    try:
        value = load_yaml_text(text, "the command line")
    except ProjectError as exc:       # not YAML, a duplicate key, or an alias bomb
        raise argparse.ArgumentTypeError(str(exc).splitlines()[0]) from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("must be a mapping, e.g. '{key: value}'")
    return value


def _global_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    default = (lambda value: value) if defaults else (lambda value: argparse.SUPPRESS)
    parser.add_argument("--project-dir", type=Path, default=default(None),
                        help="project folder (default: the current folder if it has dbt_project.yml, else this repo)")
    parser.add_argument("--profiles-dir", type=Path, default=default(None),
                        help="folder holding profiles.yml (default: $DBT_PROFILES_DIR, the project folder, ~/.dbt/)")
    parser.add_argument("-t", "--target", dest="target_name", default=default(None),
                        help="the profile output to use (default: its target:)")
    parser.add_argument("--threads", type=int, default=default(None), help="override the target's threads")
    parser.add_argument("--log-format", choices=("auto", "plain", "rich", "json"), default=default("auto"),
                        help="rich on a terminal, plain lines otherwise; json: one object per event")
    parser.add_argument("-q", "--quiet", action="store_true", default=default(False),
                        help="only warnings, errors and the summary")


def main(argv: list[str] | None = None, project_dir: Path | None = None) -> int:
    args = parser().parse_args(sys.argv[1:] if argv is None else argv)
    root = (args.project_dir or project_dir or Path.cwd()).resolve()
    from warehouse.core.log import Reporter

    reporter = Reporter(args.log_format, quiet=args.quiet)
    try:
        from warehouse.cli import commands

        outcome = getattr(commands, f"cmd_{args.command.replace('-', '_')}")(root, args, reporter)
    except BrokenPipeError:
        # `run.py ls | head`: the reader stopped reading, which is not an error. Point stdout at
        # /dev/null so the interpreter's final flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return int(ExitCode.OK)
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - every way out gets its code and record
        if is_disk_full(exc) and not isinstance(exc, DiskFull):
            exc = DiskFull(args.command, getattr(exc, "filename", None), False,
                           getattr(exc, "strerror", None) or str(exc).splitlines()[0])
        code = exit_code_for(exc)
        _report(exc, code, reporter)
        _record(root, args.command, exc)
        return int(code)
    return int(outcome if isinstance(outcome, ExitCode) else _EXIT_FOR[Outcome(outcome)])


def pytest_exit_code(code: int) -> ExitCode:
    """pytest's exit code as ours: failures 1, interrupted 130, its internal error 4, usage error or
    no tests collected 2; anything unknown is an internal error."""
    return PYTEST_EXIT.get(code, ExitCode.INTERNAL)


def exit_code_for(exc: BaseException) -> ExitCode:
    """The exit code of a command that raised: ours for our errors, 4 for a bug."""
    if isinstance(exc, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    if isinstance(exc, LockHeld):
        return ExitCode.LOCKED
    if isinstance(exc, DiskFull):
        return ExitCode.ENVIRONMENT
    if isinstance(exc, ErrorList):
        return max((exit_code_for(e) for e in exc.errors), default=ExitCode.BAD_INPUT)
    if isinstance(exc, (WarehouseError, OSError)):
        return ExitCode.BAD_INPUT
    return ExitCode.INTERNAL


def _report(exc: BaseException, code: ExitCode, reporter) -> None:
    if isinstance(exc, WarehouseError):
        reporter.error(f"error: {exc.render()}", exit_code=int(code))
    elif isinstance(exc, KeyboardInterrupt):
        reporter.error("interrupted: nothing was published")
    elif isinstance(exc, OSError):
        reporter.error(f"error: {exc}")
    else:
        import traceback

        reporter.error("internal error (please report it with this traceback):\n" + traceback.format_exc())


def _record(root: Path, command: str, exc: BaseException) -> None:
    """run_results.json when the command raised before its pipeline could write it (an invalid
    project, say); a pipeline that started has written its own, with the node results so far."""
    if command not in RECORDING or getattr(exc, "run_results_written", False):
        return
    from warehouse.publish.artifacts import write_error_run

    try:
        from warehouse.project.loader import load_project

        target = load_project(root).config.target_path
    except Exception:  # noqa: BLE001 - the project itself is what failed: dbt's default target/
        target = root / "target"
    try:
        write_error_run(target, command, exc)
    except OSError:
        pass            # nowhere to write: the message on stderr is all there is


if __name__ == "__main__":
    sys.exit(main())
