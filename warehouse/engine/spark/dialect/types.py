"""Types: DuckDB types Spark has no equivalent for, mapped to the nearest that keeps the value.

JSON becomes STRING (Spark keeps JSON as text and parses it with from_json/get_json_object);
sqlglot copies `JSON` through and Spark refuses it ("Unsupported data type JSON").
"""
from __future__ import annotations

from sqlglot import exp

from warehouse.engine.spark.dialect import Action, Finding

RULE = "types"
AS_TEXT = frozenset({exp.DType.JSON})


def apply(tree: exp.Expr) -> list[Finding]:
    findings = []
    for dtype in list(tree.find_all(exp.DataType)):
        if dtype.this in AS_TEXT:
            dtype.replace(exp.DataType.build("TEXT"))
            findings.append(Finding(RULE, Action.REWROTE, "JSON values are kept as STRING on Spark"))
    return findings
