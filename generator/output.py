"""Publishing a finished edition: one atomic swap of folders, so no moment shows half a site."""

from __future__ import annotations

import ctypes
import os
import shutil
from pathlib import Path

from generator import parallel

_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux renameat2(RENAME_EXCHANGE); False if unsupported."""
    try:
        renameat2 = parallel.libc().renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def publish(staging: Path, target: Path) -> None:
    """Make ``staging`` the new ``target``; the old target is removed afterwards.

    With an existing target the two folders are exchanged in one system call, so a crash or a
    ``kill -9`` leaves either the old site or the new one, never neither. Where the kernel
    cannot exchange, the old folder is renamed aside first (a moment without a site).
    """
    if not target.exists():
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging)
        return
    aside = target.with_name(f".{target.name}.old")
    if aside.exists():
        shutil.rmtree(aside)
    os.rename(target, aside)
    os.rename(staging, target)
    shutil.rmtree(aside)


def remove_stale_staging(out: Path, names: tuple[str, ...]) -> None:
    """Remove staging folders that a killed build left behind (``.public.*``, ``.public.old``)."""
    for name in names:
        for leftover in sorted(out.glob(f".{name}.*")):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)


def sync_tree(source: Path, target: Path) -> list[str]:
    """Make ``target`` hold the files of ``source``, touching only what differs.

    Returns the relative paths written or removed."""
    changed: list[str] = []
    target.mkdir(parents=True, exist_ok=True)
    wanted = {p.relative_to(source) for p in source.rglob("*") if p.is_file()}
    for path in sorted(p.relative_to(target) for p in target.rglob("*") if p.is_file()):
        if path not in wanted:
            (target / path).unlink()
            changed.append(path.as_posix())
    for path in sorted(wanted):
        new, old = source / path, target / path
        if old.is_file() and old.stat().st_size == new.stat().st_size \
                and old.read_bytes() == new.read_bytes():
            continue
        old.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(new, old)
        changed.append(path.as_posix())
    for folder in sorted((p for p in target.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return changed
