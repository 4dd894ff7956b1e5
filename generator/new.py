"""``jiandi new``: a new record from a template in ``templates/new/``, with a comment for every key.

The id (file name) comes from the date and the title in pinyin, e.g.
``2024-03-15-shuangfeng-bangjiao``; an existing file is never overwritten.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jieba
import jinja2
from pypinyin import lazy_pinyin

from generator import clock
from generator.config import SettingsError, load_base_config, project_file, settings_of
from generator.content.corpus import Corpus, Memo
from generator.content.disclosure import Issuers, group_for, index_numbers
from generator.content.kinds import KINDS, PROGRAMME_TERMS
from generator.content.model import ID_PATTERN
from generator.problems import ContentError, Problem

# Words that say little in an id.
STOP = {
    "的",
    "和",
    "与",
    "及",
    "在",
    "了",
    "是",
    "对",
    "为",
    "活动",
    "工作",
    "开展",
    "举办",
    "举行",
    "召开",
    "关于",
    "司法局",
}
MAX_WORDS = 3


def slug(title: str) -> str:
    """A few words of the title in pinyin: 双峰县帮教活动 → shuangfeng-bangjiao."""
    jieba.setLogLevel(logging.WARNING)
    for term in PROGRAMME_TERMS:
        jieba.add_word(term)
    words = []
    for word in jieba.cut(title):
        word = word.strip()
        if not word or word in STOP or not re.search(r"[\w]", word):
            continue
        if len(word) > 2 and word[-1] in "县市区":  # 双峰县 → shuangfeng
            word = word[:-1]
        text = "".join(lazy_pinyin(word)).lower()
        # A long run of digits may be a phone or ID number: never in a file name (a URL).
        text = re.sub(r"[^a-z0-9]+|[0-9]{7,}", "", text)
        if text:
            words.append(text)
        if len(words) == MAX_WORDS:
            break
    return "-".join(words)[:48].strip("-") or "jilu"


def record_id(kind: str, title: str, date: dt.date) -> str:
    base = slug(title)
    return f"{date.isoformat()}-{base}" if KINDS[kind].dated_id else base


def next_serial(corpus: Corpus, issuers: Issuers, date: dt.date) -> int | None:
    """The first free serial in the index-number group of a document issued by the first body
    listed (what `jiandi new` writes as its issuer); None when no body has a code."""
    group = group_for(None, date.year, issuers)
    if group is None:
        return None
    taken = {n.serial for n in index_numbers(corpus, issuers).values() if n.group == group}
    return max(taken, default=0) + 1


def site_issuers() -> Issuers:
    """``extra.jiandi.issuers`` of the project's mkdocs.yml ({} when it cannot be read)."""
    try:
        return dict(settings_of(load_base_config(project_file("mkdocs.yml"))).jiandi.issuers)
    except (ContentError, SettingsError, OSError):
        return {}


def render(templates: Path, kind: str, values: dict[str, object]) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["yaml"] = lambda value: json.dumps(value, ensure_ascii=False)
    return env.get_template(KINDS[kind].new_template).render(values)


class Refused(Exception):
    """What the author asked for cannot be written; ``usage``: a value on the command line is
    wrong (exit code 2) rather than the content (1)."""

    def __init__(self, message: str, usage: bool = False):
        super().__init__(message)
        self.message, self.usage = message, usage


@dataclass
class Request:
    """What `jiandi new` was asked for (None: not given)."""

    folder: str
    title: str
    date: dt.date | None
    bureaus: list[str]
    topics: list[str]
    visibility: str | None
    ident: str | None = None
    short_name: str | None = None
    region: str | None = None


# ask(question, choices, what to say where nobody can answer): the answer, or raise Refused.
Ask = Callable[[str, list[str] | None, str], str]
EXISTS = "已有文件 {path}：不会覆盖。请换一个标题，或用 --id 指定别的编号"


