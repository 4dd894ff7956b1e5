"""Word documents written part by part, as WPS and Word write them: the XML of the body, the
styles, the numbering, the footnotes, the pictures and the metadata, each given by the test.

python-docx makes documents as Word's own template does; this writes what python-docx cannot
(footnotes, tracked changes, comments, WPS's style ids and numbering formats)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NAMESPACES = (
    f'xmlns:w="{W}" xmlns:r="{R}" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# WPS names its styles with numeric ids: "1" is Normal, "2" heading 1, "3" heading 2.
WPS_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {NAMESPACES}>
<w:style w:type="paragraph" w:default="1" w:styleId="1"><w:name w:val="Normal"/>
<w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr>
<w:rPr><w:rFonts w:ascii="Calibri" w:eastAsia="宋体"/><w:kern w:val="2"/><w:sz w:val="21"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 1"/><w:basedOn w:val="1"/>
<w:next w:val="1"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr>
<w:rPr><w:b/><w:kern w:val="44"/><w:sz w:val="44"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="3"><w:name w:val="heading 2"/><w:basedOn w:val="1"/>
<w:next w:val="1"/><w:qFormat/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="9"><w:name w:val="Title"/><w:basedOn w:val="1"/>
<w:qFormat/><w:pPr><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="10"><w:name w:val="List Paragraph"/><w:basedOn w:val="1"/>
<w:qFormat/><w:pPr><w:ind w:firstLine="420" w:firstLineChars="200"/></w:pPr></w:style>
<w:style w:type="character" w:styleId="11"><w:name w:val="footnote reference"/>
<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="12"><w:name w:val="footnote text"/><w:basedOn w:val="1"/></w:style>
<w:style w:type="character" w:styleId="13"><w:name w:val="Hyperlink"/>
<w:rPr><w:color w:val="0000FF"/><w:u w:val="single"/></w:rPr></w:style>
</w:styles>"""

# WPS's numbering: an nsid and multiLevelType on each list, Chinese counting for 一、二、 and
# decimal for 1. 2., bullets as "l" in Wingdings.
WPS_NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering {NAMESPACES}>
<w:abstractNum w:abstractNumId="0"><w:nsid w:val="5A1B2C3D"/><w:multiLevelType w:val="singleLevel"/>
<w:tmpl w:val="5A1B2C3D"/><w:lvl w:ilvl="0" w:tentative="0"><w:start w:val="1"/>
<w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="%1、"/>
<w:lvlJc w:val="left"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:nsid w:val="0F1E2D3C"/><w:multiLevelType w:val="multilevel"/>
<w:tmpl w:val="0F1E2D3C"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedParen"/>
<w:lvlText w:val="(%2)"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="2"><w:nsid w:val="7C6B5A49"/><w:multiLevelType w:val="singleLevel"/>
<w:tmpl w:val="7C6B5A49"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>
<w:lvlText w:val="&#xF06C;"/><w:lvlJc w:val="left"/>
<w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>
</w:numbering>"""


def paragraph(text: str, style: str | None = None, num: tuple[int, int] | None = None) -> str:
    """One paragraph of one plain run; ``num`` (numId, level) for WPS's automatic numbering."""
    props = ""
    if style or num:
        numbering = (
            f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
            if num
            else ""
        )
        named = f'<w:pStyle w:val="{style}"/>' if style else ""
        props = f"<w:pPr>{named}{numbering}</w:pPr>"
    return f'<w:p>{props}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def write_docx(
    path: Path,
    body: str,
    *,
    styles: str = WPS_STYLES,
    numbering: str | None = WPS_NUMBERING,
    footnotes: str | None = None,
    comments: str | None = None,
    media: dict[str, bytes] | None = None,
    links: dict[str, str] | None = None,
    core: str = "",
    app: str = "",
) -> Path:
    """A .docx at ``path`` whose body is ``body`` (the XML inside ``<w:body>``). ``media``:
    pictures by name, related as rId100, rId101… in that order; ``links``: rId → URL."""
    media = media or {}
    rels = [f'<Relationship Id="rId1" Type="{REL}/styles" Target="styles.xml"/>']
    types = [
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>',
        '<Override PartName="/word/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>',
    ]
    parts = {"word/styles.xml": styles}
    for name, xml, kind in (
        ("numbering", numbering, "numbering"),
        ("footnotes", footnotes, "footnotes"),
        ("comments", comments, "comments"),
    ):
        if xml is not None:
            parts[f"word/{name}.xml"] = xml
            rels.append(f'<Relationship Id="rId{name}" Type="{REL}/{kind}" Target="{name}.xml"/>')
            types.append(
                f'<Override PartName="/word/{name}.xml" ContentType="application/'
                f'vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"/>'
            )
    for index, name in enumerate(media):
        rels.append(
            f'<Relationship Id="rId{100 + index}" Type="{REL}/image" Target="media/{name}"/>'
        )
    for rid, url in (links or {}).items():
        rels.append(
            f'<Relationship Id="{rid}" Type="{REL}/hyperlink" Target="{url}" TargetMode="External"/>'
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="png" ContentType="image/png"/>'
            '<Default Extension="jpeg" ContentType="image/jpeg"/>'
            '<Default Extension="emf" ContentType="image/x-emf"/>' + "".join(types) + "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "word/_rels/document.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(rels)
            + "</Relationships>",
        )
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f"<w:document {NAMESPACES}><w:body>{body}<w:sectPr/></w:body></w:document>",
        )
        for name, xml in parts.items():
            archive.writestr(name, xml)
        for name, data in media.items():
            archive.writestr(f"word/media/{name}", data)
        if core:
            archive.writestr("docProps/core.xml", core)
        if app:
            archive.writestr("docProps/app.xml", app)
    return path


def picture(rid: str, alt: str = "", name: str = "图片 1") -> str:
    """A run holding an inline picture (``rid`` from write_docx's media), with alt text."""
    return (
        "<w:r><w:drawing><wp:inline>"
        '<wp:extent cx="1905000" cy="1428750"/>'
        f'<wp:docPr id="1" name="{name}" descr="{alt}"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="{name}" descr="{alt}"/><pic:cNvPicPr/>'
        f'</pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/></pic:blipFill>'
        "<pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


def footnotes(*texts: str) -> str:
    """footnotes.xml with Word's two separators, then one footnote per text, ids 1, 2, …"""
    notes = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:pPr><w:pStyle w:val="12"/></w:pPr>'
        f'<w:r><w:rPr><w:rStyle w:val="11"/></w:rPr><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
        for i, text in enumerate(texts, start=1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {NAMESPACES}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        f"</w:r></w:p></w:footnote>{notes}</w:footnotes>"
    )


def footnote_reference(number: int) -> str:
    return f'<w:r><w:rPr><w:rStyle w:val="11"/></w:rPr><w:footnoteReference w:id="{number}"/></w:r>'
