"""Atom feeds (feedgen): all news, and per bureau and per topic, for the edition's records only.

Dates come from the records (never the clock), so the same content gives the same feed bytes:
an entry is ``published`` on the record's date and ``updated`` on its content date (its latest
update), in Beijing time. A withdrawn record is in no feed (the edition leaves it out).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from feedgen.feed import FeedGenerator

from generator.clock import CHINA
from generator.content.corpus import Entry
from generator.editions import Edition
from generator.media.photos import Variant

EPOCH = dt.datetime(2000, 1, 1, tzinfo=CHINA)
LIMIT = 50  # entries per feed: a feed is for what is new


@dataclass(frozen=True)
class Feed:
    path: str  # under docs/, e.g. "feeds/bureaus/lianyuan.xml"
    title: str
    entries: list[Entry]
    page: str  # the page the feed belongs to, e.g. "bureaus/lianyuan/"


def _midnight(day: dt.date | None) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=CHINA) if day else EPOCH


def _when(entry: Entry) -> dt.datetime:
    return _midnight(getattr(entry.data, "date", None))


def _updated(entry: Entry) -> dt.datetime:
    return _midnight(entry.updated)


def _photo(entry: Entry) -> str:
    photo = getattr(entry.data, "image", None)
    return photo.src if photo else ""


def _newest(entries: Sequence[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (_when(e), e.ref), reverse=True)[:LIMIT]


def plan(edition: Edition, site_name: str) -> list[Feed]:
    """The feeds of an edition: news, then one per bureau and one per topic."""
    feeds = [Feed("feeds/news.xml", f"{site_name} · 新闻", _newest(edition.events), "news/")]
    for bureau in edition.bureaus:
        items = edition.concerning(bureau, "events") + edition.concerning(bureau, "policies")
        feeds.append(
            Feed(
                f"feeds/bureaus/{bureau.id}.xml",
                f"{site_name} · {bureau.data.title}",
                _newest(items),
                f"bureaus/{bureau.id}/",
            )
        )
    for slug, topic in edition.topics.items():
        items = edition.with_topic(slug, "events") + edition.with_topic(slug, "policies")
        feeds.append(
            Feed(
                f"feeds/topics/{slug}.xml",
                f"{site_name} · {topic.name}",
                _newest(items),
                f"topics/{slug}/",
            )
        )
    return feeds


def render(
    feed: Feed, site_url: str, author: str, thumbnails: dict[str, Variant] | None = None
) -> bytes:
    """The Atom XML of one feed. Links are absolute when the site has a ``site_url``.
    ``thumbnails``: a photo's name (assets/x.jpg) → its thumbnail, given as media:thumbnail
    (Media RSS: feedgen 1.0 drops the ``rel`` of an entry's Atom links, enclosures too)."""
    thumbnails = thumbnails or {}
    base = site_url.rstrip("/") + "/" if site_url else "/"
    generator = FeedGenerator()
    generator.id(base + feed.path)
    generator.title(feed.title)
    generator.author({"name": author})
    generator.link(href=base + feed.page, rel="alternate")
    generator.link(href=base + feed.path, rel="self")
    generator.language("zh-CN")
    generator.generator("jiandi")
    generator.updated(max((_updated(e) for e in feed.entries), default=EPOCH))
    if any(_photo(entry) in thumbnails for entry in feed.entries):
        generator.load_extension("media")
    for entry in reversed(feed.entries):  # feedgen prepends: add oldest first
        item = generator.add_entry()
        url = f"{base}{entry.kind}/{entry.id}/"
        item.id(url)
        item.title(entry.data.title)
        item.link(href=url)
        item.updated(_updated(entry))
        item.published(_when(entry))
        if entry.data.summary:
            item.summary(entry.data.summary)
        thumbnail = thumbnails.get(_photo(entry))
        if thumbnail:
            item.media.thumbnail(
                url=base + thumbnail.name, width=str(thumbnail.width), height=str(thumbnail.height)
            )
    atom: bytes = generator.atom_str(pretty=True)
    return atom


def write(
    edition: Edition,
    docs: Path,
    site_name: str,
    site_url: str,
    author: str,
    thumbnails: dict[str, Variant] | None = None,
) -> list[Feed]:
    """Write every feed of the edition under ``docs``."""
    feeds = plan(edition, site_name)
    for feed in feeds:
        target = docs / feed.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render(feed, site_url, author, thumbnails))
    return feeds
