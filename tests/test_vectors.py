"""Every known way an internal record leaks from a static site, each checked on its own.

The corpus is the sample content plus internal records aimed at each vector: the newest event
(home "latest", prev/next, a year of its own in the archive), a child of a public event, an
internal bureau in a region of its own, records sharing public topics and bureaus, an internal
relation to a public policy, an image only internal content uses.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, jiandi, write_tree

PNG = bytes.fromhex(  # a real 4 × 4 image: the public edition refuses one it cannot read
    "89504e470d0a1a0a0000000d4948445200000004000000040802000000269309290000001449444154"
    "789c633c2127c700034c0c48003707003476010caf6ab9b50000000049454e44ae426082"
)

EXTRA = {
    "events/2026-01-05-neibu-zuixin.md": (
        "---\ntitle: 绝密联络安排甲乙丙\nvisibility: internal\ndate: 2026-01-05\n"
        "parent: 2023-12-27-lianhe-bangfu\nbureaus: [lianyuan, neibu-ju]\ntopics: [anzhi-bangjiao]\n"
        "related: [policies/yibao-guodu-anzhi]\n---\n内部活动正文丁戊己。\n\n"
        "![内部照片](../assets/neibu-zhaopian.png)\n"
    ),
    "bureaus/neibu-ju.md": (
        "---\ntitle: 试点内部司法局庚辛\nshort_name: 试点庚辛\nregion: 内部州壬癸\n"
        "visibility: internal\n---\n内部司法局简介。\n"
    ),
    "agreements/2026-01-06-neibu-xieyi.md": (
        "---\ntitle: 内部试点协议子丑寅\nvisibility: internal\ndate: 2026-01-06\n"
        "bureaus: [neibu-ju]\ntopics: [anzhi-bangjiao]\n---\n协议正文。\n"
    ),
    "assets/neibu-zhaopian.png": PNG,
    "assets/gongkai-zhaopian.png": PNG,
}
INTERNAL_TITLES = ["绝密联络安排甲乙丙", "试点内部司法局庚辛", "内部试点协议子丑寅", "内部州壬癸"]
INTERNAL_PATHS = [
    "events/2026-01-05-neibu-zuixin",
    "bureaus/neibu-ju",
    "agreements/2026-01-06-neibu-xieyi",
    "news/2026",
    "neibu-zhaopian.png",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("vectors")
    shutil.copytree(SAMPLE, work / "content")
    write_tree(work / "content", EXTRA)
    event = work / "content/events/2023-12-27-lianyuan-zhuanchang.md"
    event.write_text(
        event.read_text("utf-8") + "\n![帮教团现场](../assets/gongkai-zhaopian.png)\n", "utf-8"
    )
    run = jiandi("build", "--content", "content", cwd=work)
    assert run.code == 0, run.output
    return work / "site"


def text(site: Path, edition: str, name: str) -> str:
    data = (site / edition / name).read_bytes()
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8").replace("\u200b", "")


def assert_vector(site: Path, name: str) -> None:
    """No internal title or path in this public file, and some in its internal twin."""
    public = text(site, "public", name)
    found = [s for s in INTERNAL_TITLES + INTERNAL_PATHS if s in public]
    assert found == [], name
    internal = text(site, "internal", name)
    assert any(s in internal for s in INTERNAL_TITLES + INTERNAL_PATHS), f"{name}: no control"


@pytest.mark.parametrize(
    "name",
    [
        "search/search_index.json",  # search index (mkdocs#2288)
        "sitemap.xml",  # sitemap (mkdocs#2177)
        "sitemap.xml.gz",
        "feeds/news.xml",  # feeds (mkdocs-rss-plugin#147)
        "feeds/bureaus/lianyuan.xml",
        "feeds/topics/anzhi-bangjiao.xml",
        "index.html",  # home "latest" and the bureaus
        "news/index.html",  # archive: years and latest
        "bureaus/index.html",  # bureaus grouped by region
        "bureaus/lianyuan/index.html",  # landing page: events, counts
        "topics/anzhi-bangjiao/index.html",  # topic page (hugo#6216)
        "topics/index.html",  # counts per topic
        "events/2023-12-27-lianhe-bangfu/index.html",  # children of a public event
        "policies/yibao-guodu-anzhi/index.html",  # related lists, both directions
        "agreements/index.html",
    ],
)
def test_vector(built, name):
    assert_vector(built, name)


def test_nav_and_prev_next_on_every_page(built):
    for page in sorted((built / "public").rglob("*.html")):
        html = page.read_text("utf-8")
        assert "2026" not in html, page  # no year, nav entry or prev/next link of internal news
        assert "内部工作" not in html, page


def test_internal_pages_do_not_exist(built):
    for path in INTERNAL_PATHS[:4]:
        assert not (built / "public" / path).exists()
        assert (built / "internal" / path / "index.html").is_file()
    assert not (built / "public" / "internal").exists()


def test_404_page(built):
    html = text(built, "public", "404.html")
    assert not [s for s in INTERNAL_TITLES if s in html]
    assert "内部资料" not in html
    assert "内部资料" in text(built, "internal", "404.html")


def test_assets_only_when_public_content_uses_them(built):
    assert (built / "public/assets/gongkai-zhaopian.png").is_file()
    assert not (built / "public/assets/neibu-zhaopian.png").exists()
    assert (built / "internal/assets/neibu-zhaopian.png").is_file()


def test_no_sources_and_no_build_metadata(built):
    public = built / "public"
    assert not list(public.rglob("*.md")) and not list(public.rglob("*.yml"))
    assert not list(public.rglob("userdict*"))
    for path in public.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".txt"):
            body = path.read_text("utf-8", errors="ignore")
            assert str(built.parent) not in body, path  # no path of the build machine
            assert "jiandi_edition" not in body and "internal" not in json.dumps(path.name)


def test_counts_are_public_only(built):
    landing = text(built, "public", "bureaus/lianyuan/index.html")
    assert "新闻动态（共 3 条）" in landing
    assert "新闻动态（共 5 条）" in text(built, "internal", "bureaus/lianyuan/index.html")
    assert "共 4 个司法局" in text(built, "public", "bureaus/index.html")
    assert "共 5 个司法局" in text(built, "internal", "bureaus/index.html")


def test_no_public_page_links_into_the_internal_edition(built):
    for page in sorted((built / "public").rglob("*.html")):
        html = page.read_text("utf-8")
        assert "/internal/" not in html and "internal/index" not in html, page
