"""Load data_checks/ suites (*.json, or the same keys in *.yml) and refuse invalid ones before
anything runs.

GX 1.x drops an expectation with an unknown type with only a log line, so a typo would make a
gate pass silently. Every file is checked here, all problems are collected (not just the
first), and they are raised together as one ErrorList of CheckSuiteError.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from warehouse.core.errors import CheckSuiteError, ErrorList, Location
from warehouse.core.names import did_you_mean, nearest
from warehouse.check.catalog import ENTRY_KEYS, STATIC_SPECS, Catalog
from warehouse.check.kwarg_rules import static_value_problems
from warehouse.check.model import SEVERITIES, Expectation, Suite

SUITE_KEYS = frozenset({"name", "expectations", "meta", "id", "notes", "suite_parameters"})

# Schema assertions: naming a column the model lacks is what they test, so it is no load error.
SCHEMA_TYPES = frozenset({"expect_column_to_exist", "expect_table_columns_to_match_set",
                          "expect_table_columns_to_match_ordered_list"})


class _Problems:
    """Collects the problems of one file, each located at that file."""

    def __init__(self, path: Path):
        self.path = path
        self.errors: list[CheckSuiteError] = []

    def add(self, message: str, hint: str | None = None, line: int | None = None,
            column: int | None = None) -> None:
        where = Location(file=self.path, line=line, column=column)
        self.errors.append(CheckSuiteError(message, where, hint))

    def at(self, index: int, type_: str | None, message: str, hint: str | None = None) -> None:
        label = f"expectation #{index}" + (f" ({type_})" if type_ else "")
        self.add(f"{label}: {message}", hint)


SUITE_SUFFIXES = (".json", ".yml", ".yaml")


def _no_duplicates(pairs: list) -> dict:
    """json.loads keeps the last of two equal keys silently (a second "expectations" would drop
    the first list): refuse that, as the project's YAML loader does."""
    found: dict = {}
    for key, value in pairs:
        if key in found:
            raise _DuplicateKey(key)
        found[key] = value
    return found


class _DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _line_of_second(text: str, key: str) -> int | None:
    """The line of the second `"key":` in the text (json reports no position for duplicates)."""
    needle = json.dumps(key)
    first = text.find(needle)
    second = text.find(needle, first + 1) if first >= 0 else -1
    return text.count("\n", 0, second) + 1 if second >= 0 else None


def _read_json(path: Path, problems: _Problems):
    try:
        text = path.read_text(encoding="utf-8")
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        problems.add(f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno)
    except _DuplicateKey as exc:
        problems.add(f"duplicate key '{exc.key}'", "merge the two entries into one",
                     line=_line_of_second(text, exc.key))
    except UnicodeDecodeError as exc:
        problems.add(f"not UTF-8 text: {exc.reason}")
    return None


def _read_yaml(path: Path, problems: _Problems):
    """A suite written in YAML (same keys as GX's JSON); syntax errors keep their line."""
    from warehouse.core.errors import WarehouseError
    from warehouse.core.yamlio import load_yaml

    try:
        return load_yaml(path)
    except WarehouseError as exc:
        where = exc.location or Location(file=path)
        problems.add(exc.message.removeprefix(f"{path}: "), exc.hint, line=where.line,
                     column=where.column)
    return None


def _read(path: Path, problems: _Problems):
    return _read_json(path, problems) if path.suffix == ".json" else _read_yaml(path, problems)


def _check_kwargs(index: int, type_: str, kwargs: dict, catalog: Catalog,
                  problems: _Problems) -> None:
    spec = catalog.spec(type_)
    for name in sorted(spec.required - set(kwargs)):
        problems.at(index, type_, f"missing required kwarg '{name}'")
    for name in sorted(set(kwargs) - spec.allowed):
        problems.at(index, type_, f"unknown kwarg '{name}'",
                    did_you_mean(name, spec.allowed) or
                    f"{type_} accepts: {', '.join(sorted(spec.allowed))}")
    if not set(kwargs) <= spec.allowed or not spec.required <= set(kwargs):
        return
    if type_ in STATIC_SPECS:
        found = static_value_problems(type_, kwargs)
    else:
        from warehouse.check.catalog import gx_value_problems
        found = gx_value_problems(type_, kwargs)
    for message in found:
        problems.at(index, type_, message)


