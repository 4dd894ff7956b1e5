"""Fixtures that build on each other: a content tree → a validated corpus → built editions."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content"


@pytest.fixture(scope="session", autouse=True)
def shared_photo_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """One photo cache for the whole session: the sample's photos are re-encoded once, not in
    every test's fresh build folder (tests of the cache itself set their own)."""
    os.environ.setdefault("JIANDI_PHOTO_CACHE", str(tmp_path_factory.mktemp("photo-cache")))


TOPICS = "anzhi-bangjiao: 安置帮教\nfazhi-jiaoyu:\n  name: 法治教育\n  description: 讲法律\n"
BUREAU = """\
---
title: 涟源市司法局
short_name: 涟源市
region: 娄底市
visibility: public
---
涟源市司法局。
"""
EVENT = """\
---
title: 涟源市专场
visibility: public
date: 2023-12-27
bureaus: [lianyuan]
topics: [anzhi-bangjiao]
---
正文。
"""


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (relative path → text, dedented, or bytes) under ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A small valid content tree: topics, one bureau, one event."""
    return write_tree(
        tmp_path / "content",
        {
            "topics.yml": TOPICS,
            "bureaus/lianyuan.md": BUREAU,
            "events/2023-12-27-lianyuan.md": EVENT,
        },
    )


class Run:
    def __init__(self, code: int, output: str):
        self.code = code
        self.output = output
        self.lines = [line for line in output.splitlines() if line.strip()]


def jiandi(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run the CLI in ``cwd`` (paths in messages are relative to it), with ``env`` set."""
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = runner.invoke(main, list(args), catch_exceptions=False, env=env)
    finally:
        os.chdir(old)
    return Run(result.exit_code, result.output)


@pytest.fixture
def check(tmp_path: Path):
    """check(files) → Run of ``jiandi check`` on a valid tree with ``files`` added or replaced."""

    def run(files: dict[str, str | bytes], base: bool = True) -> Run:
        root = tmp_path / "content"
        if base:
            write_tree(
                root,
                {
                    "topics.yml": TOPICS,
                    "bureaus/lianyuan.md": BUREAU,
                    "events/2023-12-27-lianyuan.md": EVENT,
                },
            )
        write_tree(root, files)
        return jiandi("check", "--content", "content", cwd=tmp_path)

    return run


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample content built once (both editions): returns the folder holding site/, build/."""
    work = tmp_path_factory.mktemp("sample")
    shutil.copytree(SAMPLE, work / "content")
    run = jiandi("build", "--content", "content", "--out", "site", "--build-dir", "build", cwd=work)
    assert run.code == 0, run.output
    return work


def check_with_settings(work: Path, old: str = "", new: str = "", extra: str = "") -> Run:
    """``jiandi check`` in ``work`` (which holds ``content/``) with the sample mkdocs.yml, ``old``
    replaced by ``new`` (it must be there) and ``extra`` appended; the text is in
    ``work / "mkdocs.yml"``."""
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    assert old in text, old
    (work / "mkdocs.yml").write_text(text.replace(old, new, 1) + extra, "utf-8")
    if not (work / "templates").exists():
        shutil.copytree(ROOT / "templates", work / "templates")
    return jiandi("check", "--content", "content", cwd=work)
