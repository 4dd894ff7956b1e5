"""Validators people outside this project trust, on every page of both editions: the Nu Html
Checker (npm vnu-jar, run with Debian's Java) must find no error."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

VNU = ROOT / ".npm" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")
pytestmark = pytest.mark.skipif(
    not VNU.exists() or JAVA is None, reason="vnu-jar or Java is not installed (make test does it)"
)


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_nu_html_checker_finds_no_error_on_any_page(sample_build, edition):
    site = sample_build / "site" / edition
    pages = sorted(str(p) for p in site.rglob("*.html"))
    assert len(pages) > 30
    run = subprocess.run(
        [JAVA, "-Xss8m", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{m.get('url', '').split(edition + '/', 1)[-1]}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == [], "\n".join(errors[:40])
