"""Reuse pages MkDocs built before, keyed by content hash: quick rebuilds, and pages the two
editions have in common read once.

MkDocs rebuilds every page on every build. During jiandi's own builds (never in a plain
``mkdocs build`` of the generated project) MkDocs' two per-page steps are wrapped:

- reading a page (Markdown → HTML, and its search entries): keyed by the page's source bytes,
  address and what reading depends on (Markdown settings, the search dictionary, jiandi's
  code, library versions: caches.page_salts), but not by the edition. The two editions, built side by side, share
  this store and read their pages in opposite orders, so a page with the same source in both
  (most public pages) is usually read once. A stored page is reused only if every page and file
  it links to exists in the edition being built.
- writing a page (theme template → file): keyed by the reading key plus everything the theme
  shows around the page (the edition's whole mkdocs.yml, the overrides, the navigation as the
  page sees it, previous and next). One store per edition.

Everything a page's output depends on is in its keys, so a warm build writes the same bytes as
a cold one (tests/test_cache.py and tests/test_page_cache.py compare them). Pages that caused a
MkDocs warning are never stored. The cache is only used when the events it skips are known:
the search plugin and jiandi's own HTML cleaning; any other plugin turns it off.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import posixpath
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from generator.caches import digest, page_salts
from generator.plugin import private, speedups

# The per-page events a hit skips, and who may listen to them.
SKIPPED_EVENTS = (
    "pre_page",
    "page_read_source",
    "page_markdown",
    "page_content",
    "page_context",
    "post_page",
)
_LINK = re.compile(r"""(?:href|src)=["']([^"'#?]*)""")


def _search_plugin(config: Any) -> Any | None:
    for plugin in config.plugins.values():
        if hasattr(plugin, "search_index"):
            return plugin
    return None


def supported(config: Any) -> bool:
    """True when every listener of the skipped events is one whose effect is cached."""
    search = _search_plugin(config)
    for event in SKIPPED_EVENTS:
        for method in config.plugins.events[event]:
            owner = getattr(method, "__self__", None)
            if event == "page_context" and search is not None and owner is search:
                continue
            # jiandi's plugin cleans page HTML (cached with the page), mends the theme's
            # markup of the written page (cached with the file) and, only for the preview
            # (whose dirty builds bypass the cache), records the pages built.
            if (
                event in ("page_content", "page_context", "post_page")
                and _is_jiandi(owner)
                and getattr(owner, "recorder", None) is None
            ):
                continue
            return False
    return True


def _is_jiandi(owner: Any) -> bool:
    from generator.plugin.plugin import JiandiPlugin

    return isinstance(owner, JiandiPlugin)


def _nav_signature(nav: Any) -> str:
    def walk(items: list[Any]) -> list[Any]:
        return [
            (
                type(item).__name__,
                str(item.title),
                getattr(item, "url", None),
                walk(item.children or []) if getattr(item, "children", None) else [],
            )
            for item in items
        ]

    return digest(repr(walk(nav.items)))


def _relatives(page: Any) -> str:
    def ref(other: Any) -> Any:
        return (str(other.title), other.url) if other is not None else None

    return repr(
        (
            ref(page.previous_page),
            ref(page.next_page),
            [str(a.title) for a in page.ancestors],
            page.is_homepage,
        )
    )


def _address(url: str) -> str:
    return posixpath.normpath(url.removesuffix("index.html") or ".").strip("/")


def link_targets(page: Any) -> list[str]:
    """The site addresses the page's HTML links to or loads, relative links only."""
    base = (
        posixpath.dirname(page.url.rstrip("/"))
        if not page.url.endswith("/")
        else page.url.rstrip("/")
    )
    found = set()
    for url in _LINK.findall(page.content or ""):
        if not url or ":" in url.split("/", 1)[0] or url.startswith("/"):
            continue
        found.add(_address(posixpath.join(base, url)))
    return sorted(found)


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(2):
        try:
            db = sqlite3.connect(path, timeout=120)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, value BLOB, used INTEGER)"
            )
            return db
        except sqlite3.DatabaseError:
            if attempt:
                raise
            path.unlink(missing_ok=True)  # a damaged cache is only a slower build
    raise AssertionError("unreachable")


