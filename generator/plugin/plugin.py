"""jiandi's MkDocs plugin (entry point ``jiandi`` under ``mkdocs.plugins``), listed in every
generated project's mkdocs.yml, so ``mkdocs build -f build/<edition>/mkdocs.yml`` builds it
the way jiandi does.

Documented events only: each page's HTML is cleaned with the raw-HTML allow-list
(``on_page_content``); the theme's templates are compiled once and its navigation rendered once
per distinct result (``on_env``); the search index is written as UTF-8 (``on_config``, undone
in ``on_post_build``; the one private touch, in private.py). During ``jiandi serve`` the
preview gives the plugin a ``Recorder`` (``plugin.recorder``), which keeps MkDocs' objects of
each build and keeps the search index true to the pages.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority

from generator.caches import jinja_folder
from generator.content.html_policy import clean
from generator.media import photos
from generator.plugin import private

# The theme's partials/nav.html, rendered once and kept for the next page that would get
# exactly the same HTML (see nav_key): rendering it for every page was a fifth to a third of the
# time spent in the theme. Installed by on_env as partials/nav.html; the theme's own file (or a
# custom_dir override of it) stays reachable as theme/partials/nav.html.
NAV_WRAPPER = """\
{%- set key = jiandi_nav_key(page, nav, base_url) -%}
{%- if key is none -%}
{%- include "theme/partials/nav.html" -%}
{%- else -%}
{%- set cached = jiandi_navs.get(key) -%}
{%- if cached is none -%}
{%- set cached -%}{%- include "theme/partials/nav.html" -%}{%- endset -%}
{%- set _ = jiandi_navs.__setitem__(key, cached) -%}
{%- endif -%}
{{- cached -}}
{%- endif -%}"""


_CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input [^>]*type="checkbox"[^>]*?) autocomplete="off"')
_EMPTY_TABINDEX = re.compile(r'(<label [^>]*?) tabindex=""')
_TOC_TITLE = re.compile(r'<label class="md-nav__title" for="__toc">(.*?)</label>', re.DOTALL)


def mend_theme_markup(html: str) -> str:
    """Mend Material's own markup where the Nu Html Checker finds it invalid; none of it is in
    a block or partial an override could replace without copying the theme:

    - its drawer and search toggles are checkboxes with ``autocomplete`` (only text fields may
      carry it; base.html, outside any block);
    - a section's label in the navigation has ``tabindex=""`` (nav-item.html);
    - the contents' title is a ``<label for="__toc">``, but the theme writes the __toc
      checkbox only beside pages listed in the navigation: elsewhere (every record) it labels
      nothing, and becomes the plain heading it looks like."""
    html = _EMPTY_TABINDEX.sub(r"\1", _CHECKBOX_AUTOCOMPLETE.sub(r"\1", html))
    if 'id="__toc"' not in html:
        html = _TOC_TITLE.sub(r'<div class="md-nav__title">\1</div>', html)
    return html


class Recorder:
    """What the live preview keeps of each build (see preview.serve.Rendered): MkDocs' objects,
    the pages rendered in this build, and what the last build wrote."""

    def __init__(self) -> None:
        self.config: Any = None
        self.files: Any = None
        self.nav: Any = None
        self.env: Any = None
        self.complete = False  # set when a full build has finished with all four
        self.built: set[str] = set()  # URLs of the pages rendered in the current build
        self.outputs: set[str] = set()  # what MkDocs' files of the last build wrote


class Options(Config):
    """The plugin takes no options: everything it needs is in the generated project."""


class JiandiPlugin(BasePlugin[Options]):
    def __init__(self) -> None:
        super().__init__()
        self.recorder: Recorder | None = None  # set by jiandi serve
        self._undo: Callable[[], None] = lambda: None
        self.photos: dict[str, photos.Plan] = {}

    def on_config(self, config: Any) -> Any:
        self.photos = photos.read_manifest(Path(config.config_file_path).parent)
        self._undo()
        self._undo = private.utf8_search_index()
        if self.recorder is not None:
            self.recorder.built = set()
        return config

    def on_nav(self, nav: Any, config: Any, files: Any) -> Any:
        if self.recorder is not None:
            self.recorder.config, self.recorder.files, self.recorder.nav = config, files, nav
        return nav

    def on_env(self, env: Any, config: Any, files: Any) -> Any:
        """Keep the theme's compiled templates between builds (next to the generated projects,
        keyed by each template's source): compiling Material's templates cost every build
        ~0.3 s. Render the navigation once per distinct result (NAV_WRAPPER)."""
        import jinja2

        if os.environ.get("JIANDI_NAV_CACHE") != "0":  # 0: render it for every page (tests)
            env.loader = jinja2.ChoiceLoader(
                [
                    jinja2.DictLoader({"partials/nav.html": NAV_WRAPPER}),
                    jinja2.PrefixLoader({"theme": env.loader}),
                    env.loader,
                ]
            )
            env.globals["jiandi_nav_key"] = nav_key
            env.globals["jiandi_navs"] = {}
        build = Path(config.config_file_path).resolve().parent.parent
        folder = jinja_folder(build / "jinja-cache", "theme")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
        except OSError:
            pass  # a read-only place: build without the cache
        if self.recorder is not None:
            self.recorder.env = env
        return env

    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        """Clean each page's HTML with the raw-HTML allow-list before the theme and search
        see it; then show each published photo through its responsive derivatives."""
        cleaned = clean(html)
        if not self.photos:
            return cleaned
        folder = page.url.rstrip("/") if config.use_directory_urls else os.path.dirname(page.url)
        return photos.rewrite(cleaned, folder or ".", self.photos)

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        return mend_theme_markup(output)

    def on_post_template(self, output_content: str, template_name: str, config: Any) -> str:
        return mend_theme_markup(output_content)  # the theme's own pages: 404.html

    def on_page_context(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        if self.recorder is not None:
            self.recorder.built.add(page.url)
        return context

    @event_priority(100)  # before Material's search plugin writes its index
    def _on_post_build_record(self, config: Any) -> None:
        recorder = self.recorder
        if recorder is None:
            return
        recorder.complete = all(
            part is not None
            for part in (recorder.config, recorder.files, recorder.nav, recorder.env)
        )
        if recorder.files is not None:
            merge_search_index(
                config, recorder.built, {f.url for f in recorder.files.documentation_pages()}
            )
            recorder.outputs = remove_stale(
                Path(config.site_dir), recorder.outputs, {f.dest_uri for f in recorder.files}
            )

    @event_priority(-100)  # after it wrote the index: the json module is MkDocs' own again
    def _on_post_build_restore(self, config: Any) -> None:
        self._undo()
        self._undo = lambda: None

    on_post_build = CombinedEvent(_on_post_build_record, _on_post_build_restore)

    def on_build_error(self, error: Exception) -> None:
        self._undo()
        self._undo = lambda: None


def nav_key(page: Any, nav: Any, base_url: str) -> tuple[Any, ...] | None:
    """What the theme's navigation HTML depends on for ``page``: every nav link as seen from
    the page, and which items are active. None (render it afresh) for a page that is itself in
    the navigation, whose entry shows its table of contents."""
    from mkdocs.utils import normalize_url

    if page is None or nav is None:
        return None
    key: list[Any] = [base_url, normalize_url(nav.homepage.url if nav.homepage else "", page)]
    stack = list(nav.items)
    while stack:
        item = stack.pop()
        if item is page or (getattr(item, "is_page", False) and item == page):
            return None
        url = getattr(item, "url", None)
        key.append(
            (id(item), bool(item.active), normalize_url(url, page) if url is not None else None)
        )
        stack.extend(getattr(item, "children", None) or ())
    return tuple(key)


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
    search, previous = private.previous_search_index(config)
    if previous is None:
        return
    kept = [
        entry
        for entry in previous.entries
        if (url := entry["location"].partition("#")[0]) in pages and url not in built
    ]
    search.search_index.entries = kept + search.search_index.entries
    search.search_index_prev = None  # the plugin keeps this merged index for the next build
