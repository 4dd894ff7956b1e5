"""Links and images in Markdown bodies: find them, with their lines, outside code."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from generator.content.html_policy import addresses
from generator.content.sections import blank_code

# (target "title") right after the ] of [text] or ![alt]; the text may nest brackets to any
# depth ([会商 [内部 [记录]]](…)), which a regular expression cannot follow: see _opening.
TARGET = re.compile(
    r"\(\s*(?P<target><[^>\n]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?\s*\)"
)
# [label]: target "title" (not a footnote, [^label]: text), also inside a quote or a list.
REFERENCE = re.compile(
    r"^[ \t>]*(?:[-*+][ \t]+|\d{1,9}[.)][ \t]+)?\[(?P<text>(?!\^)[^\]\n]+)\]:"
    r"\s*(?P<target><[^>\n]*>|\S+)",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Link:
    target: str
    text: str
    line: int
    image: bool  # loaded by the browser (an image, or any src of raw HTML), not followed
    raw: bool = False  # from raw HTML: relative to the page's address, not to the file
    label: str | None = None  # a reference definition's label (lower case): used only if named

    @property
    def external(self) -> bool:
        return bool(urlsplit(self.target).scheme) or self.target.startswith("//")

    @property
    def path(self) -> str:
        """The file part of a relative target, URL-decoded, without query or anchor."""
        return unquote(urlsplit(self.target).path)


_FULL_STOPS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
_WEB = re.compile(r"(?i)^(?:https?:)?[\\/]{2}|^https?:")


def as_browser_reads(url: str) -> str:
    """``url`` as a browser reads it (the WHATWG URL rules): spaces and control characters
    around it dropped, tabs and line breaks inside it dropped, and in a web address every
    backslash a slash (``https://host\\events/x`` is ``https://host/events/x``)."""
    url = re.sub(r"[\t\n\r]", "", url.strip(" \x00-\x1f"))
    if not _WEB.match(url):
        return url
    # ``https:/host/x`` and ``https:host/x``: a browser may read the host there (on a page of
    # the other scheme it does): read it so, and the link is checked as one to that host.
    return re.sub(r"(?i)^(https?):/*", r"\1://", url.replace("\\", "/"))


def host_key(netloc: str) -> str:
    """The host a browser connects to for ``netloc``, in one spelling: without user and port,
    percent-escapes decoded, full-width letters and ideographic full stops folded (NFKC,
    ``。``), lower case, no trailing dot, internationalised names in their ASCII form."""
    host = unquote(netloc.rsplit("@", 1)[-1])
    host = unicodedata.normalize("NFKC", host).translate(_FULL_STOPS)
    if not host.startswith("["):
        host = host.rsplit(":", 1)[0] if ":" in host else host
    host = host.lower().rstrip(".")
    try:
        return host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return host


_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
# <https://…>: an autolink (CommonMark), which Python-Markdown makes a link.
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto|tel):[^<>\s]*)>", re.IGNORECASE)


def _outside_comments(text: str) -> str:
    """``text`` with HTML comments blanked (their line breaks kept): nothing in a comment
    reaches a page, so nothing in one is a link to check or an asset to publish."""
    if "<!--" not in text:
        return text
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def find(text: str, first_line: int) -> list[Link]:
    """Every link and image in ``text``, whose first line is file line ``first_line``."""
    if "](" not in text and "]:" not in text:
        return _autolinks(text, first_line) + raw_links(text, first_line) if "<" in text else []
    clean = _outside_comments(blank_code(text))
    links: list[Link] = _autolinks(text, first_line) if "<" in text else []
    for close in (m.start() for m in re.finditer(r"\]\(", clean)):
        start = _opening(clean, close)
        match = TARGET.match(clean, close + 1) if start is not None else None
        if start is None or match is None:
            continue
        target = match.group("target").strip("<>").strip()
        line = first_line + clean.count("\n", 0, match.start("target"))
        image = start > 0 and clean[start - 1] == "!"
        links.append(Link(target, clean[start + 1 : close], line, image))
    # A reference definition used by an image loads what it points to.
    images = _image_labels(clean)
    for match in REFERENCE.finditer(clean):
        target = match.group("target").strip("<>").strip()
        line = first_line + clean.count("\n", 0, match.start())
        label = match.group("text")
        key = label.strip().lower()
        links.append(Link(target, label, line, key in images, label=key))
    return links + (raw_links(text, first_line) if "<" in text else [])


