"""Which pages an edition has, what template renders each, and the (compact) navigation.

The nav lists sections and index pages only, never every record: a nav that lists every page
makes MkDocs' build grow quadratically with the number of pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.codes import CODES
from generator.content.corpus import Entry
from generator.content.kinds import KINDS
from generator.editions import Edition


@dataclass(frozen=True)
class Page:
    """One generated Markdown page of the MkDocs project."""

    path: str  # relative to docs/, e.g. "events/2023-12-27-qianyue.md"
    template: str
    title: str
    searchable: bool = True  # list-only pages stay out of the search index
    source: Path | None = None  # the content file it shows, for error messages
    vars: dict[str, Any] = field(default_factory=dict)


def record_path(entry: Entry) -> str:
    return f"{entry.kind}/{entry.id}.md"


def record_page(entry: Entry) -> Page:
    """The page that shows one record (the only page that shows its body)."""
    feed = {"feed": f"feeds/bureaus/{entry.id}.xml"} if entry.kind == "bureaus" else {}
    return Page(
        record_path(entry),
        KINDS[entry.kind].page_template,
        entry.data.title,
        source=entry.path,
        vars={"entry": entry, **feed},
    )


def plan(edition: Edition) -> list[Page]:
    """Every page of the edition, in a stable order."""
    pages = [
        Page("index.md", "home.md.j2", "", searchable=False),
        Page("bureaus/index.md", "bureaus_index.md.j2", "各地司法局", searchable=False),
        Page(
            "news/index.md",
            "news_index.md.j2",
            "新闻",
            searchable=False,
            vars={"feed": "feeds/news.xml"},
        ),
        Page("policies/index.md", "policies_index.md.j2", "政策解读", searchable=False),
        Page("agreements/index.md", "agreements_index.md.j2", "共建协议", searchable=False),
        Page("topics/index.md", "topics_index.md.j2", "共建领域", searchable=False),
        Page("guides/index.md", "guides_index.md.j2", "办事服务", searchable=False),
        # What a government website links from every footer (partials/copyright.html).
        Page("contact.md", "contact.md.j2", "联系我们"),
        Page("map.md", "site_map.md.j2", "网站地图", searchable=False),
        Page("privacy.md", "privacy.md.j2", "隐私声明"),
        Page("accessibility.md", "accessibility.md.j2", "无障碍声明"),
    ]
    for year, events in edition.years().items():
        pages.append(
            Page(
                f"news/{year}.md",
                "news_year.md.j2",
                f"{year}年新闻",
                searchable=False,
                vars={"year": year, "events": events},
            )
        )
    for slug, topic in edition.topics.items():
        pages.append(
            Page(
                f"topics/{slug}.md",
                "topic.md.j2",
                topic.name,
                searchable=False,
                vars={"slug": slug, "topic": topic, "feed": f"feeds/topics/{slug}.xml"},
            )
        )
    pages.extend(record_page(entry) for entry in edition.records())
    if edition.internal:
        pages += [
            Page("internal/index.md", "internal_index.md.j2", "内部工作", searchable=False),
            Page(
                "internal/follow-ups.md", "internal_follow_ups.md.j2", "后续事项", searchable=False
            ),
            Page("internal/contacts.md", "internal_contacts.md.j2", "联系人", searchable=False),
            Page("internal/register.md", "internal_register.md.j2", "协议台账", searchable=False),
            Page("internal/guide.md", "authors_guide.md.j2", "编写指南", vars={"codes": CODES}),
        ]
    return pages


def nav(edition: Edition) -> list[Any]:
    """The MkDocs ``nav``: sections with their index pages, years, never single records."""
    years = [{f"{year}年": f"news/{year}.md"} for year in edition.years()]
    items: list[Any] = [
        {"首页": "index.md"},
        {"新闻": ["news/index.md", *years]},
        {"政策解读": "policies/index.md"},
        {"办事服务": "guides/index.md"},
        {"共建协议": "agreements/index.md"},
        {"各地司法局": "bureaus/index.md"},
        {"共建领域": "topics/index.md"},
    ]
    if edition.internal:
        items.append(
            {
                "内部工作": [
                    "internal/index.md",
                    {"后续事项": "internal/follow-ups.md"},
                    {"联系人": "internal/contacts.md"},
                    {"协议台账": "internal/register.md"},
                    {"编写指南": "internal/guide.md"},
                ]
            }
        )
    return items
