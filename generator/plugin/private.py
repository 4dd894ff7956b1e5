"""Every touch of a private MkDocs or Material API, in one place.

Documented plugin events do not reach what makes jiandi's builds quick: reading a page and
writing it (MkDocs' ``_populate_page`` and ``_build_page``), the Markdown instance a page is
rendered with, the jieba and json modules Material's search plugin calls, and a page's title
as its Markdown rendered it. Each touch here is

* written for the versions pinned in pyproject.toml (``mkdocs`` 1.6, ``mkdocs-material`` 9.8);
* checked before it is made (``problems``): a changed signature or a missing name turns the
  touch off, and the build runs MkDocs' own way (slower, the same bytes);
  ``tests/test_private_api.py`` fails loudly on the same check, so an upgrade is noticed;
* undone when the build ends (``installed`` and ``utf8_search_index`` restore what they
  replaced, on success and on error).
"""

from __future__ import annotations

import contextlib
import inspect
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

log = logging.getLogger("mkdocs.plugins.jiandi")

# What each touched function looks like in the versions this was written for.
SIGNATURES = {
    "mkdocs.commands.build._populate_page": "(page, config, files, dirty=False)",
    "mkdocs.commands.build._build_page": "(page, config, doc_files, nav, env, dirty=False, "
    "excluded=False)",
    "mkdocs.structure.pages.Page.render": "(self, config, files)",
    "material.plugins.search.plugin.SearchIndex.add_entry_from_context": "(self, page)",
}
# Module attributes replaced while a build runs, and attributes of MkDocs' objects read or set.
ATTRIBUTES = {
    "mkdocs.structure.pages": ("markdown",),
    "material.plugins.search.plugin": ("jieba", "json", "SearchIndex"),
    "mkdocs.structure.pages.Page": ("_title_from_render",),
}


def _resolve(dotted: str) -> Any:
    import importlib

    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            target = getattr(target, name)
        return target
    raise ImportError(dotted)


def _bare(signature: inspect.Signature) -> str:
    """A signature without annotations (they are strings under postponed evaluation)."""
    return str(
        signature.replace(
            parameters=[
                p.replace(annotation=inspect.Parameter.empty) for p in signature.parameters.values()
            ],
            return_annotation=inspect.Signature.empty,
        )
    )


def problems(within: str = "") -> list[str]:
    """What no longer matches the MkDocs and Material this module was written for (``within``:
    only the touches of that module)."""
    found = []
    for dotted, expected in SIGNATURES.items():
        if not dotted.startswith(within):
            continue
        try:
            actual = _bare(inspect.signature(_resolve(dotted)))
        except (ImportError, AttributeError, ValueError, TypeError) as error:
            found.append(f"{dotted}: missing ({error})")
            continue
        if actual != expected:
            found.append(f"{dotted}: signature {actual}, written for {expected}")
    for dotted, names in ATTRIBUTES.items():
        if not dotted.startswith(within):
            continue
        try:
            owner = _resolve(dotted)
        except (ImportError, AttributeError) as error:
            found.append(f"{dotted}: missing ({error})")
            continue
        for name in names:
            if not hasattr(owner, name) and not _set_in_init(owner, name):
                found.append(f"{dotted}.{name}: missing")
    return found


def _set_in_init(owner: Any, name: str) -> bool:
    """An instance attribute (set in ``__init__``), which the class itself does not have."""
    try:
        return f"self.{name}" in inspect.getsource(owner.__init__)
    except (TypeError, OSError):
        return False


# -- a page's title ----------------------------------------------------------------------------


def rendered_title(page: Any) -> Any:
    """The title MkDocs took from the page's first heading when it rendered it."""
    return page._title_from_render


def set_rendered_title(page: Any, title: Any) -> None:
    page._title_from_render = title


# -- the search index as UTF-8 --------------------------------------------------------------------


class _Utf8Json:
    """``json`` for Material's search plugin, writing the index as UTF-8 rather than with ASCII
    escapes: ``\\u4e2d`` is six bytes where 中 is three. The index is mostly Chinese text, so it
    becomes half the size (58 MB instead of 116 MB at 10,000 records) and quicker to write;
    the browser reads both the same."""

    def __getattr__(self, name: str) -> Any:
        return getattr(json, name)

    @staticmethod
    def dumps(value: Any, **options: Any) -> str:
        return json.dumps(value, **{**options, "ensure_ascii": False})


