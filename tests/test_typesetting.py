"""The typesetting rules of the booklets, each checked on the printed PDFs of both editions
(page text with its positions from ``pdftotext -bbox-layout``, headings from the bookmarks):

- no heading is the last line of a page;
- no paragraph ends with one character alone on its last line;
- no table row is split across pages, no date breaks inside a table cell;
- a link to a record inside the booklet is a page reference that names the right page; a link to
  one outside it is text, and the sentence that pointed to it says it is on the website.

The content is the sample plus one long event made to tempt each fault: paragraphs of every
length, headings every few lines, a table of 40 rows with dates in a narrow column.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import SAMPLE, jiandi

BODY_BOTTOM = 841.89 - 35 * 72 / 25.4  # the type area ends 35 mm above the foot of A4
PUNCTUATION = set("。，、；：？！”“‘’（）《》〈〉「」…—·　 ")
SENTENCE = "监狱与司法局共同开展帮扶活动服刑人员家属参加座谈会议"


@dataclass(frozen=True)
class Line:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def lines_of(pdf: Path) -> list[list[Line]]:
    """Each page's lines of text, top to bottom, with their boxes (PDF points, y downwards):
    the words that share a baseline (poppler's own lines split a line where a page number was
    set later, as the page references are)."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pages = []
    for number, page in enumerate(ET.fromstring(xhtml).iterfind(".//h:page", ns)):
        words = sorted(
            (
                (float(w.get("yMax", 0)), float(w.get("xMin", 0)), float(w.get("yMin", 0)),
                 float(w.get("xMax", 0)), w.text or "")
                for w in page.iterfind(".//h:word", ns)
            ),
        )  # fmt: skip
        rows: list[list[tuple[float, float, float, float, str]]] = []
        for word in words:
            if rows and abs(rows[-1][0][0] - word[0]) < 2.5:
                rows[-1].append(word)
            else:
                rows.append([word])
        found = []
        for row in rows:
            row.sort(key=lambda w: w[1])
            # Columns of a table share a baseline: a gap wider than two characters parts them.
            start = 0
            for index in range(1, len(row) + 1):
                if index == len(row) or row[index][1] - row[index - 1][3] > 30:
                    part = row[start:index]
                    found.append(
                        Line(
                            number,
                            part[0][1],
                            min(w[2] for w in part),
                            part[-1][3],
                            max(w[0] for w in part),
                            " ".join(w[4] for w in part),
                        )
                    )
                    start = index
        pages.append(sorted(found, key=lambda line: (round(line.y0), line.x0)))
    return pages


def bookmarks(pdf: Path) -> list[tuple[int, float, str]]:
    """(page, top in points from the top of the page, title) of every heading."""
    reader = PdfReader(pdf)
    found = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                page = reader.get_destination_page_number(item)
                height = float(reader.pages[page].mediabox.height)
                found.append((page, height - float(item.top), str(item.title)))

    walk(reader.outline)
    return found


def _bare(text: str) -> str:
    return re.sub(r"\s+", "", text)


def headings_at_the_foot(pdf: Path) -> list[str]:
    """Headings with nothing of the type area below them on their page."""
    pages = lines_of(pdf)
    stranded = []
    for page, top, title in bookmarks(pdf):
        wanted = _bare(title)
        below = [line for line in pages[page] if line.y1 > top - 2 and line.y1 <= BODY_BOTTOM + 2]
        # The heading's lines: from the first line at its bookmark that begins its title (the
        # bookmark points a little above it, where the space before it begins).
        start = next(
            (i for i, line in enumerate(below[:3]) if wanted[:4] in _bare(line.text)),
            None,
        )
        assert start is not None, (pdf.name, page + 1, title, [line.text for line in below[:3]])
        taken, index = "", start
        while index < len(below) and wanted not in taken:
            taken += _bare(below[index].text)
            index += 1
        assert wanted in taken, (pdf.name, page + 1, title, taken[:60])
        rest = [line for line in below[index:] if line.y0 > below[index - 1].y1 - 1]
        if not rest:
            stranded.append(f"{pdf.name} 第{page + 1}页：{title}")
    return stranded


def runts(pdf: Path) -> list[str]:
    """Lines of one character (punctuation aside) after a full line: a paragraph's runt."""
    found = []
    for page in lines_of(pdf):
        body = [line for line in page if line.y1 <= BODY_BOTTOM + 2]
        if not body:
            continue
        right = max(line.x1 for line in body)
        for before, line in zip(body, body[1:], strict=False):
            if before.x1 < right - 3 or line.y0 < before.y1 - 1:
                continue  # not a full line, or not the line above this one
            if len([c for c in line.text if c not in PUNCTUATION]) == 1:
                found.append(f"{pdf.name} 第{line.page + 1}页：“{before.text[-6:]} / {line.text}”")
    return found


