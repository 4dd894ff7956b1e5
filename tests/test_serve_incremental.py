"""The live preview's short cuts never change what it shows: after any edit, the project it
regenerated equals one generated from scratch."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator import editions
from generator.check import validate
from generator.config import load_base_config, project_file
from generator.preview.regenerate import Preview
from generator.site.project import write_project
from tests.conftest import SAMPLE
from tests.test_site import tree_hash

EVENT = "events/2023-12-27-lianyuan-zhuanchang.md"


def fresh(content: Path, edition: str, project: Path) -> str:
    corpus, problems = validate(content)
    assert not problems.errors
    write_project(
        editions.make(corpus, edition),
        load_base_config(project_file("mkdocs.yml")),
        project,
        project_file("templates").resolve(),
    )
    return tree_hash(project / "docs")


def edit_body(path: Path) -> None:
    path.write_text(path.read_text("utf-8") + "\n预览里补充的一句话。\n", "utf-8")


def edit_body_top(path: Path) -> None:
    """A line added above the body's links: they move down, and still point where they did."""
    text = path.read_text("utf-8")
    end = text.index("\n---\n", 4) + len("\n---\n")
    path.write_text(text[:end] + "\n预览里开头补充的一句话。\n" + text[end:], "utf-8")


def edit_title(path: Path) -> None:
    text = path.read_text("utf-8")
    path.write_text(text.replace("title: ", "title: 改过的", 1), "utf-8")


def add_record(path: Path) -> None:
    target = path.with_name("2023-12-28-xin-jilu.md")
    target.write_text(path.read_text("utf-8").replace("title: ", "title: 新增的", 1), "utf-8")


@pytest.mark.parametrize("edit", [edit_body, edit_body_top, edit_title, add_record])
@pytest.mark.parametrize("edition", ["public", "internal"])
def test_regenerated_preview_equals_a_fresh_project(tmp_path, edit, edition):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    preview = Preview(content, edition, tmp_path / "serve", lambda error: None)
    preview.regenerate()
    edit(content / EVENT)
    preview.regenerate()
    expected = fresh(content, edition, tmp_path / "fresh")
    assert tree_hash(tmp_path / "serve" / "docs") == expected


