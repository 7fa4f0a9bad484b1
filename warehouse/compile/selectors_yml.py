"""dbt's `selectors.yml`: named selections, used as `--selector name` or `selector:name`.

A definition is a selection string, or a mapping with `method`/`value` (and dbt's graph
keys `parents`, `children`, `parents_depth`, `children_depth`, `childrens_parents`), or
`union:` / `intersection:` lists of definitions, each allowing an `exclude:` list.
A selector marked `default: true` applies when no --select/--selector is given.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from warehouse.core.errors import Location, ProjectError, SelectionError
from warehouse.core.yamlio import Mapping, load_yaml, nearest, reject_unknown_keys

FILE = "selectors.yml"
SELECTOR_KEYS = ("name", "description", "definition", "default")
METHOD_KEYS = ("method", "value", "parents", "children", "parents_depth", "children_depth", "childrens_parents",
               "indirect_selection", "exclude")


def read_selectors(root: Path) -> dict[str, dict[str, Any]]:
    """The project's named selectors (empty when there is no selectors.yml)."""
    path = root / FILE
    if not path.is_file():
        return {}
    data = load_yaml(path, Path(FILE)) or {}
    entries = data.get("selectors") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ProjectError("selectors.yml needs a `selectors:` list", Location(FILE, 1))
    found = {}
    for entry in entries:
        if not isinstance(entry, dict) or "name" not in entry or "definition" not in entry:
            raise ProjectError("each selector needs a name and a definition", Location(FILE))
        reject_unknown_keys(entry, SELECTOR_KEYS, f"selector '{entry['name']}'", Path(FILE))
        found[str(entry["name"])] = entry
    return found


def default_selector(root: Path) -> str | None:
    defaults = [name for name, entry in read_selectors(root).items() if entry.get("default")]
    if len(defaults) > 1:
        raise ProjectError(f"selectors.yml marks several selectors as default: {', '.join(defaults)}", Location(FILE))
    return defaults[0] if defaults else None


def selector_definition(selector: Any, name: str) -> set[str]:
    """The unique_ids selected by the named selector."""
    selectors = read_selectors(selector.project.root)
    if name not in selectors:
        hint = nearest(name, list(selectors))
        raise SelectionError(f"no selector named '{name}' in selectors.yml",
                             hint=f"did you mean '{hint}'?" if hint else None)
    if name in selector.resolving:
        chain = " -> ".join([*selector.resolving[selector.resolving.index(name):], name])
        raise SelectionError(f"selector cycle {chain}", _where(selectors[name]),
                             hint="a selector may not name itself through `method: selector`")
    if len(selector.resolving) >= MAX_NESTING:
        raise SelectionError(f"selector '{name}' nests more than {MAX_NESTING} selectors deep",
                             _where(selectors[name]))
    selector.resolving.append(name)
    try:
        return _evaluate(selector, selectors[name]["definition"])
    finally:
        selector.resolving.pop()


MAX_NESTING = 100   # `method: selector` inside selectors: deeper than any real project, short of recursion


def _where(entry: Any) -> Location:
    return Location(FILE, entry.line) if isinstance(entry, Mapping) else Location(FILE)


def _evaluate(selector: Any, definition: Any) -> set[str]:
    if isinstance(definition, str):
        return selector._union([definition])
    if not isinstance(definition, dict):
        raise SelectionError(f"cannot read selector definition {definition!r}")
    if "union" in definition or "intersection" in definition:
        key = "union" if "union" in definition else "intersection"
        parts, excluded = [], set()
        for item in definition[key]:
            if isinstance(item, dict) and set(item) == {"exclude"}:
                for ex in item["exclude"]:
                    excluded |= _evaluate(selector, ex)
            else:
                parts.append(_evaluate(selector, item))
        chosen = set().union(*parts) if key == "union" else (set.intersection(*parts) if parts else set())
        return chosen - excluded
    reject_unknown_keys(definition, METHOD_KEYS, "a selector definition", Path(FILE))
    method, value = str(definition.get("method", "fqn")), str(definition.get("value", ""))
    text = value if method in ("fqn", "name") else f"{method}:{value}"
    if definition.get("childrens_parents"):
        text = "@" + text
    else:
        if definition.get("parents"):
            text = f"{definition.get('parents_depth', '')}+{text}"
        if definition.get("children"):
            text = f"{text}+{definition.get('children_depth', '')}"
    chosen = selector._union([text])
    for ex in definition.get("exclude") or []:
        chosen -= _evaluate(selector, ex)
    return chosen
