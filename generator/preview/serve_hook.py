"""MkDocs hook used by ``jiandi serve`` only: keep the objects of each full build, so that a
change to record bodies alone can be rendered without another (see serve.Rendered), and keep
Material's search index true to the pages after builds that render only some of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

from generator.preview import serve


def on_config(config: Any) -> None:
    if serve.CURRENT is not None:
        serve.CURRENT.rendered.built = set()


def on_nav(nav: Any, config: Any, files: Any) -> None:
    if serve.CURRENT is not None:
        rendered = serve.CURRENT.rendered
        rendered.config, rendered.files, rendered.nav = config, files, nav


def on_env(env: Any, config: Any, files: Any) -> None:
    if serve.CURRENT is not None:
        serve.CURRENT.rendered.env = env


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> None:
    if serve.CURRENT is not None:
        serve.CURRENT.rendered.built.add(page.url)


@event_priority(100)  # before Material's search plugin writes its index
def on_post_build(config: Any) -> None:
    if serve.CURRENT is not None:
        rendered = serve.CURRENT.rendered
        rendered.complete = all(part is not None for part in
                                (rendered.config, rendered.files, rendered.nav, rendered.env))
        if rendered.files is not None:
            merge_search_index(config, rendered.built,
                               {f.url for f in rendered.files.documentation_pages()})
            serve.CURRENT.outputs = remove_stale(Path(config.site_dir), serve.CURRENT.outputs,
                                                 {f.dest_uri for f in rendered.files})


def remove_stale(site: Path, before: set[str], now: set[str]) -> set[str]:
    """Remove what the last build wrote for files that are gone (a deleted record's page, a
    removed image): MkDocs' dirty build leaves them, and the preview kept serving the page of
    a deleted record. Returns ``now``."""
    for uri in sorted(before - now):
        path = site / uri
        path.unlink(missing_ok=True)
        for folder in path.parents:  # its folders, as far as they are now empty
            if folder == site:
                break
            try:
                folder.rmdir()
            except OSError:  # not empty (or already gone)
                break
    return now


def merge_search_index(config: Any, built: set[str], pages: set[str]) -> None:
    """Give Material's search plugin the whole index for this build: the entries of the pages
    built now, and the last build's entries of every other page that still exists.

    In a dirty preview the plugin sees only the pages built this time, and merges them into its
    last index by dropping the entries under the location of the first one: the old entries of
    every other rebuilt page stayed (a title edit left 81 stale entries in the sample), and a
    rebuilt section page such as ``events/`` dropped those of every page under it."""
    search = config.plugins.get("material/search")
    previous = getattr(search, "search_index_prev", None)
    if previous is None:
        return
    kept = [entry for entry in previous.entries
            if (url := entry["location"].partition("#")[0]) in pages and url not in built]
    search.search_index.entries = kept + search.search_index.entries
    search.search_index_prev = None  # the plugin keeps this merged index for the next build
