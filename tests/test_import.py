"""jiandi import: a press officer's Word document becomes a record, as Word and WPS write them."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import docx
import frontmatter
import pytest
from docx.shared import Inches
from PIL import Image

from tests.conftest import SAMPLE, jiandi
from tests.wordfiles import (
    NAMESPACES,
    WPS_STYLES,
    footnote_reference,
    footnotes,
    paragraph,
    picture,
    write_docx,
)

ID_NUMBER = "11010519491231002X"  # the standard's own example, valid check digit


@pytest.fixture
def work(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "content")
    return tmp_path


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (3000, 2000), (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "SECRETCAMERA"  # Make
    exif[0x8825] = {1: "N", 2: (28.0, 10.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _news(path: Path, *, alt: str | None = None) -> Path:
    """A news item as python-docx (Word's own template) writes one."""
    document = docx.Document()
    document.core_properties.author = "SECRETAUTHOR"
    document.core_properties.comments = "SECRETREVISION"
    document.core_properties.last_modified_by = "SECRETEDITOR"
    document.add_paragraph("涟源市司法局到雁北监狱开展帮教活动", style="Title")
    lead = document.add_paragraph("\u3000\u30002024年6月3日上午，涟源市司法局")
    lead.add_run("联合雁北监狱").bold = True
    lead.add_run("开展")
    lead.add_run("亲情帮教").italic = True
    lead.add_run("活动，30 名家属参加。\n活动在会见楼举行。")
    document.add_paragraph("")
    document.add_paragraph("\u3000\u3000")
    document.add_heading("活动内容", level=1)
    document.add_paragraph("政策宣讲", style="List Number")
    document.add_paragraph("亲情会见", style="List Number")
    document.add_paragraph("现场带去家乡的消息", style="List Bullet")
    table = document.add_table(rows=3, cols=2)
    for row, (what, count) in enumerate([("项目", "人数"), ("帮教|宣讲", "30"), ("会见", "12")]):
        table.cell(row, 0).text = what
        table.cell(row, 1).text = count
    document.add_picture(io.BytesIO(_jpeg_with_gps()), width=Inches(2))
    if alt is not None:
        document.inline_shapes[0]._inline.docPr.set("descr", alt)
    document.add_paragraph("供稿：涟源市司法局")
    document.save(path)
    return path


def _import(work, source, *extra):
    return jiandi(
        "import", str(source), "--type", "event", "--visibility", "public",
        "--content", "content", *extra, cwd=work,
    )  # fmt: skip


def _record(run, work: Path) -> tuple[Path, frontmatter.Post]:
    path = work / run.output.strip().splitlines()[-1]
    return path, frontmatter.load(path)


def test_a_word_news_item_becomes_a_record(work):
    source = _news(work / "稿件.docx", alt="帮教干警与家属交谈")
    run = jiandi(
        "import",
        str(source),
        "--type",
        "event",
        "--bureau",
        "lianyuan",
        "--visibility",
        "public",
        "--content",
        "content",
        cwd=work,
    )
    assert run.code == 0, run.output
    path, post = _record(run, work)
    assert path == work / "content/events/2024-06-03-lianyuan-dao-yanbeijianyu.md"
    assert post["title"] == "涟源市司法局到雁北监狱开展帮教活动"
    assert str(post["date"]) == "2024-06-03"
    assert post["visibility"] == "public" and post["bureaus"] == ["lianyuan"]
    assert post["summary"] == (
        "2024年6月3日上午，涟源市司法局联合雁北监狱开展亲情帮教活动，30 名家属参加。"
        "活动在会见楼举行。"
    )
    assert post.content == (
        "2024年6月3日上午，涟源市司法局**联合雁北监狱**开展*亲情帮教*活动，30 名家属参加。"
        "活动在会见楼举行。\n\n"
        "## 活动内容\n\n"
        "1. 政策宣讲\n2. 亲情会见\n\n"
        "- 现场带去家乡的消息\n\n"
        "| 项目 | 人数 |\n| --- | --- |\n| 帮教\\|宣讲 | 30 |\n| 会见 | 12 |\n\n"
        "![帮教干警与家属交谈](../assets/2024-06-03-lianyuan-dao-yanbeijianyu-1.jpg)\n\n"
        "供稿：涟源市司法局"
    )
    assert "日期 2024-06-03 取自正文里的“2024年6月3日”" in run.output
    assert "Traceback" not in run.output
    check = jiandi("check", "--content", "content", cwd=work)
    assert check.code == 0, check.output


def test_pictures_are_re_encoded_without_their_metadata(work):
    source = _news(work / "稿件.docx", alt="")
    run = _import(work, source)
    assert run.code == 0, run.output
    picture_file = work / "content/assets/2024-06-03-lianyuan-dao-yanbeijianyu-1.jpg"
    data = picture_file.read_bytes()
    assert b"SECRETCAMERA" not in data and b"Exif" not in data
    with Image.open(picture_file) as image:
        assert image.width == 2400 and not image.getexif()
    path, post = _record(run, work)
    assert "![](../assets/2024-06-03-lianyuan-dao-yanbeijianyu-1.jpg)" in post.content
    line = (
        path.read_text("utf-8")
        .splitlines()
        .index("![](../assets/2024-06-03-lianyuan-dao-yanbeijianyu-1.jpg)")
    )
    assert f"{path.relative_to(work)}:{line + 1}: 警告: 图片" in run.output  # check's own words
    # Nothing of the document's properties is written anywhere.
    for written in [path, picture_file]:
        for secret in (b"SECRETAUTHOR", b"SECRETREVISION", b"SECRETEDITOR"):
            assert secret not in written.read_bytes()


WPS_BODY = (
    paragraph("关于服刑人员家属会见的政策解读", "9")
    + paragraph("一、会见的时间", "2")
    + '<w:p><w:r><w:t xml:space="preserve">\u3000\u3000家属每月可以会见一次</w:t></w:r>'
    + footnote_reference(1)
    + "<w:r><w:t>，</w:t></w:r>"
    + '<w:ins w:id="5" w:author="SECRETREVIEWER"><w:r><w:t>节假日照常安排</w:t></w:r></w:ins>'
    + '<w:del w:id="6" w:author="SECRETREVIEWER"><w:r><w:delText>删掉的话</w:delText></w:r></w:del>'
    + '<w:commentRangeStart w:id="0"/><w:r><w:t>。</w:t></w:r><w:commentRangeEnd w:id="0"/>'
    + '<w:r><w:commentReference w:id="0"/></w:r></w:p>'
    + paragraph("预约电话", num=(1, 0))
    + paragraph("现场登记", num=(1, 0))
    + paragraph("二、会见的要求", "2")
    + paragraph("带好身份证件", num=(2, 0))
    + paragraph("原件", num=(2, 1))
    + paragraph("复印件", num=(2, 1))
    + paragraph("遵守会见纪律", num=(2, 0))
    + paragraph("不带手机", num=(3, 0))
    + paragraph("（一）视频会见", "3")
    + '<w:p><w:r><w:t>详见</w:t></w:r><w:hyperlink r:id="rIdLink"><w:r><w:rPr>'
    '<w:rStyle w:val="13"/></w:rPr><w:t>司法部网站</w:t></w:r></w:hyperlink>'
    "<w:r><w:t>。</w:t></w:r></w:p>"
)


def _wps(path: Path, body: str = WPS_BODY, **parts) -> Path:
    parts.setdefault("footnotes", footnotes("《中华人民共和国监狱法》第四十八条"))
    parts.setdefault(
        "comments",
        f'<?xml version="1.0" encoding="UTF-8"?><w:comments {NAMESPACES}><w:comment w:id="0" '
        'w:author="SECRETREVIEWER"><w:p><w:r><w:t>SECRETCOMMENT 再核实</w:t></w:r></w:p>'
        "</w:comment></w:comments>",
    )
    parts.setdefault("links", {"rIdLink": "http://www.moj.gov.cn/"})
    parts.setdefault(
        "app",
        '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.'
        'org/officeDocument/2006/extended-properties"><Company>SECRETCOMPANY</Company>'
        "<Application>WPS Office_12.1.0</Application></Properties>",
    )
    return write_docx(path, body, **parts)


def test_a_wps_document_with_its_styles_numbering_and_footnotes(work):
    source = _wps(work / "解读.docx")
    run = jiandi(
        "import", str(source), "--type", "policy", "--date", "2024-05-20",
        "--visibility", "internal", "--content", "content", cwd=work,
    )  # fmt: skip
    assert run.code == 0, run.output
    path, post = _record(run, work)
    assert path.parent.name == "policies"
    assert post["title"] == "关于服刑人员家属会见的政策解读"
    assert str(post["date"]) == "2024-05-20"
    assert "取自 --date" in run.output
    assert post.content == (
        "## 一、会见的时间\n\n"
        "家属每月可以会见一次[^1]，节假日照常安排。\n\n"
        "1. 预约电话\n2. 现场登记\n\n"
        "## 二、会见的要求\n\n"
        "1. 带好身份证件\n    1. 原件\n    2. 复印件\n2. 遵守会见纪律\n\n"
        "- 不带手机\n\n"
        "### （一）视频会见\n\n"
        "详见[司法部网站](http://www.moj.gov.cn/)。\n\n"
        "[^1]: 《中华人民共和国监狱法》第四十八条"
    )
    text = path.read_text("utf-8")
    for secret in ("SECRET", "删掉的话", "再核实"):
        assert secret not in text
    check = jiandi("check", "--content", "content", cwd=work)
    assert check.code == 0, check.output


def test_a_personal_number_is_reported_at_its_line_and_the_record_kept(work):
    body = paragraph("家属来访登记") + paragraph(
        f"2024年7月1日，家属张某（身份证号 {ID_NUMBER}）来访。"
    )
    source = write_docx(work / "登记.docx", body)
    run = _import(work, source)
    assert run.code == 1
    path = work / "content/events/2024-07-01-jiashu-laifang-dengji.md"
    assert path.is_file()
    line = next(
        n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1) if ID_NUMBER in text
    )
    check = jiandi("check", "--content", "content", cwd=work)
    reported = [row for row in check.output.splitlines() if "身份证号" in row]
    assert reported and all(row in run.output for row in reported)
    assert any(row.startswith(f"content/events/{path.name}:{line}:") for row in reported)
    assert "记录已保存" in run.output and run.output.strip().splitlines()[-1] == str(
        path.relative_to(work)
    )


