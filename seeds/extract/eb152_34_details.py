"""Extract what EB152/34's comments and sub-heading rows state beyond the action table.

Outputs (seeds/eb152_34/):
  eb152_subheading_budget_lines.csv  budget cells of the unnumbered Annex 1 sub-heading rows
                                     (the PSEAH row: US$ 15 000 000 per year)
  eb152_milestones.csv               dated milestones quoted from the comments
  eb152_comment_metrics.csv          figures the comments report (ATI score 69.3, ...)
  eb152_cross_references.csv         every document / decision symbol the text cites
  eb152_annex_overlaps.csv           actions printed in both annexes
  eb152_pending_work.csv             Annex 2 ("implemented") rows whose comment says work is pending

Why curated rows with quotes: milestones, metrics and overlaps are readings of free text, so
each curated row carries the exact printed words (`text_zh`), and the script refuses to write
a row whose quote is not in the row's own comment: a reading can be wrong, but it can never
cite words the document does not contain. Line numbers are looked up, never typed. English
renderings (`text_en`) are our own, unofficial translations.

Run as a script (``python seeds/extract/eb152_34_details.py``) or call :func:`main`.
"""
from __future__ import annotations

import calendar
import re
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import eb152_34  # noqa: E402
import seedio  # noqa: E402

DOC = eb152_34.SOURCE_FILE
OUT = "eb152_34"

