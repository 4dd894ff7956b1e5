"""The private MkDocs and Material API jiandi touches (generator/plugin/private.py) is the one it
was written for, and every touch is undone after a build."""

from __future__ import annotations

import json

import pytest

from generator.plugin import private


def test_the_private_api_is_the_one_private_py_was_written_for():
    # If this fails after an upgrade of MkDocs or Material: read private.py against the new
    # release, adapt it, update SIGNATURES and the bounds in pyproject.toml.
    assert private.problems() == []


def _touched() -> tuple[object, ...]:
    from material.plugins.search import plugin as search
    from mkdocs.commands import build
    from mkdocs.structure import pages

    return build._populate_page, build._build_page, pages.markdown, search.jieba, search.json


def test_every_touch_is_undone_after_a_build(sample_build):
    from tests.conftest import jiandi

    before = _touched()
    run = jiandi(
        "build",
        "--content",
        "content",
        "--out",
        "again",
        "--build-dir",
        "build",
        "--no-booklets",
        cwd=sample_build,
    )
    assert run.code == 0, run.output
    assert _touched() == before
    from material.plugins.search import plugin as search

    assert search.json is json


def test_every_touch_is_undone_when_the_build_fails():
    before = _touched()
    with (
        pytest.raises(RuntimeError),
        private.installed(lambda *a: None, lambda *a: None, lambda m: m, lambda j: j),
    ):
        raise RuntimeError("a build that fails")
    assert _touched() == before
    undo = private.utf8_search_index()
    assert _touched() != before
    undo()
    assert _touched() == before


def test_a_changed_signature_turns_the_touches_off(monkeypatch):
    monkeypatch.setitem(
        private.SIGNATURES,
        "mkdocs.commands.build._populate_page",
        "(page, config, files, dirty=False, extra=None)",
    )
    assert private.problems() == [
        "mkdocs.commands.build._populate_page: signature "
        "(page, config, files, dirty=False), written for "
        "(page, config, files, dirty=False, extra=None)"
    ]
    before = _touched()
    with private.installed(lambda *a: None, lambda *a: None, lambda m: m, lambda j: j) as on:
        assert on is False
        assert _touched() == before


def test_a_missing_attribute_is_noticed(monkeypatch):
    monkeypatch.setitem(
        private.ATTRIBUTES,
        "mkdocs.structure.pages.Page",
        ("_title_from_render", "_no_such_attribute"),
    )
    assert private.problems() == ["mkdocs.structure.pages.Page._no_such_attribute: missing"]


def test_a_changed_signature_still_builds_the_same_pages(tmp_path, monkeypatch):
    """Without the touches (the page cache off), the build is slower, not different."""
    from tests.test_page_cache import PAGES, build, project

    config = project(tmp_path, PAGES)
    normal = build(config, tmp_path / "normal", tmp_path / "cache")
    monkeypatch.setitem(private.SIGNATURES, "mkdocs.commands.build._build_page", "(changed)")
    assert build(config, tmp_path / "off", tmp_path / "cache2", hits=0) == normal


def test_a_build_interrupted_before_it_could_undo_leaves_nothing_behind():
    """Ctrl+C inside MkDocs skips the plugin's undo: the next build's undo, and the end of
    jiandi's run of MkDocs (private.restore), put the json module back all the same."""
    from material.plugins.search import plugin as search

    private.utf8_search_index()  # interrupted: never undone
    assert search.json is not json
    undo = private.utf8_search_index()  # the next build
    undo()
    assert search.json is json
    private.utf8_search_index()
    private.restore()
    assert search.json is json
