"""Load: seeds and landing files (CSV, Parquet, XLSX) become typed tables; bad files fail clearly."""
from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl

from tests.conftest import cli_inprocess, published_rows


def test_landing_files_of_every_format_load_into_the_landing_schema(mini: Path, capsys) -> None:
    landing = mini / "landing"
    landing.mkdir()
    (landing / "budget_drop.csv").write_text("line_id,amount\n1,10.5\n2,3\n")
    with duckdb.connect() as con:
        con.execute(f"copy (select range as id, 'x' || range as label from range(4)) to '{landing}/ids.parquet'")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Actions"
    sheet.append(["action_no", "status"])
    sheet.append([1, "正在进行"])
    sheet.append([2, "已实施"])
    book.save(landing / "tracker.xlsx")
    (landing / "_landing__sources.yml").write_text(
        "version: 2\nsources:\n  - name: landing\n    tables:\n      - name: tracker\n"
        "        config: {column_types: {action_no: INTEGER}}\n")
    (mini / "models" / "marts" / "fct_tracker.sql").write_text(
        "select t.action_no, t.status, b.amount from {{ source('landing', 'tracker') }} as t\n"
        "left join {{ ref('budget_drop') }} as b on b.line_id = t.action_no\n")
    outcome = cli_inprocess(mini, "build", capsys=capsys)
    assert outcome.code == 0, outcome.text
    assert published_rows(mini, "select * from landing.budget_drop order by 1") == [(1, 10.5), (2, 3.0)]
    assert published_rows(mini, "select count(*) from landing.ids") == [(4,)]
    assert published_rows(mini, "select action_no, status, amount from fct_tracker order by 1") == [
        (1, "正在进行", 10.5), (2, "已实施", 3.0)]
    assert published_rows(mini, "select data_type from information_schema.columns "
                       "where table_name = 'tracker' and column_name = 'action_no'") == [("INTEGER",)]


def test_declared_types_are_applied(mini: Path, capsys) -> None:
    assert cli_inprocess(mini, "build", capsys=capsys).code == 0
    types = dict(published_rows(mini, "select column_name, data_type from information_schema.columns "
                             "where table_schema = 'raw' and table_name = 'orders'"))
    assert types == {"order_id": "INTEGER", "customer_id": "INTEGER", "amount": "DOUBLE", "status": "VARCHAR"}


def test_extra_column_in_seed_is_an_error(mini: Path, capsys) -> None:
    (mini / "seeds" / "customers.csv").write_text("customer_id,name,country,tier\n1,Ada,KEN,gold\n")
    outcome = cli_inprocess(mini, "build", capsys=capsys)
    assert outcome.code == 2
    assert "seeds/customers.csv:1" in outcome.err and "unexpected column(s) tier" in outcome.err


def test_empty_seed_is_an_error(mini: Path, capsys) -> None:
    (mini / "seeds" / "customers.csv").write_text("")
    outcome = cli_inprocess(mini, "build", capsys=capsys)
    assert outcome.code == 2 and "seeds/customers.csv:1" in outcome.err and "empty" in outcome.err


def test_wrong_encoding_is_an_error_with_line(mini: Path, capsys) -> None:
    (mini / "seeds" / "customers.csv").write_bytes("customer_id,name,country\n1,Ada,KEN\n2,Andr\xe9,FRA\n".encode("latin-1"))
    outcome = cli_inprocess(mini, "build", capsys=capsys)
    assert outcome.code == 2 and "seeds/customers.csv:3" in outcome.err and "UTF-8" in outcome.err