# --- milestones: (row key, date spec, qualifier, kind, quote, unofficial English) -------------
# Date spec: YYYY, YYYY-MM, YYYY-QN or YYYY-MM-DD; a range is "spec/spec". Qualifier: what the
# text says of the date (by = completed by, on = happened or happens then, after = not before,
# from = starts then).
MILESTONES = (
    ("A1-002", "2023", "on", "planned", "计划于 2023 年实施",
     "Planned for implementation in 2023"),
    ("A1-002", "2022-01", "on", "achieved", "执行委员会 2022 年 1 月批准的 2022-2023 双年度评价工作计划",
     "The 2022-2023 biennial evaluation workplan approved by the Executive Board in January 2022"),
    ("A1-004", "2023", "by", "planned", "研究报告将于 2023 年初完成",
     "The study report will be completed in early 2023"),
    ("A1-009", "2022-07", "on", "achieved", "秘书处于 2022 年 7 月创建了第一个风险偏好框架",
     "The Secretariat created the first risk appetite framework in July 2022"),
    ("A1-009", "2023-Q1", "by", "planned", "全球政策小组将于 2023 年第一季度审查和批准该框架",
     "The Global Policy Group will review and approve the framework in the first quarter of 2023"),
    ("A1-015", "2023-Q4", "by", "planned", "应在 2023 年最后一个季度完成国家合作战略与业务管理系统挂钩工作",
     "The linking of the CCS with the business management system should be completed in the last quarter of 2023"),
    ("A1-016", "2024-Q3", "from", "planned", "2025 年世卫组织国家活动报告编写进程将于 2024 年第三季度开始",
     "Preparation of the 2025 WHO country presence report will start in the third quarter of 2024"),
    ("A1-016", "2025-05", "on", "planned", "将与国家访问报告一道提交 2025 年 5 月第七十八届世界卫生大会",
     "To be submitted, with the country visit reports, to the Seventy-eighth World Health Assembly in May 2025"),
    ("A1-027", "2023-01", "after", "planned", "将在 2023 年 1 月举行的世卫组织理事机构会议之后委托开展此项审查工作",
     "The review will be commissioned after the WHO governing body meetings of January 2023"),
    ("A1-028", "2023-01/2023-02", "after", "planned", "将在 2023 年 1 月/2"
        " 月举行的世卫组织理事机构会议之后委托开展此项工作",
     "The work will be commissioned after the WHO governing body meetings of January/February 2023"),
    ("A1-029", "2022-11", "on", "achieved", "于 2022 年 11 月举行了规划、预算和行政委员会成员第一次非正式会议",
     "The first informal meeting of PBAC members was held in November 2022"),
    ("A1-036", "2023-05", "by", "planned", "为评估中心/程序选择新的供应商——2023 年 5 月",
     "Selection of a new vendor for the assessment centre/process: May 2023"),
    ("A1-036", "2023-Q4", "by", "planned", "提交世卫组织代表遴选新机制，供 2023 年第四季度批准",
     "New WR selection mechanism submitted for approval in the fourth quarter of 2023"),
    ("A1-036", "2025-05", "by", "planned", "在 2025 年 5 月之前审查并通知会员国",
     "Review and inform Member States before May 2025"),
    ("A1-036", "2019", "on", "achieved", "2019 年在非洲区域办事处启动的一项规划",
     "A programme launched in the African Regional Office in 2019"),
    ("A1-041", "2023-05", "by", "planned", "2024-2025年规划预算方案草案的完成日期为2023年5月",
     "Completion date of the Proposed programme budget 2024-2025: May 2023"),
    ("A1-041", "2025-05-14", "by", "planned", "拟订第十四个工作总规划草案的完成日期为2025年5月14日",
     "Completion date of the draft Fourteenth General Programme of Work: 14 May 2025"),
    ("A1-055", "2024", "by", "planned", "旨在提高 2024 年 ATI 的得分和排名",
     "Aiming to improve the 2024 ATI score and ranking"),
    ("A2-003", "2022-11", "by", "planned", "软件更新定于 2022 年 11 月完成",
     "The software update is scheduled for completion in November 2022"),
    ("A2-003", "2023-01", "by", "planned", "将于 2023 年 1 月完成",
     "(Public website version) to be completed in January 2023"),
    ("A2-005", "2022-Q3", "on", "planned", "在 2022"
        " 年第三季度发布覆盖本组织所有三个层级的关于处理性剥削、性虐待和性骚扰相关"
        "指控和报告的标准操作程序",
     "Issue, in the third quarter of 2022, standard operating procedures covering all three levels for handling"
         " SEA/SH allegations and reports"),
    ("A2-006", "2022-11", "on", "achieved", "2022 年 11 月任命了新的调查主管",
     "A new head of investigations was appointed in November 2022"),
    ("A2-006", "2021-11", "on", "achieved", "2021 年 11 月任命了一名临时调查主管",
     "An interim head of investigations was appointed in November 2021"),
    ("A2-006", "2022", "by", "achieved", "在第七十五届世界卫生大会（2022"
        " 年）之前完成了积压的性剥削、性虐待和性骚扰案件调查工作",
     "The backlog of SEA/SH investigations was cleared before the Seventy-fifth World Health Assembly (2022)"),
    ("A2-007", "2022-12", "by", "planned", "将于 2022 年 12 月完成",
     "(The 2023-2025 PRSEAH strategy) will be completed in December 2022"),
    ("A2-007", "2028", "by", "planned", "使世卫组织到 2028 年成为整个联合国系统这方面“最出色”的机构",
     "Make WHO the 'best in class' in this area across the UN system by 2028"),
    ("A2-008", "2022", "by", "planned", "将于 2022 年底“完成”",
     "Will be 'completed' by the end of 2022"),
    ("A2-009", "2022-12", "by", "planned", "管理层应对计划 4.2.2 及其组成部分将在 2022 年 12 月得到实施",
     "Management response plan 4.2.2 and its components will be implemented in December 2022"),
    ("A2-009", "2022-08", "on", "achieved", "外部审计工作在独立专家监督咨询委员会的监督下于 2022 年 8 月完成",
     "The external audit was completed in August 2022 under IEOAC oversight"),
    ("A2-009", "2022-09", "on", "achieved", "世卫组织秘书处于 2022 年 9 月编写了管理层的答复",
     "The WHO Secretariat prepared the management response in September 2022"),
    ("A2-012", "2021", "on", "achieved", "2021 年推出了新的强制培训模块",
     "A new mandatory training module was launched in 2021"),
    ("A2-013", "2022-07", "on", "achieved", "2022 年 7 月发布了《预防欺诈政策》修订版",
     "The revised fraud prevention policy was issued in July 2022"),
    ("A2-013", "2022-06", "on", "achieved", "新版风险偏好声明（2022 年 6 月）",
     "New risk appetite statement (June 2022)"),
    ("A2-014", "2022-11", "on", "achieved", "总干事于 2022 年 11 月批准了一项新的内部政策",
     "The Director-General approved a new internal policy in November 2022"),
    ("A2-020", "2021", "from", "achieved", "该机制自 2021 年起到位",
     "The mechanism has been in place since 2021"),
    ("A2-023", "2022-12-01", "on", "achieved", "2022 年 12 月 1 日公布了最新的组织结构图",
     "The updated organigram was published on 1 December 2022"),
    ("A2-026", "2022-01", "on", "achieved", "第一份报告已于 2022 年 1 月提交",
     "The first report was submitted in January 2022"),
    ("A2-027", "2023-05", "on", "planned", "下一份报告预计将于 2023 年 5 月提交给卫生大会",
     "The next report is expected to be submitted to the Health Assembly in May 2023"),
    ("A2-033", "2024", "on", "planned", "2024 年推出新的业务管理系统后",
     "After the new business management system is launched in 2024"),
    ("A2-035", "2021", "on", "achieved", "捐助者参与事宜管理系统于 2021 年在本组织三个层级上线",
     "The donor engagement management system went live at all three levels in 2021"),
)

