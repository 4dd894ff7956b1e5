"""The preview's project, regenerated from the content before each rebuild: only the files
that changed are written, and when only record bodies changed only those records' pages are
rendered again (``rewrite_record_pages``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator import editions as editions_mod
from generator.check import validate
from generator.content.corpus import Corpus, Memo
from generator.editions import Edition
from generator.problems import ContentError
from generator.site import charts, render
from generator.site import pages as pages_mod
from generator.site.project import page_renderer


class Preview:
    """What the preview needs to regenerate the project before each rebuild."""

    def __init__(
        self,
        content: Path,
        edition: str,
        project: Path,
        report: Callable[[ContentError], None],
        announce: Callable[[str], None] = lambda line: None,
    ):
        from generator.config import project_file

        self.content = content
        self.edition = edition
        self.project = project
        self.report = report  # a content error
        self.announce = announce  # a line saying what the last update changed
        self.last_shown: list[str] = []
        self.base_file = project_file("mkdocs.yml").resolve()
        self.templates = project_file("templates").resolve()
        self.memo: Memo = {}  # records read, by file: only changed files are read again
        self.last: Corpus | None = None  # the corpus of the last good regeneration
        self.last_setup: tuple[Any, ...] = ()
        self.charts: dict[str, Any] | None = None  # the chart plan, while front matter holds
        # What the last regeneration wrote: the record pages (paths under docs/) when only
        # bodies changed, None when it regenerated the project.
        self.pages_written: list[str] | None = None
        self.theme_changed = False  # templates or mkdocs.yml changed in the last regeneration
        self.config_changed = False  # so did the generated mkdocs.yml (its navigation)

    def _setup(self) -> tuple[Any, ...]:
        """What, besides records, every page may depend on: templates and mkdocs.yml."""
        files = [self.base_file, *sorted(p for p in self.templates.rglob("*") if p.is_file())]
        return tuple((str(p), st.st_mtime_ns, st.st_size) for p in files if (st := p.stat()))

    def regenerate(self) -> Path:
        """Validate and write the project (changed files only); raise ContentError if broken.

        When the only change is in the bodies of records (the usual edit while previewing),
        only those records' pages are rendered again; anything else regenerates the project,
        still writing only files whose bytes changed."""
        from generator.config import load_base_config
        from generator.site.project import write_project

        corpus, problems = validate(self.content, self.memo)
        if problems:
            raise ContentError(problems)
        edition = editions_mod.make(corpus, editions_mod.name_of(self.edition))
        base = load_base_config(self.base_file)
        config_file = self.project / "mkdocs.yml"
        setup = self._setup()
        # The theme's overrides show on every page, whose Markdown may not change: MkDocs'
        # dirty build would leave them as they were.
        self.theme_changed = bool(self.last_setup) and setup != self.last_setup
        bodies = bodies_changed(self.last, corpus) if setup == self.last_setup else None
        self.pages_written = []
        self.config_changed = False
        if bodies is None or not config_file.exists():
            self.charts, self.pages_written = None, None
            before = config_file.read_bytes() if config_file.exists() else None
            config_file, _ = write_project(
                edition, base, self.project, self.templates, incremental=True
            )
            # The generated mkdocs.yml holds the navigation, which every page shows: the first
            # event of a new year adds an entry to pages whose Markdown does not change.
            self.config_changed = before is not None and config_file.read_bytes() != before
        elif bodies:
            if self.charts is None:
                self.charts = charts.plan(edition)
            self.pages_written = rewrite_record_pages(
                edition, base, self.project, self.templates, bodies, self.charts
            )
        self.last, self.last_setup = corpus, setup
        return config_file


def bodies_changed(before: Corpus | None, after: Corpus) -> set[Path] | None:
    """The content files of records of which only the body changed (front matter and links
    alike), or None when anything else changed: records added, removed or renamed, front
    matter, links, topics or assets (see site.record_frame)."""
    from generator.site.project import record_frame

    if before is None or before.topics != after.topics or before.assets != after.assets:
        return None
    old = {entry.ref: entry for entry in before.all()}
    new = {entry.ref: entry for entry in after.all()}
    if old.keys() != new.keys():
        return None
    changed = set()
    for ref, entry in new.items():
        previous = old[ref]
        if entry is previous:
            continue
        if record_frame(entry) != record_frame(previous):
            return None
        changed.add(entry.path)
    return changed


def rewrite_record_pages(
    edition: Edition,
    base: dict[str, Any],
    project: Path,
    templates: Path,
    changed: set[Path],
    chart_plan: dict[str, Any] | None = None,
) -> list[str]:
    """Render again only the pages that show the records in ``changed`` (content files), in an
    existing project; write those whose text changed. For the live preview, when only record
    bodies changed: nothing else in the site shows a body. ``chart_plan``: the edition's chart
    plan, if the caller kept it (it depends on front matter only). Returns the pages written."""
    (project / "project-state.json").unlink(missing_ok=True)
    env, settings = page_renderer(
        edition,
        base,
        project,
        templates,
        False,
        chart_plan if chart_plan is not None else charts.plan(edition),
    )
    written = []
    for page in (pages_mod.record_page(e) for e in edition.records() if e.path in changed):
        target = project / "docs" / page.path
        text = render.render_page(env, edition, page, settings)
        if not target.exists() or target.read_text("utf-8") != text:
            target.write_text(text, encoding="utf-8")
            written.append(page.path)
    return written
