"""mammoth's HTML of a Word document as jiandi's Markdown, block by block, without Word's noise.

What is written: headings (``##`` and below: the page's title is the record's), paragraphs,
bold and italic, lists (nested), tables (a header row, cells on one line), footnotes
(``[^1]``, numbered in the order they are cited), links to web addresses, pictures.

What is dropped: empty paragraphs, the full-width spaces that indent a paragraph, line breaks
inside a paragraph (joined without a space between Chinese characters, with one between
words), links inside the document (a table of contents, bookmarks), empty bold.

Text is escaped for the Markdown jiandi reads (Python-Markdown with footnotes, tables,
attribute lists, admonitions and ``::: internal``): a character that would start markup is
written so that it is read as itself."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from generator.importing.text import (
    BREAK,
    clean,
    emphasis,
    escape,
    guard_start,
    joined,
    seen_text,
)

HEADINGS = {f"h{n}": n for n in range(1, 7)}
# What would end or break a Markdown link's address: written as URL escapes.
_IN_TARGET = {" ": "%20", "(": "%28", ")": "%29", "\\": "%5C", "<": "%3C", ">": "%3E"}
_NOTE_ID = re.compile(r"(?:foot|end)note-(\d+)")
_NOTE_REF = re.compile(r"#((?:foot|end)note-\d+)")


@dataclass
class Block:
    """One block of the body: ``kind`` heading, paragraph, list, table or picture."""

    kind: str
    markdown: str
    text: str  # what a reader sees, without markup (for the title, the date, the summary)
    level: int = 0
    title: bool = False  # a paragraph in Word's Title style
    items: list[str] = field(default_factory=list)  # a list's items, a table's rows, as seen
    internal: bool = False  # inside "::: internal" … ":::" (the fences themselves included)


@dataclass
class Body:
    blocks: list[Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # footnote texts, in the order cited
    notices: list[str] = field(default_factory=list)  # what the author should look at


class _Writer:
    def __init__(self, pictures: dict[str, tuple[str, str]]):
        self.pictures = pictures  # src in the HTML → (its Markdown target, its alt text)
        self.body = Body()
        self.cited: dict[str, int] = {}  # footnote-3 → its number in the record
        self.note_html: dict[str, ET.Element] = {}

    # Inline content ---------------------------------------------------------------------
    def inline(self, element: ET.Element, plain: list[str], bare: bool = False) -> str:
        """The Markdown of what is inside ``element``; ``plain`` collects what a reader sees.
        ``bare``: no bold or italic (inside a heading)."""
        lines: list[str] = [""]
        self._inline_into(element, lines, plain, bare)
        return joined(lines)

    def _inline_into(
        self, element: ET.Element, lines: list[str], plain: list[str], bare: bool
    ) -> None:
        if element.text:
            text = clean(element.text)
            lines[-1] += escape(text)
            plain.append(text)
        for child in element:
            self._child(child, lines, plain, bare)
            if child.tail:
                tail = clean(child.tail)
                lines[-1] += escape(tail)
                plain.append(tail)

    def _child(self, child: ET.Element, lines: list[str], plain: list[str], bare: bool) -> None:
        tag = child.tag
        if tag == "br":
            lines.append("")
            plain.append(BREAK)
        elif tag in ("strong", "em"):
            inner = self.inline(child, plain, bare)
            lines[-1] += inner if bare else emphasis(inner, "**" if tag == "strong" else "*")
        elif tag == "sup" and (number := self._note_ref(child)) is not None:
            lines[-1] += f"[^{number}]"
        elif tag in ("sup", "sub"):
            inner = self.inline(child, plain, bare)
            lines[-1] += f"<{tag}>{inner}</{tag}>" if inner.strip() else ""
        elif tag == "a":
            lines[-1] += self._link(child, plain, bare)
        elif tag == "img":
            lines[-1] += self._picture(child)
        else:
            lines[-1] += self.inline(child, plain, bare)

    def _note_ref(self, sup: ET.Element) -> int | None:
        anchor = sup.find("a")
        match = _NOTE_REF.fullmatch(anchor.get("href", "")) if anchor is not None else None
        if match is None or match.group(1) not in self.note_html:
            return None
        return self.cited.setdefault(match.group(1), len(self.cited) + 1)

    def _link(self, anchor: ET.Element, plain: list[str], bare: bool) -> str:
        text = self.inline(anchor, plain, bare)
        href = (anchor.get("href") or "").strip()
        if not re.match(r"(?i)(https?://|mailto:|tel:)", href) or not text.strip():
            if href and not href.startswith("#"):
                self.body.notices.append(
                    f"链接 “{href}” 不是网址（可能指向电脑上的文件），只保留了文字“{''.join(plain[-1:])}”"
                )
            return text
        target = "".join(_IN_TARGET.get(c, c) for c in href)
        return f"[{text}]({target})"

    def _picture(self, img: ET.Element) -> str:
        found = self.pictures.get(img.get("src", ""))
        if found is None:
            return ""
        target, alt = found
        return f"![{escape(clean(alt).strip())}]({target})"

    # Blocks -----------------------------------------------------------------------------
    def blocks(self, root: ET.Element) -> None:
        children = list(root)
        for child in children:
            if child.tag == "ol" and any(_NOTE_ID.fullmatch(li.get("id", "")) for li in child):
                for li in child:
                    self.note_html[li.get("id", "")] = li
        for child in children:
            if child.tag == "ol" and all(li.get("id", "") in self.note_html for li in child):
                continue
            self.block(child)
        self._notes()

    def block(self, element: ET.Element) -> None:
        tag = element.tag
        if tag in HEADINGS:
            plain: list[str] = []
            text = self.inline(element, plain, bare=True).strip()
            # Python-Markdown takes closing #s off a heading (学习C# → 学习C): escape them.
            text = re.sub(r"#+$", lambda m: "\\#" * len(m.group(0)), text)
            if text:
                seen = seen_text(plain).strip()
                self.body.blocks.append(
                    Block("heading", text, seen, HEADINGS[tag], element.get("class") == "title")
                )
        elif tag == "p":
            self._paragraph(element)
        elif tag in ("ol", "ul"):
            lines: list[str] = []
            items: list[str] = []
            self._list(element, 0, lines, [], items)
            if lines:
                self.body.blocks.append(
                    Block("list", "\n".join(lines), "\n".join(items), items=items)
                )
        elif tag == "table":
            self._table(element)
        elif tag == "img":  # a picture mammoth placed beside its paragraph (VML, anchored)
            holder = ET.Element("p")
            holder.append(element)
            self._paragraph(holder)
        else:
            self._paragraph(element)

    def _paragraph(self, element: ET.Element) -> None:
        lines: list[str] = [""]
        plain: list[str] = []
        self._inline_into(element, lines, plain, False)
        if len(lines) > 1 and any(line.strip(" \u3000").startswith(":::") for line in lines):
            # "::: internal" on a line of its own after Shift+Enter: the author's own paragraph
            for line in lines:
                self._line_paragraph(line)
            return
        text = joined(lines).strip(" \u3000")
        text = re.sub("^(?:\u3000|&#12288;)+", "", text)
        if not text or re.fullmatch(r"[*\s\u3000]*", text):
            return
        seen = seen_text(plain).strip(" \u3000")
        only_picture = re.fullmatch(r"(?:!\[[^\]]*\]\([^)]*\)\s*)+", text)
        kind = "picture" if only_picture else "paragraph"
        self.body.blocks.append(Block(kind, guard_start(text), seen))

    def _line_paragraph(self, markdown_line: str) -> None:
        """One line of a paragraph split at its line breaks, as a paragraph of its own."""
        text = re.sub("^\u3000+", "", markdown_line.strip(" \u3000"))
        if text:
            seen = re.sub(r"\\(.)", r"\1", text)
            self.body.blocks.append(Block("paragraph", guard_start(text), seen))

    def _list(
        self,
        element: ET.Element,
        depth: int,
        lines: list[str],
        plain: list[str],
        items: list[str] | None = None,
    ) -> None:
        ordered = element.tag == "ol"
        number = 0
        for item in element:
            if item.tag != "li":
                continue
            nested = [child for child in item if child.tag in ("ol", "ul")]
            holder = ET.Element("li")
            holder.text = item.text
            for child in item:
                if child.tag not in ("ol", "ul"):
                    holder.append(child)
                elif child.tail:
                    holder.append(ET.Element("br"))
                    holder[-1].tail = child.tail
            seen: list[str] = []
            text = self.inline(holder, seen).strip(" \u3000")
            text = re.sub("^\u3000+", "", text)
            plain.extend(seen)
            if text:
                if items is not None:
                    items.append(seen_text(seen).strip(" \u3000"))
                number += 1
                mark = f"{number}." if ordered else "-"
                lines.append(f"{'    ' * depth}{mark} {guard_start(text)}")
            for child in nested:
                self._list(child, depth + (1 if text else 0), lines, plain, items)

    def _table(self, table: ET.Element) -> None:
        rows: list[list[str]] = []
        below: dict[int, int] = {}  # column → how many more rows a cell above covers
        plain: list[str] = []
        seen: list[str] = []  # each row's text, as a reader sees it
        merged = False
        for tr in table.iter("tr"):
            row: dict[int, str] = {}
            texts: list[str] = []
            covered = {column for column, left in below.items() if left > 0}
            column = 0
            for cell in (c for c in tr if c.tag in ("td", "th")):
                while column in covered:
                    column += 1
                width, height = _span(cell.get("colspan")), _span(cell.get("rowspan"))
                merged = merged or width > 1 or height > 1
                mark = len(plain)
                row[column] = self._cell(cell, plain)
                texts.append(seen_text(plain[mark:]).strip())
                for offset in range(width):
                    row.setdefault(column + offset, "")
                    if height > 1:
                        below[column + offset] = height  # this row is one of them
                column += width
            for held in covered | {c for c, left in below.items() if left > 0}:
                row.setdefault(held, "")
                below[held] -= 1
            cells = [row.get(c, "") for c in range(max(row, default=-1) + 1)]
            if any(cell.strip() for cell in cells):
                rows.append(cells)
                seen.append("，".join(t for t in texts if t))
        if not rows:
            return
        if len(rows) == 1 and len(rows[0]) == 1:  # a box around text: its text
            for part in rows[0][0].split("<br>"):
                self.body.blocks.append(Block("paragraph", guard_start(part), part))
            return
        width = max(len(row) for row in rows)
        lines: list[str] = []
        for index, filled in enumerate(rows):
            padded = filled + [""] * (width - len(filled))
            lines.append("| " + " | ".join(cell or " " for cell in padded) + " |")
            if index == 0:
                lines.append("|" + "|".join([" --- "] * width) + "|")
        if merged:
            self.body.notices.append(
                "表格里有合并的单元格：Markdown 表格不能合并，文字放在合并区域的第一格，"
                "其余留空，请看一下这张表格"
            )
        self.body.blocks.append(Block("table", "\n".join(lines), "\n".join(seen), items=seen))

    def _cell(self, cell: ET.Element, plain: list[str]) -> str:
        parts: list[str] = []
        for child in cell if len(cell) else [cell]:
            if child.tag in ("ol", "ul"):
                items: list[str] = []
                self._list(child, 0, items, plain)
                parts.extend(line.strip() for line in items)
            elif child.tag == "table":
                parts.append(self.inline(child, plain))
            else:
                text = self.inline(child, plain).strip(" \u3000")
                if text:
                    parts.append(text)
        if cell.text and cell.text.strip():
            parts.insert(0, escape(clean(cell.text).strip()))
        return "<br>".join(p for p in parts if p)

    def _notes(self) -> None:
        for ident, _number in sorted(self.cited.items(), key=lambda pair: pair[1]):
            li = self.note_html[ident]
            for back in li.iter("a"):
                if _NOTE_REF.fullmatch(back.get("href", "")):
                    back.clear()
                    back.tag = "span"
            parts = []
            for child in li if len(li) else [li]:
                if child.tag in ("ol", "ul"):
                    items: list[str] = []
                    self._list(child, 0, [], [], items)
                    parts.append("；".join(escape(item) for item in items))
                else:
                    parts.append(self.inline(child, []).strip(" \u3000"))
            text = " ".join(p for p in parts if p).strip(" ↑")
            if text.startswith(":::"):  # not a fence, whatever check makes of the line
                text = "&#58;" + text[1:]
            self.body.notes.append(guard_start(text) if text else "（脚注没有文字）")


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or "1"), 64))
    except ValueError:
        return 1


def to_blocks(html: str, pictures: dict[str, tuple[str, str]]) -> Body:
    """The blocks of mammoth's ``html``; ``pictures`` maps an image's src to its Markdown
    target and alt text (an image whose src is not there is left out)."""
    root = ET.fromstring(f"<body>{html}</body>")
    writer = _Writer(pictures)
    writer.blocks(root)
    return writer.body
