"""Extract the reform actions of WHO document EB152/34 (Chinese edition) into seed CSVs.

The source is a PDF flattened to text: each table row is one tab-separated line, a cell's own
line wraps became spaces, the two-line table header repeats on every page, a few cell fragments
spill onto a line of their own after a page break, and unnumbered rows are headings (thematic
category or functional area) rather than actions. The parser reads that structure - header
labels decide which column is which - instead of hard-coding any row.

Run as a script (``python seeds/extract/eb152_34.py``) or call :func:`main`.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE_FILE = "002_9d0e41a0e7538786.txt"
OUT_SUBDIR = "eb152_34"
PLAN_CODE = "EB152/34"

# Paragraph 6 lists the categories "in alphabetical order" (of the English edition), so the English
# names must sort in the printed order: (2) therefore starts with C ("Country-level impact"), not I.
CATEGORY_EN = {
    "问责职能和制度": "Accountability functions and systems",
    "在国家级的影响": "Country-level impact",
    "资金": "Financing",
    "治理": "Governance",
    "人力资源": "Human resources",
    "规划预算": "Programme budget / planning",
    "资源筹措": "Resource mobilization",
    "其他事项": "Other matters",
}

# Our English renderings of the functional areas as printed (category prefix removed).
FUNCTIONAL_AREA_EN = {
    "审计/评价": "Audit/evaluation",
    "下放权力": "Delegation of authority",
    "预防和应对性剥削、性虐待和性骚扰": "Preventing and responding to sexual exploitation, abuse and harassment",
    "风险管理": "Risk management",
    "内部监督服务司改革和道德操守": "Internal oversight services reform and ethics",
    "在国家级的影响": "Country-level impact",
    "资源分配": "Resource allocation",
    "与规划预算保持一致": "Alignment with the programme budget",
    "财务管理": "Financial management",
    "报告": "Reporting",
    "使用多种语言": "Multilingualism",
    "最佳做法审查": "Review of best practices",
    "规划、预算和行政委员会的作用": "Role of the Programme, Budget and Administration Committee",
    "决议成本核算": "Costing of resolutions",
    "决议的成本计算": "Costing of resolutions",
    "人力资源": "Human resources",
    "新举措": "New initiatives",
    "制订计划/提高效率": "Planning/efficiency",
    "报告情况": "Reporting",
    "资源筹措": "Resource mobilization",
    "专家组": "Expert groups",
}

# Header label (whitespace removed) -> output field. Timeline columns are named by the header's
# second line (2023 年 / 2024 年 / 2025 年及以后), which overrides the merged label above them.
HEADER_FIELDS = (
    ("编号", "action_no"),
    ("职能领域", "functional_area"),
    ("秘书处在职能领域内", "action_zh"),
    ("目标或要解决", "objective_zh"),
    ("已编入预算", "budget_status_raw"),
    ("估计交付成本", "estimated_cost_raw"),
    ("活动或可交付成果完成时间", "timeline_2023_raw"),
    ("2023", "timeline_2023_raw"),
    ("2024", "timeline_2024_raw"),
    ("2025", "timeline_2025_plus_raw"),
    ("当前实施状态", "status_raw"),
    ("秘书处的一般性意见", "comment_zh"),
)

ACTION_COLUMNS = (
    "plan_code", "annex", "action_no", "action_id", "category_zh", "category_en",
    "functional_area_zh", "functional_area_en", "action_zh", "objective_zh", "budget_status_raw",
    "estimated_cost_raw", "timeline_2023_raw", "timeline_2024_raw", "timeline_2025_plus_raw",
    "status_raw", "comment_zh", "source_doc", "source_ref",
)
GROUP_COLUMNS = (
    "annex", "group_seq", "row_kind", "category_zh", "functional_area_zh", "text_zh",
    "objective_zh", "other_cells_raw", "follows_action_no", "source_doc", "source_ref",
)
BUDGET_COLUMNS = (
    "action_id", "annex", "action_no", "budget_status_raw", "estimated_cost_raw", "cost_low_usd",
    "cost_high_usd", "cost_basis", "no_figure_reason", "has_figure", "source_doc", "source_ref",
)

# Characters between which a space can only be a line wrap inside a PDF cell (Chinese text has
# no word spaces). Digits and Latin letters are excluded: "2022 年", "100 000", "ATI 得分" keep theirs.
_TIGHT = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\u201c\u201d\u2018\u2019/"
_WRAP_SPACE = re.compile(f"(?<=[{_TIGHT}]) (?=[{_TIGHT}])")
# One comment cell (Annex 1 #36) carries HTML paragraph tags left over from the conversion.
_HTML_PARA = re.compile(r"\s*</?p>\s*")
# Corrections: spaces that are paragraph breaks, not line wraps, so they are kept. In Annex 2 #13
# and #14 the action cell opens with a heading (the first is the Annex 1 subheading of line 162)
# followed by the action on a new line; removing the space would run heading and sentence together.
KEPT_BREAKS = ("报告机制 更新了", "道德操守职能 根据")
_ANNEX_TITLE = re.compile(r"^附件\s*(\d+)$")
_YEAR_CELL = re.compile(r"^\d{4}\s*年")
_CATEGORY_NUMBER = re.compile(r"^\d+\.\s*")
_PARA7 = re.compile(r"总共\s*(\d+)\s*项行动，其中\s*(\d+)\s*项.*?其余\s*(\d+)\s*项")


def clean(text: str) -> str:
    """Join a cell's wrapped fragments: drop conversion tags and wrap spaces, keep real spaces."""
    text = " ".join(_HTML_PARA.sub(" ", text).split())
    for phrase in KEPT_BREAKS:
        text = text.replace(phrase, phrase.replace(" ", "\0"))
    return _WRAP_SPACE.sub("", text).replace("\0", " ")


