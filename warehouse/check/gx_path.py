"""The GX path: read the relation into pandas and validate it with Great Expectations 1.x.

great_expectations, pandas and pyarrow are imported inside these functions only, so that
`import warehouse.check` stays cheap (GX alone takes ~2.5 s to import).
"""
from __future__ import annotations

import contextlib
import logging
import warnings

from warehouse.check.model import Expectation, ExpectationResult, error_result, error_text, make_result
from warehouse.check.sql_table import PARTIAL_COUNT, Table
from warehouse.check.values import quote_ident

INDEX_KEY = "warehouse_index"  # carried in each expectation's meta: GX reorders results
RESULT_FORMAT = {"result_format": "BASIC", "partial_unexpected_count": PARTIAL_COUNT}


_COLUMN_KWARGS = ("column", "column_A", "column_B")


def columns_needed(expectations: list[Expectation]) -> set[str] | None:
    """The columns GX must see, or None for all: table-level types look at the whole schema,
    and a row_condition may name any column. Loading only the rest saves most of the memory
    on wide tables."""
    needed: set[str] = set()
    for exp in expectations:
        if exp.type.startswith("expect_table_") or exp.type == "expect_column_to_exist" \
                or "row_condition" in exp.kwargs:
            return None
        needed.update(exp.kwargs[k] for k in _COLUMN_KWARGS if isinstance(exp.kwargs.get(k), str))
        needed.update(c for c in exp.kwargs.get("column_list") or [] if isinstance(c, str))
    return needed


def _select_list(con, relation: str, wanted: set[str] | None) -> str:
    if wanted is None:
        return "*"
    present = [c for c in Table.describe(con, relation).columns if c in wanted]
    return ", ".join(quote_ident(c) for c in present) or "*"


def load_frame(con, relation: str, columns: set[str] | None = None):
    """The relation (or just `columns` of it) as a pandas DataFrame, via Arrow.

    DECIMAL columns become float64: GX 1.24.1 fails on pandas' object-dtype Decimal columns
    for mean/sum ("convert_pandas_series_decimal_to_float_dtype"), and the SQL path reports
    Decimals as floats too, so both paths see the same numbers. A named column the relation
    lacks is left out, so that only its expectation fails (GX: column not found).
    """
    import pyarrow as pa

    select = _select_list(con, relation, columns)
    table = con.fetch_arrow(f"SELECT {select} FROM {relation}")
    for i, field in enumerate(table.schema):
        if pa.types.is_decimal(field.type):
            table = table.set_column(i, field.name, table.column(i).cast(pa.float64()))
    return table.to_pandas()


@contextlib.contextmanager
def quiet_gx():
    """Silence GX's log lines and warnings while it runs; restore the logger afterwards."""
    logger = logging.getLogger("great_expectations")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _exception_text(info: dict) -> str | None:
    """GX reports either one exception or one per failed metric; keep the messages."""
    if not info:
        return None
    if "raised_exception" in info:
        return info.get("exception_message") if info.get("raised_exception") else None
    messages = [v.get("exception_message") for v in info.values() if isinstance(v, dict)]
    return "; ".join(m for m in messages if m) or None


class GxRunner:
    """One ephemeral GX context (no files, no analytics, no progress bars) for a whole run."""

    def __init__(self):
        import great_expectations as gx
        from great_expectations.data_context.types.base import (
            DataContextConfig, InMemoryStoreBackendDefaults, ProgressBarsConfig)

        config = DataContextConfig(
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
            store_backend_defaults=InMemoryStoreBackendDefaults())
        with quiet_gx():
            self.context = gx.get_context(mode="ephemeral", project_config=config)
            self.source = self.context.data_sources.add_pandas("warehouse")
        self.assets = 0

    def _build(self, suite: str, expectations: list[Expectation]):
        """GX expectation objects, plus error results for those GX refuses to build."""
        from great_expectations.expectations.registry import get_expectation_impl

        built, failed = [], []
        for exp in expectations:
            try:
                cls = get_expectation_impl(exp.type)
                built.append(cls(**exp.kwargs, meta={**exp.meta, INDEX_KEY: exp.index},
                                 severity=exp.severity))
            except Exception as exc:
                failed.append(error_result(suite, exp, "gx", error_text(exc)))
        return built, failed

    def _batch(self, frame):
        self.assets += 1
        asset = self.source.add_dataframe_asset(f"frame_{self.assets}")
        definition = asset.add_batch_definition_whole_dataframe("whole")
        return definition.get_batch(batch_parameters={"dataframe": frame})

    def validate(self, frame, suite: str,
                 expectations: list[Expectation]) -> list[ExpectationResult]:
        """Validate `frame` against `expectations`; results come back in suite order."""
        import great_expectations as gx

        by_index = {e.index: e for e in expectations}
        with quiet_gx():
            built, results = self._build(suite, expectations)
            if built:
                gx_suite = gx.ExpectationSuite(name=f"{suite}_{self.assets}", expectations=built)
                outcome = self._batch(frame).validate(gx_suite, result_format=RESULT_FORMAT)
                for r in outcome.results:
                    exp = by_index[r.expectation_config.meta[INDEX_KEY]]
                    results.append(make_result(suite, exp, "gx", r.success, dict(r.result),
                                               _exception_text(r.exception_info)))
        return sorted(results, key=lambda r: r.index)


def run_gx(con, relation: str, suite: str, expectations: list[Expectation],
           runner: GxRunner) -> list[ExpectationResult]:
    """Load `relation` into pandas and validate `expectations` on it through `runner`."""
    try:
        frame = load_frame(con, relation, columns_needed(expectations))
    except Exception as exc:
        return [error_result(suite, e, "gx", f"cannot read {relation}: {error_text(exc, with_type=False)}")
                for e in expectations]
    return runner.validate(frame, suite, expectations)
