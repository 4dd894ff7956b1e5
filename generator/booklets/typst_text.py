"""Text in Typst markup: escaping, string literals and labels, and what a record's text needs
to read well on paper: dates that never break in a table cell, page references placed as
Chinese punctuation wants.
"""

from __future__ import annotations

import re

# Characters with a meaning in Typst markup, each written with a backslash. Digits and the
# full stop are escaped too, so no text can start a numbered list or a heading.
# Parentheses, braces and the semicolon too: right after a call (``#strong[粗体]``) they would
# continue it, or end it and vanish.
_SPECIAL = {c: "\\" + c for c in "\\#*_`$<>@[]~/=-+.:;'\"(){}"}
_ESCAPE = str.maketrans(_SPECIAL)


def escape(text: object) -> str:
    """``text`` as literal Typst markup: special characters escaped, line breaks as spaces."""
    value = str(text)
    value = re.sub(
        r"(?<=[\u3000-\u9fff\uff00-\uffef])\s*\n\s*(?=[\u3000-\u9fff\uff00-\uffef])", "", value
    )
    return re.sub(r"\s+", " ", value).translate(_ESCAPE)


def string(text: str) -> str:
    """``text`` as a Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def label(name: str) -> str:
    """A Typst label for a booklet anchor (``events-2023-12-27-qianyue``)."""
    return "<" + re.sub(r"[^A-Za-z0-9_.:-]", "-", name) + ">"


# A date as people write it: 2024年2月29日 (spaces, full-width digits, Chinese numerals too),
# 2月29日, 2024年2月, 2024-02-29, 2024.2.29, 2024/2/29.
_D = r"[0-9０-９〇零一二三四五六七八九十]"
_DATE = re.compile(
    rf"(?:{_D}{{4}}\s*年\s*)?{_D}{{1,2}}\s*月(?:\s*{_D}{{1,3}}\s*[日号])?"
    r"|[0-9]{4}[-./][0-9]{1,2}[-./][0-9]{1,2}"
)


def boxed_dates(text: str) -> str:
    """``text`` escaped, each date in it set in a box: a narrow column breaks around a date,
    never inside it ("2024年 / 2月29 / 日")."""
    out, last = "", 0
    for found in _DATE.finditer(text):
        out += escape(text[last : found.start()]) + f"#box[{escape(found.group(0))}]"
        last = found.end()
    return out + escape(text[last:])


# A page reference ("（见第 5 页）") is written where its link ends as \0<label>\0, then set
# after closing quotes and book-title marks ("《…》（见第 5 页）"), and inside parentheses that
# close right after it ("（签约仪式，见第 5 页）"), not as a second pair.
_REF = re.compile(r"\x00(<[^>\x00]*>)\x00")


def pages(text: str) -> str:
    text = re.sub(r"(\x00<[^>\x00]*>\x00)([》」”’]+)", r"\2\1", text)

    def page(where: str) -> str:
        return f"见第 #context counter(page).at({where}).first() 页"

    text = re.sub(
        r"（([^（）\n]*?)\x00(<[^>\x00]*>)\x00）",
        lambda m: f"（{m.group(1)}，{page(m.group(2))}）",
        text,
    )
    return _REF.sub(lambda m: f"（{page(m.group(1))}）", text)
