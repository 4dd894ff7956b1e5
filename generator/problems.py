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
        return {"path": display_path(self.path, cwd), "line": max(self.line, 1), "column": 1,
                "severity": self.severity, "code": self.code, "message": self.message}

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

    def add(self, code: str, path: Path, line: int, message: str,
                 severity: Severity = "error") -> None:
        """Add a problem with its stable code (see the README's table of codes)."""
        self.items.append(Problem(path, line, message, severity, code))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items), key=lambda p: (str(p.path), p.line, p.message))

    def __bool__(self) -> bool:
        return bool(self.errors)


class ContentError(Exception):
    """Raised by a stage that cannot go on because the content has errors."""

    def __init__(self, problems: Problems):
        super().__init__(f"{len(problems.errors)} content error(s)")
        self.problems = problems
