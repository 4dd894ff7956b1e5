"""The site's identity (mkdocs.yml extra.jiandi.site): typed, checked, and shown in the footer
of every page of both editions, each item that is set."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import ROOT, SAMPLE, check_with_settings, jiandi

SHOWN = [
    "主办单位：湖南省雁北监狱（示例）",
    "承办单位：湖南省雁北监狱办公室（示例）",
    "地址：湖南省示例市示例区示例路 1 号（示例）",
    "联系电话：0731-00000000（示例）",
    '<a href="mailto:jiandi@example.cn">jiandi@example.cn</a>',
    "网站标识码：0000000000",
    '<a href="https://beian.miit.gov.cn/" rel="noopener">湘ICP备00000000号</a>',
    "registerSystemInfo?recordcode=00000000000000",
]


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_every_page_shows_the_site_identity_in_its_footer(sample_build, edition):
    pages = sorted((sample_build / "site" / edition).rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text("utf-8")
        footer = html[html.index('class="md-copyright jd-identity"') :]
        missing = [item for item in SHOWN if item not in footer]
        assert missing == [], f"{page}: {missing}"
        assert "Made with" not in footer


def test_items_not_set_are_not_shown(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "content")
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    start = text.index("    site:\n")
    end = text.index("police_record:", start)
    end = text.index("\n", end) + 1
    (tmp_path / "mkdocs.yml").write_text(
        text[:start] + "    site:\n      sponsor: 某单位\n" + text[end:], "utf-8"
    )
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    run = jiandi(
        "build",
        "--content",
        "content",
        "--out",
        "site",
        "--no-booklets",
        "--edition",
        "public",
        cwd=tmp_path,
    )
    assert run.code == 0, run.output
    footer = (tmp_path / "site/public/index.html").read_text("utf-8").split("jd-identity", 1)[1]
    assert "主办单位：某单位" in footer
    assert "承办单位" not in footer and "beian" not in footer and "网站标识码" not in footer


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("icp: 湘ICP备00000000号", "icp: 备案00000000", "不像ICP 备案号"),
        (
            "police_record: 湘公网安备 00000000000000号",
            "police_record: 公安备案",
            "不像公安机关备案号",
        ),
        ('site_code: "0000000000"', 'site_code: "12"', "不像网站标识码"),
        ("email: jiandi@example.cn", "email: jiandi", "不像电子邮箱"),
        ("phone: 0731-00000000（示例）", 'phone: "13812345678"', "手机号"),
        ("      sponsor:", "      sponser:", "是不是要写 “sponsor”"),
    ],
)
def test_a_wrong_identity_item_is_an_error_at_its_line(tmp_path, old, new, expected):
    shutil.copytree(SAMPLE, tmp_path / "content")
    run = check_with_settings(tmp_path, old, new)
    text = (tmp_path / "mkdocs.yml").read_text("utf-8")
    line = next(n for n, row in enumerate(text.split("\n"), 1) if new.strip() in row)
    assert run.code == 1, run.output
    assert any(f"mkdocs.yml:{line}: " in row and expected in row for row in run.lines), run.output