def _autolinks(text: str, first_line: int) -> list[Link]:
    clean = _outside_comments(blank_code(text))
    return [
        Link(m.group(1), m.group(1), first_line + clean.count("\n", 0, m.start()), False)
        for m in _AUTOLINK.finditer(clean)
    ]


# ``{: href="…" }`` (attr_list) sets an address that no link check would read.
_ADDRESS_ATTRIBUTE = re.compile(
    r"\{[^{}\n]*\b(?:href|src|srcset|poster|data|action|formaction|xlink:href)\s*=",
    re.IGNORECASE,
)


def address_attributes(text: str, first_line: int) -> list[int]:
    """The file lines where ``text`` sets an address in an attribute list, outside code."""
    clean = blank_code(text)
    return [
        first_line + clean.count("\n", 0, m.start()) for m in _ADDRESS_ATTRIBUTE.finditer(clean)
    ]


_USE = re.compile(r"\[([^\[\]\n]*)\](?:\[([^\[\]\n]*)\])?(?![(:])")


def reference_uses(text: str) -> set[str]:
    """The reference labels ``text`` names (lower case): [text][label], [label][], [label] and
    the same after !, outside code and comments. Generous: any bracketed text counts."""
    clean = _outside_comments(blank_code(text))
    used: set[str] = set()
    for match in _USE.finditer(clean):
        used.add(((match.group(2) or "") or match.group(1)).strip().lower())
    return used


def _opening(text: str, close: int) -> int | None:
    """The index of the [ that the ] at ``close`` closes (nested brackets counted, escaped
    ones skipped), within the paragraph; None if there is none."""
    depth = 0
    index = close - 1
    while index >= 0:
        char = text[index]
        escaped = index > 0 and text[index - 1] == "\\"
        if char == "\n" and index > 0 and text[index - 1] == "\n":
            return None  # a blank line: another paragraph
        if char == "]" and not escaped:
            depth += 1
        elif char == "[" and not escaped:
            if depth == 0:
                return index
            depth -= 1
        index -= 1
    return None


def _closing(text: str, open_: int) -> int | None:
    """The index of the ] that closes the [ at ``open_`` (nested brackets counted)."""
    depth = 0
    for index in range(open_ + 1, len(text)):
        char = text[index]
        if text[index - 1] == "\\":
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            if depth == 0:
                return index
            depth -= 1
        elif char == "\n" and text[index - 1] == "\n":
            return None
    return None


def _image_labels(text: str) -> set[str]:
    """The reference labels images use: ![alt][label], ![alt][] and ![alt] (lower case)."""
    labels: set[str] = set()
    for start in (m.start() for m in re.finditer(r"!\[", text)):
        close = _closing(text, start + 1)
        if close is None:
            continue
        alt = text[start + 2 : close]
        after = text[close + 1 : close + 2]
        if after == "(":
            continue  # an inline image, found above
        if after == "[":
            end = _closing(text, close + 1)
            label = text[close + 2 : end] if end is not None else ""
            labels.add((label or alt).strip().lower())
        else:
            labels.add(alt.strip().lower())
    return labels


def raw_links(text: str, first_line: int) -> list[Link]:
    """Addresses in raw HTML tags (href, src, srcset, poster…), outside code."""
    return [
        Link(url, "", line, loads, raw=True)
        for line, url, loads in addresses(_outside_comments(blank_code(text)), first_line)
    ]
