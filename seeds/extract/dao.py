"""Extract the eight "Delivering as One" pilot countries (document 003).

Document 003 (UNDG page on the Standard Operating Procedures for "Delivering as One") names the
pilots in one sentence of its "Piloting the 'Delivering as One' approach" section:
"In 2007, eight countries volunteered to pilot ... The pilot programme countries were Albania,
Cape Verde, ..., Uruguay and Viet Nam." The parser reads the stated number ("eight"), the year
and the list, checks the list has that many names, and maps each name to its ISO3 code through
the Member State names of domain-notes §4 (ref_member_states).

Output: seeds/reference/dao_pilot_countries.csv
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reference  # noqa: E402
import seedio  # noqa: E402

DOC = "003_9628cabdfe817a07.txt"
SECTION = "Piloting the ‘Delivering as One’ approach"
STATED = re.compile(r"In (\d{4}), (\w+) countries volunteered to pilot")
LISTED = re.compile(r"The pilot programme countries were (.+)\.$")
NUMBER_WORDS = {"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}

# Correction table for names printed differently from the §4 Member State list (which uses
# current WHO names). Only genuine renames belong here.
PRINTED_TO_CURRENT = {
    "Cape Verde": "Cabo Verde",  # name in use in 2007-2008 (domain-notes §4 period caveats)
}

COLUMNS = ["iso3", "country_name", "country_name_current", "region_code", "pilot_start_year",
           "source_doc", "source_ref"]


def split_names(listed: str) -> list[str]:
    """'A, B, C and D' -> [A, B, C, D]; commas inside a name do not occur in this list."""
    head, _, last = listed.rpartition(" and ")
    return [name.strip() for name in head.split(",")] + [last.strip()]


def pilot_sentence(lines: list[str]) -> tuple[int, int, int, list[str]]:
    """(line index, pilot year, stated count, printed names) from the piloting section."""
    try:
        start = lines.index(SECTION)
    except ValueError:
        raise seedio.SourceFormatError(DOC, None, f"section not found: {SECTION}")
    for i in range(start + 1, min(start + 6, len(lines))):
        stated, listed = STATED.search(lines[i]), LISTED.search(lines[i])
        if stated and listed:
            count = NUMBER_WORDS[stated.group(2).lower()]
            return i, int(stated.group(1)), count, split_names(listed.group(1))
    raise seedio.SourceFormatError(DOC, start + 1, "no 'pilot programme countries were' sentence")


def extract(sources_dir: Path) -> list[dict]:
    """One row per pilot country in printed order, with ISO3 and region from ref_member_states."""
    lines = seedio.read_lines(sources_dir, DOC)
    at, year, count, names = pilot_sentence(lines)
    if len(names) != count:
        raise seedio.SourceFormatError(DOC, at + 1, f"{len(names)} names, {count} stated")
    by_name = {row["country_name"]: row for row in reference.member_states(sources_dir)}
    rows = []
    for name in names:
        current = PRINTED_TO_CURRENT.get(name, name)
        if current not in by_name:
            raise seedio.SourceFormatError(DOC, at + 1, f"not a §4 Member State name: {name}")
        member = by_name[current]
        rows.append({
            "iso3": member["iso3"], "country_name": name, "country_name_current": current,
            "region_code": member["region_code"], "pilot_start_year": year, "source_doc": DOC,
            "source_ref": f"{SECTION}, paragraph 1 (line {at + 1}); ISO3 and region via "
                          "domain-notes.md §4 Member State lists"})
    return rows


def main(sources_dir: Path | None = None, seeds_dir: Path | None = None) -> list[Path]:
    """Write the DaO pilot countries seed and return its path."""
    sources_dir, seeds_dir = seedio.resolve_dirs(sources_dir, seeds_dir)
    path = seeds_dir / "reference" / "dao_pilot_countries.csv"
    return [seedio.write_csv(path, COLUMNS, extract(sources_dir))]


if __name__ == "__main__":
    seedio.cli(main)
