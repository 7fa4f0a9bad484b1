"""UNOSSC evaluation record, CSU 2008 plan details, CEB 2006/2007 decisions and the Delivering as One
timeline: every figure asserted against the line that prints it."""
from pathlib import Path

import pytest

import ceb_dao
import csu2008_plan
import seedio
import unossc_evaluation

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "sources"


def line(doc: str, number: int) -> str:
    return (SOURCES / doc).read_text(encoding="utf-8").split("\n")[number - 1]


@pytest.mark.parametrize("main", [unossc_evaluation.main, csu2008_plan.main, ceb_dao.main])
def test_committed_seeds_are_what_the_scripts_write(main):
    assert seedio.stale_outputs(main) == []


# ---------------------------------------------------------------- UNOSSC evaluation record

def test_unossc_evaluation_record_as_printed():
    doc = unossc_evaluation.DOC
    assert line(doc, 14) == "Completion Date: 09/2020"
    assert line(doc, 15) == "Planned End Date: 07/2020"
    assert line(doc, 18) == "Evaluation Budget(US $): 30,000"
    assert line(doc, 19) == "Source of Funding: Regular resources"
    assert line(doc, 20) == "Evaluation Expenditure(US $): 28,000"
    rows = {r["field"]: r for r in unossc_evaluation.extract(SOURCES)}
    assert (rows["completion_month"]["value"], rows["planned_end_month"]["value"]) == ("2020-09", "2020-07")
    assert (rows["budget_usd"]["value"], rows["expenditure_usd"]["value"]) == ("30000", "28000")
    assert rows["budget_usd"]["source_ref"] == "Evaluation record (line 18)"
    assert rows["evaluation_type"]["value"] == "Outcome"          # line 12
    assert rows["source_of_funding"]["value"] == "Regular resources"
    assert rows["team_member"]["value"] == "Maria Onestini | Consultant | ARGENTINA"   # line 25
    assert rows["has_management_response"]["value"] == "true"     # line 16: Management Response: Yes


def test_unknown_evaluation_field_stops_the_script(tmp_path):
    text = (SOURCES / unossc_evaluation.DOC).read_text(encoding="utf-8")
    (tmp_path / unossc_evaluation.DOC).write_text(text.replace("Joint Evaluation: No", "Joint Evalution: No"))
    with pytest.raises(seedio.SourceFormatError, match="unknown evaluation field 'Joint Evalution'"):
        unossc_evaluation.extract(tmp_path)


# ---------------------------------------------------------------- CSU 2008

def test_csu2008_due_months_actors_and_strategic_objectives():
    doc = csu2008_plan.DOC
    assert "beginning in June 2008" in line(doc, 57)
    assert "submitted to the Eighth CSU Network meeting in October 2008" in line(doc, 86)
    rows = {int(r["point_no"]): r for r in csu2008_plan.detail_rows(SOURCES)}
    assert len(rows) == 14
    assert {n: r["due_month"] for n, r in rows.items() if r["due_month"]} == {3: "2008-06", 13: "2008-10"}
    assert "Strategic Objective 12" in line(doc, 53) and "Strategic Objective 13" in line(doc, 90)
    assert {n: r["strategic_objective"] for n, r in rows.items() if r["strategic_objective"]} == \
        {2: "SO12", 8: "SO12", 14: "SO13"}
    assert rows[4]["actor"] == "Department of Country Focus (CCO)"     # line 58
    assert rows[7]["actor"] == "Working group led by EMRO"             # line 64
    assert [n for n, r in rows.items() if not r["actor"]] == [12, 13]  # passive: lines 82, 86
    topics = {r["topic"] for r in rows.values()}
    assert {"ccs", "moss", "un_reform"} <= topics
    assert rows[14]["topic"] == "moss" and rows[5]["topic"] == "ccs" and rows[10]["topic"] == "un_reform"


