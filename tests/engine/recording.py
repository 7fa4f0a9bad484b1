"""A recording wrapper around DuckDBEngine that exposes the engine interface and nothing else.

It holds the real engine privately and forwards only the methods of `Engine`, writing each
call's name to `CALLS`. A stage that reached for a connection (`engine.con`) or a DuckDB-only
method would fail with AttributeError, so a build that passes through it used the interface only.
"""
from __future__ import annotations

import inspect
from typing import Any

from warehouse.engine.base import Engine
from warehouse.engine.duckdb_engine import DuckDBEngine

CALLS: list[str] = []
INTERFACE = sorted(name for name, member in inspect.getmembers(Engine)
                   if getattr(member, "__isabstractmethod__", False))


def _forward(name: str):
    def method(self, *args: Any, **kwargs: Any) -> Any:
        CALLS.append(name)
        return getattr(self._inner, name)(*args, **kwargs)

    method.__name__ = name
    return method


def _forward_class(name: str):
    def method(cls, *args: Any, **kwargs: Any) -> Any:
        CALLS.append(name)
        found = getattr(DuckDBEngine, name)(*args, **kwargs)
        return cls(found) if isinstance(found, DuckDBEngine) else found

    method.__name__ = name
    return classmethod(method)


class RecordingEngine(Engine):
    dialect = DuckDBEngine.dialect
    capabilities = DuckDBEngine.capabilities

    def __init__(self, inner: DuckDBEngine):
        self._inner = inner
        self.path = inner.path

    for _name in INTERFACE:
        if isinstance(inspect.getattr_static(Engine, _name), classmethod):
            locals()[_name] = _forward_class(_name)
        else:
            locals()[_name] = _forward(_name)
    del _name
