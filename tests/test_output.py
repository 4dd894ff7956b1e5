"""Atomic output: a failure, an exception or a kill -9 at any moment keeps the last good site."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from generator.site import output
from tests.conftest import SAMPLE, jiandi
from tests.test_site import tree_hash


def test_publish_swaps_and_removes_old(tmp_path):
    target, staging = tmp_path / "public", tmp_path / ".public.x"
    target.mkdir()
    (target / "old.html").write_text("old")
    staging.mkdir()
    (staging / "new.html").write_text("new")
    output.publish(staging, target)
    assert [p.name for p in target.iterdir()] == ["new.html"]
    assert not staging.exists()


def test_publish_into_empty_place(tmp_path):
    staging = tmp_path / ".public.x"
    staging.mkdir()
    output.publish(staging, tmp_path / "public")
    assert (tmp_path / "public").is_dir() and not staging.exists()


def test_exception_during_build_keeps_site(tmp_path, monkeypatch):
    shutil.copytree(SAMPLE, tmp_path / "content")
    assert jiandi("build", "--no-booklets", "--content", "content", cwd=tmp_path).code == 0
    before = tree_hash(tmp_path / "site")

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("generator.site.build.run_mkdocs", boom)
    run = jiandi("build", "--no-booklets", "--content", "content", cwd=tmp_path)
    assert run.code == 1
    assert "jiandi 内部错误（RuntimeError: disk on fire）" in run.output
    assert "Traceback" not in run.output
    assert tree_hash(tmp_path / "site") == before


@pytest.mark.parametrize("delay", [0.5, 1.3, 2.1, 2.9])
def test_kill_9_at_any_moment(tmp_path, delay):
    """Kill a real build process at several moments: the old or the complete new site remains."""
    shutil.copytree(SAMPLE, tmp_path / "content")
    assert jiandi("build", "--no-booklets", "--content", "content", cwd=tmp_path).code == 0
    old = {e: tree_hash(tmp_path / "site" / e) for e in ("public", "internal")}
    # New content, so that a finished new build can be told from the old one.
    event = tmp_path / "content/events/2023-12-27-qianyue.md"
    event.write_text(event.read_text("utf-8") + "\n补充说明。\n", "utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--no-booklets", "--content", "content"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    for edition in ("public", "internal"):
        path = tmp_path / "site" / edition
        assert path.is_dir(), edition
        now = tree_hash(path)
        if now != old[edition]:  # only a complete new build may have replaced it
            assert "补充说明" in (path / "events/2023-12-27-qianyue/index.html").read_text("utf-8")
    # The next build cleans up whatever the killed one left behind.
    assert jiandi("build", "--no-booklets", "--content", "content", cwd=tmp_path).code == 0
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["internal", "public"]
