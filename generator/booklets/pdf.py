"""HTML → PDF with WeasyPrint: fonts checked first, metadata and dates reproducible."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from generator import clock

# GB/T 9704-2012 names 仿宋, 黑体, 楷体 and 小标宋; these are the free stand-ins we name
# explicitly (generic families miss characters, and the JP family draws Japanese glyph shapes).
SERIF = "Noto Serif CJK SC"  # body (for 仿宋_GB2312) and titles (for 小标宋)
SANS = "Noto Sans CJK SC"  # first-level headings (for 黑体)
KAI = "AR PL UKai CN"  # second-level headings (for 楷体_GB2312)
REQUIRED_FONTS = {SERIF: "fonts-noto-cjk", SANS: "fonts-noto-cjk"}


class FontMissing(Exception):
    """A required CJK font is not installed; the message names the Debian package."""


def _families() -> set[str]:
    if not shutil.which("fc-list"):
        return set()
    listing = subprocess.run(
        ["fc-list", ":", "family"], capture_output=True, text=True, check=False
    ).stdout
    return {name.strip() for line in listing.splitlines() for name in line.split(",")}


def check_fonts() -> set[str]:
    """The CJK families available; raise :class:`FontMissing` if a required one is absent."""
    families = _families()
    missing = sorted({pkg for family, pkg in REQUIRED_FONTS.items() if family not in families})
    if missing:
        raise FontMissing(
            f"找不到中文字体 {', '.join(f for f in REQUIRED_FONTS if f not in families)}：简报需要"
            f"它们，否则中文会显示成方框。请安装 Debian 软件包：apt-get install {' '.join(missing)}"
            f"（make site 和 make test 会自动安装）"
        )
    return families


def build_date() -> dt.datetime:
    """SOURCE_DATE_EPOCH if set (reproducible builds), else the start of today; in Beijing, so
    a build before 08:00 prints today, not yesterday.

    A booklet is compiled on a day, so two builds on the same day print the same booklet (and
    the second one reuses the first one's PDF)."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return clock.now()
    return clock.at(clock.today())


def write_pdf(html: str, target: Path, base_url: Path) -> None:
    """Render ``html`` to ``target``; the PDF identifier is derived from the HTML, so the same
    content and SOURCE_DATE_EPOCH give the same bytes."""
    from weasyprint import HTML

    target.parent.mkdir(parents=True, exist_ok=True)
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode()
    document = HTML(string=html, base_url=str(base_url))
    document.write_pdf(
        target, pdf_identifier=identifier, uncompressed_pdf=False, optimize_images=False
    )
