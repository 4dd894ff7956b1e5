"""Booklet bodies in Typst markup: the cleaned HTML of a record's body (the same Markdown, the
same allow-list as the site) turned into Typst, with every piece of text escaped.

Links to records inside the booklet become a link and a page reference (``（见第 5 页）``);
links to anything else become plain text, and a sentence that pointed at them ("详见…",
"内容见：") says they are on the website. Footnotes become Typst footnotes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from generator.booklets.typst_text import boxed_dates, escape, label, pages, string

_VOID = {"br", "img", "hr", "source", "wbr"}


class Typst(str):
    """Text that is Typst markup already (the templates' ``finalize`` escapes everything else;
    anything joined to it is a plain ``str`` again, and escaped)."""


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("body")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


# A sentence pointing at a link ("详见政策解读《", "内容见：") that paper cannot follow.
_POINTING = re.compile(
    r"(详见|参见|另见|请见|(?<![会接召看预遇听意约相得可])见)(\\?[:：])?([\u4e00-\u9fff]{0,6}《)?\s*$"
)


class Converter:
    """One record's body: HTML → Typst. ``present``: the booklet's anchors."""

    def __init__(self, present: set[str]) -> None:
        self.present = present
        self.notes: dict[str, Node] = {}
        self.in_cell = False  # dates in table cells never break (``boxed_dates``)
        self.expanding: set[str] = set()  # the footnotes being set

    def convert(self, html: str) -> Typst:
        root = parse(html)
        join_lines(root)
        for note in _find(
            root, lambda n: n.tag == "li" and n.attrs.get("id", "").startswith("fn:")
        ):
            self.notes[note.attrs["id"]] = note
        return Typst(pages(self.blocks(root.children).strip()) + "\n")

    # Blocks ---------------------------------------------------------------------------------

    def blocks(self, children: list[Node | str]) -> str:
        out: list[str] = []
        inline: list[Node | str] = []

        def flush() -> None:
            text = self.inline(inline).strip()
            if text:
                out.append(text)
            inline.clear()

        for child in children:
            if isinstance(child, Node) and child.tag in _BLOCK_TAGS:
                flush()
                block = self.block(child)
                if block.strip():
                    out.append(block.strip())
            else:
                inline.append(child)
        flush()
        return "\n\n".join(out)

    def block(self, node: Node) -> str:
        tag, classes = node.tag, node.classes()
        if tag == "div" and "footnote" in classes:
            return ""  # the notes are set where they are called
        if tag == "p":
            return self.inline(node.children)
        if re.fullmatch(r"h[1-6]", tag):
            level = max(int(tag[1]) - 2, 1)
            return f"#heading(level: {level + 2}, outlined: false)[{self.inline(node.children)}]"
        if tag in ("ul", "ol"):
            items = [c for c in node.children if isinstance(c, Node) and c.tag == "li"]
            body = ", ".join(f"[{self.blocks(i.children)}]" for i in items)
            if tag == "ol":
                start = _number(node.attrs.get("start", "1"), 1, 99999)
                return f"#enum(start: {start}, {body})" if items else ""
            return f"#list({body})" if items else ""
        if tag == "table":
            return self.table(node)
        if tag == "blockquote":
            return f"#quote(block: true)[{self.blocks(node.children)}]"
        if tag == "pre":
            return f"#raw(block: true, {string(node.text())})"
        if tag == "hr":
            return "#line(length: 100%, stroke: 0.5pt)"
        if tag == "figure":
            caption = next(
                (c for c in node.children if isinstance(c, Node) and c.tag == "figcaption"), None
            )
            rest = [c for c in node.children if c is not caption]
            inner = self.blocks(rest)
            if caption is None:
                return f"#figure({self._content(inner)})"
            return f"#figure({self._content(inner)}, caption: [{self.inline(caption.children)}])"
        if tag == "div" and "jd-internal" in classes:
            return f"#internal-box[{self.blocks(node.children)}]"
        if tag == "div" and "admonition" in classes:
            title = next(
                (
                    c
                    for c in node.children
                    if isinstance(c, Node) and "admonition-title" in c.classes()
                ),
                None,
            )
            rest = [c for c in node.children if c is not title]
            heading = self.inline(title.children) if title else ""
            return f"#notice[{heading}][{self.blocks(rest)}]"
        if tag == "details":
            summary = next(
                (c for c in node.children if isinstance(c, Node) and c.tag == "summary"), None
            )
            rest = [c for c in node.children if c is not summary]
            heading = self.inline(summary.children) if summary else ""
            return f"#notice[{heading}][{self.blocks(rest)}]"
        if tag == "dl":
            parts = []
            for child in node.children:
                if isinstance(child, Node) and child.tag == "dt":
                    parts.append(f"#strong[{self.inline(child.children)}]")
                elif isinstance(child, Node) and child.tag == "dd":
                    parts.append(f"#pad(left: 2em)[{self.blocks(child.children)}]")
            return "\n\n".join(parts)
        return self.blocks(node.children)  # div, section and the like: their content

    def table(self, node: Node) -> str:
        rows: list[tuple[bool, list[Node]]] = []
        for row in _rows(node):
            cells = [c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th")]
            if cells:
                rows.append((all(c.tag == "th" for c in cells), cells))
        if not rows:
            return ""
        columns = max(sum(_span(c, "colspan") for c in cells) for _h, cells in rows)
        # Rows in rows: a cell spanning rows leaves its columns to it in the rows below.
        taken = [0] * len(rows)
        for index, (_h, cells) in enumerate(rows):
            for cell in cells:
                for below in range(index + 1, min(index + _span(cell, "rowspan"), len(rows))):
                    taken[below] += _span(cell, "colspan")
        parts = []
        header = rows[0][0]
        for index, (_is_header, cells) in enumerate(rows):
            rendered = []
            for cell in cells:
                self.in_cell = True
                try:
                    body = self.blocks(cell.children) or " "
                finally:
                    self.in_cell = False
                spans = []
                if _span(cell, "colspan") > 1:
                    spans.append(f"colspan: {_span(cell, 'colspan')}")
                rowspan = min(_span(cell, "rowspan"), len(rows) - index)  # no rows past the end
                if rowspan > 1:
                    spans.append(f"rowspan: {rowspan}")
                if len(cell.text()) > 300:  # taller than a page, perhaps: may break after all
                    spans.append("breakable: true")
                content = f"[{body}]"
                if cell.tag == "th":
                    content = f"[#strong[{body}]]"
                rendered.append(f"table.cell({', '.join(spans)}){content}" if spans else content)
            used = taken[index] + sum(_span(c, "colspan") for c in cells)
            rendered += ["[]"] * max(columns - used, 0)  # a short row stays a row, as in HTML
            line = ", ".join(rendered)
            parts.append(f"table.header({line})" if index == 0 and header else line)
        return f"#booklet-table(columns: {columns}, {', '.join(parts)})"

    @staticmethod
    def _content(text: str) -> str:
        return f"[{text}]"

    # Inline ---------------------------------------------------------------------------------

    def inline(self, children: list[Node | str]) -> str:
        out = ""
        for child in children:
            if isinstance(child, str):
                out += boxed_dates(child) if self.in_cell else escape(child)
            elif child.tag == "a" and not self._kept(child):
                # A link that cannot be followed on paper: its text stays; a sentence that
                # pointed at it ("详见…", "内容见：") now says where it is.
                found = _POINTING.search(out)
                if found:
                    where = "网站：" if found.group(2) else "网站上的" + (found.group(3) or "")
                    out = out[: found.start()] + found.group(1) + where
                out += self.inline(child.children)
            else:
                out += self.span(child)
        return out.strip()

    def _kept(self, node: Node) -> bool:
        href = node.attrs.get("href", "")
        return (href.startswith("#") and href[1:] in self.present) or bool(
            re.match(r"^(https?|mailto|tel):", href)
        )

    def span(self, node: Node) -> str:
        tag = node.tag
        if tag in ("strong", "b"):
            return f"#strong[{self.inline(node.children)}]"
        if tag in ("em", "i"):
            return f"#emph[{self.inline(node.children)}]"
        if tag == "br":
            return "#linebreak()"
        if tag == "code":
            return f"#raw({string(node.text())})"
        if tag == "sup" and node.children and isinstance(node.children[0], Node):
            link = node.children[0]
            target = link.attrs.get("href", "").lstrip("#")
            if "footnote-ref" in link.classes() and target in self.notes:
                if target in self.expanding:  # a note that cites itself: once is enough
                    return ""
                self.expanding.add(target)
                try:
                    note = self.notes[target]
                    return f"#footnote[{self.blocks(_without_backrefs(note.children))}]"
                finally:
                    self.expanding.discard(target)
        if tag == "img":
            return self.image(node)
        if tag == "a":
            return self.link(node)
        return self.inline(node.children)

    def image(self, node: Node) -> str:
        src = node.attrs.get("src", "")
        path = unquote(urlsplit(src).path) if src.startswith("file:") else ""
        if not path:
            return escape(node.attrs.get("alt", ""))
        alt = node.attrs.get("alt", "")
        return f"#box(image({string(path)}, width: 100%, alt: {string(alt)}))"

    def link(self, node: Node) -> str:
        href = node.attrs.get("href", "")
        text = self.inline(node.children)
        if href.startswith("#") and href[1:] in self.present:
            where = label(href[1:])
            return f"#link({where})[{text}]\x00{where}\x00"  # its page: see typst_text.pages
        if re.match(r"^(https?|mailto|tel):", href):
            shown = href.removeprefix("mailto:").removeprefix("tel:")
            if node.text().strip() == shown:
                return text
            return f"{text}（{escape(shown)}）"
        return text


_BLOCK_TAGS = {
    "p", "div", "ul", "ol", "table", "blockquote", "pre", "hr", "figure", "section", "details",
    "dl", "h1", "h2", "h3", "h4", "h5", "h6",
}  # fmt: skip


def _span(cell: Node, key: str) -> int:
    return _number(cell.attrs.get(key, "1"), 1, 99)


def _number(value: str, low: int, high: int) -> int:
    """``value`` as a number from low to high (ASCII digits only: "²" and "٣" are digits to
    Python, not to Typst), else ``low``."""
    if value.isascii() and value.isdigit() and low <= int(value) <= high:
        return int(value)
    return low


def _rows(table: Node) -> list[Node]:
    """The rows of ``table`` itself (in thead, tbody, tfoot), not of a table inside a cell."""
    found = []
    for child in table.children:
        if isinstance(child, Node):
            if child.tag == "tr":
                found.append(child)
            elif child.tag in ("thead", "tbody", "tfoot"):
                found.extend(_rows(child))
    return found


def _find(node: Node, test: Callable[[Node], bool]) -> list[Node]:
    found = []
    for child in node.children:
        if isinstance(child, Node):
            if test(child):
                found.append(child)
            found.extend(_find(child, test))
    return found


def _without_backrefs(children: list[Node | str]) -> list[Node | str]:
    result: list[Node | str] = []
    for child in children:
        if isinstance(child, Node):
            if "footnote-backref" in child.classes():
                continue
            result.append(Node(child.tag, child.attrs, _without_backrefs(child.children)))
        else:
            result.append(child)
    return result


_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def join_lines(root: Node) -> None:
    """Line breaks of the source between two Chinese characters are no space (the browser
    shows none either), also where a link or bold text begins or ends at the break: text
    outside ``pre`` and ``code``, in reading order."""
    texts: list[tuple[Node, int]] = []

    def walk(node: Node) -> None:
        for index, child in enumerate(node.children):
            if isinstance(child, str):
                texts.append((node, index))
            elif child.tag not in ("pre", "code"):
                walk(child)

    walk(root)
    for position, (node, index) in enumerate(texts):
        text = node.children[index]
        assert isinstance(text, str)
        before = _neighbour(texts, position - 1, -1)
        after = _neighbour(texts, position + 1, 0)
        if before and re.match(r"\s*\n", text) and _CJK.match(before):
            stripped = text.lstrip()
            if stripped[:1] and _CJK.match(stripped[:1]) or not stripped and _CJK.match(after):
                text = stripped
        if after and re.search(r"\n\s*$", text) and _CJK.match(after):
            stripped = text.rstrip()
            if stripped[-1:] and _CJK.match(stripped[-1:]):
                text = stripped
        node.children[index] = text


def _neighbour(texts: list[tuple[Node, int]], position: int, end: int) -> str:
    """The first (``end`` 0) or last (-1) visible character of the text at ``position``."""
    if not 0 <= position < len(texts):
        return ""
    node, index = texts[position]
    text = str(node.children[index]).strip()
    return text[end] if text else ""
