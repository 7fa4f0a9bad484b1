"""The CSU Network 2008 key action points as a reform plan, with what the report says around them.

Outputs (seeds/csu2008/):
  csu2008_action_point_details.csv   per point: actor, due month where printed, topic, and the
                                     strategic objective the point names (quoted)
  csu2008_report_contents.csv        the report's table of contents (sections and annexes; the
                                     Annex 1 agenda is listed there, but its text stops after 2.1)
  csu2008_un_reform_country_groups.csv  the four groups of point 10 (8 pilots, 35 new UNDAF
                                     processes, self starters, all WHO country offices)

Why curated quotes: who acts and by when is a reading of a sentence. Each row carries the words
it was read from, and the script stops if a quote is not in that point's own text.

Run as a script (``python seeds/extract/csu2008_plan.py``) or call :func:`main`.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import csu2008  # noqa: E402
import seedio  # noqa: E402

DOC = csu2008.DOC
PLAN_CODE = "CSU-2008"
# Group heading -> topic code (CCS, MOSS, UN reform, ... as the headings name them).
TOPICS = {
    "Country Focus Policy": "country_focus_policy",
    "Follow up of the Fourth Global Meeting of Heads of WHO Country Offices (HWCO) with the Director-General "
    "and Regional Directors": "hwco_follow_up",
    "Country Cooperation Strategy": "ccs",
    "UN Reform and Alignment and Harmonization": "un_reform",
    "Country Cooperation Review": "country_cooperation_review",
    "CSU Network Portal": "csu_network_portal",
    "Minimum Operating Security Standards (MOSS)": "moss",
}
# point -> (actor, quote naming the actor or ''), (due month, quote or ''), (SO, quote or '')
POINTS = {
    1: ("CSU Network", "the Country Support Unit (CSU) Network will carry out", "", "", "", ""),
    2: ("CSU Network", "the Network will develop a two-page proposal", "", "", "SO12",
        "To bridge the funding gap under Strategic Objective 12"),
    3: ("DGR; regional Country Support Units", "The progress report to be submitted by DGR in June 2008",
        "2008-06", "beginning in June 2008", "", ""),
    4: ("Department of Country Focus (CCO)", "The Department of Country Focus (CCO) will share", "", "", "", ""),
    5: ("Regional CSUs", "Each regional CSU will use", "", "", "", ""),
    6: ("Department of Country Focus (CCO)", "CCO will follow up with individual CSUs", "", "", "", ""),
    7: ("Working group led by EMRO",
        "The working group led by the WHO Regional Office for the Eastern Mediterranean (EMRO) will prepare",
        "", "", "", ""),
    8: ("CSU Network", "the Network should provide clear definitions", "", "", "SO12",
        "Organization-Wide Expected Result 2 of Strategic Objective 12"),
    9: ("CSU Network", "The CSU Network will foster exchange", "", "", "", ""),
    10: ("CSU Network", "The CSU Network will contribute to develop a forum/platform", "", "", "", ""),
    11: ("Headquarters; Regional Offices", "Headquarters will make available", "", "", "", ""),
    12: ("", "", "", "", "", ""),
    13: ("", "", "2008-10", "submitted to the Eighth CSU Network meeting in October 2008", "", ""),
    14: ("Regional CSUs with the GMG unit", "The CSUs will work with the relevant General Management Cluster (GMG)"
        " unit",
         "", "", "SO13", "adequate provision of resources under Strategic Objective 13"),
}
DETAIL_COLUMNS = ["plan_code", "point_no", "topic", "actor", "actor_quote", "due_month", "due_quote",
                  "strategic_objective", "strategic_objective_quote", "source_doc", "source_ref"]
CONTENTS_COLUMNS = ["entry_no", "entry_title", "page", "is_annex", "source_doc", "source_ref"]
GROUP_COLUMNS = ["group_no", "group_label", "countries_stated", "source_doc", "source_ref"]
_CONTENTS_ENTRY = re.compile(r"^(?:(\d+(?:\.\d+)?|[ivx]+)\.?\s+)?(.+?)(?:\s*\.{3,})?\s*(\d+)\.?$")
_GROUP = re.compile(r"^- ([ivx]+)\. (.+)$")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_NUMBER_WORDS = {"eight": 8}


def detail_rows(sources_dir: Path) -> list[dict]:
    """One row per key action point, every quote checked against that point's text."""
    lines = seedio.read_lines(sources_dir, DOC)
    points = {int(p["point_no"]): p for p in csu2008.extract(sources_dir)}
    if sorted(points) != sorted(POINTS):
        raise seedio.SourceFormatError(DOC, None, f"points {sorted(points)} differ from the curated 1-14")
    rows = []
    for number, (actor, actor_q, due, due_q, so, so_q) in POINTS.items():
        point = points[number]
        for quote in (actor_q, due_q, so_q):
            if quote and seedio._squeeze(quote) not in seedio._squeeze(point["text"]):
                raise seedio.SourceFormatError(DOC, None, f"point {number}: quote not in its text: {quote!r}")
        line = seedio.locate(lines, DOC, point["text"].split("\n")[0][:60])
        rows.append({"plan_code": PLAN_CODE, "point_no": number, "topic": TOPICS[point["heading"]],
                     "actor": actor, "actor_quote": actor_q, "due_month": due, "due_quote": due_q,
                     "strategic_objective": so, "strategic_objective_quote": so_q, "source_doc": DOC,
                     "source_ref": f"Key Action Points, point {number} (line {line})"})
    return rows


