"""After publication: updates (更新记录), withdrawal (撤回) and their dates, checked.

A record's ``updates`` and ``withdrawn`` are public: the page shows them, and they are part of
the digest a sign-off covers. What follows from them is decided elsewhere: the edition leaves a
withdrawn record out of lists, feeds and search (editions.py); pages, feeds and the sitemap take
its content date (``Entry.updated``)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from generator import clock
from generator.content.corpus import Corpus, Entry
from generator.content.personal import field_texts
from generator.problems import Problems


def _own_date(entry: Entry) -> dt.date | None:
    day = getattr(entry.data, "date", None)
    return day if isinstance(day, dt.date) else None


def check_history(corpus: Corpus, problems: Problems) -> None:
    """An update or a withdrawal is not dated before the record it is about, nor (a warning)
    after today: the sitemap and the feeds would give that date."""
    today = clock.wall_today()
    for entry in corpus.all():
        later: list[tuple[tuple[str | int, ...], dt.date]] = [
            (("updates", i, "date"), u.date) for i, u in enumerate(entry.data.updates)
        ]
        if entry.data.withdrawn is not None:
            later.append((("withdrawn", "date"), entry.data.withdrawn.date))
        for place, when in later:
            if when > today:
                problems.add(
                    "JD437",
                    entry.path,
                    entry.line(*place),
                    f"{place[0]}: 日期 {when} 晚于今天（{today}）：网站地图和订阅会显示这个日期。"
                    f"请写实际更新或撤回的那一天",
                    "warning",
                )
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


# A line of a ``jiandi new`` template that asks the author for something: its text, once the
# key (``location:``), list dash, heading marks or a Markdown prefix are taken off, starts so.
_ASKING = re.compile(r"^(?:问：|答：)?请")
_PREFIX = re.compile(r"^\s*(?:#+\s+|[-*>]\s+|[A-Za-z_]+:\s+)*")


def _comment(line: str) -> bool:
    """A YAML comment (``# 活动地点``); a Markdown heading in a body starts ``##``."""
    return line.lstrip().startswith("# ")


def _asked(line: str) -> str:
    return _PREFIX.sub("", line).strip().strip("\"'")


def placeholders(templates: Path) -> frozenset[str]:
    """The prompts ``jiandi new`` writes for the author to replace (``请填写地点``), read from
    the project's own ``templates/new/`` so that a changed template is followed."""
    found = set()
    for template in sorted((templates / "new").glob("*.j2")):
        for line in template.read_text("utf-8").splitlines():
            if _comment(line):
                continue
            text = _asked(line)
            if "{{" not in line and "{%" not in line and _ASKING.match(text):
                found.add(text)
    return frozenset(found)


def check_placeholders(corpus: Corpus, problems: Problems, asked: frozenset[str]) -> None:
    """A prompt of ``jiandi new`` still in a record would be published as it is: a warning, at
    its line (a record just made by ``new`` is valid, and stays so until it is filled in).
    Read from the loaded entry (fields and body lines), not from the file again."""
    if not asked:
        return
    for entry in corpus.all():
        texts = [
            pair
            for key, value in entry.raw.items()
            for pair in field_texts(value, entry.raw.key_lines.get(key, 1))
        ]
        for segment in entry.segments:
            texts += [(line, segment.line + i) for i, line in enumerate(segment.text.split("\n"))]
        for text, number in texts:
            if isinstance(text, str) and not _comment(text) and _asked(text) in asked:
                problems.add(
                    "JD435",
                    entry.path,
                    number,
                    f"这是 jiandi new 留下的提示文字（“{_asked(text)}”）：请换成真正的内容，"
                    f"或删掉这一行",
                    "warning",
                )