# --- metrics: (row key, metric, value, unit, basis, as printed, quote, unofficial English) ----
METRICS = (
    ("A1-G02", "prseah_mrp_actions_started_share", "97", "percent", "as of end 2022", "97%",
     "97% 的行动已启动", "97% of the management response plan's actions have started"),
    ("A1-G02", "prseah_mrp_actions_expected_complete_share", "84", "percent", "as of end 2022", "84%",
     "预计 84% 的行动将完成", "84% of the actions are expected to be completed"),
    ("A2-G02", "prseah_mrp_actions_started_share", "97", "percent", "as of end 2022", "97%",
     "已经启动 97% 的行动", "97% of the actions have started"),
    ("A2-G02", "prseah_mrp_actions_expected_complete_share", "84", "percent", "as of end 2022", "84%",
     "预计将完成 84%", "84% are expected to be completed"),
    ("A2-008", "prseah_oct2021_actions_started_or_completed_share", "97", "percent", "overall", "97%",
     "总体而言，97% 的行动已经启动或完成", "Overall, 97% of the actions have been started or completed"),
    ("A1-055", "ati_score_2022", "69.3", "score", "2022 Aid Transparency Index", "69.3",
     "得分 69.3，等级为“良好”", "Score 69.3, rated 'good'"),
    ("A1-026", "governing_body_sessions_per_biennium", "6", "sessions", "per biennium", "六届",
     "执行委员会和卫生大会通常在每个双年度举行六届会议", "The Executive Board and the Health Assembly usually hold"
         " six sessions per biennium"),
    ("A1-026", "summary_record_words_to_translate", "650000", "words", "per biennium, five languages", "约为65万字",
     "五种语言的文字翻译量约为65万字", "The translation volume in five languages is about 650 000 words"),
    ("A1-026", "governing_body_translation_cost_2017", "500000", "USD", "per biennium (2017 estimate)",
     "大约 50 万美元",
     "2017年, 理事机构文件翻译费用估计为每双年度大约 50 万美元", "In 2017 the translation cost of governing body"
         " documents was estimated at about US$ 500 000 per"
         " biennium"),
    ("A1-026", "translation_saving_expected_share", "50", "percent", "upper bound ('up to')", "达 50%",
     "估计现在可以比以前翻译费用节省达 50%", "Savings of up to 50% on previous translation costs are now estimated"),
    ("A2-006", "investigators", "15", "people", "team supporting the head of investigations", "15 名调查员",
     "包括 15 名调查员", "Including 15 investigators"),
    ("A2-012", "prseah_training_coverage_share", "90", "percent", "average staff coverage (approximate)", "约为 90%",
     "人员平均覆盖率约为 90%", "Average staff coverage is about 90%"),
    ("A2-012", "prseah_learning_participants_2022", "20000", "people", "2022, lower bound ('more than')", "20000 多人",
     "2022 年，20000 多人参加了网络研讨会和其他学习活动", "In 2022 more than 20 000 people took part in webinars and"
         " other learning events"),
    ("A2-012", "ios_team_newly_trained", "6000", "people", "trained by the IOS investigation team", "6000 名人员",
     "内部监督服务司调查小组又新培训了 6000 名人员", "The IOS investigation team trained another 6000 people"),
    ("A2-014", "ethics_head_term_limit_years", "7", "years", "one non-renewable term", "七年",
     "一届任期七年，不可连任", "One seven-year term, not renewable"),
    ("A2-018", "working_capital_fund", "31000000", "USD", "fund size", "3100 万美元",
     "世卫组织有一个周转基金，数额为 3100 万美元", "WHO has a Working Capital Fund of US$ 31 million"),
    ("A2-033", "portal_publication_lag_days", "20", "days", "after each month end (approximate)", "20 天左右",
     "每个月结束后 20 天左右发布数据", "Data are published about 20 days after each month ends"),
    ("A2-035", "donor_profiles", "80", "profiles", "lower bound ('more than')", "80 多个",
     "包括 80 多个捐助者简介", "Including more than 80 donor profiles"),
)

