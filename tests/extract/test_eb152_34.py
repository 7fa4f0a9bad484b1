"""EB152/34 extraction: the seeds must carry the document's own figures, cell for cell."""
import csv
from collections import Counter
from pathlib import Path

import pytest
import yaml

import eb152_34
from eb152_34 import Cost, clean, parse_cost

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds" / "eb152_34"
NAMES = ("eb152_actions", "eb152_action_groups", "eb152_budget_lines")


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory) -> Path:
    seeds_dir = tmp_path_factory.mktemp("seeds")
    paths = eb152_34.main(sources_dir=ROOT / "sources", seeds_dir=seeds_dir)
    assert [p.name for p in paths] == [f"{n}.csv" for n in NAMES]
    return seeds_dir / "eb152_34"


@pytest.fixture(scope="module")
def actions(out_dir) -> list[dict[str, str]]:
    return read(out_dir / "eb152_actions.csv")


@pytest.fixture(scope="module")
def groups(out_dir) -> list[dict[str, str]]:
    return read(out_dir / "eb152_action_groups.csv")


@pytest.fixture(scope="module")
def budget(out_dir) -> dict[int, dict[str, str]]:
    return {int(r["action_no"]): r for r in read(out_dir / "eb152_budget_lines.csv")}


def annex(rows, number):
    return [r for r in rows if r["annex"] == str(number)]


def action(rows, annex_no, action_no):
    return next(r for r in rows if r["action_id"] == f"EB152-A{annex_no}-{action_no:03d}")


# --- counts stated or printed in the document -------------------------------------------------

def test_paragraph_7_counts(actions):
    assert len(actions) == 98
    assert len(annex(actions, 1)) == 60
    assert len(annex(actions, 2)) == 38


@pytest.mark.parametrize("number, size", [(1, 60), (2, 38)])
def test_each_number_exactly_once(actions, number, size):
    assert sorted(int(r["action_no"]) for r in annex(actions, number)) == list(range(1, size + 1))
    assert len({r["action_id"] for r in actions}) == 98


def test_annex_1_budget_status_counts(actions):
    assert Counter(r["budget_status_raw"] for r in annex(actions, 1)) == {
        "已编入预算": 33, "尚未编列预算": 15, "部分编入预算": 3, "待完成": 3, "-": 4, "": 2,
    }


def test_annex_1_status_counts(actions):
    assert Counter(r["status_raw"] for r in annex(actions, 1)) == {
        "正在进行": 30, "正做计划": 25, "已做计划": 3, "待完成": 1, "": 1,
    }


def test_annex_2_has_no_annex_1_columns(actions):
    extra = ("budget_status_raw", "estimated_cost_raw", "timeline_2023_raw", "timeline_2024_raw",
             "timeline_2025_plus_raw", "status_raw")
    assert all(r[c] == "" for r in annex(actions, 2) for c in extra)


def test_category_counts(actions):
    assert Counter(r["category_zh"] for r in annex(actions, 1)) == {
        "问责职能和制度": 13, "在国家级的影响": 5, "资金": 7, "治理": 9, "人力资源": 4,
        "规划预算": 18, "资源筹措": 3, "其他事项": 1,
    }
    assert Counter(r["category_zh"] for r in annex(actions, 2)) == {
        "问责职能和制度": 16, "在国家级的影响": 1, "资金": 3, "治理": 2, "人力资源": 2,
        "规划预算": 9, "资源筹措": 5,
    }


def test_last_annex_1_action_is_other_matters(actions):
    last = action(actions, 1, 60)
    assert (last["category_zh"], last["category_en"]) == ("其他事项", "Other matters")
    assert last["functional_area_zh"] == "专家组"


def test_every_action_has_category_and_functional_area(actions):
    for row in actions:
        assert row["category_zh"] and row["category_en"], row["action_id"]
        assert row["functional_area_zh"] and row["functional_area_en"], row["action_id"]
        assert row["action_zh"], row["action_id"]


def test_english_categories_sort_as_paragraph_6_says(actions):
    order = ["问责职能和制度", "在国家级的影响", "资金", "治理", "人力资源", "规划预算", "资源筹措"]
    english = [eb152_34.CATEGORY_EN[zh] for zh in order]
    assert english == sorted(english, key=str.lower)


