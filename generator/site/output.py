"""Publishing finished editions: staged beside the output, marked as ours, swapped in together.

Every folder jiandi makes in the output folder carries a marker file (``MARKER``); jiandi
replaces or deletes only folders that carry it, so a user's own ``public/`` or ``.public.x/``
is never touched. One build at a time holds a lock on the output and build folders.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from generator import parallel

_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100
MARKER = ".jiandi"  # in every edition folder jiandi made (nginx serves no hidden file)
BUILD_MARKER = ".jiandi-build"  # in the build folder: its contents are jiandi's to replace
DIR_MODE, FILE_MODE = 0o755, 0o644  # a web server running as another user must read the site


class NotOurs(Exception):
    """An output path that jiandi did not make is in the way; ``path`` says which."""

    def __init__(self, path: Path, message: str):
        super().__init__(message)
        self.path = path
        self.message = message


class Busy(Exception):
    """Another build holds the lock on ``path``."""

    def __init__(self, path: Path):
        super().__init__(str(path))
        self.path = path


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux renameat2(RENAME_EXCHANGE); False if unsupported."""
    try:
        renameat2 = parallel.libc().renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def is_ours(path: Path) -> bool:
    """Whether ``path`` is a real folder (not a symlink) that jiandi made."""
    return path.is_dir() and not path.is_symlink() and (path / MARKER).is_file()


STAGING_MARKER = ".jiandi-staging"  # a staging folder's token, listed in the build folder


def make_staging(out: Path, name: str, ledger: Path) -> Path:
    """A new, marked staging folder for edition ``name`` inside ``out``. Its token goes into
    ``ledger`` (in the build folder) first: a leftover is deleted later only if its token is
    listed there, so a copy the user made of a site or a staging folder is never taken for one."""
    token = secrets.token_hex(16)
    with ledger.open("a", encoding="utf-8") as handle:
        handle.write(token + "\n")
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=out))
    (staging / MARKER).write_text(f"jiandi {name} edition\n", encoding="utf-8")
    (staging / STAGING_MARKER).write_text(token + "\n", encoding="utf-8")
    return staging


def finish_staging(staging: Path) -> None:
    """A staged edition about to be published stops being a staging folder."""
    (staging / STAGING_MARKER).unlink()


def check_targets(out: Path, names: tuple[str, ...]) -> None:
    """Refuse to go on when ``out/<name>`` exists and is not a folder jiandi made."""
    for name in names:
        target = out / name
        if not (target.exists() or target.is_symlink()) or is_ours(target):
            continue
        if target.is_symlink():
            what = "是一个符号链接（symlink）"
        elif not target.is_dir():
            what = "是一个文件，不是 jiandi 生成的网站文件夹"
        elif not any(target.iterdir()):
            continue  # an empty folder holds nothing to lose
        else:
            what = "已经存在，但不是 jiandi 生成的（里面没有 jiandi 的标记文件 .jiandi）"
        raise NotOurs(
            target,
            f"{target} {what}：jiandi 不会替换或删除不是它生成的文件。"
            f"请把它移走或改名，或用 --out 指定另一个输出文件夹",
        )


def claim_build_dir(build_dir: Path, out: Path | None = None) -> None:
    """Make sure ``build_dir`` is jiandi's to write in (marked, or new or empty, then marked),
    and apart from the output folder: the generated projects are replaced whole, and must never
    sit inside a published site."""
    build_dir, out = build_dir.resolve(), out.resolve() if out is not None else None
    editions = [out / "public", out / "internal"] if out is not None else []
    if out is not None and (
        build_dir == out
        or build_dir in out.parents
        or any(folder == build_dir or folder in build_dir.parents for folder in editions)
    ):
        raise NotOurs(
            build_dir,
            f"构建文件夹 {build_dir} 和输出文件夹 {out} 不能相同，也不能一个在另一个里面："
            f"请用 --build-dir 和 --out 指定两个分开的文件夹",
        )
    if build_dir.is_symlink() or (build_dir.exists() and not build_dir.is_dir()):
        raise NotOurs(
            build_dir, f"{build_dir} 不是一个文件夹：请把它移走，或用 --build-dir 指定别的位置"
        )
    if build_dir.is_dir() and not (build_dir / BUILD_MARKER).is_file() and any(build_dir.iterdir()):
        raise NotOurs(
            build_dir,
            f"构建文件夹 {build_dir} 已经存在，但不是 jiandi 建的（里面没有标记文件 "
            f"{BUILD_MARKER}），jiandi 不会改动里面的文件。如果它是旧版 jiandi 留下的，"
            f"可以直接删掉；否则请用 --build-dir 指定别的位置",
        )
    build_dir.mkdir(parents=True, exist_ok=True)
    marker = build_dir / BUILD_MARKER
    if not marker.is_file():
        marker.write_text(
            "jiandi build folder: generated projects and caches, safe to delete\n", encoding="utf-8"
        )


