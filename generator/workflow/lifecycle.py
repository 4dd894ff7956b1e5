"""After publication: updates (更新记录), withdrawal (撤回) and their dates, checked.

A record's ``updates`` and ``withdrawn`` are public: the page shows them, and they are part of
the digest a sign-off covers. What follows from them is decided elsewhere: the edition leaves a
withdrawn record out of lists, feeds and search (editions.py); pages, feeds and the sitemap take
its content date (``Entry.updated``)."""

from __future__ import annotations

import datetime as dt

from generator.content.corpus import Corpus, Entry
from generator.problems import Problems


def _own_date(entry: Entry) -> dt.date | None:
    day = getattr(entry.data, "date", None)
    return day if isinstance(day, dt.date) else None


def check_history(corpus: Corpus, problems: Problems) -> None:
    """An update or a withdrawal is not dated before the record it is about."""
    for entry in corpus.all():
        day = _own_date(entry)
        if day is None:
            continue
        for index, update in enumerate(entry.data.updates):
            if update.date < day:
                problems.add(
                    "JD433",
                    entry.path,
                    entry.line("updates", index, "date"),
                    f"updates: 更新日期 {update.date} 早于记录的日期 {day}：请改正这条更新的 date",
                )
        withdrawn = entry.data.withdrawn
        if withdrawn is not None and withdrawn.date < day:
            problems.add(
                "JD434",
                entry.path,
                entry.line("withdrawn", "date"),
                f"withdrawn: 撤回日期 {withdrawn.date} 早于记录的日期 {day}：请改正撤回的 date",
            )
