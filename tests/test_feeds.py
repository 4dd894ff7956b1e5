"""Atom feeds: parsed back with feedparser, linked from pages, public ones without internal records."""

from __future__ import annotations

import re

import feedparser

from generator.check import validate


def parse(build, edition, name):
    return feedparser.parse((build / "site" / edition / "feeds" / name).read_bytes())


def test_news_feed_lists_every_public_event(sample_build):
    corpus, _ = validate(sample_build / "content")
    feed = parse(sample_build, "public", "news.xml")
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "监地共建 · 新闻"
    assert feed.feed.language == "zh-CN"
    public = {
        f"https://jiandi.example.cn/events/{e.id}/"
        for e in corpus.entries["events"].values()
        if e.public
    }
    assert {entry.link for entry in feed.entries} == public
    dates = [entry.published for entry in feed.entries]
    assert dates == sorted(dates, reverse=True)  # newest first
    assert all(entry.title and entry.id for entry in feed.entries)


def test_internal_feed_has_internal_records_public_never(sample_build):
    internal = parse(sample_build, "internal", "news.xml")
    titles = {entry.title for entry in internal.entries}
    assert "监地共建联络员首次会商（内部）" in titles
    assert internal.feed.links[0].href.startswith("https://jiandi.example.cn/internal/")
    for name in ["news.xml", "bureaus/lianyuan.xml", "topics/anzhi-bangjiao.xml"]:
        public = parse(sample_build, "public", name)
        assert "监地共建联络员首次会商（内部）" not in {e.title for e in public.entries}, name
        assert "联合帮教工作内部指引" not in {e.title for e in public.entries}, name


def test_bureau_and_topic_feeds(sample_build):
    feed = parse(sample_build, "public", "bureaus/lianyuan.xml")
    titles = {entry.title for entry in feed.entries}
    assert "联合帮扶活动涟源市专场：帮教团进高墙答疑解惑" in titles
    assert "出狱后的医保和过渡安置" in titles  # policies that concern the bureau, too
    assert "联合帮扶活动开福区专场：讲家乡变化，讲帮教政策" not in titles
    topic = parse(sample_build, "public", "topics/xinli-zixun.xml")
    assert {e.title for e in topic.entries} >= {
        "联合帮扶活动宁乡市专场：家属进监面对面，团体心理辅导建支持"
    }


def test_feeds_are_linked(sample_build):
    page = (sample_build / "site/public/bureaus/lianyuan/index.html").read_text("utf-8")
    # announced by visible links (rel="alternate"), never by <link> in the head: Material fetches
    # a sitemap.xml beside each of those
    assert re.search(
        r'<a href="../../feeds/bureaus/lianyuan.xml" rel="alternate" '
        r'type="application/atom\+xml">订阅涟源市',
        page,
    ), page
    home = (sample_build / "site/public/index.html").read_text("utf-8")
    assert (
        '<a href="feeds/news.xml" rel="alternate" type="application/atom+xml">订阅新闻</a>' in home
    )
    assert '<link rel="alternate"' not in home
    assert not list((sample_build / "site/public/feeds").rglob("sitemap.xml"))
