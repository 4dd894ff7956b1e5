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

    def regenerate(self) -> Path:
        """Validate and write the project (changed files only); raise ContentError if broken."""
        from generator.site import load_base_config, write_project

        corpus, problems = validate(self.content)
        if problems:
            raise ContentError(problems)
        edition = editions_mod.make(corpus, self.edition)  # type: ignore[arg-type]
        config_file, _ = write_project(edition, load_base_config(self.base_file), self.project,
                                       self.templates, incremental=True, hooks=(HOOK,))
        return config_file


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
