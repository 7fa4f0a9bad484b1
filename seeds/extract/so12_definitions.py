"""Working definitions of SO12 indicators 12.2.1 and 12.2.2 as data.

Why this seed exists: the Seventh CSU Network meeting (document 000, key action point 8) asked
the Network to "provide clear definitions and criteria for regions" for exactly these two
indicators. The official wording, baselines and targets were NOT found (domain-notes §1.2), so
the warehouse needs its own, plainly labelled working definitions to compute them per region.

What is read, and from where:
  - indicator and OWER working text: the §1.2 table of domain-notes.md (marked [UNVERIFIED]);
  - the CSU request sentence: parsed from document 000 via csu2008.extract().
What is a design choice of this warehouse (not from any source): numerator, denominator, unit
and region criteria below; `definition_status` says so in every row.

Output: seeds/unverified/so12_indicator_definitions.csv (not seeds/reference/: the wording is
[UNVERIFIED], and the reference folder holds only [SOURCE] facts)
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import csu2008  # noqa: E402
import reference  # noqa: E402
import seedio  # noqa: E402

DOC = seedio.DOMAIN_NOTES
TABLE_ROW = re.compile(r"^\| ([0-9.]+|SO\d+) \| (.+) \|$")
REQUEST = "clear definitions and criteria for regions"
INDICATORS = ("12.2.1", "12.2.2")

STATUS = ("working definition: indicator wording, baselines and targets unverified "
          "(domain-notes §1.2 marks them [UNVERIFIED] / [NOT FOUND]); numerator, denominator, "
          "unit and region criteria are this warehouse's design, not WHO's published text")
DENOMINATOR = ("Member States of the region (ref_member_states) that have a WHO country "
               "office during the biennium")
REGION_CRITERIA = (
    "A country is attributed to the region in ref_member_states.region_code (WHO_REGION of the "
    "WHO COVID-19 dashboard map, domain-notes §4), whatever the biennium; a country counts only "
    "in biennia in which it is a Member State (South Sudan from the 2010-2011 biennium, as it "
    "joined in 2011); a multi-country CCS counts once for each Member State it covers; "
    "regions are reported separately and summed for the Organization-wide figure")

# Warehouse design (suggested in the project brief, shaped by domain-notes §1.2): how each
# indicator is computed. Not parsed because no source states it.
DESIGN = {
    "12.2.1": {
        "numerator_definition": (
            "Countries of the region with an endorsed CCS (or endorsed analogue / multi-country "
            "CCS) in force during the biennium that is used as the basis for WHO planning"),
        "denominator_definition": DENOMINATOR,
        "unit": "count",
        "value_formula": "numerator (the denominator is reported for context only)",
    },
    "12.2.2": {
        "numerator_definition": (
            "Countries of the region where WHO takes a leading or active role in health and "
            "development partnerships (formal and informal), including those in the context of "
            "United Nations reform"),
        "denominator_definition": DENOMINATOR,
        "unit": "percent",
        "value_formula": "100 * numerator / denominator",
    },
}

COLUMNS = ["indicator_code", "owe_code", "so_code", "owe_working_text", "working_definition",
           "numerator_definition", "denominator_definition", "unit", "value_formula",
           "region_criteria", "definition_status", "csu_request_quote", "csu_request_source_doc",
           "csu_request_source_ref", "source_doc", "source_ref"]


def working_texts(sources_dir: Path) -> dict[str, tuple[str, int]]:
    """code -> (working text, line number) from the §1.2 table of domain-notes.md."""
    texts = {}
    for i, line in enumerate(reference.notes_lines(sources_dir)):
        if match := TABLE_ROW.match(line.strip()):
            texts[match.group(1)] = (match.group(2).strip(), i + 1)
    missing = [code for code in INDICATORS + ("12.2",) if code not in texts]
    if missing:
        raise seedio.SourceFormatError(DOC, None, f"§1.2 table lacks {missing}")
    return texts


def csu_request(sources_dir: Path) -> tuple[str, str]:
    """(sentence, source_ref) of the CSU key action point asking for definitions by region.

    That point is a single sentence ending with "12.2.1 and 12.2.2.", so it is quoted whole.
    """
    for point in csu2008.extract(sources_dir):
        if REQUEST in point["text"] and "12.2.1 and 12.2.2" in point["text"]:
            return point["text"], point["source_ref"]
    raise seedio.SourceFormatError(csu2008.DOC, None, "no request for definitions by region")


def extract(sources_dir: Path) -> list[dict]:
    """One row per indicator: parsed working text and quote, plus the warehouse design."""
    texts = working_texts(sources_dir)
    quote, quote_ref = csu_request(sources_dir)
    owe_text, _ = texts["12.2"]
    rows = []
    for code in INDICATORS:
        text, line = texts[code]
        rows.append({
            "indicator_code": code, "owe_code": "12.2", "so_code": "SO12",
            "owe_working_text": owe_text, "working_definition": text, **DESIGN[code],
            "region_criteria": REGION_CRITERIA, "definition_status": STATUS,
            "csu_request_quote": quote, "csu_request_source_doc": csu2008.DOC,
            "csu_request_source_ref": quote_ref, "source_doc": DOC,
            "source_ref": f"§1.2 working-text table, rows 12.2 and {code} (line {line}) "
                          "[UNVERIFIED]"})
    return rows


def main(sources_dir: Path | None = None, seeds_dir: Path | None = None) -> list[Path]:
    """Write the SO12 indicator definitions seed and return its path."""
    sources_dir, seeds_dir = seedio.resolve_dirs(sources_dir, seeds_dir)
    path = seeds_dir / "unverified" / "so12_indicator_definitions.csv"
    return [seedio.write_csv(path, COLUMNS, extract(sources_dir))]


if __name__ == "__main__":
    seedio.cli(main)
