"""UNOSSC Mid-Term Review seeds (document 001) against figures counted by reading the text.

Counted by hand in sources/001_9affc7f0a352c595.txt: 7 recommendations ("1. Recommendation:" ..
"7. Recommendation:"); key actions 1.1-1.5, 2.1-2.3, 3.1-3.5, 4.1-4.6, 5.1-5.2, 6.1-6.3, 7.1-7.4
= 28; Initiated are 2.3, 3.1, 3.3, 3.4, 3.5 and 4.5 (6), the other 22 Completed.
"""
from collections import Counter

import pytest

import seedio
import unossc

KA_PATH = seedio.SEEDS_DIR / "unossc" / "unossc_key_actions.csv"
REC_PATH = seedio.SEEDS_DIR / "unossc" / "unossc_recommendations.csv"


@pytest.fixture(scope="module")
def extracted():
    return unossc.extract(seedio.SOURCES_DIR)


def test_seven_recommendations_numbered_in_order(extracted):
    recs, _ = extracted
    assert [r["recommendation_no"] for r in recs] == [1, 2, 3, 4, 5, 6, 7]
    assert recs[0]["recommendation_title"] == "Integrated planning."
    assert recs[6]["recommendation_text"].startswith(
        "Recommendations related to the COVID-19 pandemic: In light of the COVID-19 pandemic")


def test_twenty_eight_key_actions_per_recommendation(extracted):
    recs, actions = extracted
    assert len(actions) == 28
    per_rec = Counter(a["recommendation_no"] for a in actions)
    assert per_rec == {1: 5, 2: 3, 3: 5, 4: 6, 5: 2, 6: 3, 7: 4}
    assert {r["recommendation_no"]: r["key_action_count"] for r in recs} == per_rec


def test_key_actions_by_status(extracted):
    _, actions = extracted
    assert Counter(a["status_raw"] for a in actions) == {"Completed": 22, "Initiated": 6}
    initiated = sorted(a["key_action_id"] for a in actions if a["status_raw"] == "Initiated")
    assert initiated == ["R2.3", "R3.1", "R3.3", "R3.4", "R3.5", "R4.5"]


def test_key_action_1_3_field_by_field(extracted):
    action = next(a for a in extracted[1] if a["key_action_id"] == "R1.3")
    assert action == {
        "key_action_id": "R1.3", "plan_code": "UNOSSC-SF-2018-21-MTR", "recommendation_no": 1,
        "key_action_no": 3,
        "key_action_text": "Conduct office-wide mid-year and year-end IWP and AWP review exercise "
                           "(focusing on both results and resources) with senior management",
        "responsible_unit": "Director and Deputy Directors with all HQ units and regional offices",
        "due_date": "2021-07", "due_date_raw": "2021/07", "status_raw": "Completed",
        "comments": "End-year review of IWP and AWP 2020 and mid-year review of IWP and AWP 2021 "
                    "completed, focusing on both results and resources, with senior management.",
        "date_added": "2020-11-23", "date_last_updated": "2021-10-08",
        "source_doc": "001_9affc7f0a352c595.txt",
        "source_ref": "Recommendation 1, Key Action 1.3 (line 147)",
    }


@pytest.mark.parametrize("key, unit, due, status, updated", [
    ("R2.3", "Knowledge Management Team, Advisory Service Team supported by all relevant teams "
             "and Regional Offices", "2022-12", "Initiated", "2022-03-29"),
    ("R3.2", "All teams supported by RM Specialist", "2022-10", "Completed", "2022-11-03"),
    ("R4.1", "Director supported by EXO, MCT, OHR, etc.", "2022-08", "Completed", "2022-10-31"),
    ("R7.4", "Senior Management with supported by policy, partnerships and communications unit",
     "2021-12", "Completed", "2021-10-08"),
])
def test_more_key_actions(extracted, key, unit, due, status, updated):
    action = next(a for a in extracted[1] if a["key_action_id"] == key)
    assert (action["responsible_unit"], action["due_date"], action["status_raw"],
            action["date_last_updated"]) == (unit, due, status, updated)
    assert action["date_added"] == "2020-11-23"
    assert not action["comments"].endswith("History")


def test_management_responses(extracted):
    recs, _ = extracted
    assert recs[0]["management_response_last_updated"] == "2020-11-23"
    assert all(r["management_response_last_updated"] is None for r in recs[1:])
    assert all(r["management_response_text"].startswith("UNOSSC finds this recommendation relevant.")
               for r in recs)
    assert all(r["management_response_added"] == "2020-11-23" for r in recs)


def test_committed_csvs_equal_a_fresh_run():
    assert seedio.stale_outputs(unossc.main) == []


def test_two_runs_give_identical_bytes(tmp_path):
    unossc.main(seeds_dir=tmp_path)
    assert seedio.stale_outputs(unossc.main, seeds_dir=tmp_path) == []


def test_csv_rows_match_parser():
    assert len(seedio.read_csv(REC_PATH)) == 7
    rows = seedio.read_csv(KA_PATH)
    assert [r["key_action_id"] for r in rows][:3] == ["R1.1", "R1.2", "R1.3"]
    assert rows[2]["date_last_updated"] == "2021-10-08"
