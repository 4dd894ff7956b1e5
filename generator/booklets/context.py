"""What a booklet's template sees (``context_of``): its records, chapters, groups, charts (SVG
drawn here) and follow-ups; and a record's body as cleaned HTML, with the same Markdown
extensions and allow-list as the site, for ``typst_markup`` to set.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from generator.booklets import pdf
from generator.booklets.selection import Booklet
from generator.config import markdown_settings
from generator.content.corpus import Entry
from generator.content.html_policy import clean
from generator.site import charts, render

# Markdown → HTML for booklets --------------------------------------------------------------


class _Links(Treeprocessor):
    """Links to records in the booklet point to their anchor; links to other records keep
    their address, for ``typst_markup`` to print as text; images use absolute paths; headings
    move down so that a record's own headings sit below its title."""

    def __init__(self, md: markdown.Markdown, booklet: Booklet, entry: Entry):
        super().__init__(md)
        self.booklet = booklet
        self.entry = entry
        self.present = {e.ref for e in booklet.records()}

    def run(self, root: ET.Element) -> None:
        corpus = self.booklet.edition.corpus
        for element in root.iter():
            if element.tag in ("h1", "h2", "h3", "h4"):
                element.tag = f"h{min(int(element.tag[1]) + 2, 6)}"
                element.attrib.pop("id", None)
            elif element.tag == "a":
                href = element.get("href", "")
                if re.match(r"^[a-z]+:", href) or href.startswith("#"):
                    continue
                target = os.path.normpath(os.path.join(self.entry.path.parent, href.split("#")[0]))
                relative = os.path.relpath(target, corpus.root).removesuffix(".md")
                record = corpus.find(relative)
                if record is not None and record.ref in self.present:
                    element.set("href", "#" + anchor(record))
            elif element.tag == "img":
                source = os.path.normpath(
                    os.path.join(self.entry.path.parent, element.get("src", ""))
                )
                element.set("src", Path(source).as_uri())


class _LinksExtension(Extension):
    def __init__(self, booklet: Booklet, entry: Entry):
        super().__init__()
        self.booklet, self.entry = booklet, entry

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_Links(md, self.booklet, self.entry), "jiandi_links", 1)


def anchor(entry: Entry) -> str:
    return f"{entry.kind}-{entry.id}"


def body_html(booklet: Booklet, entry: Entry, base: dict[str, Any]) -> str:
    names, configs = markdown_settings(base)
    converter = markdown.Markdown(
        extensions=[*names, _LinksExtension(booklet, entry)], extension_configs=configs
    )
    return clean(converter.convert(booklet.edition.body(entry)))


# Charts and figures ------------------------------------------------------------------------


def activity(booklet: Booklet) -> tuple[list[str], list[charts.Series]]:
    """Every month of the booklet's events, and per bureau its number of events in each."""
    months = charts.month_range(booklet.events, limit=None)
    return months, charts.activity(booklet.edition.bureaus, booklet.events, months)


def figures_of(booklet: Booklet) -> list[tuple[Any, Entry]]:
    if booklet.bureau is not None:
        return booklet.edition.key_figures(booklet.bureau)
    return [(f, e) for e in booklet.events for f in e.data.figures]


# Context -------------------------------------------------------------------------------


def chinese_number(n: int) -> str:
    """1 → 一, 23 → 二十三, 101 → 一百零一, 1010 → 一千零一十; past 9999, the digits."""
    digits = "零一二三四五六七八九"
    if not 0 <= n < 10000:
        return str(n)
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n - 10] if n > 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            out += ("零" if zero and out else "") + digits[digit] + unit
            zero = False
        else:
            zero = True
    return out


def chapters(booklet: Booklet) -> list[tuple[str, str, Sequence[Entry]]]:
    """The chapters of a bureau briefing: (anchor, title, records listed in the contents)."""
    items: list[tuple[str, str, Sequence[Entry]]] = [
        ("ch-about", "基本情况", []),
        ("ch-agreements", "共建协议与合作领域", booklet.agreements),
        ("ch-figures", "主要数据", []),
        ("ch-events", "本期活动", booklet.events),
    ]
    if booklet.earlier:
        items.append(("ch-earlier", "往期活动一览", []))
    items.append(("ch-policies", "相关政策解读", booklet.policies))
    if booklet.edition.internal:
        items.append(("ch-internal", "待办事项与联系人", []))
    return items


def groups(booklet: Booklet) -> list[tuple[str, list[Entry]]]:
    """The events of a period briefing, grouped by month or by bureau."""
    if booklet.group_by == "bureau":
        return [
            (bureau.data.title, [e for e in booklet.events if bureau.id in e.data.bureaus])
            for bureau in booklet.edition.bureaus
            if any(bureau.id in e.data.bureaus for e in booklet.events)
        ]
    by_month: dict[str, list[Entry]] = {}
    for event in booklet.events:
        day = event.data.date
        by_month.setdefault(f"{day.year}年{day.month}月", []).append(event)
    return list(by_month.items())


def context_of(booklet: Booklet, base: dict[str, Any]) -> dict[str, Any]:
    """What every booklet template sees, whichever engine prints it; the charts as SVG text
    and ``body`` (a record's body) are the engine's to give."""
    compiled = booklet.imprint.date
    months, series = activity(booklet)
    figures = figures_of(booklet)
    included = {e.ref for e in booklet.records()}
    author = base.get("site_author") or "湖南省雁北监狱"
    return {
        "b": booklet,
        "edition": booklet.edition,
        "compiled": compiled,
        "compiled_label": render.cndate(compiled),
        "imprint": booklet.imprint,
        "author": author,
        "compiler": booklet.imprint.compiler or author,
        "anchor": anchor,
        "months": months,
        "series": series,
        "activity_chart": charts.stacked_bars("各月活动数（按司法局）", months, series)
        if months
        else "",
        "figures": figures,
        "figure_charts": [c.svg for c in charts.figure_charts(figures)],
        "follow_ups": [(e, f) for e, f in booklet.edition.follow_ups() if e.ref in included],
        "today": booklet.imprint.date,  # overdue as of the issue: a rebuild prints the same
        "fonts": pdf,
        "chapters": chapters(booklet),
        "groups": groups(booklet),
        "contacts": [
            c for e in booklet.records() if e.data.internal for c in e.data.internal.contacts
        ]
        if booklet.edition.internal
        else [],
    }
