"""The leak guard: after the public edition is built, and before it is published, every byte of
it is searched for fingerprints of internal content. Any hit fails the build.

Fingerprints are the distinctive sentences, titles, ids and field values of internal records,
``::: internal`` sections and ``internal:`` fields, minus anything that public content also says
(so ordinary shared words never raise an alarm). Output is normalised before the search: HTML
entities and tags, JSON escapes, URL escapes, gzip, NFKC, zero-width characters and whitespace.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import html
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from generator.caches import guard_key
from generator.content.corpus import Corpus, Entry
from generator.content.normal import BLOCK_TAG
from generator.content.yamlstrict import leaves
from generator.media.attachments import pdf_text
from generator.problems import Problems

MIN_CHARS = 8  # a fingerprint shorter than this is too likely to be an ordinary phrase
_SPLIT = re.compile(r"[。！？；\n]|[.!?;](?=\s)")
# Markup, punctuation, spaces and zero-width characters: left out of what is compared (one
# pass: the guard runs this over every byte of the public edition).
_MARKUP = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff\u00ad" r"\s*_`#>|\[\]()~:：,，、“”\"'‘’·.\-]+"
)
_DATE = re.compile(r"\s*\d{4}-\d{1,2}(-\d{1,2})?\s*")  # dates are not distinctive
TAGS = re.compile(r"<[^>]*>")
# Where a block element ended: kept by squash (it is not markup, space or punctuation), so two
# texts side by side in separate blocks are never read as one sentence. A private-use character
# no fingerprint holds.
BLOCK_END = "\ue000"
# fmt: off
TEXT_SUFFIXES = {
    ".html", ".htm", ".xml", ".json", ".js", ".css", ".txt", ".svg", ".gz", ".map", ".atom", ".rss",
}
# fmt: on


@dataclass(frozen=True)
class Fingerprint:
    key: str  # normalised text searched for
    text: str  # as written, for the message
    entry: Entry
    line: int
    what: str  # "内部记录标题", "内部段落", "内部字段 internal.notes", …


# Front matter keys whose values only the internal edition shows, in every record.
INTERNAL_KEYS = ("internal", "review")


def squash(text: str) -> str:
    """The comparable core of a text: NFKC, no zero-width characters, markup or spaces."""
    text = unicodedata.normalize("NFKC", text)
    return _MARKUP.sub("", text).lower()


def _sentences(text: str) -> Iterator[str]:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # link text only
    for piece in _SPLIT.split(text):
        piece = piece.strip()
        if piece:
            yield piece


def _candidates(entry: Entry) -> Iterator[tuple[str, int, str]]:
    """(text, line, what) of everything internal in one record."""
    if not entry.public:
        yield entry.data.title, entry.line("title"), "内部记录的标题"
        yield entry.ref, 1, "内部记录的编号"
        yield entry.id, 1, "内部记录的编号"
        for key, value in entry.raw.items():
            if key not in ("title", "visibility", "topics", "bureaus", "date"):
                yield from leaves(value, entry.raw.key_lines.get(key, 1), key)
        for segment in entry.segments:
            for offset, line in enumerate(segment.text.split("\n")):
                for sentence in _sentences(line):
                    yield sentence, segment.line + offset, "内部记录的正文"
        return
    for key in INTERNAL_KEYS:  # the internal fields, and the sign-offs of a public record
        value = entry.raw.get(key)
        if value is not None:
            yield from leaves(value, entry.raw.key_lines.get(key, 1), key)
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
            if key not in INTERNAL_KEYS:
                parts.extend(text for text, _line, _path in leaves(value, 1, key))
        parts.extend(s.text for s in entry.segments if not s.internal)
        parts.append(entry.ref)
    return "\n".join(squash(p) for p in parts)


def _automaton(keys: Iterable[str]) -> Any:
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for index, key in enumerate(keys):
        automaton.add_word(key, index)
    automaton.make_automaton()
    return automaton


def fingerprints(corpus: Corpus, extra_public: str = "") -> list[Fingerprint]:
    """Distinctive internal texts that public content does not also contain."""
    found: dict[str, Fingerprint] = {}
    for entry in corpus.all():
        for text, line, what in _candidates(entry):
            key = squash(text)
            if len(key) >= MIN_CHARS and key not in found and not _DATE.fullmatch(text):
                found[key] = Fingerprint(key, text, entry, line, what)
    if not found:
        return []
    # Drop what public content also says: one pass over all public text for all candidates.
    candidates = list(found.values())
    shared = public_text(corpus) + "\n" + squash(extra_public)
    said = {index for _end, index in _automaton(fp.key for fp in candidates).iter(shared)}
    return [fp for index, fp in enumerate(candidates) if index not in said]


def json_strings(node: Any) -> Iterator[str]:
    """Every string of loaded JSON data, keys included."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from json_strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from json_strings(item)