def test_without_visibility_a_personal_number_is_found_as_if_the_record_were_public(work):
    body = paragraph("家属来访登记") + paragraph(
        f"2024年7月1日，家属张某（身份证号 {ID_NUMBER}）来访。"
    )
    source = write_docx(work / "登记.docx", body)
    run = jiandi("import", str(source), "--type", "event", "--content", "content", cwd=work)
    assert run.code == 1, run.output
    path = work / run.output.strip().splitlines()[-1]
    shown = path.relative_to(work)
    lines = [
        n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1) if ID_NUMBER in text
    ]
    assert len(lines) == 2  # the summary and the body
    assert f"{shown}:5: “visibility” 不能为空" in run.output
    for line in lines:
        assert f"{shown}:{line}: 公开内容里有身份证号" in run.output
    assert "visibility: \n" in path.read_text("utf-8")  # never written as public
    after = path.read_text("utf-8").replace("visibility: \n", "visibility: public\n")
    path.write_text(after, "utf-8")
    check = jiandi("check", "--content", "content", cwd=work)
    assert all(f"{shown}:{line}: 公开内容里有身份证号" in check.output for line in lines)


def test_without_visibility_the_record_passes_check_once_it_is_set(work):
    source = _news(work / "稿件.docx", alt="家属交谈")
    run = jiandi("import", str(source), "--type", "event", "--content", "content", cwd=work)
    assert run.code == 0, run.output
    path, _post = _record(run, work)
    assert "还要填写 visibility" in run.output
    before = jiandi("check", "--content", "content", cwd=work)
    assert before.code == 1 and f"{path.relative_to(work)}:5:" in before.output
    text = path.read_text("utf-8")
    path.write_text(text.replace("visibility: \n", "visibility: public\n"), "utf-8")
    after = jiandi("check", "--content", "content", cwd=work)
    assert after.code == 0, after.output


