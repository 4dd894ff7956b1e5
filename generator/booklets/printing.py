"""Booklets to HTML (Jinja2 templates in ``templates/booklet/``) and to PDF (WeasyPrint).

Bodies use the same Markdown extensions as the site; links between records point inside the
booklet or become plain text; charts are SVG drawn here. Finished PDFs are cached by the hash of
their HTML, so an unchanged booklet is never printed twice.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from generator.booklets import pdf
from generator.booklets.selection import Booklet, bureau_booklet, handbook
from generator.config import markdown_settings
from generator.content.html_policy import clean
from generator.content.load import Entry
from generator.editions import Edition
from generator.site import charts, render

# Markdown → HTML for booklets --------------------------------------------------------------

class _Links(Treeprocessor):
    """Links between records point inside the booklet, or become plain text; headings move
    down so that a record's own headings sit below its title; images use absolute paths."""

    def __init__(self, md: markdown.Markdown, booklet: Booklet, entry: Entry):
        super().__init__(md)
        self.booklet = booklet
        self.entry = entry
        self.present = {e.ref for e in booklet.records()}

    def run(self, root: ET.Element) -> None:
        corpus = self.booklet.edition.corpus
        for element in root.iter():
            if element.tag in ("h1", "h2", "h3", "h4"):
                element.tag = f"h{min(int(element.tag[1]) + 2, 6)}"
                element.attrib.pop("id", None)
            elif element.tag == "a":
                href = element.get("href", "")
                if re.match(r"^[a-z]+:", href) or href.startswith("#"):
                    continue
                target = os.path.normpath(os.path.join(self.entry.path.parent,
                                                       href.split("#")[0]))
                relative = os.path.relpath(target, corpus.root).removesuffix(".md")
                record = corpus.find(relative)
                if record is not None and record.ref in self.present:
                    element.set("href", "#" + anchor(record))
                else:
                    element.attrib.pop("href", None)
                    element.tag = "span"
            elif element.tag == "img":
                source = os.path.normpath(os.path.join(self.entry.path.parent,
                                                       element.get("src", "")))
                element.set("src", Path(source).as_uri())


class _LinksExtension(Extension):
    def __init__(self, booklet: Booklet, entry: Entry):
        super().__init__()
        self.booklet, self.entry = booklet, entry

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_Links(md, self.booklet, self.entry), "jiandi_links", 1)


def anchor(entry: Entry) -> str:
    return f"{entry.kind}-{entry.id}"


def body_html(booklet: Booklet, entry: Entry, base: dict[str, Any]) -> Markup:
    names, configs = markdown_settings(base)
    converter = markdown.Markdown(extensions=[*names, _LinksExtension(booklet, entry)],
                                  extension_configs=configs)
    return Markup(clean(converter.convert(booklet.edition.body(entry))))


# Charts and figures ------------------------------------------------------------------------

def activity(booklet: Booklet) -> tuple[list[str], list[charts.Series]]:
    """Every month of the booklet's events, and per bureau its number of events in each."""
    months = charts.month_range(booklet.events, limit=None)
    return months, charts.activity(booklet.edition.bureaus, booklet.events, months)


def figures_of(booklet: Booklet) -> list[tuple[Any, Entry]]:
    if booklet.bureau is not None:
        return booklet.edition.key_figures(booklet.bureau)
    return [(f, e) for e in booklet.events for f in e.data.figures]  # type: ignore[attr-defined]


# Rendering ---------------------------------------------------------------------------------

def environment(templates: Path) -> jinja2.Environment:
    env = render.environment(templates)
    env.filters["chinese_number"] = chinese_number
    return env


def chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n <= 10:
        return "十" if n == 10 else digits[n]
    if n < 20:
        return "十" + digits[n - 10]
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


def chapters(booklet: Booklet) -> list[tuple[str, str, list[Entry]]]:
    """The chapters of a bureau briefing: (anchor, title, records listed in the contents)."""
    items = [("ch-about", "基本情况", []), ("ch-agreements", "共建协议与合作领域", booklet.agreements),
             ("ch-figures", "主要数据", []), ("ch-events", "本期活动", booklet.events)]
    if booklet.earlier:
        items.append(("ch-earlier", "往期活动一览", []))
    items.append(("ch-policies", "相关政策解读", booklet.policies))
    if booklet.edition.internal:
        items.append(("ch-internal", "待办事项与联系人", []))
    return items


def groups(booklet: Booklet) -> list[tuple[str, list[Entry]]]:
    """The events of a period briefing, grouped by month or by bureau."""
    if booklet.group_by == "bureau":
        return [(bureau.data.title, [e for e in booklet.events if bureau.id in e.data.bureaus])
                for bureau in booklet.edition.bureaus
                if any(bureau.id in e.data.bureaus for e in booklet.events)]
    by_month: dict[str, list[Entry]] = {}
    for event in booklet.events:
        day = event.data.date  # type: ignore[attr-defined]
        by_month.setdefault(f"{day.year}年{day.month}月", []).append(event)
    return list(by_month.items())


