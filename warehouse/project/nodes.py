"""The things a project is made of: seeds, sources, models and data tests.

Plain data classes. A `Node` is anything the graph orders and the runner executes; its
`unique_id` is dbt's (`node_id`): `model.shop.fct_x`, `seed.shop.raw_y`,
`source.shop.landing.z`, `test.shop.not_null_fct_x_id.1a2b3c4d5e`, so tools that read dbt's
artifacts find the nodes they expect. It is the key of every dict in the engine and of the
JSON artifacts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warehouse.core.errors import Location
from warehouse.core.vocab import Materialization

MATERIALIZATIONS = tuple(m.value for m in Materialization)

# Config keys a node may carry, from dbt_project.yml `+key`, YAML `config:` or SQL `config()`:
# dbt's own (those we implement and those listed as ignored) and ours (export, static_check, ...).
NODE_CONFIG_KEYS = frozenset({
    "materialized", "schema", "alias", "database", "tags", "enabled", "export", "partition_by",
    "unique_key", "incremental_strategy", "incremental_predicates", "static_check", "column_types", "severity",
    "where", "freshness", "loaded_at_field", "full_refresh", "meta", "docs", "description",
    "persist_docs", "on_schema_change", "quote_columns", "delimiter", "header", "sheet",
    "store_failures", "store_failures_as", "warn_if", "error_if", "limit", "fail_calc", "contract", "grants",
    "access", "group", "pre_hook", "post_hook", "sql_header", "quoting", "external_location", "event_time",
    "merge_update_columns", "merge_exclude_columns", "docs", "packages", "on_configuration_change",
    # snapshots (warehouse.project.snapshots.SNAPSHOT_CONFIG_KEYS)
    "strategy", "updated_at", "check_cols", "hard_deletes", "invalidate_hard_deletes", "dbt_valid_to_current",
    "snapshot_meta_column_names", "target_schema", "target_database",
    "latest_version_pointer",   # model versions (warehouse.project.versions)
    "location", "format", "options",   # external models (warehouse.pipeline.external)
    # gates on change (warehouse.project.change_config)
    "breaking_changes", "max_row_change", "min_rows", "max_removed_rows", "diff_max_rows",
})
# dbt configs we parse but do not implement: listed once as ignored. `database`: every relation is
# built in the warehouse file (warehouse.compile.naming).
IGNORED_CONFIG_KEYS = frozenset({"grants", "access", "group", "event_time", "packages", "on_configuration_change",
                                 "database"})


def node_id(resource_type: str, package: str, *parts: str) -> str:
    """dbt's unique_id: resource type, the project (or package) that defines the node, then its
    name parts (`source.<package>.<source>.<table>`, `model.<package>.<name>.v<n>`,
    `unit_test.<package>.<model>.<test>`, a generic test's `test.<package>.<name>.<hash>`)."""
    return ".".join((resource_type, package, *parts))


@dataclass
class DataTestSpec:
    """One generic test as declared in YAML: `not_null`, `accepted_values: {values: [...]}`..."""

    test_name: str
    kwargs: dict[str, Any]
    config: dict[str, Any]
    column: str | None
    location: Location


@dataclass
class Column:
    name: str
    description: str = ""
    data_type: str | None = None
    tests: list[DataTestSpec] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    constraints: list[dict[str, Any]] = field(default_factory=list)   # enforced with a model contract
    quote: bool = False         # dbt's `quote: true`: generic tests quote the name whatever its spelling


@dataclass
class Node:
    unique_id: str
    name: str
    resource_type: str          # model | seed | source | test | snapshot
    path: Path | None           # file that defines it, relative to the project root
    fqn: tuple[str, ...]        # folders below the model/seed path, then the name
    config: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    columns: dict[str, Column] = field(default_factory=dict)
    tests: list[DataTestSpec] = field(default_factory=list)   # model-level tests
    raw_sql: str = ""
    depends_on: list[str] = field(default_factory=list)
    properties_path: Path | None = None   # the YAML that documents it
    source_name: str | None = None        # for sources and landing files
    test_metadata: dict[str, Any] | None = None   # for tests: name, kwargs, attached node
    package_name: str | None = None       # the dbt project (root or installed package) it comes from
    fixed_schema: bool = False            # landing tables: named by us, not by generate_schema_name
    relation_schema: str | None = None    # set by dbt's naming (generate_schema_name) after parsing
    relation_alias: str | None = None     # set by generate_alias_name
    database: str | None = None           # set by generate_database_name
    constraints: list[dict[str, Any]] = field(default_factory=list)   # model-level contract constraints

    @property
    def materialized(self) -> str:
        if self.resource_type == "seed":
            return "seed"
        if self.resource_type == "source":
            return "source"
        if self.resource_type in ("test", "snapshot", "unit_test"):
            return self.resource_type
        return self.config.get("materialized", "view")

    @property
    def schema(self) -> str:
        return self.relation_schema or self.config.get("schema") or "main"

    @property
    def identifier(self) -> str:
        return self.relation_alias or self.config.get("alias") or self.name

    @property
    def tags(self) -> list[str]:
        tags = self.config.get("tags") or []
        return [tags] if isinstance(tags, str) else list(tags)

    @property
    def layer(self) -> str:
        """First folder under the model path (staging / intermediate / marts)."""
        return self.fqn[0] if len(self.fqn) > 1 else ""

    @property
    def location(self) -> Location:
        return Location(self.path, node=self.name)

    def is_exported(self) -> bool:
        """Written as Parquet for BI tools: `export: true`, the default for models under marts/."""
        if self.resource_type != "model" or self.materialized in ("ephemeral", "external"):   # external: its own files
            return False
        return bool(self.config.get("export", self.layer == "marts"))

    def is_executable(self) -> bool:
        return self.resource_type in ("model", "seed", "snapshot") and self.materialized != "ephemeral"
