"""``jiandi serve``: a live preview that rebuilds when content, templates or mkdocs.yml change.

The edition's MkDocs project is generated under ``build/serve-<edition>/`` and served by MkDocs'
own live-reload server. Before each rebuild a hook regenerates the project from the content,
writing only the files that changed, so MkDocs (in dirty mode) re-renders only those pages. A
content error is printed in the terminal in the format of ``jiandi check``, and the last good
preview keeps being served.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable

from generator import editions as editions_mod
from generator import site_charts
from generator.load import Corpus, Memo
from generator.problems import ContentError
from generator.resolve import validate

HOOK = str(Path(__file__).with_name("serve_hook.py"))


class Preview:
    """What the serve hook needs to regenerate the project before each rebuild."""

    def __init__(self, content: Path, edition: str, project: Path,
                 report: Callable[[ContentError], None]):
        from generator.site import project_file

        self.content = content
        self.edition = edition
        self.project = project
        self.report = report
        self.last_shown: list[str] = []
        self.base_file = project_file("mkdocs.yml").resolve()
        self.templates = project_file("templates").resolve()
        self.memo: Memo = {}  # records read, by file: only changed files are read again
        self.last: Corpus | None = None  # the corpus of the last good regeneration
        self.last_setup: tuple[Any, ...] = ()
        self.charts: dict[str, Any] | None = None  # the chart plan, while front matter holds

    def _setup(self) -> tuple[Any, ...]:
        """What, besides records, every page may depend on: templates and mkdocs.yml."""
        files = [self.base_file, *sorted(p for p in self.templates.rglob("*") if p.is_file())]
        return tuple((str(p), st.st_mtime_ns, st.st_size) for p in files if (st := p.stat()))

    def regenerate(self) -> Path:
        """Validate and write the project (changed files only); raise ContentError if broken.

        When the only change is in the bodies of records (the usual edit while previewing),
        only those records' pages are rendered again; anything else regenerates the project,
        still writing only files whose bytes changed."""
        from generator.site import load_base_config, rewrite_record_pages, write_project

        corpus, problems = validate(self.content, self.memo)
        if problems:
            raise ContentError(problems)
        edition = editions_mod.make(corpus, self.edition)  # type: ignore[arg-type]
        base = load_base_config(self.base_file)
        config_file = self.project / "mkdocs.yml"
        setup = self._setup()
        bodies = bodies_changed(self.last, corpus) if setup == self.last_setup else None
        if bodies is None or not config_file.exists():
            self.charts = None
            config_file, _ = write_project(edition, base, self.project, self.templates,
                                           incremental=True, hooks=(HOOK,))
        elif bodies:
            if self.charts is None:
                self.charts = site_charts.plan(edition)
            rewrite_record_pages(edition, base, self.project, self.templates, bodies,
                                 self.charts)
        self.last, self.last_setup = corpus, setup
        return config_file


def bodies_changed(before: Corpus | None, after: Corpus) -> set[Path] | None:
    """The content files of records of which only the body changed (front matter and links
    alike), or None when anything else changed: records added, removed or renamed, front
    matter, links, topics or assets (see site.record_frame)."""
    from generator.site import record_frame

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


CURRENT: Preview | None = None  # read by serve_hook.on_pre_build


def serve(preview: Preview, host: str, port: int) -> None:
    """Generate, then serve with live reload until interrupted."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    global CURRENT
    CURRENT = preview
    config_file = preview.regenerate()  # the first build: errors stop here
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    logging.getLogger("mkdocs.commands.build").addFilter(
        lambda record: "'dirty' build" not in record.getMessage())
    watch: list[Any] = [str(preview.content), str(preview.templates), str(preview.base_file)]
    # Not strict: MkDocs warns about every dirty build. Content errors are ours to report.
    mkdocs_serve(str(config_file), livereload=True, build_type="dirty", watch=watch,
                 dev_addr=f"{host}:{port}", strict=False)
