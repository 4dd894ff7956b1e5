"""Briefing booklets (PDF): which records go into a bureau briefing, a period briefing and the
policy handbook. A booklet is chosen from an edition, so a public booklet sees public content
only; ``printing`` turns it into HTML and PDF.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.content.corpus import Entry, of_type
from generator.content.model import Agreement, Bureau, Event, Policy
from generator.editions import Edition
from generator.site import render
from generator.workflow.register import Imprint, Register, unnumbered

Kind = Literal["bureau", "period", "handbook"]


class PeriodError(ValueError):
    """A period the user typed that cannot be read."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        s, e = self.start, self.end
        if (s.month, s.day, e.month, e.day) == (1, 1, 12, 31) and s.year == e.year:
            return f"{s.year}年"
        if s.day == 1 and e == _month_end(e.year, e.month):
            if (s.year, s.month) == (e.year, e.month):
                return f"{s.year}年{s.month}月"
            if s.year == e.year and (s.month - 1) % 3 == 0 and e.month == s.month + 2:
                return f"{s.year}年第{(s.month - 1) // 3 + 1}季度"
            return f"{s.year}年{s.month}月—{e.year}年{e.month}月"
        return f"{render.cndate(s)}—{render.cndate(e)}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_period(
    text: str | None = None, start: str | None = None, end: str | None = None
) -> Period | None:
    """``2023``, ``2023-Q4``, ``2023-12``, or ``--from``/``--to`` dates; None for "all"."""
    if text:
        text = text.strip()
        if m := re.fullmatch(r"(\d{4})", text):
            year = int(m.group(1))
            return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
        if m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", text):
            year, quarter = int(m.group(1)), int(m.group(2))
            return Period(dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter))
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
            year, month = int(m.group(1)), int(m.group(2))
            if 1 <= month <= 12:
                return Period(dt.date(year, month, 1), _month_end(year, month))
        raise PeriodError(
            f"无法识别的时间段 “{text}”：请写 2023、2023-Q4 或 2023-12，"
            f"或用 --from 2023-10-01 --to 2023-12-31"
        )
    if start or end:
        try:
            first = dt.date.fromisoformat(start) if start else dt.date.min
            last = dt.date.fromisoformat(end) if end else dt.date.max
        except ValueError:
            raise PeriodError("--from 和 --to 要写成 YYYY-MM-DD，例如 2023-12-27") from None
        if first > last:
            raise PeriodError("--from 的日期晚于 --to")
        return Period(first, last)
    return None


@dataclass
class Booklet:
    """What one booklet holds; the template decides how it looks."""

    kind: Kind
    title: str
    subtitle: str
    edition: Edition
    filename: str
    period: Period | None = None
    bureau: Entry[Bureau] | None = None
    group_by: str = "month"
    events: list[Entry[Event]] = field(default_factory=list)
    earlier: list[Entry[Event]] = field(default_factory=list)
    policies: list[Entry[Policy]] = field(default_factory=list)
    agreements: list[Entry[Agreement]] = field(default_factory=list)
    imprint: Imprint = field(default_factory=unnumbered)
    masthead: str = ""  # the red title of the cover (the 报头), if not the title

    def __post_init__(self) -> None:
        self.masthead = self.masthead or self.title

    @property
    def period_label(self) -> str:
        if self.period:
            return self.period.label
        dates = sorted(e.data.date for e in self.events)
        if not dates:
            return "全部"
        first, last = dates[0], dates[-1]
        if (first.year, first.month) == (last.year, last.month):
            return f"{first.year}年{first.month}月"
        return f"{first.year}年{first.month}月—{last.year}年{last.month}月"

    def records(self) -> list[Entry]:
        """Every record the booklet shows, in full or as a line of the earlier-events list."""
        return [
            *([self.bureau] if self.bureau else []),
            *self.agreements,
            *self.events,
            *self.earlier,
            *self.policies,
        ]


