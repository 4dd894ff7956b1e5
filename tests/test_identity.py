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
        # at the email's own line, though its last digits are on the phone's line too
        ("email: jiandi@example.cn", "email: 13800000000@139.com", "手机号"),
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


CONAC = """\
      conac_mark:
        image: assets/conac-example.png
        link: https://bszs.conac.cn/sitename?method=show&id=EXAMPLE
"""


def test_the_conac_mark_is_published_and_shown_in_every_footer(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "content")
    old = "      police_record: 湘公网安备 00000000000000号\n"
    run = check_with_settings(tmp_path, old, old + CONAC)
    assert run.code == 0, run.output
    built = jiandi("build", "--content", "content", "--no-booklets", cwd=tmp_path)
    assert built.code == 0, built.output
    for edition in ("public", "internal"):
        site = tmp_path / "site" / edition
        assert (site / "assets/conac-example.png").is_file()
        for page in ("index.html", "guides/yuancheng-shipin-huijian/index.html"):
            footer = (site / page).read_text("utf-8").split("jd-identity", 1)[1]
            assert 'href="https://bszs.conac.cn/sitename?method=show&amp;id=EXAMPLE"' in footer
            assert 'alt="党政机关网站标识" width="220" height="80"' in footer


@pytest.mark.parametrize(
    ("image", "link", "said"),
    [
        ("assets/none.png", "https://bszs.conac.cn/sitename?method=show&id=1", "找不到这个文件"),
        ("conac.png", "https://bszs.conac.cn/sitename?method=show&id=1", "标识图片的路径"),
        ("assets/conac-example.png", "https://example.cn/conac", "验证链接"),
    ],
)
def test_a_wrong_conac_mark_is_an_error_at_its_line(tmp_path, image, link, said):
    shutil.copytree(SAMPLE, tmp_path / "content")
    old = "      police_record: 湘公网安备 00000000000000号\n"
    mark = f"      conac_mark:\n        image: {image}\n        link: {link}\n"
    run = check_with_settings(tmp_path, old, old + mark)
    assert run.code == 1
    assert any(line.startswith("mkdocs.yml:") and said in line for line in run.lines), run.output


def test_footer_links_the_pages_a_government_site_must_have(sample_build):
    site = sample_build / "site" / "public"
    page = (site / "events" / "2023-12-27-qianyue" / "index.html").read_text("utf-8")
    for href, title in (
        ("../../contact/", "联系我们"),
        ("../../map/", "网站地图"),
        ("../../privacy/", "隐私声明"),
        ("../../accessibility/", "无障碍声明"),
    ):
        assert f'<a href="{href}">{title}</a>' in page
        assert (site / href.strip("./") / "index.html").is_file()
    contact = (site / "contact" / "index.html").read_text("utf-8")
    assert "湖南省雁北监狱（示例）" in contact and "0738-00000000（示例号码）" in contact
    site_map = (site / "map" / "index.html").read_text("utf-8")
    pages = [p for p in site.rglob("index.html") if p.parent.parts[-1] not in ("map", "public")]
    for record in ("events/2023-12-27-qianyue", "guides/falv-yuanzhu-shenqing", "bureaus/kaifu"):
        assert f'href="../{record}/"' in site_map
    assert "lianluoyuan" not in site_map  # an internal record: never on the public map
    assert len(pages) > 30


def test_the_conac_mark_written_as_its_image_alone_is_shown_unlinked_with_a_warning(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "content")
    old = "      police_record: 湘公网安备 00000000000000号\n"
    run = check_with_settings(tmp_path, old, old + "      conac_mark: assets/conac-example.png\n")
    assert run.code == 0, run.output
    assert any("警告" in line and "link" in line for line in run.lines), run.output
    built = jiandi(
        "build", "--content", "content", "--no-booklets", "--edition", "public", cwd=tmp_path
    )
    assert built.code == 0, built.output
    footer = (tmp_path / "site/public/index.html").read_text("utf-8").split("jd-identity", 1)[1]
    assert '<p class="jd-identity__mark"><img src="assets/conac-example.png"' in footer
