"""Small SVG charts drawn at build time: no script, no external request, Chinese labels.

Used by booklets (and pages): officials read a chart faster than a table; the numbers are always
given as a table beside it as well, for screen readers and for checking.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from generator.booklets.pdf import SANS

PALETTE = ["#1f4e9c", "#c0392b", "#2e8b57", "#d4a017", "#6a3d9a", "#1f9bb5", "#e67e22", "#7f8c8d"]


@dataclass(frozen=True)
class Series:
    label: str
    values: dict[str, float]  # category (e.g. "2023-12") -> value


# In a PDF the font is embedded; in a browser the SVG is an image and uses the reader's fonts.
FONTS = f"{SANS}, Noto Sans SC, Microsoft YaHei, PingFang SC, Source Han Sans SC, sans-serif"


def _text(x: float, y: float, text: str, size: float = 10, anchor: str = "middle",
          fill: str = "#333") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONTS}" font-size="{size}" '
            f'text-anchor="{anchor}" fill="{fill}">{escape(text)}</text>')


def stacked_bars(title: str, categories: list[str], series: list[Series],
                 width: float = 440, height: float = 220) -> str:
    """A stacked bar per category (e.g. month), one colour per series (e.g. bureau)."""
    left, right, top, bottom = 36, 10, 28, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s.values.get(c, 0) for s in series) for c in categories]
    peak = max(totals + [1])
    step = max(1, round(peak / 4))
    bar_w = min(plot_w / max(len(categories), 1), 56)  # one month is a bar, not a wall
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
             f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{escape(title)}">',
             _text(width / 2, 16, title, 12, fill="#000")]
    for tick in range(0, int(peak) + 1, step):
        y = top + plot_h - plot_h * tick / peak
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                     f'stroke="#ddd" stroke-width="0.5"/>')
        parts.append(_text(left - 4, y + 3, str(tick), 8, "end"))
    for index, category in enumerate(categories):
        x = left + index * bar_w + bar_w * 0.15
        y = top + plot_h
        for colour, item in zip(PALETTE * 4, series):
            value = item.values.get(category, 0)
            if not value:
                continue
            h = plot_h * value / peak
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w * 0.7:.1f}" '
                         f'height="{h:.1f}" fill="{colour}"/>')
        if totals[index]:
            parts.append(_text(x + bar_w * 0.35, y - 3, str(int(totals[index])), 8))
        parts.append(_text(x + bar_w * 0.35, top + plot_h + 12, category, 8))
    legend_y = height - 22
    x = left
    for colour, item in zip(PALETTE * 4, series):
        parts.append(f'<rect x="{x:.1f}" y="{legend_y - 8:.1f}" width="9" height="9" '
                     f'fill="{colour}"/>')
        parts.append(_text(x + 12, legend_y, item.label, 9, "start"))
        x += 18 + 10 * len(item.label)
        if x > width - 60:
            x, legend_y = left, legend_y + 13
    parts.append("</svg>")
    return "".join(parts)


def horizontal_bars(title: str, rows: list[tuple[str, float, str]], width: float = 440) -> str:
    """One bar per (label, value, shown value); bars share one scale, so pass one unit only."""
    label_w, top, row_h = 170, 26, 22
    height = top + row_h * len(rows) + 8
    peak = max([value for _label, value, _shown in rows] + [1])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
             f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{escape(title)}">',
             _text(width / 2, 16, title, 12, fill="#000")]
    for index, (label, value, shown) in enumerate(rows):
        y = top + index * row_h
        bar = (width - label_w - 60) * value / peak
        short = label if len(label) <= 14 else label[:13] + "…"
        parts.append(_text(label_w - 6, y + 13, short, 9, "end"))
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar:.1f}" height="14" '
                     f'fill="{PALETTE[index % len(PALETTE)]}"/>')
        parts.append(_text(label_w + bar + 4, y + 13, shown, 9, "start"))
    parts.append("</svg>")
    return "".join(parts)
