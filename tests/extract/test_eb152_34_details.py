"""EB152/34 beyond the action table: sub-heading budget lines, milestones, metrics, cross-references,
annex overlaps, pending Annex 2 work. Every figure is asserted against the line it is printed on
(sources/002_9d0e41a0e7538786.txt)."""
import csv
from pathlib import Path

import pytest

import eb152_34_details
import seedio

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "sources" / "002_9d0e41a0e7538786.txt"
LINES = DOC.read_text(encoding="utf-8").split("\n")
NAMES = ("eb152_subheading_budget_lines", "eb152_milestones", "eb152_comment_metrics",
         "eb152_cross_references", "eb152_annex_overlaps", "eb152_pending_work")


def line(number: int) -> str:
    """Line `number` of the document, whitespace removed (the PDF wraps put spaces in cells)."""
    return seedio._squeeze(LINES[number - 1])


def printed(number: int, text: str) -> bool:
    return seedio._squeeze(text) in line(number)


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> dict[str, list[dict[str, str]]]:
    seeds_dir = tmp_path_factory.mktemp("seeds")
    paths = eb152_34_details.main(sources_dir=ROOT / "sources", seeds_dir=seeds_dir)
    assert [p.name for p in paths] == [f"{n}.csv" for n in NAMES]
    out = {}
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            out[path.stem] = list(csv.DictReader(handle))
    return out


def test_committed_seeds_are_what_the_script_writes():
    assert seedio.stale_outputs(eb152_34_details.main) == []


def test_pseah_subheading_is_a_budget_line_of_its_own_kind_15_million_per_year(tables):
    # line 143: "... | 已编入预算 | 15 000 000 (每年) | - | - | - | 正在进行 | ..." (an unnumbered row)
    assert printed(143, "已编入预算\t15 000 000 (每年)") or printed(143, "已编入预算15000000(每年)")
    assert not LINES[142].split("\t")[0].strip().isdigit()
    rows = {r["group_id"]: r for r in tables["eb152_subheading_budget_lines"]}
    pseah = rows["EB152-A1-G02"]
    assert (pseah["line_kind"], pseah["budget_status_raw"], pseah["estimated_cost_raw"]) == \
        ("subheading", "已编入预算", "15 000 000 (每年)")
    assert (pseah["cost_low_usd"], pseah["cost_high_usd"], pseah["cost_basis"], pseah["status_raw"]) == \
        ("15000000", "15000000", "per_year", "正在进行")
    assert pseah["source_ref"] == "Annex 1, unnumbered row 2 (line 143)"
    # the only other sub-heading rows on the grid print dashes in every cell (lines 208, 211)
    assert {k: r["has_figure"] for k, r in rows.items()} == {
        "EB152-A1-G02": "true", "EB152-A1-G12": "false", "EB152-A1-G13": "false"}
    assert printed(208, "-\t-\t-\t-\t-\t-") or line(208).count("-") >= 6


@pytest.mark.parametrize("row_key, metric, value, line_no, words", [
    ("EB152-A1-G02", "prseah_mrp_actions_started_share", "97", 143, "97% 的行动已启动"),
    ("EB152-A1-G02", "prseah_mrp_actions_expected_complete_share", "84", 143, "预计 84% 的行动将完成"),
    ("EB152-A2-G02", "prseah_mrp_actions_started_share", "97", 298, "已经启动 97% 的行动"),
    ("EB152-A1-055", "ati_score_2022", "69.3", 267, "得分 69.3，等级为“良好”"),
    ("EB152-A2-018", "working_capital_fund", "31000000", 323, "数额为 3100 万美元"),
    ("EB152-A1-026", "summary_record_words_to_translate", "650000", 201, "约为65万字"),
    ("EB152-A1-026", "governing_body_translation_cost_2017", "500000", 201, "每双年度大约 50 万美元"),
    ("EB152-A1-026", "translation_saving_expected_share", "50", 201, "节省达 50%"),
    ("EB152-A2-012", "prseah_training_coverage_share", "90", 310, "覆盖率约为 90%"),
    ("EB152-A2-012", "prseah_learning_participants_2022", "20000", 310, "20000 多人"),
    ("EB152-A2-006", "investigators", "15", 302, "15 名调查员"),
    ("EB152-A2-035", "donor_profiles", "80", 359, "80 多个捐助者简介"),
])
def test_metrics_reported_in_the_comments(tables, row_key, metric, value, line_no, words):
    assert printed(line_no, words), f"line {line_no} does not print {words!r}"
    got = {(r["row_key"], r["metric"]): r for r in tables["eb152_comment_metrics"]}
    row = got[(row_key, metric)]
    assert float(row["value"]) == float(value)
    assert row["source_ref"].endswith(f"(line {line_no})")


