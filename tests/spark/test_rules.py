"""The transpile rules on their own (sqlglot only, no Spark): each trap rewritten or refused."""
from __future__ import annotations

import pytest
import sqlglot

from warehouse.engine.spark.dialect import Action, SparkSqlError, to_spark


def test_qualify_keeps_exactly_the_model_columns():
    # sqlglot alone: SELECT *, rk FROM (SELECT *, ... AS rk ...) -> rk twice.
    plain = sqlglot.transpile("select *, row_number() over (partition by g order by id) as rk from t qualify rk = 1",
                              read="duckdb", write="spark")[0]
    assert plain.startswith("SELECT *, rk FROM")
    ours = to_spark("select *, row_number() over (partition by g order by id) as rk from t qualify rk = 1")
    assert ours.sql.startswith("SELECT * FROM (SELECT *, ROW_NUMBER()")
    assert ours.sql.endswith("WHERE rk = 1")
    assert [f.action for f in ours.findings] == [Action.REWROTE]


def test_qualify_on_a_window_not_selected_drops_its_helper_column():
    ours = to_spark("with x as (select * from t) select id from x "
                    "qualify row_number() over (partition by g order by id desc) = 1")
    assert ours.sql.startswith("WITH x AS (SELECT * FROM t) SELECT * EXCEPT (__qualify_0) FROM (SELECT id, ")
    assert "WHERE __qualify_0 = 1" in ours.sql


def test_first_of_an_ordered_list_becomes_min_by_or_max_by():
    assert sqlglot.transpile("select list(v order by id)[1] from t", read="duckdb", write="spark")[0] == \
        "SELECT COLLECT_LIST(v)[0] FROM t"          # the trap: ORDER BY silently dropped
    assert to_spark("select list(v order by id)[1] as f from t").sql == "SELECT MIN_BY(v, id) AS f FROM t"
    assert to_spark("select list(v order by id desc)[1] as f from t").sql == "SELECT MAX_BY(v, id) AS f FROM t"


def test_any_other_ordered_list_is_refused_with_the_reason():
    with pytest.raises(SparkSqlError) as refused:
        to_spark("select g, array_agg(v order by id) from t group by g")
    assert refused.value.findings[0].rule == "ordered_list"
    assert "cannot keep an ORDER BY" in str(refused.value)


def test_unordered_list_warns_about_nulls():
    result = to_spark("select g, list(v) from t group by g")
    assert result.sql == "SELECT g, COLLECT_LIST(v) FROM t GROUP BY g"
    assert any("skips NULL" in w for w in result.warnings)


def test_list_position_keeps_duckdbs_null_when_absent():
    assert to_spark("select list_position(['a', 'b'], x) from t").sql == \
        "SELECT NULLIF(ARRAY_POSITION(ARRAY('a', 'b'), x), 0) FROM t"


def test_a_function_spark_lacks_is_refused_by_name():
    with pytest.raises(SparkSqlError, match=r"function no_such_fn\(\) does not exist in Spark"):
        to_spark("select no_such_fn(x) from t", function_exists=lambda name: name != "no_such_fn")
    assert to_spark("select my_udf(x) from t", function_exists=lambda name: True).sql == "SELECT MY_UDF(x) FROM t"


def test_relations_are_renamed_and_keep_their_name_as_alias():
    names = {("staging", "stg_a"): "v_stg_a", ("main", "fct"): "v_fct"}
    result = to_spark("with c as (select 1 as x) select stg_a.x, fct.y from staging.stg_a join fct using (k), c",
                      resolve=lambda s, n: names.get((s, n)))
    assert result.sql == ("WITH c AS (SELECT 1 AS x) SELECT stg_a.x, fct.y FROM `v_stg_a` AS stg_a "
                          "JOIN `v_fct` AS fct USING (k), c")


def test_read_parquet_becomes_a_parquet_path():
    assert to_spark("select * from read_parquet('/data/f.parquet') as f", resolve=lambda s, n: None).sql == \
        "SELECT * FROM parquet.`/data/f.parquet` AS f"


def test_unparsable_sql_is_refused_with_line_and_column():
    with pytest.raises(SparkSqlError, match=r"cannot parse as DuckDB SQL \(line 1, column \d+\)"):
        to_spark("select from where")


def test_list_access_and_length_keep_duckdbs_meaning():
    # sqlglot alone: numbers[0] (an error on Spark for an empty list) and LENGTH (string length)
    assert sqlglot.transpile("select len(xs), xs[1] from (select regexp_extract_all(a, '\\d+') as xs from t)",
                             read="duckdb", write="spark")[0].startswith("SELECT LENGTH(xs), xs[0]")
    ours = to_spark("select len(xs), xs[1] from (select regexp_extract_all(a, '\\d+') as xs from t)").sql
    assert ours.startswith("SELECT SIZE(xs), TRY_ELEMENT_AT(xs, 1) FROM")
    assert to_spark("select length(name), s['field'] from t").sql == "SELECT LENGTH(name), s['field'] FROM t"


def test_json_is_kept_as_text():
    assert to_spark("select '{}'::json as j").sql == "SELECT CAST('{}' AS STRING) AS j"


def test_unordered_row_number_is_numbered_in_scan_order():
    # Spark refuses ROW_NUMBER() OVER () at run time ("requires window to be ordered"); the checks'
    # SQL path numbers rows that way to keep table order.
    ours = to_spark("select *, row_number() over () as n from t")
    assert ours.sql == "SELECT *, ROW_NUMBER() OVER (ORDER BY MONOTONICALLY_INCREASING_ID() NULLS LAST) AS n FROM t"
    assert [(f.rule, f.action) for f in ours.findings] == [("windows", Action.REWROTE)]
    assert to_spark("select row_number() over (order by a) from t").findings == []
    assert to_spark("select rank() over (partition by g) from t").findings == []
