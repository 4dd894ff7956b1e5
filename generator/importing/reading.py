"""What a record's front matter takes from the document itself: its title, the date it
states, a summary from its first paragraph."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from generator.importing.markdown import Block

_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0"}
_NUMERAL = "〇零○一二三四五六七八九十"
# A date a law or rule takes effect or was passed is not the date of the record.
_ENACTED = re.compile(r"^\s*(?:起|开始)?(?:施行|实施|生效|颁布|公布|通过|修订|修正)")
_DATES = (
    re.compile(
        r"(?<!\d)(\d{4})[ \u3000]*年[ \u3000]*(\d{1,2})[ \u3000]*月[ \u3000]*(\d{1,2})[ \u3000]*[日号]"
    ),
    re.compile(r"(?<![\d.])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?![\d])"),
    re.compile(f"([{_NUMERAL[:-1]}]{{4}})年([{_NUMERAL}]{{1,2}})月([{_NUMERAL}]{{1,3}})[日号]"),
)
# A title is a line, not a sentence: what ends a sentence does not end it.
_SENTENCE_END = "。！？；：…"
TITLE_MAX = 60
SUMMARY_MAX = 120
_DATELINE = re.compile(
    r"^(?:本报讯|本网讯|讯|通讯员[^，。（(]{0,20}|记者[^，。（(]{0,20})[（(][^）)]{0,40}[）)]\s*"
)


def _small(numeral: str) -> int:
    """十 → 10, 二十一 → 21, 三 → 3."""
    if "十" not in numeral:
        return int("".join(_DIGIT[c] for c in numeral))
    tens, _, ones = numeral.partition("十")
    return (int(_DIGIT[tens]) if tens else 1) * 10 + (int(_DIGIT[ones]) if ones else 0)


def stated_date(text: str) -> tuple[dt.date, str] | None:
    """The first whole date the text states (2024年6月3日, 2024-06-03, 2024/6/3, 2024.6.3,
    二〇二四年六月三日), with the words it was read from; None if it states none. A date
    followed by 起施行, 实施, 通过… is a rule's, not the record's, and is passed over."""
    text = unicodedata.normalize("NFKC", text)
    found: list[tuple[int, dt.date, str]] = []
    for index, pattern in enumerate(_DATES):
        for match in pattern.finditer(text):
            try:
                if index == 2:
                    year = int("".join(_DIGIT[c] for c in match.group(1)))
                    month, day = _small(match.group(2)), _small(match.group(3))
                elif index == 1:
                    year, month, day = (int(match.group(n)) for n in (1, 3, 4))
                else:
                    year, month, day = (int(g) for g in match.groups())
                date = dt.date(year, month, day)
                if _ENACTED.match(text[match.end() : match.end() + 6]):
                    continue
                found.append((match.start(), date, match.group(0)))
                break
            except (ValueError, KeyError):
                continue
    if not found:
        return None
    _start, date, words = min(found, key=lambda item: item[0])
    return date, words


def title_block(blocks: list[Block]) -> int | None:
    """Which block is the title: the paragraph in Word's Title style, else the first heading,
    else a first paragraph short enough to be one (a headline set in bold and centred). Never
    one inside an internal section: the title is public."""
    shown = [(index, block) for index, block in enumerate(blocks) if not block.internal]
    for index, block in shown:
        if block.title:
            return index
    for index, block in shown:
        if block.kind == "heading":
            return index
    if shown and shown[0][1].kind == "paragraph":
        text = shown[0][1].text.strip()
        if text and len(text) <= TITLE_MAX and text[-1] not in _SENTENCE_END:
            return shown[0][0]
    return None


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" \u3000")


def summary_of(blocks: list[Block]) -> str:
    """One or two sentences from the first paragraph that is a sentence, at most SUMMARY_MAX
    characters, cut where a sentence ends; "" if there is none."""
    for block in blocks:
        if block.kind != "paragraph" or block.internal:  # the summary is public
            continue
        text = _DATELINE.sub("", one_line(block.text))
        if len(text) < 15 or text[-1] not in "。！？":
            continue
        sentences = re.findall(r"[^。！？]+[。！？]", text)
        summary = ""
        for sentence in sentences:
            if summary and len(summary) + len(sentence) > SUMMARY_MAX:
                break
            summary += sentence
        if len(summary) > SUMMARY_MAX:
            cut = max(summary.rfind(mark, 0, SUMMARY_MAX) for mark in "，、；")
            summary = summary[: cut if cut > 20 else SUMMARY_MAX].rstrip("，、；") + "……"
        return summary
    return ""


# A service guide's parts, by the words its headings (or a "办理地点：…" line) use for them.
GUIDE_PARTS = (
    ("basis", "依据"),
    ("eligibility", "对象|条件"),
    ("materials", "材料"),
    ("place", "地点|地址"),
    ("hours", "时间"),
    ("phone", "电话"),
    ("steps", "流程|程序|步骤"),
    ("fee", "收费|费用"),
)
LISTED = {"basis", "materials", "steps"}
_NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])\s*"
)
_LABELLED = re.compile(r"^([^：:，。]{2,10})[：:]\s*(\S.*)$")


def _part(label: str) -> str | None:
    label = _NUMBERED.sub("", one_line(label)).strip("：: ")
    if len(label) > 12:
        return None
    for key, words in GUIDE_PARTS:
        if re.search(words, label):
            return key
    return None


def guide_fields(blocks: list[Block]) -> tuple[dict[str, str | list[str]], list[Block]]:
    """A service guide's keys (basis, eligibility, materials, place, hours, phone, steps, fee)
    from the sections whose headings name them, or from lines such as "办理地点：…"; and the
    blocks that are none of them (the guide's body: notes, questions)."""
    found: dict[str, list[str]] = {}
    rest: list[Block] = []
    current: str | None = None
    for block in blocks:
        if block.internal or block.kind == "picture":  # internal text stays in its section
            rest.append(block)
            continue
        if block.kind == "heading":
            current = _part(block.text)
            if current is None or current in found:
                current = None
                rest.append(block)
            else:
                found[current] = []
            continue
        labelled = _LABELLED.match(one_line(block.text)) if block.kind == "paragraph" else None
        key = _part(labelled.group(1)) if labelled else None
        if key is not None and key not in found and labelled is not None:
            found[key] = [labelled.group(2)]
            current = None
        elif current is not None:
            found[current].extend(block.items or [one_line(block.text)])
        else:
            rest.append(block)
    fields: dict[str, str | list[str]] = {}
    for key, items in found.items():
        items = [one_line(item) for item in items if one_line(item)]
        if items:
            fields[key] = items if key in LISTED else " ".join(items)
    return fields, rest
