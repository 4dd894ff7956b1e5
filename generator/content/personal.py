"""Personal data in public content: ID numbers, mobile numbers and bank cards fail the build.

People in custody and their families appear only pseudonymised (张某, 小卉). Numbers that
identify a person are refused in every public record, field and section; internal fields and
``::: internal`` sections may hold them. Office landlines (0731-…) are fine. A number that is
deliberately public (a hotline on a mobile number) is allowed by writing it, exactly, in the
record's ``public_numbers`` list: one value, one record, never a switch for the whole guard.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from generator.content.corpus import Corpus, Entry
from generator.content.normal import visible
from generator.content.yamlstrict import leaves
from generator.problems import Problems

_ID18 = re.compile(r"(?<![0-9])(\d{6})(\d{8})(\d{3})([0-9Xx])(?![0-9A-Za-z])")
# The same 18 characters in groups (430102 19900307 1234, 4301 0219 9003 0712 34).
_ID15 = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{6})(\d{3})(?![0-9A-Za-z])")
# A mobile number as people write one: 11 digits from 13–19, in one of the usual groupings
# (3-4-4, 4-3-4, 2-3-3-3, 3-8, 7-4, digit by digit) with spaces, dashes, dots, slashes, commas,
# bars or colons between the groups, perhaps after +86, 0086 or a trunk 0, and perhaps right
# after letters (wx13812345678, QQ13812345678).
_SEP = r"(?:[ \t]{0,2}[\-./\u2010-\u2015\u00b7,\uff0c\u3001|:\uff1a][ \t]{0,2}|[ \t]{1,3})"
_ID18_GROUPED = re.compile(
    r"(?<![0-9])\d(?:" + _SEP + r"?\d){16}" + _SEP + r"?[0-9Xx](?![0-9A-Za-z])"
)
_GROUPINGS = [(3, 4, 4), (4, 3, 4), (2, 3, 3, 3), (3, 8), (7, 4), (1,) * 11]


def _grouped(groups: tuple[int, ...]) -> str:
    digits, parts = 0, []
    for size in groups:
        part = "".join(r"\d" for _ in range(size))
        if digits == 0:
            part = r"1[3-9]" + part[4:] if size >= 2 else r"1"
        elif digits == 1:
            part = r"[3-9]" + part[2:]
        parts.append(part)
        digits += size
    return (
        "(?:" + f"{_SEP}?".join(parts) + ")"
        if groups == (1,) * 11
        else _SEP.join(parts)
        if len(groups) > 1
        else parts[0]
    )


_MOBILE = re.compile(
    r"(?<![0-9+])(?:(?:\+|00)?86"
    + _SEP
    + r"?|0)?\(?("
    + "|".join(
        [r"1[3-9]\d\)?" + _SEP + r"?\d{4}" + _SEP + r"?\d{4}"]
        + [_grouped(g) for g in _GROUPINGS[1:]]
    )
    + r")(?!\d)"
)
_CARD = re.compile(r"(?<![0-9A-Za-z])\d{4}(?:[ -]?\d{2,4}){3,4}(?:[ -]?\d{1,3})?(?![0-9A-Za-z])")
_ACCOUNT = re.compile(r"(?:卡号|账号|帐号)[:：\s]*((?:\d[ -]?){10,22}\d)")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class Finding:
    kind: str
    value: str
    start: int = 0  # offset in the text searched

    @property
    def masked(self) -> str:
        digits = self.value
        return digits[:3] + "*" * max(len(digits) - 5, 3) + digits[-2:]


def _valid_date(text: str) -> bool:
    try:
        dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return True


def _id18_ok(body: str, check: str) -> bool:
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=False))
    return "10X98765432"[total % 11] == check.upper()


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


_FULL_WIDTH = {0xFF10 + i: ord("0") + i for i in range(10)}
_FULL_WIDTH.update(
    {0xFF38: ord("X"), 0xFF58: ord("x"), 0xFF0B: ord("+"), 0xFF0D: ord("-"), 0x3000: ord(" ")}
)
_DIGIT_FORM_CLASS = (
    "\u00b2\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u24ea"
    "\u24f5-\u24fd\u2776-\u277e\u2780-\u2788\u278a-\u2792\u24ff"
)
# A quick test: eight digits (of any form) with at most three other characters between each.
_DIGITS = re.compile(f"[\\d{_DIGIT_FORM_CLASS}](?:[^\\d\\n]{{0,3}}[\\d{_DIGIT_FORM_CLASS}]){{7}}")


_OTHER_DIGIT = re.compile(r"(?![0-9])\d")  # any other decimal digit: 𝟏, ١, ๑ …
# Digits written small, circled or in other forms (¹, ₁, ①, ❶, ➀): NFKC makes them digits.
_DIGIT_FORMS = re.compile(f"[{_DIGIT_FORM_CLASS}]")


def normalise(text: str) -> str:
    """Full-width digits (and + - x space) to ASCII, so ０１３８… is seen as 0138…; any other
    decimal digit (mathematical bold 𝟏, Arabic-Indic ١ …) too. Lengths stay as they are."""
    text = text.translate(_FULL_WIDTH)
    if text.isascii():
        return text
    text = _DIGIT_FORMS.sub(lambda m: str(unicodedata.digit(m.group())), text)
    return _OTHER_DIGIT.sub(lambda m: str(unicodedata.digit(m.group())), text)


def may_hold_number(text: str) -> bool:
    """The quick test of ``find``: whether ``text`` has enough digits close together."""
    return bool(_DIGITS.search(text))


def find(text: str) -> Iterator[Finding]:
    """Every ID, mobile or bank card number in ``text``."""
    if not _DIGITS.search(text):  # \d matches full-width digits too
        return
    text = normalise(text)
    for m in _ID18.finditer(text):
        if _valid_date(m.group(2)) and _id18_ok("".join(m.groups()[:3]), m.group(4)):
            yield Finding("身份证号", m.group(0), m.start())
    for m in _ID18_GROUPED.finditer(text):
        digits = re.sub(r"[^0-9Xx]", "", m.group(0))
        if digits != m.group(0) and _valid_date(digits[6:14]) and _id18_ok(digits[:17], digits[17]):
            yield Finding("身份证号", digits, m.start())
    for m in _ID15.finditer(text):
        if _valid_date("19" + m.group(2)):
            yield Finding("身份证号（15位）", m.group(0), m.start())
    for m in _MOBILE.finditer(text):
        yield Finding("手机号", re.sub(r"\D", "", m.group(1)), m.start())
    seen: set[str] = set()
    for m in _ACCOUNT.finditer(text):
        digits = re.sub(r"\D", "", m.group(1))
        seen.add(digits)
        yield Finding("银行卡号/账号", digits, m.start())
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if 16 <= len(digits) <= 19 and digits not in seen and _luhn(digits):
            if _ID18.fullmatch(digits):
                continue  # an ID number, reported above if valid
            yield Finding("银行卡号", digits, m.start())


# Markup that can stand between two digits without showing: tags, emphasis, code marks,
# backslashes. With entities decoded and invisible characters removed, 139**1234**5678,
# 139<span>1234</span>5678 and &#49;&#51;… read as the numbers they show.
_BETWEEN = re.compile(r"<[^>\n]*>|[*_~`\\]")
# A tag that breaks the line or the block (a cell's two lines, 430102…<br>138…) shows as a
# break: a reader sees two numbers there, as at a line break, not one run of 29 digits.
_BREAKING = re.compile(r"</?(?:br|p|div|li|tr|td|th|h[1-6])\b[^>\n]*>", re.IGNORECASE)


# A line break inside a number (138 1234⏎5678): a reader sees a space there. Replaced by a
# space, one character for one, so offsets and lines stay where they were.
_ANY_DIGIT = re.compile(f"[\\d{_DIGIT_FORM_CLASS}]")
# Markup, an escape or an entity touching a digit: only then can it hide a number.
_MARKUP_AT_DIGIT = re.compile(r"\d[\[*_~`\\<&%]|[\]*_~`\\>;)]\d")
# A link whose text continues digits around it reads on as text: 138[0013](http://…)8000 is
# one number. (A link elsewhere keeps its address, whose digits are read too: tel:138….)
_LINK = re.compile(r"(?<=\d)\[(\d[^\[\]\n]*)\]\([^()\n]*\)|\[([^\[\]\n]*\d)\]\([^()\n]*\)(?=\d)")
_DIGIT_LINE_BREAK = re.compile(r"(?<=\d)([ \t]*)\n(?=[ \t]*\d)")


def as_read(text: str) -> str:
    """``text`` as a reader would read its digits (lines kept where they are): markup between
    digits removed, entities and URL escapes (tel:138%201234…) decoded."""
    if not _ANY_DIGIT.search(text) and "&#" not in text:  # no digit, written or as an entity
        return text
    if "&#" in text or _MARKUP_AT_DIGIT.search(text):  # else there is nothing to take apart
        if "%" in text:
            text = re.sub(
                r"%[0-9A-Fa-f]{2}",
                lambda m: unquote(m.group()) if m.group() != "%0A" else m.group(),
                text,
            )
        text = _BETWEEN.sub(
            "",
            _BREAKING.sub(" ", html.unescape(_LINK.sub(lambda m: m.group(1) or m.group(2), text))),
        )
    text = visible(text)
    return _DIGIT_LINE_BREAK.sub(lambda m: m.group(1) + " ", text) if "\n" in text else text


def field_texts(node: Any, line: int) -> Iterator[tuple[str, int]]:
    """(text, line) of every value inside a front matter value, however deep."""
    for text, text_line, _path in leaves(node, line):
        yield text, text_line


def public_texts(entry: Entry) -> Iterator[tuple[str, int]]:
    """(text, line) of everything in a public record that the public edition shows; a body
    segment comes whole, with the line of its first line."""
    for key, value in entry.raw.items():
        if key in ("internal", "review", "public_numbers"):  # sign-offs are internal
            continue
        yield from field_texts(value, entry.raw.key_lines.get(key, 1))
    for segment in entry.segments:
        if not segment.internal:
            yield segment.text, segment.line


def check_personal_data(corpus: Corpus, problems: Problems) -> None:
    """Report every personal number in public content, partly masked, with its line.

    The findings are kept on the entry (``Entry.memo``): the live preview reuses the Entry of
    every file that did not change, so only edited records are scanned again (the scan of
    10,000 records took half a second of every preview rebuild)."""
    for entry in corpus.all():
        if not entry.meant_public:  # a draft or an embargoed record too: before it is public
            continue
        found = entry.memo.get("personal")
        if found is None:
            found = entry.memo["personal"] = _findings(entry)
        problems.items.extend(found)


def allowed_numbers(entry: Entry) -> set[str]:
    """The digits of the numbers a record declares public (``public_numbers``)."""
    return {re.sub(r"\D", "", normalise(v)) for v in entry.data.public_numbers}


def _findings(entry: Entry) -> list[Any]:
    problems = Problems()
    allowed = allowed_numbers(entry)
    for written, line in public_texts(entry):
        text = as_read(written)
        for finding in find(text):
            if re.sub(r"\D", "", finding.value) in allowed:
                continue
            problems.add(
                "JD601",
                entry.path,
                line + text.count("\n", 0, finding.start),
                f"公开内容里有{finding.kind} {finding.masked}：服刑人员和家属只能用化名"
                f"（如张某、小卉），个人号码不能公开。请删掉它，或移到 internal 字段或 "
                f"“::: internal” 段落；确属公开的服务号码，请原样写进 public_numbers",
            )
    return problems.items
