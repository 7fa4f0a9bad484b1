"""The objects of dbt's Jinja context that are more than a function: relations, query results,
`adapter`, `api`, `flags`, `graph`, and the namespaces packages' macros live in.

The compiler puts them into every render; they reach the database only through the engine
interface handed to them (never a driver), and only when `execute` is true, as in dbt.
"""
from __future__ import annotations

import datetime as _datetime
import functools
import itertools
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterator

import yaml

from warehouse.core.errors import CompileError, ProjectError
from warehouse.core.relation import quote_identifier, quote_relation


@dataclass(frozen=True)
class Relation:
    """dbt's relation object: prints as the quoted name, exposes its parts (`this.schema`)."""

    database: str | None = None
    schema: str | None = None
    identifier: str | None = None
    type: str | None = None
    with_database: bool = False

    @property
    def name(self) -> str | None:
        return self.identifier

    @property
    def table(self) -> str | None:
        return self.identifier

    @property
    def is_table(self) -> bool:
        return self.type == "table"

    @property
    def is_view(self) -> bool:
        return self.type == "view"

    @property
    def is_cte(self) -> bool:
        return self.type == "cte"

    def render(self) -> str:
        if self.schema is None:
            return quote_identifier(self.identifier or "")
        text = quote_relation(self.schema, self.identifier or "")
        if self.with_database and self.database:
            text = f"{quote_identifier(self.database)}.{text}"
        return text

    def __str__(self) -> str:
        return self.render()

    def __html__(self) -> str:   # Jinja autoescape-safe
        return self.render()

    def include(self, database: bool | None = None, schema: bool | None = None,
                identifier: bool | None = None) -> "Relation":
        return replace(self, with_database=bool(database) if database is not None else self.with_database,
                       schema=self.schema if schema is not False else None,
                       identifier=self.identifier if identifier is not False else None)

    def incorporate(self, path: dict | None = None, type: str | None = None) -> "Relation":  # noqa: A002
        path = path or {}
        return replace(self, database=path.get("database", self.database), schema=path.get("schema", self.schema),
                       identifier=path.get("identifier", self.identifier), type=type or self.type)

    def quote(self, *args: Any, **kwargs: Any) -> "Relation":
        return self

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Relation):
            return (self.schema, self.identifier) == (other.schema, other.identifier)
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash((self.schema, self.identifier))


class ExternalRelation(Relation):
    """A dbt-duckdb source read from files (`external_location`): renders as the location,
    quoted as a path unless it is already a call such as read_csv(...)."""

    def __init__(self, database: Any, schema: Any, identifier: Any, type: Any, text: str):  # noqa: A002
        super().__init__(database, schema, identifier, type)
        object.__setattr__(self, "text", text)

    def render(self) -> str:
        text = self.text  # type: ignore[attr-defined]
        return text if "(" in text else "'" + text.replace("'", "''") + "'"


class RelationApi:
    """`api.Relation.create(...)`."""

    @staticmethod
    def create(database: str | None = None, schema: str | None = None, identifier: str | None = None,
               type: str | None = None, **_: Any) -> Relation:  # noqa: A002
        return Relation(database, schema, identifier, type)


@dataclass
class Column:
    """A column of a relation (adapter.get_columns_in_relation) or of a query result."""

    name: str
    dtype: str = ""
    _values: list[Any] = field(default_factory=list)

    @property
    def column(self) -> str:
        return self.name

    @property
    def data_type(self) -> str:
        return self.dtype

    def values(self) -> list[Any]:
        return list(self._values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __str__(self) -> str:
        return self.name


class Row(tuple):
    """A result row: by position (`row[0]`) or by column name (`row['n']`)."""

    names: tuple[str, ...] = ()

    def __new__(cls, values: tuple, names: tuple[str, ...]) -> "Row":
        row = super().__new__(cls, values)
        row.names = names
        return row

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self.names.index(key))
        return tuple.__getitem__(self, key)

    def keys(self) -> tuple[str, ...]:
        return self.names

    def values(self) -> list[Any]:
        return list(self)

    def dict(self) -> dict[str, Any]:
        return dict(zip(self.names, self))


