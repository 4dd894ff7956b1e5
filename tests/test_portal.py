"""The news-portal face: the home page leads with the newest news, news lists are paginated 20
per page with aligned dates, furniture only where it serves, Chinese theme strings."""

from __future__ import annotations

import re

import pytest

from tests.conftest import BUREAU, TOPICS, jiandi, write_tree


def _news(day: int) -> str:
    month, date = divmod(day, 28)
    return (
        f"---\ntitle: 第{day}条新闻\nvisibility: public\ndate: 2023-{month + 1:02d}-{date + 1:02d}\n"
        f"bureaus: [lianyuan]\n---\n正文{day}。\n"
    )


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    work = tmp_path_factory.mktemp("portal")
    files = {"topics.yml": TOPICS, "bureaus/lianyuan.md": BUREAU}
    files |= {f"events/n{day:03d}.md": _news(day) for day in range(45)}
    write_tree(work / "content", files)
    run = jiandi("build", "--content", "content", "--no-booklets", "--edition", "public", cwd=work)
    assert run.code == 0, run.output
    return work / "site" / "public"


def _titles(html: str) -> list[str]:
    return re.findall(r">(第\d+条新闻)</a>", html)


def test_news_lists_are_paginated_twenty_per_page(many):
    first = (many / "news" / "index.html").read_text("utf-8")
    second = (many / "news" / "page" / "2" / "index.html").read_text("utf-8")
    third = (many / "news" / "page" / "3" / "index.html").read_text("utf-8")
    assert not (many / "news" / "page" / "4").exists()
    assert _titles(first)[:2] == ["第44条新闻", "第43条新闻"] and len(_titles(first)) == 20
    assert len(_titles(second)) == 20 and len(_titles(third)) == 5
    assert set(_titles(first)).isdisjoint(_titles(second))
    assert 'href="page/2/" rel="next">下一页' in first and "上一页" not in first
    assert (
        'href="../../" rel="prev">上一页' in second and 'href="../3/" rel="next">下一页' in second
    )
    assert '<span aria-current="page">3</span>' in third
    # a year's list too
    year = (many / "news" / "2023" / "index.html").read_text("utf-8")
    assert (
        len(_titles(year)) == 20 and (many / "news" / "2023" / "page" / "3" / "index.html").exists()
    )
    # dates aligned: each item's date is its own element at the end of the row
    rows = re.findall(r"<li>.*?</li>", first, re.S)
    # in Chinese (an ISO date after a title ending in digits reads as one long number)
    assert all(
        re.search(r'<span class="jd-date">2023年\d+月\d+日</span></li>$', row) for row in rows
    )


def test_every_list_page_has_a_description(many):
    for path in (
        "news/index.html",
        "news/page/2/index.html",
        "bureaus/index.html",
        "guides/index.html",
        "map/index.html",
        "topics/index.html",
    ):
        html = (many / path).read_text("utf-8")
        assert re.search(r'<meta name="description" content="[^"]{6,}"', html), path


def test_home_leads_with_the_newest_news(sample_build):
    home = (sample_build / "site" / "public" / "index.html").read_text("utf-8")
    article = home[home.index("<article") :]
    sections = re.findall(r"<h2[^>]*>(.*?)</h2>", article)
    names = [re.sub(r"<[^>]+>", "", s) for s in sections]
    assert names[0] == "雁北监狱与四地司法局签署监地共建协议"  # the newest news with a photo
    order = [
        names.index(n)
        for n in ("新闻", "政策解读", "办事服务", "各地司法局", "共建领域", "新闻统计")
    ]
    assert order == sorted(order)
    assert article.index("<picture>") < article.index("政策解读")  # the lead photo first
    assert article.index("jd-chart") > article.index("共建领域")  # the chart after the sections


def test_furniture_only_where_it_serves(sample_build):
    site = sample_build / "site" / "public"
    home = (site / "index.html").read_text("utf-8")
    event = (site / "events" / "2023-12-27-qianyue" / "index.html").read_text("utf-8")
    guide = (site / "guides" / "yuancheng-shipin-huijian" / "index.html").read_text("utf-8")
    news = (site / "news" / "index.html").read_text("utf-8")
    assert "md-footer__link" not in home  # no previous/next
    for page in (home, event, guide):
        assert re.search(r'data-md-type="navigation"[^>]*hidden', page)  # no sidebar navigation
    assert re.search(r'data-md-type="toc"[^>]*hidden', event)  # two headings: no contents
    assert not re.search(r'data-md-type="toc"[^>]*hidden', guide)  # six: contents
    assert 'class="md-tabs"' in news  # sections as tabs
    assert "md-banner" not in home  # no empty strip above the header


def test_header_names_the_sponsor_and_the_404_page_speaks_chinese(sample_build):
    site = sample_build / "site"
    home = (site / "public" / "index.html").read_text("utf-8")
    header = home[home.index("<header") : home.index("</header>")]
    assert "湖南省雁北监狱（示例）" in header and "监地共建" in header
    assert 'src="assets/images/jiandi-logo.svg"' in header
    for edition, root in (("public", "/"), ("internal", "/internal/")):
        missing = (site / edition / "404.html").read_text("utf-8")
        assert "页面不存在" in missing and "Not found" not in missing
        assert (
            f'var p="{root}"' in missing or f"var p={root!r}" in missing or f'"{root}"' in missing
        )


def test_pager_works_in_a_browser(many):
    """Click through the pages of the news list as a reader does, on a phone."""
    import functools
    import http.server
    import threading

    from tests.test_browser import CHROMIUM, playwright

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(many))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            tab = browser.new_page(viewport={"width": 390, "height": 844})
            tab.goto(root + "news/")
            assert tab.locator(".jd-news li").count() == 20
            tab.locator(".jd-pager a[rel=next]").click()
            tab.wait_for_url("**/news/page/2/")
            assert tab.locator(".jd-news li a").first.inner_text() == "第24条新闻"
            tab.locator(".jd-pager a:has-text('3')").click()
            tab.wait_for_url("**/news/page/3/")
            assert tab.locator(".jd-news li").count() == 5
            tab.locator(".jd-pager a[rel=prev]").click()
            tab.wait_for_url("**/news/page/2/")
            # the date column lines up: every date ends at the same x
            boxes = [d.bounding_box() for d in tab.locator(".jd-news .jd-date").all()]
            assert len({round(box["x"] + box["width"]) for box in boxes}) == 1, boxes
            browser.close()
    finally:
        server.shutdown()


def test_a_title_ending_in_digits_next_to_its_date_is_no_phone_number(tmp_path):
    """The property test found it: an ISO date right after a title ending in digits read as a
    mobile number to the output check (17532 2024-01-05). Lists print dates in Chinese."""
    news = "---\ntitle: 帮扶活动17532\nvisibility: public\ndate: 2024-01-05\n---\n正文。\n"
    write_tree(tmp_path / "content", {"topics.yml": TOPICS, "events/2024-01-05-a.md": news})
    run = jiandi(
        "build", "--content", "content", "--no-booklets", "--edition", "public", cwd=tmp_path
    )
    assert run.code == 0, run.output
