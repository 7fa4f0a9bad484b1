"""Secrets never reach a file we write: values of secret environment variables are masked.

dbt's convention marks an environment variable as secret by its name: `DBT_ENV_SECRET_...`.
Its value may be used where it is needed (`env_var()` in a model, a profile), but every
writer of the project (target/ artifacts, compiled SQL, the docs site, the manifest stored in
the published warehouse, logs, run_results) passes its text through `mask` first, so the
value appears as `*****` wherever an analyst or a log shipper could read it.
"""
from __future__ import annotations

import os
from typing import Any

SECRET_PREFIX = "DBT_ENV_SECRET_"
MASK = "*****"


def secret_values() -> list[str]:
    """The values to hide, longest first (so a value containing another is masked whole)."""
    values = {v for k, v in os.environ.items() if k.startswith(SECRET_PREFIX) and v}
    return sorted(values, key=len, reverse=True)


def mask(text: str) -> str:
    """`text` with every secret value replaced by MASK."""
    for value in secret_values():
        if value in text:
            text = text.replace(value, MASK)
    return text


def mask_data(value: Any) -> Any:
    """A copy of JSON-like data (dicts, lists, strings) with every secret masked in its strings."""
    if not secret_values():
        return value
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {mask_data(k): mask_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_data(v) for v in value]
    return value
