"""What every booklet PDF needs: the Chinese fonts, checked before printing, and its date."""

from __future__ import annotations

import shutil
import subprocess

# GB/T 9704-2012 names 仿宋, 黑体, 楷体 and 小标宋; these are the free stand-ins we name
# explicitly (generic families miss characters, and the JP family draws Japanese glyph shapes).
SERIF = "Noto Serif CJK SC"  # body (for 仿宋_GB2312) and titles (for 小标宋)
SANS = "Noto Sans CJK SC"  # first-level headings (for 黑体)
KAI = "AR PL UKai"  # second-level headings (for 楷体_GB2312); Typst's name for UKai CN
REQUIRED_FONTS = {
    SERIF: "fonts-noto-cjk",
    SANS: "fonts-noto-cjk",
    "AR PL UKai CN": "fonts-arphic-ukai",
}


class PrintFailed(Exception):
    """A booklet could not be printed; the message says why, in words an author can act on."""


class FontMissing(PrintFailed):
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