# --- actions printed in both annexes (Annex 1 key, Annex 2 key, kind, counted, quote, note) --
# counted_in_distinct: whether the Annex 1 row adds a distinct action to a de-duplicated count.
OVERLAPS = (
    ("A1-037", "A2-024", "repeats_part", False, "加强空缺通报机制，增强多样性，建立世卫组织职位人才库",
     "Annex 1 #37 repeats, word for word, the second half of Annex 2 #24 (after its colon)"),
    ("A1-059", "A2-038", "same_subject", False, "根据第七十五届世界卫生大会的授权",
     "Both are the feasibility of a replenishment mechanism for the base programme budget under the "
     "WHA75 mandate; Annex 2 #38 is the feasibility paper, Annex 1 #59 the replenishment itself"),
)

# --- Annex 2 rows whose comment says work is still pending: (key, kind, quote, English) -------
PENDING = (
    ("A2-003", "in_development", "世卫组织公共网站版本的创建正在开发中",
     "The public website version is still being developed"),
    ("A2-005", "being_finalised", "问责制框架即将定稿",
     "The accountability framework is about to be finalised"),
    ("A2-007", "scheduled", "将于 2022 年 12 月完成",
     "To be completed in December 2022"),
    ("A2-008", "recurring", "将在 2023 年根据三年战略重新进行",
     "Will be carried out again in 2023 under the three-year strategy"),
    ("A2-009", "scheduled", "将在 2022 年 12 月得到实施",
     "Will be implemented in December 2022"),
    ("A2-010", "rolling_out", "该工具已经过测试，正在推广",
     "The tool has been tested and is being rolled out"),
    ("A2-011", "awaiting_comments", "已经定稿并分发给各区域办事处征求意见",
     "Finalised and sent to the regional offices for comment"),
    ("A2-013", "in_progress", "这方面工作正在实施中",
     "Work in this area is being implemented"),
    ("A2-015", "awaiting_comments", "以征求其意见",
     "(Shared with the IEOAC) for its comments"),
    ("A2-031", "not_standardised", "时间安排尚未标准化",
     "The timing has not yet been standardised"),
    ("A2-036", "rolling_out", "捐助者参与事宜管理系统正在本组织各级推行",
     "The donor engagement management system is being rolled out at all levels"),
    ("A2-038", "future_submission", "将通过规划、预算和行政委员会第三十七次会议向执行委员会第 152 届会议提交",
     "Will be submitted to EB152 through PBAC37"),
)

