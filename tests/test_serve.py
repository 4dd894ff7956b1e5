"""jiandi serve: start it on a free port, edit a record, see the change, break it, stop it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from tests.conftest import SAMPLE


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def wait_for(url: str, text: str, seconds: float) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        status, body = fetch(url)
        if status == 200 and text in body:
            return time.monotonic() - start
        time.sleep(0.2)
    return None


def assert_settles(url: str) -> None:
    """After an update, the page's live-reload poll waits for the next change: it does not
    answer at once with a newer version (a build reading its own watched files, mkdocs.yml or
    the templates, would set off another, and the browser would reload again and again)."""
    import re

    time.sleep(1.5)  # the update's own build is done
    epoch = re.search(r"livereload\((\d+), \d+\)", fetch(url)[1])
    assert epoch, "no live-reload script in the page"
    start = time.monotonic()
    try:
        with urllib.request.urlopen(
            f"{url.split('/events/')[0]}/livereload/{epoch[1]}/1", timeout=4
        ) as response:
            answer = response.read().decode()
    except OSError:  # timed out waiting: nothing was rebuilt
        return
    assert time.monotonic() - start > 3.5, f"rebuilt again without a change ({answer})"


def test_serve_rebuilds_reports_and_keeps_last_good(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "content")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--content", "content", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}/events/2023-12-27-qianyue/"
    try:
        assert wait_for(url, "签署监地共建协议", 60) is not None, "the preview never came up"
        record = tmp_path / "content/events/2023-12-27-qianyue.md"
        record.write_text(record.read_text("utf-8") + "\n新加的一句话甲乙。\n", "utf-8")
        took = wait_for(url, "新加的一句话甲乙", 15)
        assert took is not None and took < 15
        assert_settles(url)
        # A broken record: reported in the terminal, and the last good preview stays.
        (tmp_path / "content/events/bad.md").write_text("---\ntitle: 坏\n---\n", "utf-8")
        time.sleep(4)
        status, body = fetch(url)
        assert status == 200 and "新加的一句话甲乙" in body
        # Fixed again: the preview moves on.
        (tmp_path / "content/events/bad.md").unlink()
        record.write_text(record.read_text("utf-8") + "\n又一句话丙丁。\n", "utf-8")
        assert wait_for(url, "又一句话丙丁", 15) is not None
        # Internal content never shows in the public preview.
        assert "内部资料" not in fetch(f"http://127.0.0.1:{port}/")[1]
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=20)
    assert process.returncode == 0, output
    assert "content/events/bad.md:1: 缺少必填字段 “visibility”" in output
    assert output.count("content/events/bad.md:1: 缺少必填字段 “visibility”") == 1
    # Each update says what it changed; the first after an error says it was put right.
    assert "已更新 1 页：events/2023-12-27-qianyue（" in output
    assert "错误已改正，" in output
    assert "Building prefix dict" not in output  # jieba's loading chatter
    assert "Traceback" not in output


def test_serve_refuses_to_start_on_broken_content(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "content")
    (tmp_path / "content/events/bad.md").write_text("---\ntitle: 坏\n---\n", "utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "serve",
            "--content",
            "content",
            "--port",
            str(free_port()),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "content/events/bad.md:1: 缺少必填字段 “visibility”" in result.stdout + result.stderr