def test_a_body_edit_renders_only_that_record(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    preview = Preview(content, "public", tmp_path / "serve", lambda error: None)
    preview.regenerate()
    calls = []
    from generator.site import project as site

    monkeypatch.setattr(site, "write_project", lambda *a, **k: calls.append("full"))
    edit_body(content / EVENT)
    preview.regenerate()
    assert calls == []  # the short cut was taken
    page = tmp_path / "serve" / "docs" / "events" / "2023-12-27-lianyuan-zhuanchang.md"
    assert "预览里补充的一句话" in page.read_text("utf-8")


def test_personal_data_found_again_after_every_edit_with_unchanged_records_remembered(tmp_path):
    """The personal-data check remembers its findings per unchanged record: a number added in
    one record is reported, one in a record that was not edited stays reported, and a fix
    clears it."""
    from generator.content import personal
    from generator.problems import ContentError

    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    preview = Preview(content, "public", tmp_path / "serve", lambda error: None)
    preview.regenerate()
    event, other = content / EVENT, content / "events/2023-12-27-kaifu-zhuanchang.md"
    original = event.read_text("utf-8")
    event.write_text(original + "\n家属电话13812345678。\n", "utf-8")
    with pytest.raises(ContentError) as raised:
        preview.regenerate()
    assert [p.code for p in raised.value.problems.items] == ["JD601"]
    scanned = []
    real = personal._findings
    personal._findings = lambda entry: scanned.append(entry.id) or real(entry)  # type: ignore[assignment]
    try:
        edit_body(other)  # the bad record is unchanged: its finding comes from memory
        with pytest.raises(ContentError) as raised:
            preview.regenerate()
    finally:
        personal._findings = real  # type: ignore[assignment]
    assert scanned == ["2023-12-27-kaifu-zhuanchang"]
    assert [(p.code, p.path.name) for p in raised.value.problems.items] == [
        ("JD601", "2023-12-27-lianyuan-zhuanchang.md")
    ]
    event.write_text(original, "utf-8")
    preview.regenerate()  # fixed: no error


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_successive_body_edits_equal_a_fresh_project(tmp_path, edition):
    """The second body edit reuses the chart plan kept from the first: still the same project."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    preview = Preview(content, edition, tmp_path / "serve", lambda error: None)
    preview.regenerate()
    for path in (EVENT, "bureaus/lianyuan.md", EVENT):
        edit_body(content / path)
        preview.regenerate()
    assert preview.charts is not None  # kept
    assert tree_hash(tmp_path / "serve" / "docs") == fresh(content, edition, tmp_path / "fresh")


CLEAN_BUILD = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(sys.argv[1], site_dir=sys.argv[2], strict=False)
config.site_url = sys.argv[3]
build(config, serve_url=sys.argv[3])
"""


def preview_session(
    tmp_path: Path, monkeypatch: Any, edition: str = "public", templates: Path | None = None
) -> tuple[Path, Preview, Any]:
    """A copy of the sample content, its preview regenerated, and the preview's Session (not
    started) building into tmp_path/site, as `jiandi serve` runs them."""
    from mkdocs.config.defaults import MkDocsConfig

    from generator.preview import serve

    # One preview per process, as in `jiandi serve`: MkDocs keeps plugins between builds.
    monkeypatch.setattr(MkDocsConfig.plugins, "plugin_cache", {})
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    preview = Preview(content, edition, tmp_path / "serve", lambda error: None)
    if templates is not None:
        preview.templates = templates
    preview.regenerate()
    return content, preview, serve.Session(preview, tmp_path / "site", "http://127.0.0.1:8999/")


def clean_build(content: Path, edition: str, tmp_path: Path, url: str) -> None:
    """The content built from scratch into tmp_path/clean: a new project, a clean build in a
    new process (MkDocs keeps plugins, and Material's search its index, between builds in one
    process)."""
    again = Preview(content, edition, tmp_path / "again", lambda error: None)
    again.regenerate()
    subprocess.run(
        [
            sys.executable,
            "-c",
            CLEAN_BUILD,
            str(tmp_path / "again/mkdocs.yml"),
            str(tmp_path / "clean"),
            url,
        ],
        check=True,
        capture_output=True,
    )


def search_entries(site: Path) -> list[str]:
    import json

    # Without the marks between words: jieba's dictionary is global, so where it cuts depends
    # on the editions other tests in this process loaded.
    index = json.loads((site / "search/search_index.json").read_text("utf-8"))
    return sorted(
        json.dumps(entry, ensure_ascii=False, sort_keys=True).replace("\u200b", "")
        for entry in index["docs"]
    )


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_rendering_changed_record_pages_alone_equals_a_full_build(tmp_path, edition, monkeypatch):
    """The preview renders a record whose body alone changed with the objects of MkDocs' last
    build; the page and the search index equal those of a build from scratch."""
    content, preview, session = preview_session(tmp_path, monkeypatch, edition)
    full_builds = []
    original = session.full_build
    monkeypatch.setattr(
        session, "full_build", lambda **options: (full_builds.append(1), original(**options))
    )
    session.start()
    assert session.rendered.complete
    for round_ in range(2):
        edit_body(content / EVENT)
        (content / EVENT).write_text(
            (content / EVENT).read_text("utf-8")
            + f"\n## 第{round_}个新小节\n\n小节正文{round_}。\n",
            "utf-8",
        )
        session.rebuild()
        assert preview.pages_written == [EVENT]
    assert full_builds == [1], "a body edit went through MkDocs' whole build"
    fast = tmp_path / "site" / EVENT.removesuffix(".md") / "index.html"
    assert "小节正文1" in fast.read_text("utf-8")
    clean_build(content, edition, tmp_path, session.url)
    clean = tmp_path / "clean" / EVENT.removesuffix(".md") / "index.html"
    assert fast.read_bytes() == clean.read_bytes()
    assert search_entries(tmp_path / "site") == search_entries(tmp_path / "clean")
    # Anything but a body goes through MkDocs again.
    edit_title(content / EVENT)
    session.rebuild()
    assert full_builds == [1, 1]


def test_a_theme_override_change_shows_on_every_page(tmp_path, monkeypatch):
    """The overrides change the theme around pages whose Markdown stays the same; MkDocs'
    dirty build alone would leave those pages as they were."""
    templates = tmp_path / "templates"
    shutil.copytree(project_file("templates"), templates)
    content, preview, session = preview_session(tmp_path, monkeypatch, templates=templates)
    session.start()
    page = tmp_path / "site" / EVENT.removesuffix(".md") / "index.html"
    override = templates / "overrides/main.html"
    original = override.read_text("utf-8")
    override.write_text(
        original.replace("{{ super() }}", '{{ super() }}<meta name="jd-test">', 1), "utf-8"
    )
    session.rebuild()
    assert '<meta name="jd-test">' in page.read_text("utf-8")
    override.write_text(original, "utf-8")
    session.rebuild()
    assert '<meta name="jd-test">' not in page.read_text("utf-8")
    edit_body(content / EVENT)  # and record bodies go the short way again
    session.rebuild()
    assert preview.pages_written == [EVENT] and "预览里补充的一句话" in page.read_text("utf-8")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_the_preview_watches_with_inotify():
    """Polling lists and stats every content file twice a second; a probe that fails for a
    wrong reason would fall back to it without a word."""
    from watchdog.observers.inotify import InotifyObserver

    from generator.preview.serve import observer

    assert isinstance(observer(), InotifyObserver)


@pytest.mark.parametrize("polling", [False, True])
def test_the_preview_watcher_reports_changes_only(tmp_path, polling):
    """A file opened and closed unwritten (an editor, MkDocs reading mkdocs.yml) is no change:
    with inotify, watchdog reports it, and every rebuild set off the next."""
    import time

    from watchdog.events import FileSystemEventHandler

    from generator.preview import serve

    seen: list[str] = []

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event):
            seen.append(type(event).__name__)

    (tmp_path / "a.md").write_text("x", "utf-8")
    watcher = serve._PollingChanges(timeout=0.1) if polling else serve.observer()
    watcher.schedule(Handler(), str(tmp_path), recursive=True)
    watcher.start()
    try:
        time.sleep(0.3)
        (tmp_path / "a.md").read_text("utf-8")  # opened and closed, not written
        time.sleep(0.5)
        assert seen == []
        (tmp_path / "a.md").write_text("y", "utf-8")
        deadline = time.monotonic() + 5
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
        assert seen and set(seen) <= {c.__name__ for c in serve.CHANGES}
    finally:
        watcher.stop()
        watcher.join()


