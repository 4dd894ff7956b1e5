"""Booklets: text, fonts, table of contents, internal marks, no leaks, periods, the command."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.booklets.selection import PeriodError, parse_period, recent_period
from tests.conftest import SAMPLE, jiandi
from tests.test_editions import internal_phrases

BUREAUS = ["hengyang", "kaifu", "lianyuan", "ningxiang"]


def pages_text(path: Path) -> list[str]:
    return [(page.extract_text() or "").replace(" ", "") for page in PdfReader(path).pages]


def booklet(build: Path, edition: str, name: str) -> Path:
    return build / "site" / edition / "booklets" / name


def all_booklets(build: Path) -> list[Path]:
    return sorted((build / "site").rglob("*.pdf"))


def test_every_edition_has_the_booklets(sample_build):
    for edition in ("public", "internal"):
        names = sorted(
            p.name for p in (sample_build / "site" / edition / "booklets").rglob("*.pdf")
        )
        assert names == sorted([f"{b}.pdf" for b in BUREAUS] + ["handbook.pdf"])


def test_landing_pages_link_their_booklet(sample_build):
    for bureau in BUREAUS:
        html = (sample_build / f"site/public/bureaus/{bureau}/index.html").read_text("utf-8")
        assert f'href="../../booklets/bureaus/{bureau}.pdf"' in html
    policies = (sample_build / "site/public/policies/index.html").read_text("utf-8")
    assert 'href="../booklets/handbook.pdf"' in policies


def test_text_is_extractable_with_no_missing_glyphs(sample_build):
    text = "".join(pages_text(booklet(sample_build, "public", "bureaus/lianyuan.pdf")))
    text = text.replace("\n", "")
    for phrase in (
        "涟源市监地共建工作简报",
        "涟源市司法局",
        "联合帮扶活动涟源市专场",
        "59名涟源籍服刑人员",
        "子女入党不受影响",
        "4078名",
    ):
        assert phrase in text, phrase
    assert "\ufffd" not in text and "\x00" not in text
    handbook = "".join(pages_text(booklet(sample_build, "public", "handbook.pdf")))
    assert "监地共建政策解读汇编" in handbook and "安置帮教管哪些人" in handbook


def test_every_font_is_embedded_and_chinese_is_sc(sample_build):
    for path in all_booklets(sample_build):
        reader = PdfReader(path)
        fonts = {}
        for page in reader.pages:
            for font in (page["/Resources"].get("/Font") or {}).values():
                font = font.get_object()
                for descendant in font.get("/DescendantFonts", [font]):
                    descendant = descendant.get_object()
                    descriptor = descendant["/FontDescriptor"].get_object()
                    fonts[str(descendant["/BaseFont"])] = any(
                        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                    )
        assert fonts and all(fonts.values()), (path, fonts)
        families = [name.split("+")[-1] for name in fonts]  # without the subset's prefix
        assert not [name for name in families if "JP" in name or "KR" in name], fonts


def outline_pages(reader: PdfReader) -> dict[str, int]:
    pages: dict[str, int] = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                pages[item.title.replace(" ", "")] = reader.get_destination_page_number(item) + 1

    walk(reader.outline)
    return pages


@pytest.mark.parametrize(
    "edition, name",
    [
        ("public", "bureaus/lianyuan.pdf"),
        ("internal", "bureaus/lianyuan.pdf"),
        ("public", "handbook.pdf"),
    ],
)
def test_table_of_contents_numbers_match_the_pages(sample_build, edition, name):
    path = booklet(sample_build, edition, name)
    reader = PdfReader(path)
    toc_text = pages_text(path)[1]
    entries = re.findall(r"^(.+?)\.+(\d+)$", toc_text, re.MULTILINE)
    assert len(entries) >= 5, toc_text
    starts = outline_pages(reader)
    for title, number in entries:
        assert title in starts, (title, sorted(starts))
        assert starts[title] == int(number), title
        # and the page whose footer says that number shows the heading
        assert title in pages_text(path)[int(number) - 1].replace("\n", "")


def test_page_numbers_in_official_style(sample_build):
    texts = pages_text(booklet(sample_build, "public", "bureaus/lianyuan.pdf"))
    for number, text in enumerate(texts[1:], start=2):
        assert f"—{number}—" in text, number
    assert "—1—" not in texts[0]  # the cover carries no number


def test_internal_mark_on_every_internal_page_and_no_public_page(sample_build):
    for path in all_booklets(sample_build):
        texts = pages_text(path)
        internal = "/internal/" in str(path)  # the staff handbook too
        for number, text in enumerate(texts, start=1):
            assert ("内部资料" in text) == internal, (path, number)


def test_no_internal_text_in_public_booklets(sample_build):
    phrases = [p.replace(" ", "") for p in internal_phrases(sample_build / "content")]
    for path in (sample_build / "site/public").rglob("*.pdf"):
        text = "".join(pages_text(path)).replace("\n", "")
        assert [p for p in phrases if p in text] == [], path
    internal = "".join(pages_text(booklet(sample_build, "internal", "bureaus/lianyuan.pdf")))
    internal = internal.replace("\n", "")
    assert (
        "汇总涟源专场上未能当场答复的问题" in internal
    )  # the control: internal booklets do show it


def test_pdf_metadata(sample_build):
    info = PdfReader(booklet(sample_build, "internal", "bureaus/lianyuan.pdf")).metadata
    assert info["/Title"] == "涟源市监地共建工作简报"
    assert info["/Author"] == "湖南省雁北监狱"
    assert "内部版" in info["/Subject"] and "监地共建" in info["/Keywords"]
    catalog = PdfReader(booklet(sample_build, "public", "handbook.pdf")).trailer["/Root"]
    assert catalog["/Lang"] == "zh-CN"


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("2023", dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
        ("2023-Q4", dt.date(2023, 10, 1), dt.date(2023, 12, 31)),
        ("2024-q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ],
)
def test_periods(text, start, end):
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)


def test_period_labels_and_errors():
    assert parse_period("2023-Q4").label == "2023年第4季度"
    assert parse_period(None, "2023-12-01", "2024-01-15").label == "2023年12月1日—2024年1月15日"
    for bad in ("2023-Q5", "23", "2023-13"):
        with pytest.raises(PeriodError):
            parse_period(bad)
    with pytest.raises(PeriodError):
        parse_period(None, "2024-01-02", "2024-01-01")


def test_booklet_command_period_by_bureau(tmp_path):
    out = tmp_path / "period.pdf"
    run = jiandi(
        "booklet",
        "period",
        "--content",
        str(SAMPLE),
        "--period",
        "2023-Q4",
        "--group-by",
        "bureau",
        "--edition",
        "internal",
        "--out",
        str(out),
        cwd=tmp_path,
    )
    assert run.code == 0, run.output
    text = "".join(pages_text(out))
    assert "监地共建工作简报（2023年第4季度）" in text
    assert "各月活动数" in text  # the chart's title, drawn as SVG text with the embedded font
    for bureau in ("衡阳市司法局", "长沙市开福区司法局", "涟源市司法局", "宁乡市司法局"):
        assert bureau in text
    assert "联络员首次会商" not in text  # 2024-01-10 lies outside 2023-Q4


def test_booklet_command_errors(tmp_path):
    assert jiandi("booklet", "bureau", "nope", "--content", str(SAMPLE), cwd=tmp_path).code == 2
    assert jiandi("booklet", "period", "--content", str(SAMPLE), cwd=tmp_path).code == 2
    assert (
        jiandi(
            "booklet", "period", "--content", str(SAMPLE), "--period", "2023-Q5", cwd=tmp_path
        ).code
        == 2
    )


@pytest.mark.parametrize(
    "until, months, start",
    [
        (dt.date(2025, 11, 15), 12, dt.date(2024, 12, 1)),
        (dt.date(2025, 12, 31), 12, dt.date(2025, 1, 1)),
        (dt.date(2024, 2, 3), 1, dt.date(2024, 2, 1)),
        (dt.date(2024, 1, 3), 6, dt.date(2023, 8, 1)),
    ],
)
def test_recent_period_is_the_months_up_to_the_day_compiled(until, months, start):
    period = recent_period(until, months)
    assert period is not None and (period.start, period.end) == (start, until)
    assert recent_period(until, 0) is None


OLD_EVENT = """\
---
title: 涟源籍服刑人员家属开放日
visibility: public
date: 2021-05-10
summary: 二十户涟源籍服刑人员家属走进监区，看望亲人。
bureaus: [lianyuan]
---