class Table:
    """What run_query() and load_result()['table'] return: the parts of agate.Table dbt users use."""

    def __init__(self, names: list[str], rows: list[tuple]):
        self.column_names = tuple(names)
        self.rows = [Row(tuple(r), self.column_names) for r in rows]
        self.columns = _Columns([Column(n, "", [r[i] for r in rows]) for i, n in enumerate(names)])

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> Row:
        return self.rows[index]

    def print_table(self, *args: Any, **kwargs: Any) -> str:
        return ""


class _Columns(list):
    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return next(c for c in self if c.name == key)
        return list.__getitem__(self, key)


class Namespace:
    """A package's macros as attributes: `{{ my_pkg.cents('amount') }}`."""

    def __init__(self, name: str, members: dict[str, Any]):
        self._name = name
        self._members = members

    def __getattr__(self, item: str) -> Any:
        if item.startswith("_"):
            raise AttributeError(item)
        try:
            return self._members[item]
        except KeyError:
            raise CompileError(f"'{self._name}.{item}' is undefined: package '{self._name}' has no macro "
                               f"named '{item}'") from None

    def __contains__(self, item: str) -> bool:
        return item in self._members


class Flags:
    """`flags`: dbt's invocation flags (FULL_REFRESH, WHICH, ...) and the project's `flags:`."""

    def __init__(self, values: dict[str, Any]):
        self._values = {k.upper(): v for k, v in values.items()}

    def __getattr__(self, item: str) -> Any:
        if item.startswith("_"):
            raise AttributeError(item)
        return self._values.get(item.upper())


class Exceptions:
    """`exceptions.raise_compiler_error(...)`, `exceptions.warn(...)`, ..."""

    def __init__(self, warn: Callable[[str], None]):
        self._warn = warn

    @staticmethod
    def raise_compiler_error(message: str, node: Any = None) -> None:
        raise CompileError(str(message))

    @staticmethod
    def raise_not_implemented(message: str) -> None:
        raise CompileError(f"not implemented: {message}")

    @staticmethod
    def raise_database_error(message: str) -> None:
        raise CompileError(f"database error: {message}")

    def warn(self, message: str, node: Any = None) -> str:
        self._warn(str(message))
        return ""


@functools.lru_cache(maxsize=1)
def modules() -> dict[str, Any]:
    """`modules.datetime`, `modules.re`, `modules.itertools` (and `modules.pytz` when installed).

    Once per process: a failed `import pytz` searches the whole path, and every render asked."""
    found: dict[str, Any] = {"datetime": _datetime, "re": re, "itertools": itertools}
    try:
        import pytz  # noqa: F401 - optional, as in dbt

        found["pytz"] = pytz
    except ImportError:
        pass
    return found


def tojson(value: Any, sort_keys: bool = False) -> str:
    return json.dumps(value, sort_keys=sort_keys, default=str)


def fromjson(text: str, default: Any = None) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return default


def toyaml(value: Any, sort_keys: bool = False) -> str:
    return yaml.safe_dump(_plain(value), sort_keys=sort_keys)


def fromyaml(text: str, default: Any = None) -> Any:
    """dbt's fromyaml: `default` for text that is not YAML; duplicate keys and alias bombs are
    refused as in project files (a template must not hold the build lock with gigabytes)."""
    from warehouse.core.yamlio import load_yaml_text

    try:
        return load_yaml_text(text, "fromyaml()")
    except ProjectError as error:
        if error.message.startswith("invalid YAML"):
            return default
        raise


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def pure_functions() -> dict[str, Any]:
    """Context entries that need nothing of the project."""
    return {
        "modules": modules(), "tojson": tojson, "fromjson": fromjson, "toyaml": toyaml, "fromyaml": fromyaml,
        "zip": zip, "set": set, "api": type("Api", (), {"Relation": RelationApi})(),
        "local_md5": lambda text: __import__("hashlib").md5(str(text).encode()).hexdigest(),
        "dbt_version": "1.10.0",
    }
