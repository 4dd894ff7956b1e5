"""Internal sections in a body: a block between a line ``::: internal`` and a line ``:::``.

The public edition drops them before Markdown is parsed; the internal edition shows them marked.

Fail closed: a line that a reader could take for such a fence — after removing invisible
characters, with full-width or lookalike colons, behind an indent, ``>`` or a list marker — is
either one of the two exact forms at the start of a line (honoured) or an error naming its line.
The one exception is a line inside a fenced code block (```` ``` ```` or ``~~~``), where it is
literal text; and it counts as such only when Python-Markdown, with the site's extensions,
really renders it as code (an unclosed fence, or one indented into a list, is not code to it).
After the split, the public part is checked once more the same way, so no fence-like line can
remain in public Markdown outside code.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from generator.content.normal import COLON_CLASS, INVISIBLE_CLASS, SPACE_CLASS, visible

OPEN = re.compile(r"^:::[ \t]*internal[ \t]*$")
CLOSE = re.compile(r"^:::[ \t]*$")
# A code fence as Python-Markdown's fenced code and pymdownx.superfences read one at the top
# level: at the start of a line, closed by the same run of characters.
_TOP_FENCE = re.compile(r"^(`{3,}|~{3,})")
# Three colon-like characters, perhaps with spaces or invisible characters between: anywhere in
# a body, the quick test that decides whether a body needs looking at line by line.
_COLONS = f"[{COLON_CLASS}](?:[ {SPACE_CLASS}{INVISIBLE_CLASS}\\\\*_`]*[{COLON_CLASS}]){{2,}}"
_ANY_COLONS = re.compile(_COLONS)
_FENCE_LIKE = re.compile(f"^{_COLONS}")
# What may stand before a fence inside a container: indentation, quote marks, list markers.
_CONTAINER = re.compile(r"^(?:[ ]|>|[-*+](?=[ ])|\d{1,9}[.)](?=[ ]))*")
# What else may stand before or among the colons and still let a reader see a fence: a
# heading mark, emphasis, a table bar, a backslash, a code mark.
_DECORATION = re.compile(r"^[\s>#*_|\\`~+-]+")
_TAG = re.compile(r"<[^>\n]*>")
# The extensions that decide what is code (those of the sample mkdocs.yml that shape blocks).
CODE_EXTENSIONS = [
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "tables",
    "pymdownx.details",
    "pymdownx.superfences",
]

WRONG_FORM = (
    "这一行看起来像内部段落的标记（“{text}”），但写法不对：内部段落必须以单独一行、顶格的"
    " “::: internal” 开始，以单独一行、顶格的 “:::” 结束（英文半角冒号，前面不能有空格、"
    "“>” 或列表符号，也不能放在提示框或引用里）。请改正这一行；如果它要原样显示，"
    "请放进 ``` 代码块"
)


def wrong_form(line: str) -> str:
    hidden = "（这一行里还有看不见的字符，如零宽空格）" if visible(line) != line else ""
    return WRONG_FORM.format(text=visible(line).strip()[:30]) + hidden


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


def fence_like(line: str) -> bool:
    """Whether a reader could take ``line`` for an internal fence, however it is spelt: behind a
    container prefix, a heading mark, emphasis, a table bar or a backslash, inside a tag, with
    entities (``&#58;``), lookalike colons or invisible characters."""
    core = _CONTAINER.sub("", visible(line), count=1)
    if _FENCE_LIKE.match(core):
        return True
    if "&" in core or "<" in core:
        core = visible(_TAG.sub("", html.unescape(core)))
    core = _DECORATION.sub("", core.replace("\\", ""))
    return bool(_FENCE_LIKE.match(core))


def fenced_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(opening, closing) line indexes of the closed top-level fenced code blocks: a fence at
    the start of a line, closed by the same run of characters. The one notion of code that the
    split, the link finder and the line joiner share; what Markdown does not surely read as
    code (an unclosed or indented fence) is not code here either."""
    blocks: list[tuple[int, int]] = []
    index = 0
    while index < len(lines):
        match = _TOP_FENCE.match(lines[index])
        if match:
            fence = match.group(1)
            for end in range(index + 1, len(lines)):
                if lines[end].rstrip(" ") == fence:
                    blocks.append((index, end))
                    index = end
                    break
        index += 1
    return blocks


def _candidates(lines: list[str]) -> list[int]:
    """Indexes of the fence-like lines (the quick test first: most lines hold no colons)."""
    return [
        index
        for index, line in enumerate(lines)
        if (_ANY_COLONS.search(line) or "&" in line) and fence_like(line)
    ]


def _fenced_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines inside closed top-level fenced code blocks (fences excluded)."""
    return {i for start, end in fenced_blocks(lines) for i in range(start + 1, end)}


def code_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines of closed top-level fenced code blocks, fences included."""
    return {i for start, end in fenced_blocks(lines) for i in range(start, end + 1)}


class _Markers(HTMLParser):
    """Where each marker lands in rendered HTML: inside <code>/<pre> or not."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.in_code: set[int] = set()
        self.outside: set[int] = set()

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("code", "pre"):
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("code", "pre") and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        for match in re.finditer(r"jdfencemark(\d+)x", data):
            (self.in_code if self.depth else self.outside).add(int(match.group(1)))


def rendered_as_code(lines: list[str], indexes: list[int]) -> set[int]:
    """Of the lines ``indexes``, those Python-Markdown renders inside code: a marker is added
    to the end of each, the text rendered, and the markers looked for."""
    import markdown

    marked = list(lines)
    for index in indexes:
        marked[index] += f" jdfencemark{index}x"
    html = markdown.Markdown(extensions=CODE_EXTENSIONS).convert("\n".join(marked))
    finder = _Markers()
    finder.feed(html)
    finder.close()
    return finder.in_code - finder.outside


def literal_lines(lines: list[str], candidates: list[int]) -> set[int]:
    """The fence-like lines that are literal text: inside a closed fenced code block, and
    rendered as code by Markdown. Both must agree; any doubt makes a line a fence or an error."""
    fenced = _fenced_lines(lines)
    inside = [index for index in candidates if index in fenced]
    return rendered_as_code(lines, inside) if inside else set()


def split(body: str, first_line: int) -> tuple[list[Segment], list[FenceProblem]]:
    """Split ``body`` (whose first line is file line ``first_line``) into segments."""
    if not _ANY_COLONS.search(body) and "&" not in body:  # the common case: nothing fence-like
        return ([Segment(body, False, first_line)] if body else []), []
    lines = body.split("\n")
    candidates = _candidates(lines)
    literal = literal_lines(lines, candidates) if candidates else set()
    segments, problems = _cut(lines, set(candidates) - literal, first_line)
    if not problems:
        problems = _leftovers(segments)
    return segments, problems


def _cut(
    lines: list[str], fences: set[int], first_line: int
) -> tuple[list[Segment], list[FenceProblem]]:
    segments: list[Segment] = []
    problems: list[FenceProblem] = []
    current: list[str] = []
    current_start = first_line
    internal_open: int | None = None  # file line of the open ``::: internal``

    def flush(internal: bool, next_start: int) -> None:
        nonlocal current, current_start
        if current:
            segments.append(Segment("\n".join(current), internal, current_start))
        current = []
        current_start = next_start

    for offset, line in enumerate(lines):
        number = first_line + offset
        if offset not in fences:
            current.append(line)
        elif OPEN.match(line):
            if internal_open is not None:
                problems.append(
                    FenceProblem(
                        number,
                        f"“::: internal” 不能套在另一个内部段落里（第 {internal_open} 行已经开始了一个）："
                        "请先用一行 “:::” 结束前一个",
                    )
                )
                continue
            flush(False, number + 1)
            internal_open = number
        elif CLOSE.match(line):
            if internal_open is None:
                problems.append(
                    FenceProblem(
                        number,
                        "多余的 “:::”：前面没有对应的 “::: internal”。请删掉这一行，"
                        "或在内部内容前加一行 “::: internal”",
                    )
                )
                continue
            flush(True, number + 1)
            internal_open = None
        elif line.startswith(":::"):
            problems.append(
                FenceProblem(
                    number,
                    f"无法识别的 “{line.strip()}”：内部段落以一行 “::: internal” 开始、"
                    "以一行 “:::” 结束",
                )
            )
        else:
            problems.append(FenceProblem(number, wrong_form(line)))

    if internal_open is not None:
        problems.append(
            FenceProblem(internal_open, "“::: internal” 没有结束：请在内部内容之后加一行 “:::”")
        )
        # Fail closed: whatever followed the unclosed fence stays internal.
        flush(True, first_line + len(lines))
    else:
        flush(False, first_line + len(lines))
    return segments, problems


def _leftovers(segments: list[Segment]) -> list[FenceProblem]:
    """Fence-like lines left in the public part, outside code, once internal parts are gone
    (removing them can change what Markdown reads as code)."""
    lines: list[str] = []
    numbers: list[int] = []
    for segment in (s for s in segments if not s.internal):
        if lines:  # the public edition joins the parts with a blank line (Edition.body)
            lines.append("")
            numbers.append(segment.line)
        for offset, line in enumerate(segment.text.split("\n")):
            lines.append(line)
            numbers.append(segment.line + offset)
    candidates = _candidates(lines)
    if not candidates:
        return []
    literal = literal_lines(lines, candidates)
    return [
        FenceProblem(numbers[index], wrong_form(lines[index]))
        for index in candidates
        if index not in literal
    ]


# Joining hard-wrapped Chinese lines. CJK ideographs, CJK punctuation and full-width forms.
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


INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)


def blank_code(text: str) -> str:
    """Replace code (fenced blocks and inline spans) by spaces, keeping lines where they are.

    Only closed top-level fences count as code (code_lines): what Markdown may show
    as text is searched for links."""
    lines = text.split("\n")
    code = code_lines(lines) if "``" in text or "~~~" in text else set()
    joined = "\n".join("" if index in code else line for index, line in enumerate(lines))
    return INLINE_CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), joined)
