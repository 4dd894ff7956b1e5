"""Links and images in Markdown bodies: find them, with their lines, outside code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from generator.sections import FENCE

# [text](target "title") and ![alt](target); the text may hold one level of brackets.
INLINE = re.compile(
    r"(?P<image>!?)\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"\(\s*(?P<target><[^>\n]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?\s*\)"
)
# [label]: target "title" (not a footnote, [^label]: text)
REFERENCE = re.compile(r"^ {0,3}\[(?P<text>(?!\^)[^\]\n]+)\]:\s*(?P<target><[^>\n]*>|\S+)", re.M)
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)


@dataclass(frozen=True)
class Link:
    target: str
    text: str
    line: int
    image: bool

    @property
    def external(self) -> bool:
        return bool(urlsplit(self.target).scheme) or self.target.startswith("//")

    @property
    def path(self) -> str:
        """The file part of a relative target, URL-decoded, without query or anchor."""
        return unquote(urlsplit(self.target).path)


def blank_code(text: str) -> str:
    """Replace code (fenced blocks and inline spans) by spaces, keeping lines where they are."""
    out: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            out.append("")
            continue
        match = FENCE.match(line)
        if match:
            fence = match.group(1)
            out.append("")
            continue
        out.append(line)
    joined = "\n".join(out)
    return INLINE_CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), joined)


def find(text: str, first_line: int) -> list[Link]:
    """Every link and image in ``text``, whose first line is file line ``first_line``."""
    if "](" not in text and "]:" not in text:
        return []
    clean = blank_code(text)
    links: list[Link] = []
    for match in INLINE.finditer(clean):
        target = match.group("target").strip("<>").strip()
        line = first_line + clean.count("\n", 0, match.start("target"))
        links.append(Link(target, match.group("text"), line, bool(match.group("image"))))
    for match in REFERENCE.finditer(clean):
        target = match.group("target").strip("<>").strip()
        line = first_line + clean.count("\n", 0, match.start())
        links.append(Link(target, match.group("text"), line, False))
    return links
