"""The same content and SOURCE_DATE_EPOCH give byte-identical trees, whatever the hash seed,
time zone or locale."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import SAMPLE


def build(work: Path, seed: str, tz: str, lang: str) -> dict[str, bytes]:
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": "1717200000",  # 2024-06-01, after the register's issues
        "PYTHONHASHSEED": seed,
        "TZ": tz,
        "LANG": lang,
        "LC_ALL": lang,
    }
    subprocess.run(
        [sys.executable, "-m", "generator", "build", "--content", "content"],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
    )
    site = work / "site"
    return {
        str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
    }


def test_two_builds_are_byte_identical(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for work in (first, second):
        shutil.copytree(SAMPLE, work / "content")
    one = build(first, "1", "UTC", "C.UTF-8")
    two = build(second, "4242", "Asia/Shanghai", "C")
    assert sorted(one) == sorted(two)
    different = [name for name in one if one[name] != two[name]]
    assert different == []
    assert b"2023-12-27" in one["public/sitemap.xml"]  # lastmod follows SOURCE_DATE_EPOCH
