"""The charts of the web pages: SVG files written into the edition at build time.

Home: events per month per bureau. Landing page: the bureau's events per month and its key
figures. Each chart is an image with alternative text; the page gives its numbers as a table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator.content.load import Entry
from generator.content.model import Figure
from generator.editions import Edition
from generator.site import charts, render

MAX_MONTHS = 24


@dataclass(frozen=True)
class Chart:
    path: str  # under docs/
    title: str
    months: list[str]
    series: list[charts.Series]
    svg: str
    alt: str  # the chart in words, for the image's alternative text


def month_range(events: list[Entry], limit: int | None = MAX_MONTHS) -> list[str]:
    """Every month from the first event to the last (the last ``limit`` at most), gaps included."""
    days = sorted(e.data.date for e in events)  # type: ignore[attr-defined]
    if not days:
        return []
    year, month = days[0].year, days[0].month
    months: list[str] = []
    while (year, month) <= (days[-1].year, days[-1].month):
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months[-limit:] if limit else months


def _activity_alt(title: str, series: list[charts.Series]) -> str:
    counts = "，".join(f"{s.label}{int(sum(s.values.values()))}项" for s in series)
    return f"{title}：{counts}"


def activity(bureaus: list[Entry], events: list[Entry], months: list[str]) -> list[charts.Series]:
    """Per bureau (that has any), the number of its events in each month."""
    wanted = set(months)
    counted: dict[str, dict[str, float]] = {}
    for event in events:  # one pass over the events, not one per bureau
        day: dt.date = event.data.date  # type: ignore[attr-defined]
        key = f"{day.year}-{day.month:02d}"
        if key in wanted:
            for bureau_id in dict.fromkeys(event.data.bureaus):
                per_month = counted.setdefault(bureau_id, {})
                per_month[key] = per_month.get(key, 0.0) + 1
    result = []
    for bureau in bureaus:
        if bureau.id in counted:
            counts = {m: counted[bureau.id].get(m, 0.0) for m in months}
            result.append(charts.Series(bureau.data.short_name, counts))  # type: ignore[attr-defined]
    return result


def plan(edition: Edition) -> dict[str, Chart]:
    """Charts by key: ``home``, ``bureaus/<id>`` and ``figures/<id>``."""
    planned: dict[str, Chart] = {}
    months = month_range(edition.events)
    series = activity(edition.bureaus, edition.events, months)
    if series:
        title = "各月活动数（按司法局）"
        planned["home"] = Chart("charts/activity.svg", title, months, series,
                                charts.stacked_bars(title, months, series),
                                _activity_alt(title, series))
    for bureau in edition.bureaus:
        events = edition.concerning(bureau, "events")
        own_months = month_range(events)
        own = activity([bureau], events, own_months)
        if own:
            title = f"{bureau.data.short_name}各月活动数"  # type: ignore[attr-defined]
            planned[f"bureaus/{bureau.id}"] = Chart(
                f"charts/bureaus/{bureau.id}.svg", title, own_months, own,
                charts.stacked_bars(title, own_months, own), _activity_alt(title, own))
        for number, chart in enumerate(figure_charts(edition.key_figures(bureau)), start=1):
            planned[f"figures/{bureau.id}/{number}"] = Chart(
                f"charts/figures/{bureau.id}-{number}.svg", chart.title, chart.months, [],
                chart.svg, chart.alt)
    return planned


def figure_charts(figures: list[tuple[Figure, Entry]]) -> list[Chart]:
    """One horizontal bar chart per unit with two or more figures (units share no scale)."""
    by_unit: dict[str, list[tuple[str, float, str]]] = {}
    for figure, _source in figures:
        by_unit.setdefault(figure.unit, []).append(
            (figure.label, float(figure.value), render.figure(figure)))
    made = []
    for unit, rows in by_unit.items():
        if len(rows) > 1:
            title = f"主要数据（单位：{unit or '个'}）"
            alt = title + "：" + "，".join(f"{label}{shown}" for label, _v, shown in rows)
            made.append(Chart("", title, [label for label, _v, _s in rows], [],
                              charts.horizontal_bars(title, rows), alt))
    return made


def write(edition: Edition, docs: Path) -> dict[str, Chart]:
    planned = plan(edition)
    for chart in planned.values():
        target = docs / chart.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(chart.svg, encoding="utf-8")
    return planned