@dataclass
class Record:
    """One logical table row, its cells kept as fragments until every continuation is seen."""

    annex: int
    line_no: int
    kind: str  # action | category_heading | subheading
    category_zh: str
    follows_action_no: str
    fields: list[str]
    fragments: list[list[str]] = field(default_factory=list)

    def add(self, cells: list[str]) -> None:
        """Append one physical line's cells, column by column."""
        if not self.fragments:
            self.fragments = [[] for _ in cells]
        for parts, cell in zip(self.fragments, cells):
            if cell.strip():
                parts.append(cell)

    def cell(self, name: str) -> str:
        """The joined text of the named column ('' when the annex has no such column)."""
        if name not in self.fields:
            return ""
        return clean(" ".join(self.fragments[self.fields.index(name)]))

    def cells(self) -> list[str]:
        """All joined cells in printed order."""
        return [clean(" ".join(parts)) for parts in self.fragments]


def column_map(header: list[str], years: list[str] | None) -> list[str | None]:
    """Name each column from the header labels, so a column shift on some page cannot go unseen.

    Columns still unlabelled (the 2024 / 2025 cells before the header's year line) stay None.
    """
    names: list[str | None] = []
    for i, label in enumerate(header):
        label = "".join((years[i] if years and years[i].strip() else label).split())
        names.append(next((f for key, f in HEADER_FIELDS if label.startswith(key)), None))
        if label and names[-1] is None:
            raise ValueError(f"unrecognised header label {label!r}")
    labelled = [n for n in names if n]
    if len(set(labelled)) != len(labelled):
        raise ValueError(f"ambiguous header {names}")
    return names


def split_functional_area(raw: str, category: str) -> str:
    """Drop the category prefix the PDF prints in the functional-area cell ('资金 财务管理').

    The prefix is a short form of the category ('问责职能' for '问责职能和制度'), so the longest
    common prefix of at least two characters is removed. When nothing is left (cells reading
    just '人力资源'), the cell is itself the functional area.
    """
    common = 0
    while common < min(len(raw), len(category)) and raw[common] == category[common]:
        common += 1
    rest = clean(raw[common:]) if common >= 2 else clean(raw)
    return rest or clean(raw)