def _complete(request: Request, corpus: Corpus, ask: Ask, visibility: bool = True) -> None:
    """Check the request against the content, and ask for what is missing (``visibility``:
    also whether the record is public)."""
    if not request.title.strip():
        raise Refused("--title 不能为空：请写上记录的标题", usage=True)
    if request.visibility is None and visibility:
        request.visibility = ask(
            "可见性（public 公开 / internal 内部）",
            ["public", "internal"],
            "请用 --visibility public 或 --visibility internal 说明是否公开",
        )
    for bureau in request.bureaus:
        if bureau not in corpus.entries["bureaus"]:
            known = ", ".join(sorted(corpus.entries["bureaus"])) or "（没有）"
            raise Refused(f"没有编号为 “{bureau}” 的司法局；可选：{known}", usage=True)
    for topic in request.topics:
        if topic not in corpus.topics:
            raise Refused(
                f"topics.yml 里没有专题 “{topic}”；可选：{', '.join(corpus.topics)}", usage=True
            )
    if request.folder == "agreements" and not request.bureaus:
        raise Refused("协议至少要有一个签署的司法局：请加 --bureau 编号", usage=True)
    if request.folder == "bureaus":
        request.short_name = request.short_name or request.title.removesuffix("司法局")
        if not request.region:
            request.region = ask(
                "所属市/州（例如 娄底市）",
                None,
                "请用 --region 写明所属市/州，例如 --region 娄底市",
            )


# What a record just written has by nature: prompts to fill in, no sign-off yet. They are said
# as warnings, so the author knows what comes next, and the record is kept.
UNSIGNED_YET = ("JD431", "JD435")


def place(root: Path, request: Request, corpus: Corpus, ask: Ask, visibility: bool = True) -> Path:
    """Where the record ``request`` asks for goes (its id as ``jiandi new`` makes it), once the
    request is complete; Refused if it cannot be written there."""
    _complete(request, corpus, ask, visibility)
    date = request.date = request.date or clock.today()
    ident = request.ident or record_id(request.folder, request.title, date)
    if len(ident) > 100:
        raise Refused(
            f"编号太长（{len(ident)} 个字符）：请用 --id 写一个 100 个字符以内的编号", usage=True
        )
    if not ID_PATTERN.match(ident) or ident == "index":
        raise Refused(f"编号 “{ident}” 无效：只能用小写英文字母、数字和连字符", usage=True)
    if re.search(r"[0-9]{7,}", ident):  # the file name is in the page's address
        raise Refused(
            f"编号 “{ident}” 里有一长串数字，可能是电话或证件号：网址里不能有，请换一个编号",
            usage=True,
        )
    path = root / request.folder / f"{ident}.md"
    if path.exists() or path.is_symlink():
        raise Refused(EXISTS.format(path=path))
    return path


def text_of(templates: Path, request: Request, corpus: Corpus, **more: object) -> str:
    """The record file for ``request`` from its template; ``more``: what an import fills in
    (summary, body)."""
    date = request.date or clock.today()
    issuers = site_issuers()
    serial = next_serial(corpus, issuers, date) if KINDS[request.folder].index_category else None
    return render(
        templates,
        request.folder,
        {
            "title": request.title,
            "visibility": request.visibility or "",
            "date": date.isoformat(),
            "bureaus": request.bureaus,
            "topics": request.topics,
            "serial": serial,
            "issuer": next(iter(issuers), ""),
            "short_name": request.short_name,
            "region": request.region,
            "summary": "",
            "body": "",
            "guide": {},
            "imported": False,
            **more,
        },
    )


def write_new(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, which must not exist (not even made meanwhile)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = path.open("x", encoding="utf-8")
    except FileExistsError:
        raise Refused(EXISTS.format(path=path)) from None
    try:
        with handle:
            handle.write(text)
    except BaseException:  # a full disk: no half-written record is left behind
        path.unlink(missing_ok=True)
        raise


def problems_in(root: Path, path: Path, memo: Memo | None = None) -> list[Problem]:
    """What ``check`` finds in the record at ``path`` (a prompt left to fill in and a sign-off
    still to come said as warnings); ``memo``: records already read (see ``content.load``)."""
    from generator.check import validate

    _corpus, problems = validate(root, memo)
    return [
        dataclasses.replace(p, severity="warning") if p.code in UNSIGNED_YET else p
        for p in problems.items
        if p.path == path
    ]


def create(
    root: Path, request: Request, templates: Path, ask: Ask
) -> tuple[Path | None, list[Problem]]:
    """Write the record ``request`` asks for into ``root`` and check it at once. Returns its
    path and the problems ``check`` finds in it; an invalid record is removed again (path
    None). ``ask`` supplies what the request lacks."""
    from generator.check import validate

    corpus, _problems = validate(root)
    path = place(root, request, corpus, ask)
    write_new(path, text_of(templates, request, corpus))
    mine = problems_in(root, path)
    if any(p.severity == "error" for p in mine):
        path.unlink()  # ours, just written: an invalid record is not left behind
        return None, mine
    return path, mine
