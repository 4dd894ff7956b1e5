"""Booklets are set by Typst: text from records is escaped, so it prints as written and can
never run as Typst code; the sample's booklets print."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.conftest import SAMPLE, jiandi

NASTY = [
    '#import "x": *',
    '] #panic("x") [',
    "// 注释",
    "= 标题",
    "- 列表",
    "1. 编号",
    "$x^2$",
    "<lbl>",
    "@ref",
    "\\",
    "*粗*_斜_",
    "`code`",
    "~",
    "/* c */",
    "#{ 1 + 1 }",
    "http://x.cn/a_b",
]


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout


def test_text_prints_as_written_and_never_runs(tmp_path):
    import typst

    from generator.booklets.typst_markup import Converter

    html = "".join(
        "<p>" + t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</p>"
        for t in NASTY
    )
    source = '#set text(font: "Noto Serif CJK SC", lang: "zh")\n' + Converter(set()).convert(html)
    (tmp_path / "t.typ").write_text(source, "utf-8")
    typst.compile(str(tmp_path / "t.typ"), output=str(tmp_path / "t.pdf"))
    text = _text(tmp_path / "t.pdf")
    assert [t for t in NASTY if t not in text] == []


def test_a_template_value_is_escaped_unless_it_is_typst(tmp_path):
    from generator.booklets.typeset import environment

    (tmp_path / "t.typ.j2").write_text("{{ value }}|{{ mark }}", "utf-8")
    env = environment(tmp_path)
    from generator.booklets.typst_markup import Typst

    out = env.get_template("t.typ.j2").render(value='#panic("x")', mark=Typst("#strong[x]"))
    assert out == '\\#panic(\\"x\\")|#strong[x]'


def test_the_samples_internal_briefing_prints(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "content")
    run = jiandi(
        "booklet", "bureau", "lianyuan", "--edition", "internal", "--content", "content",
        "--out", "b.pdf", cwd=tmp_path,
    )  # fmt: skip
    assert run.code == 0, run.output
    from pypdf import PdfReader

    pages = [p.extract_text() for p in PdfReader(tmp_path / "b.pdf").pages]
    assert len(pages) > 5
    assert all("内部资料" in page for page in pages)  # the mark on every page
    text = "".join(pages).replace("\n", "")
    assert "联合帮扶活动涟源市专场" in text and "（见第" in text


def _print_in_a_forked_process(target: str) -> bytes:
    from pathlib import Path as P

    from generator.booklets import typeset

    typeset.write_pdf('#set text(font: "Noto Serif CJK SC")\n中文', P(target))
    return P(target).read_bytes()


def test_a_process_forked_after_typst_ran_still_prints(tmp_path):
    """Typst's worker threads stay with the process that started them: a forked one used to
    wait for them forever (a test run, or the live preview, printing again in its workers)."""
    import multiprocessing

    from generator.booklets import typeset

    typeset.write_pdf('#set text(font: "Noto Serif CJK SC")\n中文', tmp_path / "here.pdf")
    with multiprocessing.get_context("fork").Pool(2) as pool:
        printed = pool.map_async(
            _print_in_a_forked_process, [str(tmp_path / f"{n}.pdf") for n in range(2)]
        ).get(timeout=120)
    assert printed == [(tmp_path / "here.pdf").read_bytes()] * 2
