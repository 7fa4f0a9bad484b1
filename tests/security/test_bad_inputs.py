"""Bad input that used to crash (exit 4) or hold the build lock for good: each now gives a clear
error naming the file (and line), exit 2, and leaves the published warehouse and exports
byte-identical."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.conftest import cli
from tests.nightly._support import snapshot


def _fails_cleanly(project: Path, *messages: str, command: str = "build") -> str:
    before = snapshot(project)
    outcome = cli(project, command)
    assert outcome.code == 2, outcome.text[-3000:]
    assert "Traceback" not in outcome.text and "internal error" not in outcome.text
    for message in messages:
        assert message in outcome.text, outcome.text[-3000:]
    assert snapshot(project) == before
    return outcome.text


def test_csv_header_field_over_128_kb(published: Path) -> None:
    (published / "seeds" / "customers.csv").write_text("customer_id," + "x" * 200_000 + "\n1,a\n")
    _fails_cleanly(published, "seeds/customers.csv:1", "header")


def test_csv_with_a_byte_order_mark_loads(published: Path) -> None:
    seed = published / "seeds" / "customers.csv"
    seed.write_bytes(b"\xef\xbb\xbf" + seed.read_bytes())
    outcome = cli(published, "build")
    assert outcome.code == 0, outcome.text


def test_csv_duplicate_header_names_the_column(published: Path) -> None:
    (published / "seeds" / "customers.csv").write_text("customer_id,name,name\n1,a,b\n")
    _fails_cleanly(published, "seeds/customers.csv:1", "duplicate column 'name'")


def test_csv_error_gives_the_file_line_when_fields_span_lines(published: Path) -> None:
    (published / "seeds" / "customers.csv").write_text(
        'customer_id,name,country\n1,"Ada\nLovelace",KEN\n2,"Bo\nB\nC",FRA\nthree,Cy,KEN\n')
    text = _fails_cleanly(published, "seeds/customers.csv:7")
    assert "hint: the line reads: \n" not in text and not text.rstrip().endswith("the line reads:")


def test_corrupt_xlsx(published: Path) -> None:
    (published / "seeds" / "tracker.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    _fails_cleanly(published, "seeds/tracker.xlsx", "not a readable XLSX")


def test_xlsx_zip_bomb_is_refused_before_it_is_unpacked(published: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/worksheets/sheet1.xml", b"\0" * (600 * 1024 * 1024))   # 600 MB of zeros, ~600 KB packed
    (published / "seeds" / "tracker.xlsx").write_bytes(buffer.getvalue())
    _fails_cleanly(published, "seeds/tracker.xlsx", "unpacks to")


def test_parquet_without_a_declared_column(published: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    (published / "seeds" / "customers.csv").unlink()
    pq.write_table(pa.table({"customer_id": [1], "name": ["a"]}), published / "seeds" / "customers.parquet")
    _fails_cleanly(published, "seeds/customers.parquet", "missing column(s) country")


@pytest.mark.parametrize("old, new, message", [
    ("  warehouse:\n", "  warehouse:\n    keep-published: abc\n", "keep-published must be a whole number"),
    ("vars:\n  min_amount: 0\n  warehouse:\n    static-check: {select_star_in_mart: error}\n", "vars: [1, 2]\n",
     "'vars' must be a mapping"),
    ("  warehouse:\n", "  warehouse:\n    keep-published: -1\n", "keep-published must be a whole number from 0 to 100"),
    ("  warehouse:\n", "  warehouse:\n    keep-published: 1.5\n", "keep-published must be a whole number from 0 to 100"),
    ("  warehouse:\n", "  warehouse:\n    keep-published: true\n", "not True"),
    ("  warehouse:\n", "  warehouse:\n    landing-paths: 5\n", "landing-paths must be a folder name or a list"),
    ("  warehouse:\n", "  warehouse:\n    export-path: [a, b]\n", "export-path must be a non-empty text"),
    ("name: mini\n", "name: mini\nmodel-paths: [models, 3]\n", "model-paths must be a folder name or a list"),
    ("name: mini\n", "name: mini\nconfig-version: 3\n", "config-version must be 2, not 3"),
])
def test_bad_project_settings(published: Path, old: str, new: str, message: str) -> None:
    project_file = published / "dbt_project.yml"
    assert old in project_file.read_text()
    project_file.write_text(project_file.read_text().replace(old, new))
    _fails_cleanly(published, "dbt_project.yml:", message)


def test_model_that_is_not_utf8(published: Path) -> None:
    (published / "models" / "marts" / "fct_latin.sql").write_bytes(b"select 1 as x\n-- caf\xe9\n")
    _fails_cleanly(published, "models/marts/fct_latin.sql:2", "not UTF-8")


@pytest.mark.parametrize("relative", ["snapshots/snap_latin.sql", "models/marts/overview.md", "macros/latin.sql",
                                      "tests/assert_latin.sql"])
def test_other_project_files_that_are_not_utf8(published: Path, relative: str) -> None:
    (published / relative).parent.mkdir(exist_ok=True)
    (published / relative).write_bytes(b"-- a comment\n-- caf\xe9\n")
    _fails_cleanly(published, f"{relative}:2", "not UTF-8")


def test_yaml_that_is_not_utf8(published: Path) -> None:
    yml = published / "models" / "marts" / "_marts__models.yml"
    yml.write_bytes(yml.read_bytes().replace(b"Paid totals per customer.", b"Paid totals \xe9"))
    _fails_cleanly(published, "_marts__models.yml:4", "not UTF-8")


def test_duplicate_yaml_key_is_refused(published: Path) -> None:
    yml = published / "models" / "marts" / "_marts__models.yml"
    yml.write_text(yml.read_text().replace("        data_tests: [unique, not_null]\n",
                                           "        data_tests: [unique, not_null]\n        data_tests: [unique]\n", 1))
    _fails_cleanly(published, "_marts__models.yml:8", "duplicate key 'data_tests' (first on line 7)")


def test_yaml_alias_bomb_is_bounded(published: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    (published / "models" / "marts" / "_bomb.yml").write_text("\n".join(lines) + "\n")
    _fails_cleanly(published, "_bomb.yml", "aliases")


def test_typo_in_sql_config_is_refused_with_the_nearest_key(published: Path) -> None:
    (published / "models" / "marts" / "fct_typo.sql").write_text("{{ config(materialised='table') }}\nselect 1 as x\n")
    _fails_cleanly(published, "models/marts/fct_typo.sql:1", "unknown config key 'materialised'", "materialized")


@pytest.mark.parametrize("csv_file", ["seeds/customers.csv", "landing/visits.csv"])
def test_csv_data_line_over_the_line_limit_names_file_line_and_limit(published: Path, csv_file: str) -> None:
    (published / "landing").mkdir(exist_ok=True)
    (published / csv_file).write_text(f'customer_id,name,country\n1,"Ada\nLovelace",KEN\n2,{"x" * 2_100_000},FRA\n')
    text = _fails_cleanly(published, f"{csv_file}:4", "2,100,", "more than the 2,000,000 bytes a CSV line may have")
    assert "Set By User" not in text and "quote =" not in text
    assert len(text) < 20_000, "the hint must not quote megabytes of the line"


def test_csv_error_line_is_right_after_a_field_over_the_csv_module_limit(published: Path) -> None:
    (published / "seeds" / "customers.csv").write_text(
        f'customer_id,name,country\n1,"{"y" * 300_000}",KEN\n2,"Bo\nB",FRA\nthree,Cy,KEN\n')
    _fails_cleanly(published, "seeds/customers.csv:5")


def test_landing_csv_error_gives_the_file_line_when_fields_span_lines(published: Path) -> None:
    """The reform project's own seed with quoted fields over many lines, dropped into landing
    with a bad number appended: the error names the line an editor shows (62), not record 9."""
    from tests.conftest import ROOT

    rows = (ROOT / "seeds" / "unossc" / "unossc_recommendations.csv").read_text()
    assert rows.count("\n") == 61 and rows.splitlines()[0].startswith("recommendation_no,")
    (published / "landing").mkdir()
    (published / "landing" / "recs.csv").write_text(rows + "eight" + ",x" * 10 + "\n")
    (published / "models" / "marts" / "_landing.yml").write_text(
        "version: 2\nsources:\n  - name: landing\n    tables:\n      - name: recs\n        config:\n"
        "          column_types: {recommendation_no: INTEGER}\n")
    text = _fails_cleanly(published, "landing/recs.csv:62", "eight")
    assert "recs.csv:9" not in text


@pytest.mark.parametrize("header, shown, what", [
    ("\ufeff\ufeffcustomer_id,name,country", "<U+FEFF>customer_id", "U+FEFF BYTE ORDER MARK"),
    ("customer_id,name,country\u200b", "country<U+200B>", "U+200B ZERO WIDTH SPACE"),
])
def test_invisible_character_in_a_header_is_shown_in_missing_column(published: Path, header: str, shown: str,
                                                                     what: str) -> None:
    (published / "seeds" / "customers.csv").write_text(header + "\n1,a,KEN\n")
    _fails_cleanly(published, "seeds/customers.csv:1", "missing column(s)", "the file has: ", shown, what)


def test_parquet_header_with_a_byte_order_mark_is_shown(published: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    (published / "seeds" / "customers.csv").unlink()
    pq.write_table(pa.table({"\ufeffcustomer_id": [1], "name": ["a"], "country": ["KEN"]}),
                   published / "seeds" / "customers.parquet")
    _fails_cleanly(published, "seeds/customers.parquet", "missing column(s) customer_id", "<U+FEFF>customer_id")


def test_duplicate_column_in_parquet_and_xlsx_is_named(published: Path) -> None:
    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq

    (published / "seeds" / "customers.csv").unlink()
    columns = [pa.array([1]), pa.array(["a"]), pa.array(["KEN"]), pa.array(["b"])]
    pq.write_table(pa.Table.from_arrays(columns, names=["customer_id", "name", "country", "name"]),
                   published / "seeds" / "customers.parquet")
    _fails_cleanly(published, "seeds/customers.parquet:1", "duplicate column 'name' in the header (columns 2 and 4)")
    (published / "seeds" / "customers.parquet").unlink()
    book = openpyxl.Workbook()
    book.active.append(["customer_id", "name", "country", "name"])
    book.active.append([1, "a", "KEN", "b"])
    book.save(published / "seeds" / "customers.xlsx")
    _fails_cleanly(published, "seeds/customers.xlsx:1", "duplicate column 'name' in the header (columns 2 and 4)")


def test_parquet_column_of_another_type_names_both_types_and_the_declaration(published: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    (published / "seeds" / "customers.csv").unlink()
    pq.write_table(pa.table({"customer_id": [[1]], "name": ["a"], "country": ["KEN"]}),
                   published / "seeds" / "customers.parquet")
    _fails_cleanly(published, "seeds/customers.parquet", "column customer_id holds list<", "declared INTEGER",
                   "declared in seeds/_seeds.yml")


@pytest.mark.parametrize("test_yaml, messages", [
    ("          - unique:\n              config:\n                severty: warn\n",
     ("_marts__models.yml:18", "unknown config 'severty' for test 'unique'", "did you mean 'severity'?")),
    ("          - unique:\n              severty: warn\n",
     ("_marts__models.yml:16", "test 'unique' takes no argument 'severty'", "did you mean 'severity'?")),
    ("          - accepted_values:\n              value: [1, 2]\n",
     ("_marts__models.yml:16", "test 'accepted_values' takes no argument 'value'", "did you mean 'values'?")),
    ("          - relationships:\n              to: ref('fct_customer_totals')\n              feld: customer_id\n",
     ("_marts__models.yml:16", "test 'relationships' takes no argument 'feld'", "did you mean 'field'?")),
])
def test_typo_in_a_test_option_is_refused_not_dropped(published: Path, test_yaml: str, messages: tuple) -> None:
    """A misspelt option used to be dropped (the test ran with its defaults and the build published)
    or to fail only when the test ran, as a failed gate (exit 1)."""
    yml = published / "models" / "marts" / "_marts__models.yml"
    old = "        data_tests: [unique]\n"
    assert old in yml.read_text()
    yml.write_text(yml.read_text().replace(old, "        data_tests:\n" + test_yaml, 1))
    _fails_cleanly(published, *messages)


def test_csv_error_in_a_crlf_file_quotes_the_line_and_gives_the_file_line(published: Path) -> None:
    """DuckDB writes a CRLF file's row on the line after 'Original Line:': the hint was empty."""
    (published / "seeds" / "customers.csv").write_bytes(
        b'customer_id,name,country\r\n1,Ada,KEN\r\n2,"B\r\nb",FRA\r\nz,C,KEN\r\n')
    text = _fails_cleanly(published, "seeds/customers.csv:5", "hint: the line reads: z,C,KEN")
    assert "the line reads: \n" not in text


def test_singular_test_with_enabled_false_in_its_config_does_not_run(published: Path) -> None:
    """`{{ config(enabled=false) }}` in a singular test was read after disabled nodes were dropped,
    so the test still ran (and could block publishing)."""
    test_file = published / "tests" / "assert_paid_not_more_than_orders.sql"
    test_file.write_text("{{ config(enabled=false) }}\nselect 1 as always_fails\n")
    outcome = cli(published, "build")
    assert outcome.code == 0, outcome.text
    assert "assert_paid_not_more_than_orders" not in outcome.text
