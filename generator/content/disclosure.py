"""Disclosure metadata for policy explainers and agreements (政务公开): the index number (索引号)
and the record's validity.

An index number reads ``<机构>-<类别>-<年份>-<序号>``: the first bureau's id (or ``yanbei`` for
the prison's own documents), ``ZCJD`` for a policy explainer or ``GJXY`` for an agreement, the
year of the document, and a serial. The serial is the record's ``serial:`` when written there —
the way to make sure it never changes once published, and what ``jiandi check`` asks for. Without
one, records are numbered in date order after the written serials of their group, public
records first, so that no internal record can shift a public number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.content.corpus import Corpus, Entry, of_type
from generator.content.kinds import INDEXED, KINDS
from generator.content.model import Disclosure
from generator.problems import Problems

PRISON = "yanbei"  # the organisation of a document no bureau is named in


@dataclass(frozen=True)
class IndexNumber:
    group: tuple[str, str, int]
    serial: int
    fixed: bool  # written in the record (True) or assigned by order (False)

    def __str__(self) -> str:
        org, category, year = self.group
        return f"{org}-{category}-{year}-{self.serial:04d}"


def document_date(entry: Entry) -> dt.date | None:
    data = entry.data
    return getattr(data, "written", None) or getattr(data, "date", None)


def group_for(kind: str, bureaus: list[str], year: int) -> tuple[str, str, int]:
    """The index-number group (organisation, category, year) of a record of ``kind`` naming
    ``bureaus``: the one rule, for existing records and for those `jiandi new` writes."""
    category = KINDS[kind].index_category
    if category is None:
        raise ValueError(f"{kind} records have no index number")
    return (bureaus[0] if bureaus else PRISON), category, year


def group_of(entry: Entry) -> tuple[str, str, int]:
    day = document_date(entry)
    return group_for(entry.kind, entry.data.bureaus, day.year if day else 0)


def index_numbers(corpus: Corpus) -> dict[str, IndexNumber]:
    """The index number of every policy explainer and agreement, by ``kind/id``."""
    numbers: dict[str, IndexNumber] = {}
    groups: dict[tuple[str, str, int], list[Entry[Disclosure]]] = {}
    for kind in INDEXED:
        for entry in of_type(corpus.entries[kind.folder].values(), Disclosure):
            groups.setdefault(group_of(entry), []).append(entry)
    for group, entries in groups.items():
        taken = {e.data.serial for e in entries if e.data.serial}
        for entry in entries:
            if entry.data.serial:
                numbers[entry.ref] = IndexNumber(group, entry.data.serial, True)
        pending = sorted(
            (e for e in entries if not e.data.serial),
            key=lambda e: (not e.public, document_date(e) or dt.date.min, e.id),
        )
        serial = 0
        for entry in pending:
            serial += 1
            while serial in taken:
                serial += 1
            numbers[entry.ref] = IndexNumber(group, serial, False)
    return numbers


def check(corpus: Corpus, problems: Problems) -> None:
    """Duplicate serials, missing status dates, and serials not yet written down."""
    seen: dict[tuple[tuple[str, str, int], int], Entry] = {}
    for kind in INDEXED:
        for entry in corpus.entries[kind.folder].values():
            data = entry.data
            assert isinstance(data, Disclosure)
            if data.serial:
                key = (group_of(entry), data.serial)
                if key in seen:
                    other = seen[key]
                    problems.add(
                        "JD701",
                        entry.path,
                        entry.line("serial"),
                        f"serial: 索引号 {IndexNumber(key[0], data.serial, True)} 已被 "
                        f"{other.ref}（{other.path.name}）使用：请换一个序号",
                    )
                seen[key] = entry
            if data.status != "有效" and data.status_date is None:
                problems.add(
                    "JD702",
                    entry.path,
                    entry.line("status"),
                    f"status: “{data.status}” 需要写明日期：请加一行 status_date: YYYY-MM-DD",
                )
            target = corpus.get(data.replaced_by) if data.replaced_by else None
            if data.replaced_by and target is None:
                problems.add(
                    "JD703",
                    entry.path,
                    entry.line("replaced_by"),
                    f"replaced_by: 找不到记录 “{data.replaced_by}”：请写成 policies/编号"
                    f"（不加 .md）",
                )
            elif target is not None and entry.public and not target.public:
                problems.add(
                    "JD501",
                    entry.path,
                    entry.line("replaced_by"),
                    f"公开记录 {entry.ref} 的 replaced_by 指向内部记录 {target.ref}：公开网站"
                    f"不能指向内部内容（也不能让读者知道有未公开的新版本）。请等新版本公开后再写"
                    f" replaced_by，或把 {target.ref} 改为公开",
                )
    for ref, number in index_numbers(corpus).items():
        numbered = corpus.get(ref)
        if numbered is not None and numbered.public and not number.fixed:
            problems.add(
                "JD704",
                numbered.path,
                1,
                f"索引号 {number} 的序号还没有固定：发布前请在 front matter 加一行 "
                f"serial: {number.serial}，以后不再改动",
                "warning",
            )


def notice(entry: Entry) -> str:
    """The visible notice of a record that is no longer in force ("" when it is)."""
    data = entry.data
    if not isinstance(data, Disclosure) or data.status == "有效":
        return ""
    when = (
        f"{data.status_date.year}年{data.status_date.month}月{data.status_date.day}日"
        if data.status_date
        else ""
    )
    what = data.status.removeprefix("已")  # 已于…修订 / 废止 / 失效
    return f"本{'解读' if entry.kind == 'policies' else '协议'}已于{when}{what}，内容仅供查阅，不再作为办事依据。"
