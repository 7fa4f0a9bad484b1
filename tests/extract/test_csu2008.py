"""CSU Network 2008 key action points (document 000), against the text read by hand.

The "Key Action Points" section of sources/000_da8f61cb9f2b2ae8.txt has 7 group headings and
points 1-14: Country Focus Policy 1-2, Follow up of the Fourth Global Meeting ... 3-4, Country
Cooperation Strategy 5-8, UN Reform and Alignment and Harmonization 9-11, Country Cooperation
Review 12, CSU Network Portal 13, Minimum Operating Security Standards (MOSS) 14.
"""
import pytest

import csu2008
import seedio

HWCO = ("Follow up of the Fourth Global Meeting of Heads of WHO Country Offices (HWCO) with the "
        "Director-General and Regional Directors")
HEADINGS = {
    1: "Country Focus Policy", 2: "Country Focus Policy", 3: HWCO, 4: HWCO,
    5: "Country Cooperation Strategy", 6: "Country Cooperation Strategy",
    7: "Country Cooperation Strategy", 8: "Country Cooperation Strategy",
    9: "UN Reform and Alignment and Harmonization", 10: "UN Reform and Alignment and Harmonization",
    11: "UN Reform and Alignment and Harmonization", 12: "Country Cooperation Review",
    13: "CSU Network Portal", 14: "Minimum Operating Security Standards (MOSS)",
}


@pytest.fixture(scope="module")
def points():
    return csu2008.extract(seedio.SOURCES_DIR)


def test_fourteen_points_with_their_headings(points):
    assert {p["point_no"]: p["heading"] for p in points} == HEADINGS
    assert sorted({(p["heading_no"], p["heading"]) for p in points})[0] == (1, "Country Focus Policy")
    assert max(p["heading_no"] for p in points) == 7


def test_point_8_asks_for_definitions_of_12_2_1_and_12_2_2(points):
    assert points[7]["text"] == (
        "With regards to the monitoring of indicators of the Organization-Wide Expected Result 2 "
        "of Strategic Objective 12, the Network should provide clear definitions and criteria for "
        "regions to ensure proper reporting of the two indicators: 12.2.1 and 12.2.2.")
    assert points[7]["source_ref"] == "Key Action Points, point 8 (line 65)"


def test_sub_items_stay_with_their_point(points):
    assert points[9]["text"].split("\n")[1:] == [
        "- i. The eight pilot countries",
        "- ii. 35 new UN Development Assistance Framework (UNDAF) processes",
        "- iii. Self starters", "- iv. All WHO country offices"]
    assert points[10]["text"].count("\n") == 3
    assert "\n" not in points[12]["text"]


def test_moss_point_and_cover(points):
    assert points[13]["text"].startswith("The CSUs will work with the relevant General Management")
    assert "Strategic Objective 13" in points[13]["text"]
    assert {p["meeting"] for p in points} == {"Seventh Meeting of the Country Support Unit Network"}
    assert {p["meeting_start_date"] for p in points} == {"2008-05-13"}
    assert {p["source_doc"] for p in points} == {"000_da8f61cb9f2b2ae8.txt"}


def test_committed_csv_equals_a_fresh_run():
    assert seedio.stale_outputs(csu2008.main) == []


def test_two_runs_give_identical_bytes(tmp_path):
    csu2008.main(seeds_dir=tmp_path)
    assert seedio.stale_outputs(csu2008.main, seeds_dir=tmp_path) == []
