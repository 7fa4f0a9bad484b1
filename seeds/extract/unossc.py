"""Extract the UNOSSC Mid-Term Review management response (document 001) into two seeds.

Document 001 is the UNDP Evaluation Resource Centre page of the "Mid Term Review of UNOSSC
Strategic Framework (2018-21)". After a summary list of recommendations it repeats each one as a
block: "N. Recommendation:", the recommendation text, "Management Response: [Added: ...]", the
response, then "Key Actions:" with a table flattened to three lines per key action:

    1.3 <key action text>
    [Added: 2020/11/23] [Last Updated: 2021/10/08]
    <responsible unit> 2021/07 Completed <comments> History

The parser reads those blocks; it fails loudly (SourceFormatError) if the layout changes,
rather than writing a seed with rows missing.

Outputs: seeds/unossc/unossc_recommendations.csv, seeds/unossc/unossc_key_actions.csv
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import seedio  # noqa: E402

DOC = "001_9affc7f0a352c595.txt"
PLAN_CODE = "UNOSSC-SF-2018-21-MTR"

# Status values of UNDP ERC management responses. Completed and Initiated are printed in
# document 001; the others are the ERC vocabulary noted as [UNVERIFIED] in domain-notes §5 and
# are listed only so that a future copy with them parses instead of failing.
STATUSES = ("Completed", "Initiated", "Not Initiated", "Overdue", "No Longer Applicable")

BLOCK_START = re.compile(r"^(\d+)\. Recommendation:$")
REC_HEADING = re.compile(r"^Recommendation (\d+)\.$")
RESPONSE = re.compile(r"^Management Response: \[Added: (\d{4}/\d{2}/\d{2})\]"
                      r"(?: \[Last Updated: (\d{4}/\d{2}/\d{2})\])?$")
KA_FIRST = re.compile(r"^(\d+)\.(\d+) (.+)$")
KA_DATES = re.compile(r"^\[Added: (\d{4}/\d{2}/\d{2})\] \[Last Updated: (\d{4}/\d{2}/\d{2})\]$")
KA_DETAIL = re.compile(r"^(?P<unit>.+?) (?P<due>\d{4}/\d{2}) (?P<status>"
                       + "|".join(re.escape(s) for s in STATUSES)
                       + r")(?: (?P<comments>.*?))?(?: History)?$")
KA_TABLE_HEADER = "Key Action Responsible DueDate Status Comments Documents"
DOC_END = "Latest Evaluations"

REC_COLUMNS = ["recommendation_no", "plan_code", "plan_title", "recommendation_title",
               "recommendation_text", "management_response_text", "management_response_added",
               "management_response_last_updated", "key_action_count", "source_doc",
               "source_ref"]
KA_COLUMNS = ["key_action_id", "plan_code", "recommendation_no", "key_action_no",
              "key_action_text", "responsible_unit", "due_date", "due_date_raw", "status_raw",
              "comments", "date_added", "date_last_updated", "source_doc", "source_ref"]


def iso_date(raw: str | None) -> str | None:
    """ERC prints YYYY/MM/DD (or YYYY/MM for due dates); the warehouse wants ISO text."""
    return raw.replace("/", "-") if raw else None


def plan_title(lines: list[str]) -> str:
    """The review's title as printed on the 'Title ...' line of the page header."""
    for line in lines:
        if line.startswith("Title "):
            return line[len("Title "):]
    raise seedio.SourceFormatError(DOC, None, "no 'Title' line")


def split_blocks(lines: list[str]) -> list[tuple[int, int, int]]:
    """(recommendation_no, first line index, end index) of each detailed recommendation block."""
    starts = [(int(m.group(1)), i) for i, line in enumerate(lines)
              if (m := BLOCK_START.match(line))]
    if not starts:
        raise seedio.SourceFormatError(DOC, None, "no 'N. Recommendation:' blocks")
    end = next((i for i, line in enumerate(lines) if line == DOC_END), len(lines))
    bounds = [i for _, i in starts[1:]] + [end]
    return [(no, start, stop) for (no, start), stop in zip(starts, bounds)]


def index_of(lines: list[str], start: int, stop: int, predicate, what: str) -> int:
    """First index in [start, stop) whose line satisfies predicate, or a located error."""
    for i in range(start, stop):
        if predicate(lines[i]):
            return i
    raise seedio.SourceFormatError(DOC, start + 1, f"expected {what} before line {stop + 1}")


def paragraph_text(lines: list[str]) -> str:
    """Non-empty lines joined by newlines: keeps the printed bullets, drops blank spacing."""
    return "\n".join(line for line in lines if line)


