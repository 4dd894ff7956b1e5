"""What jiandi's caches are keyed by, in one place.

Every cache is only a quicker way to the same bytes: a key holds everything its value depends
on, and a value whose key is unsure is built again. jiandi's own code is part of every key
(``code_digest``), walked over the whole package, so an edit to any module, in any folder,
invalidates what it could have changed.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


@functools.cache
def code_digest() -> str:
    """A digest of every module of the package, by path and bytes (recursively)."""
    sha = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        sha.update(str(path.relative_to(PACKAGE)).encode("utf-8") + b"\0")
        sha.update(path.read_bytes() + b"\0")
    return sha.hexdigest()


def library_versions(names: tuple[str, ...]) -> str:
    """The installed versions of ``names`` (``name=?`` for one that is not installed)."""
    import importlib.metadata

    versions = []
    for name in names:
        try:
            versions.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name}=?")
    return "\n".join(versions)
