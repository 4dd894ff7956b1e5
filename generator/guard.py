"""The leak guard: after the public edition is built, and before it is published, every byte of
it is searched for fingerprints of internal content. Any hit fails the build.

Fingerprints are the distinctive sentences, titles, ids and field values of internal records,
``::: internal`` sections and ``internal:`` fields, minus anything that public content also says
(so ordinary shared words never raise an alarm). Output is normalised before the search: HTML
entities and tags, JSON escapes, URL escapes, gzip, NFKC, zero-width characters and whitespace.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote

from generator.load import Corpus, Entry
from generator.problems import Problems
from generator.yamlstrict import LineList, LineMap

MIN_CHARS = 8  # a fingerprint shorter than this is too likely to be an ordinary phrase
_SPLIT = re.compile(r"[。！？；\n]|[.!?;](?=\s)")
_MARKUP = re.compile(r"[\s*_`#>|\[\]()~:：,，、“”\"'‘’·.\-]+")
_DATE = re.compile(r"\s*\d{4}-\d{1,2}(-\d{1,2})?\s*")  # dates are not distinctive
_TAGS = re.compile(r"<[^>]*>")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
TEXT_SUFFIXES = {".html", ".htm", ".xml", ".json", ".js", ".css", ".txt", ".svg", ".gz", ".map",
                 ".atom", ".rss"}


@dataclass(frozen=True)
class Fingerprint:
    key: str  # normalised text searched for
    text: str  # as written, for the message
    entry: Entry
    line: int
    what: str  # "内部记录标题", "内部段落", "内部字段 internal.notes", …


def squash(text: str) -> str:
    """The comparable core of a text: NFKC, no zero-width characters, markup or spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _ZERO_WIDTH.sub("", text)
    return _MARKUP.sub("", text).lower()


def _sentences(text: str) -> Iterator[str]:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # link text only
    for piece in _SPLIT.split(text):
        piece = piece.strip()
        if piece:
            yield piece


def _field_values(node: Any, line: int, path: str) -> Iterator[tuple[str, int, str]]:
    if isinstance(node, LineMap):
        for key, value in node.items():
            yield from _field_values(value, node.key_lines.get(key, line), f"{path}.{key}")
    elif isinstance(node, LineList):
        for index, (item, item_line) in enumerate(zip(node, node.item_lines)):
            yield from _field_values(item, item_line, f"{path}.{index}")
    elif node is not None and not isinstance(node, bool):
        yield str(node), line, path


def _candidates(entry: Entry) -> Iterator[tuple[str, int, str]]:
    """(text, line, what) of everything internal in one record."""
    if not entry.public:
        yield entry.data.title, entry.line("title"), "内部记录的标题"
        yield entry.ref, 1, "内部记录的编号"
        yield entry.id, 1, "内部记录的编号"
        for key, value in entry.raw.items():
            if key not in ("title", "visibility", "topics", "bureaus", "date"):
                yield from _field_values(value, entry.raw.key_lines.get(key, 1), key)
        for segment in entry.segments:
            for offset, line in enumerate(segment.text.split("\n")):
                for sentence in _sentences(line):
                    yield sentence, segment.line + offset, "内部记录的正文"
        return
    internal = entry.raw.get("internal")
    if internal is not None:
        yield from _field_values(internal, entry.raw.key_lines.get("internal", 1), "internal")
    for segment in entry.segments:
        if segment.internal:
            for offset, line in enumerate(segment.text.split("\n")):
                for sentence in _sentences(line):
                    yield sentence, segment.line + offset, "“::: internal” 段落"


def public_text(corpus: Corpus) -> str:
    """Everything public content says, squashed: what the public edition may legitimately show."""
    parts: list[str] = [t.name + t.description for t in corpus.topics.values()]
    for entry in corpus.all():
        if not entry.public:
            continue
        for key, value in entry.raw.items():
            if key != "internal":
                parts.extend(text for text, _line, _path in _field_values(value, 1, key))
        parts.extend(s.text for s in entry.segments if not s.internal)
        parts.append(entry.ref)
    return "\n".join(squash(p) for p in parts)


def fingerprints(corpus: Corpus, extra_public: str = "") -> list[Fingerprint]:
    """Distinctive internal texts that public content does not also contain."""
    shared = public_text(corpus) + "\n" + squash(extra_public)
    found: dict[str, Fingerprint] = {}
    for entry in corpus.all():
        for text, line, what in _candidates(entry):
            key = squash(text)
            if len(key) < MIN_CHARS or key in shared or key in found or _DATE.fullmatch(text):
                continue
            found[key] = Fingerprint(key, text, entry, line, what)
    return list(found.values())


def _json_strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _json_strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _json_strings(item)


def pdf_text(path: Path) -> str:
    """The text and metadata of a PDF (what a reader can copy or search), or its raw bytes."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        parts = [str(v) for v in (reader.metadata or {}).values()]
        parts += [page.extract_text() or "" for page in reader.pages]
        parts += [item.title for item in _outline(reader.outline)]
    except (PyPdfError, ValueError, KeyError, OSError):
        return path.read_bytes().decode("latin-1")
    return "\n".join(parts)


def _outline(items: Any) -> Iterator[Any]:
    for item in items:
        if isinstance(item, list):
            yield from _outline(item)
        else:
            yield item


def readable(path: Path) -> str:
    """The text of an output file as a reader or a crawler could see it, normalised."""
    if path.suffix.lower() == ".pdf":
        return squash(pdf_text(path))
    data = path.read_bytes()
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except OSError:
            pass
    text = html.unescape(data.decode("utf-8", errors="ignore"))
    # As written (attributes included), and without tags (a sentence split by <strong>…).
    views = [text, _TAGS.sub("", text)]
    if "%" in text:
        views.append(unquote(text))
    if path.suffix == ".json":
        try:
            views.append("\n".join(_json_strings(json.loads(data))))
        except ValueError:
            pass
    return "\n".join(squash(v) for v in views)


def scan(site: Path, prints: list[Fingerprint]) -> Problems:
    """Search every file (and every file and folder name) under ``site`` for ``prints``.

    All fingerprints are searched in one pass per file (Aho–Corasick): a loop over thousands of
    fingerprints per file made the guard the slowest stage of a build."""
    import ahocorasick

    problems = Problems()
    if not prints:
        return problems
    automaton = ahocorasick.Automaton()
    for index, fp in enumerate(prints):
        automaton.add_word(fp.key, index)
    automaton.make_automaton()
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        haystacks = [squash(unquote(relative))]
        if path.is_file() and (path.suffix.lower() in TEXT_SUFFIXES or path.stat().st_size < 2**20
                               or path.suffix.lower() == ".pdf"):
            haystacks.append(readable(path))
        found = sorted({index for _end, index in automaton.iter("\n".join(haystacks))})
        for index in found:
            fp = prints[index]
            problems.add("JD801", fp.entry.path, fp.line,
                         f"泄漏检查：{fp.what}（“{fp.text[:30]}”）出现在公开版的 {relative} 中。"
                         f"公开版没有发布；这是模板或生成器的问题，请报告维护人员")
    return problems
