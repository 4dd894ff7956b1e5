"""Internal sections in a body: a block between a line ``::: internal`` and a line ``:::``.

The public edition drops them before Markdown is parsed; the internal edition shows them marked.
Inside a fenced code block the fence lines are literal text. Any other line that starts with
``:::`` is an error, so a typo such as ``::: intenral`` can never publish what it meant to hide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN = re.compile(r"^:::[ \t]*internal[ \t]*$")
CLOSE = re.compile(r"^:::[ \t]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class Segment:
    """A run of body lines, public or internal. ``line`` is the file line of its first line."""

    text: str
    internal: bool
    line: int


@dataclass(frozen=True)
class FenceProblem:
    line: int
    message: str


def split(body: str, first_line: int) -> tuple[list[Segment], list[FenceProblem]]:
    """Split ``body`` (whose first line is file line ``first_line``) into segments."""
    if ":::" not in body:  # the common case: nothing to split
        return ([Segment(body, False, first_line)] if body else []), []
    segments: list[Segment] = []
    problems: list[FenceProblem] = []
    lines = body.split("\n")
    current: list[str] = []
    current_start = first_line
    internal_open: int | None = None  # file line of the open ``::: internal``
    code_fence: str | None = None

    def flush(internal: bool, next_start: int) -> None:
        nonlocal current, current_start
        if current:
            segments.append(Segment("\n".join(current), internal, current_start))
        current = []
        current_start = next_start

    for offset, line in enumerate(lines):
        number = first_line + offset
        if code_fence is not None:
            stripped = line.strip()
            if stripped.startswith(code_fence) and set(stripped) == {code_fence[0]}:
                code_fence = None
            current.append(line)
            continue
        fence = FENCE.match(line)
        if fence:
            code_fence = fence.group(1)
            current.append(line)
            continue
        if OPEN.match(line):
            if internal_open is not None:
                problems.append(FenceProblem(
                    number,
                    f"“::: internal” 不能套在另一个内部段落里（第 {internal_open} 行已经开始了一个）："
                    "请先用一行 “:::” 结束前一个",
                ))
                continue
            flush(False, number + 1)
            internal_open = number
            continue
        if CLOSE.match(line):
            if internal_open is None:
                problems.append(FenceProblem(
                    number,
                    "多余的 “:::”：前面没有对应的 “::: internal”。请删掉这一行，"
                    "或在内部内容前加一行 “::: internal”",
                ))
                continue
            flush(True, number + 1)
            internal_open = None
            continue
        if line.startswith(":::"):
            problems.append(FenceProblem(
                number,
                f"无法识别的 “{line.strip()}”：内部段落以一行 “::: internal” 开始、"
                "以一行 “:::” 结束",
            ))
            continue
        current.append(line)

    if internal_open is not None:
        problems.append(FenceProblem(
            internal_open,
            "“::: internal” 没有结束：请在内部内容之后加一行 “:::”",
        ))
        # Fail closed: whatever followed the unclosed fence stays internal.
        flush(True, first_line + len(lines))
    else:
        flush(False, first_line + len(lines))
    return segments, problems
