"""The command line: parse arguments, call the pipeline, turn errors into exit codes.

Only the standard library and `warehouse.core.errors` are imported at start-up, so `--help`
answers at once; each command imports what it needs (DuckDB, Jinja, GX) when it runs.
Exit codes: 0 done/published, 1 a gate failed (nothing published), 2 bad project, config
or input, 3 another build holds the lock, 4 an internal error (a bug: please report it).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from warehouse.core.errors import EXIT_BAD_INPUT, EXIT_INTERNAL, WarehouseError

COMMANDS = {
    "build": "load seeds, run models, test, check, and publish the warehouse and exports if every gate passes",
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
    "rollback": "put the previously published warehouse back in place",
    "clean": "remove target/, clean-targets and build leftovers (never the published warehouse or exports)",
    "deps": "install the packages of packages.yml (local:, git:, hub) into dbt_packages/",
    "debug": "show the project file, profiles.yml, the selected target and packages, and check the database",
    "run-operation": "run a macro (with --args) against the development database",
    "selftest": "run the project's pytest suite",
}
SELECTING = ("build", "seed", "run", "test", "check", "freshness", "compile", "ls", "docs")
WITH_VARS = ("build", "seed", "run", "test", "check", "freshness", "compile", "ls", "docs", "lineage",
             "run-operation", "debug")


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
            sub.add_argument("-s", "--select", nargs="+", help="names, +model, model+, tag:x, path:dir, state:modified+")
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
        if name in ("build", "check"):
            sub.add_argument("--check-path", choices=("auto", "gx", "sql"), default="auto",
                             help="evaluate expectations with Great Expectations, DuckDB SQL, or choose by size")
        if name == "compile":
            sub.add_argument("--dialect", help="also write SQL transpiled to this dialect (spark, postgres, ...)")
        if name == "ls":
            sub.add_argument("--resource-type", choices=("model", "seed", "source", "test"))
            sub.add_argument("--output", choices=("name", "path", "json"), default="name")
        if name == "query":
            sub.add_argument("sql", help="the SQL to run (read-only)")
            sub.add_argument("--format", choices=("table", "csv", "json"), default="table")
            sub.add_argument("--dev", action="store_true", help="query the development database instead")
        if name == "lineage":
            sub.add_argument("target", metavar="MODEL.COLUMN")
            sub.add_argument("--format", choices=("tree", "json"), default="tree")
        if name == "selftest":
            sub.add_argument("pytest_args", nargs=argparse.REMAINDER)
    return main


def _yaml_mapping(text: str) -> dict:
    """--vars / --args as dbt takes them: a YAML (or JSON) mapping."""
    import yaml

    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise argparse.ArgumentTypeError(f"not valid YAML: {exc}") from None
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
    parser.add_argument("-t", "--target", dest="target_name", default=default(None), help="the profile output to use (default: its target:)")
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

        return getattr(commands, f"cmd_{args.command.replace('-', '_')}")(root, args, reporter)
    except WarehouseError as exc:
        reporter.error(f"error: {exc.render()}", exit_code=exc.exit_code)
        return exc.exit_code
    except KeyboardInterrupt:
        reporter.error("interrupted: nothing was published")
        return 130
    except OSError as exc:
        reporter.error(f"error: {exc}")
        return EXIT_BAD_INPUT
    except Exception:  # noqa: BLE001 - a bug of ours: its own exit code, never confused with a gate
        import traceback

        reporter.error("internal error (please report it with this traceback):\n" + traceback.format_exc())
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