def _event() -> str:
    paragraphs = [SENTENCE * 5 + SENTENCE[: n % len(SENTENCE)] + "。" for n in range(40, 110, 3)]
    sections = []
    for index, paragraph in enumerate(paragraphs):
        sections.append(f"## 第{index + 1}个小标题：帮扶活动的第{index + 1}项安排\n\n{paragraph}\n")
    rows = "\n".join(
        f"| R{n}甲 | 2024年2月29日 | R{n}乙：{SENTENCE[: 10 + n % 17]}，{SENTENCE[: 5 + n % 7]}R{n}尾 |"
        for n in range(1, 41)
    )
    return f"""---
title: 涟源市帮教团第二次入监帮扶活动纪实
date: 2024-01-12
bureaus: [lianyuan]
topics: [anzhi-bangjiao]
visibility: public
summary: 帮教团第二次入监，开展帮扶活动。
---

这次活动是[签约仪式](2023-12-27-qianyue.md)之后的第二次，活动安排依照
[涟源市的协议](../agreements/2023-12-27-lianyuan-xieyi.md)。

四份协议的内容见：[衡阳市](../agreements/2023-12-27-hengyang-xieyi.md)、
[涟源市](../agreements/2023-12-27-lianyuan-xieyi.md)。

详见政策解读《[安置帮教管哪些人](../policies/anzhi-bangjiao-fanwei.md)》。

::: internal
内部：这次活动的人数以狱政科台账为准。
:::

{chr(10).join(sections)}
## 活动日程

| 编号 | 日期 | 内容 |
|---|---|---|
{rows}
"""


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every kind of booklet, both editions, of the sample with the tempting event."""
    work = tmp_path_factory.mktemp("typesetting")
    shutil.copytree(SAMPLE, work / "content")
    (work / "content/events/2024-01-12-lianyuan-dierci.md").write_text(_event(), "utf-8")
    out: dict[str, Path] = {}
    for edition in ("public", "internal"):
        for name, args in {
            "bureau": ["bureau", "lianyuan"],
            "period": ["period", "--period", "2024-01"],
            "handbook": ["handbook"],
        }.items():
            target = work / f"{name}-{edition}.pdf"
            run = jiandi(
                "booklet", *args, "--edition", edition, "--content", "content",
                "--out", str(target), cwd=work,
            )  # fmt: skip
            assert run.code == 0, run.output
            out[f"{name}-{edition}"] = target
    return out


def _all(printed: dict[str, Path], sample_build: Path) -> list[Path]:
    return [*printed.values(), *sorted((sample_build / "site").rglob("*.pdf"))]


def test_no_heading_is_the_last_line_of_a_page(printed, sample_build):
    assert [h for pdf in _all(printed, sample_build) for h in headings_at_the_foot(pdf)] == []
    # The tempting event's 24 headings are all there to be checked.
    titles = [t for _p, _t, t in bookmarks(printed["bureau-public"])]
    assert len([t for t in titles if t.startswith("第") and "个小标题" in t]) == 24


def test_no_paragraph_ends_with_one_character_alone(printed, sample_build):
    assert [r for pdf in _all(printed, sample_build) for r in runts(pdf)] == []


def test_the_checks_see_a_stranded_heading_and_a_runt(tmp_path):
    """The two checks above find the faults in a PDF that has them (set without the rules)."""
    import typst

    source = f"""#set page(paper: "a4", margin: (top: 37mm, bottom: 35mm, x: 27mm))
#set text(font: "Noto Serif CJK SC", lang: "zh", size: 5.571mm, costs: (runt: 0%))
#set par(justify: true, leading: 4.656mm, spacing: 4.656mm)
#set heading(bookmarked: true)
#show heading: set block(sticky: false)
#v(210mm)
= 落单的标题
{SENTENCE * 2}甲乙丙丁戊。
"""
    (tmp_path / "bad.typ").write_text(source, "utf-8")
    typst.compile(str(tmp_path / "bad.typ"), output=str(tmp_path / "bad.pdf"))
    assert headings_at_the_foot(tmp_path / "bad.pdf") == ["bad.pdf 第1页：落单的标题"]
    found = runts(tmp_path / "bad.pdf")
    assert len(found) == 1 and found[0].startswith("bad.pdf 第2页") and found[0].endswith("/ 戊。”")


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_no_table_row_is_split_and_no_date_breaks_in_a_cell(printed, edition):
    pages = lines_of(printed[f"bureau-{edition}"])
    where: dict[str, set[int]] = {}
    for page in pages:
        for line in page:
            for mark in re.findall(r"R\d+[甲乙尾]", line.text):
                where.setdefault(mark[:-1], set()).add(line.page)
            # A date in a cell is whole on its line: never "2024年" / "2月29日".
            assert not re.search(r"2024年(2月(29)?)?$|^(2月)?29?日", line.text), line.text
    assert len(where) == 40
    assert {row: p for row, p in where.items() if len(p) > 1} == {}
    assert len({p for pages_ in where.values() for p in pages_}) > 1  # the table spans pages


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_links_become_page_references_or_say_where_they_are(printed, edition):
    pdf = printed[f"bureau-{edition}"]
    texts = ["".join(_bare(line.text) for line in page) for page in lines_of(pdf)]
    text = "".join(texts)
    headings = {_bare(t): p for p, _top, t in bookmarks(pdf)}
    references = re.findall(r"(签约仪式|涟源市的协议)[（，]见第(\d+)页", text)
    assert {r[0] for r in references} == {"涟源市的协议", "签约仪式"}, text[:400]
    for name, page in references:
        target = (
            "（三）雁北监狱与四地司法局签署监地共建协议"
            if name == "签约仪式"
            else "（一）湖南省雁北监狱与涟源市司法局监地共建协议"
        )
        assert headings[target] + 1 == int(page), (name, page)
    # In parentheses already: one pair, the page inside it.
    assert "（签约仪式，见第" in text
    # Outside the booklet: text, and the sentence says where.
    assert "四份协议的内容见网站：衡阳市、涟源市（见第" in text
    assert "详见网站上的政策解读《安置帮教管哪些人》" in text
    assert not re.search(
        r"(?<![会意])见[：:]", text.replace("见网站：", "")
    )  # not 远程会见：, 意见：
    # No space where the source broke a line between Chinese characters (a link began there).
    raw = "".join(line.text for page in lines_of(pdf) for line in page)
    assert "依照涟源市的协议" in raw and "衡阳市、涟源市" in raw
