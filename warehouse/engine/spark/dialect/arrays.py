"""Lists: DuckDB's 1-based, NULL-tolerant list access and len(), kept on Spark.

- `numbers[1]` on a list with no element is NULL in DuckDB; sqlglot writes `numbers[0]`, which
  Spark (ANSI mode, the default in 4.x) rejects at run time with INVALID_ARRAY_INDEX. A literal
  index becomes TRY_ELEMENT_AT(list, n): 1-based, NULL when out of range, as in DuckDB. (A
  string index is a struct field or map key and is left alone.)
- `len(list)` is the number of elements in DuckDB; sqlglot writes LENGTH, which on Spark is a
  string's length and refuses an array. Where the argument is visibly a list (a list-producing
  call, or a column this statement defines as one), it becomes SIZE.
"""
from __future__ import annotations

from sqlglot import exp

from warehouse.engine.spark.dialect import Action, Finding

RULE = "arrays"
LIST_PRODUCERS: tuple[type[exp.Expr], ...] = tuple(
    getattr(exp, name) for name in ("RegexpExtractAll", "ArrayAgg", "Array", "Split", "ArraySort", "ArrayConcat",
                                    "ArrayDistinct", "ArrayFilter", "Transform", "StringToArray")
    if hasattr(exp, name))


def apply(tree: exp.Expr) -> list[Finding]:
    lists = {a.alias.lower() for a in tree.find_all(exp.Alias) if isinstance(a.this, LIST_PRODUCERS)}
    findings = []
    for length in list(tree.find_all(exp.Length)):
        argument = length.this
        named_list = isinstance(argument, exp.Column) and argument.name.lower() in lists
        if isinstance(argument, LIST_PRODUCERS) or named_list:
            length.replace(exp.Anonymous(this="SIZE", expressions=[argument.copy()]))
            findings.append(Finding(RULE, Action.REWROTE, f"len({argument.sql('duckdb')}) of a list became SIZE"))
    for access in list(tree.find_all(exp.Bracket)):
        index = access.expressions[0] if len(access.expressions) == 1 else None
        if not (isinstance(index, exp.Literal) and not index.is_string) or access.args.get("safe"):
            continue
        position = exp.Literal.number(int(index.name) + 1)      # sqlglot keeps DuckDB's [1] as 0
        access.replace(exp.Anonymous(this="TRY_ELEMENT_AT", expressions=[access.this.copy(), position]))
        findings.append(Finding(RULE, Action.REWROTE, "list element access became TRY_ELEMENT_AT "
                                "(NULL out of range, as in DuckDB)"))
    return findings
