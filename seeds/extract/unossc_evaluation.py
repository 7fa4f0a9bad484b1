"""Extract the evaluation record of the UNOSSC mid-term review (document 001, lines 9-28).

The UNDP Evaluation Resource Centre page opens with a block of "Label: value" lines (type,
status, completion date, planned end date, budget, expenditure, source of funding, ...) and a
small team table ("Name Title Nationality"). Each printed field becomes one row, its value as
printed beside a typed reading (months as YYYY-MM, amounts without thousands separators,
Yes/No as booleans), so nothing is lost and nothing is guessed: a label the parser does not
know stops the script.

Output: seeds/unossc/unossc_evaluation_record.csv
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import seedio  # noqa: E402

DOC = "001_9affc7f0a352c595.txt"
PLAN_CODE = "UNOSSC-SF-2018-21-MTR"
BLOCK_START, BLOCK_END = "Title ", "Lessons"
# Printed label -> (field, kind). kind: text | month (MM/YYYY) | usd | yes_no.
FIELDS = {
    "Title": ("evaluation_title", "text"),
    "Atlas Project Number": ("atlas_project_number", "text"),
    "Evaluation Plan": ("evaluation_plan", "text"),
    "Evaluation Type": ("evaluation_type", "text"),
    "Status": ("evaluation_status", "text"),
    "Completion Date": ("completion_month", "month"),
    "Planned End Date": ("planned_end_month", "month"),
    "Management Response": ("has_management_response", "yes_no"),
    "Corporate Outcome and Output (UNDP Strategic Plan 2018-2021)": ("corporate_outcome_and_output", "text"),
    "Evaluation Budget(US $)": ("budget_usd", "usd"),
    "Source of Funding": ("source_of_funding", "text"),
    "Evaluation Expenditure(US $)": ("expenditure_usd", "usd"),
    "Joint Programme": ("is_joint_programme", "yes_no"),
    "Joint Evaluation": ("is_joint_evaluation", "yes_no"),
    "GEF Evaluation": ("is_gef_evaluation", "yes_no"),
    "Key Stakeholders": ("key_stakeholders", "text"),
    "Countries": ("countries", "text"),
}
TEAM_HEADER = "Name Title Nationality"
TEAM_MEMBER = re.compile(r"^(.+?) (Consultant|Team Leader|Evaluator|Team Member) ([A-Z][A-Z ]+)$")
COLUMNS = ["plan_code", "field", "label_as_printed", "value_as_printed", "value", "value_kind",
           "source_doc", "source_ref"]


def typed(raw: str, kind: str) -> str:
    """The typed reading of a printed value ('' when the page prints nothing)."""
    if not raw:
        return ""
    if kind == "month":
        month, year = re.fullmatch(r"(\d{2})/(\d{4})", raw).groups()
        return f"{year}-{month}"
    if kind == "usd":
        return raw.replace(",", "")
    if kind == "yes_no":
        return {"Yes": "true", "No": "false"}[raw]
    return raw


def extract(sources_dir: Path) -> list[dict]:
    """One row per printed field of the record block, then one per evaluation team member."""
    lines = seedio.read_lines(sources_dir, DOC)
    start = next(i for i, line in enumerate(lines) if line.startswith(BLOCK_START))
    end = next(i for i, line in enumerate(lines) if line == BLOCK_END)
    rows, in_team = [], False
    for index in range(start, end):
        line, ref = lines[index], f"Evaluation record (line {index + 1})"
        if not line or line == "Evaluation Team members:":
            continue
        if line == TEAM_HEADER:
            in_team = True
            continue
        member = TEAM_MEMBER.match(line) if in_team else None
        if member:
            name, title, nationality = member.groups()
            rows.append(_row("team_member", "Evaluation Team members", line,
                             f"{name} | {title} | {nationality}", "team_member", ref))
            continue
        label, _, raw = (line.partition(": ") if ": " in line else (line.rstrip(":"), "", "")) \
            if not line.startswith("Title ") else ("Title", "", line[len("Title "):])
        label = label.rstrip(":")
        if label not in FIELDS:
            raise seedio.SourceFormatError(DOC, index + 1, f"unknown evaluation field {label!r}")
        in_team = False
        field, kind = FIELDS[label]
        rows.append(_row(field, label, raw, typed(raw.strip(), kind), kind, ref))
    return rows


def _row(field: str, label: str, printed: str, value: str, kind: str, ref: str) -> dict:
    return {"plan_code": PLAN_CODE, "field": field, "label_as_printed": label, "value_as_printed": printed,
            "value": value, "value_kind": kind, "source_doc": DOC, "source_ref": ref}


def main(sources_dir: Path | None = None, seeds_dir: Path | None = None) -> list[Path]:
    """Write seeds/unossc/unossc_evaluation_record.csv."""
    sources_dir, seeds_dir = seedio.resolve_dirs(sources_dir, seeds_dir)
    path = seeds_dir / "unossc" / "unossc_evaluation_record.csv"
    return [seedio.write_csv(path, COLUMNS, extract(sources_dir))]


if __name__ == "__main__":
    seedio.cli(main)
