"""dbt features we parse but do not implement: each listed once by name and place, never lost.

A dbt user's project may carry semantic-layer YAML, exposures, groups, grants, ... that have
no meaning for a warehouse build. They must neither crash the build nor vanish: the loader
records each as an `Ignored`, the build prints them once and a one-line count.
"""
from __future__ import annotations

from dataclasses import dataclass

from warehouse.core.errors import Location


@dataclass(frozen=True)
class Ignored:
    """One dbt feature seen in the project that we do not support: what, and where."""

    feature: str
    location: Location

    def render(self) -> str:
        return f"{self.location}: {self.feature} is not supported, ignored"


def summary(ignored: list[Ignored]) -> str:
    """The one line every build prints: how many unsupported dbt features were ignored."""
    names = sorted({i.feature.split("`")[1].rstrip(":") if "`" in i.feature else i.feature for i in ignored})
    shown = ", ".join(names[:8]) + (" ..." if len(names) > 8 else "")
    return f"ignored {len(ignored)} unsupported dbt feature(s): {shown}" if ignored else \
        "ignored 0 unsupported dbt features"
