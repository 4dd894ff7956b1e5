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
from generator.site import render


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
    present = {html.anchor(e) for e in booklet.records()}
    topics = booklet.edition.topics
    context = html.context_of(booklet, base)
    context["body"] = lambda entry: Converter(present).convert(
        str(html.body_html(booklet, entry, base))
    )
    context["topic_names"] = lambda entry: "、".join(topics[t].name for t in entry.data.topics)
    context["activity_chart"] = str(context["activity_chart"])
    context["figure_charts"] = [str(svg) for svg in context["figure_charts"]]
    return env.get_template(f"booklet/{booklet.kind}.typ.j2").render(context)


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
