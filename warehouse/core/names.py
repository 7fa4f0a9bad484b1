"""Near misses: the one "did you mean" of the warehouse (project keys, suites, SQL names).

Callers choose how close a guess must be (`cutoff`) and whether case counts; the matching is
difflib's, here only.
"""
from __future__ import annotations

import difflib
from typing import Iterable


def nearest(word: str, choices: Iterable[str], cutoff: float = 0.5, ignore_case: bool = False) -> str | None:
    """The closest of `choices` to `word`, or None when none is within `cutoff` (0..1)."""
    options = list(choices)
    if ignore_case:
        by_lower = {c.lower(): c for c in options}
        found = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=cutoff)
        return by_lower[found[0]] if found else None
    found = difflib.get_close_matches(word, options, n=1, cutoff=cutoff)
    return found[0] if found else None


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6, ignore_case: bool = False) -> str | None:
    """"did you mean 'x'?" for the closest choice, or None."""
    near = nearest(word, choices, cutoff, ignore_case)
    return f"did you mean '{near}'?" if near else None
