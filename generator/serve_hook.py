"""MkDocs hook used by ``jiandi serve`` only: regenerate the project before each rebuild."""

from __future__ import annotations

from typing import Any

from generator import serve
from generator.problems import ContentError


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Watch the author's files only. The generated project is written by our own
    ``on_pre_build``: MkDocs watching it too rebuilt everything a second time after each edit
    (seconds at 10,000 records, in the way of the next edit)."""
    for path in (config.docs_dir, config.config_file_path):
        try:
            server.unwatch(path)
        except KeyError:
            pass
    return server


def on_pre_build(config: Any) -> None:
    preview = serve.CURRENT
    if preview is None:
        return
    try:
        preview.regenerate()
        preview.last_shown = []
    except ContentError as error:
        # Report and build from the unchanged project: raising here would make MkDocs' server
        # hold every request until the error is fixed; this way the last good preview stays.
        shown = [p.format() for p in error.problems.sorted()]
        if shown != preview.last_shown:  # MkDocs may rebuild twice for one save
            preview.report(error)
            preview.last_shown = shown
