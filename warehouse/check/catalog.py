"""Which expectation types exist and which kwargs each one takes.

GX 1.x silently drops an expectation whose type it does not know, so suites are checked here
first. The truth is GX's own pydantic models (`gx_specs`), but importing GX costs ~2.5 s; the
types the SQL path evaluates are also listed statically (`STATIC_SPECS`, kept equal to GX's by
a test) so that a suite using only those is validated without importing GX at all.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Fields of GX's Expectation models that a suite file sets beside `kwargs`, not inside it
# (`library_metadata` is a GX class attribute that leaks into a few models as a field).
NOT_KWARGS = frozenset({"id", "meta", "notes", "rendered_content", "severity", "library_metadata"})

# Keys an expectation entry may carry in GX 1.x JSON.
ENTRY_KEYS = frozenset({"type", "kwargs", "meta", "severity", "id", "notes", "description",
                        "rendered_content"})

_COMMON = ("description", "result_format", "catch_exceptions", "batch_id", "windows")
_COND = ("row_condition", "condition_parser")
_MAP = ("mostly",) + _COND
_BETWEEN = ("min_value", "max_value", "strict_min", "strict_max")


@dataclass(frozen=True)
class KwargSpec:
    """The kwargs one expectation type requires and the full set it accepts."""

    required: frozenset[str]
    allowed: frozenset[str]


def _spec(required: tuple[str, ...], optional: tuple[str, ...]) -> KwargSpec:
    return KwargSpec(frozenset(required), frozenset(required + optional + _COMMON))


# The SQL path's types, as GX 1.24 defines them (tests/check compare this with gx_specs()).
STATIC_SPECS: dict[str, KwargSpec] = {
    "expect_column_values_to_not_be_null": _spec(("column",), _MAP),
    "expect_column_values_to_be_unique": _spec(("column",), _MAP),
    "expect_column_values_to_be_in_set": _spec(("column", "value_set"), _MAP),
    "expect_column_values_to_not_be_in_set": _spec(("column", "value_set"), _MAP),
    "expect_column_values_to_be_between": _spec(("column",), _MAP + _BETWEEN),
    "expect_column_values_to_match_regex": _spec(("column",), _MAP + ("regex",)),
    "expect_table_row_count_to_be_between": _spec((), _BETWEEN + _COND),
    "expect_table_row_count_to_equal": _spec(("value",), _COND),
    "expect_table_columns_to_match_set": _spec((), ("column_set", "exact_match")),
    "expect_table_columns_to_match_ordered_list": _spec((), ("column_list",)),
    "expect_column_to_exist": _spec(("column",), ("column_index",)),
    "expect_compound_columns_to_be_unique": _spec(("column_list",), _MAP + ("ignore_row_if",)),
    "expect_select_column_values_to_be_unique_within_record": _spec(
        ("column_list",), _MAP + ("ignore_row_if",)),
    "expect_column_pair_values_a_to_be_greater_than_b": _spec(
        ("column_A", "column_B"), _MAP + ("or_equal", "ignore_row_if")),
    "expect_column_min_to_be_between": _spec(("column",), _COND + _BETWEEN),
    "expect_column_max_to_be_between": _spec(("column",), _COND + _BETWEEN),
    "expect_column_mean_to_be_between": _spec(("column",), _COND + _BETWEEN),
    "expect_column_sum_to_be_between": _spec(("column",), _COND + _BETWEEN),
    "expect_column_distinct_values_to_be_in_set": _spec(("column", "value_set"), _COND),
    "expect_column_proportion_of_unique_values_to_be_between": _spec(
        ("column",), _COND + _BETWEEN),
    "expect_column_values_to_be_null": _spec(("column",), _MAP),
    "expect_column_values_to_not_match_regex": _spec(("column", "regex"), _MAP),
    "expect_column_values_to_match_regex_list": _spec(("column", "regex_list"), _MAP + ("match_on",)),
    "expect_column_values_to_not_match_regex_list": _spec(("column", "regex_list"), _MAP),
    "expect_column_values_to_match_like_pattern": _spec(("column", "like_pattern"), _MAP + ("escape",)),
    "expect_column_values_to_not_match_like_pattern": _spec(
        ("column", "like_pattern"), _MAP + ("escape",)),
    "expect_column_values_to_match_like_pattern_list": _spec(
        ("column", "like_pattern_list"), _MAP + ("escape", "match_on")),
    "expect_column_values_to_not_match_like_pattern_list": _spec(
        ("column", "like_pattern_list"), _MAP + ("escape",)),
    "expect_column_value_lengths_to_be_between": _spec(("column",), _MAP + _BETWEEN),
    "expect_column_value_lengths_to_equal": _spec(("column", "value"), _MAP),
    "expect_column_values_to_match_strftime_format": _spec(("column", "strftime_format"), _MAP),
    "expect_column_values_to_be_increasing": _spec(("column",), _MAP + ("strictly",)),
    "expect_column_values_to_be_decreasing": _spec(("column",), _MAP + ("strictly",)),
    "expect_column_median_to_be_between": _spec(("column",), _COND + _BETWEEN),
    "expect_column_stdev_to_be_between": _spec(("column",), _COND + _BETWEEN),
    "expect_column_quantile_values_to_be_between": _spec(
        ("column", "quantile_ranges"), _COND + ("allow_relative_error",)),
    "expect_column_unique_value_count_to_be_between": _spec(("column",), _COND + _BETWEEN),
    "expect_column_distinct_values_to_contain_set": _spec(("column", "value_set"), _COND),
    "expect_column_distinct_values_to_equal_set": _spec(("column", "value_set"), _COND),
    "expect_column_most_common_value_to_be_in_set": _spec(
        ("column", "value_set"), _COND + ("ties_okay",)),
    "expect_column_pair_values_to_be_equal": _spec(("column_A", "column_B"), _MAP + ("ignore_row_if",)),
    "expect_column_pair_values_to_be_in_set": _spec(
        ("column_A", "column_B", "value_pairs_set"), _MAP + ("ignore_row_if",)),
    "expect_multicolumn_sum_to_equal": _spec(("column_list", "sum_total"), _MAP + ("ignore_row_if",)),
    "expect_table_column_count_to_equal": _spec(("value",), ()),
    "expect_table_column_count_to_be_between": _spec((), ("min_value", "max_value")),
    "expect_table_row_count_to_equal_other_table": _spec(("other_table_name",), _COND),
}


def gx_specs() -> dict[str, KwargSpec]:
    """Every expectation type GX registers, with kwargs read from its pydantic model fields.

    Imports great_expectations (slow): call only when a suite uses a type outside STATIC_SPECS.
    """
    from great_expectations.expectations import registry

    specs = {}
    for name, cls in registry._registered_expectations.items():
        fields = {k: f for k, f in cls.__fields__.items() if k not in NOT_KWARGS}
        required = frozenset(k for k, f in fields.items() if f.required)
        specs[name] = KwargSpec(required, frozenset(fields))
    return specs


def gx_value_problems(type_: str, kwargs: dict) -> list[str]:
    """Ask GX's pydantic model whether these kwarg values are acceptable; one line per problem.

    Used for the types outside STATIC_SPECS, whose value rules we do not restate ourselves.
    """
    from great_expectations.expectations.registry import get_expectation_impl

    try:
        get_expectation_impl(type_)(**kwargs)
    except Exception as exc:  # pydantic.ValidationError, or GX's own errors
        errors = getattr(exc, "errors", None)
        if callable(errors):
            return [f"kwarg {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors()]
        return [str(exc)]
    return []


@dataclass
class Catalog:
    """Looks types up in STATIC_SPECS, and in GX's registry only when it has to.

    One instance per load, so the GX-derived table is built at most once per call and no
    module-level state is kept.
    """

    _gx: dict[str, KwargSpec] | None = field(default=None, repr=False)

    def spec(self, type_: str) -> KwargSpec | None:
        if type_ in STATIC_SPECS:
            return STATIC_SPECS[type_]
        return self.gx().get(type_)

    def gx(self) -> dict[str, KwargSpec]:
        if self._gx is None:
            self._gx = gx_specs()
        return self._gx

    def known_types(self) -> list[str]:
        return sorted(set(STATIC_SPECS) | set(self.gx()))