def test_header_never_becomes_a_row(actions, groups):
    for row in actions + groups:
        text = " ".join(row.values())
        assert "秘书处在职能领域内" not in text and "估计交付成本" not in text
        assert "2025 年及以后" not in text and "编号" not in row.get("functional_area_zh", "")
        assert not row.get("text_zh", row.get("action_zh", "")).startswith("编号")


def test_no_wrap_spaces_or_markup_left(actions):
    for row in actions:
        for text in (row["action_zh"], row["objective_zh"], row["comment_zh"]):
            assert "<p>" not in text and "  " not in text
            assert clean(text) == text


# --- rows checked cell by cell against the text ----------------------------------------------

def test_annex_1_action_25_single_line(actions):
    row = action(actions, 1, 25)
    assert row["functional_area_zh"] == "财务管理"
    assert row["functional_area_en"] == "Financial management"
    assert row["category_zh"] == "资金"
    assert row["action_zh"] == "更新世卫组织财务报表: 计划采取进一步行动提高财务报表的透明度"
    assert row["objective_zh"] == "提高财务报表的透明度"
    assert [row[c] for c in ("budget_status_raw", "estimated_cost_raw", "timeline_2023_raw",
                             "timeline_2024_raw", "timeline_2025_plus_raw", "status_raw")] == [
        "已编入预算", "-", "X", "X", "X", "正在进行"]
    assert row["comment_zh"].startswith("采取以下进一步行动提高财务报表透明度: (1)根据《国际公共部门会计准则》")
    assert row["source_ref"] == "Annex 1, action 25"


def test_annex_1_action_42_single_line(actions):
    row = action(actions, 1, 42)
    assert row["functional_area_zh"] == "制订计划/提高效率"
    assert row["action_zh"] == (
        "改善国家、区域和全球确定重点进程, 在重点事项和规划预算编制工作之间建立更明确的联系。透明地与会员国分享结果")
    assert row["objective_zh"] == "使会员国更清楚地了解确定重点与规划预算编制工作之间的联系以及相关预算配置情况"
    assert [row[c] for c in ("budget_status_raw", "estimated_cost_raw", "timeline_2023_raw",
                             "timeline_2024_raw", "timeline_2025_plus_raw", "status_raw")] == [
        "已编入预算", "50 000", "X", "-", "X", "正在进行"]
    assert row["comment_zh"].endswith("将更为突出重点和报告结果(而不是投入)。")


def test_annex_1_action_4_wrapped_cells(actions):
    row = action(actions, 1, 4)
    assert row["functional_area_zh"] == "预防和应对性剥削、性虐待和性骚扰"
    assert row["objective_zh"] == (
        "深刻改变世卫组织的文化和权力动态，确保人人预防性剥削和性虐待/不端性行为，"
        "并创造一个安全和健康的工作环境，对性剥削和性虐待零容忍")
    assert [row[c] for c in ("estimated_cost_raw", "timeline_2025_plus_raw", "status_raw")] == [
        "-", "X", "正在进行"]
    assert row["comment_zh"].startswith("管理层应对计划 3.1：促进本组织的文化变革")


def test_annex_1_action_9_wrapped_cells_keep_real_spaces(actions):
    row = action(actions, 1, 9)
    assert row["objective_zh"].startswith("阐述世卫组织对风险的战略态度，围绕一组“关键成功因素”列明")
    assert row["comment_zh"].startswith("秘书处于 2022 年 7 月创建了第一个风险偏好框架。")
    assert "2023 年第一季度" in row["comment_zh"]


def test_annex_1_wrapped_cost_and_area_cells(actions):
    assert action(actions, 1, 31)["estimated_cost_raw"] == "工作人员工时"
    assert action(actions, 1, 29)["functional_area_zh"] == "规划、预算和行政委员会的作用"
    assert action(actions, 1, 14)["estimated_cost_raw"] == "100 000– 150 000"
    row = action(actions, 1, 30)
    assert (row["budget_status_raw"], row["estimated_cost_raw"], row["timeline_2023_raw"]) == ("-", "-", "待完成")