def _check_type(index: int, entry: dict, catalog: Catalog, problems: _Problems) -> str | None:
    if "expectation_type" in entry:
        problems.at(index, entry.get("expectation_type"),
                    "uses the GX 0.x key 'expectation_type'",
                    "GX 1.x names the type with the key 'type'")
        return None
    type_ = entry.get("type")
    if not isinstance(type_, str) or not type_:
        problems.at(index, None, "has no 'type'")
        return None
    if catalog.spec(type_) is None:
        problems.at(index, type_, "unknown expectation type",
                    did_you_mean(type_, catalog.known_types()))
        return None
    return type_


def _check_entry_shape(index: int, entry: dict, problems: _Problems) -> bool:
    type_ = entry.get("type")
    ok = True
    for key in sorted(set(entry) - ENTRY_KEYS - {"expectation_type"}):
        problems.at(index, type_, f"unknown key '{key}'", did_you_mean(key, ENTRY_KEYS))
    if not isinstance(entry.get("kwargs", {}), dict):
        problems.at(index, type_, "'kwargs' must be an object")
        ok = False
    if not isinstance(entry.get("meta", {}) or {}, dict):
        problems.at(index, type_, "'meta' must be an object")
        ok = False
    severity = entry.get("severity", "critical")
    if severity not in SEVERITIES:
        problems.at(index, type_, f"severity {severity!r} is not one of {', '.join(SEVERITIES)}")
        ok = False
    return ok


def _parse_entry(index: int, entry, catalog: Catalog, problems: _Problems) -> Expectation | None:
    if not isinstance(entry, dict):
        problems.at(index, None, "must be an object")
        return None
    shape_ok = _check_entry_shape(index, entry, problems)
    type_ = _check_type(index, entry, catalog, problems)
    if type_ is None or not shape_ok:
        return None
    kwargs = entry.get("kwargs", {})
    before = len(problems.errors)
    _check_kwargs(index, type_, kwargs, catalog, problems)
    if len(problems.errors) > before:
        return None
    return Expectation(index=index, type=type_, kwargs=dict(kwargs),
                       meta=dict(entry.get("meta") or {}),
                       severity=entry.get("severity", "critical"))


def _binding(doc: dict, problems: _Problems) -> tuple[str | None, str | None]:
    meta = doc.get("meta") or {}
    if not isinstance(meta, dict):
        problems.add("'meta' must be an object")
        return None, None
    model, query = meta.get("model"), meta.get("query")
    if model is None and query is None:
        problems.add("suite is bound to nothing",
                     'set "meta": {"model": "<model name>"} or "meta": {"query": "<SQL>"}')
    elif model is not None and query is not None:
        problems.add("suite sets both meta.model and meta.query; keep one")
    elif not isinstance(model or query, str) or not (model or query).strip():
        problems.add("meta.model / meta.query must be a non-empty string")
    else:
        return model, query
    return None, None


def _check_suite_keys(doc: dict, problems: _Problems) -> None:
    if "expectation_suite_name" in doc:
        problems.add("uses the GX 0.x key 'expectation_suite_name'",
                     "GX 1.x names the suite with the key 'name'")
    for key in sorted(set(doc) - SUITE_KEYS - {"expectation_suite_name"}):
        problems.add(f"unknown suite key '{key}'", did_you_mean(key, SUITE_KEYS))
    if not isinstance(doc.get("name", ""), str):
        problems.add("'name' must be a string")


def _parse_suite(path: Path, doc, catalog: Catalog, problems: _Problems) -> Suite | None:
    if not isinstance(doc, dict):
        problems.add("a suite must be a JSON object")
        return None
    _check_suite_keys(doc, problems)
    model, query = _binding(doc, problems)
    entries = doc.get("expectations")
    if not isinstance(entries, list):
        problems.add("'expectations' must be a list")
        entries = []
    parsed = [_parse_entry(i, entry, catalog, problems) for i, entry in enumerate(entries)]
    if model is None and query is None:
        return None
    # With problems, the suite is kept with its valid expectations only, so that their columns
    # are checked in the same pass; it never runs (load_suites raises).
    return Suite(name=doc.get("name") or path.stem, path=path, model=model, query=query,
                 expectations=tuple(e for e in parsed if e is not None),
                 meta=dict(doc.get("meta") or {}))


