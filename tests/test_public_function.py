"""The public edition is a function of public content alone."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from generator.check import validate
from tests.conftest import SAMPLE, jiandi, write_tree
from tests.test_site import tree_hash


def rewrite_internal(root: Path) -> None:
    """Change every internal record, section and field; add an internal record."""
    corpus, problems = validate(root)
    assert not problems
    for entry in corpus.all():
        text = entry.path.read_text("utf-8")
        if not entry.public:
            text = text.replace("title: ", "title: 改过的", 1) + "\n另加的一段内部正文。\n"
        text = re.sub(r"(::: internal\n)", r"\1改动过的内部段落。\n\n", text)
        if entry.data.internal:
            text = text.replace("internal:\n", "internal:\n  added_note: 新增的内部字段\n", 1)
        else:
            text = text.replace("\n---\n", "\ninternal:\n  notes: 新增的内部备注\n---\n", 1)
        entry.path.write_text(text, "utf-8")
    write_tree(
        root,
        {
            "events/2025-03-01-neibu-xin.md": (
                "---\ntitle: 新增的内部活动\nvisibility: internal\ndate: 2025-03-01\n"
                "bureaus: [lianyuan]\ntopics: [anzhi-bangjiao]\nparent: 2023-12-27-lianhe-bangfu\n"
                "related: [policies/yibao-guodu-anzhi]\n---\n内部活动的正文。\n"
            )
        },
    )


def test_internal_changes_leave_public_bytes_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    shutil.copytree(SAMPLE, tmp_path / "content")
    assert jiandi("build", "--content", "content", cwd=tmp_path).code == 0
    public_before = tree_hash(tmp_path / "site" / "public")
    internal_before = tree_hash(tmp_path / "site" / "internal")
    rewrite_internal(tmp_path / "content")
    run = jiandi("build", "--content", "content", cwd=tmp_path)
    assert run.code == 0, run.output
    assert tree_hash(tmp_path / "site" / "public") == public_before
    assert tree_hash(tmp_path / "site" / "internal") != internal_before  # the change did land
    assert "新增的内部活动" in (
        tmp_path / "site/internal/events/2025-03-01-neibu-xin/index.html"
    ).read_text("utf-8")
