"""Editions: what one edition (public or internal) may see of a corpus.

Everything later in the pipeline asks the edition, never the corpus: the public edition holds
public records only, their bodies without ``::: internal`` sections, and no ``internal:`` fields.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.content.corpus import Corpus, Entry, of_type
from generator.content.model import (
    Agreement,
    Bureau,
    Event,
    Figure,
    FollowUp,
    Guide,
    Policy,
    Topic,
)
from generator.content.sections import join_cjk_lines

EditionName = Literal["public", "internal"]
KINDS_SHOWN = ("events", "policies", "agreements", "guides")  # what a bureau's page lists

INTERNAL_OPEN = (
    '<div class="jd-internal" markdown="1">\n\n'
    '<p class="jd-internal__label">内部资料 · 以下内容只在内部版中显示</p>\n\n'
)
INTERNAL_CLOSE = "\n\n</div>"


@dataclass
class Edition:
    """One edition's view of the corpus: records sorted, bodies cut, relations resolved."""

    name: EditionName
    corpus: Corpus
    events: list[Entry[Event]] = field(default_factory=list)  # newest first
    policies: list[Entry[Policy]] = field(default_factory=list)  # by title
    agreements: list[Entry[Agreement]] = field(default_factory=list)  # newest first
    bureaus: list[Entry[Bureau]] = field(default_factory=list)  # by region, then short name
    guides: list[Entry[Guide]] = field(default_factory=list)  # by title
    # Withdrawn records (``withdrawn:``): each keeps its page, with a notice, but is in none of
    # the lists above, so no list, count, feed, booklet or search result shows it.
    withdrawn: list[Entry] = field(default_factory=list)  # by ref
    mentions: dict[str, list[Entry]] | None = None  # reverse ``related`` index, built on demand
    # Other indexes built once on demand: asking every record on every page (children of an
    # event, records of a bureau) made rendering quadratic: 25 s for 10,000 records.
    indexes: dict[str, dict[Any, list[Entry]]] = field(default_factory=dict)

    @property
    def internal(self) -> bool:
        return self.name == "internal"

    @property
    def topics(self) -> dict[str, Topic]:
        return self.corpus.topics

    def sees(self, entry: Entry | None) -> bool:
        return entry is not None and (self.internal or entry.public)

    def get(self, ref: str) -> Entry | None:
        entry = self.corpus.get(ref)
        return entry if self.sees(entry) else None

    def records(self) -> list[Entry]:
        """Every record that has a page in this edition, withdrawn ones included."""
        return [
            *self.bureaus,
            *self.events,
            *self.policies,
            *self.agreements,
            *self.guides,
            *self.withdrawn,
        ]

    def body(self, entry: Entry) -> str:
        """The Markdown body for this edition: internal sections dropped, or marked as such."""
        parts: list[str] = []
        for segment in entry.segments:
            if not segment.internal:
                parts.append(segment.text)
            elif self.internal:
                parts.append(INTERNAL_OPEN + segment.text.strip("\n") + INTERNAL_CLOSE)
        return join_cjk_lines("\n\n".join(parts).strip("\n")) + "\n"

    # Relations, each limited to what this edition sees.

    def content_date(self, entry: Entry | None = None) -> dt.date | None:
        """When what a page shows last changed, from the content (never the build date): a
        record's own content date (a bureau's also its records'), or without ``entry`` the
        newest of the edition's."""
        if entry is not None and entry.kind != "bureaus":
            return entry.updated
        if entry is None:
            return self._newest
        shown = [entry, *(e for k in KINDS_SHOWN for e in self.concerning(entry, k))]
        days = [day for e in shown if (day := e.updated) is not None]
        return max(days) if days else None

    @functools.cached_property
    def _newest(self) -> dt.date | None:
        """The newest content date of the edition: once, not for each of its list pages."""
        days = [day for e in self.records() if (day := e.updated) is not None]
        return max(days) if days else None

    def latest(self, kind: str, count: int) -> list[Entry]:
        """The ``count`` records of ``kind`` changed last (content dates: their date or latest
        update; undated ones after the dated, by title): the home page's lists."""
        records = sorted(self.of_kind(kind), key=lambda e: (e.data.title, e.id))
        return sorted(records, key=lambda e: e.updated or dt.date.min, reverse=True)[:count]

    def bureaus_of(self, entry: Entry) -> list[Entry]:
        return [b for i in entry.data.bureaus if (b := self.get(f"bureaus/{i}"))]

    def parent_of(self, entry: Entry) -> Entry | None:
        data = entry.data
        return (
            self.get(f"events/{data.parent}") if isinstance(data, Event) and data.parent else None
        )

    def _index(self, name: str, records: Sequence[Entry], keys: Any) -> dict[Any, list[Entry]]:
        """Records grouped by each of ``keys(record)``, order kept; built once per edition."""
        if name not in self.indexes:
            grouped: dict[Any, list[Entry]] = {}
            for record in records:
                for key in dict.fromkeys(keys(record)):
                    grouped.setdefault(key, []).append(record)
            self.indexes[name] = grouped
        return self.indexes[name]

    def children_of(self, entry: Entry) -> list[Entry[Event]]:
        children = of_type(
            self._index("children", self.events, lambda e: [e.data.parent]).get(entry.id, []),
            Event,
        )
        return sorted(children, key=lambda e: (e.data.date, e.data.title))

    def related_of(self, entry: Entry) -> list[Entry]:
        """Records this one names in ``related``, then those that name it; visible ones only,
        and not withdrawn: a withdrawn record leaves every list."""
        found = (self.corpus.find(ref) for ref in entry.data.related)
        seen: dict[str, Entry] = {}
        for other in [*found, *self._mentions().get(entry.ref, [])]:
            if (
                other is not None
                and other is not entry
                and self.sees(other)
                and other.data.withdrawn is None
                and other.ref not in seen
            ):
                seen[other.ref] = other
        return list(seen.values())

    def _mentions(self) -> dict[str, list[Entry]]:
        """For each record, the records whose ``related`` names it: built once, not per page
        (asking every record on every page made rendering quadratic in the number of records)."""
        if self.mentions is None:
            self.mentions = {}
            for other in self.records():
                for ref in other.data.related:
                    target = self.corpus.find(ref)
                    if target is not None and other not in self.mentions.get(target.ref, []):
                        self.mentions.setdefault(target.ref, []).append(other)
        return self.mentions

    def concerning(self, bureau: Entry, kind: str) -> list[Entry]:
        records = self.of_kind(kind)
        return list(
            self._index(f"bureau:{kind}", records, lambda e: e.data.bureaus).get(bureau.id, [])
        )

    def events_of(self, bureau: Entry) -> list[Entry[Event]]:
        return of_type(self.concerning(bureau, "events"), Event)

    def of_kind(self, kind: str) -> Sequence[Entry]:
        """This edition's records of ``kind`` (a folder name: events, policies …)."""
        records: dict[str, Sequence[Entry]] = {
            "events": self.events,
            "policies": self.policies,
            "agreements": self.agreements,
            "bureaus": self.bureaus,
            "guides": self.guides,
        }
        return records[kind]

    def with_topic(self, slug: str, kind: str) -> list[Entry]:
        records = self.of_kind(kind)
        return list(self._index(f"topic:{kind}", records, lambda e: e.data.topics).get(slug, []))

    def key_figures(self, bureau: Entry) -> list[tuple[Figure, Entry]]:
        """The bureau's own figures, then those of events that concern this bureau alone."""
        data = bureau.data
        figures: list[tuple[Figure, Entry]] = (
            [(f, bureau) for f in data.figures] if isinstance(data, Bureau) else []
        )
        for event in self.events_of(bureau):
            if event.data.bureaus == [bureau.id]:
                figures.extend((f, event) for f in event.data.figures)
        return figures

    def years(self) -> dict[int, list[Entry[Event]]]:
        years: dict[int, list[Entry[Event]]] = {}
        for event in self.events:
            years.setdefault(event.data.date.year, []).append(event)
        return years

    def regions(self) -> dict[str, list[Entry[Bureau]]]:
        regions: dict[str, list[Entry[Bureau]]] = {}
        for bureau in self.bureaus:
            regions.setdefault(bureau.data.region, []).append(bureau)
        return regions

    def follow_ups(self) -> list[tuple[Entry, FollowUp]]:
        """Every follow-up of every record (internal edition only), open ones first, by due date."""
        if not self.internal:
            return []
        items = [
            (entry, item)
            for entry in self.records()
            if entry.data.internal
            for item in entry.data.internal.follow_ups
        ]
        far = dt.date.max
        return sorted(
            items,
            key=lambda pair: (
                pair[1].status != "open",
                pair[1].due or far,
                pair[0].ref,
            ),
        )


