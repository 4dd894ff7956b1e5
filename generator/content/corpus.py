"""The corpus: every record of a content tree that loaded cleanly, as typed entries, with the
topics and the assets. Later stages see it only through an edition (editions.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, cast

from typing_extensions import TypeVar

from generator.clock import CHINA, shown
from generator.content import links as links_mod
from generator.content import sections, yamlstrict
from generator.content.kinds import RECORD_TYPES
from generator.content.model import Record, Topic

# The hold of a draft: later than any embargo.
NEVER = dt.datetime.max.replace(tzinfo=CHINA)

# Before any moment: the hold of a record that is not held, in comparisons.
OPEN = dt.datetime.min.replace(tzinfo=CHINA)

# An entry's record type; a bare ``Entry`` holds any record.
R = TypeVar("R", bound=Record, default=Record, covariant=True)
S = TypeVar("S", bound=Record)


@dataclass
class Entry(Generic[R]):
    """One validated record, as read from ``path``."""

    kind: str
    id: str
    path: Path
    data: R
    raw: Any  # the loaded front matter, with the line of every key and item
    segments: list[sections.Segment]
    links: list[tuple[links_mod.Link, bool]] = field(default_factory=list)  # (link, in internal)
    # What checks found in this entry, by check: an entry is only made again when its file
    # changed, so what is kept here is as current as the entry (see personal.py).
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.id}"

    # When the record may be public (see load.load): None if it is public now, or internal; the
    # moment of its ``publish_at`` while it is under embargo; NEVER while it is a draft.
    held_until: dt.datetime | None = field(default=None, compare=False)

    @property
    def public(self) -> bool:
        """In the public edition now: ``visibility: public``, not a draft, not under embargo.
        Everything that publishes asks this; what is held is treated as internal everywhere."""
        return self.data.visibility == "public" and self.held_until is None

    @property
    def meant_public(self) -> bool:
        """Written to be public (``visibility: public``), held or not: the rules for public
        content (personal numbers, alt texts, links) apply from the first ``check``, not from
        the build at which an embargo lifts."""
        return self.data.visibility == "public"

    @property
    def held(self) -> str:
        """ "草稿", "待发布" or "" (not held)."""
        if self.held_until is None:
            return ""
        return "草稿" if self.held_until == NEVER else "待发布"

    @property
    def updated(self) -> dt.date | None:
        """The content date: the latest of the record's own dates, its ``updates`` and its
        withdrawal (the sitemap's lastmod, the feeds' updated). None for a record with none."""
        days = [u.date for u in self.data.updates]
        if self.data.withdrawn is not None:
            days.append(self.data.withdrawn.date)
        for key in ("date", "published"):
            if day := getattr(self.data, key, None):
                days.append(day)
        return max(days) if days else None

    def line(self, *loc: str | int) -> int:
        """File line of a front matter key or list item, e.g. ``line("topics", 1)``."""
        return yamlstrict.line_of(self.raw, loc, 1)


@dataclass
class Corpus:
    """Everything in a content tree that loaded cleanly."""

    root: Path
    topics: dict[str, Topic]
    topic_lines: dict[str, int]
    entries: dict[str, dict[str, Entry]]
    assets: dict[str, Path]  # "assets/<name>" -> file
    # The moment the corpus was read for (SOURCE_DATE_EPOCH, else the clock): embargoes,
    # expiry and overdue follow-ups are decided against it, once for the whole build.
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(tz=CHINA))

    @property
    def today(self) -> dt.date:
        """The day of ``now`` in Beijing: expiry and overdue follow-ups are decided on it."""
        return self.now.astimezone(CHINA).date()

    def next_release(self) -> tuple[dt.datetime, Entry] | None:
        """The earliest embargo still to lift, and its record."""
        waiting = [
            (e.held_until, e)
            for e in self.all()
            if e.held_until is not None and e.held_until != NEVER
        ]
        return min(waiting, key=lambda pair: (pair[0], pair[1].ref)) if waiting else None

    def all(self) -> Iterator[Entry]:
        for kind in RECORD_TYPES:
            yield from self.entries[kind].values()

    def get(self, ref: str) -> Entry | None:
        kind, _, ident = ref.partition("/")
        return self.entries.get(kind, {}).get(ident)

    def find(self, ref: str) -> Entry | None:
        """A record by ``kind/id``, or by a bare id if exactly one record has it."""
        if "/" in ref:
            return self.get(ref.strip("/").removesuffix(".md"))
        matches = [e for kind in self.entries.values() for i, e in kind.items() if i == ref]
        return matches[0] if len(matches) == 1 else None

    def refused(self, ref: str) -> bool:
        """Whether ``ref`` (``kind/id`` or a bare id) names a record file that is there but did
        not load: its own errors are reported at it, so a reference to it is not one more."""
        kind, _, ident = ref.strip("/").removesuffix(".md").partition("/")
        kinds = [kind] if ident else list(RECORD_TYPES)
        ident = ident or kind
        return any(
            ident not in self.entries.get(k, {}) and (self.root / k / f"{ident}.md").is_file()
            for k in kinds
            if k in RECORD_TYPES
        )


# The preview's records read, by file: (stamp, text, entry, problems); see load.load.
Memo = dict[Path, tuple[tuple[int, ...], str, "Entry | None", list[Any]]]


def of_type(entries: Iterable[Entry], model: type[S]) -> list[Entry[S]]:
    """The entries whose record is a ``model``, typed as such (each is checked)."""
    return [cast("Entry[S]", entry) for entry in entries if isinstance(entry.data, model)]


def hidden_from(entry: Entry, target: Entry) -> bool:
    """Whether a reference from ``entry`` to ``target`` would point, on the public site, at a
    page that is not there: ``entry`` is meant to be public and ``target`` is internal, or is
    held (a draft, an embargo) past the moment ``entry`` is published."""
    if not entry.meant_public:
        return False
    if not target.meant_public:
        return True
    return (target.held_until or OPEN) > (entry.held_until or OPEN)


def leak_message(entry: Entry, target: Entry, how: str) -> str:
    """Why a reference from public ``entry`` to ``target`` (``hidden_from``) cannot stand."""
    if target.meant_public:  # held: a draft, or embargoed past entry's own moment
        why = (
            "草稿（draft: true）"
            if target.held == "草稿"
            else f"定时发布的记录（publish_at: {shown(target.held_until or OPEN)}）"
        )
        return (
            f"公开记录 {entry.ref} {how}{why} {target.ref}：它发布之前，公开网站上没有这一页。"
            f"请等它发布后再引用、把这个引用放进 “::: internal” 段落，或让两条记录同时发布"
        )
    return (
        f"公开记录 {entry.ref} {how}内部记录 {target.ref}（{target.path.name}，"
        f"visibility: internal）：公开网站不能指向内部内容。请删掉这个引用、"
        f"把它放进 “::: internal” 段落，或把 {target.ref} 改为公开"
    )


def hold(data: Record, now: dt.datetime) -> dt.datetime | None:
    """Until when a record is kept from the public edition (see ``Entry.held_until``)."""
    if data.draft:
        return NEVER
    if data.publish_at is not None and data.publish_at > now:
        return data.publish_at
    return None
