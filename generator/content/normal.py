"""Text as a reader sees it: one definition of invisible characters, odd spaces and lookalikes.

Used wherever a promise depends on recognising a form however it is spelt: an internal fence
(``：：： internal``), a personal number split by a zero-width space or a soft hyphen. Kept as
character classes, not a pass over every code point at start-up.
"""

from __future__ import annotations

import re

# Format characters (Unicode category Cf) and other characters that show nothing: zero-width
# space and joiners, word joiner, soft hyphen, BOM, bidirectional marks, invisible operators,
# Mongolian vowel separator, variation selectors, combining grapheme joiner, Hangul fillers, tags.
INVISIBLE_CLASS = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
INVISIBLE = re.compile(f"[{INVISIBLE_CLASS}]")
# Space separators (category Zs) other than the plain space, and tabs.
SPACE_CLASS = "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
SPACES = re.compile(f"[{SPACE_CLASS}]")
# Characters a reader takes for a colon (NFKC folds the first three; the others are lookalikes).
COLON_CLASS = ":\uff1a\ufe55\ufe13\u2236\ua789\u02d0\u02f8\u05c3\u0703\u0704\u1804\u205a"


# Narrow and no-break spaces between two digits group them (139 1234 5678) or hide a number
# from a pattern: they go, so the digits read as one run.
_DIGIT_GLUE = re.compile(
    "(?<=[0-9\uff10-\uff19])[\u00a0\u2000-\u200a\u202f\u205f]+(?=[0-9\uff10-\uff19])"
)


_ODD = re.compile(f"[{INVISIBLE_CLASS}{SPACE_CLASS}]")


def visible(text: str) -> str:
    """``text`` without invisible characters, narrow or no-break spaces between digits removed,
    and every other kind of space a plain space."""
    if not _ODD.search(text):  # the common case: one search instead of three substitutions
        return text
    return SPACES.sub(" ", _DIGIT_GLUE.sub("", INVISIBLE.sub("", text)))


# The tags that end a block of text in HTML, Atom and SVG: text on either side of one is not
# read as one run (a topic name in a metadata box and the summary after it are two texts).
BLOCK_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|dl|dt|dd|td|th|tr|table|thead|tbody|caption|h[1-6]|br|hr|section|"
    r"article|header|footer|nav|aside|main|blockquote|pre|figure|figcaption|summary|details|"
    r"title|option|label|button|form|body|head|html|text|tspan|desc|entry|loc|content|url|"
    r"updated|id|name|subtitle|rights|generator|script|style|svg|g|meta|link)\b[^>]*>",
    re.IGNORECASE,
)