def render_html(booklet: Booklet, env: jinja2.Environment, base: dict[str, Any]) -> str:
    compiled = pdf.build_date()
    months, series = activity(booklet)
    figures = figures_of(booklet)
    included = {e.ref for e in booklet.records()}
    follow_ups = [(e, f) for e, f in booklet.edition.follow_ups() if e.ref in included]
    context = {
        "b": booklet, "edition": booklet.edition, "compiled": compiled,
        "compiled_label": render.cndate(compiled.date()),
        "author": base.get("site_author") or "湖南省雁北监狱",
        "body": lambda entry: body_html(booklet, entry, base),
        "anchor": anchor, "months": months, "series": series,
        "activity_chart": Markup(charts.stacked_bars("各月活动数（按司法局）", months, series))
        if months else "",
        "figures": figures,
        "figure_charts": [Markup(c.svg) for c in charts.figure_charts(figures)],
        "follow_ups": follow_ups, "fonts": pdf,
    }
    context["chapters"] = chapters(booklet)
    context["groups"] = groups(booklet)
    context["contacts"] = [c for e in booklet.records() if e.data.internal
                           for c in e.data.internal.contacts] if booklet.edition.internal else []
    template = {"bureau": "booklet/bureau.html.j2", "period": "booklet/period.html.j2",
                "handbook": "booklet/handbook.html.j2"}[booklet.kind]
    return env.get_template(template).render(context)


def write(booklet: Booklet, target: Path, templates: Path, base: dict[str, Any]) -> None:
    """Render and print one booklet to ``target``."""
    html = render_html(booklet, environment(templates), base)
    pdf.write_pdf(html, target, booklet.edition.corpus.root)


def site_booklets(edition: Edition, recent_months: int) -> list[tuple[str, Booklet]]:
    """The booklets every edition carries: one briefing per bureau it shows, and the handbook."""
    items = [(f"booklets/bureaus/{b.id}.pdf", bureau_booklet(edition, b, None, recent_months))
             for b in edition.bureaus]
    items.append(("booklets/handbook.pdf", handbook(edition)))
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


def publish_booklets(edition: Edition, docs: Path, templates: Path, base: dict[str, Any],
                     cache: Path, recent_months: int,
                     side: SideBySide | None = None) -> list[Path]:
    """Print the edition's booklets into ``docs`` (reusing cached PDFs of identical HTML); with
    ``side``, help print the other editions' booklets too (see SideBySide)."""
    from generator import editions as editions_mod

    env = environment(templates)
    cache.mkdir(parents=True, exist_ok=True)
    printer = _Printer(cache, edition.corpus.root, side.claims if side else None)
    mine = []
    for name, booklet in _in_print_order(edition, recent_months):
        html = render_html(booklet, env, base)
        job = f"{edition.name}:{name}"
        if printer.claim(job):
            printer.print(html, job)
        mine.append((name, html, job))
    for other in side.editions if side else ():
        # From the end of the other edition's list: the two processes meet in its middle.
        other_edition = editions_mod.make(edition.corpus, other)  # type: ignore[arg-type]
        for name, booklet in reversed(_in_print_order(other_edition, recent_months)):
            job = f"{other}:{name}"
            if printer.claim(job):
                printer.print(render_html(booklet, env, base), job)
    written: list[Path] = []
    for name, html, job in mine:
        cached = printer.wait_for(html, job)
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
    briefings = sorted((item for item in items if item[1].kind == "bureau"),
                       key=lambda item: (-_length(item[1]), item[0]))
    rest = [item for item in items if item[1].kind != "bureau"]
    return [*rest, *briefings] if edition.internal else [*briefings, *rest]


def _length(booklet: Booklet) -> int:
    """Roughly how much a booklet prints: the text it shows in full, and a line per earlier
    event."""
    shown = [*([booklet.bureau] if booklet.bureau else []), *booklet.agreements,
             *booklet.events, *booklet.policies]
    return (sum(len(segment.text) for entry in shown for segment in entry.segments
                if booklet.edition.internal or not segment.internal)
            + 100 * len(booklet.earlier))


class _Printer:
    """Prints booklets into the cache, named by the hash of their HTML. With ``claims`` (see
    SideBySide), each booklet of the build ("edition:path") is printed by the one process that
    claimed it first; the edition's own process waits for it."""

    def __init__(self, cache: Path, root: Path, claims: Path | None):
        self.cache, self.root, self.claims = cache, root, claims

    def cached(self, html: str) -> Path:
        return self.cache / (hashlib.sha256(html.encode("utf-8")).hexdigest()[:40] + ".pdf")

    def print(self, html: str, job: str) -> Path:
        """Print ``html`` unless it is cached already; its cache path."""
        cached = self.cached(html)
        if not cached.exists():
            partial = cached.with_suffix(f".{os.getpid()}.tmp")
            try:
                pdf.write_pdf(html, partial, self.root)
                os.replace(partial, cached)
            except BaseException:
                partial.unlink(missing_ok=True)
                if self.claims is not None:
                    self._claim_file(job).unlink(missing_ok=True)  # let another print it
                raise
        return cached

    def wait_for(self, html: str, job: str) -> Path:
        """The cache path of ``html``, once printed by whoever claimed ``job``; printed here if
        that process is gone."""
        cached = self.cached(html)
        while not cached.exists():
            if self._claimer_gone(job) and self.claim(job, again=True):
                self.print(html, job)
            else:
                time.sleep(0.05)
        return cached

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
            written = claim.read_text()
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

        producer = str((PdfReader(target).metadata or {}).get("/Producer", ""))
    except Exception:  # noqa: BLE001 - not a PDF pypdf can read: not ours either
        return False
    return "WeasyPrint" in producer
