"""Build the editions and publish them together: all or nothing.

Each edition's project is written (project.py) and built by MkDocs (mkdocs_build.py) into a
marked staging folder beside the output folder; the public one is then checked as published (the leak guard and
published.py); all are swapped in only when every edition succeeded, so a failed build leaves
the last good site, both editions of it, exactly as it was.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import clock, parallel, terminal
from generator import editions as editions_mod
from generator.booklets.pdf import check_fonts
from generator.booklets.printing import SideBySide
from generator.check import validate
from generator.config import load_base_config, project_file
from generator.guard import guard, published
from generator.guard import run as published_run
from generator.plugin import page_cache
from generator.problems import ContentError, Problems
from generator.site import output
from generator.site.mkdocs_build import run_mkdocs
from generator.site.project import write_project


@dataclass
class Outcome:
    """What building one edition came to, as plain data (it may cross processes): ``staged``
    (the finished edition, not yet published), ``guard`` (the public edition, waiting for the
    leak guard), ``content`` problems, a ``system`` error (an OSError: what, where) or a
    ``crash`` (summary and traceback)."""

    kind: str
    staging: Path | None = None
    problems: list[Any] = field(default_factory=list)
    system: tuple[int, str, str] | None = None  # errno, strerror, path
    crash: tuple[str, str] | None = None


class SystemProblem(Exception):
    """The build could not read or write a file for a reason outside the content: the disk is
    full, a folder is read-only, a file stands where a folder should be. Says what and where."""

    def __init__(self, number: int, strerror: str, path: str):
        super().__init__(f"{strerror}: {path}")
        self.errno, self.strerror, self.path = number, strerror, path


def _system(error: OSError) -> Outcome:
    path = error.filename if error.filename is not None else ""
    return Outcome("system", system=(error.errno or 0, error.strerror or str(error), str(path)))


def _sqlite_system(error: Exception, where: Path) -> Outcome | None:
    """The page cache's SQLite errors that are the disk's, not jiandi's: as system errors."""
    text = str(error).lower()
    for needle, number in (
        ("disk is full", errno.ENOSPC),
        ("readonly", errno.EROFS),
        ("read-only", errno.EROFS),
        ("unable to open", errno.EACCES),
        ("disk i/o error", errno.EIO),
    ):
        if needle in text:
            return Outcome("system", system=(number, str(error), str(where)))
    return None


def _crash(error: BaseException) -> Outcome:
    import traceback

    return Outcome("crash", crash=(f"{type(error).__name__}: {error}", traceback.format_exc()))


def build_editions(
    content: Path,
    out: Path,
    build_dir: Path,
    names: tuple[str, ...],
    progress: Callable[[str], None] = lambda _: None,
    booklets: bool = True,
    tolerate: frozenset[str] = frozenset(),
) -> dict[str, Path]:
    """Validate, then build each named edition into ``out/<name>``: all or nothing. The
    editions are staged beside the output and published together only when every one of them
    succeeded; one build at a time holds a lock on ``out`` and ``build_dir``. Errors whose code
    is in ``tolerate`` are said through ``progress`` and do not stop it (``jiandi diff``)."""
    corpus, problems = validate(content)
    blocking = [p for p in problems.errors if p.code not in tolerate]
    if blocking:  # what is tolerated is not said here either (a sign-off names its reviewer)
        raise ContentError(Problems([p for p in problems.items if p.code not in tolerate]))
    if problems.errors:
        progress(
            f"注意：有 {len(problems.errors)} 处审核还没有完成（缺少审核，或审核后内容有改动；"
            f"运行 jiandi check 查看）。正式构建（jiandi build）会因此失败"
        )
    waiting = corpus.next_release()
    if waiting is not None and "public" in names:
        moment, entry = waiting
        progress(
            f"定时发布：{entry.ref} 在 {clock.shown(moment)}（北京时间）后公开，这次构建还不包含它。"
            f"到时请重新构建（定时任务的设置见 README “按时发布”）"
        )
    if booklets:
        check_fonts()
    base = load_base_config(project_file("mkdocs.yml"))
    templates = project_file("templates").resolve()
    out = out.resolve()
    root = content.resolve()
    for folder, option in ((out, "--out"), (build_dir.resolve(), "--build-dir")):
        if folder == root or root in folder.parents:
            raise output.NotOurs(
                folder,
                f"{option} {folder} 在内容文件夹 {root} 里面：生成的网站和内部资料"
                f"不能放进内容文件夹（会被当作内容读取，或随附件公开）。请换一个位置",
            )
    try:
        out.mkdir(parents=True, exist_ok=True)
        output.claim_build_dir(build_dir, out)
        with output.locked(out, build_dir.resolve()):
            output.check_targets(out, names)
            output.remove_stale_staging(out, names, _ledger(build_dir))
            return _build_locked(corpus, base, templates, out, build_dir, names, progress, booklets)
    except sqlite3.Error as error:
        failed = _sqlite_system(error, build_dir.resolve())
        if failed is None or failed.system is None:
            raise
        raise _named(SystemProblem(*failed.system), out, build_dir) from None
    except (OSError, SystemProblem) as error:
        problem = (
            error
            if isinstance(error, SystemProblem)
            else SystemProblem(
                error.errno or 0, error.strerror or str(error), str(error.filename or "")
            )
        )
        raise _named(problem, out, build_dir) from None