@pytest.mark.parametrize("action, printed_as, start, end, precision, kind, line_no, words", [
    ("EB152-A1-015", "2023-Q4", "2023-10-01", "2023-12-31", "quarter", "planned", 174, "应在 2023 年最后一个季度完成国家合作战略与业务管理系统挂钩工作"),
    ("EB152-A1-016", "2024-Q3", "2024-07-01", "2024-09-30", "quarter", "planned", 176, "将于 2024 年第三季度开始"),
    ("EB152-A1-036", "2023-05", "2023-05-01", "2023-05-31", "month", "planned", 225, "为评估中心/程序选择新的供应商——2023 年 5 月"),
    ("EB152-A1-041", "2025-05-14", "2025-05-14", "2025-05-14", "day", "planned", 238, "完成日期为2025年5月14日"),
    ("EB152-A2-023", "2022-12-01", "2022-12-01", "2022-12-01", "day", "achieved", 334, "2022 年 12 月 1 日公布了最新的组织结构图"),
    ("EB152-A1-009", "2022-07", "2022-07-01", "2022-07-31", "month", "achieved", 156, "于 2022 年 7 月创建了第一个风险偏好框架"),
])
def test_milestones_from_the_comments(tables, action, printed_as, start, end, precision, kind, line_no, words):
    assert printed(line_no, words), f"line {line_no} does not print {words!r}"
    rows = [r for r in tables["eb152_milestones"] if r["row_key"] == action and r["date_as_printed"] == printed_as]
    assert len(rows) == 1
    row = rows[0]
    assert (row["date_start"], row["date_end"], row["date_precision"], row["milestone_kind"]) == (start, end, precision, kind)
    assert row["source_ref"].endswith(f"(line {line_no})")


def test_every_milestone_and_metric_quote_is_printed_on_its_cited_line(tables):
    for table in ("eb152_milestones", "eb152_comment_metrics", "eb152_pending_work"):
        for row in tables[table]:
            number = int(row["source_ref"].rsplit("line ", 1)[1].rstrip(")"))
            assert printed(number, row["text_zh"]), (table, row["text_zh"], number)


def test_milestone_counts(tables):
    kinds = [r["milestone_kind"] for r in tables["eb152_milestones"]]
    assert (len(kinds), kinds.count("planned"), kinds.count("achieved")) == (40, 23, 17)


@pytest.mark.parametrize("symbol, line_no, context", [
    ("WHA75(8)", 13, "paragraph 1"),          # 关于可持续筹资的 WHA75(8)号决定
    ("EB151(1)", 18, "paragraph 2"),          # 在 EB151(1)号决定（2022 年）中
    ("EB152/33", 18, "paragraph 2"),          # 专题工作组的报告载于文件 EB152/33
    ("EB/AMSTG/3/3", 58, "footnote ² (after paragraph 11)"),
    ("JIU/REP/2020/1", 314, "Annex 2, action 14"),
    ("JIU/REP/2021/5", 315, "Annex 2, action 15"),
    ("EB152/35", 362, "Annex 2, action 38"),
])
def test_cross_references(tables, symbol, line_no, context):
    assert symbol in LINES[line_no - 1]
    got = [(r["context"], r["line_no"]) for r in tables["eb152_cross_references"] if r["symbol"] == symbol]
    assert (context, str(line_no)) in got


def test_cross_reference_counts(tables):
    symbols = [r["symbol"] for r in tables["eb152_cross_references"]]
    assert len(symbols) == 23
    assert symbols.count("A75/35") == 4 and symbols.count("EB/AMSTG/3/3") == 2


def test_actions_in_both_annexes(tables):
    # line 226 (A1-037) and line 335 (A2-024) both print the same words
    words = "加强空缺通报机制，增强多样性，建立世卫组织职位人才库"
    assert printed(226, words) and printed(335, words)
    assert LINES[225].startswith("37\t") and LINES[334].startswith("24\t")
    # line 276 (A1-059) and line 362 (A2-038): the WHA75-mandated replenishment feasibility
    assert printed(276, "根据第七十五届世界卫生大会的授权") and printed(362, "根据第七十五届世界卫生大会的授权")
    pairs = {(r["annex_1_action_id"], r["annex_2_action_id"], r["counted_in_distinct"])
             for r in tables["eb152_annex_overlaps"]}
    assert pairs == {("EB152-A1-037", "EB152-A2-024", "false"), ("EB152-A1-059", "EB152-A2-038", "false")}


def test_pending_work_is_flagged_on_annex_2_rows_only(tables):
    rows = {r["action_id"]: r for r in tables["eb152_pending_work"]}
    assert len(rows) == 12 and all(k.startswith("EB152-A2-") for k in rows)
    # line 294 (A2-003): "世卫组织公共网站版本的创建正在开发中，将于 2023 年 1 月完成"
    assert printed(294, rows["EB152-A2-003"]["text_zh"])
    assert rows["EB152-A2-003"]["pending_kind"] == "in_development"


def test_a_quote_missing_from_its_row_stops_the_extraction(monkeypatch, tmp_path):
    bad = (("A1-015", "2023-Q4", "by", "planned", "2023 年最后一个季度完成了所有工作", "invented"),)
    monkeypatch.setattr(eb152_34_details, "MILESTONES", bad)
    with pytest.raises(seedio.SourceFormatError, match="quote not in this row"):
        eb152_34_details.main(sources_dir=ROOT / "sources", seeds_dir=tmp_path)


def test_properties_document_every_column(tables):
    import yaml

    spec = yaml.safe_load((ROOT / "seeds" / "eb152_34" / "_eb152_34_details__seeds.yml").read_text(encoding="utf-8"))
    assert [s["name"] for s in spec["seeds"]] == list(NAMES)
    for seed in spec["seeds"]:
        header = list(tables[seed["name"]][0])
        assert [c["name"] for c in seed["columns"]] == header, seed["name"]
        assert list(seed["config"]["column_types"]) == header, seed["name"]