def contents_rows(lines: list[str]) -> list[dict]:
    """The table of contents between its heading and the 'Key Action Points' section."""
    start = lines.index("Table of Contents") + 1
    end = lines.index("Key Action Points")
    rows = []
    for index in range(start, end):
        found = _CONTENTS_ENTRY.match(lines[index].replace("\t", " ")) if lines[index] else None
        if not found:
            continue
        number, title, page = found.groups()
        rows.append({"entry_no": number or "", "entry_title": title.strip(), "page": page,
                     "is_annex": title.startswith("Annex"), "source_doc": DOC,
                     "source_ref": f"Table of Contents (line {index + 1})"})
    return rows


def group_rows(lines: list[str]) -> list[dict]:
    """The sub-items of point 10: the country groups the UN-reform support should reach."""
    start = seedio.locate(lines, DOC, "10. The CSU Network will contribute")
    rows = []
    for index in range(start, len(lines)):
        found = _GROUP.match(lines[index])
        if not found:
            break
        roman, label = found.groups()
        count = re.match(r"^(?:The )?(\d+|eight)\b", label)
        stated = "" if not count else str(_NUMBER_WORDS.get(count.group(1), count.group(1)))
        rows.append({"group_no": _ROMAN[roman], "group_label": label, "countries_stated": stated,
                     "source_doc": DOC, "source_ref": f"Key Action Points, point 10.{roman} (line {index + 1})"})
    if len(rows) != 4:
        raise seedio.SourceFormatError(DOC, start, f"point 10 lists {len(rows)} groups, expected 4")
    return rows


def main(sources_dir: Path | None = None, seeds_dir: Path | None = None) -> list[Path]:
    """Write the three CSU 2008 plan seeds into ``<seeds_dir>/csu2008/``."""
    sources_dir, seeds_dir = seedio.resolve_dirs(sources_dir, seeds_dir)
    lines = seedio.read_lines(sources_dir, DOC)
    out = seeds_dir / "csu2008"
    return [
        seedio.write_csv(out / "csu2008_action_point_details.csv", DETAIL_COLUMNS, detail_rows(sources_dir)),
        seedio.write_csv(out / "csu2008_report_contents.csv", CONTENTS_COLUMNS, contents_rows(lines)),
        seedio.write_csv(out / "csu2008_un_reform_country_groups.csv", GROUP_COLUMNS, group_rows(lines)),
    ]


if __name__ == "__main__":
    seedio.cli(main)