开放日上，家属们参观了监区的习艺车间和图书室，与民警交流了亲人的改造情况。
"""


def test_bureau_briefing_prints_the_latest_year_in_full_and_lists_earlier_events(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    (content / "events/2021-05-10-kaifang-ri.md").write_text(OLD_EVENT, encoding="utf-8")
    out = tmp_path / "lianyuan.pdf"
    run = jiandi(
        "booklet", "bureau", "lianyuan", "--content", str(content), "--out", str(out), cwd=tmp_path
    )
    assert run.code == 0, run.output
    texts = pages_text(out)
    text = "".join(texts).replace("\n", "")
    # the twelve months up to the day its latest issue in content/booklets.yml was compiled
    assert "时间范围2023年2月1日—2024年1月15日此前的活动列于“往期活动一览”" in text
    assert "联合帮扶活动涟源市专场" in text and "59名涟源籍服刑人员" in text  # recent: in full
    assert "往期活动一览" in text and "涟源籍服刑人员家属开放日" in text  # earlier: listed
    assert "二十户涟源籍服刑人员家属走进监区" in text  # with its summary
    assert "习艺车间" not in text  # but not its body
    entries = dict(re.findall(r"^(.+?)\.+(\d+)$", texts[1], re.MULTILINE))
    number = int(entries["五、往期活动一览"])
    assert (
        "往期活动一览" in texts[number - 1]
        and outline_pages(PdfReader(out))["五、往期活动一览"] == number
    )

    everything = tmp_path / "all.pdf"
    run = jiandi(
        "booklet",
        "bureau",
        "lianyuan",
        "--content",
        str(content),
        "--period",
        "all",
        "--out",
        str(everything),
        cwd=tmp_path,
    )
    assert run.code == 0, run.output
    text = "".join(pages_text(everything)).replace("\n", "")
    assert "习艺车间" in text and "往期活动一览" not in text
    assert "时间范围2021年5月—2023年12月" in text


def test_editions_printing_side_by_side_print_each_booklet_once(tmp_path, monkeypatch):
    """With SideBySide, the process that finishes its own edition's booklets prints the
    other's that nobody claimed; the other process then only copies them. Same bytes as
    printing alone. A booklet claimed by a process that died is printed by its own edition."""
    import subprocess

    from generator import editions
    from generator.booklets import typeset
    from generator.booklets.printing import publish_booklets
    from generator.check import validate
    from generator.config import load_base_config, project_file

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    corpus, _ = validate(SAMPLE)
    base = load_base_config(project_file("mkdocs.yml"))
    templates = project_file("templates").resolve()
    printed: list[str] = []
    original = typeset.write_pdf
    monkeypatch.setattr(
        typeset,
        "write_pdf",
        lambda source, target: (printed.append(source), original(source, target)),
    )
    # Printing alone, for reference: each edition its own.
    for name in ("public", "internal"):
        publish_booklets(
            editions.make(corpus, name),
            tmp_path / "alone" / name,
            templates,
            base,
            tmp_path / "cache-alone",
            12,
        )
    alone = len(printed)
    assert alone == 10  # four briefings and a handbook per edition (the staff one differs)
    printed.clear()
    claims = tmp_path / "claims"
    # A process that claimed the internal 涟源 briefing and died before printing it.
    dead = subprocess.Popen(["true"])
    dead.wait()
    claims.mkdir()
    (claims / "internal_booklets_bureaus_lianyuan.pdf.claim").write_text(str(dead.pid))
    publish_booklets(
        editions.make(corpus, "public"),
        tmp_path / "side/public",
        templates,
        base,
        tmp_path / "cache",
        12,
        claims,
        [editions.make(corpus, "internal")],
    )
    # Its own five, and the internal ones nobody claimed: three briefings and the staff handbook.
    assert len(printed) == 9, "the public process printed the internal booklets nobody claimed"
    printed.clear()
    publish_booklets(
        editions.make(corpus, "internal"),
        tmp_path / "side/internal",
        templates,
        base,
        tmp_path / "cache",
        12,
        claims,
        [editions.make(corpus, "public")],
    )
    assert len(printed) == 1 and "涟源" in printed[0], "only the dead claimer's booklet"
    for name in ("public", "internal"):
        for path in sorted((tmp_path / "alone" / name).rglob("*.pdf")):
            relative = path.relative_to(tmp_path / "alone" / name)
            assert (tmp_path / "side" / name / relative).read_bytes() == path.read_bytes()


def test_a_build_leaves_no_claims(sample_build):
    cache = sample_build / "build" / "booklet-cache"
    assert list(cache.glob("*.pdf")) and not list(cache.glob("claims-*"))


def test_the_staff_handbook_holds_the_internal_explainers_and_the_public_one_does_not(
    sample_build,
):
    public = "".join(pages_text(booklet(sample_build, "public", "handbook.pdf")))
    staff = "".join(pages_text(booklet(sample_build, "internal", "handbook.pdf")))
    public, staff = public.replace("\n", ""), staff.replace("\n", "")
    assert "联合帮教工作内部指引" in staff and "（内部记录）" in staff
    assert "联合帮教工作内部指引" not in public and "工作人员版" not in public
    assert "安置帮教管哪些人" in public and "安置帮教管哪些人" in staff
