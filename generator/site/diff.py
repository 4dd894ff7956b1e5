"""``jiandi diff``: what the next build would change on the public site, for the reviewer
(保密审查) who must see it before it goes out.

The public edition is built as ``jiandi build`` would build it (same build folder, so its
caches are reused; same checks and leak guard) into a temporary folder, never into ``OUT``, and
compared with ``OUT/public`` as published. Pages (``.html``) and booklets (``.pdf``) are
compared by what a reader sees: a page's visible text, and the addresses of the images and
links in its content; a booklet's text. Markup that shows nothing (a stylesheet's file name) is
no change. For each changed page, the lines of visible text that changed are given.

Only the public edition is built and read: no internal page can be listed.
"""

from __future__ import annotations

import difflib
import hashlib
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal

Change = Literal["added", "changed", "removed"]
# A missing or outdated sign-off does not stop a diff: seeing what would change is what the
# reviewer needs before signing. The build itself still fails on them.
SIGNOFF_CODES = frozenset({"JD431", "JD432"})

# Elements whose text a reader does not see as text.
_SILENT = {"script", "style", "template", "noscript", "svg"}
_BLOCKS = {
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "caption", "h1", "h2", "h3",
    "h4", "h5", "h6", "br", "hr", "section", "article", "header", "footer", "nav", "aside",
    "main", "blockquote", "pre", "figure", "figcaption", "summary", "details", "title", "label",
    "button", "form", "body", "head", "html", "td", "th",
}  # fmt: skip


class _Reader(HTMLParser):
    """A page's visible text, as lines, split at block elements; the content (``<article>``)
    apart from the furniture around it; and the images and links of the content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.silent = 0
        self.article = 0
        self.lines: dict[str, list[str]] = {"content": [], "furniture": []}
        self.current: dict[str, list[str]] = {"content": [], "furniture": []}
        self.targets: list[str] = []

    def _where(self) -> str:
        return "content" if self.article else "furniture"

    def _flush(self) -> None:
        for where, parts in self.current.items():
            text = " ".join("".join(parts).split())
            if text:
                self.lines[where].append(text)
            parts.clear()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SILENT:
            self.silent += 1
        if tag in _BLOCKS:
            self._flush()
        if tag == "article":
            self.article += 1
        if self.article and not self.silent:
            values = dict(attrs)
            for key in ("src", "href") if tag in ("img", "a", "source") else ():
                if values.get(key):
                    self.targets.append(f"{tag} {values[key]}")
            if tag == "img" and values.get("alt"):
                self.current["content"].append(f"[图片：{values['alt']}]")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SILENT and self.silent:
            self.silent -= 1
        if tag in _BLOCKS:
            self._flush()
        if tag == "article" and self.article:
            self.article -= 1

    def handle_data(self, data: str) -> None:
        if not self.silent:
            self.current[self._where()].append(data)


@dataclass(frozen=True)
class Seen:
    """What a reader sees of one published file."""

    content: list[str]
    furniture: list[str]
    targets: list[str] = field(default_factory=list)


def seen(path: Path) -> Seen:
    """The visible text of a page, or the text of a booklet, as lines."""
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        try:
            reader = PdfReader(path)
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
        except Exception:  # noqa: BLE001 - a damaged PDF is compared by its bytes
            text = hashlib.sha256(path.read_bytes()).hexdigest()
        return Seen([line.strip() for line in text.splitlines() if line.strip()], [])
    reader_ = _Reader()
    reader_.feed(path.read_text("utf-8", errors="replace"))
    reader_.close()
    reader_._flush()
    return Seen(reader_.lines["content"], reader_.lines["furniture"], reader_.targets)


@dataclass(frozen=True)
class Difference:
    url: str  # from the site's root: /events/x/, /booklets/x.pdf
    change: Change
    title: str = ""
    removed: list[str] = field(default_factory=list)  # lines of text no longer there
    added: list[str] = field(default_factory=list)  # lines of text new on the page
    furniture: bool = False  # the navigation or footer changed too
    targets: bool = False  # an image or link in the content points elsewhere

    def as_json(self) -> dict[str, str]:
        return {"url": self.url, "change": self.change}


def _published(folder: Path) -> Iterator[tuple[str, Path]]:
    """The pages and booklets of a built edition, by URL."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".html", ".pdf") or not path.is_file() or path.is_symlink():
            continue
        relative = path.relative_to(folder).as_posix()
        if relative == "index.html":
            url = "/"
        elif relative.endswith("/index.html"):
            url = "/" + relative.removesuffix("index.html")
        else:
            url = "/" + relative
        yield url, path


