"""Jinja renders in a sandbox: `compile` executes nothing, as the README promises."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import cli


def test_template_cannot_reach_python_internals(published: Path) -> None:
    marker = published / "ran.txt"
    (published / "models" / "marts" / "fct_escape.sql").write_text(
        "select 1 as x\n-- {{ cycler.__init__.__globals__.os.system('touch " + str(marker) + "') }}\n")
    outcome = cli(published, "compile")
    assert outcome.code == 2, outcome.text
    assert not marker.exists()
    assert "models/marts/fct_escape.sql:2" in outcome.text and "unsafe" in outcome.text


def test_ordinary_jinja_still_renders(published: Path) -> None:
    (published / "models" / "marts" / "fct_loops.sql").write_text(
        "{% set names = {'a': 1, 'b': 2} %}select {% for k, v in names.items() %}{{ v }} as {{ k }}"
        "{% if not loop.last %}, {% endif %}{% endfor %}, '{{ modules.datetime.date(2024, 1, 2).isoformat() }}' as d\n")
    outcome = cli(published, "compile")
    assert outcome.code == 0, outcome.text
    compiled = next((published / "target" / "compiled").rglob("fct_loops.sql")).read_text()
    assert "1 as a, 2 as b, '2024-01-02' as d" in compiled


def test_compile_runs_no_query_that_writes_a_file(published: Path) -> None:
    marker = published / "written_by_compile.csv"
    (published / "models" / "marts" / "fct_query.sql").write_text(
        "{% if execute %}{% do run_query(\"copy (select 1 as x) to '" + str(marker) + "' (format csv)\") %}"
        "{% endif %}\nselect 1 as x\n")
    outcome = cli(published, "compile")
    assert not marker.exists(), outcome.text
    assert outcome.code == 2 and "disabled by configuration" in outcome.text, outcome.text