# Document and decision symbols: WHA75(8), EB151(1), EB152/33, EB/AMSTG/3/3, A75/35, A/75/9,
# EBPBAC33/2, JIU/REP/2020/1 ... (longest alternatives first).
SYMBOL = re.compile(r"JIU/REP/\d{4}/\d+|EB/AMSTG/\d+/\d+|EBPBAC\d+/\d+|A/\d+/\d+|"
                    r"(?:WHA|EB)\d+\(\d+\)|EB\d+/\d+|A\d+/\d+")
_PARAGRAPH = re.compile(r"^(\d+)\.\s")

SUBHEADING_COLUMNS = ("line_id", "line_kind", "annex", "group_id", "follows_action_no", "category_zh",
                      "functional_area_zh", "text_zh", "budget_status_raw", "estimated_cost_raw",
                      "cost_low_usd", "cost_high_usd", "cost_basis", "has_figure", "status_raw",
                      "source_doc", "source_ref")
MILESTONE_COLUMNS = ("milestone_id", "row_key", "annex", "date_as_printed", "date_start", "date_end",
                     "date_precision", "qualifier", "milestone_kind", "text_zh", "text_en",
                     "source_doc", "source_ref")
METRIC_COLUMNS = ("metric_id", "row_key", "annex", "metric", "value", "unit", "basis", "value_as_printed",
                  "text_zh", "text_en", "source_doc", "source_ref")
XREF_COLUMNS = ("xref_id", "symbol", "symbol_kind", "context", "row_key", "line_no", "source_doc", "source_ref")
OVERLAP_COLUMNS = ("annex_1_action_id", "annex_2_action_id", "overlap_kind", "counted_in_distinct",
                   "shared_text_zh", "note", "source_doc", "source_ref")
PENDING_COLUMNS = ("action_id", "pending_kind", "text_zh", "text_en", "source_doc", "source_ref")


def key_of(record: eb152_34.Record, seq: int | None) -> str:
    """'A1-037' for an action, 'A1-G02' for the second unnumbered row of Annex 1."""
    if record.kind == "action":
        return f"A{record.annex}-{int(record.cell('action_no')):03d}"
    return f"A{record.annex}-G{seq:02d}"


def index_records(records: list[eb152_34.Record]) -> dict[str, eb152_34.Record]:
    """Every table row by its short key (group numbering as in eb152_action_groups)."""
    out, seq = {}, {1: 0, 2: 0}
    for record in records:
        if record.kind != "action":
            seq[record.annex] += 1
        out[key_of(record, seq[record.annex])] = record
    return out


def full_key(key: str) -> str:
    """'A1-037' -> 'EB152-A1-037' (the warehouse's action_id / group_id)."""
    return f"EB152-{key}"


def quoted_line(lines: list[str], rows: dict[str, eb152_34.Record], key: str, quote: str) -> int:
    """Line of `quote` inside row `key`; the quote must be in that row's own cells."""
    record = rows[key]
    if seedio._squeeze(quote) not in seedio._squeeze(" ".join(record.cells())):
        raise seedio.SourceFormatError(DOC, record.line_no, f"{key}: quote not in this row: {quote!r}")
    return seedio.locate(lines, DOC, quote, start=record.line_no)


def row_ref(key: str, line: int) -> str:
    annex, rest = key[1], key[3:]
    what = f"unnumbered row {int(rest[1:])}" if rest.startswith("G") else f"action {int(rest)}"
    return f"Annex {annex}, {what} (line {line})"


def period(spec: str) -> tuple[date, date, str]:
    """First and last day of a printed period, and its precision."""
    if "/" in spec:
        first, last = spec.split("/")
        return period(first)[0], period(last)[1], period(first)[2]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", spec):
        day = date.fromisoformat(spec)
        return day, day, "day"
    if re.fullmatch(r"\d{4}-Q[1-4]", spec):
        year, quarter = int(spec[:4]), int(spec[-1])
        end_month = quarter * 3
        return date(year, end_month - 2, 1), date(year, end_month, calendar.monthrange(year, end_month)[1]), "quarter"
    if re.fullmatch(r"\d{4}-\d{2}", spec):
        year, month = int(spec[:4]), int(spec[5:])
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month"
    if re.fullmatch(r"\d{4}", spec):
        return date(int(spec), 1, 1), date(int(spec), 12, 31), "year"
    raise ValueError(f"unreadable date spec {spec!r}")


