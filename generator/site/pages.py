"""Which pages an edition has, what template renders each, and the (compact) navigation.

The nav lists sections and index pages only, never every record: a nav that lists every page
makes MkDocs' build grow quadratically with the number of pages.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    feed = (
        {"feed": f"feeds/bureaus/{entry.id}.xml"}
        if entry.kind == "bureaus" and entry.data.withdrawn is None
        else {}
    )
    return Page(
        record_path(entry),
        KINDS[entry.kind].page_template,
        entry.data.title,
        searchable=entry.data.withdrawn is None,  # a withdrawn record leaves search
        source=entry.path,
        vars={"entry": entry, **feed},
    )


PER_PAGE = 20  # news items on one page of a news list


def paginated(
    first: str, title: str, items: Sequence[Entry], description: str, **extra: Any
) -> list[Page]:
    """A news list cut into pages of ``PER_PAGE``: the first at ``first`` (news/index.md,
    news/2023.md), the others at <folder>/page/<n>.md (news/page/2.md, news/2023/page/2.md).
    Each page knows every page's path, for the pager."""
    folder = first.removesuffix("/index.md").removesuffix(".md")
    count = max(1, -(-len(items) // PER_PAGE))
    paths = [first] + [f"{folder}/page/{n}.md" for n in range(2, count + 1)]
    return [
        Page(
            path,
            "news_list.md.j2",
            title if number == 1 else f"{title}（第 {number} 页）",
            searchable=False,
            vars={
                "events": items[(number - 1) * PER_PAGE : number * PER_PAGE],
                "total": len(items),
                "number": number,
                "pages": paths,
                "description": description,
                **extra,
            },
        )
        for number, path in enumerate(paths, start=1)
    ]


def plan(edition: Edition) -> list[Page]:
    """Every page of the edition, in a stable order."""
    pages = [
        Page("index.md", "home.md.j2", "", searchable=False),
        Page(
            "bureaus/index.md",
            "bureaus_index.md.j2",
            "各地司法局",
            vars={
                "description": "与雁北监狱开展监地共建的各地司法局：协议、新闻、政策和办事指南。"
            },
            searchable=False,
        ),
        *paginated(
            "news/index.md",
            "新闻",
            edition.events,
            "监地共建新闻，按日期从新到旧排列。",
            feed="feeds/news.xml",
            years=edition.years(),
        ),
        Page(
            "policies/index.md",
            "policies_index.md.j2",
            "政策解读",
            vars={"description": "用问答的方式讲清服刑人员和家属最关心的政策。"},
            searchable=False,
        ),
        Page(
            "agreements/index.md",
            "agreements_index.md.j2",
            "共建协议",
            vars={"description": "雁北监狱与各地司法局签订的监地共建协议，按有效性分组。"},
            searchable=False,
        ),
        Page(
            "topics/index.md",
            "topics_index.md.j2",
            "共建领域",
            vars={"description": "监地共建的各个领域：法治教育、安置帮教、远程会见等。"},
            searchable=False,
        ),
        Page(
            "guides/index.md",
            "guides_index.md.j2",
            "办事服务",
            vars={"description": "远程视频会见、安置帮教报到、法律援助申请等办事指南。"},
            searchable=False,
        ),
        # What a government website links from every footer (partials/copyright.html).
        Page(
            "contact.md",
            "contact.md.j2",
            "联系我们",
            vars={"description": "本站主办单位和各地司法局的联系方式。"},
        ),
        Page(
            "map.md",
            "site_map.md.j2",
            "网站地图",
            vars={"description": "本站全部页面，按栏目排列。"},
            searchable=False,
        ),
        Page(
            "privacy.md",
            "privacy.md.j2",
            "隐私声明",
            vars={"description": "本站收集什么信息、不收集什么信息。"},
        ),
        Page(
            "accessibility.md",
            "accessibility.md.j2",
            "无障碍声明",
            vars={"description": "本站为老年读者、视障读者和键盘用户所做的无障碍设计。"},
        ),
    ]
    for year, events in edition.years().items():
        pages += paginated(
            f"news/{year}.md",
            f"{year}年新闻",
            events,
            f"{year}年的监地共建新闻，按日期从新到旧排列。",
            year=year,
        )
    for slug, topic in edition.topics.items():
        pages.append(
            Page(
                f"topics/{slug}.md",
                "topic.md.j2",
                topic.name,
                searchable=False,
                vars={
                    "slug": slug,
                    "topic": topic,
                    "feed": f"feeds/topics/{slug}.xml",
                    "description": topic.description or f"“{topic.name}”方面的新闻、政策和协议。",
                },
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
            Page("internal/reviews.md", "internal_reviews.md.j2", "审核台账", searchable=False),
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
                    {"审核台账": "internal/reviews.md"},
                    {"编写指南": "internal/guide.md"},
                ]
            }
        )
    return items
