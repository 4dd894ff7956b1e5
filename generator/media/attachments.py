"""Attachments on their way to the public edition: SVG drawings and PDF documents, kept only
when nothing in them runs, loads or carries who made them (see assets.py for what each type
gets)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

# SVG ---------------------------------------------------------------------------------------

_SVG_SAFE = {
    "svg",
    "g",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "title",
    "desc",
    "defs",
    "lineargradient",
    "radialgradient",
    "stop",
    "clippath",
    "mask",
    "pattern",
    "symbol",
    "marker",
    "use",
    "metadata",
}
_SVG_REFS = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)


def svg_problems(data: bytes) -> list[str]:
    """Why an SVG cannot be published as it is: anything that runs or loads something."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return [f"SVG 文件无法解析（{error}）"]
    if b"<!ENTITY" in data or b"<!DOCTYPE" in data:
        return ["SVG 里有 DOCTYPE 或实体定义：请删掉"]
    found: list[str] = []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if tag not in _SVG_SAFE:
            found.append(f"SVG 里有不允许的元素 <{tag}>（脚本、样式表、foreignObject、图片等）")
            continue
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                found.append(f"SVG 里有会执行脚本的属性 {local}=")
            elif local == "href" and not value.strip().startswith("#"):
                found.append(f"SVG 里有指向外部的引用 href=“{value[:40]}”")
            elif _SVG_REFS.search(value) or "@import" in value:
                found.append(f"SVG 里有外部引用（{local}=“{value[:40]}”）")
    return sorted(set(found))


def clean_svg(data: bytes) -> bytes:
    """The SVG written again from its elements: comments, processing instructions
    (``<?xml-stylesheet …?>``) and the DOCTYPE do not survive."""
    ElementTree.register_namespace("", "http://www.w3.org/2000/svg")
    ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = ElementTree.fromstring(data)
    body: bytes = ElementTree.tostring(root, "utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def svg_text(data: bytes) -> str:
    """Everything of an SVG a reader or a program could get as text: element text and every
    attribute value (comments are gone once cleaned)."""
    root = ElementTree.fromstring(data)
    parts: list[str] = []
    for element in root.iter():
        parts.extend(str(v) for v in element.attrib.values())
        parts.extend(t for t in (element.text, element.tail) if t)
    return "\n".join(parts)


# PDF ---------------------------------------------------------------------------------------

_PDF_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToE",
    "/GoToR",
    "/Rendition",
    "/Sound",
    "/Movie",
    "/ResetForm",
    "/Hide",
}
_PDF_ANNOTS = {"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen", "/3D"}


def _dictionary(node: Any) -> Any:
    """The PDF dictionary ``node`` refers to, or an empty one (absent, or not a dictionary)."""
    from pypdf.generic import DictionaryObject

    target = node.get_object() if node is not None else None
    return target if isinstance(target, DictionaryObject) else {}


