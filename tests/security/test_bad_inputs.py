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
])
def test_bad_project_settings(published: Path, old: str, new: str, message: str) -> None:
    project_file = published / "dbt_project.yml"
    assert old in project_file.read_text()
    project_file.write_text(project_file.read_text().replace(old, new))
    _fails_cleanly(published, "dbt_project.yml:", message)


def test_model_that_is_not_utf8(published: Path) -> None:
    (published / "models" / "marts" / "fct_latin.sql").write_bytes(b"select 1 as x\n-- caf\xe9\n")
    _fails_cleanly(published, "models/marts/fct_latin.sql:2", "not UTF-8")


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