def parse_key_actions(lines: list[str], start: int, stop: int, rec_no: int) -> list[dict]:
    """Key actions of one block; each is a text line, a dates line and a detail line."""
    rows, i = [], start
    while i < stop:
        first = KA_FIRST.match(lines[i])
        if not first:
            if lines[i]:
                raise seedio.SourceFormatError(DOC, i + 1, f"unexpected line: {lines[i][:60]}")
            i += 1
            continue
        dates_at = index_of(lines, i + 1, stop, KA_DATES.match, "[Added] [Last Updated]")
        rows.append(key_action_row(lines, i, dates_at, rec_no))
        i = dates_at + 2
    return rows


def key_action_row(lines: list[str], first_at: int, dates_at: int, rec_no: int) -> dict:
    """One key action; its text may wrap over several lines before the dates line."""
    first = KA_FIRST.match(lines[first_at])
    if int(first.group(1)) != rec_no:
        raise seedio.SourceFormatError(DOC, first_at + 1, f"key action not of recommendation {rec_no}")
    text = " ".join([first.group(3)] + [ln for ln in lines[first_at + 1:dates_at] if ln])
    added, updated = KA_DATES.match(lines[dates_at]).groups()
    detail = KA_DETAIL.match(lines[dates_at + 1])
    if not detail:
        raise seedio.SourceFormatError(DOC, dates_at + 2, "no 'unit YYYY/MM status' detail line")
    ka_no = int(first.group(2))
    return {
        "key_action_id": f"R{rec_no}.{ka_no}", "plan_code": PLAN_CODE,
        "recommendation_no": rec_no, "key_action_no": ka_no, "key_action_text": text,
        "responsible_unit": detail["unit"], "due_date": iso_date(detail["due"]),
        "due_date_raw": detail["due"], "status_raw": detail["status"],
        "comments": detail["comments"] or None, "date_added": iso_date(added),
        "date_last_updated": iso_date(updated), "source_doc": DOC,
        "source_ref": f"Recommendation {rec_no}, Key Action {rec_no}.{ka_no} (line {first_at + 1})",
    }


def parse_block(lines: list[str], rec_no: int, start: int, stop: int, title: str):
    """One recommendation row and its key-action rows from a detailed block."""
    body = start + 1
    while body < stop and (not lines[body] or REC_HEADING.match(lines[body])):
        body += 1  # skip blanks and the optional "Recommendation N." heading (absent for 7)
    resp_at = index_of(lines, body, stop, RESPONSE.match, "'Management Response:'")
    ka_at = index_of(lines, resp_at, stop, lambda ln: ln == "Key Actions:", "'Key Actions:'")
    header_at = index_of(lines, ka_at, stop, lambda ln: ln == KA_TABLE_HEADER, "key action header")
    actions = parse_key_actions(lines, header_at + 1, stop, rec_no)
    text = paragraph_text(lines[body:resp_at])
    added, updated = RESPONSE.match(lines[resp_at]).groups()
    rec = {
        "recommendation_no": rec_no, "plan_code": PLAN_CODE, "plan_title": title,
        "recommendation_title": re.split(r"(?<=[.:])\s", text, maxsplit=1)[0],
        "recommendation_text": text,
        "management_response_text": paragraph_text(lines[resp_at + 1:ka_at]) or None,
        "management_response_added": iso_date(added),
        "management_response_last_updated": iso_date(updated),
        "key_action_count": len(actions), "source_doc": DOC,
        "source_ref": f"Recommendation {rec_no} (lines {start + 1}-{stop})",
    }
    return rec, actions


def extract(sources_dir: Path) -> tuple[list[dict], list[dict]]:
    """All recommendations and key actions, in document number order (not printed order)."""
    lines = seedio.read_lines(sources_dir, DOC)
    title = plan_title(lines)
    recs, actions = [], []
    for rec_no, start, stop in split_blocks(lines):
        rec, rec_actions = parse_block(lines, rec_no, start, stop, title)
        recs.append(rec)
        actions.extend(rec_actions)
    actions.sort(key=lambda row: (row["recommendation_no"], row["key_action_no"]))
    return recs, actions


def main(sources_dir: Path | None = None, seeds_dir: Path | None = None) -> list[Path]:
    """Write both UNOSSC seeds and return their paths."""
    sources_dir, seeds_dir = seedio.resolve_dirs(sources_dir, seeds_dir)
    recs, actions = extract(sources_dir)
    out = seeds_dir / "unossc"
    return [seedio.write_csv(out / "unossc_recommendations.csv", REC_COLUMNS, recs),
            seedio.write_csv(out / "unossc_key_actions.csv", KA_COLUMNS, actions)]


if __name__ == "__main__":
    seedio.cli(main)