def milestone_rows(lines, rows) -> list[dict]:
    out = []
    for n, (key, spec, qualifier, kind, quote, english) in enumerate(MILESTONES, start=1):
        line = quoted_line(lines, rows, key, quote)
        start, end, precision = period(spec)
        out.append({"milestone_id": f"EB152-M{n:03d}", "row_key": full_key(key), "annex": key[1],
                    "date_as_printed": spec, "date_start": start.isoformat(), "date_end": end.isoformat(),
                    "date_precision": precision, "qualifier": qualifier, "milestone_kind": kind,
                    "text_zh": quote, "text_en": english, "source_doc": DOC, "source_ref": row_ref(key, line)})
    return out


def metric_rows(lines, rows) -> list[dict]:
    out = []
    for n, (key, metric, value, unit, basis, printed, quote, english) in enumerate(METRICS, start=1):
        if seedio._squeeze(printed) not in seedio._squeeze(quote):
            raise ValueError(f"{metric}: {printed!r} is not in its own quote")
        line = quoted_line(lines, rows, key, quote)
        out.append({"metric_id": f"EB152-X{n:03d}", "row_key": full_key(key), "annex": key[1],
                    "metric": metric, "value": value, "unit": unit, "basis": basis,
                    "value_as_printed": printed, "text_zh": quote, "text_en": english,
                    "source_doc": DOC, "source_ref": row_ref(key, line)})
    return out


def subheading_rows(records: list[eb152_34.Record], rows: dict) -> list[dict]:
    """Budget cells of Annex 1 sub-heading rows whose cells keep to the column grid.

    A row keeps to the grid when its budget cell holds a printed budget status, or when all
    six cells from budget to status print a dash; the other sub-heading rows shift their
    cells (a comment in the cost column) and carry no budget line.
    """
    statuses = {"已编入预算", "尚未编列预算", "部分编入预算", "待完成"}
    names = ("budget_status_raw", "estimated_cost_raw", "timeline_2023_raw", "timeline_2024_raw",
             "timeline_2025_plus_raw", "status_raw")
    out = []
    for key, record in rows.items():
        if record.kind != "subheading" or record.annex != 1:
            continue
        cells = [record.cell(name) for name in names]
        if cells[0] not in statuses and not all(c in eb152_34.DASHES for c in cells):
            continue
        cost = eb152_34.parse_cost(cells[1] if cells[1] not in eb152_34.DASHES else "", record.cell("comment_zh"))
        out.append({
            "line_id": f"EB152-{key}-BUDGET", "line_kind": "subheading", "annex": "1",
            "group_id": full_key(key), "follows_action_no": record.follows_action_no,
            "category_zh": record.category_zh, "functional_area_zh": eb152_34.functional_area(record),
            "text_zh": record.cell("action_zh"), "budget_status_raw": cells[0], "estimated_cost_raw": cells[1],
            "cost_low_usd": cost.low, "cost_high_usd": cost.high, "cost_basis": cost.basis,
            "has_figure": cost.has_figure, "status_raw": cells[5],
            "source_doc": DOC, "source_ref": row_ref(key, record.line_no),
        })
    return out


def overlap_rows(lines, rows) -> list[dict]:
    out = []
    for a1, a2, kind, counted, quote, note in OVERLAPS:
        line_1 = quoted_line(lines, rows, a1, quote)
        line_2 = quoted_line(lines, rows, a2, quote)
        out.append({"annex_1_action_id": full_key(a1), "annex_2_action_id": full_key(a2), "overlap_kind": kind,
                    "counted_in_distinct": counted, "shared_text_zh": quote, "note": note, "source_doc": DOC,
                    "source_ref": f"{row_ref(a1, line_1)}; {row_ref(a2, line_2)}"})
    return out