def readable(path: Path, seen_tags: set[str] | None = None, data: bytes | None = None) -> str:
    """The text of an output file as a reader or a crawler could see it, normalised.
    ``seen_tags``: see ``_views``; ``data``: the file's bytes, if already read."""
    if path.suffix.lower() == ".pdf":
        return squash(pdf_text(path))
    if data is None:
        data = path.read_bytes()
    if path.suffix == ".gz":
        with contextlib.suppress(OSError):  # not gzip after all: read as it is
            data = gzip.decompress(data)
    return _views(data.decode("utf-8", errors="ignore"), seen_tags)


def _views(raw: str, seen_tags: set[str] | None = None) -> str:
    """Two views that together hold every character once: the text between tags (a sentence
    split by <strong> is whole again), and the tags themselves (attribute values, comments),
    each after HTML entities are decoded; tags that were written escaped are split off too.
    Plus both URL-decoded when there is a % in them.

    Block elements end a text (BLOCK_END): the texts of neighbouring blocks never run together
    into a sentence nobody wrote. Tags are kept apart (an attribute value never runs on into
    the next tag), so a tag already
    searched in another file (``seen_tags``: the theme's header, navigation and footer repeat
    on every page) need not be searched again."""
    tags = TAGS.findall(raw)
    text = html.unescape(TAGS.sub("", BLOCK_TAG.sub(BLOCK_END, raw)))
    if "<" in text:
        tags += TAGS.findall(text)
        text = TAGS.sub("", BLOCK_TAG.sub(BLOCK_END, text))
    if seen_tags is not None:
        tags = [tag for tag in dict.fromkeys(tags) if tag not in seen_tags]
        seen_tags.update(tags)
    views = [text, html.unescape("\0".join(tags))]
    views += [unquote(v) for v in views if "%" in v]
    return "\n".join(squash(v) for v in views)


def json_pieces(data: bytes) -> list[str] | None:
    """The strings (keys included) of a JSON file's bytes, or None when it is not JSON.

    Every character a reader of the data could get is in one of them (numbers are too short to
    be fingerprints); read one by one, the guard need not read again the ones it found clean
    before, which matters for the search index, rewritten whole after any edit."""
    try:
        return list(json_strings(json.loads(data)))
    except (ValueError, UnicodeDecodeError):
        return None


def _hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


