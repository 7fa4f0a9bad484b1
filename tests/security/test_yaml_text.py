"""YAML that does not come from a project file (`--vars`, a template's `fromyaml()`) gets the
same guards as project files: a duplicate key is refused, an alias bomb is bounded."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import cli_inprocess
from warehouse.core.errors import ProjectError

# 10^7 values from seven short lines: unguarded, building it takes gigabytes
BOMB = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n" for p, n in zip("abcde", "bcdef")) + \
    "g: [" + ", ".join(["*f"] * 10) + "]\n"


def test_fromyaml_refuses_an_alias_bomb_and_a_duplicate_key_but_keeps_dbts_default() -> None:
    from warehouse.compile.dbt_context import fromyaml

    assert fromyaml("a: [1, 2]") == {"a": [1, 2]}
    assert fromyaml("a: [1", default="fallback") == "fallback"       # dbt: default for text that is not YAML
    with pytest.raises(ProjectError, match="through its aliases"):
        fromyaml(BOMB)
    with pytest.raises(ProjectError, match="duplicate key 'a' \\(first on line 1\\)"):
        fromyaml("a: 1\na: 2\n")


def test_vars_on_the_command_line_refuse_a_duplicate_key_and_an_alias_bomb(mini: Path, capsys) -> None:
    for text, message in (("{batch: b1, batch: b2}", "duplicate key 'batch'"), (BOMB, "through its aliases")):
        with pytest.raises(SystemExit) as stopped:
            cli_inprocess(mini, "compile", "--vars", text)
        assert stopped.value.code == 2
        assert message in capsys.readouterr().err
    assert not (mini / "warehouse.duckdb").exists()