def utf8_search_index() -> Callable[[], None]:
    """Have Material's search plugin write its index as UTF-8; returns what undoes it. Made
    only when the plugin is the one this was written for (``problems``)."""
    try:
        from material.plugins.search import plugin as search
    except ImportError:
        return lambda: None
    if problems("material.plugins.search"):
        return lambda: None
    if search.json is not json and not isinstance(search.json, _Utf8Json):
        return lambda: None  # someone else's: leave it
    # Still ours after a build that was interrupted before it could undo it: replaced again,
    # and undone to the json module itself.
    search.json = _Utf8Json()

    def undo() -> None:
        search.json = json

    return undo


def restore() -> None:
    """Undo what a build interrupted in the middle (Ctrl+C, SIGTERM) left in place: jiandi's
    own builds call this when MkDocs returns, however it returns."""
    try:
        from material.plugins.search import plugin as search
    except ImportError:
        return
    if isinstance(search.json, _Utf8Json):
        search.json = json


# -- reading and writing pages -------------------------------------------------------------------


def read_page(page: Any, config: Any, files: Any) -> None:
    """MkDocs' own reading of one page (Markdown → HTML), as a build does it."""
    from mkdocs.commands import build as mkdocs_build

    mkdocs_build._populate_page(page, config, files)


def write_page(page: Any, config: Any, doc_files: Any, nav: Any, env: Any) -> None:
    """MkDocs' own writing of one page (theme template → file), as a build does it."""
    from mkdocs.commands import build as mkdocs_build

    mkdocs_build._build_page(page, config, doc_files, nav, env)


Reader = Callable[..., None]
Writer = Callable[..., None]


@contextlib.contextmanager
def installed(
    read: Callable[[Reader, Any, Any, Any, bool], None],
    write: Callable[[Writer, Any, Any, Any, Any, Any, bool, bool], None],
    markdown: Callable[[Any], Any] | None,
    jieba: Callable[[Any], Any] | None,
) -> Iterator[bool]:
    """While the block runs, MkDocs reads each page through ``read(original, page, config,
    files, dirty)`` and writes it through ``write(original, page, config, doc_files, nav, env,
    dirty, excluded)``; ``markdown`` and ``jieba`` wrap the modules MkDocs' pages and
    Material's search call. Yields False (and touches nothing) when the installed MkDocs or
    Material is not the one this was written for."""
    found = problems()
    if found:
        log.info(
            "jiandi: MkDocs/Material changed (%s); building without the page cache",
            "; ".join(found),
        )
        yield False
        return
    from material.plugins.search import plugin as search_module
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.structure import pages as mkdocs_pages

    original_read, original_write = mkdocs_build._populate_page, mkdocs_build._build_page
    original_markdown, original_jieba = mkdocs_pages.markdown, search_module.jieba

    def reading(page: Any, config: Any, files: Any, dirty: bool = False) -> None:
        read(original_read, page, config, files, dirty)

    def writing(
        page: Any,
        config: Any,
        doc_files: Any,
        nav: Any,
        env: Any,
        dirty: bool = False,
        excluded: bool = False,
    ) -> None:
        write(original_write, page, config, doc_files, nav, env, dirty, excluded)

    try:
        mkdocs_build._populate_page, mkdocs_build._build_page = reading, writing
        if markdown is not None:
            mkdocs_pages.markdown = markdown(original_markdown)
        if jieba is not None and original_jieba is not None:
            search_module.jieba = jieba(original_jieba)
        yield True
    finally:
        mkdocs_build._populate_page, mkdocs_build._build_page = original_read, original_write
        mkdocs_pages.markdown = original_markdown
        search_module.jieba = original_jieba


@contextlib.contextmanager
def entries_given(index: Any, entries: list[Any]) -> Iterator[None]:
    """While the block runs, Material's search index takes ``entries`` for the page it is
    given instead of cutting the page's text again (it was cut when the page was read)."""
    index.add_entry_from_context = lambda _page: index.entries.extend(entries)
    try:
        yield
    finally:
        del index.add_entry_from_context


def previous_search_index(config: Any) -> tuple[Any, Any]:
    """Material's search plugin and the index it kept from the last build of a dirty preview
    (None, None outside one)."""
    search = config.plugins.get("material/search")
    return search, getattr(search, "search_index_prev", None)
