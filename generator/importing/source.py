"""What file an author gave ``jiandi import``: a Word document (.docx) it can read, or a
message saying what the file is and what to do (save it as .docx). Decided by what is in the
file, not by its name: a .doc renamed .docx is still a .doc.

Only the parts a conversion reads are looked at; none is written anywhere. A document is
refused, rather than read in part, when it is damaged (a broken zip, a bad checksum, a part
twice), when any part but a picture declares a DTD (no Word or WPS writes one), or when it
would unpack to more than ``MAX_UNPACKED`` bytes, or one part to more than ``MAX_PART``.
"""

from __future__ import annotations

import io
import stat
import zipfile
import zlib
from pathlib import Path

MAX_FILE = 200 * 1024 * 1024  # a Word document with many photos is tens of MB
MAX_UNPACKED = 1024 * 1024 * 1024
MAX_PART = 50 * 1024 * 1024  # one XML part: a book-length document.xml is a few MB
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .wps, .xls, and a .docx with a password
_WORD_MAIN = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
SAVE_AS = "请用 Word 或 WPS 打开它，点“文件 → 另存为”，文件类型选“Word 文档（*.docx）”，再导入保存好的 .docx 文件"


class NotWord(Exception):
    """The file cannot be imported; the message names it and says what to do."""


def _kind_by_name(path: Path) -> str:
    return {
        ".doc": "Word 97-2003 文档（.doc）",
        ".wps": "WPS 文字文档（.wps）",
        ".rtf": "RTF 文档",
        ".odt": "OpenDocument 文档（.odt）",
        ".pdf": "PDF 文件",
        ".txt": "纯文本文件",
        ".md": "Markdown 文件",
        ".html": "网页文件",
        ".htm": "网页文件",
        ".xls": "Excel 表格",
        ".xlsx": "Excel 表格",
        ".et": "WPS 表格",
        ".ppt": "PowerPoint 演示文稿",
        ".pptx": "PowerPoint 演示文稿",
        ".dps": "WPS 演示文稿",
    }.get(path.suffix.lower(), "")


def read_docx(path: Path) -> bytes:
    """The bytes of the Word document at ``path``; NotWord with a message otherwise."""
    shown = str(path)
    if path.is_dir():
        raise NotWord(f"{shown} 是一个文件夹：请给出要导入的 Word 文档（.docx）的路径")
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a pipe or a device would never end
            raise NotWord(
                f"{shown} 不是一个普通文件（可能是管道或设备）：请给出 Word 文档（.docx）的路径"
            )
        size = info.st_size
        if size > MAX_FILE:
            raise NotWord(
                f"{shown} 有 {size // (1024 * 1024)} MB，太大了（最多 {MAX_FILE // (1024 * 1024)} MB）："
                f"请在 Word 里压缩图片（“图片格式 → 压缩图片”）后另存一份再导入"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotWord(f"找不到文件 {shown}：请检查文件名和所在的文件夹") from None
    except PermissionError:
        raise NotWord(f"没有权限读取 {shown}：请检查这个文件的权限") from None
    except OSError as error:
        raise NotWord(f"读取 {shown} 时出错（{error.strerror}）：请检查这个文件后重试") from None
    _classify(path, data)
    return data


def _classify(path: Path, data: bytes) -> None:
    shown = str(path)
    named = _kind_by_name(path)
    if not data:
        raise NotWord(f"{shown} 是空文件：{SAVE_AS}")
    if data.startswith(_OLE):
        what = named if named and path.suffix.lower() in (".doc", ".wps") else ""
        raise NotWord(
            f"{shown} 是 {what or '旧格式的 Word / WPS 文档（.doc、.wps），或设置了打开密码的文档'}，"
            f"jiandi 只能导入 .docx：{SAVE_AS}（有打开密码的，请先取消密码）"
        )
    if data.lstrip()[:5] == b"{\\rtf":
        raise NotWord(f"{shown} 是 RTF 文档，jiandi 只能导入 .docx：{SAVE_AS}")
    if data.startswith(b"%PDF"):
        raise NotWord(
            f"{shown} 是 PDF 文件，不能导入：请导入写这篇稿子用的 Word 文档（.docx）；"
            f"只有 PDF 的，请把它作为附件放进 content/assets/"
        )
    if not data.startswith(b"PK"):
        if path.suffix.lower() in (".doc", ".wps", ".docx"):  # not what the name says
            said = "不是 .docx 文档（内容像是网页或纯文本，只是扩展名是 Word 的）"
        else:
            said = f"是 {named}" if named else "不是 Word 文档（.docx）"
        raise NotWord(f"{shown} {said}，jiandi 只能导入 .docx：{SAVE_AS}")
    _check_package(path, data)


def _damaged(shown: str) -> NotWord:
    return NotWord(
        f"{shown} 已损坏，无法读取：请用 Word 或 WPS 打开它（会提示修复），"
        f"再“另存为”一个新的 .docx 文件后导入"
    )


def _check_package(path: Path, data: bytes) -> None:
    shown = str(path)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _damaged(shown) from None
    with archive:
        names = set(archive.namelist())
        if "mimetype" in names and b"opendocument" in _read(archive, "mimetype", shown):
            raise NotWord(f"{shown} 是 OpenDocument 文档（.odt），jiandi 只能导入 .docx：{SAVE_AS}")
        if "[Content_Types].xml" not in names:
            raise _damaged(shown) if "word/document.xml" in names else _not_word(path)
        types = _read(archive, "[Content_Types].xml", shown).decode("utf-8", "replace")
        if not any(kind in types for kind in _WORD_MAIN):
            if "spreadsheetml" in types or "presentationml" in types:
                what = "Excel 表格" if "spreadsheetml" in types else "PowerPoint 演示文稿"
                raise NotWord(f"{shown} 是{what}，不是 Word 文档：请导入 .docx 文件")
            raise _not_word(path)
        infos = archive.infolist()
        if len({info.filename for info in infos}) != len(infos):  # which copy would Word read?
            raise _damaged(shown)
        if sum(info.file_size for info in infos) > MAX_UNPACKED:
            raise NotWord(f"{shown} 解压后太大，不像一篇稿子：请检查这个文件，或另存一份再导入")
        for info in infos:
            if info.filename.startswith("word/media/") or info.is_dir():
                continue  # pictures: read by Pillow, never parsed as XML
            if info.file_size > MAX_PART:
                raise NotWord(
                    f"{shown} 里的 {info.filename} 解压后有 {info.file_size // (1024 * 1024)} MB，"
                    f"太大了，不像一篇稿子：请检查这个文件，或另存一份再导入"
                )
            content = _read(archive, info.filename, shown)
            if content.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, with its mark
                content = content.decode("utf-16", "replace").encode()
            upper = content.upper()
            if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
                raise NotWord(
                    f"{shown} 里的 {info.filename} 不是 Word 或 WPS 写出的格式：{SAVE_AS}"
                )


def _not_word(path: Path) -> NotWord:
    named = _kind_by_name(path)
    return NotWord(f"{path} {'是' + named if named else '不是 Word 文档（.docx）'}：{SAVE_AS}")


def _read(archive: zipfile.ZipFile, name: str, shown: str) -> bytes:
    """One part of the package, its checksum verified."""
    try:
        return archive.read(name)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        OSError,
        EOFError,
        zlib.error,
    ):
        raise _damaged(shown) from None
    except RuntimeError:  # an encrypted zip entry
        raise NotWord(
            f"{shown} 设置了密码，无法读取：请先在 Word 里取消密码，再另存为 .docx"
        ) from None
