"""Database values as JSON: the one conversion used by run_results samples, check results and the
docs site. NaN and infinities become null, DECIMAL a float, dates and times ISO strings, tuples
lists; anything else its text.
"""
from __future__ import annotations

import datetime
import math
import uuid
from decimal import Decimal


def _scalar(value):
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas missing markers; NaT is a
        return None                                     # datetime subclass, so test first
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, Decimal):
        return _scalar(float(value))
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, bytes, datetime.timedelta)):
        return str(value)
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return _scalar(value.item())
    return str(value)


def jsonable(value):
    """A JSON-ready copy of `value`: NaN becomes None, tuples become lists, dates ISO strings."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    return _scalar(value)
