"""Full builds of the sample content: pages, landing pages, marks, failed builds."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import yaml

from generator.check import validate
from tests.conftest import SAMPLE, jiandi, write_tree


def html(build: Path, edition: str, page: str) -> str:
    return (build / "site" / edition / page / "index.html").read_text("utf-8")


def test_every_record_has_a_page(sample_build):
    corpus, _ = validate(sample_build / "content")
    for entry in corpus.all():
        page = sample_build / "site" / "internal" / entry.kind / entry.id / "index.html"
        assert page.is_file(), entry.ref
        public_page = sample_build / "site" / "public" / entry.kind / entry.id / "index.html"
        assert public_page.is_file() == entry.public, entry.ref


def test_each_landing_page_lists_its_events_and_agreement(sample_build):
    corpus, _ = validate(sample_build / "content")
    for bureau in corpus.entries["bureaus"].values():
        page = html(sample_build, "public", f"bureaus/{bureau.id}")
        events = [
            e for e in corpus.entries["events"].values() if bureau.id in e.data.bureaus and e.public
        ]
        agreements = [
            a for a in corpus.entries["agreements"].values() if bureau.id in a.data.bureaus
        ]
        assert events and agreements, bureau.id
        for record in events + agreements:
            assert f'href="../../{record.kind}/{record.id}/"' in page, (bureau.id, record.ref)
        assert f"新闻动态（共 {len(events)} 条）" in page


def test_landing_page_shows_figures_with_as_of_and_source(sample_build):
    page = html(sample_build, "public", "bureaus/lianyuan")
    assert "4078名" in page and "3574名" in page and "2023年12月" in page
    assert "涟源市司法局在2023年12月27日活动中介绍的情况" in page


def test_event_page_metadata(sample_build):
    page = html(sample_build, "public", "events/2023-12-27-lianyuan-zhuanchang")
    assert "2023年12月27日" in page
    assert 'href="../2023-12-27-lianhe-bangfu/"' in page  # parent
    assert 'href="../../bureaus/lianyuan/"' in page
    assert 'href="../../topics/anzhi-bangjiao/"' in page
    parent = html(sample_build, "public", "events/2023-12-27-lianhe-bangfu")
    for child in ("lianyuan", "kaifu", "ningxiang"):
        assert f'href="../2023-12-27-{child}-zhuanchang/"' in parent


def test_index_pages(sample_build):
    assert "娄底市" in html(sample_build, "public", "bureaus")
    assert "2023年" in html(sample_build, "public", "news")
    assert (sample_build / "site/public/news/2023/index.html").is_file()
    for slug in ("anzhi-bangjiao", "fazhi-jiaoyu"):
        assert (sample_build / f"site/public/topics/{slug}/index.html").is_file()
    assert (sample_build / "site/public/policies/index.html").is_file()
    assert (sample_build / "site/public/agreements/index.html").is_file()
    assert not (sample_build / "site/public/internal").exists()
    for page in (
        "internal",
        "internal/follow-ups",
        "internal/contacts",
        "internal/register",
        "internal/guide",
    ):
        assert (sample_build / f"site/internal/{page}/index.html").is_file()


def test_internal_marks_and_noindex(sample_build):
    for page in sorted((sample_build / "site/internal").rglob("*.html")):
        text = page.read_text("utf-8")
        assert '<meta name="robots" content="noindex,nofollow">' in text, page
        assert "内部资料" in text, page
    for page in sorted((sample_build / "site/public").rglob("*.html")):
        text = page.read_text("utf-8")
        assert "noindex" not in text and "内部资料" not in text, page
    assert "Disallow: /" in (sample_build / "site/internal/robots.txt").read_text()
    public_robots = (sample_build / "site/public/robots.txt").read_text()
    assert "Allow: /" in public_robots
    assert "Sitemap: https://jiandi.example.cn/sitemap.xml" in public_robots


def test_zh_search_index(sample_build):
    index = json.loads((sample_build / "site/public/search/search_index.json").read_text("utf-8"))
    assert index["config"]["lang"] == ["zh"]
    locations = {doc["location"] for doc in index["docs"]}
    assert any(loc.startswith("events/2023-12-27-lianyuan-zhuanchang/") for loc in locations)
    assert not any(loc.startswith("news/") for loc in locations)  # list pages are excluded
    text = " ".join(doc["text"] for doc in index["docs"])
    assert "\u200b" in text  # segmented by jieba


def test_no_external_requests_in_html(sample_build):
    for page in sorted((sample_build / "site/public").rglob("*.html")):
        text = page.read_text("utf-8")
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text, page


def test_generated_project_is_plain_mkdocs(sample_build):
    config = yaml.safe_load((sample_build / "build/public/mkdocs.yml").read_text("utf-8"))
    assert config["theme"]["language"] == "zh"
    assert config["validation"]["not_found"] == "warn"
    assert config["strict"] is True
    docs = sample_build / "build/public/docs"
    assert (docs / "events/2023-12-27-qianyue.md").is_file()
    nav_text = json.dumps(config["nav"], ensure_ascii=False)
    assert "2023-12-27-qianyue" not in nav_text  # the nav stays compact


def tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(str(path.relative_to(root)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_failed_build_leaves_last_good_site(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "content")
    assert (
        jiandi(
            "build", "--no-booklets", "--content", "content", "--edition", "public", cwd=tmp_path
        ).code
        == 0
    )
    before = tree_hash(tmp_path / "site" / "public")
    write_tree(tmp_path / "content", {"events/bad.md": "---\ntitle: x\n---\n"})
    run = jiandi(
        "build", "--no-booklets", "--content", "content", "--edition", "public", cwd=tmp_path
    )
    assert run.code == 1
    assert "content/events/bad.md:1: 缺少必填字段 “visibility”" in run.output
    assert tree_hash(tmp_path / "site" / "public") == before
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["public"]


def test_rebuild_leaves_no_stale_files(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "content")
    assert (
        jiandi(
            "build", "--no-booklets", "--content", "content", "--edition", "public", cwd=tmp_path
        ).code
        == 0
    )
    (tmp_path / "content/events/2023-12-27-kaifu-zhuanchang.md").unlink()
    for path in (tmp_path / "content").rglob("*.md"):
        text = path.read_text("utf-8")
        path.write_text(
            text.replace("[开福区专场](2023-12-27-kaifu-zhuanchang.md)", "开福区专场"), "utf-8"
        )
    run = jiandi(
        "build", "--no-booklets", "--content", "content", "--edition", "public", cwd=tmp_path
    )
    assert run.code == 0, run.output
    assert not (tmp_path / "site/public/events/2023-12-27-kaifu-zhuanchang").exists()


def test_author_guide_lists_every_code(sample_build):
    from generator.codes import CODES

    guide = (sample_build / "site/internal/internal/guide/index.html").read_text("utf-8")
    assert "编写指南" in guide and "::: internal" in guide
    assert [code for code in CODES if code not in guide] == []
