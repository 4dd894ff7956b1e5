"""Booklets printed: the booklets every edition carries, set by Typst (booklets/typeset.py) and
printed side by side by the editions' processes. Finished PDFs are cached by their Typst source
(caches.booklet_key), so an unchanged booklet is never printed twice.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.booklets import typeset
from generator.booklets.selection import Booklet, bureau_booklet, handbook
from generator.caches import booklet_key
from generator.editions import Edition
from generator.problems import Problems
from generator.workflow import register


def write(booklet: Booklet, target: Path, templates: Path, base: dict[str, Any]) -> None:
    """Set and print one booklet to ``target``."""
    typeset.write_pdf(typeset.render_typst(booklet, typeset.environment(templates), base), target)


def site_booklets(edition: Edition, recent_months: int) -> list[tuple[str, Booklet]]:
    """The booklets every edition carries: one briefing per bureau it shows, and the handbook;
    each the latest issue in the register (content/booklets.yml), if it has one."""
    listed = register.read(edition.corpus.root, Problems())  # checked by jiandi check
    items = [
        (
            f"booklets/bureaus/{b.id}.pdf",
            bureau_booklet(
                edition, b, None, recent_months, register.imprint_of(listed, f"bureaus/{b.id}")
            ),
        )
        for b in edition.bureaus
    ]
    items.append(
        ("booklets/handbook.pdf", handbook(edition, register.imprint_of(listed, "handbook")))
    )
    return items


@dataclass(frozen=True)
class SideBySide:
    """Editions whose booklets other processes are printing at the same time, and the folder
    (one per build) where each process claims a booklet before printing it. A process that has
    printed its own edition's booklets goes on with the others' that nobody claimed yet: the
    internal edition's briefings are longer, and printing each edition's own took 31 s against
    27 s for the 1,000-record benchmark."""

    editions: tuple[str, ...]
    claims: Path


def publish_booklets(
    edition: Edition,
    docs: Path,
    templates: Path,
    base: dict[str, Any],
    cache: Path,
    recent_months: int,
    claims: Path | None = None,
    others: Sequence[Edition] = (),
) -> list[Path]:
    """Print the edition's booklets into ``docs`` (reusing cached PDFs of identical source); with
    ``claims``, help print the ``others`` editions' booklets too (see SideBySide)."""
    env = typeset.environment(templates)
    cache.mkdir(parents=True, exist_ok=True)
    printer = _Printer(cache, claims)
    mine = []
    for name, booklet in _in_print_order(edition, recent_months):
        source = typeset.render_typst(booklet, env, base)
        job = f"{edition.name}:{name}"
        if printer.claim(job):
            printer.print(source, job)
        mine.append((name, source, job))
    for other in others if claims else ():
        # From the end of the other edition's list: the two processes meet in its middle.
        for name, booklet in reversed(_in_print_order(other, recent_months)):
            job = f"{other.name}:{name}"
            if printer.claim(job):
                printer.print(typeset.render_typst(booklet, env, base), job)
    written: list[Path] = []
    for name, source, job in mine:
        cached = printer.wait_for(source, job)
        os.utime(cached)  # recently used: kept by the pruning below
        target = docs / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, target)
        written.append(cached)
    prune(cache)
    return written


def _in_print_order(edition: Edition, recent_months: int) -> list[tuple[str, Booklet]]:
    """The longest briefings first, so that the processes printing side by side end on short
    ones (see SideBySide). The handbook, the same in both editions, comes last in the public
    edition and first in the internal one: the second to reach it finds it printed."""
    items = site_booklets(edition, recent_months)
    briefings = sorted(
        (item for item in items if item[1].kind == "bureau"),
        key=lambda item: (-_length(item[1]), item[0]),
    )
    rest = [item for item in items if item[1].kind != "bureau"]
    return [*rest, *briefings] if edition.internal else [*briefings, *rest]


def _length(booklet: Booklet) -> int:
    """Roughly how much a booklet prints: the text it shows in full, and a line per earlier
    event."""
    shown = [
        *([booklet.bureau] if booklet.bureau else []),
        *booklet.agreements,
        *booklet.events,
        *booklet.policies,
    ]
    return sum(
        len(segment.text)
        for entry in shown
        for segment in entry.segments
        if booklet.edition.internal or not segment.internal
    ) + 100 * len(booklet.earlier)


