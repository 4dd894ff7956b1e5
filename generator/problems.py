"""Problems found in content: what an author sees as ``path:line: message``."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file. ``line`` is 1-based; 0 means the file as a whole."""

    path: Path
    line: int
    message: str
    severity: Severity = "error"
    code: str = "JD000"  # stable, documented in README (table of error codes)

    def as_json(self, cwd: Path | None = None) -> dict[str, object]:
        """The problem for editors and CI: path, line, column, severity, code, message."""
        return {
            "path": display_path(self.path, cwd),
            "line": max(self.line, 1),
            "column": 1,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }

    def format(self, cwd: Path | None = None) -> str:
        """``path:line: message``, path relative to ``cwd`` (default: the current directory)."""
        shown = display_path(self.path, cwd)
        prefix = "" if self.severity == "error" else "警告: "
        return f"{shown}:{max(self.line, 1)}: {prefix}{self.message}"


def display_path(path: Path, cwd: Path | None = None) -> str:
    """A path as an author would type it: relative to the current directory where possible."""
    base = cwd or Path.cwd()
    try:
        return os.path.relpath(path, base)
    except ValueError:  # another drive on Windows
        return str(path)


@dataclass
class Problems:
    """Collects every problem of a run so they can be reported all at once."""

    items: list[Problem] = field(default_factory=list)

    def add(
        self, code: str, path: Path, line: int, message: str, severity: Severity = "error"
    ) -> None:
        """Add a problem with its stable code (see the README's table of codes)."""
        self.items.append(Problem(path, line, message, severity, code))

    # Counted as printed: the same problem found twice (two checks, two pages) is one.
    @property
    def errors(self) -> list[Problem]:
        return [p for p in dict.fromkeys(self.items) if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in dict.fromkeys(self.items) if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items), key=lambda p: (str(p.path), p.line, p.message))

    def __bool__(self) -> bool:
        return bool(self.errors)


class ContentError(Exception):
    """Raised by a stage that cannot go on because the content has errors."""

    def __init__(self, problems: Problems):
        super().__init__(f"{len(problems.errors)} content error(s)")
        self.problems = problems


def system_message(number: int, strerror: str, path: str) -> str:
    """A system error (disk full, read-only, permissions) in words a press officer can act on."""
    import errno as codes

    where = f"“{path}”" if path else "输出文件夹"
    advice = {
        codes.ENOSPC: f"磁盘空间不够，{where} 所在的磁盘已经写满：请清理磁盘，或用 --out、--build-dir "
        f"换一个有空间的文件夹后重试。",
        codes.EDQUOT: f"磁盘配额用完了，写不下 {where}：请清理后重试。",
        codes.EROFS: f"{where} 所在的位置是只读的：请用 --out 和 --build-dir 换一个可以写入的文件夹。",
        codes.EACCES: f"没有权限写入 {where}：请检查这个文件夹的权限，或用 --out 换一个文件夹。",
        codes.EPERM: f"没有权限写入 {where}：请检查这个文件夹的权限，或用 --out 换一个文件夹。",
        codes.ENOTDIR: f"{where} 的路径中有一个文件挡在了需要文件夹的位置：请把这个文件移走或改名。",
        codes.EEXIST: f"{where} 已经存在，而且是一个文件：请把它移走或改名。",
        codes.EISDIR: f"{where} 是一个文件夹，这里需要的是文件：请把它移走或改名。",
    }
    return advice.get(number, f"读写 {where} 时出错（{strerror}）：请检查这个位置后重试。")