def _ledger(build_dir: Path) -> Path:
    """Where the tokens of this build folder's staging folders are listed (output.py)."""
    return build_dir.resolve() / "staging-tokens"


def _named(problem: SystemProblem, out: Path, build_dir: Path) -> SystemProblem:
    if problem.errno in (errno.ENOSPC, errno.EDQUOT):
        # The file named is often the source of a copy: say which folder is full instead.
        problem.path = str(_fullest(out, build_dir.resolve()))
    return problem


def _fullest(*folders: Path) -> Path:
    """Of ``folders``, the one on the disk with the least room left."""

    def room(folder: Path) -> int:
        try:
            stats = os.statvfs(folder)
        except OSError:
            return 0
        return stats.f_bavail * stats.f_frsize

    return min(folders, key=room)


def _build_locked(
    corpus: Any,
    base: dict[str, Any],
    templates: Path,
    out: Path,
    build_dir: Path,
    names: tuple[str, ...],
    progress: Callable[[str], None],
    booklets: bool,
) -> dict[str, Path]:
    started = time.time_ns()
    count = parallel.workers(len(names))
    # Printing side by side, each worker helps with the other editions' booklets when done
    # with its own (printing.SideBySide).
    claims = (build_dir / "booklet-cache" / f"claims-{os.getpid()}-{started}").resolve()
    # Under the lock, claims of other builds are leftovers of one that was killed.
    for stale in sorted((build_dir / "booklet-cache").glob("claims-*")):
        shutil.rmtree(stale, ignore_errors=True)
    sides = {
        name: SideBySide(tuple(n for n in names if n != name), claims)
        if booklets and count > 1 and len(names) > 1
        else None
        for name in names
    }
    jobs = [
        (name, corpus, base, templates, (build_dir / name).resolve(), out, booklets, sides[name])
        for name in names
    ]
    for name in names:
        records = sum(1 for e in corpus.all() if name == "internal" or e.public)
        progress(f"构建{'内部版' if name == 'internal' else '公开版'}（{records} 条记录）…")
    finished = ExitStack()  # entered when publishing starts, left when the build returns
    with finished:
        try:
            outcomes = _run_jobs(jobs, count, names, corpus, base, build_dir)
            staged = {
                name: o.staging
                for name, o in zip(names, outcomes, strict=True)
                if o.kind == "staged" and o.staging is not None
            }
            _raise_failure(outcomes)
            for staging in staged.values():
                output.finish_staging(staging)
                output.open_up(staging)
            finished.enter_context(terminal.finishing())
            output.publish_all(staged, out)
        finally:
            # Under the lock every marked staging folder is this build's: none survives it,
            # whether the build succeeded, failed, or was interrupted before a worker reported.
            output.remove_stale_staging(out, names, _ledger(build_dir))
            shutil.rmtree(claims, ignore_errors=True)
        if set(names) == {"public", "internal"}:
            page_cache.forget_unused((build_dir / "page-cache").resolve(), started)
    return {name: out / name for name in names}


def _run_jobs(
    jobs: list[tuple[Any, ...]],
    count: int,
    names: tuple[str, ...],
    corpus: Any,
    base: dict[str, Any],
    build_dir: Path,
) -> list[Outcome]:
    """Build each edition into its staging folder, side by side when there are two workers."""
    if count <= 1:
        return [_build_one(*job) for job in jobs]
    outcomes: list[Outcome] = []
    # The editions share nothing but the validated corpus: build them side by side.
    # The public one comes back unguarded; its leak guard then runs in parts on both
    # workers (the one that built the internal edition joins when it is done).
    with parallel.pool(count) as workers:
        pending = [workers.apply_async(_build_one, (*job, True)) for job in jobs]
        prints = guard.fingerprints(corpus, json.dumps(base)) if "public" in names else []
        for job in pending:
            outcome = job.get()
            outcomes.append(outcome)
            if outcome.kind == "guard":
                outcomes[-1] = _guard_in_parts(workers, outcome, prints, build_dir, corpus, base)
    return outcomes


def _raise_failure(outcomes: list[Outcome]) -> None:
    """Raise for the first failure of any edition: a crash, a system error, then content."""
    failed = Problems()
    for outcome in outcomes:
        if outcome.kind == "crash" and outcome.crash is not None:
            raise BuildCrash(*outcome.crash)
        if outcome.kind == "system" and outcome.system is not None:
            raise SystemProblem(*outcome.system)
        failed.items.extend(outcome.problems)
    if failed.items:
        raise ContentError(failed)


