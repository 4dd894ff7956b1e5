"""Disclosure metadata for policy explainers and agreements (政务公开): the index number (索引号)
and the record's validity.

An index number reads ``<机构代码>/<年份>-<流水号>``, e.g. ``11430000EXAMPLE001/2024-00003``:
the code of the body that issued the document (its ``issuer:``, looked up in mkdocs.yml
``extra.jiandi.issuers``, a mapping of name → code; a division such as 雁北监狱教育改造科 takes the
code of the longest listed name it starts with; a record without ``issuer`` is issued by the
first body listed), the year of the document, and a five-digit serial counted per code and year.
The serial is the record's ``serial:`` when written there — the way to make sure it never
changes once published, and what ``jiandi check`` asks for. Without one, records are numbered
in date order after the written serials of their group, records public now first (a draft or
an embargoed record counts as internal), so that no unpublished record can shift a public
number. A record whose issuer has no code has no index number: ``check`` warns (not an
error: nothing leaks, and the page says 索引号 —).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.content.corpus import Corpus, Entry, hidden_from, of_type
from generator.content.kinds import INDEXED
from generator.content.model import Disclosure
from generator.problems import Problems

Issuers = dict[str, str]  # 发布机构 → 机构代码, in the order written (the first is the default)


@dataclass(frozen=True)
class IndexNumber:
    group: tuple[str, int]  # (机构代码, year)
    serial: int
    fixed: bool  # written in the record (True) or assigned by order (False)

    def __str__(self) -> str:
        code, year = self.group
        return f"{code}/{year}-{self.serial:05d}"


def document_date(entry: Entry) -> dt.date | None:
    data = entry.data
    return getattr(data, "written", None) or getattr(data, "date", None)


def issuer_code(issuer: str | None, issuers: Issuers) -> str | None:
    """The code of the body that issued a document: its ``issuer`` (or the first body listed),
    by the longest listed name it starts with."""
    name = (issuer or next(iter(issuers), "")).strip()
    best = max((listed for listed in issuers if name.startswith(listed)), key=len, default=None)
    return issuers[best] if best is not None else None


def group_for(issuer: str | None, year: int, issuers: Issuers) -> tuple[str, int] | None:
    """The index-number group (code, year) of a document: the one rule, for existing records
    and for those `jiandi new` writes. None: the issuer has no code."""
    code = issuer_code(issuer, issuers)
    return (code, year) if code else None


def group_of(entry: Entry, issuers: Issuers) -> tuple[str, int] | None:
    day = document_date(entry)
    return group_for(getattr(entry.data, "issuer", None), day.year if day else 0, issuers)


def index_numbers(corpus: Corpus, issuers: Issuers) -> dict[str, IndexNumber]:
    """The index number of every policy explainer and agreement whose issuer has a code, by
    ``kind/id``."""
    numbers: dict[str, IndexNumber] = {}
    groups: dict[tuple[str, int], list[Entry[Disclosure]]] = {}
    for kind in INDEXED:
        for entry in of_type(corpus.entries[kind.folder].values(), Disclosure):
            group = group_of(entry, issuers)
            if group is not None:
                groups.setdefault(group, []).append(entry)
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


def check(corpus: Corpus, problems: Problems, issuers: Issuers) -> None:
    """Duplicate serials, issuers without a code, missing status dates, and serials not yet
    written down."""
    seen: dict[tuple[tuple[str, int], int], Entry] = {}
    for kind in INDEXED:
        for entry in corpus.entries[kind.folder].values():
            data = entry.data
            assert isinstance(data, Disclosure)
            group = group_of(entry, issuers)
            if group is None and issuers:
                named = data.issuer or next(iter(issuers))
                problems.add(
                    "JD705",
                    entry.path,
                    entry.line("issuer") if data.issuer else 1,
                    f"issuer: 发布机构 “{named}” 没有机构代码，编不出索引号：请在 mkdocs.yml 的 "
                    f"extra.jiandi.issuers 里加一行 “{named}: 机构代码”（统一社会信用代码），"
                    f"或改成已列出的机构：{'、'.join(issuers)}。在此之前页面上不显示索引号",
                    "warning",
                )
            if data.serial and group is not None:
                key = (group, data.serial)
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
            start = getattr(data, "valid_from", None) or getattr(data, "date", None)
            if data.valid_until and start and data.valid_until < start:
                problems.add(
                    "JD707",
                    entry.path,
                    entry.line("valid_until"),
                    f"valid_until: 有效期至 {data.valid_until} 早于开始日期 {start}：请改正",
                )
            target = corpus.get(data.replaced_by) if data.replaced_by else None
            if data.replaced_by and target is None and not corpus.refused(data.replaced_by):
                problems.add(
                    "JD703",
                    entry.path,
                    entry.line("replaced_by"),
                    f"replaced_by: 找不到记录 “{data.replaced_by}”：请写成 policies/编号"
                    f"（不加 .md）",
                )
            elif target is not None and hidden_from(entry, target):
                problems.add(
                    "JD501",
                    entry.path,
                    entry.line("replaced_by"),
                    f"公开记录 {entry.ref} 的 replaced_by 指向内部记录 {target.ref}：公开网站"
                    f"不能指向内部内容（也不能让读者知道有未公开的新版本）。请等新版本公开后再写"
                    f" replaced_by，或把 {target.ref} 改为公开",
                )
    for ref, number in index_numbers(corpus, issuers).items():
        numbered = corpus.get(ref)
        if numbered is not None and numbered.meant_public and not number.fixed:
            problems.add(
                "JD704",
                numbered.path,
                1,
                f"索引号 {number} 的序号还没有固定：发布前请在 front matter 加一行 "
                f"serial: {number.serial}，以后不再改动",
                "warning",
            )


@dataclass(frozen=True)
class Validity:
    """Whether a policy explainer or agreement is in force today, as its page shows it."""

    status: str  # 有效, 已修订, 已废止 or 已失效
    since: dt.date | None  # the day it stopped being in force
    reason: str  # why (status_reason), or the validity that ran out


def validity(entry: Entry, today: dt.date) -> Validity:
    """The record's validity on ``today``: as written, or 已失效 by itself from the day after
    its ``valid_until`` (the build decides, against SOURCE_DATE_EPOCH or the clock)."""
    data = entry.data
    if not isinstance(data, Disclosure):
        return Validity("有效", None, "")
    if data.status != "有效":
        return Validity(data.status, data.status_date, data.status_reason or "")
    if data.valid_until is not None and data.valid_until < today:
        until = data.valid_until
        return Validity(
            "已失效",
            until + dt.timedelta(days=1),
            f"有效期至{until.year}年{until.month}月{until.day}日",
        )
    return Validity("有效", None, "")


def notice(entry: Entry, today: dt.date) -> str:
    """The visible notice of a record that is no longer in force ("" when it is)."""
    state = validity(entry, today)
    if state.status == "有效":
        return ""
    when = f"{state.since.year}年{state.since.month}月{state.since.day}日" if state.since else ""
    what = state.status.removeprefix("已")  # 已于…修订 / 废止 / 失效
    why = f"（{state.reason.rstrip('。')}）" if state.reason else ""
    kind = "解读" if entry.kind == "policies" else "协议"
    return f"本{kind}已于{when}{what}{why}，内容仅供查阅，不再作为办事依据。"