def open_up(folder: Path) -> None:
    """Folders 0755 and files 0644 under ``folder`` (mkdtemp makes 0700, umask may hide more)."""
    os.chmod(folder, DIR_MODE)
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, DIR_MODE)
        for name in files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, FILE_MODE)


def publish(staging: Path, target: Path) -> None:
    """Make ``staging`` the new ``target``; the old target is removed afterwards.

    With an existing target the two folders are exchanged in one system call, so a crash or a
    ``kill -9`` leaves either the old site or the new one, never neither. Where the kernel
    cannot exchange, the old folder is renamed aside first (a moment without a site).
    """
    if not (target.exists() or target.is_symlink()):
        os.rename(staging, target)
        return
    # The old target was checked by check_targets (ours, or an empty folder) under the lock.
    if _exchange(staging, target):
        shutil.rmtree(staging)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.rmdir(aside)
    os.rename(target, aside)
    os.rename(staging, target)
    shutil.rmtree(aside)


def publish_all(staged: dict[str, Path], out: Path) -> None:
    """Publish every staged edition, one right after the other, only once all of them exist;
    if one swap fails, the ones already made are undone."""
    done: list[tuple[Path, Path, bool]] = []  # (staging, target, exchanged)
    try:
        for name, staging in staged.items():
            target = out / name
            if target.exists() or target.is_symlink():
                if not _exchange(staging, target):
                    publish(staging, target)  # no exchange on this system: cannot be undone
                    continue
                done.append((staging, target, True))  # staging now holds the old site
            else:
                os.rename(staging, target)
                done.append((staging, target, False))
    except BaseException:
        for staging, target, exchanged in reversed(done):
            if exchanged:
                _exchange(staging, target)
            else:
                os.rename(target, staging)
        raise
    for old, _target, exchanged in done:
        if exchanged:
            shutil.rmtree(old)  # the old edition, checked by check_targets under the lock


def remove_stale_staging(out: Path, names: tuple[str, ...], ledger: Path) -> None:
    """Remove the staging folders of builds that did not finish (``.public.*``): those whose
    token is listed in ``ledger``, and nothing else; then empty the ledger. Runs under the lock."""
    try:
        tokens = set(ledger.read_text("utf-8").split())
    except OSError:
        return
    for name in names:
        for leftover in sorted(out.glob(f".{name}.*")):
            try:
                token = (leftover / STAGING_MARKER).read_text("utf-8").strip()
            except OSError:
                continue
            if token in tokens and leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
    ledger.write_text("", encoding="utf-8")


@contextmanager
def locked(*folders: Path) -> Iterator[None]:
    """Hold an exclusive lock on each folder (flock on the folder itself: no lock file left
    behind) for one build; raise Busy at once if another build holds one."""
    with ExitStack() as stack:
        for folder in dict.fromkeys(f.resolve() for f in folders):
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            stack.callback(os.close, fd)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                if error.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                    raise Busy(folder) from None
                raise
        yield


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
        if (
            old.is_file()
            and old.stat().st_size == new.stat().st_size
            and old.read_bytes() == new.read_bytes()
        ):
            continue
        old.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(new, old)
        changed.append(path.as_posix())
    for folder in sorted((p for p in target.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return changed
