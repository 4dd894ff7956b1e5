"""``jiandi import``: one Word document becomes one new record, its pictures files in
``assets/``, and the record is checked at once.

The record is written as ``jiandi new`` writes one (the same template, the same id, never over
a file), with the title, date, summary and body taken from the document. Unlike ``new``, a
record with problems is kept: its text came from the author, who fixes it where ``check``
says. Nothing is written until the whole document has been read: a document that cannot be
read leaves no file behind, and neither does a failure while writing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from generator.caches import file_stamp
from generator.content.corpus import Memo
from generator.content.kinds import KINDS
from generator.content.load import load_record
from generator.importing import assemble, convert, markdown, prepare, reading
from generator.importing.source import NotWord, read_docx
from generator.media.photos import TooLarge, reencoded
from generator.new import Refused, Request, place, problems_in, text_of, write_new
from generator.problems import Problem, Problems

# Office writes alt text of its own when the author wrote none: it says nothing of the picture.
_MADE_UP_ALT = re.compile(
    r"描述已自动生成|自动生成的描述|Description automatically generated", re.I
)


@dataclass
class Imported:
    path: Path
    problems: list[Problem]
    notices: list[str] = field(default_factory=list)  # what the author should look at
    pictures: list[Path] = field(default_factory=list)
    date_from: str = ""  # where the date came from, in words


@dataclass
class _Picture:
    data: bytes
    suffix: str
    alt: str


AskDate = Callable[[], dt.date]


def import_docx(
    source: Path,
    root: Path,
    request: Request,
    templates: Path,
    ask_date: AskDate,
    title: str | None = None,
) -> Imported:
    """Import the Word document ``source`` into the content folder ``root`` as the record
    ``request`` describes (its kind, bureaus, topics, visibility, id; its title and date are
    read from the document where the request has none). NotWord if the file cannot be read,
    Refused if the record cannot be written."""
    from generator.check import validate

    data = read_docx(source)
    try:
        ready = prepare.prepared(data)
    except prepare.Strict:
        raise NotWord(
            f"{source} 是“Strict Open XML”格式的 Word 文档，jiandi 读不全它的格式（例如隐藏文字）："
            f"请在 Word 里“另存为”，文件类型选“Word 文档（*.docx）”，再导入新文件"
        ) from None
    except prepare.Ambiguous:
        raise NotWord(
            f"{source} 里有的内容存了两种不同的写法（Word 的兼容格式），无法确定读者会看到哪一种："
            f"请用 Word 打开它，“另存为”一个新的 .docx 文件后再导入"
        ) from None
    except (etree.XMLSyntaxError, ValueError):
        raise NotWord(
            f"{source} 的内容不是正确的 Word 格式，无法读取：请用 Word 或 WPS 打开它，"
            f"再“另存为”一个新的 .docx 文件后导入"
        ) from None
    notices: list[str] = list(ready.notices)
    slot = f"jiandi-picture-{secrets.token_hex(8)}-{{}}"  # no document's text says this
    try:
        converted = convert.to_html(ready.data, str(source))
        pictures = _pictures(converted.pictures, notices)
        slots = {convert.picture_src(i): (slot.format(i), p.alt) for i, p in pictures.items()}
        body = markdown.to_blocks(converted.html, slots)
        assemble.mark_internal(body.blocks)
    except RecursionError:
        raise NotWord(
            f"{source} 里的表格或列表套得太深（几十层），无法导入：请在 Word 里把套在表格里的表格"
            f"改成普通的段落或一层表格后再导入"
        ) from None
    notices += body.notices
    blocks = body.blocks
    if not blocks:
        raise NotWord(f"{source} 里没有文字：请检查是不是选错了文件")
    picked = reading.title_block(blocks)
    if title:
        request.title = reading.one_line(title)
    elif picked is not None:
        request.title = reading.one_line(blocks[picked].text)
    else:
        raise Refused(
            f"{source} 里找不到标题：请在 Word 里把标题那一行设成“标题”样式，或用 --title 写上标题",
            usage=True,
        )
    if picked is not None and (
        title is None or blocks[picked].title or reading.one_line(blocks[picked].text) == title
    ):
        del blocks[picked]
    guide: dict[str, str | list[str]] = {}
    if request.folder == "guides":
        guide, body.blocks = reading.guide_fields(blocks)
        blocks = body.blocks
    _demote(blocks)
    date_from = _date(request, blocks, ask_date)
    corpus, _problems = validate(root)
    path = place(root, request, corpus, lambda *_: "", visibility=False)
    text = assemble.markdown_of(body)
    for number, line in enumerate(text.splitlines(), start=1):
        # A line that begins with ::: is check's to judge (it refuses any but the two forms);
        # one in the middle of a line would be published as text, internal or not.
        if ":::" in line and not line.startswith(":::"):
            raise NotWord(
                f"{source} 里的“{line.strip()[:40]}”把 ::: 写在了表格、列表、脚注或一段话的中间："
                f"内部段落只能这样标：单独一段写 ::: internal，内部的段落，再单独一段写 :::。"
                f"请在 Word 里改好后重新导入（正文第 {number} 行）"
            )
    placed = {i: p for i, p in pictures.items() if f"({slot.format(i)})" in text}
    for index in sorted(set(pictures) - set(placed)):
        notices.append(
            f"第 {index + 1} 张图片在标题里或办事指南的字段里，没有导入：需要的话，"
            f"请把它放进 content/assets/，再在正文里用 ![说明](../assets/文件名) 加上"
        )
    files = _files(root, path.stem, placed)
    for index, file in files.items():  # the body names them relative to the record
        text = text.replace(f"({slot.format(index)})", f"(../assets/{file.name})")
    record = text_of(
        templates,
        request,
        corpus,
        summary=reading.summary_of(blocks),
        body=text if blocks or body.notes else "",
        guide=guide,
        imported=True,
    )
    if blocks and text.strip() not in record:
        raise Refused(
            f"{templates / KINDS[request.folder].new_template} 里没有 {{{{ body }}}}，"
            f"导入的正文会被丢掉：请按 jiandi 自带的模板更新它（在 {{% if body %}} 里写 {{{{ body }}}}）"
        )
    written: list[Path] = []
    try:
        for index, file in files.items():
            write_new(file, "")
            written.append(file)
            file.write_bytes(placed[index].data)
        write_new(path, record)
        written.append(path)
        found = problems_in(root, path) if request.visibility else _as_if_public(root, path)
    except BaseException:  # a full disk, Ctrl+C: nothing half done is left behind
        for file in written:
            file.unlink(missing_ok=True)
        raise
    return Imported(path, found, notices, list(files.values()), date_from)


EMPTY_VISIBILITY = "\nvisibility: \n"  # as templates/new/ write it when none was given


def _as_if_public(root: Path, path: Path) -> list[Problem]:
    """What ``check`` finds in a record whose visibility is left for the author: as it stands
    (the empty key), and everything else as if it were public, the strictest. Otherwise a
    personal number would be found only once the visibility is set. The public reading is
    made from a copy outside the content folder, never from a record that says public."""
    kind = path.parent.name
    as_it_is = Problems()
    load_record(path, kind, root, as_it_is)
    text = path.read_text("utf-8")
    if EMPTY_VISIBILITY not in text:
        return problems_in(root, path)
    read = Problems()
    with tempfile.TemporaryDirectory(prefix="jiandi-import-") as temp:
        copy = Path(temp) / kind / path.name
        copy.parent.mkdir()
        copy.write_text(text.replace(EMPTY_VISIBILITY, "\nvisibility: public\n", 1), "utf-8")
        entry = load_record(copy, kind, Path(temp), read)
    if entry is not None:
        entry.path = path
    items = [dataclasses.replace(p, path=path) for p in read.items]
    memo: Memo = {path: (file_stamp(path), kind, entry, items)}
    undecided = [p for p in as_it_is.items if p.code == "JD202" and "visibility" in p.message]
    return undecided + problems_in(root, path, memo)


def _pictures(found: list[convert.Picture], notices: list[str]) -> dict[int, _Picture]:
    """The document's pictures that can be published, re-encoded, by their place in it; a
    notice for each one that cannot (a Word drawing in EMF or WMF, a damaged file)."""
    kept: dict[int, _Picture] = {}
    for index, picture in enumerate(found):
        try:
            data, suffix = reencoded(picture.data)
        except TooLarge as error:
            notices.append(
                f"第 {index + 1} 张图片太大（{error}），没有导入：请把它缩小（例如宽 2400 像素）"
                f"后放进 content/assets/，再在正文里用 ![说明](../assets/文件名) 加上"
            )
            continue
        except (OSError, ValueError, SyntaxError):
            kind = picture.content_type.removeprefix("image/").removeprefix("x-").upper()
            notices.append(
                f"第 {index + 1} 张图片（{kind or '未知格式'}）无法转换，没有导入：请在 Word 里"
                f"右键这张图片，选“另存为图片”存成 PNG 或 JPEG，放进 content/assets/，"
                f"再在正文里用 ![说明](../assets/文件名) 加上"
            )
            continue
        alt = "" if _MADE_UP_ALT.search(picture.alt) else reading.one_line(picture.alt)
        kept[index] = _Picture(data, suffix, alt)
    return kept


def _files(root: Path, ident: str, pictures: dict[int, _Picture]) -> dict[int, Path]:
    """A free name in assets/ for each picture: the record's id and its number (-1, -2…)."""
    assets = root / "assets"
    files: dict[int, Path] = {}
    number = 0
    for index, picture in pictures.items():
        number += 1
        candidate = assets / f"{ident}-{number}{picture.suffix}"
        while candidate.exists() or candidate.is_symlink() or candidate in files.values():
            number += 1
            candidate = assets / f"{ident}-{number}{picture.suffix}"
        files[index] = candidate
    return files


def _demote(blocks: list[markdown.Block]) -> None:
    """The body's headings start at ``##``: the page's own title is the only ``#``."""
    levels = [block.level for block in blocks if block.kind == "heading"]
    if not levels:
        return
    shift = 2 - min(levels)
    for block in blocks:
        if block.kind == "heading":
            block.level = max(2, min(6, block.level + shift))


def _date(request: Request, blocks: list[markdown.Block], ask: AskDate) -> str:
    """Set the record's date: the one the document states, else ``--date``, else asked.
    Returns where it came from, in words."""
    text = "\n".join([request.title, *(block.text for block in blocks if not block.internal)])
    stated = reading.stated_date(text)
    if stated is not None:
        date, words = stated
        given = request.date
        request.date = date
        said = f"日期 {date.isoformat()} 取自正文里的“{words}”"
        if given is not None and given != date:
            said += f"（没有用 --date {given.isoformat()}：正文写明了日期）"
        return said
    if request.date is not None:
        return f"日期 {request.date.isoformat()} 取自 --date（正文里没有写明日期）"
    request.date = ask()
    return f"日期 {request.date.isoformat()} 是你输入的"
