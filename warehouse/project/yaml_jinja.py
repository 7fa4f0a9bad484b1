"""Jinja inside YAML values (`+enabled: "{{ var('x') }}"`, `path: "{{ env_var('DB') }}"`).

dbt renders such strings with a small context and turns the result back into a value:
"True"/"False"/"None" and numbers become booleans, None and numbers, as its own native
rendering does. Rendering is sandboxed: a YAML file must not reach Python internals.
"""
from __future__ import annotations

import ast
from typing import Any

from warehouse.core.errors import Location, ProjectError


def render_string(text: str, context: dict[str, Any], where: Location) -> Any:
    """Render one string and convert the result to the Python value it spells."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.do"])
    try:
        rendered = env.from_string(text).render(context)
    except ProjectError:
        raise
    except Exception as exc:  # noqa: BLE001 - user Jinja: any failure is theirs, with the place
        message = getattr(exc, "message", None) or str(exc)
        raise ProjectError(f"cannot render {text!r}: {message}", where) from None
    return native(rendered)


def native(text: str) -> Any:
    """'True' -> True, '3' -> 3, '[1, 2]' -> [1, 2]; anything else stays a string."""
    stripped = text.strip()
    if stripped in ("True", "true"):
        return True
    if stripped in ("False", "false"):
        return False
    if stripped in ("None", "none", ""):
        return None if stripped else text
    try:
        value = ast.literal_eval(stripped)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return text
    return value if isinstance(value, (int, float, list, dict, tuple)) else text