def name_of(text: str) -> EditionName:
    """An edition's name from a command-line or settings word (``ValueError`` for another)."""
    if text == "public":
        return "public"
    if text == "internal":
        return "internal"
    raise ValueError(f"no edition {text!r}: public or internal")


def make(corpus: Corpus, name: EditionName) -> Edition:
    """The view of ``corpus`` that edition ``name`` may see."""
    edition = Edition(name, corpus)

    def seen(kind: str) -> list[Entry]:
        return [e for e in corpus.entries[kind].values() if name == "internal" or e.public]

    def visible(kind: str) -> list[Entry]:
        return [e for e in seen(kind) if e.data.withdrawn is None]

    edition.withdrawn = sorted(
        (e for kind in corpus.entries for e in seen(kind) if e.data.withdrawn is not None),
        key=lambda e: e.ref,
    )

    edition.events = sorted(
        of_type(visible("events"), Event), key=lambda e: (e.data.date, e.id), reverse=True
    )
    edition.policies = sorted(
        of_type(visible("policies"), Policy), key=lambda e: (e.data.title, e.id)
    )
    edition.agreements = sorted(
        of_type(visible("agreements"), Agreement), key=lambda e: (e.data.date, e.id), reverse=True
    )
    edition.bureaus = sorted(
        of_type(visible("bureaus"), Bureau),
        key=lambda e: (e.data.region, e.data.short_name, e.id),
    )
    edition.guides = sorted(of_type(visible("guides"), Guide), key=lambda e: (e.data.title, e.id))
    return edition
