"""The database boundary: only warehouse/engine/ may import a database driver."""
from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

DRIVERS = ("duckdb", "pyspark")
PACKAGE = ROOT / "warehouse"


def driver_imports(path: Path) -> list[str]:
    """`import duckdb`, `from pyspark.sql import ...`, and imports of them inside functions too."""
    found, where = [], path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [f"{where}:{node.lineno} imports {n}" for n in names
                  if n.split(".")[0] in DRIVERS]
    return found


def test_no_module_outside_the_engine_imports_a_database_driver() -> None:
    outside = [p for p in PACKAGE.rglob("*.py") if PACKAGE / "engine" not in p.parents]
    assert len(outside) > 30        # the walk really sees the package
    assert [line for p in outside for line in driver_imports(p)] == []


def test_the_check_detects_a_driver_import(tmp_path: Path) -> None:
    """The detector itself: a plain, a dotted and a function-level import are all caught."""
    probe = tmp_path / "probe.py"
    probe.write_text("import os\n\ndef f():\n    import duckdb\n    from pyspark.sql import SparkSession\n")
    assert [line.split(" imports ")[1] for line in driver_imports(probe)] == ["duckdb", "pyspark.sql"]


def test_the_engine_itself_does_import_duckdb() -> None:
    """The boundary is where the driver is: if this fails the engine moved and the test above
    would pass vacuously."""
    inside = [line for p in (PACKAGE / "engine").rglob("*.py") for line in driver_imports(p)]
    assert any(line.endswith("imports duckdb") for line in inside)


# Lower layers never import higher ones (docs/architecture.md); same-rank packages do not
# import each other. The build's modules (`session`, then `access`, then `stages`, then `build`)
# and `cli` are the top. `check` sits above `sql`: its SQL path builds queries from the sql
# layer's expectation expressions.
LAYERS = {"core": 0, "project": 1, "engine": 1, "sql": 1, "check": 2, "compile": 2, "changes": 2, "pipeline": 3, "gates": 3,
          "publish": 3, "docs": 4, "session": 5, "access": 6, "stages": 7, "build": 8, "cli": 9}


def package_imports() -> dict[tuple[str, str], list[str]]:
    """(importer, imported) package pairs across warehouse/, with where each import is."""
    found: dict[tuple[str, str], list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) == 1 and parts[0] == "__init__.py":
            continue
        importer = parts[0] if len(parts) > 1 else path.stem
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("warehouse."):
                names = [node.module]
            elif isinstance(node, ast.ImportFrom) and node.module == "warehouse":
                names = [f"warehouse.{a.name}" for a in node.names if a.name != "__version__"]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name.startswith("warehouse.")]
            else:
                continue
            for name in names:
                imported = name.split(".")[1]
                if imported != importer:
                    found.setdefault((importer, imported), []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_packages_import_one_way() -> None:
    pairs = package_imports()
    assert ("pipeline", "engine") in pairs and ("cli", "build") in pairs      # the walk sees real imports
    assert set(LAYERS) >= {importer for importer, _ in pairs}, "a new package needs a place in LAYERS"
    upward = {f"{a} -> {b}": where for (a, b), where in pairs.items() if LAYERS[b] >= LAYERS[a]}
    assert upward == {}
