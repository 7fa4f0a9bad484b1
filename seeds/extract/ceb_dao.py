"""Decisions of the CEB 2006/2007 overview (document 004, Chinese) and the "Delivering as One"
timeline (document 003, English).

Outputs:
  seeds/context/ceb_2006_2007_decisions.csv  paragraph, body, what it decided (quoted, with an
                                             unofficial English rendering), the session it names
  seeds/context/dao_timeline.csv             dated events of "Delivering as One" (2006 panel,
                                             2007 pilots, 2010-2011 country-led evaluations, 2012
                                             independent evaluation, General Assembly resolutions)

Why curated quotes: which sentence is a decision, and by whom, is a reading. Each row keeps the
printed words; the script stops if they are not in the document, finds the line itself, and
reads the paragraph number from the paragraph the line belongs to. Dates are only those the
text prints (a General Assembly resolution whose year is not printed has none).

Run as a script (``python seeds/extract/ceb_dao.py``) or call :func:`main`.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import seedio  # noqa: E402

CEB_DOC = "004_6b377cc800ff2fee.txt"
DAO_DOC = "003_9628cabdfe817a07.txt"
# (topic, body_zh, body_en, decision_kind, session as printed ('' if none), YYYY or YYYY-MM,
#  quote, unofficial English)
CEB_DECISIONS = (
    ("delivering_as_one", "行政首长协调会", "CEB", "appreciated", "", "",
     "协调会对联合国发展集团（发展集团）主席联合国开发计划署（开发署）署长到目前为止通过 8"
         " 个试验项目在国家一级的“一个联合国”所完成的工作，表示赞赏",
     "CEB expressed appreciation for the work done so far by the UNDG Chair, the UNDP Administrator, on 'One UN'"
         " at country level through the 8 pilots"),
    ("delivering_as_one", "行政首长协调会", "CEB", "stressed", "", "",
     "协调会强调试验项目的试验性质，并且强调项目的进展不应该预先判定政府间就这个问题在大会进行讨论的结果",
     "CEB stressed the experimental nature of the pilots, whose progress should not prejudge the"
         " intergovernmental discussion in the General Assembly"),
    ("delivering_as_one", "行政首长协调会", "CEB", "agreed", "", "",
     "协调会还同意，国家自主、相对优势、问责制和最大效益应该是确保联合国系统努力作为一个整体执行的指导原则",
     "CEB agreed that national ownership, comparative advantage, accountability and maximum effectiveness should"
         " be the guiding principles of delivering as one"),
    ("evaluation", "行政首长协调会", "CEB", "requested", "", "",
     "行政首长协调会要求联合国评价小组立即确定实质性的参数和程序，来评价试验项目",
     "CEB asked UNEG to define at once the substantive parameters and procedures for evaluating the pilots"),
    ("evaluation", "联合国评价小组", "UNEG", "mandated", "", "",
     "联合国评价小组受委托开始加紧工作，制定可以评价的标准和基线",
     "As a first step, UNEG was mandated to intensify work on evaluable standards and baselines"),
    ("security", "行政首长协调会", "CEB", "noted", "2006 年秋季会议", "2006",
     "协调会在其 2006 年秋季会议上注意到安全和保障部自其设立以来所取得的进展",
     "At its autumn 2006 session CEB noted the progress of the Department of Safety and Security since its creation"),
    ("security", "管理问题高级别委员会", "HLCM", "established", "", "",
     "管理问题高级别委员会已经设立一个技术工作小组,将该部门的各项活动以及相应的筹资机制的优先顺序重新加以安排",
     "HLCM set up a technical working group to reprioritise the department's activities and their funding mechanism"),
    ("security", "行政首长协调会", "CEB", "reviewed", "", "",
     "协调会审查了联合国安全管理系统的经费筹措和尚待决定的联合国系统分摊费用方式的协定",
     "CEB reviewed the financing of the UN security management system and the pending agreement on the system's"
         " cost-sharing formula"),
    ("security", "行政首长协调会", "CEB", "noted", "", "",
     "协调会注意到这方面唯一悬而未决的事项是世界银行关于分摊费用的方式要等到联合国提供进一步的资料才能够表示是否同意",
     "CEB noted that the only open item was the World Bank's agreement to the cost-sharing formula, pending"
         " further information from the UN"),
    ("business_practices", "管理问题高级别委员会", "HLCM", "proposed", "", "",
     "提案涉及六个重大类别：贯穿各领域的一般管理问题、问责制和监督、数据库、人力资源管理；财政管理和知识分享",
     "The proposal covers six areas: cross-cutting general management, accountability and oversight, databases,"
         " human resources management, financial management and knowledge sharing"),
    ("business_practices", "管理问题高级别委员会", "HLCM", "established", "2007 年秋季会议", "2007",
     "委员会已经设立一个休会期间工作队进一步考虑这个问题，以便制定一项全面的行动计划，供行政首长协调会 2007"
         " 年秋季会议核可",
     "HLCM set up an intersessional task force to draw up a comprehensive action plan for CEB endorsement at its"
         " autumn 2007 session"),
    ("business_practices", "行政首长协调会", "CEB", "decided", "2007 年秋季会议", "2007",
     "协调会赞同管理问题高级别委员会关于制定一项行动计划草案的倡议，并且决定在其 2007 年秋季会议再讨论这个问题",
     "CEB endorsed HLCM's initiative for a draft action plan and decided to return to the matter at its autumn"
         " 2007 session"),
    ("evaluation", "方案问题高级别委员会和管理问题高级别委员会", "HLCP and HLCM", "endorsed", "", "",
     "方案问题高级别委员会和管理问题高级别委员会都赞同联合国评价小组建议采用的办法",
     "HLCP and HLCM both endorsed the approach proposed by UNEG (system-wide evaluation mechanism)"),
    ("ceb_review", "秘书长（代表行政首长协调会）", "Secretary-General (on behalf of CEB)", "requested",
     "2006 年 10 月的务虚会", "2006-10",
     "秘书长代表行政首长协调会要求劳工组织和世贸组织总干事主导审查行政首长协调会的职能，并且在行政首长协调会 2007"
         " 年 4 月会议上提出初步建议供其审议",
     "On behalf of CEB, the Secretary-General asked the Directors-General of ILO and WTO to lead a review of"
         " CEB's functioning, with preliminary recommendations for its April 2007 session"),
    ("ceb_review", "行政首长协调会", "CEB", "agreed", "", "",
     "行政首长协调会同意将联合国发展集团纳入行政首长协调会的框架内的提议",
     "CEB agreed to the proposal to bring UNDG within the CEB framework"),
    ("ceb_review", "行政首长协调会", "CEB", "endorsed", "", "",
     "行政首长协调会核可了关于审查的提案中所载的一般原则",
     "CEB endorsed the general principles set out in the review proposal"),
)
# (event code, date spec or '' (YYYY or YYYY/YYYY), quote, unofficial summary)
DAO_EVENTS = (
    ("world_summit", "2005", "Following the World Summit of 2005, where the need for UN reform was given new impetus",
     "2005 World Summit gives UN reform new impetus"),
    ("high_level_panel", "2006", "the Secretary-General established the High-level Panel on System-wide Coherence in"
        " 2006",
     "High-level Panel on System-wide Coherence established"),
    ("pilots_volunteered", "2007", "In 2007, eight countries volunteered to pilot the “Delivering as one” approach",
     "Eight countries volunteer to pilot Delivering as One"),
    ("country_led_evaluations", "2010/2011", "In 2010 and 2011, pilot programme countries undertook country-led"
        " evaluations",
     "Pilot countries' country-led evaluations"),
    ("independent_evaluation", "2012", "An independent evaluation of lessons learned from the “Delivering as one”"
        " pilot phase was completed in 2012",
     "Independent evaluation of the pilot phase completed"),
    ("ga_resolutions_63_11_64_289", "", "welcomed by the General Assembly in its resolutions 63/11 and 64/289 on"
        " system-wide coherence",
     "General Assembly resolutions 63/11 and 64/289 welcome the annual Delivering as One conferences (year not"
         " printed)"),
    ("ga_resolution_67_226", "", "In its resolution 67/226, the General Assembly, in the section on “Delivering as"
        " one” of the quadrennial comprehensive policy review, requested",
     "General Assembly resolution 67/226 (QCPR) requests standard operating procedures (year not printed)"),
)
CEB_COLUMNS = ["decision_id", "paragraph_no", "section_zh", "topic", "body_zh", "body_en", "decision_kind",
               "session_as_printed", "session_year", "session_month", "decision_zh", "decision_en",
               "translation_status", "source_doc", "source_ref"]
DAO_COLUMNS = ["event_no", "event_code", "year_start", "year_end", "text", "summary_en", "source_doc", "source_ref"]
_PARAGRAPH = re.compile(r"^(\d+)\. ")
_SECTION = re.compile(r"^([A-F一二三四五])\. (.+)$")
UNOFFICIAL = "unofficial translation"


def paragraph_and_section(lines: list[str], line_no: int) -> tuple[str, str]:
    """Paragraph number and section heading the line belongs to (scanning back from it)."""
    paragraph = section = ""
    for index in range(line_no - 1, -1, -1):
        if not paragraph and _PARAGRAPH.match(lines[index]):
            paragraph = _PARAGRAPH.match(lines[index]).group(1)
        found = _SECTION.match(lines[index])
        if paragraph and found and index > 60:
            section = lines[index]
            break
    return paragraph, section


def session_dates(spec: str) -> tuple[str, str]:
    """'2006' (an autumn session: no month printed) -> year only; '2006-10' -> year and month."""
    if not spec:
        return "", ""
    year, _, month = spec.partition("-")
    return year, month


def ceb_rows(sources_dir: Path) -> list[dict]:
    lines = seedio.read_lines(sources_dir, CEB_DOC)
    rows = []
    for n, (topic, body_zh, body_en, kind, session, spec, quote, english) in enumerate(CEB_DECISIONS, start=1):
        line = seedio.locate(lines, CEB_DOC, quote, start=60)
        paragraph, section = paragraph_and_section(lines, line)
        if session and seedio._squeeze(session) not in seedio._squeeze(quote) and \
                seedio._squeeze(session) not in seedio._squeeze(lines[line - 1]):
            raise seedio.SourceFormatError(CEB_DOC, line, f"session {session!r} is not printed with the decision")
        start, end = session_dates(spec)
        rows.append({"decision_id": f"CEB0607-D{n:02d}", "paragraph_no": paragraph, "section_zh": section,
                     "topic": topic, "body_zh": body_zh, "body_en": body_en, "decision_kind": kind,
                     "session_as_printed": session, "session_year": start, "session_month": end,
                     "decision_zh": quote, "decision_en": english, "translation_status": UNOFFICIAL,
                     "source_doc": CEB_DOC, "source_ref": f"paragraph {paragraph} (line {line})"})
    return rows


def dao_rows(sources_dir: Path) -> list[dict]:
    lines = seedio.read_lines(sources_dir, DAO_DOC)
    rows = []
    for n, (code, spec, quote, summary) in enumerate(DAO_EVENTS, start=1):
        line = seedio.locate(lines, DAO_DOC, quote)
        years = spec.split("/") if spec else ["", ""]
        for year in filter(None, years):
            if year not in quote:
                raise seedio.SourceFormatError(DAO_DOC, line, f"{code}: year {year} not printed in the quote")
        rows.append({"event_no": n, "event_code": code, "year_start": years[0], "year_end": years[-1],
                     "text": quote, "summary_en": summary, "source_doc": DAO_DOC, "source_ref": f"line {line}"})
    return rows


def main(sources_dir: Path | None = None, seeds_dir: Path | None = None) -> list[Path]:
    """Write seeds/context/ceb_2006_2007_decisions.csv and seeds/context/dao_timeline.csv."""
    sources_dir, seeds_dir = seedio.resolve_dirs(sources_dir, seeds_dir)
    out = seeds_dir / "context"
    return [seedio.write_csv(out / "ceb_2006_2007_decisions.csv", CEB_COLUMNS, ceb_rows(sources_dir)),
            seedio.write_csv(out / "dao_timeline.csv", DAO_COLUMNS, dao_rows(sources_dir))]


if __name__ == "__main__":
    seedio.cli(main)
