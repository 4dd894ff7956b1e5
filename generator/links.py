"""Links and images in Markdown bodies: find them, with their lines, outside code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from generator.sections import code_lines

# [text](target "title") and ![alt](target); the text may hold one level of brackets.
INLINE = re.compile(
    r"(?P<image>!?)\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"\(\s*(?P<target><[^>\n]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?\s*\)"
)
# [label]: target "title" (not a footnote, [^label]: text)
REFERENCE = re.compile(r"^ {0,3}\[(?P<text>(?!\^)[^\]\n]+)\]:\s*(?P<target><[^>\n]*>|\S+)", re.M)
# ![alt][label], ![alt][] and ![alt]: images that take their address from a definition.
IMAGE_REFERENCE = re.compile(r"!\[(?P<alt>[^\[\]\n]*)\](?:\[(?P<label>[^\[\]\n]*)\])?(?!\()")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)


@dataclass(frozen=True)
class Link:
    target: str
    text: str
    line: int
    image: bool  # loaded by the browser (an image, or any src of raw HTML), not followed
    raw: bool = False  # from raw HTML: relative to the page's address, not to the file

    @property
    def external(self) -> bool:
        return bool(urlsplit(self.target).scheme) or self.target.startswith("//")

    @property
    def path(self) -> str:
        """The file part of a relative target, URL-decoded, without query or anchor."""
        return unquote(urlsplit(self.target).path)


def blank_code(text: str) -> str:
    """Replace code (fenced blocks and inline spans) by spaces, keeping lines where they are.

    Only closed top-level fences count as code (sections.code_lines): what Markdown may show
    as text is searched for links."""
    lines = text.split("\n")
    code = code_lines(lines) if "``" in text or "~~~" in text else set()
    joined = "\n".join("" if index in code else line for index, line in enumerate(lines))
    return INLINE_CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), joined)


def find(text: str, first_line: int) -> list[Link]:
    """Every link and image in ``text``, whose first line is file line ``first_line``."""
    if "](" not in text and "]:" not in text:
        return raw_links(text, first_line) if "<" in text else []
    clean = blank_code(text)
    links: list[Link] = []
    for match in INLINE.finditer(clean):
        target = match.group("target").strip("<>").strip()
        line = first_line + clean.count("\n", 0, match.start("target"))
        links.append(Link(target, match.group("text"), line, bool(match.group("image"))))
    # A reference definition used by an image loads what it points to.
    images = {label.strip().lower() for match in IMAGE_REFERENCE.finditer(clean)
              for label in (match.group("label") or match.group("alt"),)}
    for match in REFERENCE.finditer(clean):
        target = match.group("target").strip("<>").strip()
        line = first_line + clean.count("\n", 0, match.start())
        label = match.group("text")
        links.append(Link(target, label, line, label.strip().lower() in images))
    return links + (raw_links(text, first_line) if "<" in text else [])


def raw_links(text: str, first_line: int) -> list[Link]:
    """Addresses in raw HTML tags (href, src, srcset, poster…), outside code."""
    from generator.html_policy import addresses

    return [Link(url, "", line, loads, raw=True)
            for line, url, loads in addresses(blank_code(text), first_line)]
