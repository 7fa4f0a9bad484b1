"""The built-in generic tests' SQL (warehouse/sql/data_tests.py) on columns whose names need
quoting, run on DuckDB, and transpiled to Spark by the Spark engine's own rules (no Spark needed):
every odd name comes out quoted with Spark's backticks, so Spark reads the same columns."""
from __future__ import annotations

import duckdb
import pytest

from warehouse.engine.spark.dialect import to_spark
from warehouse.sql.data_tests import DataTestSqlError, GenericTest, generic_test_sql

ROWS = '''create schema s;
create table s."Odd T" as select * from (values (1, 'a', 'x', 10, 'paid'), (2, 'b', null, 10, 'paid'),
    (2, 'c', 'y', 11, 'odd'), (3, null, 'z', 99, 'paid')) v("Order ID", "select", "it's ""q""", "CustomerKey", "Status");
create table s."Cust" as select * from (values (10), (11)) v("Customer Key");'''
ODD = '"s"."Odd T"'


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    connection.execute(ROWS)
    yield connection
    connection.close()


CASES = [
    (GenericTest("unique", ODD, "Order ID"), [(2, 2)], "`Order ID`"),
    (GenericTest("not_null", ODD, "select"), [(3, None, "z", 99, "paid")], "`select` IS NULL"),
    (GenericTest("not_null", ODD, 'it\'s "q"', where='"Order ID" > 1'), [(2, "b", None, 10, "paid")],
     '`it\'s "q"` IS NULL'),
    (GenericTest("accepted_values", ODD, "Status", values=("paid",)), [("odd", 1)], "`Status` IN ('paid')"),
    (GenericTest("accepted_values", ODD, "Order ID", values=(1, 2), quote_values=False), [(3, 1)],
     "`Order ID` IN (1, 2)"),
    (GenericTest("relationships", ODD, "CustomerKey", to='s."Cust"', field="Customer Key"), [(99,)],
     "parent.`Customer Key` IS NULL"),
    (GenericTest("relationships", ODD, "CustomerKey", to='s."Cust"', field="Customer Key", where='"Order ID" < 3'),
     [], "`Order ID` < 3"),
    (GenericTest("not_null", ODD, "status", quote=True), [], "`status` IS NULL"),
]


@pytest.mark.parametrize("test, failing, spark", CASES, ids=[f"{c[0].name}-{c[0].column}" for c in CASES])
def test_the_query_finds_the_failing_rows_and_transpiles_to_spark(con, test: GenericTest, failing: list,
                                                                 spark: str) -> None:
    sql = generic_test_sql(test)
    assert con.execute(sql).fetchall() == failing
    assert spark in to_spark(sql).sql


def test_quote_true_quotes_a_plain_name_that_would_otherwise_stay_bare() -> None:
    assert '"amount" IS NULL' in generic_test_sql(GenericTest("not_null", "t", "amount", quote=True))
    assert "amount IS NULL" in generic_test_sql(GenericTest("not_null", "t", "amount"))


@pytest.mark.parametrize("test, message", [
    (GenericTest("not_null", ODD, "x", where="a = = 1"), "where: 'a = = 1' is not valid SQL"),
    (GenericTest("relationships", ODD, "x", to="a join b", field="y"), "to: 'a join b' is not one relation"),
    (GenericTest("accepted_values", ODD, "x", values=("1 +",), quote_values=False), "values: '1 +' is not valid SQL"),
])
def test_text_that_is_not_sql_is_refused_naming_the_argument(test: GenericTest, message: str) -> None:
    with pytest.raises(DataTestSqlError, match="^" + message.replace("(", r"\(").replace("+", r"\+")):
        generic_test_sql(test)