class Parser:
    """Walks the table lines of both annexes and builds action and group records."""

    def __init__(self) -> None:
        self.records: list[Record] = []
        self.annex = 0
        self.fields: list[str | None] = []
        self.header: list[str] | None = None
        self.category = ""
        self.last_action = ""

    def feed(self, line_no: int, line: str) -> None:
        """Route one physical line: annex title, header, heading, action or continuation."""
        title = _ANNEX_TITLE.match(line.strip())
        if title:
            self.annex, self.category, self.last_action = int(title.group(1)), "", ""
        elif "\t" in line and self.annex:
            self.feed_row(line_no, line.split("\t"))

    def feed_row(self, line_no: int, cells: list[str]) -> None:
        """Classify a tab-separated line by which cells are filled."""
        first, filled = cells[0].strip(), [c for c in cells if c.strip()]
        if first == "编号":
            self.header, self.fields = cells, column_map(cells, None)
            return
        if self.header and filled and all(_YEAR_CELL.match(c.strip()) for c in filled):
            self.fields, self.header = column_map(self.header, cells), None
            return
        self.header = None
        if None in self.fields or len(cells) != len(self.fields):
            raise ValueError(f"line {line_no}: {len(cells)} cells, header has {len(self.fields)}")
        if not first and not cells[1].strip():
            self.records[-1].add(cells)  # a cell fragment pushed past a page break
            return
        if first.isdigit():
            kind = "action"
        elif filled == [cells[0]]:
            kind, self.category = "category_heading", _CATEGORY_NUMBER.sub("", first)
        else:
            kind = "subheading"
        self.start(line_no, kind, cells)
        if kind == "action":
            self.last_action = first

    def start(self, line_no: int, kind: str, cells: list[str]) -> None:
        """Open a new record under the current annex and category."""
        record = Record(self.annex, line_no, kind, self.category, self.last_action, self.fields)
        record.add(cells)
        self.records.append(record)


def parse(text: str) -> list[Record]:
    """Parse the whole document and check the action counts against paragraph 7."""
    parser = Parser()
    for line_no, line in enumerate(text.splitlines(), start=1):
        parser.feed(line_no, line)
    check_counts(text, parser.records)
    return parser.records


def check_counts(text: str, records: list[Record]) -> None:
    """Fail unless actions are numbered 1..n per annex and match the totals of paragraph 7."""
    stated = _PARA7.search(text)
    if not stated:
        raise ValueError("paragraph 7 (total, implemented, ongoing actions) not found")
    total, implemented, ongoing = map(int, stated.groups())
    for annex, expected in ((1, ongoing), (2, implemented)):
        numbers = [int(r.cell("action_no")) for r in records if r.kind == "action" and r.annex == annex]
        if numbers != list(range(1, expected + 1)):
            raise ValueError(f"Annex {annex}: actions {numbers}, paragraph 7 says {expected}")
    if implemented + ongoing != total:
        raise ValueError("paragraph 7 totals do not add up")


def functional_area(record: Record) -> str:
    """Functional area of a row; unnumbered rows sometimes print it in the number column."""
    raw = " ".join(record.fragments[1]) or " ".join(record.fragments[0])
    return split_functional_area(" ".join(raw.split()), record.category_zh) if raw.strip() else ""


def action_row(record: Record) -> dict[str, str]:
    """One eb152_actions row."""
    no = int(record.cell("action_no"))
    area = functional_area(record)
    row = {name: record.cell(name) for name in ACTION_COLUMNS if name in record.fields}
    row.update(
        plan_code=PLAN_CODE, annex=str(record.annex), action_no=str(no),
        action_id=action_id(record.annex, no), category_zh=record.category_zh,
        category_en=CATEGORY_EN[record.category_zh], functional_area_zh=area,
        functional_area_en=FUNCTIONAL_AREA_EN[area], source_doc=SOURCE_FILE,
        source_ref=f"Annex {record.annex}, action {no}",
    )
    return {name: row.get(name, "") for name in ACTION_COLUMNS}


def action_id(annex: int, no: int) -> str:
    """Stable key, e.g. EB152-A1-025."""
    return f"EB152-A{annex}-{no:03d}"


def group_row(record: Record, seq: int) -> dict[str, str]:
    """One eb152_action_groups row; cells past the objective are kept together because the
    unnumbered rows do not keep to the column grid (some start in the number column)."""
    heading = record.kind == "category_heading"
    others = [c for c in record.cells()[4:] if c]  # past number, area, text and objective
    return {
        "annex": str(record.annex), "group_seq": str(seq), "row_kind": record.kind,
        "category_zh": record.category_zh,
        "functional_area_zh": "" if heading else functional_area(record),
        "text_zh": record.cells()[0] if heading else record.cell("action_zh"),
        "objective_zh": "" if heading else record.cell("objective_zh"),
        "other_cells_raw": " | ".join(others), "follows_action_no": record.follows_action_no,
        "source_doc": SOURCE_FILE,
        "source_ref": f"Annex {record.annex}, unnumbered row {seq} (line {record.line_no})",
    }