class BuildCrash(Exception):
    """An edition's build failed for a reason that is not the content's; ``details`` is the
    traceback (for the crash log, never for the author's screen)."""

    def __init__(self, summary: str, details: str):
        super().__init__(summary)
        self.details = details


def _guard_in_parts(
    workers: Any,
    outcome: Outcome,
    prints: list[guard.Fingerprint],
    build_dir: Path,
    corpus: Any,
    base: dict[str, Any],
) -> Outcome:
    """Run the leak guard over the unpublished public edition in ``outcome`` in parts on the
    ``workers``. Plain data in and out, as ``_build_one``."""
    staging = outcome.staging
    assert staging is not None
    try:
        relatives = guard.paths(staging)
        clean = guard.CleanFiles((build_dir / "guard-clean.json").resolve(), prints)
        keys = [fp.key for fp in prints]
        parts = (
            [
                workers.apply_async(
                    guard.scan_part, (staging, part, keys, clean.files, clean.pieces)
                )
                for part in guard.parts(staging, relatives, 8)
            ]
            if prints
            else []
        )
        context, pages = published_run.prepare(
            staging, corpus, base, (build_dir / "published-clean.json").resolve()
        )
        checks = [
            workers.apply_async(published.check_part, (staging, part, context))
            for part in guard.parts(staging, relatives, 8)
        ]
        order = {relative: position for position, relative in enumerate(relatives)}
        hits: guard.Hits = []
        cleaned: dict[str, list[str]] = {}
        for part in parts:
            found, part_clean = part.get()
            hits.extend(found)
            cleaned.update(part_clean)
        hits.sort(key=lambda hit: order[hit[0]])
        leaks = guard.report(hits, cleaned, prints, clean) if prints else Problems()
        findings: list[published.Finding] = []
        clean_pages: list[str] = []
        for check in checks:
            part_findings, part_clean = check.get()
            findings.extend(part_findings)
            clean_pages.extend(part_clean)
        leaks.items.extend(_published_report(findings, corpus, staging).items)
        if not findings:
            pages.save(clean_pages)
        if leaks:
            return Outcome("content", staging, leaks.items)
        return Outcome("staged", staging)
    except OSError as error:
        return Outcome(**{**_system(error).__dict__, "staging": staging})
    except Exception as error:  # noqa: BLE001 - reported by the caller as a crash
        return Outcome(**{**_crash(error).__dict__, "staging": staging})


def _published_report(findings: list[published.Finding], corpus: Any, staging: Path) -> Problems:
    """Findings of the output checks as problems at their sources; output files are named as
    they would have been published (``OUT/public/…``)."""
    return published_run.report(
        findings, corpus, project_file("mkdocs.yml"), staging.parent / "public"
    )


def _build_one(
    name: str,
    corpus: Any,
    base: dict[str, Any],
    templates: Path,
    project: Path,
    out: Path,
    booklets: bool,
    side: SideBySide | None = None,
    defer_guard: bool = False,
) -> Outcome:
    """Build one edition into a marked staging folder in ``out``, never publishing it; report
    the outcome as plain data (it may cross processes). With ``defer_guard``, the public
    edition comes back as "guard": the caller runs the leak guard."""
    edition = editions_mod.make(corpus, editions_mod.name_of(name))
    staging: Path | None = None
    try:
        staging = output.make_staging(out, name, _ledger(project.parent))
        config_file, sources = write_project(edition, base, project, templates, booklets, side=side)
        run_mkdocs(config_file, staging, sources, project.parent / "page-cache")
        if not edition.internal and defer_guard:
            return Outcome("guard", staging)
        if not edition.internal:
            leaks = guard.scan(
                staging,
                guard.fingerprints(corpus, json.dumps(base)),
                project.parent / "guard-clean.json",
            )
            context, pages = published_run.prepare(
                staging, corpus, base, project.parent / "published-clean.json"
            )
            findings, clean = published.check_part(staging, guard.paths(staging), context)
            leaks.items.extend(_published_report(findings, corpus, staging).items)
            if not findings:
                pages.save(clean)
            if leaks:
                raise ContentError(leaks)
        return Outcome("staged", staging)
    except ContentError as error:
        return Outcome("content", staging, error.problems.items)
    except OSError as error:
        return Outcome(**{**_system(error).__dict__, "staging": staging})
    except Exception as error:  # noqa: BLE001 - reported by the parent as a crash
        failed = _sqlite_system(error, project.parent) if isinstance(error, sqlite3.Error) else None
        return Outcome(**{**(failed or _crash(error)).__dict__, "staging": staging})