def test_a_service_guide_fills_its_keys_from_its_sections(work):
    document = docx.Document()
    document.add_paragraph("亲情会见预约办事指南", style="Title")
    document.add_paragraph("服刑人员家属可以预约亲情会见，本指南说明怎样办理。")
    document.add_heading("一、办理依据", 1)
    document.add_paragraph("《中华人民共和国监狱法》第四十八条", style="List Bullet")
    document.add_heading("二、服务对象", 1)
    document.add_paragraph("服刑人员的近亲属和监护人。")
    document.add_heading("三、所需材料", 1)
    document.add_paragraph("本人居民身份证原件", style="List Number")
    document.add_paragraph("亲属关系证明", style="List Number")
    document.add_paragraph("办理地点：涟源市司法局一楼服务窗口")
    document.add_paragraph("办理时间：工作日 9:00—12:00")
    document.add_paragraph("咨询电话：0738-8321234")
    document.add_heading("四、办理流程", 1)
    document.add_paragraph("电话预约", style="List Number")
    document.add_paragraph("现场登记", style="List Number")
    document.add_heading("五、注意事项", 1)
    document.add_paragraph("请提前十分钟到达。")
    document.save(work / "指南.docx")
    run = jiandi(
        "import", "指南.docx", "--type", "guide", "--date", "2024-05-01",
        "--visibility", "public", "--content", "content", cwd=work,
    )  # fmt: skip
    assert run.code == 0, run.output
    _path, post = _record(run, work)
    assert post["basis"] == ["《中华人民共和国监狱法》第四十八条"]
    assert post["eligibility"] == "服刑人员的近亲属和监护人。"
    assert post["materials"] == ["本人居民身份证原件", "亲属关系证明"]
    assert post["place"] == "涟源市司法局一楼服务窗口"
    assert post["hours"] == "工作日 9:00—12:00"
    assert post["phone"] == "0738-8321234"
    assert post["steps"] == ["电话预约", "现场登记"]
    assert "fee" not in post.metadata  # the document does not say: nothing is made up
    assert post.content == (
        "服刑人员家属可以预约亲情会见，本指南说明怎样办理。\n\n## 五、注意事项\n\n请提前十分钟到达。"
    )
    assert jiandi("check", "--content", "content", cwd=work).code == 0


