"""Apache Spark as an engine: the same project, transpiled from DuckDB SQL, on a cluster.

`dialect` (sqlglot only) turns DuckDB SQL into Spark SQL, rule by rule; `target` (no pyspark)
reads a `type: spark` target; `session` starts or joins the Spark
session; `layout` is the published warehouse on disk (Parquet per build, one manifest made
current by rename); `engine` is `SparkEngine`. pyspark is imported by `session` and `engine`
only, and those only when a Spark target is used.
"""
