"""Text as jiandi's Markdown reads it: escaped where it would be markup, cleaned of what
nobody sees, and lines joined as Chinese joins them (no space between Chinese characters)."""

from __future__ import annotations

import re

CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_ESCAPE = re.compile(r"([\\`*_{}\[\]>|])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# What would start a heading, a quote, a list, a definition, an admonition or a rule. A line
# like "::: internal" is left as it is: check refuses it (fail closed) and says what to do.
_START = re.compile(r"^(\s*)(#|>|[-+*](?=\s)|\d+(?=[.)]\s)|:(?!::)|!!!|\?\?\?|={3,}|-{3,}|~{3,})")
# Characters nobody sees, and control characters (which YAML refuses in a title).
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def escape(text: str) -> str:
    """Plain text as Markdown that reads as that text, on one line."""
    return _ESCAPE.sub(r"\\\1", _ENTITY.sub("&amp;", text)).replace("<", "&lt;")


def guard_start(markdown: str) -> str:
    """A block whose text would start a heading, a quote, a list or a fence starts escaped."""
    match = _START.match(markdown)
    if not match:
        return markdown
    lead, mark = match.group(1), match.group(2)
    rest = markdown[match.end() :]
    if mark.isdigit():
        return f"{lead}{mark}\\{rest}"
    return f"{lead}&#{ord(mark[0])};{mark[1:]}{rest}"


def clean(text: str) -> str:
    text = _INVISIBLE.sub("", text)
    text = text.replace("\u00a0", " ").replace("\t", " ")
    return re.sub(r"[ \r\n]+", " ", text)


def joined(parts: list[str]) -> str:
    """Pieces of a paragraph around Word's manual line breaks, joined as one line."""
    out = ""
    for part in parts:
        part = part.strip(" ")
        if not part:
            continue
        if out and not (
            re.search(f"[{CJK}]$", _plain_tail(out)) and re.match(f"[{CJK}]", _plain_head(part))
        ):
            out += " "
        out += part
    return out


BREAK = "\n"  # a manual line break in what a reader sees, until seen_text joins the lines


def seen_text(parts: list[str]) -> str:
    """What a reader sees, on one line: a manual line break is no space between Chinese
    characters and one space between words, as in the Markdown (``joined``)."""

    def join(match: re.Match[str]) -> str:
        before, after = match.string[: match.start()], match.string[match.end() :]
        cjk = re.search(f"[{CJK}]$", before) and re.match(f"[{CJK}]", after)
        return "" if cjk else " "

    return re.sub(r" *\n *", join, "".join(parts)).strip(" ")


def _plain_tail(markdown: str) -> str:
    return re.sub(r"[*\\]+$", "", markdown)[-1:] or markdown[-1:]


def _plain_head(markdown: str) -> str:
    return re.sub(r"^[*\\]+", "", markdown)[:1] or markdown[:1]


def emphasis(inner: str, mark: str) -> str:
    """``inner`` in bold or italic, with its spaces outside the marks (``** x**`` is not bold)."""
    core = inner.strip(" ")
    if not core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip(" "))]
    trail = inner[len(inner.rstrip(" ")) :]
    return f"{lead}{mark}{core}{mark}{trail}"