def test_annex_1_action_36_drops_html_paragraph_tags(actions):
    comment = action(actions, 1, 36)["comment_zh"]
    assert comment.startswith("目前由区域主任提名世卫组织新代表。")
    assert "以进一步改进任命程序。作为世卫组织转型工作的一部分" in comment
    assert action(actions, 1, 36)["estimated_cost_raw"] == "每年 500 000"


def test_annex_2_fragment_after_page_break_is_joined(actions):
    row = action(actions, 2, 21)
    assert row["objective_zh"] == "确保秘书处始终准备好向会员国提供必要的信息"
    assert row["functional_area_zh"] == "决议成本核算"


def test_annex_2_rows(actions):
    row = action(actions, 2, 1)
    assert row["functional_area_zh"] == "审计/评价"
    assert row["action_zh"].startswith("评价改革方案 (a) 对世卫组织基于结果的管理方法的实施情况进行独立评价")
    assert action(actions, 2, 13)["action_zh"] == (
        "加强欺诈和风险管理意识及报告机制 更新了世卫组织预防、发现和应对欺诈和腐败行为的政策")
    assert action(actions, 2, 18)["functional_area_zh"] == "财务管理"
    assert action(actions, 2, 34)["comment_zh"] == "—"


# --- unnumbered rows ---------------------------------------------------------------------------

def test_group_rows(groups):
    assert Counter((g["annex"], g["row_kind"]) for g in groups) == {
        ("1", "category_heading"): 8, ("1", "subheading"): 15,
        ("2", "category_heading"): 7, ("2", "subheading"): 8,
    }
    first = groups[0]
    assert (first["text_zh"], first["follows_action_no"]) == ("1. 问责职能和制度", "")
    pseah = next(g for g in groups if g["annex"] == "1" and g["follows_action_no"] == "3")
    assert pseah["text_zh"] == "加强世卫组织预防和应对性剥削、性虐待和性骚扰的职能"
    assert "15 000 000 (每年)" in pseah["other_cells_raw"]
    other = next(g for g in groups if g["text_zh"] == "其他事项")
    assert other["follows_action_no"] == "59"
    shifted = next(g for g in groups if g["annex"] == "1" and g["follows_action_no"] == "34"
                   and g["row_kind"] == "subheading")
    assert shifted["functional_area_zh"] == "人力资源"  # printed in the number column


# --- budget lines ------------------------------------------------------------------------------

def test_budget_lines_cover_all_annex_1_actions(budget):
    assert sorted(budget) == list(range(1, 61))
    assert sum(r["has_figure"] == "true" for r in budget.values()) == 27


@pytest.mark.parametrize("no, low, high, basis, reason", [
    (14, "100000", "150000", "one_off", ""),       # range 100 000– 150 000
    (26, "50000", "60000", "one_off", ""),         # range 50 000–60 000
    (16, "40000", "", "one_off", ""),              # open range 40 000+
    (2, "200000", "200000", "one_off", ""),        # 200 000 (两项评价工作)
    (53, "6000", "6000", "one_off", ""),           # printed without separator
    (36, "500000", "500000", "per_year", ""),      # 每年 500 000
    (17, "30000", "30000", "per_visit", ""),       # 30 000 (每次国家访问)
    (41, "146000", "146000", "per_biennium", ""),  # comment: 提供双年度费用
    (3, "", "", "", "dash"),
    (1, "", "", "", "to_be_completed"),
    (58, "", "", "", "to_be_confirmed"),            # 待确认(待完成)
    (31, "", "", "", "staff_time"),
    (18, "", "", "", "blank"),
])
def test_budget_line_parsing(budget, no, low, high, basis, reason):
    row = budget[no]
    assert (row["cost_low_usd"], row["cost_high_usd"], row["cost_basis"], row["no_figure_reason"]) == (
        low, high, basis, reason)
    assert row["has_figure"] == ("true" if low else "false")


def test_no_figure_reason_counts(budget):
    assert Counter(r["no_figure_reason"] for r in budget.values()) == {
        "": 27, "dash": 18, "to_be_completed": 9, "staff_time": 4, "to_be_confirmed": 1, "blank": 1}


def one_off_totals(budget, status=None):
    rows = [r for r in budget.values() if r["cost_basis"] == "one_off"
            and (status is None or r["budget_status_raw"] == status)]
    return (sum(int(r["cost_low_usd"]) for r in rows),
            sum(int(r["cost_high_usd"]) for r in rows if r["cost_high_usd"]))


