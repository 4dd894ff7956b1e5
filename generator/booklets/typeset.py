"""Booklets to PDF with Typst: the Jinja2 templates in ``templates/booklet/*.typ.j2`` write
Typst markup, and the compiler inside the ``typst`` wheel sets it.

Every value a template prints is escaped as Typst text (the environment's ``finalize``), unless
it is Typst markup made here (``Typst``): no record can put Typst code into a booklet.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, cast

import jinja2

from generator.booklets import html, pdf
from generator.booklets.selection import Booklet
from generator.booklets.typst_markup import Converter, Typst, escape, label
from generator.site import charts, render


def _finalize(value: object) -> str:
    if isinstance(value, Typst):
        return str(value)
    return escape("" if value is None else value)


def tstr(value: object) -> Typst:
    """A value as a Typst string literal."""
    text = str(value)
    return Typst('"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"')


def date_box(day: dt.date | None) -> Typst:
    """A date that never breaks across lines (``2024年2月29日``), or a dash."""
    return Typst(f"#box[{escape(render.cndate(day))}]") if day else Typst("—")


def date_box_text(text: str) -> Typst:
    return Typst(f"#box[{escape(text)}]")


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        auto_reload=False,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=_finalize,
        keep_trailing_newline=True,
    )
    env.filters.update(
        cndate=render.cndate,
        cnasof=render.cnasof,
        figure=render.figure,
        chinese_number=html.chinese_number,
        plain=lambda value: str(value),
        tstr=tstr,
    )
    env.globals.update(
        label=lambda name: Typst(label(name)),
        date_box=date_box,
        date_box_text=date_box_text,
        overdue=render.overdue,
    )
    return env


def render_typst(booklet: Booklet, env: jinja2.Environment, base: dict[str, Any]) -> str:
    """The Typst source of one booklet."""
    compiled = pdf.build_date()
    months, series = html.activity(booklet)
    figures = html.figures_of(booklet)
    included = {e.ref for e in booklet.records()}
    present = {html.anchor(e) for e in booklet.records()}
    follow_ups = [(e, f) for e, f in booklet.edition.follow_ups() if e.ref in included]
    topics = booklet.edition.topics

    def body(entry: Any) -> Typst:
        return Converter(present).convert(str(html.body_html(booklet, entry, base)))

    context = {
        "b": booklet,
        "edition": booklet.edition,
        "compiled": compiled,
        "compiled_label": render.cndate(compiled.date()),
        "author": base.get("site_author") or "湖南省雁北监狱",
        "body": body,
        "anchor": html.anchor,
        "topic_names": lambda entry: "、".join(topics[t].name for t in entry.data.topics),
        "months": months,
        "series": series,
        "activity_chart": str(charts.stacked_bars("各月活动数（按司法局）", months, series))
        if months
        else "",
        "figures": figures,
        "figure_charts": [str(c.svg) for c in charts.figure_charts(figures)],
        "follow_ups": follow_ups,
        "today": booklet.edition.corpus.now.date(),
        "fonts": pdf,
        "chapters": html.chapters(booklet),
        "groups": html.groups(booklet),
        "contacts": [
            c for e in booklet.records() if e.data.internal for c in e.data.internal.contacts
        ]
        if booklet.edition.internal
        else [],
    }
    template = f"booklet/{booklet.kind}.typ.j2"
    return env.get_template(template).render(context)


def write_pdf(source: str, target: Path) -> None:
    """Compile ``source`` to ``target`` (PDF/A-2b, tagged, fonts embedded and subset)."""
    import typst

    target.parent.mkdir(parents=True, exist_ok=True)
    moment = pdf.build_date()
    compile_ = cast(Any, typst.compile)  # its stub ties input, output and root to one type
    data: bytes = compile_(
        source.encode("utf-8"),
        root="/",
        timestamp=int(moment.timestamp()),
        pdf_standards="a-2b",
    )
    target.write_bytes(data)