def read_suites(directory: Path) -> tuple[list[Suite], list[CheckSuiteError]]:
    """Every suite file in `directory` (*.json, GX's format; *.yml/*.yaml, the same keys), and
    all their problems. A suite with problems is returned with its valid expectations only, so
    that the caller can check their columns and models in the same pass."""
    catalog = Catalog()
    suites, errors = [], []
    for path in sorted(p for p in Path(directory).iterdir() if p.suffix in SUITE_SUFFIXES):
        problems = _Problems(path)
        doc = _read(path, problems)
        suite = None if problems.errors else _parse_suite(path, doc, catalog, problems)
        errors.extend(problems.errors)
        if suite is not None:
            suites.append(suite)
    _check_unique_names(suites, errors)
    return suites, errors


def load_suites(directory: Path) -> list[Suite]:
    """Every suite in `directory`, or an ErrorList of all their problems.

    GX is imported only if some suite uses a type the SQL path does not know (or a misspelt
    one, to suggest the nearest valid name).
    """
    suites, errors = read_suites(directory)
    if errors:
        raise ErrorList(errors)
    return suites


def _check_unique_names(suites: list[Suite], errors: list) -> None:
    seen: dict[str, Path] = {}
    for suite in suites:
        if suite.name in seen:
            errors.append(CheckSuiteError(
                f"suite name '{suite.name}' is also used by {seen[suite.name]}",
                Location(file=suite.path)))
        seen.setdefault(suite.name, suite.path)


def _named_columns(exp: Expectation) -> list[str]:
    if exp.type in SCHEMA_TYPES:
        return []
    names = [exp.kwargs[k] for k in ("column", "column_A", "column_B") if k in exp.kwargs]
    names += list(exp.kwargs.get("column_list") or [])
    return [n for n in names if isinstance(n, str)]


def _column_errors(suite: Suite, columns: list[str]) -> list[CheckSuiteError]:
    errors = []
    for exp in suite.expectations:
        for name in _named_columns(exp):
            if name in columns:
                continue
            near = nearest(name, columns, cutoff=0.0)
            errors.append(CheckSuiteError(
                f"expectation #{exp.index} ({exp.type}): column '{name}' is not a column of "
                f"model '{suite.model}'", Location(file=suite.path, node=suite.model),
                f"nearest column: '{near}'" if near else None))
    return errors


def binding_errors(suites: list[Suite], columns_of: Callable[[str], list[str] | None],
                   relation_known: Callable[[str], bool] | None = None,
                   model_known: Callable[[str], bool] | None = None) -> list[CheckSuiteError]:
    """Problems of what suites point at: an unknown model, a column its model lacks (exact,
    case-sensitive: the GX path reads pandas columns), an unknown `other_table_name`.

    `columns_of(model)` may return None when the columns are not known yet; `model_known` then
    says whether the model exists at all (default: known when its columns are).
    """
    errors: list[CheckSuiteError] = []
    for suite in suites:
        if relation_known is not None:
            errors.extend(_other_table_errors(suite, relation_known))
        if suite.model is None:
            continue
        columns = columns_of(suite.model)
        known = model_known(suite.model) if model_known is not None else columns is not None
        if not known:
            errors.append(CheckSuiteError(
                f"suite '{suite.name}' is bound to unknown model '{suite.model}'",
                Location(file=suite.path, node=suite.model)))
        elif columns is not None:
            errors.extend(_column_errors(suite, list(columns)))
    return errors


def _other_table_errors(suite: Suite, relation_known: Callable[[str], bool]) -> list[CheckSuiteError]:
    return [CheckSuiteError(
        f"expectation #{e.index} ({e.type}): other_table_name '{e.kwargs['other_table_name']}' "
        f"is no model, seed or source of the project", Location(file=suite.path, node=suite.model))
        for e in suite.expectations
        if isinstance(e.kwargs.get("other_table_name"), str)
        and not relation_known(e.kwargs["other_table_name"])]


def validate_columns(suites: list[Suite], columns_of: Callable[[str], list[str] | None]) -> None:
    """Check that every column a suite names exists in its bound model. Query-bound suites are
    checked when they run, since their columns are only known to the database."""
    errors = binding_errors(suites, columns_of)
    if errors:
        raise ErrorList(errors)
