"""A golden snapshot of the sample's generated MkDocs projects: ``build/<edition>/docs`` and
``mkdocs.yml``, with ``SOURCE_DATE_EPOCH`` fixed.

Any change to what jiandi generates shows here as a readable diff, so a refactoring that was
meant to change nothing can be seen to change nothing. When a change is meant, update the
snapshot and read its diff in review:

    JIANDI_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

Text files are kept as they are, with the absolute paths of the build replaced by ``<build>``
and ``<project>``. A PDF is kept as its page count and text (pypdf), which is what a reader
reads and stays the same across Typst releases; other binary files as their SHA-256.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE, jiandi

GOLDEN = Path(__file__).parent / "golden"
EPOCH = "1717200000"  # 2024-06-01 08:00 Beijing time
TEXT = {".md", ".yml", ".xml", ".json", ".txt", ".svg", ".html", ".css", ".js"}


def snapshot(project: Path, build: Path) -> dict[str, str]:
    """What the golden snapshot keeps of one generated project: relative path → text."""
    from pypdf import PdfReader

    kept: dict[str, str] = {}
    files = [
        project / "mkdocs.yml",
        *sorted(p for p in (project / "docs").rglob("*") if p.is_file()),
    ]
    for path in files:
        name = str(path.relative_to(project))
        if path.suffix in TEXT:
            text = path.read_text("utf-8")
            kept[name] = text.replace(str(build), "<build>").replace(str(ROOT), "<project>")
        elif path.suffix == ".pdf":
            reader = PdfReader(path)
            pages = [page.extract_text() or "" for page in reader.pages]
            kept[name + ".txt"] = f"{len(pages)} pages\n" + "".join(
                f"\n--- page {n} ---\n{text}\n" for n, text in enumerate(pages, 1)
            )
        else:
            kept[name + ".sha256"] = hashlib.sha256(path.read_bytes()).hexdigest() + "\n"
    return kept


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("golden")
    shutil.copytree(SAMPLE, work / "content")
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        run = jiandi(
            "build", "--content", "content", "--out", "site", "--build-dir", "build", cwd=work
        )
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    assert run.code == 0, run.output
    return work / "build"


def _stored(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): p.read_text("utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_generated_project_matches_the_golden_snapshot(generated: Path, edition: str) -> None:
    now = snapshot(generated / edition, generated)
    folder = GOLDEN / edition
    if os.environ.get("JIANDI_UPDATE_GOLDEN") == "1":
        shutil.rmtree(folder, ignore_errors=True)
        for name, text in now.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, "utf-8")
    before = _stored(folder)
    assert before, f"no snapshot in {folder}: run with JIANDI_UPDATE_GOLDEN=1 to make it"
    report = []
    for name in sorted(before.keys() - now.keys()):
        report.append(f"missing now: {name}")
    for name in sorted(now.keys() - before.keys()):
        report.append(f"new: {name}")
    for name in sorted(before.keys() & now.keys()):
        if before[name] != now[name]:
            diff = difflib.unified_diff(
                before[name].splitlines(),
                now[name].splitlines(),
                f"golden/{edition}/{name}",
                f"now/{name}",
                lineterm="",
                n=2,
            )
            report.extend(list(diff)[:40])
    assert not report, (
        "the generated project differs from tests/golden (if meant, update it: "
        "JIANDI_UPDATE_GOLDEN=1 pytest tests/test_golden.py):\n" + "\n".join(report[:200])
    )
