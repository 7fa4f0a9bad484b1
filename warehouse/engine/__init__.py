"""The one boundary to a database driver: only modules in this package import duckdb (or pyspark).

Stages receive an engine and call its methods; they never see a connection."""
