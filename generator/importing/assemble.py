"""The record's body from its blocks: which are internal, and the footnotes placed so that
an internal one stays internal."""

from __future__ import annotations

import re
import unicodedata

from generator.content.sections import fence_like
from generator.importing.markdown import Block, Body

OPEN, CLOSE = "::: internal", ":::"


def mark_internal(blocks: list[Block]) -> None:
    """Mark the blocks between a paragraph "::: internal" and one ":::" (typed in Word as in
    Markdown), the two included: they are the internal edition's only. Where the marks do not
    pair up (a section opened twice, a ":::" alone, one left open, "::: 内部", "：：：" with
    full-width colons, a heading "::: internal"), check refuses
    the record; until it is mended, everything from the first mark on counts as internal,
    so that no title, summary, date or guide key is taken from what may be internal."""
    inside = False
    paired = True
    for block in blocks:
        line = block.markdown.strip()
        if not fence_like(block.markdown):  # ":::" however spelt: "：：：", "&#58;::", bold…
            continue
        if block.kind != "paragraph" or line not in (OPEN, CLOSE) or (line == OPEN) == inside:
            paired = False
            break
        inside = line == OPEN
    paired = paired and not inside
    inside = False
    for block in blocks:
        line = block.markdown.strip()
        if paired:
            if line == OPEN:
                inside = True
            block.internal = inside
            if line == CLOSE:
                inside = False
        else:
            inside = inside or fence_like(block.markdown)
            block.internal = inside


_CITED = re.compile(r"(?<!\\)\[\^(\d+)\]")


def markdown_of(body: Body) -> str:
    """The record's body: blocks separated by a blank line, then the footnotes, numbered
    anew in the order the remaining blocks cite them (a note cited only by the title, or by a
    guide's part that became a key, is gone). A note cited only inside internal sections is
    written inside the first of them, before its ":::", so it stays internal."""
    order: list[int] = []
    public: set[int] = set()
    home: dict[int, int | None] = {}  # an internal note → the index of the ":::" it goes before
    for index, block in enumerate(body.blocks):
        for match in _CITED.finditer(block.markdown):
            number = int(match.group(1))
            if number not in order:
                order.append(number)
                if block.internal:
                    home[number] = _closing(body.blocks, index)
            if not block.internal:
                public.add(number)
    new = {old: n for n, old in enumerate(order, start=1)}

    def cited(markdown: str) -> str:
        return _CITED.sub(lambda m: f"[^{new[int(m.group(1))]}]", markdown)

    def definition(old: int) -> str:
        text = body.notes[old - 1] if 0 < old <= len(body.notes) else "（脚注没有文字）"
        return f"[^{new[old]}]: {text}"

    parts = []
    for index, block in enumerate(body.blocks):
        inside = [definition(n) for n in order if n not in public and home.get(n) == index]
        if inside:
            parts.append("\n".join(inside))
        text = cited(block.markdown)
        parts.append(("#" * block.level + " " + text) if block.kind == "heading" else text)
    text = "\n\n".join(parts)
    notes = [definition(n) for n in order if n in public or home.get(n) is None]
    if notes:
        text += "\n\n" + "\n".join(notes)
    return unicodedata.normalize("NFC", text).strip() + "\n"


def _closing(blocks: list[Block], index: int) -> int | None:
    """The index of the ":::" that closes the internal section holding block ``index``."""
    for later in range(index, len(blocks)):
        if blocks[later].kind == "paragraph" and blocks[later].markdown.strip() == CLOSE:
            return later
    return None
