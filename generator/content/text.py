"""Text helpers for Chinese Markdown."""

from __future__ import annotations

import re

from generator.content.sections import code_lines

# CJK ideographs, CJK punctuation and full-width forms.
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2018-\u201d\u2026\u00b7"
_JOIN = re.compile(rf"(?<=[{_CJK}])\n(?=[{_CJK}])")


def join_cjk_lines(markdown: str) -> str:
    """Join hard-wrapped lines between two Chinese characters, outside fenced code.

    Authors wrap long Chinese paragraphs; browsers render such a line break as a space, which
    looks like a typo in Chinese text. A line that starts a block (list, heading, table…) never
    starts with a Chinese character, so only paragraph continuations are joined.
    """
    if "\n" not in markdown:
        return markdown
    lines = markdown.split("\n")
    out: list[str] = []
    chunk: list[str] = []
    code = code_lines(lines)
    for index, line in enumerate(lines):
        if index in code:
            if chunk:
                out.append(_JOIN.sub("", "\n".join(chunk)))
                chunk = []
            out.append(line)
        else:
            chunk.append(line)
    if chunk:
        out.append(_JOIN.sub("", "\n".join(chunk)))
    return "\n".join(out)
