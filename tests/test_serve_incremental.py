"""The live preview's short cuts never change what it shows: after any edit, the project it
regenerated equals one generated from scratch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import editions
from generator.resolve import validate
from generator.serve import Preview
from generator.site import load_base_config, project_file, write_project
from tests.conftest import SAMPLE
from tests.test_site import tree_hash

EVENT = "events/2023-12-27-lianyuan-zhuanchang.md"


def fresh(content: Path, edition: str, project: Path) -> str:
    corpus, problems = validate(content)
    assert not problems.errors
    write_project(editions.make(corpus, edition), load_base_config(project_file("mkdocs.yml")),
                  project, project_file("templates").resolve())
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
    import generator.site as site

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
    from generator import personal
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
    assert [(p.code, p.path.name) for p in raised.value.problems.items] == \
        [("JD601", "2023-12-27-lianyuan-zhuanchang.md")]
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
