"""Small SVG charts drawn at build time: no script, no external request, Chinese labels.

Used by booklets (and pages): officials read a chart faster than a table; the numbers are always
given as a table beside it as well, for screen readers and for checking.

The charts of the web pages: SVG files written into the edition at build time.

Home: events per month per bureau. Landing page: the bureau's events per month and its key
figures. Each chart is an image with alternative text; the page gives its numbers as a table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from generator.booklets.pdf import SANS
from generator.content.corpus import Entry
from generator.content.model import Bureau, Event, Figure
from generator.editions import Edition
from generator.site import render

PALETTE = ["#1f4e9c", "#c0392b", "#2e8b57", "#d4a017", "#6a3d9a", "#1f9bb5", "#e67e22", "#7f8c8d"]


@dataclass(frozen=True)
class Series:
    label: str
    values: dict[str, float]  # category (e.g. "2023-12") -> value


# In a PDF the font is embedded; in a browser the SVG is an image and uses the reader's fonts.
FONTS = f"{SANS}, Noto Sans SC, Microsoft YaHei, PingFang SC, Source Han Sans SC, sans-serif"


def _text(
    x: float, y: float, text: str, size: float = 10, anchor: str = "middle", fill: str = "#333"
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONTS}" font-size="{size}" '
        f'text-anchor="{anchor}" fill="{fill}">{escape(text)}</text>'
    )


def stacked_bars(
    title: str,
    categories: list[str],
    series: list[Series],
    width: float = 440,
    height: float = 220,
    font: float = 8,
    labels: list[str] | None = None,
) -> str:
    """A stacked bar per category (e.g. month), one colour per series (e.g. bureau). ``font``:
    the size of tick, bar and category labels (title and legend a little larger); ``labels``:
    what to write under each bar ("" for none), the categories themselves by default; a label
    may have a second line after a newline."""
    labels = labels if labels is not None else categories
    left, right, top = 12 + 3 * font, 10, 20 + font
    bottom = 4.5 * font + (14 + 1.3 * font if len(series) > 1 else 0)
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s.values.get(c, 0) for s in series) for c in categories]
    peak = max(totals + [1])
    step = max(1, round(peak / 4))
    bar_w = min(plot_w / max(len(categories), 1), 56)  # one month is a bar, not a wall
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{escape(title)}">',
        _text(width / 2, 8 + font, title, font + 4, fill="#000"),
    ]
    for tick in range(0, int(peak) + 1, step):
        y = top + plot_h - plot_h * tick / peak
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="#ddd" stroke-width="0.5"/>'
        )
        parts.append(_text(left - 4, y + font * 0.35, str(tick), font, "end"))
    for index, category in enumerate(categories):
        x = left + index * bar_w + bar_w * 0.15
        y = top + plot_h
        for colour, item in zip(PALETTE * 4, series, strict=False):
            value = item.values.get(category, 0)
            if not value:
                continue
            h = plot_h * value / peak
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w * 0.7:.1f}" '
                f'height="{h:.1f}" fill="{colour}"/>'
            )
        if totals[index]:
            parts.append(_text(x + bar_w * 0.35, y - 3, str(int(totals[index])), font))
        for line, text in enumerate(labels[index].split("\n") if labels[index] else []):
            below = top + plot_h + font * 1.4 + line * font * 1.25
            parts.append(_text(x + bar_w * 0.35, below, text, font))
    if len(series) > 1:
        legend_y = height - 10
        x = left
        for colour, item in zip(PALETTE * 4, series, strict=False):
            size = font + 1
            parts.append(
                f'<rect x="{x:.1f}" y="{legend_y - size:.1f}" width="{size:.0f}" '
                f'height="{size:.0f}" fill="{colour}"/>'
            )
            parts.append(_text(x + size + 3, legend_y, item.label, size, "start"))
            x += size * 2 + size * 1.1 * len(item.label)
            if x > width - 60:
                x, legend_y = left, legend_y + size * 1.4
    parts.append("</svg>")
    return "".join(parts)


def month_labels(months: list[str], room: int) -> list[str]:
    """Short labels for a row of months: "12月", with the year on a second line under the first
    month and each January; when more than ``room`` months, only every n-th is labelled."""
    every = max(1, -(-len(months) // room))
    labels = []
    for index, month in enumerate(months):
        year, number = month.split("-")
        if index % every:
            labels.append("")
            continue
        first = index == 0 or number == "01"
        labels.append(f"{int(number)}月" + (f"\n{year}" if first else ""))
    return labels


def web_bars(title: str, months: list[str], series: list[Series]) -> str:
    """The activity chart of a web page: drawn 340 units wide with 12-unit labels, so that on a
    390-px phone (the column is about 350 px) they are read at 12 px, not shrunk."""
    return stacked_bars(title, months, series, 340, 230, 12, month_labels(months, 8))


def horizontal_bars(
    title: str, rows: list[tuple[str, float, str]], width: float = 440, web: bool = False
) -> str:
    """One bar per (label, value, shown value); bars share one scale, so pass one unit only.
    ``web``: drawn 340 units wide with 12-unit text, each label on its own line above its bar,
    so that a 390-px phone shows the text at about 12 px."""
    font = 12.0 if web else 9.0
    width = 340 if web else width
    label_w = 0 if web else 170
    top, row_h = (30, 44) if web else (26, 22)
    height = top + row_h * len(rows) + 8
    peak = max([value for _label, value, _shown in rows] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{escape(title)}">',
        _text(width / 2, 16, title, font + 3, fill="#000"),
    ]
    for index, (label, value, shown) in enumerate(rows):
        y: float = top + index * row_h
        bar = (width - label_w - 12 - 5 * font) * value / peak
        colour = PALETTE[index % len(PALETTE)]
        if web:
            short = label if len(label) <= 26 else label[:25] + "…"
            parts.append(_text(2, y + font, short, font, "start"))
            y += font + 4
        else:
            short = label if len(label) <= 14 else label[:13] + "…"
            parts.append(_text(label_w - 6, y + 13, short, font, "end"))
        parts.append(
            f'<rect x="{label_w + 2}" y="{y + 3}" width="{bar:.1f}" height="14" fill="{colour}"/>'
        )
        parts.append(_text(label_w + bar + 6, y + 14, shown, font, "start"))
    parts.append("</svg>")
    return "".join(parts)


MAX_MONTHS = 24


@dataclass(frozen=True)
class Chart:
    path: str  # under docs/
    title: str
    months: list[str]
    series: list[Series]
    svg: str
    alt: str  # the chart in words, for the image's alternative text


def month_range(events: Sequence[Entry[Event]], limit: int | None = MAX_MONTHS) -> list[str]:
    """Every month from the first event to the last (the last ``limit`` at most), gaps included."""
    days = sorted(e.data.date for e in events)
    if not days:
        return []
    year, month = days[0].year, days[0].month
    months: list[str] = []
    while (year, month) <= (days[-1].year, days[-1].month):
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months[-limit:] if limit else months


def _activity_alt(title: str, series: list[Series]) -> str:
    counts = "，".join(f"{s.label}{int(sum(s.values.values()))}条" for s in series)
    return f"{title}：{counts}"


def activity(
    bureaus: Sequence[Entry[Bureau]], events: Sequence[Entry[Event]], months: list[str]
) -> list[Series]:
    """Per bureau (that has any), the number of its events in each month."""
    wanted = set(months)
    counted: dict[str, dict[str, float]] = {}
    for event in events:  # one pass over the events, not one per bureau
        day: dt.date = event.data.date
        key = f"{day.year}-{day.month:02d}"
        if key in wanted:
            for bureau_id in dict.fromkeys(event.data.bureaus):
                per_month = counted.setdefault(bureau_id, {})
                per_month[key] = per_month.get(key, 0.0) + 1
    result = []
    for bureau in bureaus:
        if bureau.id in counted:
            counts = {m: counted[bureau.id].get(m, 0.0) for m in months}
            result.append(Series(bureau.data.short_name, counts))
    return result


def plan(edition: Edition) -> dict[str, Chart]:
    """Charts by key: ``home``, ``bureaus/<id>`` and ``figures/<id>``."""
    planned: dict[str, Chart] = {}
    months = month_range(edition.events)
    if months:
        # Each news item counted once, whatever the number of bureaus it concerns.
        per_month: dict[str, float] = dict.fromkeys(months, 0.0)
        for event in edition.events:
            key = f"{event.data.date.year}-{event.data.date.month:02d}"
            if key in per_month:
                per_month[key] += 1
        series = [Series("新闻", per_month)]
        title = "各月新闻数"
        planned["home"] = Chart(
            "charts/activity.svg",
            title,
            months,
            series,
            web_bars(title, months, series),
            _activity_alt(title, series),
        )
    for bureau in edition.bureaus:
        events = edition.events_of(bureau)
        own_months = month_range(events)
        own = activity([bureau], events, own_months)
        if own:
            title = f"{bureau.data.short_name}各月新闻数"
            planned[f"bureaus/{bureau.id}"] = Chart(
                f"charts/bureaus/{bureau.id}.svg",
                title,
                own_months,
                own,
                web_bars(title, own_months, own),
                _activity_alt(title, own),
            )
        for number, chart in enumerate(
            figure_charts(edition.key_figures(bureau), web=True), start=1
        ):
            planned[f"figures/{bureau.id}/{number}"] = Chart(
                f"charts/figures/{bureau.id}-{number}.svg",
                chart.title,
                chart.months,
                [],
                chart.svg,
                chart.alt,
            )
    return planned


def figure_charts(figures: list[tuple[Figure, Entry]], web: bool = False) -> list[Chart]:
    """One horizontal bar chart per unit with two or more figures (units share no scale);
    ``web``: drawn for a page (see horizontal_bars), not for a booklet."""
    by_unit: dict[str, list[tuple[str, float, str]]] = {}
    for figure, _source in figures:
        by_unit.setdefault(figure.unit, []).append(
            (figure.label, float(figure.value), render.figure(figure))
        )
    made = []
    for unit, rows in by_unit.items():
        if len(rows) > 1:
            title = f"主要数据（单位：{unit or '个'}）"
            alt = title + "：" + "，".join(f"{label}{shown}" for label, _v, shown in rows)
            made.append(
                Chart(
                    "",
                    title,
                    [label for label, _v, _s in rows],
                    [],
                    horizontal_bars(title, rows, web=web),
                    alt,
                )
            )
    return made


def write(edition: Edition, docs: Path) -> dict[str, Chart]:
    planned = plan(edition)
    for chart in planned.values():
        target = docs / chart.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(chart.svg, encoding="utf-8")
    return planned
