"""Render pages with Jinja2 (StrictUndefined, autoescape) into Markdown text."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import posixpath
import re
import unicodedata
from collections.abc import Iterable
from itertools import groupby
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from generator import clock
from generator.content.corpus import Entry
from generator.content.disclosure import notice, validity
from generator.content.model import Disclosure, Event, Figure, FollowUp
from generator.content.yamlstrict import to_plain
from generator.editions import Edition
from generator.site.pages import Page, record_path


def cndate(value: dt.date) -> str:
    """2023-12-27 → 2023年12月27日."""
    return f"{value.year}年{value.month}月{value.day}日"


def cnasof(value: str) -> str:
    """An as-of date (YYYY-MM-DD or YYYY-MM) in Chinese."""
    parts = [int(p) for p in value.split("-")]
    return f"{parts[0]}年{parts[1]}月" + (f"{parts[2]}日" if len(parts) == 3 else "")


def figure(value: Figure) -> str:
    number = f"{value.value:g}" if isinstance(value.value, float) else str(value.value)
    if value.unit == "%":
        return f"{number}%" + ("以上" if value.approx else "")
    return number + ("余" if value.approx else "") + value.unit


def mdtext(value: str) -> Markup:
    """Text safe inside Markdown link text: brackets and emphasis characters escaped."""
    escaped = " ".join(str(Markup.escape(value)).split("\n"))  # one line: no new Markdown block
    for char in "\\[]*_`":
        escaped = escaped.replace(char, "\\" + char)
    return Markup(escaped)


def mdcell(value: object) -> Markup:
    """Text safe inside a Markdown table cell."""
    return Markup(str(mdtext(str(value))).replace("|", "\\|").replace("\n", " "))


def plain(value: object) -> Markup:
    """A free-form internal value (text, list or mapping) as readable text."""
    if isinstance(value, str):
        return mdcell(value)
    dumped = yaml.safe_dump(
        to_plain(value), allow_unicode=True, default_flow_style=True, sort_keys=False
    )
    return mdcell(dumped.strip())


def to_yaml(value: str) -> Markup:
    return Markup(json.dumps(value, ensure_ascii=False))


def groupby_month(events: Iterable[Entry[Event]]) -> list[tuple[int, list[Entry[Event]]]]:
    return [
        (month, list(items)) for month, items in groupby(events, key=lambda e: e.data.date.month)
    ]


STATUS_ORDER = ["有效", "已修订", "已失效", "已废止"]


def groupby_status(
    entries: Iterable[Entry[Disclosure]], today: dt.date
) -> list[tuple[str, list[Entry[Disclosure]]]]:
    """Records grouped by their validity on ``today``, in force first."""
    groups: dict[str, list[Entry[Disclosure]]] = {}
    for entry in entries:
        groups.setdefault(validity(entry, today).status, []).append(entry)
    return [(status, groups[status]) for status in STATUS_ORDER if status in groups]


def sourced(figures: Iterable[Figure], entry: Entry) -> list[tuple[Figure, Entry]]:
    return [(f, entry) for f in figures]


def environment(templates: Path, cache: Path | None = None) -> jinja2.Environment:
    """The page and booklet environment; ``cache`` keeps compiled templates between builds
    (caches.jinja_folder; Jinja2 keys each by its source, so an edited template is compiled
    again)."""
    bytecode = None
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        bytecode = jinja2.FileSystemBytecodeCache(str(cache))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        auto_reload=False,  # one build never sees a template change; stat()s cost 10,000 calls
        bytecode_cache=bytecode,
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters.update(
        cndate=cndate,
        cnasof=cnasof,
        figure=figure,
        mdtext=mdtext,
        mdcell=mdcell,
        plain=plain,
        yaml=to_yaml,
        groupby_month=groupby_month,
        sourced=sourced,
        groupby_status=groupby_status,
    )
    env.tests["overdue_on"] = overdue
    env.tests["opening"] = opening
    env.globals.update(
        disclosure_notice=notice,
        validity=validity,
        badge=badge,
        visibility_note=visibility_note,
        overdue=overdue,
    )
    return env


def _bare(text: str) -> str:
    """Text without Markdown's marks, escapes and spaces, for comparing what a reader sees."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images: their text
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\\(.)|[\s*_`]+", lambda match: match.group(1) or "", text)


def opening(summary: str, body: str) -> bool:
    """``summary is opening(body)``: the summary is how one of the body's first paragraphs
    begins (a record imported from Word takes it from the first one that is a sentence, after
    a byline). The page then does not say it twice."""
    bare = _bare(summary.removesuffix("……"))
    firsts = [part for part in body.split("\n\n") if part.strip()][:3]
    return bool(bare) and any(_bare(part).startswith(bare) for part in firsts)


def overdue(item: FollowUp, today: dt.date) -> bool:
    """An open follow-up whose due date has passed (逾期)."""
    return item.status == "open" and item.due is not None and item.due < today


def visibility_note(entry: Entry) -> str:
    """Why a record is not on the public site (its page's 可见性 row), or "" when it is."""
    if entry.public:
        return ""
    if not entry.meant_public:
        return "内部（不对外公开）"
    if entry.held == "草稿":
        return "草稿（draft: true，不对外公开）"
    moment = entry.held_until or entry.data.publish_at or clock.now()
    return f"待发布：{clock.shown(moment)} 起公开（北京时间）"


def badge(entry: Entry) -> Markup:
    """The mark after a record's title in lists of the internal edition: 内部, 草稿 or 待发布."""
    if entry.public:
        return Markup("")
    word = entry.held or "内部"
    return Markup(f' <span class="jd-badge">{word}</span>')


@functools.lru_cache(maxsize=65536)
def relative(target: str, start: str) -> str:
    """``os.path.relpath(target, start)`` for the project's own relative POSIX paths, without
    its two getcwd() calls (13,000 links at 1,000 records made it a fifth of page rendering)."""
    if target.startswith("/") or start.startswith("/") or ".." in target or ".." in start:
        return posixpath.relpath(target, start)
    to = [part for part in target.split("/") if part not in ("", ".")]
    here = [part for part in start.split("/") if part not in ("", ".")]
    common = 0
    while common < min(len(to), len(here)) and to[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


def _page_url(path: str) -> str:
    """The folder a page is served from with directory URLs: events/x.md → events/x."""
    stem = path.removesuffix(".md")
    return stem.removesuffix("index").rstrip("/") or "."


def render_page(
    env: jinja2.Environment, edition: Edition, page: Page, settings: dict[str, Any]
) -> str:
    """The Markdown text of one page."""
    here = os.path.dirname(page.path)

    def url_path(target: Entry | str) -> str:
        return record_path(target) if isinstance(target, Entry) else target

    def url(target: Entry | str) -> str:
        return relative(url_path(target), here or ".")

    def href(target: Entry | str) -> str:
        """The link as it must read in raw HTML, where MkDocs does not rewrite it."""
        return relative(_page_url(url_path(target)), _page_url(page.path)) + "/"

    context: dict[str, Any] = {
        "edition": edition,
        "settings": settings,
        "url": url,
        "href": href,
        "title": page.title or settings["site_name"],
        "page_title": page.title,  # the home page has none: its <title> is the site's name
        "description": "",
        "searchable": page.searchable,
        "today": edition.corpus.today,
        **page.vars,
    }
    entry = page.vars.get("entry")
    context["lastmod"] = edition.content_date(entry if isinstance(entry, Entry) else None)
    if isinstance(entry, Entry):
        context["body"] = Markup(edition.body(entry))
        context["description"] = entry.data.summary or ""
    text = env.get_template(page.template).render(context).strip("\n") + "\n"
    return without_furniture(text, page)


_HEADING = re.compile(r"^#{2,6}[ \t]", re.MULTILINE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1[ \t]*$", re.MULTILINE | re.DOTALL)


def without_furniture(text: str, page: Page) -> str:
    """The theme's furniture only where it serves (Material's ``hide`` front matter): no
    sidebar navigation beside a record, no contents beside a page of fewer than three
    headings, and on the home page (a portal's front page, not an article) neither, nor the
    previous/next links."""
    if not text.startswith("---\n"):
        return text
    end = text.index("\n---\n", 3)
    body = _FENCE.sub("", text[end + 5 :])
    hide = []
    if page.path == "index.md" or "entry" in page.vars:
        hide.append("navigation")
    if page.path == "index.md" or len(_HEADING.findall(body)) < 3:
        hide.append("toc")
    if page.path == "index.md":
        hide.append("footer")
    if not hide:
        return text
    lines = "".join(f"\n  - {item}" for item in hide)
    return f"{text[:end]}\nhide:{lines}{text[end:]}"