class _Printer:
    """Prints booklets into the cache, named by the hash of their source. With ``claims`` (see
    SideBySide), each booklet of the build ("edition:path") is printed by the one process that
    claimed it first; the edition's own process waits for it."""

    def __init__(self, cache: Path, claims: Path | None):
        self.cache, self.claims = cache, claims

    def cached(self, source: str) -> Path:
        return self.cache / (booklet_key(source) + ".pdf")

    def print(self, source: str, job: str) -> Path:
        """Print ``source`` unless it is cached already; its cache path."""
        cached = self.cached(source)
        if not cached.exists():
            partial = cached.with_suffix(f".{os.getpid()}.tmp")
            try:
                typeset.write_pdf(source, partial)
                os.replace(partial, cached)
            except BaseException:
                partial.unlink(missing_ok=True)
                if self.claims is not None:
                    self._claim_file(job).unlink(missing_ok=True)  # let another print it
                raise
        if self.claims is not None:  # done: say which source was printed (see wait_for)
            with contextlib.suppress(OSError), self._claim_file(job).open("a") as claim:
                claim.write("\n" + cached.stem)
        return cached

    def wait_for(self, source: str, job: str) -> Path:
        """The cache path of ``source``, once printed by whoever claimed ``job``; printed here if
        that process is gone."""
        cached = self.cached(source)
        while not cached.exists():
            if self._claimer_gone(job) and self.claim(job, again=True):
                self.print(source, job)
            elif self._printed_other(job, cached.stem):
                # The claimer printed this booklet from a source other than this process's: the
                # edition's own source is the one it publishes.
                self.print(source, job)
            else:
                time.sleep(0.05)
        return cached

    def _printed_other(self, job: str, key: str) -> bool:
        try:
            lines = self._claim_file(job).read_text().split("\n")
        except OSError:
            return False
        return len(lines) > 1 and lines[-1] != key

    def _claim_file(self, job: str) -> Path:
        assert self.claims is not None
        return self.claims / (re.sub(r"[^A-Za-z0-9_.-]", "_", job) + ".claim")

    def claim(self, job: str, again: bool = False) -> bool:
        """Whether this process is to print ``job`` (always, when printing alone)."""
        if self.claims is None:
            return True
        claim = self._claim_file(job)
        if again:
            claim.unlink(missing_ok=True)
        try:
            self.claims.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return False
        with os.fdopen(descriptor, "w") as file:
            file.write(str(os.getpid()))
        return True

    def _claimer_gone(self, job: str) -> bool:
        if self.claims is None:
            return True
        claim = self._claim_file(job)
        try:
            written = claim.read_text().split("\n")[0]
            pid = int(written) if written else None
        except (OSError, ValueError):
            return True  # the claimer failed and let go
        if pid is None:  # being written, or its process died right after claiming
            try:
                return time.time() - claim.stat().st_mtime > 10
            except OSError:
                return True
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass
        return False


def prune(cache: Path, days: int = 30) -> None:
    """Forget cached PDFs nobody used for ``days`` days, and claims of builds that were
    interrupted a day ago or more (see SideBySide)."""
    limit = time.time() - days * 86400
    for path in cache.glob("*.pdf"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
    for folder in cache.glob("claims-*"):
        if folder.stat().st_mtime < time.time() - 86400:
            shutil.rmtree(folder, ignore_errors=True)


def may_replace(target: Path) -> bool:
    """Whether a booklet may be written at ``target``: nothing is there, or a booklet jiandi
    printed before (never a user's own file)."""
    if not (target.exists() or target.is_symlink()):
        return True
    if not target.is_file() or target.is_symlink() or target.read_bytes()[:5] != b"%PDF-":
        return False
    try:
        from pypdf import PdfReader

        metadata = PdfReader(target).metadata
        info: Any = metadata or {}
        producer, creator = str(info.get("/Producer", "")), str(info.get("/Creator", ""))
        keywords = [k.strip() for k in str(info.get("/Keywords", "")).split(",")]
    except Exception:  # noqa: BLE001 - not a PDF pypdf can read: not ours either
        return False
    # jiandi's booklets are Typst's, with the keyword "jiandi"; its earlier ones, WeasyPrint's
    # with the programme's keyword.
    if creator.startswith("Typst "):
        return "jiandi" in keywords
    return producer.startswith("WeasyPrint") and "监地共建" in keywords
