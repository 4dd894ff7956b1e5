"""Running the output checks (published.py) over a staged public edition: the context they
need, the pages found clean by an earlier build under the same context (``CleanPages``), and
the findings reported at the content file and line they came from (``report``)."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from pathlib import Path
from typing import Any

from generator.caches import published_key
from generator.content import personal
from generator.content.normal import visible
from generator.guard.published import Context, Finding
from generator.problems import Problems


class CleanPages:
    """Files the output checks found clean, by digest, kept in the build folder for the next
    build. Valid only under the same context: the same set of files, address, allowed hosts,
    public numbers and internal pages, and the same code of the checks; anything else, or
    anything unreadable, starts empty."""

    def __init__(self, path: Path, context: Context):
        self.path = path
        self.key = _context_key(context)
        self.known: frozenset[str] = frozenset()
        try:
            stored = json.loads(path.read_text("utf-8"))
            if stored.get("key") == self.key:
                self.known = frozenset(stored["clean"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass

    def save(self, clean: list[str]) -> None:
        try:
            partial = self.path.with_name(self.path.name + ".part")
            partial.write_text(json.dumps({"key": self.key, "clean": sorted(set(clean))}), "utf-8")
            partial.replace(self.path)
        except OSError:
            pass  # a cache: the next build reads everything again


def _context_key(context: Context) -> str:
    return published_key(
        {
            "files": sorted(context.files),
            "site_url": context.site_url,
            "hosts": sorted(context.allowed_hosts),
            "numbers": sorted(context.public_numbers),
            "internal": sorted(context.internal_pages),
        }
    )


def prepare(
    site: Path, corpus: Any, base: dict[str, Any], cache: Path
) -> tuple[Context, CleanPages]:
    """The Context of the staged public edition at ``site``, with the pages found clean before
    under it (``cache``: the build folder's published-clean.json)."""
    from generator.config import allowed_hosts

    context = context_for(site, corpus, base, allowed_hosts(base))
    pages = CleanPages(cache, context)
    return dataclasses.replace(context, clean=pages.known), pages


def context_for(site: Path, corpus: Any, base: dict[str, Any], allowed_hosts: list[str]) -> Context:
    """The Context of the staged public edition at ``site``."""
    files = set()
    for path in site.rglob("*"):
        relative = path.relative_to(site).as_posix()
        files.add(relative + "/" if path.is_dir() else relative)
    numbers = {
        digits
        for entry in corpus.all()
        if entry.public
        for digits in personal.allowed_numbers(entry)
    }
    internal = {entry.ref: entry.ref for entry in corpus.all() if not entry.public}
    return Context(
        frozenset(files),
        str(base.get("site_url") or ""),
        frozenset(h.lower() for h in allowed_hosts),
        frozenset(numbers),
        internal,
    )


def _line_with(text: str, needle: str) -> int | None:
    """The first line of ``text`` that holds ``needle`` (digits: however the line splits them)."""
    digits = needle.isdigit()
    for number, line in enumerate(text.split("\n"), start=1):
        seen = visible(html.unescape(line))
        if digits:
            seen = re.sub(r"\D", "", personal.normalise(seen))
        if needle in seen:
            return number
    return None


def report(findings: list[Finding], corpus: Any, base_file: Path, shown_at: Path) -> Problems:
    """The findings as problems, each at the content file and line it came from where that can
    be found (the record the page shows first, then every public record, then mkdocs.yml and
    topics.yml), else at the output file (``shown_at`` / output file)."""
    problems = Problems()
    texts: dict[Path, str] = {}

    def text_of(path: Path) -> str:
        if path not in texts:
            try:
                texts[path] = path.read_text("utf-8")
            except OSError:
                texts[path] = ""
        return texts[path]

    public = [entry.path for entry in corpus.all() if entry.public]
    for relative, code, message, needle in findings:
        page = relative.removesuffix("/index.html").removesuffix(".html")
        own = corpus.get(page)
        candidates = (
            ([own.path] if own is not None and own.public else [])
            + public
            + [base_file, corpus.root / "topics.yml"]
        )
        for path in candidates:
            line = _line_with(text_of(path), needle) if needle else None
            if line is not None:
                problems.add(code, path, line, message)
                break
        else:
            problems.add(code, shown_at / relative, 1, message)
    return problems