def _title(view: Seen) -> str:
    return view.content[0] if view.content else ""


def compare(before: Path, after: Path) -> list[Difference]:
    """What changes from the edition in ``before`` (as published) to the one in ``after``."""
    old = dict(_published(before))
    new = dict(_published(after))
    found: list[Difference] = []
    for url in sorted(old.keys() | new.keys()):
        if url not in old:
            view = seen(new[url])
            found.append(Difference(url, "added", _title(view), added=view.content))
        elif url not in new:
            found.append(Difference(url, "removed", _title(seen(old[url]))))
        elif old[url].read_bytes() != new[url].read_bytes():
            a, b = seen(old[url]), seen(new[url])
            if a == b:
                continue  # markup only: nothing a reader sees
            removed, added = _lines(a.content, b.content)
            found.append(
                Difference(
                    url,
                    "changed",
                    _title(b),
                    removed,
                    added,
                    furniture=a.furniture != b.furniture,
                    targets=a.targets != b.targets,
                )
            )
    return found


def _lines(old: list[str], new: list[str]) -> tuple[list[str], list[str]]:
    removed: list[str] = []
    added: list[str] = []
    for line in difflib.unified_diff(old, new, lineterm="", n=0):
        if line.startswith(("---", "+++", "@@")):
            continue
        (removed if line.startswith("-") else added).append(line[1:])
    return removed, added


def build_and_compare(
    content: Path,
    out: Path,
    build_dir: Path,
    booklets: bool,
    progress: Callable[[str], None] = lambda _: None,
) -> list[Difference]:
    """Build the public edition into a temporary folder and compare it with ``out/public``.
    Nothing is written to ``out``; the temporary folder is removed whatever happens."""
    from generator.site.build import build_editions
    from generator.site.output import MARKER, NotOurs

    published = out / "public"
    if published.exists() or published.is_symlink():
        mark = published / MARKER
        marked = mark.read_text("utf-8", errors="replace") if mark.is_file() else ""
        if published.is_symlink() or not published.is_dir() or marked != "jiandi public edition\n":
            raise NotOurs(
                published,
                f"{published} 不是 jiandi 生成的公开版（它是符号链接、内部版，或不是 jiandi 生成的"
                f"文件夹）：jiandi diff 只和已发布的公开版比较，请用 --out 指定正确的输出文件夹",
            )
    scratch = Path(tempfile.mkdtemp(prefix="jiandi-diff-"))
    try:
        built = build_editions(
            content,
            scratch / "out",
            build_dir,
            ("public",),
            progress,
            booklets=booklets,
            tolerate=SIGNOFF_CODES,
        )
        return compare(published, built["public"])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


WORDS = {"added": "新增", "changed": "改动", "removed": "删除"}


def described(found: list[Difference], published: Path) -> Iterator[tuple[str, str | None]]:
    """The differences as lines for the terminal, each with its colour (or None)."""
    if not published.is_dir():
        yield f"{published} 还没有发布过：下面列出的都是新增。", None
    if not found:
        yield f"与 {published} 相比，公开网站没有读者看得到的变化。", None
        return
    counts = {word: sum(1 for d in found if d.change == change) for change, word in WORDS.items()}
    yield (
        (
            f"与 {published} 相比，这次构建会让公开网站：新增 {counts['新增']} 个、"
            f"改动 {counts['改动']} 个、删除 {counts['删除']} 个页面或 PDF（内部版不在其中）。"
        ),
        None,
    )
    # Pages whose content is as it was (the navigation gained a year, say): one line for all.
    around = [d for d in found if d.change == "changed" and not (d.removed or d.added or d.targets)]
    for d in found:
        if d in around:
            continue
        yield f"\n{WORDS[d.change]}  {d.url}  {d.title}", "bold"
        yield from ((f"    - {line}", "red") for line in d.removed)
        yield from ((f"    + {line}", "green") for line in d.added if d.change == "changed")
        if d.targets:
            yield "    （正文里的图片或链接有改动）", None
    if around:
        yield (
            (
                f"\n另有 {len(around)} 个页面正文没有变化，只是导航、页眉或页脚有改动"
                f"（例如导航里多了一个年份）：{'、'.join(d.url for d in around[:8])}"
                f"{' 等' if len(around) > 8 else ''}"
            ),
            None,
        )
