"""Extract the 14 key action points of the Seventh CSU Network meeting (document 000).

The "Key Action Points" section (between its heading and "1. Introduction") is a run of
unnumbered group headings ("Country Focus Policy", "Country Cooperation Strategy", ...) each
followed by numbered points "N. text"; some points continue with sub-items " - i. ...". The
parser keeps each point under the heading printed above it, and keeps sub-items as lines of the
point's text. The table of contents also says "Key action points", so the section is found by
its exact heading line, which only the body uses.

Output: seeds/csu2008/csu2008_key_action_points.csv
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import seedio  # noqa: E402

DOC = "000_da8f61cb9f2b2ae8.txt"
SECTION_START = "Key Action Points"
SECTION_END = "1. Introduction"
EXPECTED_POINTS = 14  # the report's own count ("the 14 key action points", sources/README.md)

POINT = re.compile(r"^(\d+)\. (.+)$")
SUB_ITEM = re.compile(r"^- ([ivx]+)\. (.+)$")

COVER_DATE = re.compile(r"^(\d{1,2})-(\d{1,2}) (January|February|March|April|May|June|July|"
                        r"August|September|October|November|December) (\d{4})$")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

COLUMNS = ["point_no", "heading_no", "heading", "text", "meeting", "meeting_start_date",
           "source_doc", "source_ref"]


def section_bounds(lines: list[str]) -> tuple[int, int]:
    """Indices of the section heading and of the first line after the section."""
    try:
        start = lines.index(SECTION_START)
        end = lines.index(SECTION_END, start)
    except ValueError as missing:
        raise seedio.SourceFormatError(DOC, None, f"section bounds not found: {missing}")
    return start, end


def parse_points(lines: list[str], start: int, end: int) -> list[dict]:
    """Walk the section: a non-numbered line is a heading, a numbered line opens a point,
    a '- i.' line extends the current point."""
    points, heading, heading_no = [], None, 0
    for i in range(start + 1, end):
        line = lines[i]
        if not line:
            continue
        if SUB_ITEM.match(line) and points:
            points[-1]["text"] += "\n" + line
        elif point := POINT.match(line):
            if heading is None:
                raise seedio.SourceFormatError(DOC, i + 1, "point before any heading")
            points.append(point_row(int(point.group(1)), heading_no, heading, point.group(2), i))
        else:
            heading, heading_no = line, heading_no + 1
    return points


def point_row(point_no: int, heading_no: int, heading: str, text: str, index: int) -> dict:
    """A key action point row; source_ref names the section, the point and the line."""
    return {
        "point_no": point_no, "heading_no": heading_no, "heading": heading, "text": text,
        "source_doc": DOC,
        "source_ref": f"Key Action Points, point {point_no} (line {index + 1})",
    }


def cover(lines: list[str]) -> dict:
    """Meeting name (the first line) and first day (from "13-14 May 2008") of the cover page."""
    name = next(line for line in lines if line)
    for line in lines[:20]:
        if match := COVER_DATE.match(line):
            day, _, month, year = match.groups()
            start = f"{year}-{MONTHS.index(month) + 1:02d}-{int(day):02d}"
            return {"meeting": name, "meeting_start_date": start}
    raise seedio.SourceFormatError(DOC, None, "no meeting date on the cover")


def extract(sources_dir: Path) -> list[dict]:
    """The key action points, checked to be numbered 1..14 in order."""
    lines = seedio.read_lines(sources_dir, DOC)
    points = parse_points(lines, *section_bounds(lines))
    numbers = [row["point_no"] for row in points]
    if numbers != list(range(1, EXPECTED_POINTS + 1)):
        raise seedio.SourceFormatError(DOC, None, f"points numbered {numbers}, expected 1..14")
    meeting = cover(lines)
    return [row | meeting for row in points]


def main(sources_dir: Path | None = None, seeds_dir: Path | None = None) -> list[Path]:
    """Write the CSU 2008 key action points seed and return its path."""
    sources_dir, seeds_dir = seedio.resolve_dirs(sources_dir, seeds_dir)
    path = seeds_dir / "csu2008" / "csu2008_key_action_points.csv"
    return [seedio.write_csv(path, COLUMNS, extract(sources_dir))]


if __name__ == "__main__":
    seedio.cli(main)
