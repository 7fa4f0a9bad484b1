"""Gates on change: the config keys that say how much a build may change a model before publishing.

Set per folder (`+max_row_change: 20%`), in properties YAML (`config:`) or in SQL `config()`:

- `breaking_changes: block | warn`: a removed or retyped column. Checked for exported and
  contracted models (default `block`), and for any model that sets it.
- `max_row_change: 20%`, `min_rows: N`, `max_removed_rows: N`: volume limits. Each is a value
  (which blocks publishing) or `{limit: <value>, severity: block | warn}`.
- `diff_max_rows: N`: above this many rows (either side) row diffs are skipped, and the report
  says so; schema and row counts are still compared.

Parsed once when the project is loaded, so a typo fails before anything runs.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from warehouse.core.errors import Location, ProjectError
from warehouse.core.yamlio import nearest


class GateSeverity(StrEnum):
    BLOCK = "block"
    WARN = "warn"


BREAKING_KEY = "breaking_changes"
VOLUME_KEYS = ("max_row_change", "min_rows", "max_removed_rows")
DIFF_MAX_ROWS_KEY = "diff_max_rows"
CHANGE_CONFIG_KEYS = frozenset({BREAKING_KEY, *VOLUME_KEYS, DIFF_MAX_ROWS_KEY})
LIMIT_KEYS = ("limit", "severity")
DEFAULT_DIFF_MAX_ROWS = 1_000_000   # a row diff costs about a rebuild: big facts get counts by default


@dataclass(frozen=True)
class Limit:
    key: str
    value: float            # a percentage for max_row_change, a row count otherwise
    severity: GateSeverity

    def describe(self) -> str:
        return f"{self.key} {self.value:g}%" if self.key == "max_row_change" else f"{self.key} {int(self.value)}"


@dataclass(frozen=True)
class ChangeConfig:
    """A model's gates on change, validated."""

    breaking: GateSeverity | None      # None: not set (exported/contracted models then block)
    limits: tuple[Limit, ...]
    diff_max_rows: int


def change_config(config: dict[str, Any], where: Location) -> ChangeConfig:
    """Read and validate the change keys of one node's merged config."""
    breaking = config.get(BREAKING_KEY)
    if breaking is not None:
        breaking = _severity(breaking, BREAKING_KEY, where)
    limits = tuple(_limit(key, config[key], where) for key in VOLUME_KEYS if config.get(key) is not None)
    diff_max = config.get(DIFF_MAX_ROWS_KEY, DEFAULT_DIFF_MAX_ROWS)
    if isinstance(diff_max, bool) or not isinstance(diff_max, int) or diff_max < 0:
        raise ProjectError(f"{DIFF_MAX_ROWS_KEY} must be a whole number of rows, not {diff_max!r}", where)
    return ChangeConfig(breaking, limits, diff_max)


def _severity(value: Any, key: str, where: Location) -> GateSeverity:
    text = str(value).lower()
    if text not in {s.value for s in GateSeverity}:
        hint = nearest(text, [s.value for s in GateSeverity])
        raise ProjectError(f"{key} must be block or warn, not '{value}'", where,
                           hint=f"did you mean '{hint}'?" if hint else None)
    return GateSeverity(text)


def _limit(key: str, value: Any, where: Location) -> Limit:
    severity = GateSeverity.BLOCK
    if isinstance(value, dict):
        for inner in value:
            if inner not in LIMIT_KEYS:
                hint = nearest(str(inner), LIMIT_KEYS)
                raise ProjectError(f"unknown key '{inner}' in {key}", where,
                                   hint=f"did you mean '{hint}'?" if hint
                                   else "use {limit: ..., severity: block | warn}")
        if "limit" not in value:
            raise ProjectError(f"{key} needs a 'limit'", where, hint=f"{key}: {{limit: ..., severity: warn}}")
        severity = _severity(value.get("severity", "block"), f"severity of {key}", where)
        value = value["limit"]
    return Limit(key, _number(key, value, where), severity)


def _number(key: str, value: Any, where: Location) -> float:
    """`20%` or 20 for max_row_change (a percentage); a whole number of rows for the others."""
    if key == "max_row_change":
        text = str(value).strip().removesuffix("%").strip()
        try:
            number = float(text)
        except ValueError:
            raise ProjectError(f"max_row_change must be a percentage like 20%, not '{value}'", where) from None
        if number < 0 or isinstance(value, bool):
            raise ProjectError(f"max_row_change must be a percentage like 20%, not '{value}'", where)
        return number
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ProjectError(f"{key} must be a whole number of rows, not {value!r}", where)
    return float(value)
