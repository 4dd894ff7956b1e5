"""Booklets are set by Typst: text from records is escaped, so it prints as written and can
never run as Typst code; the sample's booklets print."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

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
    assert out == '\\#panic\\(\\"x\\"\\)|#strong[x]'


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


CALLS = [  # text right after a call once continued it: (…) read as its arguments
    ("<p><strong>注意</strong>(2024年起施行)</p>", "注意(2024年起施行)"),
    ("<p><em>斜</em>(x){y}</p>", "斜(x){y}"),
    ("<p><code>code</code>(x)</p>", "code(x)"),
    ("<p>a<br>(b)</p>", "(b)"),
    ('<table><tr><td colspan="²">格</td></tr><tr></tr></table>', "格"),
    (
        '<ol start="٣"><li>项一</li></ol><ol start="999999999999999999999"><li>项二</li></ol>',
        "项二",
    ),
    ("<table><tr><td>2024年2月29日(注)</td></tr></table>", "(注)"),
    ("<p><strong>粗</strong>;A<code>c</code>;B</p>", "粗;Ac;B"),  # once lost: ends the call
]


@pytest.mark.parametrize("html, shown", CALLS)
def test_text_after_markup_and_odd_numbers_print_as_written(tmp_path, html, shown):
    import typst

    from generator.booklets.typst_markup import Converter

    source = (
        '#set text(font: "Noto Serif CJK SC", lang: "zh")\n'
        "#let booklet-table(..args) = table(..args)\n" + Converter(set()).convert(html)
    )
    (tmp_path / "t.typ").write_text(source, "utf-8")
    typst.compile(str(tmp_path / "t.typ"), output=str(tmp_path / "t.pdf"))
    assert shown in _text(tmp_path / "t.pdf").replace("\n", "").replace(" ", "")


def test_numbers_and_dates_for_any_content():
    from generator.booklets.context import chinese_number
    from generator.booklets.typst_text import boxed_dates

    assert [chinese_number(n) for n in (1, 10, 19, 99, 100, 101, 250, 1010, 10000)] == [
        "一", "十", "十九", "九十九", "一百", "一百零一", "二百五十", "一千零一十", "10000",
    ]  # fmt: skip
    for date in (
        "二〇二四年二月二十九日",
        "2024 年 2 月 29 日",
        "２０２４年２月２９日",
        "12月27日",
    ):
        assert boxed_dates(f"于{date}起") == f"于#box[{escape_text(date)}]起"


def escape_text(text: str) -> str:
    from generator.booklets.typst_text import escape

    return escape(text)


def test_a_link_to_the_bureaus_own_record_is_a_page_reference(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "content")
    agreement = tmp_path / "content/agreements/2023-12-27-lianyuan-xieyi.md"
    agreement.write_text(
        agreement.read_text("utf-8") + "\n协议双方之一是[涟源市司法局](../bureaus/lianyuan.md)。\n",
        "utf-8",
    )
    run = jiandi(
        "booklet", "bureau", "lianyuan", "--content", "content", "--out", "b.pdf", cwd=tmp_path
    )
    assert run.code == 0, run.output
    assert "协议双方之一是涟源市司法局（见第3页）" in _text(tmp_path / "b.pdf").replace(
        " ", ""
    ).replace("\n", "")


def test_only_jiandis_own_booklets_are_printed_over(tmp_path):
    import typst

    from generator.booklets.printing import may_replace

    (tmp_path / "thesis.pdf").write_bytes(typst.compile(b"= My thesis"))
    assert not may_replace(tmp_path / "thesis.pdf")
    shutil.copytree(SAMPLE, tmp_path / "content")
    run = jiandi("booklet", "handbook", "--content", "content", "--out", "h.pdf", cwd=tmp_path)
    assert run.code == 0 and may_replace(tmp_path / "h.pdf"), run.output


def test_where_the_booklet_cannot_be_written_and_two_kinds_of_period(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "content")
    (tmp_path / "file").write_text("x", "utf-8")
    run = jiandi("booklet", "handbook", "--content", "content", "--out", "file/h.pdf", cwd=tmp_path)
    assert run.code == 1 and "无法写入 file/h.pdf" in run.output and "Traceback" not in run.output
    run = jiandi(
        "booklet", "period", "--period", "2023", "--from", "2024-01-01", "--content", "content",
        cwd=tmp_path,
    )  # fmt: skip
    assert run.code == 2 and "只能用一种" in run.output


def _layout(tmp_path: Path, html: str) -> list[str]:
    import typst

    from generator.booklets.typst_markup import Converter

    source = (
        '#set text(font: "Noto Serif CJK SC", lang: "zh")\n'
        "#let booklet-table(..args) = table(..args)\n" + Converter(set()).convert(html)
    )
    (tmp_path / "t.typ").write_text(source, "utf-8")
    typst.compile(str(tmp_path / "t.typ"), output=str(tmp_path / "t.pdf"))
    layout = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "t.pdf"), "-"], capture_output=True, text=True
    ).stdout
    return [" ".join(line.split()) for line in layout.splitlines() if line.strip()]


def test_tables_print_their_rows_as_a_browser_shows_them(tmp_path):
    short = (
        "<table><thead><tr><th>h1</th><th>h2</th></tr></thead><tbody><tr><td>1</td></tr>"
        "<tr><td>a</td><td>b</td><td>c</td><td>d</td></tr></tbody></table>"
    )
    assert _layout(tmp_path, short) == ["h1 h2", "1", "a b c d"]
    tall = '<table><tr><td rowspan="99">高</td><td>x</td></tr><tr><td>y</td></tr></table>'
    assert _layout(tmp_path, tall) == ["高 x", "y"]  # two rows, not 99
    nested = "<table><tr><td><table><tr><td>嵌套</td></tr></table></td></tr></table>"
    assert sum(line.count("嵌套") for line in _layout(tmp_path, nested)) == 1


def test_a_footnote_that_cites_itself_prints_once(tmp_path):
    html = (
        '<p>文<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>'
        '<div class="footnote"><ol><li id="fn:1"><p>注一 引<sup id="fnref2:1">'
        '<a class="footnote-ref" href="#fn:1">1</a></sup></p></li></ol></div>'
    )
    assert "注一 引" in " ".join(_layout(tmp_path, html))
