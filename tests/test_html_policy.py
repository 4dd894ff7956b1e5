"""Raw HTML in records: dangerous HTML is an error at check, and cleaned from every page."""

from __future__ import annotations

import shutil

import pytest

from generator.content.html_policy import clean
from tests.conftest import SAMPLE, jiandi
from tests.test_load import OK_FRONT, event, only


@pytest.mark.parametrize(
    "html, message",
    [
        ("<script>alert(1)</script>", "不允许的 HTML 标签 <script>"),
        ('<iframe src="https://x.cn"></iframe>', "不允许的 HTML 标签 <iframe>"),
        ('<form action="/x"><input></form>', "不允许的 HTML 标签 <form>"),
        ("<style>body{display:none}</style>", "不允许的 HTML 标签 <style>"),
        ('<object data="x.swf"></object>', "不允许的 HTML 标签 <object>"),
        ('<img src="x.png" onerror="alert(1)">', "不允许的 HTML 属性 onerror="),
        ('<a href="javascript:alert(1)">点我</a>', "不允许的地址 “javascript:alert(1)”"),
        ('<a href=" JaVaScRiPt:alert(1)">点我</a>', "不允许的地址"),
        ('<img src="data:image/svg+xml;base64,AAA">', "不允许的地址"),
        ('<p style="background:url(https://x.cn/t.png)">x</p>', "<p> 不允许属性 style="),
        ('<td style="color:red">x</td>', "<td> 的 style 只能设置 text-align"),
    ],
)
def test_dangerous_html_is_an_error(check, html, message):
    run = check({"events/x.md": event(OK_FRONT, f"正文\n\n{html}\n")})
    assert run.code == 1
    lines = only(run, "content/events/x.md")
    assert lines[0].startswith("content/events/x.md:8: " + message)


def test_markdown_javascript_link_is_an_error(check):
    run = check({"events/x.md": event(OK_FRONT, "[点我](javascript:alert(1))\n")})
    (line,) = only(run, "content/events/x.md")
    assert line.startswith("content/events/x.md:6: 链接地址 “javascript:alert(1)” 不允许")


@pytest.mark.parametrize(
    "body",
    [
        "第一行<br>第二行，H<sub>2</sub>O，10<sup>3</sup>",
        "<details><summary>展开</summary>\n\n内容\n\n</details>",
        "自动链接 <https://www.moj.gov.cn/>",
        "```html\n<script>alert(1)</script>\n```",
        "行内代码 `<iframe>` 不算",
        '<table><tr><td style="text-align: center">居中</td></tr></table>',
    ],
)
def test_harmless_html_is_fine(check, body):
    run = check({"events/x.md": event(OK_FRONT, body + "\n")})
    assert run.code == 0, run.output


def test_internal_sections_follow_the_same_policy(check):
    run = check({"events/x.md": event(OK_FRONT, "::: internal\n<script>x()</script>\n:::\n")})
    (line,) = only(run, "content/events/x.md")
    assert line.startswith("content/events/x.md:7: 不允许的 HTML 标签 <script>")


def test_clean_removes_what_check_would_refuse():
    dirty = (
        '<p onclick="x()">a<script>alert(1)</script><!-- 备注 -->'
        '<a href="javascript:x">b</a><iframe src="//x"></iframe>'
        '</p><table><tr><td style="text-align: right; background: url(//x)">c</td></tr></table>'
    )
    cleaned = clean(dirty)
    for bad in ("onclick", "script", "alert", "备注", "javascript", "iframe", "background"):
        assert bad not in cleaned
    assert "text-align" in cleaned


def test_html_comments_never_reach_a_page(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "content")
    event_file = tmp_path / "content/events/2023-12-27-qianyue.md"
    event_file.write_text(
        event_file.read_text("utf-8") + "\n<!-- 作者备注：照片待审核 -->\n", "utf-8"
    )
    assert jiandi("build", "--no-booklets", "--content", "content", cwd=tmp_path).code == 0
    for edition in ("public", "internal"):
        html = (tmp_path / "site" / edition / "events/2023-12-27-qianyue/index.html").read_text(
            "utf-8"
        )
        assert "照片待审核" not in html
