"""The parts of a .docx made ready for mammoth, where mammoth would lose or add text.

* **Hidden text** (Word's 隐藏文字, ``w:vanish``, directly or by a character style) is not on
  the page in Word; it is often a note the author keeps for themself. It is removed, and said.
* **Simple fields** (``w:fldSimple``: a caption's number, a date field): mammoth drops their
  text; their runs are kept as the text Word shows.
* **Phonetic guides** (拼音指南, ``w:ruby``): the base text is kept, the guide dropped.
* **Linked pictures** (``r:link``: a file on the author's computer) cannot be imported: said;
  so are equations and embedded HTML or RTF (``altChunk``), which mammoth leaves out.
* **Deleted cells** (tracked changes) and a content control's prompt (单击此处输入文字) go.
* **Alternate content** (``mc:AlternateContent``): Word shows the Choice, mammoth reads the
  Fallback; if their texts differ, the document is refused (``Ambiguous``).

Hidden text follows Word's order: the run's own formatting, its character style, its
paragraph's style, each style with those it is based on. Every part is recognised by its
root element, not its name.

Parsed with lxml without entities, DTDs or the network (source.py has refused a DTD already).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
# Parts whose text mammoth reads, by what they are (a renamed part is still read).
_WITH_TEXT = {f"{{{W}}}{name}" for name in ("document", "footnotes", "endnotes", "comments")}
_OFF = {"0", "false", "off"}


STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"


class Strict(Exception):
    """A document in Strict Open XML, whose parts this module does not read."""


class Ambiguous(Exception):
    """Word would show one text (mc:Choice) and a converter read another (mc:Fallback)."""


@dataclass
class Prepared:
    data: bytes
    hidden: int = 0  # runs of hidden text removed
    linked: int = 0  # pictures linked, not embedded
    dropped: int = 0  # embedded HTML or RTF (altChunk) and equations: mammoth leaves them out
    notices: list[str] = field(default_factory=list)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _on(element: etree._Element | None) -> bool:
    return element is not None and element.get(f"{{{W}}}val", "true") not in _OFF


@dataclass
class Hiding:
    """Which styles hide their text (styleId → True, or False where one shows it again), and
    what a run gets when nothing nearer says: the default paragraph style, the defaults."""

    styles: dict[str, bool] = field(default_factory=dict)
    tables: set[str] = field(default_factory=set)  # table styles with hidden text anywhere
    default_paragraph: str = ""
    by_default: bool = False


def _hiding(styles: list[etree._Element]) -> Hiding:
    own: dict[str, bool | None] = {}
    based: dict[str, str] = {}
    found = Hiding()
    for root in styles:
        defaults = root.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr/{{{W}}}vanish")
        found.by_default = found.by_default or _on(defaults)
        for style in root.iter(f"{{{W}}}style"):
            ident = style.get(f"{{{W}}}styleId", "")
            kind = style.get(f"{{{W}}}type", "")
            if kind == "paragraph" and style.get(f"{{{W}}}default") in ("1", "true", "on"):
                found.default_paragraph = ident
            if kind == "table" and any(_on(v) for v in style.iter(f"{{{W}}}vanish")):
                found.tables.add(ident)  # whatever part of the table it is for: fail closed
            vanish = style.find(f"{{{W}}}rPr/{{{W}}}vanish")
            own[ident] = None if vanish is None else _on(vanish)
            parent = style.find(f"{{{W}}}basedOn")
            if parent is not None:
                based[ident] = parent.get(f"{{{W}}}val", "")
    for ident in own:
        seen, current = set(), ident
        while current in own and own[current] is None and current not in seen:
            seen.add(current)
            current = based.get(current, "")
        value = own.get(current)
        if value is not None:
            found.styles[ident] = value
    return found


def _unwrap(element: etree._Element, keep: list[etree._Element]) -> None:
    """Put ``keep`` where ``element`` is, and remove ``element``."""
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    for offset, child in enumerate(keep):
        parent.insert(index + offset, child)
    parent.remove(element)


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{{{W}}}t"))


def _run_hidden(run: etree._Element, hiding: Hiding) -> bool:
    """Word's order: the run's own formatting, its character style, its paragraph's style (or
    the default one), a table style with hidden text, the document's defaults."""
    props = run.find(f"{{{W}}}rPr")
    direct = props.find(f"{{{W}}}vanish") if props is not None else None
    if direct is not None:
        return _on(direct)
    style = props.find(f"{{{W}}}rStyle") if props is not None else None
    if style is not None and style.get(f"{{{W}}}val", "") in hiding.styles:
        return hiding.styles[style.get(f"{{{W}}}val", "")]
    paragraph = next(run.iterancestors(f"{{{W}}}p"), None)
    named = paragraph.find(f"{{{W}}}pPr/{{{W}}}pStyle") if paragraph is not None else None
    ident = named.get(f"{{{W}}}val", "") if named is not None else hiding.default_paragraph
    if ident in hiding.styles:
        return hiding.styles[ident]
    for table in run.iterancestors(f"{{{W}}}tbl"):
        used = table.find(f"{{{W}}}tblPr/{{{W}}}tblStyle")
        if used is not None and used.get(f"{{{W}}}val", "") in hiding.tables:
            return True
    return hiding.by_default