def test_the_preview_search_index_equals_a_clean_builds_after_many_pages_change(
    tmp_path, monkeypatch
):
    """A title edit and a record added go through MkDocs' dirty build, and a save that changes
    many bodies renders those pages alone: Material's search plugin, given several rebuilt pages,
    kept the old entries of all but the first. The index must equal a clean build's."""
    content, preview, session = preview_session(tmp_path, monkeypatch)
    session.start()
    edit_title(content / EVENT)
    session.rebuild()
    add_record(content / EVENT)
    session.rebuild()
    bodies = sorted((content / "policies").glob("*.md")) + sorted(
        (content / "bureaus").glob("*.md")
    )
    for path in bodies:
        path.write_text(path.read_text("utf-8") + "\n改过的正文独有一句。\n", "utf-8")
    session.rebuild()
    # Ten records changed; one of the policies is internal, so nine public pages, rendered alone.
    assert preview.pages_written is not None and len(preview.pages_written) == 9
    clean_build(content, "public", tmp_path, session.url)
    assert search_entries(tmp_path / "site") == search_entries(tmp_path / "clean")


def test_a_deleted_record_leaves_the_preview(tmp_path, monkeypatch):
    """MkDocs' dirty build leaves the pages of files that are gone; the preview must not keep
    serving a deleted record's page."""
    content, _preview, session = preview_session(tmp_path, monkeypatch)
    session.start()
    page = tmp_path / "site/policies/jianyufa-68-tiao/index.html"
    assert page.is_file()
    (content / "policies/jianyufa-68-tiao.md").unlink()  # no other record links to it
    session.rebuild()
    assert not page.exists() and not page.parent.exists()
    assert "jianyufa-68-tiao" not in (tmp_path / "site/policies/index.html").read_text("utf-8")
    assert (tmp_path / "site/policies/yibao-guodu-anzhi/index.html").is_file()
    assert (tmp_path / "site/assets/stylesheets/jiandi.css").is_file()  # the theme's stay


def test_a_new_entry_in_the_navigation_shows_on_every_page(tmp_path, monkeypatch):
    """The first public event of a new year adds that year to the navigation of every page;
    MkDocs' dirty build would leave the pages whose Markdown did not change without it."""
    content, preview, session = preview_session(tmp_path, monkeypatch)
    session.start()
    unchanged = tmp_path / "site/policies/jianyufa-68-tiao/index.html"
    assert "news/2025/" not in unchanged.read_text("utf-8")
    event = (content / EVENT).read_text("utf-8")
    (content / "events/2025-03-01-xinnian.md").write_text(
        event.replace("date: 2023-12-27", "date: 2025-03-01").replace("title: ", "title: 新年", 1),
        "utf-8",
    )
    session.rebuild()
    assert preview.config_changed
    assert "news/2025/" in unchanged.read_text("utf-8")
