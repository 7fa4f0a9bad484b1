"""YAML reading that remembers where each key was written.

Configuration errors must name the file and the line, so mappings are loaded as `Mapping`
(a dict that also knows the line of itself and of each of its keys).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import yaml

from warehouse.core.errors import Location, ProjectError
from warehouse.core.names import nearest

__all__ = ["Mapping", "load_yaml", "load_yaml_text", "nearest", "reject_unknown_keys"]


class Mapping(dict):
    """A dict loaded from YAML, with `line` (1-based) of the mapping and of each key."""

    def __init__(self, *args: Any, line: int | None = None, key_lines: dict | None = None, file: Path | None = None):
        super().__init__(*args)
        self.line = line
        self.key_lines = key_lines or {}
        self.file = file

    def where(self, key: str | None = None) -> Location:
        line = self.key_lines.get(key, self.line) if key is not None else self.line
        return Location(self.file, line)


# libyaml's parser when PyYAML has it (the wheels do): the pure-Python one made loading the
# reform project's properties YAML take 0.8 s; the constructor stays Python, so lines still come.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader whose mappings are `Mapping`s carrying line numbers."""

    file: Path | None = None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Mapping:  # type: ignore[override]
        self.flatten_mapping(node)
        result = Mapping(line=node.start_mark.line + 1, file=self.file)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in result.key_lines:
                # PyYAML keeps the last value silently: a second `data_tests:` would drop tests.
                raise ProjectError(f"duplicate key '{key}' (first on line {result.key_lines[key]})",
                                   Location(self.file, key_node.start_mark.line + 1),
                                   hint="merge the two entries into one")
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)


def load_yaml(path: Path, display: Path | None = None) -> Any:
    """Load one YAML file; a syntax error becomes a ProjectError naming file, line and column.

    `display` is the path used in messages (relative to the project, as the user knows it).
    """
    return load_yaml_text(read_utf8(path, display or path), display or path)


def load_yaml_text(text: str, path: Path | str) -> Any:
    """Load YAML text with the same guards as a project file (duplicate keys, alias bound);
    `path` names where the text came from (`--vars`, a model's `fromyaml()`)."""
    loader = _LineLoader(text)
    loader.file = path
    try:
        data = loader.get_single_data()
        _bounded(data, path)
        return data
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = Location(path, mark.line + 1 if mark else None, mark.column + 1 if mark else None)
        raise ProjectError(f"invalid YAML: {exc.problem}", where) from None
    finally:
        loader.dispose()


# A properties file of a large project has some tens of thousands of values; aliases can make a
# few lines stand for billions (an "alias bomb" held the build lock with 6 GB of memory).
MAX_YAML_VALUES = 1_000_000


def _bounded(data: Any, path: Path) -> None:
    """Refuse YAML whose aliases expand past MAX_YAML_VALUES values (counted without expanding)."""
    budget = MAX_YAML_VALUES
    stack = [data]
    while stack:
        value = stack.pop()
        budget -= 1
        if budget < 0:
            raise ProjectError(f"YAML expands to more than {MAX_YAML_VALUES:,} values through its aliases "
                               "(&anchor / *alias)", Location(path), hint="write the repeated parts out, or "
                               "use fewer nested aliases")
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def read_utf8(path: Path, display: Path | str | None = None) -> str:
    """A project file's text; one that is not UTF-8 is a ProjectError naming the line of the bad byte."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ProjectError(f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
                           Location(display or path, line), hint="save the file as UTF-8") from None


def reject_unknown_keys(mapping: Any, allowed: Iterable[str], what: str, path: Path) -> None:
    """Raise a ProjectError for the first key not in `allowed`, naming its line and the nearest key."""
    if not isinstance(mapping, dict):
        return
    allowed = list(allowed)
    for key in mapping:
        if key not in allowed:
            hint = nearest(str(key), allowed)
            location = mapping.where(key) if isinstance(mapping, Mapping) else Location(path)
            raise ProjectError(
                f"unknown key '{key}' in {what}",
                location,
                hint=f"did you mean '{hint}'?" if hint else f"valid keys: {', '.join(sorted(allowed))}",
            )
