"""The booklet register, ``content/booklets.yml`` (简报登记簿): each issue of a briefing that
was sent out, with its number (第N期) and the day it was compiled (编印日期), and who it goes to
(报送, 抄送) and how many were printed (印数).

A booklet keeps its number and its date, so a rebuild prints the same bytes: the date also
fixes the months a bureau briefing covers. The site carries the latest issue of each booklet.
Without a register (or without an issue of a booklet), booklets have no number and are dated
the day of the build (``SOURCE_DATE_EPOCH`` when set), in Beijing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationError

from generator import clock
from generator.content import yamlstrict
from generator.content.corpus import Corpus, of_type
from generator.content.messages import validation_message
from generator.content.model import Date, Event, OneLine, _Strict
from generator.content.personal import as_read
from generator.content.personal import find as personal_numbers
from generator.problems import Problems

FILE = "booklets.yml"


def _count(value: Any) -> Any:
    """A whole number: 3, not 1.5, true or 十 (YAML itself reads 0x10 as 16)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("应该是一个整数（如 3）")
    return value


Count = Annotated[int, BeforeValidator(_count), Field(ge=1)]
# bureaus/<id>, period/<2023 | 2023-Q4 | 2023-12>, handbook
_BOOKLET = re.compile(
    r"bureaus/[a-z0-9-]+|period/[1-9]\d{3}(?:-Q[1-4]|-(?:0[1-9]|1[0-2]))?|handbook"
)


class _Mailing(_Strict):
    compiler: OneLine | None = Field(default=None, description="编印单位")
    send_to: list[OneLine] | None = Field(default=None, description="报送")
    copy_to: list[OneLine] | None = Field(default=None, description="抄送")
    copies: Count | None = Field(default=None, le=100000, description="印数")


class Issue(_Mailing):
    """One issue sent out: ``booklet`` (bureaus/lianyuan, period/2023-Q4, handbook), its
    ``number`` within that booklet's series and its ``date``."""

    booklet: OneLine
    number: Count = Field(le=9999)
    date: Date


class Register(_Mailing):
    issues: list[Issue] = Field(default_factory=list)


@dataclass(frozen=True)
class Imprint:
    """What a booklet's 报头 and closing block print."""

    number: int | None
    date: dt.date
    compiler: str
    send_to: tuple[str, ...] = ()
    copy_to: tuple[str, ...] = ()
    copies: int | None = None


def read(root: Path, problems: Problems) -> Register:
    """The register of the content at ``root`` (empty if there is none); problems reported."""
    return _load(root, problems)[0]


def _load(root: Path, problems: Problems) -> tuple[Register, list[int]]:
    """The register and the line of each item under ``issues:`` (for messages)."""
    path = root / FILE
    if not (path.exists() or path.is_symlink()):
        return Register(), []
    where = _unreadable(path, root)
    if where:
        problems.add("JD440", path, 1, where)
        return Register(), []
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        problems.add(
            "JD440",
            path,
            1,
            f"{FILE} 不是 UTF-8 编码（常见为 GBK）：请在编辑器里另存为 UTF-8，"
            f"或用 iconv -f GBK -t UTF-8 转换",
        )
        return Register(), []
    except OSError as error:
        problems.add(
            "JD440", path, 1, f"{FILE} 无法读取（{error.strerror}）：请检查文件权限，或是否被占用"
        )
        return Register(), []
    try:
        data = yamlstrict.load(text)
    except yamlstrict.YamlProblem as problem:
        problems.add("JD440", path, problem.line, problem.message)
        return Register(), []
    if data is None:
        return Register(), []
    if not isinstance(data, dict):
        problems.add("JD440", path, 1, f"{FILE} 要写成“字段: 值”，例如 issues: 下面列出各期简报")
        return Register(), []
    try:
        register = Register.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            line = yamlstrict.line_of(data, tuple(item["loc"]), 1)
            problems.add("JD440", path, line, validation_message(item))
        return Register(), []
    _check_personal(data, path, problems)
    return register, list(getattr(data.get("issues"), "item_lines", []))


def _unreadable(path: Path, root: Path) -> str:
    """Why ``path`` is not a register jiandi may read (a folder, a pipe, a link out of the
    content folder), or ""."""
    if not path.exists():
        return f"{FILE} 是一个指向不存在的文件的链接：请删掉它，或换成登记簿文件本身"
    if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
        return f"{FILE} 是指向内容目录之外的链接：请把文件本身放进内容目录"
    if not path.is_file():
        return f"{FILE} 不是一个普通文件（是文件夹或其他）：请删掉它，换成登记簿文件"
    return ""


def _check_personal(data: Any, path: Path, problems: Problems) -> None:
    """The register is printed in public booklets: no ID, mobile or card number in it."""
    for text, line, _where in yamlstrict.leaves(data, 1):
        for found in personal_numbers(as_read(text)):
            problems.add(
                "JD601",
                path,
                line,
                f"这里有{found.kind} {found.masked}：简报的编印单位、报送、抄送会印在公开的简报上，"
                "个人号码不能公开。请删掉它，写单位名称",
            )


def series(booklet: str) -> str:
    """The series an issue numbers within: each bureau's briefing, period briefings, the
    handbook."""
    return "period" if booklet.startswith("period/") else booklet