class PageCache:
    """The shared reading store and this edition's writing store, in ``folder``."""

    def __init__(self, folder: Path, edition: str, read_salt: str, build_salt: str):
        self.shared = _connect(folder / "read.sqlite")
        self.own = _connect(folder / f"{edition}.sqlite")
        self.reverse = edition == "internal"  # meet the other edition halfway
        self.read_salt, self.build_salt = read_salt, build_salt
        self.nav_key = ""
        self.addresses: set[str] = set()
        self.read_keys: dict[int, str] = {}  # id(page) → key of its reading
        self.entries: dict[int, list[Any]] = {}  # id(page) → its search entries
        self.used: dict[str, set[str]] = {"read": set(), "built": set()}
        self.hits = {"read": 0, "built": 0}
        # How many warnings MkDocs has logged so far: a page that caused one is never stored,
        # or the next build would reuse it silently and pass.
        self.warnings: Callable[[], int] = lambda: 0

    def _get(self, db: sqlite3.Connection, key: str) -> Any | None:
        row = db.execute("SELECT value FROM pages WHERE key = ?", (key,)).fetchone()
        return pickle.loads(row[0]) if row is not None else None

    def _put(self, db: sqlite3.Connection, key: str, value: Any) -> None:
        db.execute(
            "INSERT OR REPLACE INTO pages VALUES (?, ?, ?)",
            (key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL), time.time_ns()),
        )
        if db is self.shared:
            db.commit()  # at once: the other edition may be looking for it
        # This edition's own store is committed once, by finish: nobody else reads it.

    # -- reading ------------------------------------------------------------------------------

    def read_all(self, original: Any, config: Any, files: Any) -> None:
        """Read every page now, in this edition's order (MkDocs then finds them read)."""
        from mkdocs.structure.pages import Page

        self.addresses = {_address(f.url) for f in files}
        pages = []
        for file in files.documentation_pages():
            if file.page is None and file.inclusion.is_not_in_nav():
                Page(None, file, config)
            pages.append(file.page)
        for page in reversed(pages) if self.reverse else pages:
            self.read(original, page, config, files)

    def read(self, original: Any, page: Any, config: Any, files: Any) -> None:
        source = Path(page.file.abs_src_path).read_bytes()
        key = digest(self.read_salt, page.file.src_uri, repr(page.__dict__.get("title")), source)
        self.read_keys[id(page)] = key
        self.used["read"].add(key)
        state = self._get(self.shared, key)
        if state is not None and self.addresses.issuperset(state["targets"]):
            self.hits["read"] += 1
            page.read_source(config)
            page.content = state["content"]
            page.toc = state["toc"]
            private.set_rendered_title(page, state["title"])
            page.present_anchor_ids = state["anchors"]
            page.links_to_anchors = {
                files.get_file_from_path(uri): links for uri, links in state["links"].items()
            } or None
            self.entries[id(page)] = state["search"]
            return
        warned = self.warnings()
        original(page, config, files, False)
        search = _search_plugin(config)
        if search is not None:
            index = type(search.search_index)(**search.search_index.config)
            index.add_entry_from_context(page)
            self.entries[id(page)] = index.entries
        if self.warnings() != warned:
            return
        self._put(
            self.shared,
            key,
            {
                "content": page.content,
                "toc": page.toc,
                "title": private.rendered_title(page),
                "anchors": page.present_anchor_ids,
                "links": {f.src_uri: links for f, links in (page.links_to_anchors or {}).items()},
                "targets": link_targets(page),
                "search": self.entries.get(id(page), []),
            },
        )

    # -- writing ------------------------------------------------------------------------------

    def build(
        self,
        original: Any,
        page: Any,
        config: Any,
        doc_files: Any,
        nav: Any,
        env: Any,
        excluded: bool,
    ) -> None:
        if not self.nav_key:
            self.nav_key = _nav_signature(nav)
        key = digest(
            self.build_salt, self.read_keys[id(page)], self.nav_key, _relatives(page), str(excluded)
        )
        self.used["built"].add(key)
        search = _search_plugin(config)
        entries = self.entries.get(id(page), [])
        stored = self._get(self.own, key)
        if stored is not None:
            self.hits["built"] += 1
            target = Path(page.file.abs_dest_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(stored)
            if search is not None:
                search.search_index.entries.extend(entries)
            return
        warned = self.warnings()
        # The entries were made when the page was read: no second jieba.
        given = (
            private.entries_given(search.search_index, entries)
            if search is not None
            else contextlib.nullcontext()
        )
        with given:
            original(page, config, doc_files, nav, env, False, excluded)
        target = Path(page.file.abs_dest_path)
        if self.warnings() == warned and target.exists():
            self._put(self.own, key, target.read_bytes())

    def finish(self, succeeded: bool) -> None:
        """Mark what this build used; forget this edition's pages it did not use."""
        now = time.time_ns()
        for db, table in ((self.shared, "read"), (self.own, "built")):
            db.executemany(
                "UPDATE pages SET used = ? WHERE key = ?", ((now, k) for k in self.used[table])
            )
        if succeeded:
            self.own.execute("CREATE TEMP TABLE keep (key TEXT PRIMARY KEY)")
            self.own.executemany(
                "INSERT OR IGNORE INTO keep VALUES (?)", ((k,) for k in self.used["built"])
            )
            self.own.execute("DELETE FROM pages WHERE key NOT IN (SELECT key FROM keep)")
        for db in (self.shared, self.own):
            db.commit()
            db.close()


def forget_unused(folder: Path, since: int) -> None:
    """Drop shared readings no edition used since ``since`` (call after all editions built)."""
    path = folder / "read.sqlite"
    if path.exists():
        db = _connect(path)
        db.execute("DELETE FROM pages WHERE used < ?", (since,))
        db.commit()
        db.close()


@contextlib.contextmanager
def installed(folder: Path, edition: str, config_file: Path) -> Iterator[PageCache]:
    """Route MkDocs' page reading and writing through the cache while the block runs.

    A build MkDocs is asked to make "dirty" (the live preview) bypasses the cache, as does any
    build with a plugin whose per-page events the cache does not know, and any build with a
    MkDocs or Material this was not written for (private.installed).
    """
    cache = PageCache(folder, edition, *page_salts(config_file))
    state: dict[str, bool | None] = {"ok": None, "read": False}

    def usable(config: Any, dirty: bool) -> bool:
        if state["ok"] is None:
            state["ok"] = supported(config)
        return bool(state["ok"]) and not dirty

    def read(original: Any, page: Any, config: Any, files: Any, dirty: bool) -> None:
        if not usable(config, dirty):
            original(page, config, files, dirty)
        elif not state["read"]:
            state["read"] = True
            cache.read_all(original, config, files)
        elif id(page) not in cache.read_keys:
            cache.read(original, page, config, files)

    def write(
        original: Any,
        page: Any,
        config: Any,
        doc_files: Any,
        nav: Any,
        env: Any,
        dirty: bool,
        excluded: bool,
    ) -> None:
        if usable(config, dirty) and id(page) in cache.read_keys:
            cache.build(original, page, config, doc_files, nav, env, excluded)
        else:
            original(page, config, doc_files, nav, env, dirty, excluded)

    reuse = os.environ.get("JIANDI_MARKDOWN_REUSE") != "0"
    succeeded = False
    try:
        with private.installed(
            read, write, speedups.ReusedMarkdown if reuse else None, speedups.RememberingJieba
        ):
            yield cache
        succeeded = True
    finally:
        cache.finish(succeeded)
