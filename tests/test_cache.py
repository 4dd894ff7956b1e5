"""A cache never changes the output: a warm build after an edit equals a cold build, byte for byte."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import SAMPLE, jiandi
from tests.test_site import tree_hash


def test_warm_build_after_edit_equals_cold_build(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1703635200")
    warm, cold = tmp_path / "warm", tmp_path / "cold"
    for work in (warm, cold):
        shutil.copytree(SAMPLE, work / "content")
    assert jiandi("build", "--content", "content", cwd=warm).code == 0  # fills build/booklet-cache
    cached = sorted(p.name for p in (warm / "build" / "booklet-cache").iterdir())
    assert cached
    for work in (warm, cold):
        record = work / "content/events/2023-12-27-lianyuan-zhuanchang.md"
        record.write_text(record.read_text("utf-8") + "\n补充：帮教档案已全部归档。\n", "utf-8")
    home = warm / "build/public/docs/index.md"
    untouched = home.stat().st_mtime_ns
    assert jiandi("build", "--content", "content", cwd=warm).code == 0  # reuses what it can
    assert home.stat().st_mtime_ns == untouched  # only a body changed: other pages not rewritten
    reused = set(cached) & {p.name for p in (warm / "build" / "booklet-cache").iterdir()}
    assert reused  # booklets the edit did not touch came from the cache
    assert jiandi("build", "--content", "content", cwd=cold).code == 0
    for edition in ("public", "internal"):
        assert tree_hash(warm / "site" / edition) == tree_hash(cold / "site" / edition), edition


@pytest.mark.parametrize("switch", ["JIANDI_NAV_CACHE", "JIANDI_MARKDOWN_REUSE"])
def test_what_is_kept_between_pages_equals_what_is_made_for_each(tmp_path, monkeypatch, switch):
    """The navigation is rendered once for the pages that would get the same HTML
    (plugin.NAV_WRAPPER); one Markdown instance serves every page (speedups
    .ReusedMarkdown). Made afresh for every page instead, each page must be the same."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1703635200")
    kept, fresh = tmp_path / "kept", tmp_path / "fresh"
    for work in (kept, fresh):
        shutil.copytree(SAMPLE, work / "content")
        # State a Markdown instance keeps until it is reset: footnotes and abbreviations.
        for name, mark in (("2023-12-27-lianyuan-zhuanchang", "甲"), ("2023-12-27-qianyue", "乙")):
            record = work / "content/events" / f"{name}.md"
            record.write_text(
                record.read_text("utf-8") + f"\n见注释[^{mark}]，HTML 也是。\n\n"
                f"[^{mark}]: 注释{mark}的内容。\n\n*[HTML]: 超文本{mark}\n",
                "utf-8",
            )
    assert jiandi("build", "--no-booklets", "--content", "content", cwd=kept).code == 0
    monkeypatch.setenv(switch, "0")
    assert jiandi("build", "--no-booklets", "--content", "content", cwd=fresh).code == 0
    for edition in ("public", "internal"):
        pages = sorted((kept / "site" / edition).rglob("*.html"))
        assert len(pages) > 30
        for page in pages:
            twin = fresh / "site" / edition / page.relative_to(kept / "site" / edition)
            assert page.read_bytes() == twin.read_bytes(), page
        assert tree_hash(kept / "site" / edition) == tree_hash(fresh / "site" / edition), edition
        # the navigation is there, with the current section marked on a record's page
        record = kept / "site" / edition / "events/2023-12-27-lianyuan-zhuanchang/index.html"
        assert "md-nav--primary" in record.read_text("utf-8")


def test_warm_build_after_front_matter_edit_equals_cold_build(tmp_path, monkeypatch):
    """A changed title shows on other pages too: every page is written again."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1703635200")
    warm, cold = tmp_path / "warm", tmp_path / "cold"
    for work in (warm, cold):
        shutil.copytree(SAMPLE, work / "content")
    assert jiandi("build", "--no-booklets", "--content", "content", cwd=warm).code == 0
    for work in (warm, cold):
        record = work / "content/events/2023-12-27-lianyuan-zhuanchang.md"
        text = record.read_text("utf-8")
        record.write_text(text.replace("title: ", "title: 【更新】", 1), "utf-8")
    assert jiandi("build", "--no-booklets", "--content", "content", cwd=warm).code == 0
    assert jiandi("build", "--no-booklets", "--content", "content", cwd=cold).code == 0
    for edition in ("public", "internal"):
        assert tree_hash(warm / "site" / edition) == tree_hash(cold / "site" / edition), edition
    assert "【更新】" in (warm / "site/public/index.html").read_text("utf-8")
