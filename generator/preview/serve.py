"""``jiandi serve``: a live preview that rebuilds when content, templates or mkdocs.yml change.

The edition's MkDocs project is generated under ``build/serve-<edition>/`` and served by MkDocs'
own live-reload server. On each change the project is regenerated from the content, writing only
the files that changed. When only record bodies changed, those record pages alone are rendered
again with the objects MkDocs made in its last build (Rendered); when the templates, mkdocs.yml or
the generated navigation changed, every page is built again; otherwise MkDocs makes a dirty
build, which re-renders only the pages whose files changed. After each build jiandi's MkDocs
plugin (plugin/plugin.py, given the preview's Recorder) merges the rendered pages into the search
index and removes the pages of files that are gone. Each
update prints one line; a content error is printed in the terminal in the format of
``jiandi check``, and the last good preview keeps being served.
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path
from typing import Any, cast

from watchdog import events
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.inotify import InotifyObserver
from watchdog.observers.polling import PollingObserver

from generator.plugin import private
from generator.plugin.plugin import JiandiPlugin, Recorder
from generator.preview.regenerate import Preview
from generator.problems import ContentError


class Rendered(Recorder):
    """The MkDocs objects of the preview's last full build (kept by jiandi's plugin), to render
    record pages again without MkDocs' whole dirty build: at 10,000 records that build spends
    most of a second making a Page for every file and listing them all, for one changed page.

    Only used when nothing but record bodies changed: the files, the navigation and every other
    page are then exactly what the last build made of them."""

    def render(self, pages: list[str]) -> None:
        """Render and write ``pages`` (paths under docs/) again, and the search index, through
        the same MkDocs steps and plugin events as a build."""
        files = self.files
        targets = [files.get_file_from_path(path) for path in pages]
        if any(file is None or file.page is None for file in targets):
            raise LookupError(pages)
        config = self.config.plugins.on_config(self.config)
        for file in targets:
            private.read_page(file.page, config, files)
            private.write_page(file.page, config, files.documentation_pages(), self.nav, self.env)
        for file in targets:
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        config.plugins.on_post_build(config=config)  # the search index (the plugin) and the rest


# What the preview rebuilds on: a file made, changed, removed, moved, or closed after writing.
CHANGES: list[type[FileSystemEvent]] = [
    events.FileCreatedEvent,
    events.FileModifiedEvent,
    events.FileDeletedEvent,
    events.FileMovedEvent,
    events.FileClosedEvent,
]


class _ChangesOnly(BaseObserver):
    """An observer that reports changes only (MkDocs' LiveReloadServer.watch sets no filter)."""

    def schedule(
        self,
        event_handler: FileSystemEventHandler,
        path: str | Path,
        *,
        recursive: bool = False,
        event_filter: list[type[FileSystemEvent]] | None = None,
        follow_symlink: bool = False,
    ) -> ObservedWatch:
        return super().schedule(
            event_handler,
            path,
            recursive=recursive,
            event_filter=CHANGES,
            follow_symlink=follow_symlink,
        )


class _InotifyChanges(_ChangesOnly, InotifyObserver):
    """inotify, changes only."""


class _PollingChanges(_ChangesOnly, PollingObserver):
    """Polling every 0.5 s, changes only."""


def observer() -> BaseObserver:
    """inotify where the system allows it: MkDocs polls every 0.5 s, and at 10,000 records
    each poll lists and stats every file.

    Only changes are reported (CHANGES). With inotify, watchdog also reports a file being
    opened and closed unwritten, and MkDocs rebuilds on any event: every rebuild, reading
    mkdocs.yml and the templates it watches, set off the next, and the browser reloaded about
    five times a second."""
    import os

    from generator.parallel import libc

    try:
        descriptor = libc().inotify_init()  # -1 when the system's inotify limits are reached
    except (OSError, AttributeError):
        descriptor = -1
    if descriptor < 0:
        return _PollingChanges(timeout=0.5)
    os.close(descriptor)
    return _InotifyChanges()


class Session:
    """Builds of the preview into ``site_dir``, served at ``url``: MkDocs' server calls
    ``rebuild`` after each change it was told about."""

    def __init__(self, preview: Preview, site_dir: Path, url: str):
        self.preview, self.site_dir, self.url = preview, site_dir, url
        self.config_file = preview.project / "mkdocs.yml"
        self.log = logging.getLogger("mkdocs.jiandi")
        self.rendered = Rendered()  # MkDocs' objects of the last full build (the plugin keeps them)

    def config(self) -> Any:
        from mkdocs.config import load_config

        # Not strict: MkDocs warns about every dirty build. Content errors are ours to report.
        config = load_config(str(self.config_file), site_dir=str(self.site_dir), strict=False)
        config.site_url = self.url
        # The plugin keeps MkDocs' objects of each build for the preview (Rendered), and what
        # the last build wrote: kept across builds, each of which loads the config anew.
        plugin = config.plugins["jiandi"]
        assert isinstance(plugin, JiandiPlugin), (
            "jiandi's plugin is listed in every generated project"
        )
        plugin.recorder = self.rendered
        return config

    def start(self) -> Any:
        """Tell MkDocs' plugins that a dirty preview starts (Material's search then keeps its
        index between builds), and build it. Returns the configuration to end it with."""
        config = self.config()
        config.plugins.on_startup(command="serve", dirty=True)
        self.full_build()
        return config

    def full_build(self, clean: bool = False) -> None:
        """MkDocs' dirty build (only pages whose Markdown changed), or with ``clean`` every
        page."""
        from mkdocs.commands.build import build

        outputs = self.rendered.outputs
        self.rendered = Rendered()
        self.rendered.outputs = outputs
        build(self.config(), serve_url=self.url, dirty=not clean)

    def rebuild(self) -> None:
        preview = self.preview
        start = time.perf_counter()
        fixed = bool(preview.last_shown)
        try:
            preview.regenerate()
            preview.last_shown = []
        except ContentError as error:
            shown = [p.format() for p in error.problems.sorted()]
            if shown != preview.last_shown:  # an editor may save twice
                preview.report(error)
                preview.last_shown = shown
            return  # the last good preview stays
        pages = preview.pages_written
        if pages == [] and not fixed:
            return  # saved without a change
        if pages is not None and self.rendered.complete:
            try:
                self.rendered.render(pages)
                self.announce(fixed, start, pages)
                return
            except Exception as error:  # noqa: BLE001 - MkDocs' own build is the fallback
                self.log.debug("Rendering the changed pages alone failed (%s)", error)
                for page in pages:  # newer than any half-written output: built again
                    (preview.project / "docs" / page).touch()
        self.full_build(clean=preview.theme_changed or preview.config_changed)
        self.announce(fixed, start, None)

    def announce(self, fixed: bool, start: float, pages: list[str] | None) -> None:
        """One line in the terminal per update, so that the writer knows the browser shows it."""
        what = (
            "模板或 mkdocs.yml 有改动，全部页面已重建"
            if self.preview.theme_changed
            else "导航有改动，全部页面已重建"
            if self.preview.config_changed
            else "预览已更新"
            if pages is None
            else "页面无变化"
            if not pages
            else f"已更新 {len(pages)} 页："
            + "、".join(p.removesuffix(".md") for p in pages[:3])
            + ("等" if len(pages) > 3 else "")
        )
        self.preview.announce(
            ("错误已改正，" if fixed else "") + f"{what}（{time.perf_counter() - start:.2f} 秒）"
        )


def serve(preview: Preview, host: str, port: int) -> None:
    """Generate, then serve with live reload until interrupted.

    MkDocs' own server (mkdocs.livereload) serves the site and reloads the browsers; the loop
    around it is ours (Session)."""
    import tempfile

    from mkdocs.livereload import LiveReloadServer

    preview.regenerate()  # the first build: errors stop here
    import jieba

    jieba.setLogLevel(logging.WARNING)  # not its four lines about loading the dictionary
    logging.getLogger("mkdocs.commands.build").addFilter(
        lambda record: "'dirty' build" not in record.getMessage()
    )
    site_dir = Path(tempfile.mkdtemp(prefix="jiandi-serve-"))
    session = Session(preview, site_dir, f"http://{host}:{port}/")
    server = LiveReloadServer(builder=session.rebuild, host=host, port=port, root=str(site_dir))
    # MkDocs annotates its observer as its own PollingObserver; it only schedules, starts and
    # stops it, which every watchdog observer does.
    server.observer = cast(PollingObserver, observer())
    server.error_handler = lambda code: _error_page(site_dir, code)
    try:
        config = session.start()
        try:
            config.plugins.on_serve(server, config=config, builder=session.rebuild)
            for path in (preview.content, preview.templates, preview.base_file):
                server.watch(str(path))
            try:
                server.serve()
            except KeyboardInterrupt:
                preview.announce("预览已停止")
            finally:
                server.shutdown()
        finally:
            config.plugins.on_shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


def _error_page(site: Path, code: int) -> bytes | None:
    page = site / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None


def port_problem(host: str, port: int) -> tuple[bool, str] | None:
    """Why the preview could not listen on ``host:port`` (True: the option is wrong), or None."""
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return True, f"无法识别的地址 --host {host}：一般用 127.0.0.1"
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return False, (
                    f"端口 {port} 已被占用（可能另一个预览还开着）：请先关掉它，"
                    f"或用 --port 换一个端口，例如 --port {port + 1}"
                )
            return False, (
                f"无法在 {host}:{port} 上启动预览（{error.strerror}）：请换一个 --host 或 --port"
            )
    return None
