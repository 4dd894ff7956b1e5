"""Reading published HTML, XML and CSS as a browser and a reader do: the text a reader sees,
and every address a page links to or loads."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from generator.content.normal import BLOCK_TAG, visible
from generator.guard.guard import TAGS

# Start tags whose attributes may load or link something.
LOADING_TAG = re.compile(
    r"<(a|area|link|script|img|source|iframe|frame|video|audio|embed|object|track|input|"
    r"image|use|meta|form|button|body|table|td|th|feimage|portal|base)\b([^>]*)>",
    re.IGNORECASE,
)
ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_URL_ATTRS = {
    "href",
    "src",
    "srcset",
    "poster",
    "data",
    "action",
    "formaction",
    "background",
    "xlink:href",
    "imagesrcset",
    "ping",
}
READ_ATTRS = {
    "href",
    "src",
    "title",
    "alt",
    "aria-label",
    "content",
    "value",
    "placeholder",
    "download",
    "label",
    "summary",
    "abbr",
    "datetime",
    "cite",
    "poster",
    "srcset",
}
_LINK_RELS = {
    "canonical",
    "alternate",
    "prev",
    "next",
    "sitemap",
    "author",
    "license",
    "search",
    "help",
    "bookmark",
    "nofollow",
    "noopener",
    "noreferrer",
    "me",
}
_CSS_URL = re.compile(
    r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)|@import\s+["']([^"']+)""", re.IGNORECASE
)
_STYLEATTR = re.compile(r"""\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style>", re.IGNORECASE | re.DOTALL)


def reader_text(markup: str, keep_lines: bool = False) -> str:
    """The text a reader sees of HTML or XML: block elements end a line, inline tags vanish
    (so ``139<b>1234</b>5678`` reads as one number), entities decoded (twice: feeds escape
    HTML), invisible characters removed, every kind of space a plain space. A line break inside
    a block is a space to a reader; ``keep_lines`` keeps it (the lines of a paragraph)."""
    text = markup if keep_lines else markup.replace("\n", " ")
    if "<" not in text and "&" not in text:  # plain text (most strings of the search index)
        return visible(text)
    text = BLOCK_TAG.sub("\n", text)
    text = TAGS.sub("", text)
    text = html.unescape(text)
    if "<" in text:  # HTML escaped inside XML (feeds): read it as HTML too
        text = html.unescape(TAGS.sub("", BLOCK_TAG.sub("\n", text)))
    return visible(text)


def urls_in_html(raw: str) -> Iterator[tuple[str, bool]]:
    """(url, loads it: a resource rather than a link) for every address in an HTML page."""
    for tag_match in LOADING_TAG.finditer(raw):
        tag = tag_match.group(1).lower()
        attrs = {
            m.group(1).lower(): m.group(2)
            if m.group(2) is not None
            else m.group(3)
            if m.group(3) is not None
            else m.group(4)
            for m in ATTR.finditer(tag_match.group(2))
        }
        if tag == "meta":
            if attrs.get("http-equiv", "").lower() == "refresh":
                _delay, _, target = attrs.get("content", "").partition("=")
                if target:
                    yield target.strip(" '\""), True
            continue
        rel = set((attrs.get("rel") or "").lower().split())
        for name, value in attrs.items():
            if name not in _URL_ATTRS or value is None:
                continue
            if name in ("srcset", "imagesrcset"):
                for item in value.split(","):
                    if item.strip():
                        yield item.strip().split()[0], True
                continue
            link = (tag in ("a", "area") and name == "href") or (
                tag == "link" and rel and rel <= _LINK_RELS
            )
            yield value, not link
    for block in _STYLE_BLOCK.findall(raw):
        yield from ((url, True) for url in css_urls(block))
    for match in _STYLEATTR.finditer(raw):
        yield from ((url, True) for url in css_urls(match.group(1) or match.group(2) or ""))


def css_urls(css: str) -> Iterator[str]:
    for match in _CSS_URL.finditer(css):
        yield next(group for group in match.groups() if group is not None)