def _part(root: etree._Element, hiding: Hiding, found: Prepared) -> bytes:
    for alternate in list(root.iter(f"{{{MC}}}AlternateContent")):
        # Word shows the Choice, mammoth reads the Fallback: they must say the same.
        shown = [_text(c) for c in alternate.findall(f"{{{MC}}}Choice")]
        kept = [_text(f) for f in alternate.findall(f"{{{MC}}}Fallback")]
        if any(text.strip() for text in shown + kept) and set(shown) != set(kept):
            raise Ambiguous
    for run in list(root.iter(f"{{{W}}}r")):
        if _run_hidden(run, hiding):
            if _text(run).strip():
                found.hidden += 1
            parent = run.getparent()
            if parent is not None:
                parent.remove(run)
    for cell in list(root.iter(f"{{{W}}}tc")):  # a cell deleted with tracked changes on
        if cell.find(f"{{{W}}}tcPr/{{{W}}}cellDel") is not None:
            cell.getparent().remove(cell)  # type: ignore[union-attr]
    for control in list(root.iter(f"{{{W}}}sdt")):  # "单击此处输入文字": a prompt, not text
        if control.find(f"{{{W}}}sdtPr/{{{W}}}showingPlcHdr") is not None:
            control.getparent().remove(control)  # type: ignore[union-attr]
    for simple in list(root.iter(f"{{{W}}}fldSimple")):
        _unwrap(simple, list(simple))
    for ruby in list(root.iter(f"{{{W}}}ruby")):
        base = ruby.find(f"{{{W}}}rubyBase")
        holder = ruby.getparent()
        # The guide sits in a run of its own (w:r/w:ruby): that run becomes the base's runs.
        target = holder if holder is not None and holder.tag == f"{{{W}}}r" else ruby
        _unwrap(target, list(base) if base is not None else [])
    for blip in root.iter(f"{{{A}}}blip"):
        if blip.get(f"{{{R}}}link") and not blip.get(f"{{{R}}}embed"):
            found.linked += 1
    found.dropped += sum(1 for _ in root.iter(f"{{{W}}}altChunk", f"{{{M}}}oMath"))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def prepared(data: bytes) -> Prepared:
    """``data`` (a .docx checked by source.read_docx) with its parts made ready for mammoth,
    whatever they are named. etree.XMLSyntaxError for a part that is not well-formed;
    Ambiguous when Word would show one text and mammoth read another."""
    found = Prepared(data)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        contents = {info.filename: archive.read(info.filename) for info in archive.infolist()}
        parts: dict[str, etree._Element] = {}
        for info in archive.infolist():
            content = contents[info.filename]
            if info.is_dir() or not content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                continue  # a picture, a font: not XML
            try:  # by what it is, not by its name: mammoth finds parts through their relations
                parts[info.filename] = etree.fromstring(content, _parser())
            except etree.XMLSyntaxError:
                if info.filename.endswith(".xml") and not info.filename.startswith("word/media/"):
                    raise
        if any(root.tag.startswith(f"{{{STRICT}}}") for root in parts.values()):
            raise Strict  # hidden text there would go unseen: refused, not read in part
        hiding = _hiding([root for root in parts.values() if root.tag == f"{{{W}}}styles"])
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as rewritten:
            for info in archive.infolist():
                root = parts.get(info.filename)
                if root is not None and root.tag in _WITH_TEXT:
                    rewritten.writestr(info.filename, _part(root, hiding, found))
                else:
                    rewritten.writestr(info.filename, contents[info.filename])
    found.data = out.getvalue()
    if found.hidden:
        found.notices.append(
            f"文档里有 {found.hidden} 处隐藏文字（Word 的“隐藏”格式），没有导入：要发布的话，"
            f"请在 Word 里取消隐藏后重新导入"
        )
    if found.dropped:
        found.notices.append(
            f"文档里有 {found.dropped} 处公式或嵌入的网页、RTF 内容，没有导入：需要的话，"
            f"请把它们改写成文字，或截图后作为图片插入"
        )
    if found.linked:
        found.notices.append(
            f"文档里有 {found.linked} 张图片是链接到电脑上的文件，而不是插在文档里，没有导入："
            f"请在 Word 里用“插入 → 图片”重新插入这些图片"
        )
    return found