def pending_rows(lines, rows) -> list[dict]:
    out = []
    for key, kind, quote, english in PENDING:
        if not key.startswith("A2-"):
            raise ValueError(f"{key}: pending work is flagged on Annex 2 rows only")
        line = quoted_line(lines, rows, key, quote)
        out.append({"action_id": full_key(key), "pending_kind": kind, "text_zh": quote, "text_en": english,
                    "source_doc": DOC, "source_ref": row_ref(key, line)})
    return out


def line_owner(records: list[eb152_34.Record], rows: dict) -> dict[int, str]:
    """Table line -> key of the row it belongs to (a row runs until the next row starts)."""
    starts = sorted((record.line_no, key) for key, record in rows.items())
    owner = {}
    for (start, key), nxt in zip(starts, starts[1:] + [(10**9, "")]):
        for line in range(start, min(nxt[0], start + 40)):
            owner[line] = key
    return owner


def symbol_kind(symbol: str) -> str:
    if symbol.startswith("JIU/"):
        return "jiu_report"
    if "(" in symbol:
        return "decision"
    return "document"


def xref_rows(lines: list[str], records, rows) -> list[dict]:
    """Every symbol occurrence with where it is: a paragraph, a footnote or a table row."""
    owner, out, paragraph = line_owner(records, rows), [], ""
    first_table = min(r.line_no for r in records)
    for number, line in enumerate(lines, start=1):
        found = _PARAGRAPH.match(line)
        if eb152_34._ANNEX_TITLE.match(line.strip()):
            paragraph = f"Annex {line.strip()[-1]} notes"
        elif found and number < first_table and not paragraph.startswith("Annex"):
            paragraph = f"paragraph {found.group(1)}"
        for match in SYMBOL.finditer(line):
            symbol = match.group(0)
            if symbol == "EB152/34" and number < 20:
                continue
            if number in owner and number >= first_table:
                key = owner[number]
                context, row_key = row_ref(key, number).rsplit(" (", 1)[0], full_key(key)
            elif line.startswith(("¹", "²", "³", "⁴")):
                context, row_key = f"footnote {line[0]} (after {paragraph or 'the title'})", ""
            else:
                context, row_key = paragraph or "front matter", ""
            out.append({"xref_id": f"EB152-R{len(out) + 1:03d}", "symbol": symbol, "symbol_kind": symbol_kind(symbol),
                        "context": context, "row_key": row_key, "line_no": number, "source_doc": DOC,
                        "source_ref": f"line {number}"})
    return out


def build_tables(sources_dir: Path) -> dict[str, tuple[tuple[str, ...], list[dict]]]:
    text = (Path(sources_dir) / DOC).read_text(encoding="utf-8")
    lines = text.split("\n")
    records = eb152_34.parse(text)
    rows = index_records(records)
    return {
        "eb152_subheading_budget_lines": (SUBHEADING_COLUMNS, subheading_rows(records, rows)),
        "eb152_milestones": (MILESTONE_COLUMNS, milestone_rows(lines, rows)),
        "eb152_comment_metrics": (METRIC_COLUMNS, metric_rows(lines, rows)),
        "eb152_cross_references": (XREF_COLUMNS, xref_rows(lines, records, rows)),
        "eb152_annex_overlaps": (OVERLAP_COLUMNS, overlap_rows(lines, rows)),
        "eb152_pending_work": (PENDING_COLUMNS, pending_rows(lines, rows)),
    }


def main(sources_dir: Path | None = None, seeds_dir: Path | None = None) -> list[Path]:
    """Write the six detail seeds into ``<seeds_dir>/eb152_34/`` and return their paths."""
    sources_dir, seeds_dir = seedio.resolve_dirs(sources_dir, seeds_dir)
    return [seedio.write_csv(seeds_dir / OUT / f"{name}.csv", columns, rows)
            for name, (columns, rows) in build_tables(sources_dir).items()]


if __name__ == "__main__":
    seedio.cli(main)