class CleanFiles:
    """Files the guard found clean before, by content hash, and the fingerprints it looked for.

    A file with the same bytes is clean again as long as no new fingerprint was added (editing
    public records, the usual case, never adds one); so is each string of a JSON file. Kept
    under the build folder; anything unreadable there is treated as an empty cache."""

    def __init__(self, path: Path | None, prints: list[Fingerprint]):
        self.path = path
        self.keys = sorted({_hash(fp.key.encode()) for fp in prints})
        self.code = guard_key()
        self.files: dict[str, list[str]] = {}  # file digest → digests of its JSON strings
        self.clean: dict[str, list[str]] = {}
        self.pieces: set[str] = set()
        if path is None:
            return
        try:
            stored = json.loads(path.read_text("utf-8"))
            if stored["code"] == self.code and set(self.keys) <= set(stored["fingerprints"]):
                self.files = dict(stored["clean"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        self.pieces = {h for hashes in self.files.values() for h in hashes}

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".part")
        partial.write_text(
            json.dumps({"code": self.code, "fingerprints": self.keys, "clean": self.clean}), "utf-8"
        )
        partial.replace(self.path)


def paths(site: Path) -> list[str]:
    """Every file and folder under ``site``, relative, in a stable order."""
    return [path.relative_to(site).as_posix() for path in sorted(site.rglob("*"))]


def parts(site: Path, relatives: list[str], count: int) -> list[list[str]]:
    """``relatives`` in ``count`` parts of about the same number of bytes (largest first)."""
    sizes = {r: (site / r).stat().st_size if (site / r).is_file() else 0 for r in relatives}
    loads = [0] * count
    shares: list[list[str]] = [[] for _ in range(count)]
    for relative in sorted(relatives, key=lambda r: -sizes[r]):
        lightest = loads.index(min(loads))
        shares[lightest].append(relative)
        loads[lightest] += sizes[relative] + 1
    return [sorted(share) for share in shares if share]


Hits = list[tuple[str, list[int]]]


def scan_part(
    site: Path,
    relatives: list[str],
    keys: list[str],
    known_files: dict[str, list[str]],
    known_pieces: set[str],
) -> tuple[Hits, dict[str, list[str]]]:
    """Search the files and names ``relatives`` for the fingerprint ``keys``. Returns, per
    name with a hit, the indexes of the keys found, and the digests of the files found clean
    (for CleanFiles). Runs in any process: it takes and returns plain data only."""
    automaton = _automaton(keys)
    seen_tags: set[str] = set()
    hits: Hits = []
    cleaned: dict[str, list[str]] = {}
    for relative in relatives:
        path = site / relative
        haystacks = [squash(unquote(relative))]
        digest, hashes = "", []
        if path.is_file() and (
            path.suffix.lower() in TEXT_SUFFIXES
            or path.stat().st_size < 2**20
            or path.suffix.lower() == ".pdf"
        ):
            data = path.read_bytes()
            digest = _hash(data)
            if digest in known_files:
                hashes = known_files[digest]
            else:
                pieces = json_pieces(data) if path.suffix == ".json" else None
                if pieces is None:
                    haystacks.append(readable(path, seen_tags, data))
                else:
                    hashes = [_hash(piece.encode()) for piece in pieces]
                    haystacks.extend(
                        _views(piece)
                        for piece, h in zip(pieces, hashes, strict=True)
                        if h not in known_pieces
                    )
        found = sorted({index for _end, index in automaton.iter("\n".join(haystacks))})
        if found:
            hits.append((relative, found))
        elif digest:
            cleaned[digest] = hashes
    return hits, cleaned


def report(
    hits: Hits, cleaned: dict[str, list[str]], prints: list[Fingerprint], clean: CleanFiles
) -> Problems:
    """The leaks found by ``scan_part`` (in one or more parts) as problems; with none, remember
    the clean files for the next build."""
    problems = Problems()
    for relative, found in hits:
        for index in found:
            fp = prints[index]
            problems.add(
                "JD801",
                fp.entry.path,
                fp.line,
                f"泄漏检查：{fp.what}（“{fp.text[:30]}”）出现在公开版的 {relative} 中。"
                f"公开版没有发布；这是模板或生成器的问题，请报告维护人员",
            )
    if not problems:
        clean.clean = cleaned
        clean.save()
    return problems


def scan(site: Path, prints: list[Fingerprint], cache: Path | None = None) -> Problems:
    """Search every file (and every file and folder name) under ``site`` for ``prints``.

    All fingerprints are searched in one pass per file (Aho–Corasick): a loop over thousands of
    fingerprints per file made the guard the slowest stage of a build. With ``cache``, files
    found clean by an earlier build with the same bytes are not read again (see CleanFiles).
    ``jiandi build`` of both editions runs the parts of this on both cores instead
    (site.build_editions)."""
    if not prints:
        return Problems()
    clean = CleanFiles(cache, prints)
    hits, cleaned = scan_part(
        site, paths(site), [fp.key for fp in prints], clean.files, clean.pieces
    )
    return report(hits, cleaned, prints, clean)