# Cost cells without an amount -> reason code. Checked in order: '待确认(待完成)' is to_be_confirmed.
NO_FIGURE_REASONS = (("待确认", "to_be_confirmed"), ("待完成", "to_be_completed"), ("工作人员工时", "staff_time"))
DASHES = {"-", "–", "—"}
# Cost-basis markers in the cost cell; the comment can add '提供双年度费用' (per biennium).
BASIS_MARKERS = (("每次国家访问", "per_visit"), ("每年", "per_year"))
BIENNIUM_MARKER = "提供双年度费用"
_AMOUNT = re.compile(r"\d+(?: \d{3})*")
_PARENTHESES = re.compile(r"[(（][^)）]*[)）]")


@dataclass(frozen=True)
class Cost:
    """A parsed estimated-cost cell."""

    low: int | None
    high: int | None
    basis: str
    no_figure_reason: str

    @property
    def has_figure(self) -> bool:
        return self.low is not None


def parse_cost(raw: str, comment: str = "") -> Cost:
    """Read an amount, range ('100 000– 150 000') or open range ('40 000+') in US$.

    Spaces are thousands separators; notes in parentheses ('(两项评价工作)') are not amounts.
    """
    text = clean(raw)
    amounts = [int(a.replace(" ", "")) for a in _AMOUNT.findall(_PARENTHESES.sub("", text))]
    if not amounts:
        return Cost(None, None, "", no_figure_reason(text))
    if len(amounts) > 2:
        raise ValueError(f"cannot read cost {raw!r}")
    basis = next((b for marker, b in BASIS_MARKERS if marker in text), "")
    basis = basis or ("per_biennium" if BIENNIUM_MARKER in comment else "one_off")
    if len(amounts) == 2:
        return Cost(amounts[0], amounts[1], basis, "")
    high = None if re.search(r"\d\s*\+", text) else amounts[0]
    return Cost(amounts[0], high, basis, "")


def no_figure_reason(text: str) -> str:
    """Short code for a cost cell that gives no amount; 'other' for anything unforeseen."""
    if not text:
        return "blank"
    if text in DASHES:
        return "dash"
    return next((code for marker, code in NO_FIGURE_REASONS if marker in text), "other")


def budget_row(action: dict[str, str]) -> dict[str, str]:
    """One eb152_budget_lines row for an Annex 1 action."""
    cost = parse_cost(action["estimated_cost_raw"], action["comment_zh"])
    return {
        "action_id": action["action_id"], "annex": action["annex"], "action_no": action["action_no"],
        "budget_status_raw": action["budget_status_raw"],
        "estimated_cost_raw": action["estimated_cost_raw"],
        "cost_low_usd": "" if cost.low is None else str(cost.low),
        "cost_high_usd": "" if cost.high is None else str(cost.high),
        "cost_basis": cost.basis, "no_figure_reason": cost.no_figure_reason,
        "has_figure": "true" if cost.has_figure else "false",
        "source_doc": SOURCE_FILE, "source_ref": action["source_ref"],
    }


def build_tables(text: str) -> dict[str, tuple[tuple[str, ...], list[dict[str, str]]]]:
    """All three seed tables (columns, rows), in document order."""
    records = parse(text)
    actions = [action_row(r) for r in records if r.kind == "action"]
    groups = []
    for annex in (1, 2):
        in_annex = [r for r in records if r.kind != "action" and r.annex == annex]
        groups += [group_row(r, seq) for seq, r in enumerate(in_annex, start=1)]
    budget = [budget_row(a) for a in actions if a["annex"] == "1"]
    return {
        "eb152_actions": (ACTION_COLUMNS, actions),
        "eb152_action_groups": (GROUP_COLUMNS, groups),
        "eb152_budget_lines": (BUDGET_COLUMNS, budget),
    }


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    """UTF-8, '\\n' line endings, csv-module quoting: byte-identical on every run."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(sources_dir: Path | None = None, seeds_dir: Path | None = None) -> list[Path]:
    """Extract EB152/34 into ``<seeds_dir>/eb152_34/*.csv`` and return the written paths."""
    sources_dir = Path(sources_dir) if sources_dir else ROOT / "sources"
    out_dir = (Path(seeds_dir) if seeds_dir else ROOT / "seeds") / OUT_SUBDIR
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = build_tables((sources_dir / SOURCE_FILE).read_text(encoding="utf-8"))
    paths = []
    for name, (columns, rows) in tables.items():
        paths.append(out_dir / f"{name}.csv")
        write_csv(paths[-1], columns, rows)
    return paths


if __name__ == "__main__":
    for written in main():
        print(written)