@pytest.mark.parametrize(
    "name, data, said",
    [
        (
            "旧稿.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            "Word 97-2003 文档（.doc）",
        ),
        ("稿件.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "WPS 文字文档（.wps）"),
        ("稿件.rtf", b"{\\rtf1\\ansi 2024}", "RTF 文档"),
        ("稿件.txt", "2024年6月3日 帮教活动".encode(), "纯文本文件"),
        ("稿件.pdf", b"%PDF-1.7\n", "PDF 文件"),
        ("有密码.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "打开密码"),
        ("空.docx", b"", "空文件"),
        ("稿件.odt", "odt", "OpenDocument"),
    ],
)
def test_other_files_are_refused_with_what_to_do(work, name, data, said):
    if data == "odt":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            archive.writestr("content.xml", "<office:document-content/>")
        data = out.getvalue()
    (work / name).write_bytes(data)
    run = jiandi("import", name, "--type", "event", "--content", "content", cwd=work)
    assert run.code == 1, run.output
    assert said in run.output and name in run.output
    assert ".docx" in run.output and "Traceback" not in run.output
    assert not any((work / "content").rglob("*.md.tmp"))
    assert sorted(p.name for p in (work / "content/events").iterdir()) == sorted(
        p.name for p in (SAMPLE / "events").iterdir()
    )


def _damaged(tmp: Path) -> list[tuple[str, bytes]]:
    good = _news(tmp / "good.docx", alt="x").read_bytes()
    flipped = bytearray(good)
    archive = zipfile.ZipFile(io.BytesIO(good))
    info = archive.getinfo("word/document.xml")
    flipped[info.header_offset + 30 + len(info.filename) + 10] ^= 0xFF  # inside the data
    no_body = io.BytesIO()
    with zipfile.ZipFile(no_body, "w") as out:
        for item in archive.infolist():
            if item.filename != "word/document.xml":
                out.writestr(item.filename, archive.read(item.filename))
    sheet = io.BytesIO()
    with zipfile.ZipFile(sheet, "w") as out:
        out.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/></Types>',
        )
    doctype = io.BytesIO()
    with zipfile.ZipFile(doctype, "w") as out:
        for item in archive.infolist():
            text = archive.read(item.filename)
            if item.filename == "word/document.xml":
                text = text.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1)
            out.writestr(item.filename, text)
    return [
        ("cut short", good[: len(good) // 2]),
        ("bad checksum", bytes(flipped)),
        ("no body", no_body.getvalue()),
        ("a spreadsheet", sheet.getvalue()),
        ("a DTD", doctype.getvalue()),
    ]


def test_a_damaged_docx_is_refused_and_nothing_is_written(work):
    for what, data in _damaged(work):
        (work / "坏.docx").write_bytes(data)
        run = jiandi(
            "import", "坏.docx", "--type", "event", "--date", "2024-01-01",
            "--content", "content", cwd=work,
        )  # fmt: skip
        assert run.code == 1, (what, run.output)
        assert "坏.docx" in run.output and "Traceback" not in run.output, what
        assert "损坏" in run.output or "不是 Word" in run.output or "格式" in run.output, what
    assert sorted(p.name for p in (work / "content/assets").iterdir()) == sorted(
        p.name for p in (SAMPLE / "assets").iterdir()
    )


def test_a_folder_or_a_missing_file_is_refused(work):
    (work / "稿件.docx").mkdir()
    run = jiandi("import", "稿件.docx", "--type", "event", "--content", "content", cwd=work)
    assert run.code == 1 and "是一个文件夹" in run.output
    run = jiandi("import", "没有.docx", "--type", "event", "--content", "content", cwd=work)
    assert run.code == 1 and "找不到文件 没有.docx" in run.output


def test_no_date_in_the_text_and_no_terminal_is_refused_as_new_does(work):
    source = write_docx(work / "无日期.docx", paragraph("帮教活动") + paragraph("活动很成功。"))
    run = jiandi("import", str(source), "--type", "event", "--content", "content", cwd=work)
    assert run.code == 2 and "--date" in run.output
    assert not list((work / "content/events").glob("*bangjiao*"))
    run = jiandi(
        "import", str(source), "--type", "event", "--date", "2024-02-29",
        "--content", "content", cwd=work,
    )  # fmt: skip
    assert run.code == 0, run.output
    assert _record(run, work)[0].name == "2024-02-29-bangjiao.md"


@pytest.mark.parametrize(
    "text, date",
    [
        ("二〇二四年六月三日上午，帮教团来到监狱。", "2024-06-03"),
        ("２０２４年６月３日，帮教团来到监狱。", "2024-06-03"),
        ("2024/6/3，帮教团来到监狱。", "2024-06-03"),
        ("2024年2月30日有误，2024-03-01 才对。", "2024-03-01"),
    ],
)
def test_the_date_the_text_states(work, text, date):
    source = write_docx(work / "稿.docx", paragraph("帮教团进监狱") + paragraph(text))
    run = jiandi(
        "import", str(source), "--type", "event", "--date", "2020-01-01",
        "--content", "content", cwd=work,
    )  # fmt: skip
    assert run.code == 0, run.output
    assert str(_record(run, work)[1]["date"]) == date
    assert "没有用 --date 2020-01-01" in run.output


def test_an_existing_record_is_never_overwritten(work):
    source = _news(work / "稿件.docx", alt="家属交谈")
    args = ("import", str(source), "--type", "event", "--visibility", "public")
    first = jiandi(*args, "--content", "content", cwd=work)
    assert first.code == 0, first.output
    path, _post = _record(first, work)
    before = path.read_bytes()
    assets = sorted((work / "content/assets").iterdir())
    second = jiandi(*args, "--content", "content", cwd=work)
    assert second.code == 1 and "已有文件" in second.output
    assert path.read_bytes() == before
    assert sorted((work / "content/assets").iterdir()) == assets  # no picture left behind
    third = jiandi(*args, "--id", "lianyuan-bangjiao-2", "--content", "content", cwd=work)
    assert third.code == 0, third.output
    assert (work / "content/assets/lianyuan-bangjiao-2-1.jpg").is_file()


def test_markup_characters_in_the_text_stay_text(work):
    """What would be Markdown, HTML or a jiandi fence in the text is read as the text itself."""
    import markdown as python_markdown

    lines = [
        "# 不是标题",
        "1. 不是列表",
        "- 也不是",
        ": 不是定义",
        "> 不是引用",
        "星号*不*是强调，下划线_也_不是，`反引号`，[方括号](x)，{: .x }",
        "<script>alert(1)</script> &amp; 竖线 | 反斜杠 \\ 感叹号 ![图](y)",
        "!!! note",
    ]
    body = paragraph("符号测试") + "".join(paragraph(line) for line in lines)
    source = write_docx(work / "符号.docx", body)
    run = jiandi(
        "import", str(source), "--type", "event", "--date", "2024-01-02",
        "--visibility", "public", "--content", "content", cwd=work,
    )  # fmt: skip
    assert run.code == 0, run.output
    _path, post = _record(run, work)
    html = python_markdown.markdown(
        post.content, extensions=["abbr", "admonition", "attr_list", "def_list", "footnotes",
                                  "md_in_html", "tables"],
    )  # fmt: skip
    assert html.count("<p>") == len(lines)
    import html as html_module
    import re

    seen = [
        html_module.unescape(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<p>(.*?)</p>", html)
    ]
    assert seen == lines
    assert jiandi("check", "--content", "content", cwd=work).code == 0


def test_internal_paragraphs_marked_in_word_stay_internal(work):
    """Lines "::: internal" and ":::" typed in Word mark an internal section as in Markdown; a
    line that only looks like one is reported by check (fail closed), at its line."""
    body = paragraph("标记测试") + paragraph("2024年1月2日，开展活动。")
    body += paragraph("::: internal") + paragraph("只给干警看的话") + paragraph(":::")
    source = write_docx(work / "标记.docx", body)
    run = _import(work, source)
    assert run.code == 0, run.output
    path, post = _record(run, work)
    assert post.content.endswith("::: internal\n\n只给干警看的话\n\n:::")
    from generator.content.sections import split

    segments, problems = split(post.content, 1)
    assert problems == [] and [s.text.strip() for s in segments if s.internal] == ["只给干警看的话"]
    bad = write_docx(work / "坏标记.docx", paragraph("标记") + paragraph("::: 内部"))
    run = jiandi(
        "import", str(bad), "--type", "event", "--date", "2024-01-03",
        "--visibility", "public", "--content", "content", cwd=work,
    )  # fmt: skip
    assert run.code == 1 and "无法识别的 “::: 内部”" in run.output
    assert (work / run.output.strip().splitlines()[-1]).is_file()  # kept, to be fixed


def test_merged_cells_and_an_unconvertible_picture_are_said(work):
    table = (
        '<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>'
        + paragraph("合并的表头")
        + "</w:tc></w:tr><w:tr><w:tc>"
        + paragraph("甲")
        + "</w:tc><w:tc>"
        + paragraph("乙")
        + "</w:tc></w:tr></w:tbl>"
    )
    body = paragraph("表格测试") + paragraph("2024年3月1日的记录。") + table
    body += "<w:p>" + picture("rId100", alt="示意图") + "</w:p>"
    source = write_docx(work / "表.docx", body, media={"image1.emf": b"\x01\x00\x00\x00" * 40})
    run = _import(work, source)
    assert run.code == 0, run.output
    _path, post = _record(run, work)
    assert "| 合并的表头 |   |\n| --- | --- |\n| 甲 | 乙 |" in post.content
    assert "合并的单元格" in run.output
    assert "第 1 张图片（EMF）无法转换" in run.output and "![" not in post.content


def test_a_full_disk_leaves_no_picture_and_says_where(work, monkeypatch):
    import errno

    from generator.importing import record

    def full(path, text):
        if path.suffix == ".md":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, text)

    real = record.write_new
    monkeypatch.setattr(record, "write_new", full)
    source = _news(work / "稿件.docx", alt="家属交谈")
    run = _import(work, source)
    assert run.code == 1 and "磁盘空间不够" in run.output and "Traceback" not in run.output
    assert "2024-06-03-lianyuan-dao-yanbeijianyu.md" in run.output
    assert not (work / "content/events/2024-06-03-lianyuan-dao-yanbeijianyu.md").exists()
    assert sorted(p.name for p in (work / "content/assets").iterdir()) == sorted(
        p.name for p in (SAMPLE / "assets").iterdir()
    )


def test_an_empty_document_is_refused(work):
    source = write_docx(work / "空白.docx", paragraph("") + paragraph("\u3000\u3000"))
    run = jiandi("import", str(source), "--type", "event", "--content", "content", cwd=work)
    assert run.code == 1 and "没有文字" in run.output


def test_a_record_half_written_on_a_full_disk_is_removed(tmp_path, monkeypatch):
    import errno

    from generator import new

    class Full(io.StringIO):
        def write(self, text):
            super().write(text)
            raise OSError(errno.ENOSPC, "No space left on device")

    real_open = Path.open

    def opening(self, mode="r", *args, **kwargs):
        handle = real_open(self, mode, *args, **kwargs)  # the file now exists
        if "x" in mode:
            handle.close()
            return Full()
        return handle

    monkeypatch.setattr(Path, "open", opening)
    with pytest.raises(OSError):
        new.write_new(tmp_path / "events" / "x.md", "---\ntitle: x\n---\n")
    assert not (tmp_path / "events" / "x.md").exists()


def test_alt_text_office_made_up_counts_as_none(work):
    made_up = "图片包含 室内, 人员, 桌子&#10;&#10;描述已自动生成"
    body = paragraph("帮教活动") + paragraph("2024年4月1日，开展帮教。")
    body += "<w:p>" + picture("rId100", alt=made_up) + "</w:p>"
    png = io.BytesIO()
    Image.new("RGBA", (50, 40), (0, 0, 0, 0)).save(png, "PNG")
    source = write_docx(work / "图.docx", body, media={"image1.png": png.getvalue()})
    run = _import(work, source)
    assert run.code == 0, run.output
    _path, post = _record(run, work)
    assert "![](../assets/2024-04-01-bangjiao-1.png)" in post.content
    assert "描述" not in post.content and "没有替代文字" in run.output


@pytest.mark.parametrize(
    "summary, body, repeated",
    [
        ("活动在会见楼举行。", "活动在会见楼举行。家属30人参加。", True),
        ("为**12名**家属送去问候。", "通讯员 周某\n\n为**12名**家属送去问候。还有……", True),
        ("为12名家属送去问候。", "为**12名**家属\\*送去问候。", False),
        ("长长的摘要被截断在这里……", "长长的摘要被截断在这里，后面还有很多话。", True),
        ("一句概括。", "## 标题\n\n别的话。", False),
        ("", "正文。", False),
    ],
)
def test_a_page_does_not_say_its_summary_twice(summary, body, repeated):
    """The page shows the summary as its lead unless the body begins with it (an imported
    record's summary comes from its first paragraph)."""
    from generator.site.render import opening

    assert opening(summary, body) is repeated


# What an attack on the import found (each once reached the public site or lost text).


def test_title_summary_and_date_never_come_from_an_internal_section(work):
    body = (
        paragraph("::: internal")
        + paragraph("内部小标题王某某", "2")
        + paragraph("2023年1月5日，内部情况：王某某情绪不稳定，需要重点关注。")
        + footnote_reference(1).join(["<w:p><w:r><w:t>内部注释</w:t></w:r>", "</w:p>"])
        + paragraph(":::")
        + paragraph("帮教活动报道", "2")
        + paragraph("2024年6月3日，涟源市司法局组织干警前往监狱开展帮教活动，效果良好。")
    )
    source = write_docx(work / "内部.docx", body, footnotes=footnotes("内部的脚注"))
    run = _import(work, source)
    assert run.code == 0, run.output
    path, post = _record(run, work)
    assert post["title"] == "帮教活动报道" and str(post["date"]) == "2024-06-03"
    assert post["summary"].startswith("2024年6月3日，涟源市司法局")
    assert "wang" not in path.name
    segments = [s for s in __import__("generator.content.sections").content.sections.split(
        post.content, 1)[0] if s.internal]  # fmt: skip
    assert len(segments) == 1 and "[^1]: 内部的脚注" in segments[0].text  # the note stays inside
    assert jiandi("check", "--content", "content", cwd=work).code == 0


def test_a_guide_key_never_comes_from_an_internal_section(work):
    body = (
        paragraph("会见预约办事指南", "9")
        + paragraph("办理地点", "2")
        + paragraph("涟源市司法局一楼大厅。")
        + paragraph("::: internal")
        + paragraph("内部备注：窗口由王某某负责。")
        + paragraph("办理时间：内部值班表")
        + paragraph(":::")
    )
    source = write_docx(work / "指南.docx", body)
    run = jiandi(
        "import", str(source), "--type", "guide", "--date", "2024-05-01",
        "--visibility", "public", "--content", "content", cwd=work,
    )  # fmt: skip
    _path, post = _record(run, work)
    assert post["place"] == "涟源市司法局一楼大厅。"
    assert post["hours"] != "内部值班表"
    assert (
        "::: internal\n\n内部备注：窗口由王某某负责。\n\n办理时间：内部值班表\n\n:::"
        in post.content
    )


def test_a_tilde_fence_in_the_text_stays_text(work):
    lines = ["~~~", "::: internal", "秘密文字王某某。", ":::", "~~~"]
    body = paragraph("符号") + paragraph("2024年1月2日。") + "".join(paragraph(x) for x in lines)
    run = _import(work, write_docx(work / "t.docx", body))
    _path, post = _record(run, work)
    from generator.content.sections import split

    segments, _problems = split(post.content, 1)
    assert [s.text.strip() for s in segments if s.internal] == ["秘密文字王某某。"]
    assert "&#126;~~" in post.content


def test_two_numbers_on_two_lines_of_a_cell_are_both_found(work):
    cell = "<w:tc>" + paragraph(ID_NUMBER) + paragraph("13812345678") + "</w:tc>"
    table = "<w:tbl><w:tr>" + "<w:tc>" + paragraph("联系") + "</w:tc>" + cell + "</w:tr>"
    table += (
        "<w:tr><w:tc>"
        + paragraph("甲")
        + "</w:tc><w:tc>"
        + paragraph("乙")
        + "</w:tc></w:tr></w:tbl>"
    )
    body = paragraph("登记表") + paragraph("2024年1月2日。") + table
    run = _import(work, write_docx(work / "表.docx", body))
    assert run.code == 1
    assert "身份证号" in run.output and "手机号" in run.output


def test_a_number_in_the_title_is_not_in_file_names(work):
    body = paragraph("帮教对象13812345678登记", "9") + paragraph("2024年1月2日。")
    body += "<w:p>" + picture("rId100", alt="表") + "</w:p>"
    png = io.BytesIO()
    Image.new("RGB", (20, 20)).save(png, "PNG")
    run = _import(work, write_docx(work / "号.docx", body, media={"image1.png": png.getvalue()}))
    path, _post = _record(run, work)
    assert "13812345678" not in path.name
    assert not [p for p in (work / "content/assets").iterdir() if "13812345678" in p.name]
    assert run.code == 1 and "手机号" in run.output  # the title itself is reported


def test_hidden_text_fields_and_phonetic_guides(work):
    body = paragraph("拼音测试") + (
        "<w:p><w:r><w:t>2024年1月2日，</w:t></w:r>"
        "<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏的话王某某</w:t></w:r>"
        '<w:r><w:t>第</w:t></w:r><w:fldSimple w:instr=" SEQ 图 \\* ARABIC ">'
        "<w:r><w:t>1</w:t></w:r></w:fldSimple><w:r><w:t>张图，拼音：</w:t></w:r>"
        "<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>jiān</w:t></w:r></w:rt>"
        "<w:rubyBase><w:r><w:t>监</w:t></w:r></w:rubyBase></w:ruby></w:r>"
        "<w:r><w:t>狱。</w:t></w:r></w:p>"
    )
    run = _import(work, write_docx(work / "隐.docx", body))
    assert run.code == 0, run.output
    _path, post = _record(run, work)
    assert post.content == "2024年1月2日，第1张图，拼音：监狱。"
    assert "1 处隐藏文字" in run.output


def test_pictures_beside_a_paragraph_and_in_the_title(work):
    png = io.BytesIO()
    Image.new("RGB", (30, 20), (1, 2, 3)).save(png, "PNG")
    vml = (
        '<w:p><w:r><w:pict><v:shape style="width:100pt;height:80pt">'
        '<v:imagedata r:id="rId101" o:title="会场"/></v:shape></w:pict></w:r></w:p>'
    )
    body = (
        '<w:p><w:pPr><w:pStyle w:val="9"/></w:pPr>' + picture("rId100", alt="徽标")
        + '<w:r><w:t>带徽标的标题</w:t></w:r></w:p>'
        + paragraph("2024年1月2日，活动举行。") + vml
    )  # fmt: skip
    media = {"logo.png": png.getvalue(), "hall.png": png.getvalue()}
    run = _import(work, write_docx(work / "图.docx", body, media=media))
    assert run.code == 0, run.output
    path, post = _record(run, work)
    assert post["title"] == "带徽标的标题"
    pictures = sorted(p.name for p in (work / "content/assets").iterdir() if path.stem in p.name)
    assert pictures == [f"{path.stem}-1.png"]  # the title's logo is not written
    assert f"(../assets/{path.stem}-1.png)" in post.content
    assert "第 1 张图片在标题里" in run.output


def test_headings_keep_a_closing_hash_and_titles_their_word_spaces(work):
    body = (
        '<w:p><w:pPr><w:pStyle w:val="9"/></w:pPr><w:r><w:t>Hello</w:t><w:br/>'
        "<w:t>World 培训</w:t></w:r></w:p>"
        + paragraph("学习C#", "2") + paragraph("2024年1月2日，学习。")
    )  # fmt: skip
    run = _import(work, write_docx(work / "h.docx", body))
    _path, post = _record(run, work)
    assert post["title"] == "Hello World 培训"
    assert post.content.startswith("## 学习C\\#\n")


@pytest.mark.filterwarnings("ignore:Duplicate name")  # the package is made so on purpose
def test_odd_files_and_packages_are_refused_at_once(work, monkeypatch):
    import os

    os.mkfifo(work / "管道.docx")
    run = jiandi("import", "管道.docx", "--type", "event", "--content", "content", cwd=work)
    assert run.code == 1 and "不是一个普通文件" in run.output
    good = _news(work / "good.docx", alt="x").read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(good))

    def repacked(change):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as packed:
            for name in archive.namelist():
                for new_name, data in change(name, archive.read(name)):
                    packed.writestr(new_name, data)
        return out.getvalue()

    late = repacked(
        lambda n, d: [(n, d.replace(b"?>", b"?><!--" + b"x" * 5000 + b'--><!DOCTYPE x [<!ENTITY a "b">]>', 1)
                       if n == "word/document.xml" else d)]
    )  # fmt: skip
    renamed = repacked(
        lambda n, d: [(n, d)] + ([("word/extra.bin", b'<?xml version="1.0"?><!DOCTYPE x []><x/>')]
                                 if n == "word/document.xml" else [])
    )  # fmt: skip
    twice = repacked(lambda n, d: [(n, d), (n, d)] if n == "word/document.xml" else [(n, d)])
    for what, data in [("late DTD", late), ("renamed", renamed), ("twice", twice)]:
        (work / "坏.docx").write_bytes(data)
        run = jiandi("import", "坏.docx", "--type", "event", "--content", "content", cwd=work)
        assert run.code == 1 and "Traceback" not in run.output, (what, run.output)
    from generator.importing import source

    monkeypatch.setattr(source, "MAX_PART", 1000)
    (work / "大.docx").write_bytes(good)
    run = jiandi("import", "大.docx", "--type", "event", "--content", "content", cwd=work)
    assert run.code == 1 and "太大了" in run.output


def test_control_characters_and_a_rule_s_date(work):
    body = paragraph("标题\x7f测试\u0085") + paragraph(
        "6月3日，干警学习2020年7月1日起施行的《社区矫正法》。"
    )
    run = _import(work, write_docx(work / "c.docx", body), "--date", "2024-06-03")
    assert run.code == 0, run.output
    _path, post = _record(run, work)
    assert post["title"] == "标题测试" and str(post["date"]) == "2024-06-03"


def test_ctrl_c_while_checking_leaves_nothing(work, monkeypatch):
    from generator.importing import record

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(record, "problems_in", interrupted)
    source = _news(work / "稿件.docx", alt="家属交谈")
    run = _import(work, source)
    assert run.code == 130 and "没有留下任何文件" in run.output
    assert not list((work / "content/events").glob("2024-06-03-*"))
    assert not list((work / "content/assets").glob("2024-06-03-*"))


def test_a_template_without_the_body_is_refused_not_followed(work, monkeypatch):
    templates = work / "templates"
    shutil.copytree(Path(__file__).parent.parent / "templates", templates)
    event = templates / "new/event.md.j2"
    event.write_text(event.read_text("utf-8").split("{% if body %}")[0] + "正文\n", "utf-8")
    monkeypatch.setattr("generator.config.project_file", lambda name: work / name)
    run = _import(work, _news(work / "稿件.docx", alt="x"))
    assert run.code == 1 and "没有 {{ body }}" in run.output
    assert not list((work / "content/events").glob("2024-06-03-*"))


def test_a_picture_too_large_is_said_so(work, monkeypatch):
    from generator.media import photos

    monkeypatch.setattr(photos, "MAX_PIXELS", 100)
    png = io.BytesIO()
    Image.new("RGB", (30, 20)).save(png, "PNG")
    body = (
        paragraph("大图")
        + paragraph("2024年1月2日。")
        + "<w:p>"
        + picture("rId100", "图")
        + "</w:p>"
    )
    run = _import(work, write_docx(work / "大图.docx", body, media={"big.png": png.getvalue()}))
    assert "第 1 张图片太大（30×20 像素）" in run.output


# What a second attack found.


def test_marks_that_do_not_pair_up_make_the_rest_count_as_internal(work):
    body = paragraph("嵌套测试") + "".join(
        paragraph(x)
        for x in ("::: internal", "::: internal", "内部甲。", ":::",
                  "SECRET21 2024年5月1日，罪犯张三在监区打架受伤住院治疗，需要关注。", ":::")
    )  # fmt: skip
    run = _import(work, write_docx(work / "嵌套.docx", body), "--date", "2024-06-03")
    _path, post = _record(run, work)
    assert str(post["date"]) == "2024-06-03" and "SECRET21" not in str(post.get("summary"))
    assert run.code == 1  # check refuses the marks, at their lines


def test_hidden_by_a_style_in_parts_of_any_name(work):
    styles = WPS_STYLES.replace(
        "</w:styles>",
        '<w:style w:type="paragraph" w:styleId="30"><w:name w:val="备注"/>'
        "<w:rPr><w:vanish/></w:rPr></w:style>"
        '<w:style w:type="character" w:styleId="31"><w:name w:val="隐"/>'
        "<w:rPr><w:vanish/></w:rPr></w:style>"
        '<w:style w:type="character" w:styleId="32"><w:name w:val="隐二"/>'
        '<w:basedOn w:val="31"/></w:style></w:styles>',
    )
    body = (
        paragraph("隐藏样式") + paragraph("2024年1月2日，公开的话。")
        + paragraph("SECRET-A 备注样式里的话", "30")
        + '<w:p><w:r><w:rPr><w:rStyle w:val="32"/></w:rPr><w:t>SECRET-B 继承的隐藏</w:t></w:r></w:p>'
    )  # fmt: skip
    source = write_docx(work / "样式.docx", body, styles=styles)
    for suffix in ("xml", "bin"):  # a part is what its relations say, whatever its name
        renamed = io.BytesIO()
        with zipfile.ZipFile(source) as original, zipfile.ZipFile(renamed, "w") as out:
            for name in original.namelist():
                moved = {
                    "word/document.xml": f"word/main.{suffix}",
                    "word/_rels/document.xml.rels": f"word/_rels/main.{suffix}.rels",
                }.get(name, name)
                data = original.read(name).replace(b"document.xml", f"main.{suffix}".encode())
                out.writestr(moved, data)
        (work / f"改名{suffix}.docx").write_bytes(renamed.getvalue())
    for number, name in enumerate(("样式.docx", "改名xml.docx", "改名bin.docx")):
        run = _import(work, work / name, "--id", f"hidden-{number}")
        assert run.code == 0, run.output
        _path, post = _record(run, work)
        assert post.content == "2024年1月2日，公开的话。" and "2 处隐藏文字" in run.output


def test_a_mark_after_shift_enter_and_one_inside_a_table(work):
    soft = (
        "<w:p><w:r><w:t>2024年1月2日，公开的文字。</w:t><w:br/><w:t>::: internal</w:t><w:br/>"
        "<w:t>SECRET31 软回车里的内部文字</w:t><w:br/><w:t>:::</w:t></w:r></w:p>"
    )
    run = _import(work, write_docx(work / "软.docx", paragraph("软回车") + soft))
    assert run.code == 0, run.output
    _path, post = _record(run, work)
    from generator.content.sections import split

    segments, problems = split(post.content, 1)
    assert problems == [] and [s.text.strip() for s in segments if s.internal] == [
        "SECRET31 软回车里的内部文字"
    ]
    cell = (
        "<w:tc>" + paragraph("::: internal") + paragraph("SECRET32") + paragraph(":::") + "</w:tc>"
    )
    table = f"<w:tbl><w:tr><w:tc>{paragraph('甲')}</w:tc>{cell}</w:tr></w:tbl>"
    body = paragraph("表里") + paragraph("2024年1月3日。") + table
    run = _import(work, write_docx(work / "表里.docx", body))
    assert run.code == 1 and "::: 写在了表格" in run.output
    assert not list((work / "content/events").glob("2024-01-03-*"))


def test_choice_and_fallback_that_differ_are_refused(work):
    alternate = (
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:t>看得见的公开文字</w:t>'
        "</mc:Choice><mc:Fallback><w:t>SECRET05只在后备内容里</w:t></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
    )
    body = paragraph("兼容") + paragraph("2024年1月2日。") + alternate
    run = _import(work, write_docx(work / "兼容.docx", body))
    assert run.code == 1 and "两种不同的写法" in run.output


def test_a_number_split_by_links_deleted_cells_and_prompts(work):
    links = (
        '<w:p><w:r><w:t>2024年1月2日，家属电话138</w:t></w:r><w:hyperlink r:id="rIdA"><w:r>'
        "<w:t>0013</w:t></w:r></w:hyperlink><w:r><w:t>8000。</w:t></w:r></w:p>"
    )
    table = (
        "<w:tbl><w:tr><w:tc>" + paragraph("甲") + "</w:tc><w:tc><w:tcPr><w:cellDel w:id=\"1\" "
        'w:author="x"/></w:tcPr>' + paragraph("SECRET-DELETED") + "</w:tc></w:tr><w:tr><w:tc>"
        + paragraph("乙") + "</w:tc></w:tr></w:tbl>"
    )  # fmt: skip
    prompt = (
        "<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>"
        + paragraph("单击此处输入文字。")
        + "</w:sdtContent></w:sdt>"
    )
    body = paragraph("链接") + links + table + prompt
    source = write_docx(work / "链.docx", body, links={"rIdA": "http://a.cn/"})
    run = _import(work, source)
    assert run.code == 1 and "手机号" in run.output
    _path, post = _record(run, work)
    assert "SECRET-DELETED" not in post.content and "单击此处" not in post.content


def test_an_id_with_a_long_number_is_refused(work):
    run = _import(work, _news(work / "稿件.docx", alt="x"), "--id", "2024-06-03-13800138000")
    assert run.code == 2 and "一长串数字" in run.output


# What a third attack found.


def test_hidden_by_a_table_style_the_default_style_or_the_defaults(work):
    cases = {
        "table": (
            '<w:style w:type="table" w:styleId="40"><w:name w:val="隐表"/>'
            '<w:tblStylePr w:type="firstRow"><w:rPr><w:vanish/></w:rPr></w:tblStylePr></w:style>',
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"40\"/></w:tblPr><w:tr><w:tc>"
            + paragraph("SECRET-T1") + "</w:tc><w:tc>" + paragraph("SECRET-T2")
            + "</w:tc></w:tr></w:tbl>",
        ),
        "normal": ("", paragraph("SECRET-N 默认样式里的话")),
        "defaults": (
            '<w:docDefaults><w:rPrDefault><w:rPr><w:vanish/></w:rPr></w:rPrDefault></w:docDefaults>',
            paragraph("SECRET-D 文档默认"),
        ),
    }  # fmt: skip
    for name, (style, hidden) in cases.items():
        styles = WPS_STYLES.replace("</w:styles>", style + "</w:styles>")
        if name == "normal":
            styles = styles.replace(
                '<w:name w:val="Normal"/>', '<w:name w:val="Normal"/><w:rPr><w:vanish/></w:rPr>'
            )
        shown = '<w:p><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>2024年1月2日，公开。</w:t></w:r></w:p>'
        title = (
            '<w:p><w:pPr><w:pStyle w:val="9"/></w:pPr><w:r><w:rPr><w:vanish w:val="0"/>'
            "</w:rPr><w:t>标题</w:t></w:r></w:p>"
        )
        source = write_docx(work / f"{name}.docx", title + shown + hidden, styles=styles)
        run = _import(work, source, "--id", f"hidden-{name}")
        assert run.code == 0, (name, run.output)
        _path, post = _record(run, work)
        assert "SECRET" not in post.content and "隐藏文字" in run.output, name


def test_strict_open_xml_is_refused(work):
    source = write_docx(work / "严格.docx", paragraph("标题") + paragraph("2024年1月2日。"))
    strict = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(strict, "w") as out:
        for name in original.namelist():
            out.writestr(name, original.read(name).replace(
                b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                b"http://purl.oclc.org/ooxml/wordprocessingml/main"))  # fmt: skip
    (work / "严格.docx").write_bytes(strict.getvalue())
    run = _import(work, work / "严格.docx")
    assert run.code == 1 and "Strict Open XML" in run.output


def test_full_width_marks_count_as_marks(work):
    body = paragraph("全角") + "".join(
        paragraph(x)
        for x in ("：：： internal", "SECRET-F 罪犯张三因病保外就医，此事仅限内部掌握。",
                  "2024年5月1日内部会议。", "：：：", "公开的最后一段，没有日期。")
    )  # fmt: skip
    run = _import(work, write_docx(work / "全角.docx", body), "--date", "2024-06-03")
    _path, post = _record(run, work)
    assert "SECRET" not in str(post.get("summary")) and str(post["date"]) == "2024-06-03"


def test_an_id_number_with_word_s_non_breaking_hyphens_is_found(work):
    body = paragraph("连字符") + paragraph("2024年1月2日，身份证 110105\u201119491231\u2011002X。")
    run = _import(work, write_docx(work / "连.docx", body))
    assert run.code == 1 and "身份证号" in run.output


def test_a_backslash_ending_a_link_address_stays_in_the_address(work):
    link = (
        '<w:p><w:r><w:t>2024年1月2日，见</w:t></w:r><w:hyperlink r:id="rIdB"><w:r><w:t>说明</w:t>'
        "</w:r></w:hyperlink><w:r><w:t>（附件）。</w:t></w:r></w:p>"
    )
    source = write_docx(
        work / "链.docx", paragraph("链接") + link, links={"rIdB": "https://example.com/a\\"}
    )
    run = _import(work, source)
    _path, post = _record(run, work)
    assert "[说明](https://example.com/a%5C)（附件）。" in post.content


def test_a_link_to_a_file_is_said_once():
    from generator.importing import markdown

    body = markdown.to_blocks('<p>见<a href="file:///C:/a.doc">附件</a>。</p>', {})
    assert [b.markdown for b in body.blocks] == ["见附件。"] and len(body.notices) == 1
