"""The parts of a .docx made ready for mammoth, where mammoth would lose or add text.

* **Hidden text** (Word's 隐藏文字, ``w:vanish``, directly or by a character style) is not on
  the page in Word; it is often a note the author keeps for themself. It is removed, and said.
* **Simple fields** (``w:fldSimple``: a caption's number, a date field): mammoth drops their
  text; their runs are kept as the text Word shows.
* **Phonetic guides** (拼音指南, ``w:ruby``): the base text is kept, the guide dropped.
* **Linked pictures** (``r:link``: a file on the author's computer) cannot be imported: said.

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
_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")
_OFF = {"0", "false", "off"}


@dataclass
class Prepared:
    data: bytes
    hidden: int = 0  # runs of hidden text removed
    linked: int = 0  # pictures linked, not embedded
    notices: list[str] = field(default_factory=list)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _on(element: etree._Element | None) -> bool:
    return element is not None and element.get(f"{{{W}}}val", "true") not in _OFF


def _hidden_styles(archive: zipfile.ZipFile) -> set[str]:
    """Character styles that hide their text."""
    try:
        root = etree.fromstring(archive.read("word/styles.xml"), _parser())
    except (KeyError, etree.XMLSyntaxError):
        return set()
    return {
        style.get(f"{{{W}}}styleId", "")
        for style in root.iter(f"{{{W}}}style")
        if _on(style.find(f"{{{W}}}rPr/{{{W}}}vanish"))
    }


def _unwrap(element: etree._Element, keep: list[etree._Element]) -> None:
    """Put ``keep`` where ``element`` is, and remove ``element``."""
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    for offset, child in enumerate(keep):
        parent.insert(index + offset, child)
    parent.remove(element)


def _part(xml: bytes, hidden_styles: set[str], found: Prepared) -> bytes:
    root = etree.fromstring(xml, _parser())
    for run in list(root.iter(f"{{{W}}}r")):
        props = run.find(f"{{{W}}}rPr")
        if props is None:
            continue
        style = props.find(f"{{{W}}}rStyle")
        by_style = style is not None and style.get(f"{{{W}}}val") in hidden_styles
        direct = props.find(f"{{{W}}}vanish")
        if (direct is not None and _on(direct)) or (direct is None and by_style):
            if run.xpath(".//w:t[normalize-space()]", namespaces={"w": W}):
                found.hidden += 1
            parent = run.getparent()
            if parent is not None:
                parent.remove(run)
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
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def prepared(data: bytes) -> Prepared:
    """``data`` (a .docx checked by source.read_docx) with its parts made ready for mammoth.
    etree.XMLSyntaxError for a part that is not well-formed."""
    found = Prepared(data)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = _hidden_styles(archive)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as rewritten:
            for info in archive.infolist():
                content = archive.read(info.filename)
                if info.filename in _PARTS:
                    content = _part(content, styles, found)
                rewritten.writestr(info.filename, content)
    found.data = out.getvalue()
    if found.hidden:
        found.notices.append(
            f"文档里有 {found.hidden} 处隐藏文字（Word 的“隐藏”格式），没有导入：要发布的话，"
            f"请在 Word 里取消隐藏后重新导入"
        )
    if found.linked:
        found.notices.append(
            f"文档里有 {found.linked} 张图片是链接到电脑上的文件，而不是插在文档里，没有导入："
            f"请在 Word 里用“插入 → 图片”重新插入这些图片"
        )
    return found
