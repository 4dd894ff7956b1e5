"""Reuse pages MkDocs built before, keyed by content hash, so a rebuild after one edit is quick.

MkDocs rebuilds every page on every build. During jiandi's own builds (never in a plain
``mkdocs build`` of the generated project) MkDocs' two per-page steps are wrapped:

- reading a page (Markdown → HTML): keyed by the page's source bytes and everything that is the
  same for all pages (the edition's mkdocs.yml, the theme overrides, the search dictionary, the
  list of files, jiandi's hook code and the versions of MkDocs, the theme and their libraries).
  A hit restores what reading would have set: front matter, HTML, table of contents, title and
  the anchors used to check links between pages.
- writing a page (theme template → file): keyed by the first key plus the navigation as the
  page sees it (every nav title and address, its own place in it, previous and next). A hit
  writes the stored HTML and gives the search plugin the stored entries for that page.

Everything a page's output depends on is in its keys, so a warm build writes the same bytes as
a cold one (tests/test_cache.py compares them). The cache is only used when the events it skips
are known: the search plugin and jiandi's own HTML cleaning; any other plugin turns it off.
Entries a build did not use are deleted at its end, so the cache does not grow without bound.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import pickle
import sqlite3
from pathlib import Path
from typing import Any, Callable, Iterator

from generator import html_policy, mkdocs_hooks

# The per-page events a hit skips, and who may listen to them.
SKIPPED_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content",
                  "page_context", "post_page")
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jieba", "nh3")


def _digest(*parts: bytes | str) -> str:
    sha = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        sha.update(len(data).to_bytes(8, "little"))
        sha.update(data)
    return sha.hexdigest()


def _folder_bytes(folder: Path) -> bytes:
    if not folder.is_dir():
        return b""
    return b"".join(str(p.relative_to(folder)).encode() + b"\0" + p.read_bytes()
                    for p in sorted(folder.rglob("*")) if p.is_file())


def salt(config_file: Path, overrides: Path, userdict: Path) -> str:
    """What every page depends on besides its own source."""
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name}=?")
    code = b"".join(Path(m.__file__).read_bytes() for m in (html_policy, mkdocs_hooks))
    code += Path(__file__).read_bytes()
    return _digest(config_file.read_bytes(), _folder_bytes(overrides),
                   userdict.read_bytes() if userdict.exists() else b"", "\n".join(versions), code)


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
            code = getattr(method, "__code__", None)
            if event == "page_content" and code is not None \
                    and code.co_filename == mkdocs_hooks.__file__:
                continue
            return False
    return True


def _nav_signature(nav: Any) -> str:
    def walk(items: list[Any]) -> list[Any]:
        return [(type(item).__name__, str(item.title), getattr(item, "url", None),
                 walk(item.children or []) if getattr(item, "children", None) else [])
                for item in items]
    return _digest(repr(walk(nav.items)))


def _relatives(page: Any) -> str:
    def ref(other: Any) -> Any:
        return (str(other.title), other.url) if other is not None else None
    return repr((ref(page.previous_page), ref(page.next_page),
                 [str(a.title) for a in page.ancestors], page.is_homepage))


class PageCache:
    """One edition's cache: a small SQLite file of pickled page states and outputs."""

    def __init__(self, path: Path, salt: str):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=60)
        self.db.execute("CREATE TABLE IF NOT EXISTS read (key TEXT PRIMARY KEY, value BLOB)")
        self.db.execute("CREATE TABLE IF NOT EXISTS built (key TEXT PRIMARY KEY, value BLOB)")
        self.salt = salt
        self.files_key = ""
        self.nav_key = ""
        self.read_keys: dict[int, str] = {}  # id(page) → key of its source
        self.used: dict[str, set[str]] = {"read": set(), "built": set()}
        self.hits = {"read": 0, "built": 0}
        # How many warnings MkDocs has logged so far: a page that caused one is never stored,
        # or the next build would reuse it silently and pass.
        self.warnings: Callable[[], int] = lambda: 0
        self.misses = {"read": 0, "built": 0}

    def _get(self, table: str, key: str) -> Any | None:
        row = self.db.execute(f"SELECT value FROM {table} WHERE key = ?", (key,)).fetchone()
        self.used[table].add(key)
        if row is None:
            self.misses[table] += 1
            return None
        self.hits[table] += 1
        return pickle.loads(row[0])

    def _put(self, table: str, key: str, value: Any) -> None:
        self.db.execute(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)",
                        (key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL)))
        self.used[table].add(key)

    # -- reading ------------------------------------------------------------------------------

    def read(self, original: Any, page: Any, config: Any, files: Any, dirty: bool) -> None:
        if not self.files_key:
            self.files_key = _digest(self.salt, "\n".join(sorted(f.src_uri for f in files)))
        key = _digest(self.files_key, page.file.src_uri, Path(page.file.abs_src_path).read_bytes())
        self.read_keys[id(page)] = key
        state = self._get("read", key)
        if state is not None:
            page.read_source(config)
            page.content = state["content"]
            page.toc = state["toc"]
            page._title_from_render = state["title"]
            page.present_anchor_ids = state["anchors"]
            page.links_to_anchors = {files.get_file_from_path(uri): links
                                     for uri, links in state["links"].items()} or None
            return
        warned = self.warnings()
        original(page, config, files, dirty)
        if self.warnings() != warned:
            return
        self._put("read", key, {
            "content": page.content, "toc": page.toc, "title": page._title_from_render,
            "anchors": page.present_anchor_ids,
            "links": {f.src_uri: links for f, links in (page.links_to_anchors or {}).items()},
        })

    # -- writing ------------------------------------------------------------------------------

    def build(self, original: Any, page: Any, config: Any, doc_files: Any, nav: Any, env: Any,
              dirty: bool, excluded: bool) -> None:
        if not self.nav_key:
            self.nav_key = _nav_signature(nav)
        key = _digest(self.read_keys[id(page)], self.nav_key, _relatives(page), str(excluded))
        search = _search_plugin(config)
        entries = search.search_index.entries if search is not None else []
        stored = self._get("built", key)
        if stored is not None:
            target = Path(page.file.abs_dest_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(stored["html"])
            entries.extend(stored["search"])
            return
        before, warned = len(entries), self.warnings()
        original(page, config, doc_files, nav, env, dirty, excluded)
        if self.warnings() != warned:
            return
        target = Path(page.file.abs_dest_path)
        self._put("built", key, {"html": target.read_bytes() if target.exists() else b"",
                                 "search": entries[before:]})

    def finish(self) -> None:
        """Forget entries this build did not use, and save."""
        for table, keys in self.used.items():
            self.db.execute(f"CREATE TEMP TABLE keep_{table} (key TEXT PRIMARY KEY)")
            self.db.executemany(f"INSERT OR IGNORE INTO keep_{table} VALUES (?)",
                                ((k,) for k in keys))
            self.db.execute(f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM keep_{table})")
        self.db.commit()
        self.db.close()


@contextlib.contextmanager
def installed(path: Path, salt_value: str) -> Iterator[PageCache]:
    """Route MkDocs' page reading and writing through a cache while the block runs.

    Pages of a build MkDocs is asked to make "dirty" (the live preview) bypass the cache, as
    does any build with a plugin whose per-page events the cache does not know.
    """
    from mkdocs.commands import build as mkdocs_build

    cache = PageCache(path, salt_value)
    original_read, original_build = mkdocs_build._populate_page, mkdocs_build._build_page
    state = {"ok": None}

    def usable(config: Any, dirty: bool) -> bool:
        if state["ok"] is None:
            state["ok"] = supported(config)
        return bool(state["ok"]) and not dirty

    def read(page: Any, config: Any, files: Any, dirty: bool = False) -> None:
        if usable(config, dirty):
            cache.read(original_read, page, config, files, dirty)
        else:
            original_read(page, config, files, dirty)

    def build(page: Any, config: Any, doc_files: Any, nav: Any, env: Any, dirty: bool = False,
              excluded: bool = False) -> None:
        if usable(config, dirty) and id(page) in cache.read_keys:
            cache.build(original_build, page, config, doc_files, nav, env, dirty, excluded)
        else:
            original_build(page, config, doc_files, nav, env, dirty, excluded)

    mkdocs_build._populate_page, mkdocs_build._build_page = read, build
    succeeded = False
    try:
        yield cache
        succeeded = True
    finally:
        mkdocs_build._populate_page, mkdocs_build._build_page = original_read, original_build
        if succeeded:
            cache.finish()
        else:
            cache.db.commit()  # what was built is still right; keep it, but forget nothing
            cache.db.close()
