"""``jiandi new``: a new record from a template in ``templates/new/``, with a comment for every key.

The id (file name) comes from the date and the title in pinyin, e.g.
``2024-03-15-shuangfeng-bangjiao``; an existing file is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from pathlib import Path

import jieba
import jinja2
from pypinyin import lazy_pinyin

from generator.content.disclosure import CATEGORIES, IndexNumber, group_of, index_numbers
from generator.content.load import Corpus
from generator.content.terms import PROGRAMME_TERMS

DATED = {"events", "agreements"}
# Words that say little in an id.
STOP = {"的", "和", "与", "及", "在", "了", "是", "对", "为", "活动", "工作", "开展", "举办", "举行",
        "召开", "关于", "司法局"}
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
        text = re.sub(r"[^a-z0-9]+", "", text)
        if text:
            words.append(text)
        if len(words) == MAX_WORDS:
            break
    return "-".join(words)[:48].strip("-") or "jilu"


def record_id(kind: str, title: str, date: dt.date) -> str:
    base = slug(title)
    return f"{date.isoformat()}-{base}" if kind in DATED else base


def next_serial(corpus: Corpus, kind: str, bureaus: list[str], date: dt.date) -> int:
    """The first free serial in the record's index-number group."""
    org = bureaus[0] if bureaus else "yanbei"
    group = (org, CATEGORIES[kind], date.year)
    taken = {n.serial for n in index_numbers(corpus).values() if n.group == group}
    return max(taken, default=0) + 1


def render(templates: Path, kind: str, values: dict[str, object]) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)),
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["yaml"] = lambda value: json.dumps(value, ensure_ascii=False)
    name = {"events": "event", "policies": "policy", "agreements": "agreement",
            "bureaus": "bureau"}[kind]
    return env.get_template(f"new/{name}.md.j2").render(values)


__all__ = ["IndexNumber", "group_of", "next_serial", "record_id", "render", "slug"]