def recent_period(until: dt.date, months: int) -> Period | None:
    """The ``months`` calendar months that end on ``until`` (the day the briefing is compiled):
    the same for both editions, whatever each one holds."""
    if months <= 0:
        return None
    index = until.year * 12 + until.month - months  # months since year 0 of the first month
    if index < 12:  # before year 1: from the first day there is
        return Period(dt.date.min, until)
    return Period(dt.date(index // 12, index % 12 + 1, 1), until)


def bureau_booklet(
    edition: Edition,
    bureau: Entry[Bureau],
    period: Period | None = None,
    recent_months: int = 0,
    imprint: Imprint | None = None,
) -> Booklet:
    """A bureau's briefing. With a ``period``, the events of that period; otherwise, with
    ``recent_months``, the events of the months up to the day it is compiled (its imprint's
    date) in full and the earlier ones as a list (a briefing before a visit, not the bureau's
    whole archive); otherwise every event."""
    imprint = imprint or unnumbered()
    events = sorted(edition.events_of(bureau), key=lambda e: (e.data.date, e.id))
    earlier: list[Entry[Event]] = []
    if period is None and (period := recent_period(imprint.date, recent_months)) is not None:
        earlier = [e for e in events if e.data.date < period.start]
    if period is not None:
        events = [e for e in events if e.data.date in period]
    return Booklet(
        "bureau",
        f"{bureau.data.short_name}监地共建工作简报",
        bureau.data.title,
        edition,
        f"{bureau.id}.pdf",
        period,
        bureau,
        events=events,
        earlier=earlier[::-1],
        policies=_by(imprint.date, of_type(edition.concerning(bureau, "policies"), Policy)),
        agreements=_by(imprint.date, of_type(edition.concerning(bureau, "agreements"), Agreement)),
        imprint=imprint,
    )


def _by(day: dt.date, entries: list[Entry[Any]]) -> list[Entry[Any]]:
    """The records dated no later than ``day`` (an issue shows what there was on its date)."""
    return [e for e in entries if e.data.date is None or e.data.date <= day]


def period_booklet(
    edition: Edition, period: Period, group_by: str = "month", imprint: Imprint | None = None
) -> Booklet:
    events = sorted(
        (e for e in edition.events if e.data.date in period), key=lambda e: (e.data.date, e.id)
    )
    return Booklet(
        "period",
        f"监地共建工作简报（{period.label}）",
        "湖南省雁北监狱与各地司法局",
        edition,
        f"period-{period.start}-{period.end}.pdf",
        period,
        group_by=group_by,
        masthead="监地共建工作简报",
        events=events,
        imprint=imprint or unnumbered(),
    )


def handbook(edition: Edition, imprint: Imprint | None = None) -> Booklet:
    """The policy handbook. The public one: the public explainers, for families. The internal
    edition's is the staff handbook: every explainer, internal ones included, with internal
    sections and fields marked, 内部资料 on every page."""
    from generator.editions import make

    if edition.internal:
        return Booklet(
            "handbook",
            "监地共建政策解读汇编（工作人员版）",
            "政策问答与内部工作指引",
            edition,
            "handbook.pdf",
            policies=edition.policies,
            imprint=imprint or unnumbered(),
        )
    public = make(edition.corpus, "public")
    return Booklet(
        "handbook",
        "监地共建政策解读汇编",
        "写给服刑人员和家属的政策问答",
        public,
        "handbook.pdf",
        policies=public.policies,
        imprint=imprint or unnumbered(),
    )


def period_key(register: Register, period: Period) -> str:
    """The register's name of a period briefing (``period/2023-Q4``), however it was typed."""
    for issue in register.issues:
        name = issue.booklet.strip()
        if name.startswith("period/"):
            try:
                if parse_period(name.removeprefix("period/")) == period:
                    return name
            except (PeriodError, ValueError):  # checked by jiandi check
                continue
    return f"period/{period.start}/{period.end}"  # in no issue: unnumbered
