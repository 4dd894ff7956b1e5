"""Booklets to PDF with Typst: the Jinja2 templates in ``templates/booklet/*.typ.j2`` write
Typst markup, and the compiler inside the ``typst`` wheel sets it.

Every value a template prints is escaped as Typst text (the environment's ``finalize``), unless
it is Typst markup made here (``Typst``): no record can put Typst code into a booklet.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

import jinja2

from generator.booklets import context as contexts
from generator.booklets import pdf
from generator.booklets.selection import Booklet
from generator.booklets.typst_markup import Converter, Typst
from generator.booklets.typst_text import boxed_dates, escape, label, string
from generator.site import render


def _finalize(value: object) -> str:
    if isinstance(value, Typst):
        return str(value)
    return escape("" if value is None else value)


def tstr(value: object) -> Typst:
    """A value as a Typst string literal."""
    return Typst(string(str(value)))


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
        chinese_number=contexts.chinese_number,
        plain=lambda value: str(value),
        cell=lambda value: Typst(boxed_dates(str(value))),  # text of a table cell
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
    present = {contexts.anchor(e) for e in booklet.records()}
    topics = booklet.edition.topics
    context = contexts.context_of(booklet, base)
    context["body"] = lambda entry: Converter(present).convert(
        contexts.body_html(booklet, entry, base)
    )
    context["topic_names"] = lambda entry: "、".join(topics[t].name for t in entry.data.topics)
    context["activity_chart"] = str(context["activity_chart"])
    context["figure_charts"] = [str(svg) for svg in context["figure_charts"]]
    return env.get_template(f"booklet/{booklet.kind}.typ.j2").render(context)


# The process that has called the compiler. Typst runs on worker threads of its own, which a
# forked process does not have: a compile there waits for them forever. A process forked from
# one that has compiled (the live preview, a test run) hands its booklets to a fresh one.
_COMPILED_IN: int | None = None


def write_pdf(source: str, target: Path) -> None:
    """Compile ``source`` to ``target`` (PDF/A-2b, tagged, fonts embedded and subset)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if _COMPILED_IN is not None and os.getpid() != _COMPILED_IN:
        target.write_bytes(_compile_elsewhere(source))
    else:
        target.write_bytes(compile_pdf(source))


def compile_pdf(source: str) -> bytes:
    """The PDF of ``source``, set in this process."""
    global _COMPILED_IN
    import typst

    _COMPILED_IN = os.getpid()
    compile_ = cast(Any, typst.compile_with_warnings)  # its stub ties input and root to a type
    try:
        data, warnings = compile_(
            source.encode("utf-8"),
            root="/",
            # The PDF's dates are the booklet's own (``#set document(date: …)``), so the
            # same source gives the same bytes; nothing asks Typst for today.
            timestamp=0,
            pdf_standards="a-2b",
        )
    except typst.TypstError as error:  # an image it cannot read, say: check let it through
        raise pdf.PrintFailed(
            f"简报无法排版（Typst：{error}）。如果说的是一张图片，请检查它能否打开，或换一张；"
            "否则这是生成器的问题：请把这条信息报告给维护 jiandi 的同事"
        ) from None
    # A font Typst cannot find is set in another one (or as boxes): refused, not printed.
    missing = sorted({str(w) for w in warnings if "unknown font family" in str(w)})
    if missing:
        raise pdf.FontMissing(
            "Typst 找不到简报要用的字体（" + "；".join(missing) + "）：请安装 Debian 软件包 "
            "fonts-noto-cjk 和 fonts-arphic-ukai（make site 和 make test 会自动安装）"
        )
    return cast(bytes, data)


_FONT_MISSING = 3  # the exit code of a fresh process that found a font missing


def _compile_elsewhere(source: str) -> bytes:
    """``compile_pdf`` in a fresh Python process (see _COMPILED_IN)."""
    done = subprocess.run(
        [sys.executable, "-m", "generator.booklets.typeset"],
        input=source.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    if done.returncode == 0:
        return done.stdout
    message = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode == _FONT_MISSING:
        raise pdf.FontMissing(message)
    raise pdf.PrintFailed(message or f"简报无法排版（排版进程退出，代码 {done.returncode}）")


if __name__ == "__main__":  # the fresh process of _compile_elsewhere: source in, PDF out
    try:
        sys.stdout.buffer.write(compile_pdf(sys.stdin.buffer.read().decode("utf-8")))
    except pdf.FontMissing as problem:
        sys.stderr.write(str(problem))
        sys.exit(_FONT_MISSING)
    except pdf.PrintFailed as problem:
        sys.stderr.write(str(problem))
        sys.exit(1)
