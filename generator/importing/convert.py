"""A Word document read by mammoth: its body as simple HTML (headings, paragraphs, bold and
italic, lists from Word's automatic numbering, tables, footnotes, links) and its pictures.

mammoth reads what Word and WPS write (their styles, numbering, footnotes and endnotes,
fields, text boxes) and leaves out what is not content: deleted text of tracked changes
(inserted text is kept, as Word shows it once accepted), comments, headers and footers,
fonts, sizes and colours. It never reads the document's properties (``docProps/``: author,
company, revision history), and neither does jiandi."""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

import mammoth  # type: ignore[import-untyped]

from generator.importing.source import NotWord

# Beyond mammoth's own map (Heading 1…6 and their WPS spellings, lists, footnotes).
STYLE_MAP = "\n".join(
    [
        "p[style-name='Title'] => h1.title:fresh",
        "p[style-name='title'] => h1.title:fresh",
        "p[style-name='标题'] => h1.title:fresh",
        "p[style-name='Subtitle'] => p:fresh",
        *(f"p[style-name='标题 {n}'] => h{n}:fresh" for n in range(1, 7)),
        *(f"p[style-name='Heading{n}'] => h{n}:fresh" for n in range(1, 7)),
        # A table of contents is Word's, made from the headings: the site makes its own.
        *(f"p[style-name='toc {n}'] => !" for n in range(1, 10)),
        *(f"p[style-name='TOC {n}'] => !" for n in range(1, 10)),
        "p[style-name='TOC Heading'] => !",
        # Strikethrough, small capitals: direct formatting, the text stays.
        "strike => ",
        "small-caps => ",
        "comment-reference => !",
    ]
)


@dataclass
class Picture:
    """A picture of the document: its bytes as stored, its type, its alt text (may be empty)."""

    data: bytes
    content_type: str
    alt: str


@dataclass
class Converted:
    html: str
    pictures: list[Picture] = field(default_factory=list)


def picture_src(index: int) -> str:
    """What a picture's ``src`` is in the HTML, until it has a file: ``jiandi-picture:3``."""
    return f"jiandi-picture:{index}"


def to_html(data: bytes, shown: str) -> Converted:
    """Convert the .docx ``data`` (checked by source.read_docx); NotWord if mammoth cannot
    read it (a part missing or damaged)."""
    pictures: list[Picture] = []

    def keep(image: Any) -> dict[str, str]:
        with image.open() as stream:
            pictures.append(
                Picture(stream.read(), image.content_type or "", (image.alt_text or "").strip())
            )
        return {"src": picture_src(len(pictures) - 1)}

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            convert_image=mammoth.images.img_element(keep),
            ignore_empty_paragraphs=True,
        )
    except (
        zipfile.BadZipFile,
        zlib.error,
        KeyError,
        ValueError,
        EOFError,
        OSError,
        LookupError,
    ) as error:
        raise NotWord(
            f"{shown} 已损坏或不完整，无法读取（{type(error).__name__}）：请用 Word 或 WPS 打开它，"
            f"再“另存为”一个新的 .docx 文件后导入"
        ) from None
    except Exception as error:  # noqa: BLE001 - mammoth's XML reader raises plain ones
        if type(error).__module__.startswith(("xml.", "pyexpat")) or "xml" in repr(error).lower():
            raise NotWord(
                f"{shown} 的内容不是正确的 Word 格式，无法读取：请用 Word 或 WPS 打开它，"
                f"再“另存为”一个新的 .docx 文件后导入"
            ) from None
        raise
    return Converted(str(result.value), pictures)
