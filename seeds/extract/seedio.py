"""Shared plumbing for the seed extraction scripts: where things live, reading the source
texts, and writing CSVs byte-for-byte reproducibly.

Why one module: every script must produce identical bytes on every run (UTF-8, `\\n` line
endings, csv-module quoting, one spelling for booleans and empty values), so that the committed
seeds can be compared with a fresh run. Keeping that in one place keeps the scripts honest.
Standard library only, so the scripts run with any Python 3.11+.
"""
from __future__ import annotations

import csv
import re
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCES_DIR = REPO_ROOT / "sources"
SEEDS_DIR = REPO_ROOT / "seeds"
DOMAIN_NOTES = "domain-notes.md"

_SPACES = re.compile(r"[ \t\u00a0\u202f]+")


class SourceFormatError(ValueError):
    """A source text no longer has the structure a parser relies on.

    Raised instead of silently emitting fewer rows: a seed that quietly loses rows is worse than
    a script that stops and says which file and line surprised it.
    """

    def __init__(self, doc: str, line: int | None, message: str):
        where = f"{doc}:{line}" if line is not None else doc
        super().__init__(f"{where}: {message}")


def resolve_dirs(sources_dir: Path | None, seeds_dir: Path | None) -> tuple[Path, Path]:
    """Apply the defaults every `main()` shares (the repo's `sources/` and `seeds/`)."""
    return Path(sources_dir or SOURCES_DIR), Path(seeds_dir or SEEDS_DIR)


def clean_line(line: str) -> str:
    """Normalise whitespace only (no-break spaces from the web/PDF copies, runs, ends).

    Wording is never changed; only invisible differences that would make seeds differ from the
    printed text for no reason are removed.
    """
    return _SPACES.sub(" ", line).strip()


def read_lines(sources_dir: Path, doc: str) -> list[str]:
    """Lines of a source document, whitespace-normalised, numbered from index 0 (= line 1)."""
    text = (Path(sources_dir) / doc).read_text(encoding="utf-8")
    return [clean_line(line) for line in text.split("\n")]


def to_cell(value: object) -> str:
    """One spelling per value type, so loaders and byte comparisons agree: None -> empty,
    booleans -> true/false (DuckDB BOOLEAN), everything else via str()."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> Path:
    """Write rows (dicts keyed by column) with a fixed header; unknown keys are an error."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(columns)
        for row in rows:
            unknown = set(row) - set(columns)
            if unknown:
                raise ValueError(f"{path.name}: columns not in the header: {sorted(unknown)}")
            writer.writerow([to_cell(row.get(column)) for column in columns])
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    """Read a seed back as strings (used by tests and by scripts that need another seed)."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def stale_outputs(main: Callable[..., list[Path]], seeds_dir: Path = SEEDS_DIR,
                  sources_dir: Path | None = None) -> list[str]:
    """Run `main` into a scratch folder and list the outputs that differ from `seeds_dir`.

    Why: committed seeds must be exactly what the scripts produce today; an empty list proves it.
    """
    with tempfile.TemporaryDirectory() as scratch:
        fresh_root = Path(scratch)
        written = main(sources_dir=sources_dir, seeds_dir=fresh_root)
        stale = []
        for fresh in written:
            relative = Path(fresh).relative_to(fresh_root)
            committed = Path(seeds_dir) / relative
            if not committed.is_file() or committed.read_bytes() != Path(fresh).read_bytes():
                stale.append(relative.as_posix())
        return sorted(stale)


def cli(main: Callable[..., list[Path]]) -> None:
    """Script entry point shared by the extractors: run with the default folders, print paths."""
    for written in main():
        print(written)


def _squeeze(text: str) -> str:
    """Text without any whitespace: PDF wraps put spaces inside Chinese words and numbers."""
    return re.sub(r"\s+", "", text)


def locate(lines: Sequence[str], doc: str, quote: str, start: int = 1) -> int:
    """1-based number of the first line at or after `start` that contains `quote`.

    Whitespace is ignored on both sides, so a quote copied from a cleaned cell still finds
    the printed line. Why raise: a curated quote that the document does not contain is an
    invented fact, and must stop the extraction rather than reach a seed.
    """
    wanted = _squeeze(quote)
    for number in range(max(start, 1), len(lines) + 1):
        if wanted in _squeeze(lines[number - 1]):
            return number
    raise SourceFormatError(doc, None, f"quote not found in the document: {quote!r}")