def test_one_off_totals_match_hand_count(budget):
    # Read by hand from the Annex 1 cost cells (US$), one-off amounts only:
    # 已编入预算: #2 200 000, #19 32 000, #20 16 000, #21 32 000, #22 50 000, #26 50 000–60 000,
    #   #42 50 000, #43 48 000, #45 10 000, #46 270 000, #47 50 000, #49 32 000, #50 21 000,
    #   #51 50 000, #52 50 000, #53 6000, #55 20 000, #56 20 000
    #   -> low 1 007 000, high 1 017 000 (#36 每年 500 000 and #41 biennial 146 000 excluded).
    # All of Annex 1 adds #14 100 000–150 000 (部分编入预算), #16 40 000+ (部分; no high),
    #   #23 100 000 (status '-'), #27 100 000, #44 20 000 (status empty), #54 81 000
    #   -> low 1 448 000, high 1 468 000 (#16 has no high; #17 per visit excluded).
    assert one_off_totals(budget, "已编入预算") == (1_007_000, 1_017_000)
    assert one_off_totals(budget) == (1_448_000, 1_468_000)


# --- the cost parser on literal strings --------------------------------------------------------

@pytest.mark.parametrize("raw, comment, expected", [
    ("100 000– 150 000", "", Cost(100000, 150000, "one_off", "")),
    ("50 000–60 000", "", Cost(50000, 60000, "one_off", "")),
    ("40 000+", "", Cost(40000, None, "one_off", "")),
    ("32 000", "", Cost(32000, 32000, "one_off", "")),
    ("6000", "", Cost(6000, 6000, "one_off", "")),
    ("200 000 (两项评价工作)", "", Cost(200000, 200000, "one_off", "")),
    ("15 000 000 (每年)", "", Cost(15000000, 15000000, "per_year", "")),
    ("每年 500 000", "", Cost(500000, 500000, "per_year", "")),
    ("30 000 (每次国家访问)", "", Cost(30000, 30000, "per_visit", "")),
    ("146 000", "……提供双年度费用。", Cost(146000, 146000, "per_biennium", "")),
    ("-", "", Cost(None, None, "", "dash")),
    ("—", "", Cost(None, None, "", "dash")),
    ("", "", Cost(None, None, "", "blank")),
    ("待完成", "", Cost(None, None, "", "to_be_completed")),
    ("待确认(待完成)", "", Cost(None, None, "", "to_be_confirmed")),
    ("工作人员 工时", "", Cost(None, None, "", "staff_time")),
    ("视情况而定", "", Cost(None, None, "", "other")),
])
def test_parse_cost(raw, comment, expected):
    assert parse_cost(raw, comment) == expected


def test_parse_cost_rejects_three_amounts():
    with pytest.raises(ValueError):
        parse_cost("1 000 2 000 3 000")


@pytest.mark.parametrize("raw, expected", [
    ("预防和应对 性剥削、性虐待和 性骚扰", "预防和应对性剥削、性虐待和性骚扰"),
    ("制订计划/ 提高效率", "制订计划/提高效率"),
    ("截至 2022 年 12 月底", "截至 2022 年 12 月底"),
    ("100 000– 150 000", "100 000– 150 000"),
    ("<p>甲。</p> <p>乙</p>", "甲。乙"),
])
def test_clean(raw, expected):
    assert clean(raw) == expected


# --- the committed seeds -----------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_committed_csv_equals_fresh_extraction(out_dir, name):
    fresh = (out_dir / f"{name}.csv").read_bytes()
    assert b"\r" not in fresh
    assert (SEEDS / f"{name}.csv").read_bytes() == fresh


def test_properties_document_every_column(out_dir):
    spec = yaml.safe_load((SEEDS / "_eb152_34__seeds.yml").read_text(encoding="utf-8"))
    assert spec["version"] == 2
    assert [s["name"] for s in spec["seeds"]] == list(NAMES)
    for seed in spec["seeds"]:
        with (out_dir / f"{seed['name']}.csv").open(encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert list(seed["config"]["column_types"]) == header
        assert [c["name"] for c in seed["columns"]] == header
        assert all(c["description"] for c in seed["columns"])
