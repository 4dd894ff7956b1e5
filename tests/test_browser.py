"""The public site in a real browser: Debian's Chromium driven by Playwright.

Loads with no console error and no request to another host; Chinese search finds pages by words
that occur only in bodies; landing pages list their records and link feed and booklet; a
390-px phone opens the menu; the 404 page works; printing hides the chrome; axe-core finds no
serious or critical accessibility violation. Screenshots go to test-output/ for people to see.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / ".npm" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "test-output" / "screenshots"
playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (make test installs it)"
)


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, and the site's own 404 page for what is missing (as a real server does)."""

    def log_message(self, *args):  # quiet
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.exists():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            super().send_error(code, message, explain)


@pytest.fixture(scope="module")
def base_url(sample_build):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(sample_build / "site/public"))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    tab.errors, tab.requests = [], []
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.on("request", lambda r: tab.requests.append(r.url))
    yield tab
    context.close()


def shot(tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_home_loads_clean_and_local_only(page, base_url):
    page.goto(base_url)
    page.wait_for_load_state("networkidle")
    assert page.title() == "监地共建"
    assert page.get_attribute("html", "lang") == "zh"
    assert page.errors == []
    assert [u for u in page.requests if not u.startswith(base_url)] == []
    assert page.locator("img[alt^='各月新闻数']").count() == 1
    shot(page, "home")


def search(tab, base_url, query: str) -> list[str]:
    tab.goto(base_url)
    tab.wait_for_load_state("networkidle")
    box = tab.locator("input.md-search__input")
    if tab.viewport_size["width"] < 960:  # a phone: the search icon opens the box
        tab.locator("label.md-header__button[for='__search']").click()
        tab.wait_for_timeout(300)
    box.click()
    for _ in range(40):  # the search worker may still be loading its index
        box.fill(query)
        box.press("End")  # Material reads the box on keyup
        time.sleep(0.25)
        titles = tab.locator(".md-search-result__item h1, .md-search-result__item h2")
        if titles.count():
            return [t.replace("\u200b", "") for t in titles.all_inner_texts()]
    return []


@pytest.mark.parametrize(
    "query, expected",
    [
        ("医保", "出狱后的医保和过渡安置"),  # a word from bodies
        ("小卉", "联合帮扶活动开福区专场：讲家乡变化，讲帮教政策"),  # only inside a body
        ("子女入党", "刑满释放后找工作，孩子入党受影响吗"),
    ],
)
def test_chinese_search(page, base_url, query, expected):
    titles = search(page, base_url, query)
    assert any(expected in t for t in titles), titles
    if query == "医保":
        shot(page, "search")
    assert page.errors == []


def test_landing_pages(page, base_url, sample_build):
    from generator.check import validate

    corpus, _ = validate(sample_build / "content")
    for bureau in corpus.entries["bureaus"].values():
        page.goto(f"{base_url}bureaus/{bureau.id}/")
        links = {a.get_attribute("href") for a in page.locator("article a").all()}
        for event in corpus.entries["events"].values():
            if bureau.id in event.data.bureaus and event.public:
                assert f"../../events/{event.id}/" in links, (bureau.id, event.id)
        for agreement in corpus.entries["agreements"].values():
            if bureau.id in agreement.data.bureaus:
                assert f"../../agreements/{agreement.id}/" in links
        assert f"../../feeds/bureaus/{bureau.id}.xml" in links
        assert f"../../booklets/bureaus/{bureau.id}.pdf" in links
        response = page.request.get(f"{base_url}booklets/bureaus/{bureau.id}.pdf")
        assert response.ok and response.body()[:5] == b"%PDF-"
    page.goto(f"{base_url}bureaus/lianyuan/")
    shot(page, "bureau-lianyuan")


def test_mobile_menu(browser, base_url):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    tab = context.new_page()
    tab.goto(base_url)
    nav = tab.locator("nav.md-nav--primary")
    assert not nav.is_visible() or nav.bounding_box()["x"] < 0
    tab.locator("label.md-header__button[for='__drawer']").click()
    tab.wait_for_timeout(400)
    assert tab.locator("nav.md-nav--primary a:has-text('各地司法局')").first.is_visible()
    shot(tab, "mobile-menu")
    context.close()


def test_404_page(page, base_url):
    response = page.goto(f"{base_url}no-such-page/")
    assert response.status == 404
    assert "404" in page.content()
    assert page.locator(".md-header").is_visible()  # the site's own page, styled
    shot(page, "404")


def test_print_hides_chrome(page, base_url):
    page.goto(f"{base_url}policies/yibao-guodu-anzhi/")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", ".md-search"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("article h1").is_visible()


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (make test installs it)")
@pytest.mark.parametrize(
    ("path", "width"),
    [
        ("", 1280),
        ("", 390),
        ("bureaus/lianyuan/", 1280),
        ("events/2023-12-27-qianyue/", 1280),  # an event with a photo
        ("policies/anzhi-bangjiao-fanwei/", 1280),
        ("guides/yuancheng-shipin-huijian/", 1280),
        ("guides/yuancheng-shipin-huijian/", 390),
        ("news/", 1280),
        ("search", 1280),
        ("search", 390),
    ],
)
def test_accessibility(browser, base_url, path, width):
    """axe-core: no violation of any impact (minor and moderate included)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    if path == "search":
        assert search(page, base_url, "安置帮教")
    else:
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
    ]
    context.close()
    assert found == [], "\n".join(map(str, found))


@pytest.mark.parametrize(
    ("width", "scale", "chosen"), [(390, 1, "480"), (390, 3, "1600"), (1280, 1, "960")]
)
def test_photo_srcset_picks_a_size_for_the_screen(browser, base_url, width, scale, chosen):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, device_scale_factor=scale
    )
    tab = context.new_page()
    tab.goto(f"{base_url}events/2023-12-27-qianyue/")
    photo = tab.locator("figure.jd-photo img")
    photo.wait_for()
    tab.wait_for_function("document.querySelector('figure.jd-photo img').complete")
    assert photo.evaluate("img => img.currentSrc").endswith(f"/assets/qianyue.jpg.{chosen}.webp")
    box = photo.bounding_box()
    assert box and box["width"] <= width and box["height"] > 0.6 * box["width"]
    context.close()


def test_charts_are_read_at_a_readable_size_on_a_phone(browser, base_url):
    """The SVG's text is 12 units in a 340-unit drawing: shown at the column's width on a
    390-px phone, it must come out at 11 px or more."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    for path in ("", "bureaus/lianyuan/"):
        tab.goto(base_url + path)
        for chart in tab.locator("figure.jd-chart img").all():
            chart.scroll_into_view_if_needed()
            box = chart.bounding_box()
            assert box and box["width"] * 12 / 340 >= 11, (path, box)
    context.close()


def test_large_type_and_high_contrast_persist_across_pages(browser, base_url):
    """The reading aids: a button in every header, keyboard-operable, kept for the next page."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    tab.goto(base_url)
    size = tab.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)"
    )
    large = tab.locator("button[data-jd-aid=large]")
    assert large.get_attribute("aria-pressed") == "false"
    large.focus()
    tab.keyboard.press("Enter")  # the keyboard alone
    assert large.get_attribute("aria-pressed") == "true"
    bigger = tab.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)"
    )
    assert bigger >= size * 1.2
    tab.locator("button[data-jd-aid=contrast]").click()
    tab.goto(f"{base_url}guides/yuancheng-shipin-huijian/")  # another page: both still on
    assert tab.evaluate("document.documentElement.classList.contains('jd-large')")
    assert tab.evaluate("document.documentElement.classList.contains('jd-contrast')")
    assert tab.locator("button[data-jd-aid=contrast]").get_attribute("aria-pressed") == "true"
    background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
    colour = tab.evaluate("getComputedStyle(document.querySelector('.md-typeset p')).color")
    assert background == "rgb(0, 0, 0)" and colour == "rgb(255, 255, 255)"
    shot(tab, "aids-large-contrast-390")
    tab.locator("button[data-jd-aid=large]").click()  # off again, and kept off
    tab.reload()
    assert not tab.evaluate("document.documentElement.classList.contains('jd-large')")
    context.close()


def test_keyboard_alone_reaches_the_guides(page, base_url):
    """Tab from the top of the home page: the skip link, the header, the tabs, then content."""
    page.goto(base_url)
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.textContent.trim()"))
        if seen[-1] == "办事服务":
            break
    assert "办事服务" in seen, seen
    page.keyboard.press("Enter")
    page.wait_for_url("**/guides/")
    assert page.locator("h1").inner_text() == "办事服务"


class Mounted(Handler):
    """The public edition at /, the internal one at /internal/ (as deploy/nginx.conf serves
    them), each with its own 404 page."""

    site: Path = Path()

    def translate_path(self, path):
        rest = path.split("?", 1)[0]
        if rest.startswith("/internal/"):
            self.directory = str(self.site / "internal")
            return super().translate_path(rest[len("/internal") :])
        self.directory = str(self.site / "public")
        return super().translate_path(path)


def _serve(handler):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.mark.parametrize("mount", ["/internal/", "/"])
def test_internal_404_page_works_under_internal_and_at_a_root(browser, sample_build, mount):
    site = sample_build / "site"
    if mount == "/":
        handler = functools.partial(Handler, directory=str(site / "internal"))
    else:
        handler = type("M", (Mounted,), {"site": site})
    server, root = _serve(handler)
    try:
        tab = browser.new_page()
        failed = []
        tab.on("requestfailed", lambda r: failed.append(r.url))
        tab.on(
            "response",
            lambda r: failed.append(r.url) if r.status >= 400 and "no-such" not in r.url else None,
        )
        response = tab.goto(f"{root}{mount.lstrip('/')}no-such/page/")
        assert response.status == 404
        tab.wait_for_load_state("networkidle")
        assert tab.locator("h1").inner_text().startswith("页面不存在")
        assert tab.locator(".md-header").is_visible()  # styled: its stylesheets were found
        home = tab.locator("a:has-text('返回首页')").evaluate("a => a.href")
        assert home == f"{root}{mount.lstrip('/')}"
        if mount == "/internal/":  # where deploy/nginx.conf serves it: nothing fetched in vain
            assert failed == []
        tab.close()
    finally:
        server.shutdown()