def pdf_problems(data: bytes) -> list[str]:
    """Why a PDF cannot be published: parts that run, launch or hide files (looked for in the
    document's structure, so object streams cannot hide them)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import DictionaryObject

    found: set[str] = set()
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return ["PDF 是加密的，无法检查：请另存为不加密的 PDF"]
        root = reader.trailer["/Root"].get_object()
        if not isinstance(root, DictionaryObject):
            return ["PDF 文件的结构无法识别：请另存为普通的 PDF"]
        names = _dictionary(root.get("/Names"))
        for key in ("/JavaScript", "/EmbeddedFiles"):
            if key in names:
                found.add(key)
        for key in ("/AA", "/OpenAction"):
            action = root.get(key)
            if action is not None and _active(action.get_object()):
                found.add(key)
        if "/XFA" in _dictionary(root.get("/AcroForm")):
            found.add("/XFA")
        for page in reader.pages:
            if "/AA" in page:
                found.add("/AA")
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                if annotation.get("/Subtype") in _PDF_ANNOTS:
                    found.add(str(annotation.get("/Subtype")))
                action = annotation.get("/A")
                if action is not None and _active(action.get_object()):
                    found.add(str(action.get_object().get("/S")))
    except (PyPdfError, ValueError, KeyError, OSError, AttributeError, TypeError) as error:
        return [f"PDF 文件无法读取（{error}）"]
    return [
        f"PDF 里有 {name[1:]}（脚本、附件或外部动作），不能公开：请另存为普通 PDF"
        for name in sorted(found)
    ]


def _active(action: object) -> bool:
    """Whether a PDF action dictionary (or a dictionary of them) does more than go to a page
    or open a web link."""
    if not isinstance(action, dict):
        return False
    if action.get("/S") in _PDF_ACTIONS:
        return True
    return any(
        _active(value.get_object())
        for key, value in action.items()
        if key != "/Next"
        and hasattr(value, "get_object")
        and isinstance(value.get_object(), dict)
        and "/S" in value.get_object()
    )


_PAGE_KEYS = {
    "/Type",
    "/Parent",
    "/Contents",
    "/Resources",
    "/MediaBox",
    "/CropBox",
    "/BleedBox",
    "/TrimBox",
    "/ArtBox",
    "/Rotate",
    "/UserUnit",
    "/Group",
    "/Annots",
}
_LINK_KEYS = {
    "/Type",
    "/Subtype",
    "/Rect",
    "/Border",
    "/BS",
    "/F",
    "/Dest",
    "/A",
    "/QuadPoints",
    "/H",
}


def clean_pdf(data: bytes) -> bytes:
    """The PDF's pages rebuilt from what draws them: document information, XMP, page keys of
    other programs, annotations other than links (comments and form fields carry authors'
    names and text) and the extra keys of links are gone before the pages are copied, so
    nothing of them is written, not even as an object nobody refers to."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter()
    for page in reader.pages:
        _strip_xobjects(page.get("/Resources"), set())
        others = [key for key in page if key not in _PAGE_KEYS or key == "/Annots"]
        copied = writer.add_page(page, excluded_keys=others)  # never copied, not even unused
        links = ArrayObject()
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link":
                link = DictionaryObject(
                    {
                        NameObject(k): v.clone(writer)
                        for k, v in annotation.items()
                        if k in _LINK_KEYS
                    }
                )
                links.append(writer._add_object(link))
        if links:
            copied[NameObject("/Annots")] = links
    writer.add_metadata({"/Producer": "jiandi"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _strip_xobjects(resources: object, seen: set[int]) -> None:
    """Remove metadata from the images and forms a page draws (forms nest resources)."""
    resources = resources.get_object() if hasattr(resources, "get_object") else resources
    if not isinstance(resources, dict) or id(resources) in seen:
        return
    seen.add(id(resources))
    xobjects = resources.get("/XObject")
    xobjects = xobjects.get_object() if xobjects is not None else {}
    for name in list(xobjects):
        xobject = xobjects[name].get_object()
        for key in ("/Metadata", "/PieceInfo", "/OC"):
            if key in xobject:
                del xobject[key]
        _strip_xobjects(xobject.get("/Resources"), seen)


def pdf_metadata(data: bytes) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        # The standard fields are jiandi's own booklets' (title, the site's author); anything
        # else was carried over from somewhere.
        fields = [
            k
            for k in (reader.metadata or {})
            if k
            not in (
                "/Producer",
                "/CreationDate",
                "/ModDate",
                "/Title",
                "/Subject",
                "/Keywords",
                "/Creator",
                "/Author",
                "/Lang",
                "/Trapped",
            )
        ]
        if reader.xmp_metadata is not None:
            fields += _xmp_leftovers(reader.xmp_metadata.stream.get_data())
        for page in reader.pages:
            for annotation in page.get("/Annots") or []:
                subtype = annotation.get_object().get("/Subtype")
                if subtype != "/Link":
                    fields.append(f"批注 {subtype}")
    except (PyPdfError, ValueError, KeyError, OSError) as error:
        return [f"PDF 文件无法读取（{error}）"]
    return [f"PDF 还带有元数据（{', '.join(fields)}）"] if fields else []


# What the XMP of jiandi's own booklets (PDF/A, which requires XMP) holds: the same title,
# author, subject and keywords as the document information, dates, the tool's name, the
# PDF/A identification and the schemas PDF/A asks to be declared. Any other property was
# carried over from somewhere (a camera, an editor, a name) and is refused.
_XMP_KEPT = {
    "http://purl.org/dc/elements/1.1/": {"title", "description", "creator", "language", "format"},
    "http://ns.adobe.com/pdf/1.3/": {"Keywords", "Producer", "PDFVersion"},
    "http://ns.adobe.com/xap/1.0/": {"CreatorTool", "CreateDate", "ModifyDate", "MetadataDate"},
    "http://ns.adobe.com/xap/1.0/mm/": {"History", "DocumentID", "InstanceID", "RenditionClass"},
    "http://ns.adobe.com/xap/1.0/t/pg/": {"NPages"},
    "http://www.aiim.org/pdfa/ns/id/": {"part", "conformance", "amd"},
    "http://www.aiim.org/pdfa/ns/extension/": {"schemas"},
}
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _xmp_leftovers(data: bytes) -> list[str]:
    """The XMP properties of a PDF that are not in ``_XMP_KEPT`` (all of it, if unreadable)."""
    try:
        root = ElementTree.fromstring(data.strip().strip(b"\x00"))
    except ElementTree.ParseError:
        return ["XMP"]
    rdf = root if root.tag == f"{{{_RDF}}}RDF" else root.find(f".//{{{_RDF}}}RDF")
    if rdf is None or any(child.tag != f"{{{_RDF}}}Description" for child in rdf):
        return ["XMP"]
    found = []
    for description in rdf:
        names = [*(child.tag for child in description), *description.attrib]
        for name in names:
            space, _, local = name[1:].partition("}") if name.startswith("{") else ("", "", name)
            if space == _RDF:
                continue
            if local not in _XMP_KEPT.get(space, set()):
                found.append(f"XMP {local}")
    return found


def pdf_text(path: Path) -> str:
    """The text and metadata of a PDF (what a reader can copy or search), or its raw bytes."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        parts = [str(v) for v in (reader.metadata or {}).values()]
        parts += [page.extract_text() or "" for page in reader.pages]
        parts += [item.title for item in _outline(reader.outline)]
        parts += _pdf_strings(reader.trailer)
    except (PyPdfError, ValueError, KeyError, OSError, RecursionError):
        return path.read_bytes().decode("latin-1")
    return "\n".join(parts)


def _pdf_strings(trailer: Any) -> list[str]:
    """Every text string of a PDF's objects (annotations, link addresses, keys other programs
    added, form values) and its metadata streams: what is in the file beyond the page text."""
    from pypdf.generic import (
        ArrayObject,
        ByteStringObject,
        DictionaryObject,
        IndirectObject,
        StreamObject,
        TextStringObject,
    )

    found: list[str] = []
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [trailer]
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        if isinstance(node, (TextStringObject, ByteStringObject)):
            found.append(
                str(node) if isinstance(node, TextStringObject) else bytes(node).decode("latin-1")
            )
        elif isinstance(node, DictionaryObject):
            if isinstance(node, StreamObject) and node.get("/Type") == "/Metadata":
                found.append(node.get_data().decode("utf-8", "replace"))
            stack.extend(value for key, value in node.items() if key != "/Parent")
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return found


def _outline(items: Any) -> Iterator[Any]:
    for item in items:
        if isinstance(item, list):
            yield from _outline(item)
        else:
            yield item