def check(corpus: Corpus, problems: Problems) -> Register:
    """Read and check the register against the content: each issue names a booklet that
    exists, numbers are unique within a series and follow the dates, no date is after today;
    an event after its bureau's latest issue is in no briefing yet (a warning)."""
    path = corpus.root / FILE
    register, lines = _load(corpus.root, problems)
    today = clock.today()
    latest: dict[str, Issue] = {}
    seen: dict[tuple[str, int], Issue] = {}
    for index, issue in enumerate(register.issues):
        line = lines[index] if index < len(lines) else 1
        key = issue.booklet.strip()
        if not _BOOKLET.fullmatch(key):
            problems.add(
                "JD441",
                path,
                line,
                f"booklet: “{key}” 不是一种简报：请写 bureaus/司法局编号（如 bureaus/lianyuan）、"
                "period/时间段（period/2023、period/2023-Q4 或 period/2023-01）或 handbook",
            )
            continue
        if (
            key.startswith("bureaus/")
            and key[8:] not in corpus.entries["bureaus"]
            and not (corpus.root / f"{key}.md").exists()  # refused for its own error: said
        ):
            problems.add(
                "JD441", path, line, f"booklet: 没有编号为 “{key[8:]}” 的司法局（content/bureaus/）"
            )
        group = series(key)
        if (group, issue.number) in seen:
            other = seen[(group, issue.number)]
            problems.add(
                "JD442",
                path,
                line,
                f"第{issue.number}期已经登记过了（{other.booklet}，{other.date}）：同一种简报的期号不能重复",
            )
        seen[(group, issue.number)] = issue
        if issue.date > today:
            problems.add(
                "JD443",
                path,
                line,
                f"编印日期 {issue.date} 晚于今天：到那一天之前，这一期不会用上（网站上的简报仍是"
                "之前的一期）；如果写错了，请改成实际编印的日期",
                "warning",
            )
        before = latest.get(group)
        if before is None or issue.number > before.number:
            latest[group] = issue
    _check_order(register, lines, path, problems)
    _check_unbriefed(corpus, latest, path, lines, register, problems)
    return register


def _check_order(register: Register, lines: list[int], path: Path, problems: Problems) -> None:
    """Within a series, a larger number never has an earlier date."""
    by_series: dict[str, list[tuple[int, Issue]]] = {}
    for index, issue in enumerate(register.issues):
        by_series.setdefault(series(issue.booklet.strip()), []).append((index, issue))
    for issues in by_series.values():
        ordered = sorted(issues, key=lambda item: item[1].number)
        for (_i, before), (index, issue) in zip(ordered, ordered[1:], strict=False):
            if before.number != issue.number and issue.date < before.date:
                problems.add(
                    "JD444",
                    path,
                    lines[index] if index < len(lines) else 1,
                    f"期号和日期的先后不一致：第{issue.number}期（{issue.date}）早于第{before.number}期"
                    f"（{before.date}）。期号大的一期，编印日期不能更早",
                )


def _check_unbriefed(
    corpus: Corpus,
    latest: dict[str, Issue],
    path: Path,
    lines: list[int],
    register: Register,
    problems: Problems,
) -> None:
    """A warning per bureau whose events came after its latest issue: they are in no briefing
    yet, and the site's briefing will not show them until the next issue is registered."""
    for group, issue in latest.items():
        if not group.startswith("bureaus/"):
            continue
        bureau = group.removeprefix("bureaus/")
        later = [
            e
            for e in of_type(corpus.entries["events"].values(), Event)
            if bureau in e.data.bureaus and e.data.date > issue.date and e.data.withdrawn is None
        ]
        if later:
            line = lines[register.issues.index(issue)] if len(lines) == len(register.issues) else 1
            problems.add(
                "JD445",
                path,
                line,
                f"{bureau} 有 {len(later)} 条活动（最早的是 {min(e.data.date for e in later)}）"
                f"在第{issue.number}期（{issue.date}）之后，还不在任何一期简报里，网站上的简报也"
                f"不会有它们：印发下一期时，在这里登记第{issue.number + 1}期",
                "warning",
            )


def unnumbered() -> Imprint:
    """The imprint of a booklet in no issue: no number, dated today."""
    return imprint_of(Register(), "")


def imprint_of(register: Register, booklet: str, number: int | None = None) -> Imprint:
    """The issue of ``booklet`` to print: the given ``number``, or the latest one registered
    and compiled by today (a build as of an earlier day, with ``SOURCE_DATE_EPOCH``, prints what
    had been issued then); without one, an unnumbered imprint dated today."""
    today = clock.today()
    issues = [
        i
        for i in register.issues
        if i.booklet.strip() == booklet and (number is not None or i.date <= today)
    ]
    chosen = (
        next((i for i in issues if i.number == number), None)
        if number is not None
        else max(issues, key=lambda i: i.number, default=None)
    )
    mailing: list[_Mailing] = [register] if chosen is None else [chosen, register]

    def first(name: str) -> Any:
        return next((getattr(m, name) for m in mailing if getattr(m, name) is not None), None)

    return Imprint(
        number=chosen.number if chosen else None,
        date=chosen.date if chosen else today,
        compiler=first("compiler") or "",  # the template prints site_author then
        send_to=tuple(first("send_to") or ()),
        copy_to=tuple(first("copy_to") or ()),
        copies=first("copies"),
    )
