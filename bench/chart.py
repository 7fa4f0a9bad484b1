"""A small SVG bar chart of benchmark ratios, written by hand (no plotting library needed).

    .venv/bin/python bench/chart.py results.json docs/img/benchmarks.svg

Each work item gets one bar per ratio (ours/dbt CPU, ours/floor wall); a line marks 1.0,
where we would be exactly as fast as the other.
"""
from __future__ import annotations

import json
import statistics
import sys
from html import escape
from pathlib import Path

SERIES = (("ours / dbt (CPU)", "dbt", "cpu", "#4c78a8"), ("ours / raw DuckDB (wall)", "floor", "wall", "#f58518"))


def ratios(rows: list[dict]) -> list[tuple[str, list[float | None]]]:
    """(work, [ratio per series]) from run.py's JSON rows."""
    out = []
    for row in rows:
        def median(tool: str, what: str) -> float | None:
            values = [s[what] for s in row["samples"].get(tool, []) if s["rc"] == 0]
            return statistics.median(values) if values else None

        values = []
        for _, other, what, _ in SERIES:
            mine, theirs = median("ours", what), median(other, what)
            values.append(mine / theirs if mine and theirs else None)
        out.append((row["work"].replace("`", ""), values))
    return out


def svg(data: list[tuple[str, list[float | None]]], title: str) -> str:
    label_w, bar_w, row_h, bar_h, top = 360, 420, 34, 12, 58
    high = max([1.2] + [v for _, vs in data for v in vs if v is not None])
    scale = bar_w / high
    height = top + row_h * len(data) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 80}" height="{height}" '
             f'font-family="sans-serif" font-size="12">',
             '<rect width="100%" height="100%" fill="white"/>',
             f'<text x="10" y="20" font-size="15" font-weight="bold">{escape(title)}</text>']
    for i, (name, _, _, colour) in enumerate(SERIES):
        x = 10 + i * 220
        parts.append(f'<rect x="{x}" y="32" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{x + 18}" y="42">{escape(name)}</text>')
    for i, (work, values) in enumerate(data):
        y = top + i * row_h
        parts.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{escape(work[:58])}</text>')
        for j, value in enumerate(values):
            if value is None:
                continue
            colour = SERIES[j][3]
            by = y + j * (bar_h + 2)
            parts.append(f'<rect x="{label_w}" y="{by}" width="{value * scale:.1f}" height="{bar_h}" fill="{colour}"/>'
                         f'<text x="{label_w + value * scale + 4:.1f}" y="{by + 10}" font-size="10">{value:.2f}</text>')
    one = label_w + scale
    parts.append(f'<line x1="{one:.1f}" y1="{top - 6}" x2="{one:.1f}" y2="{height - 24}" stroke="#333" '
                 f'stroke-dasharray="4 3"/><text x="{one:.1f}" y="{height - 10}" text-anchor="middle">1.0 '
                 f'(as fast as the other)</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main(argv: list[str]) -> int:
    data = json.loads(Path(argv[0]).read_text())
    title = f"reform-warehouse vs dbt-duckdb and raw DuckDB ({data['environment']['date']}; lower is faster)"
    Path(argv[1]).write_text(svg(ratios(data["rows"]), title))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
