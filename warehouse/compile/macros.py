"""dbt's macro semantics on top of Jinja: `{% test %}` blocks are macros named `test_<name>`,
`{{ return(value) }}` leaves a macro with a value, and custom materialization blocks (not
supported) are blanked so the rest of a file's macros still load.
"""
from __future__ import annotations

import re
from typing import Any

import jinja2

_TEST_BLOCK = re.compile(r"{%(-?)\s*test\s+(\w+)\s*\(")
_END_TEST = re.compile(r"{%(-?)\s*endtest\s*(-?)%}")
_UNSUPPORTED_BLOCK = re.compile(r"{%-?\s*materialization\s+(\w+).*?{%-?\s*endmaterialization\s*-?%}", re.DOTALL)


def macro_file_source(text: str) -> str:
    """A macro file's text as Jinja loads it: unsupported blocks blanked, test blocks made macros."""
    text = strip_unsupported_blocks(text)
    return _END_TEST.sub(r"{%\1 endmacro \2%}", _TEST_BLOCK.sub(r"{%\1 macro test_\2(", text))


def strip_unsupported_blocks(text: str) -> str:
    """Custom materializations are not supported: their blocks are blanked (keeping line numbers)
    so the rest of the file's macros load; the loader lists them as ignored."""
    return _UNSUPPORTED_BLOCK.sub(lambda m: "\n" * m.group(0).count("\n"), text)


class _MacroReturn(Exception):
    """dbt's `{{ return(value) }}`: leave the macro with a value instead of rendered text."""

    def __init__(self, value: Any):
        self.value = value


def macro_return(value: Any) -> None:
    raise _MacroReturn(value)


def support_return(macro: jinja2.runtime.Macro) -> None:
    """Let `return()` end this macro with a value. The Macro object itself is patched (not a
    wrapper put in its place) because macros of the same file call each other directly."""
    body = macro._func

    def call(*args: Any) -> Any:
        try:
            return body(*args)
        except _MacroReturn as returned:
            return returned.value

    macro._func = call