def test_csu2008_un_reform_country_groups():
    doc = csu2008_plan.DOC
    lines = seedio.read_lines(SOURCES, doc)
    assert [line(doc, n).strip() for n in (71, 72, 73, 74)] == [
        "- i. The eight pilot countries", "- ii. 35 new UN Development Assistance Framework (UNDAF) processes",
        "- iii. Self starters", "- iv. All WHO country offices"]
    got = [(r["group_no"], r["countries_stated"]) for r in csu2008_plan.group_rows(lines)]
    assert got == [(1, "8"), (2, "35"), (3, ""), (4, "")]


def test_csu2008_contents_list_the_agenda_annex():
    doc = csu2008_plan.DOC
    rows = csu2008_plan.contents_rows(seedio.read_lines(SOURCES, doc))
    assert len(rows) == 18
    assert "Annex 1: Agenda" in line(doc, 43)
    assert [r["entry_title"] for r in rows if r["is_annex"]] == ["Annex 1: Agenda", "Annex 2: List of participants"]
    assert ("4", "Resource mobilization strategy for Strategic Objective 12", "7") in \
        {(r["entry_no"], r["entry_title"], r["page"]) for r in rows}   # line 33


# ---------------------------------------------------------------- CEB 2006/2007 and Delivering as One

def test_ceb_decisions_cite_paragraph_body_and_session():
    doc = ceb_dao.CEB_DOC
    rows = {r["decision_id"]: r for r in ceb_dao.ceb_rows(SOURCES)}
    assert len(rows) == 16
    by_para = {}
    for r in rows.values():
        by_para.setdefault(r["paragraph_no"], []).append(r)
    # paragraph 48 (line 196): HLCM's proposal covers six areas
    assert line(doc, 196).startswith("48. ") and "六个重大类别" in line(doc, 196)
    assert by_para["48"][0]["body_en"] == "HLCM"
    # paragraph 16 (line 98): CEB asks UNEG to set parameters for evaluating the pilots
    assert line(doc, 98).startswith("16. ")
    assert {r["body_en"] for r in by_para["16"]} == {"CEB", "UNEG"}
    # paragraph 53 (line 210): security management system funding and cost-sharing
    assert "分摊费用" in line(doc, 210) and len(by_para["53"]) == 2
    # paragraph 44 (line 184): noted at the autumn 2006 session
    assert "2006 年秋季会议" in line(doc, 184)
    noted = [r for r in by_para["44"] if r["decision_kind"] == "noted"][0]
    assert (noted["session_as_printed"], noted["session_year"], noted["session_month"]) == ("2006 年秋季会议", "2006", "")
    # paragraph 65 (line 260): the CEB review, October 2006 retreat
    review = by_para["65"][0]
    assert "2006 年 10 月的务虚会" in line(doc, 260)
    assert (review["session_year"], review["session_month"], review["topic"]) == ("2006", "10", "ceb_review")
    assert all(r["translation_status"] == "unofficial translation" for r in rows.values())


def test_dao_timeline_years_as_printed():
    doc = ceb_dao.DAO_DOC
    assert "High-level Panel on System-wide Coherence in 2006" in line(doc, 3)
    assert line(doc, 7).startswith("In 2007, eight countries volunteered")
    assert line(doc, 9).startswith("In 2010 and 2011, pilot programme countries undertook country-led evaluations")
    assert "was completed in 2012" in line(doc, 9)
    rows = {r["event_code"]: r for r in ceb_dao.dao_rows(SOURCES)}
    assert (rows["high_level_panel"]["year_start"], rows["pilots_volunteered"]["year_start"]) == ("2006", "2007")
    assert (rows["country_led_evaluations"]["year_start"], rows["country_led_evaluations"]["year_end"]) == ("2010", "2011")
    assert rows["independent_evaluation"]["year_start"] == "2012"
    # line 11 and line 19 print the resolutions without a year: none is invented
    assert rows["ga_resolutions_63_11_64_289"]["year_start"] == "" and rows["ga_resolution_67_226"]["year_start"] == ""
