"""Write one plain MkDocs project per edition and build it, then publish the editions together.

``build/<edition>/`` holds the generated project (``docs/`` and ``mkdocs.yml``) for anyone to
inspect or to build with plain ``mkdocs``. Each edition is built into a marked staging folder
beside the output folder; the public one is then checked as published (the leak guard and
published.py); all are swapped in only when every edition succeeded, so a failed build leaves
the last good site, both editions of it, exactly as it was.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator import editions as editions_mod
from generator import parallel
from generator.booklets.booklet_render import SideBySide, publish_booklets
from generator.booklets.pdf import build_date as pdf_build_date
from generator.booklets.pdf import check_fonts
from generator.caches import code_digest
from generator.check import validate
from generator.config import load_base_config, project_file, settings_of
from generator.content.assets import copy_asset
from generator.content.disclosure import index_numbers
from generator.content.load import Entry
from generator.content.resolve import public_assets as used_assets
from generator.content.terms import PROGRAMME_TERMS
from generator.content.yamlstrict import to_plain
from generator.editions import Edition
from generator.guard import guard, published
from generator.plugin import page_cache
from generator.problems import ContentError, Problems
from generator.site import feeds, output, render, site_charts
from generator.site import pages as pages_mod


def site_name(base: dict[str, Any], edition: Edition) -> str:
    settings = settings_of(base)
    return settings.site_name + (settings.jiandi.internal_suffix if edition.internal else "")


def edition_site_url(base: dict[str, Any], edition: Edition) -> str:
    """The address the edition is served at: the internal one lives under ``internal/``."""
    url = str(base.get("site_url") or "")
    return url.rstrip("/") + "/internal/" if url and edition.internal else url


def edition_config(base: dict[str, Any], edition: Edition, templates: Path,
                   userdict: Path) -> dict[str, Any]:
    """The edition's ``mkdocs.yml``: the base config plus what jiandi must decide."""
    config = yaml.safe_load(yaml.safe_dump(base))  # a deep copy
    config["site_name"] = site_name(base, edition)
    if config.get("site_url"):
        config["site_url"] = edition_site_url(base, edition)
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"  # for a plain `mkdocs build -f`; jiandi builds elsewhere
    config["nav"] = pages_mod.nav(edition)
    config["strict"] = True
    config["use_directory_urls"] = True
    theme = config.setdefault("theme", {"name": "material"})
    theme["custom_dir"] = str(templates / "overrides")
    theme.setdefault("language", "zh")
    theme["font"] = False  # never Google Fonts
    config.setdefault("extra", {})["jiandi_edition"] = edition.name
    config["extra"].pop("jiandi", None)
    plugins = config.get("plugins") or ["search"]
    for index, plugin in enumerate(plugins):
        name = plugin if isinstance(plugin, str) else next(iter(plugin))
        if name == "search":
            options = {} if isinstance(plugin, str) else dict(plugin[name] or {})
            options["jieba_dict_user"] = str(userdict)
            plugins[index] = {"search": options}
    config["plugins"] = [*(p for p in plugins if p != "jiandi"), "jiandi"]  # plugin/plugin.py
    config.pop("hooks", None)
    # Links MkDocs only reports as "info" by default become warnings, which strict mode fails on.
    config["validation"] = {
        "omitted_files": "info",  # the nav is deliberately compact
        "not_found": "warn",
        "absolute_links": "warn",
        "unrecognized_links": "warn",
        "anchors": "warn",
    }
    return config


def public_assets(edition: Edition) -> set[str]:
    """Assets referenced by what this edition shows (all of them in the internal edition)."""
    if edition.internal:
        return set(edition.corpus.assets)
    return set(used_assets(edition.corpus))


def userdict_words(edition: Edition) -> list[str]:
    words = set(PROGRAMME_TERMS)
    words.update(topic.name for topic in edition.topics.values())
    # Short names and regions, not full titles: a title kept whole as one token could not be
    # found by its parts ("司法局", "开福区").
    for bureau in edition.bureaus:
        words.update([bureau.data.short_name, bureau.data.region])  # type: ignore[attr-defined]
    return sorted(w for w in words if w and " " not in w)


def _page_renderer(edition: Edition, base: dict[str, Any], project: Path, templates: Path,
                   booklets: bool, charts: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The Jinja2 environment and the settings every page template sees."""
    settings = {**settings_of(base).template_values(), "booklets": booklets, "charts": charts,
                "index_numbers": {ref: str(n) for ref, n in index_numbers(edition.corpus).items()}}
    return render.environment(templates, project.parent / "jinja-cache"), settings


def rewrite_record_pages(edition: Edition, base: dict[str, Any], project: Path,
                         templates: Path, changed: set[Path],
                         charts: dict[str, Any] | None = None) -> list[str]:
    """Render again only the pages that show the records in ``changed`` (content files), in an
    existing project; write those whose text changed. For the live preview, when only record
    bodies changed: nothing else in the site shows a body. ``charts``: the edition's chart
    plan, if the caller kept it (it depends on front matter only). Returns the pages written."""
    (project / "project-state.json").unlink(missing_ok=True)
    env, settings = _page_renderer(edition, base, project, templates, False,
                                   charts if charts is not None else site_charts.plan(edition))
    written = []
    for page in (pages_mod.record_page(e) for e in edition.records() if e.path in changed):
        target = project / "docs" / page.path
        text = render.render_page(env, edition, page, settings)
        if not target.exists() or target.read_text("utf-8") != text:
            target.write_text(text, encoding="utf-8")
            written.append(page.path)
    return written


def write_project(edition: Edition, base: dict[str, Any], project: Path, templates: Path,
                  booklets: bool = False, incremental: bool = False,
                  side: SideBySide | None = None) -> tuple[Path, dict[str, Path]]:
    """Write ``project/docs`` (pages, assets, booklets) and ``project/mkdocs.yml``. ``side``:
    the editions printing booklets at the same time in other processes (SideBySide).

    With ``incremental``, files whose bytes did not change are left alone (mtime included), so
    a previewing MkDocs rebuilds only what changed. Returns the config file and, for each page
    that shows a record, its content file.
    """
    final = project / "docs"
    docs = project / "docs.next" if incremental else final
    state_file = project / "project-state.json"
    state = None if incremental else project_state(edition, base, templates, booklets)
    changed = _bodies_changed_since(state_file, state) if final.is_dir() else None
    state_file.unlink(missing_ok=True)  # docs/ is about to change: trust it again only at the end
    if changed is None and docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True, exist_ok=True)
    env, settings = _page_renderer(edition, base, project, templates, booklets,
                                   site_charts.write(edition, docs))
    sources: dict[str, Path] = {}
    for page in pages_mod.plan(edition):
        if page.source:
            sources[page.path] = page.source
        target = docs / page.path
        if changed is not None and page.source not in changed and target.is_file():
            continue  # the same page as the last build wrote (see project_state)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render.render_page(env, edition, page, settings), encoding="utf-8")
    for name in sorted(public_assets(edition)):
        copy_asset(edition.corpus.assets[name], docs / name, strip=not edition.internal)
    if booklets:
        publish_booklets(edition, docs, templates, base, project.parent / "booklet-cache",
                         settings["briefing_months"], side)
    feeds.write(edition, docs, site_name(base, edition), edition_site_url(base, edition),
                str(base.get("site_author") or site_name(base, edition)))
    robots = "User-agent: *\nDisallow: /\n" if edition.internal else "User-agent: *\nAllow: /\n"
    if not edition.internal and base.get("site_url"):
        robots += f"Sitemap: {str(base['site_url']).rstrip('/')}/sitemap.xml\n"
    (docs / "robots.txt").write_text(robots, encoding="utf-8")
    userdict = project / "userdict.txt"
    userdict.write_text("".join(f"{w} 100000\n" for w in userdict_words(edition)),
                        encoding="utf-8")
    if incremental:
        output.sync_tree(docs, final)
        shutil.rmtree(docs)
    config = edition_config(base, edition, templates, userdict)
    config_file = project / "mkdocs.yml"
    config_file.write_text(
        "# Generated by jiandi from the top-level mkdocs.yml: edit that one, not this.\n"
        + yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if state is not None:
        state_file.write_text(json.dumps(state), encoding="utf-8")
    return config_file, sources


def record_frame(entry: Entry) -> list[Any]:
    """All of a record that pages other than its own may show: everything but its body, and
    where the links in its body point (not on which line). When this is unchanged, only the
    record's own page can differ. Used by the build (project_state) and the live preview."""
    links = [(link.target, link.text, link.image, internal) for link, internal in entry.links]
    return [entry.ref, str(entry.path), to_plain(entry.raw), links]


def project_state(edition: Edition, base: dict[str, Any], templates: Path,
                  booklets: bool) -> dict[str, Any]:
    """What the generated pages of ``edition`` depend on, in two parts: ``frame`` (templates,
    settings, jiandi's code, the build date; every record's front matter, file and links; the
    topics and assets) and each record's ``bodies``. A page shows no body but its own record's,
    so when only bodies changed since the last build, only those records' pages are rendered
    again; anything else renders every page."""
    frame = hashlib.sha256()
    frame.update(code_digest().encode("utf-8") + b"\0")
    for part in (json.dumps(base, sort_keys=True, default=str), edition.name, str(booklets),
                 str(pdf_build_date()), page_cache.folder_digest(templates),
                 json.dumps({k: v.model_dump() for k, v in sorted(edition.corpus.topics.items())},
                            sort_keys=True, default=str),
                 json.dumps({k: str(v) for k, v in sorted(edition.corpus.assets.items())})):
        frame.update(part.encode("utf-8") + b"\0")
    bodies = {}
    for entry in edition.corpus.all():
        frame.update(json.dumps(record_frame(entry), sort_keys=True, default=str).encode("utf-8")
                     + b"\0")
        bodies[entry.ref] = [str(entry.path), hashlib.sha256(
            json.dumps([(s.text, s.internal) for s in entry.segments]).encode("utf-8")).hexdigest()]
    return {"frame": frame.hexdigest(), "bodies": bodies}


def _bodies_changed_since(state_file: Path, state: dict[str, Any] | None) -> set[Path] | None:
    """The content files whose body changed since the build that wrote ``state_file``, or None
    when anything else changed (or there is no trustworthy earlier state)."""
    if state is None:
        return None
    try:
        before = json.loads(state_file.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(before, dict) or before.get("frame") != state["frame"] \
            or not isinstance(before.get("bodies"), dict) \
            or before["bodies"].keys() != state["bodies"].keys():
        return None
    return {Path(path) for ref, (path, body) in state["bodies"].items()
            if before["bodies"][ref] != [path, body]}


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_mkdocs(config_file: Path, site_dir: Path, sources: dict[str, Path],
               cache: Path | None = None) -> dict[str, int]:
    """Build one MkDocs project into ``site_dir`` in strict mode; warnings become problems.

    With ``cache`` (a folder under the build folder), pages whose inputs did not change since the
    last build are taken from it instead of being rendered again (see page_cache.py). Returns
    how many pages were read and written from the cache.
    """
    hits = {"read": 0, "built": 0}
    import jieba
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    jieba.setLogLevel(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    collect = _Collect()
    logger.addHandler(collect)
    previous = logger.level
    logger.setLevel(logging.WARNING)
    try:
        config = load_config(str(config_file), site_dir=str(site_dir))
        if cache is None:
            mkdocs_build(config)
        else:
            edition = str((config.extra or {}).get("jiandi_edition") or "public")
            with page_cache.installed(cache, edition, config_file) as pages:
                pages.warnings = lambda: len(collect.messages)
                mkdocs_build(config)
            hits = pages.hits
    except MkDocsException:
        pass  # the warnings collected say why
    finally:
        logger.removeHandler(collect)
        logger.setLevel(previous)
    if collect.messages:
        problems = Problems()
        for message in collect.messages:
            match = re.search(r"Doc file '([^']+)'", message)
            source = sources.get(match.group(1)) if match else None
            problems.add("JD902", source or config_file, 1, f"MkDocs: {message}")
        raise ContentError(problems)
    return hits


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
    for needle, number in (("disk is full", errno.ENOSPC), ("readonly", errno.EROFS),
                           ("read-only", errno.EROFS), ("unable to open", errno.EACCES),
                           ("disk i/o error", errno.EIO)):
        if needle in text:
            return Outcome("system", system=(number, str(error), str(where)))
    return None


def _crash(error: BaseException) -> Outcome:
    import traceback

    return Outcome("crash", crash=(f"{type(error).__name__}: {error}", traceback.format_exc()))


def build_editions(content: Path, out: Path, build_dir: Path, names: tuple[str, ...],
                   progress: Callable[[str], None] = lambda _: None,
                   booklets: bool = True) -> dict[str, Path]:
    """Validate, then build each named edition into ``out/<name>``: all or nothing. The
    editions are staged beside the output and published together only when every one of them
    succeeded; one build at a time holds a lock on ``out`` and ``build_dir``."""
    corpus, problems = validate(content)
    if problems:
        raise ContentError(problems)
    if booklets:
        check_fonts()
    base = load_base_config(project_file("mkdocs.yml"))
    templates = project_file("templates").resolve()
    out = out.resolve()
    root = content.resolve()
    for folder, option in ((out, "--out"), (build_dir.resolve(), "--build-dir")):
        if folder == root or root in folder.parents:
            raise output.NotOurs(folder, f"{option} {folder} 在内容文件夹 {root} 里面：生成的网站和内部资料"
                                         f"不能放进内容文件夹（会被当作内容读取，或随附件公开）。请换一个位置")
    try:
        out.mkdir(parents=True, exist_ok=True)
        output.claim_build_dir(build_dir, out)
        with output.locked(out, build_dir.resolve()):
            output.check_targets(out, names)
            output.remove_stale_staging(out, names, _ledger(build_dir))
            return _build_locked(corpus, base, templates, out, build_dir, names, progress,
                                 booklets)
    except sqlite3.Error as error:
        failed = _sqlite_system(error, build_dir.resolve())
        if failed is None or failed.system is None:
            raise
        raise _named(SystemProblem(*failed.system), out, build_dir) from None
    except (OSError, SystemProblem) as error:
        problem = error if isinstance(error, SystemProblem) else SystemProblem(
            error.errno or 0, error.strerror or str(error), str(error.filename or ""))
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


def _build_locked(corpus: Any, base: dict[str, Any], templates: Path, out: Path,
                  build_dir: Path, names: tuple[str, ...], progress: Callable[[str], None],
                  booklets: bool) -> dict[str, Path]:
    started = time.time_ns()
    count = parallel.workers(len(names))
    # Printing side by side, each worker helps with the other editions' booklets when done
    # with its own (booklet_render.SideBySide).
    claims = (build_dir / "booklet-cache" / f"claims-{os.getpid()}-{started}").resolve()
    # Under the lock, claims of other builds are leftovers of one that was killed.
    for stale in sorted((build_dir / "booklet-cache").glob("claims-*")):
        shutil.rmtree(stale, ignore_errors=True)
    sides = {name: SideBySide(tuple(n for n in names if n != name), claims)
             if booklets and count > 1 and len(names) > 1 else None for name in names}
    jobs = [(name, corpus, base, templates, (build_dir / name).resolve(), out, booklets,
             sides[name]) for name in names]
    for name in names:
        records = sum(1 for e in corpus.all() if name == "internal" or e.public)
        progress(f"构建{'内部版' if name == 'internal' else '公开版'}（{records} 条记录）…")
    outcomes: list[Outcome] = []
    try:
        if count > 1:
            # The editions share nothing but the validated corpus: build them side by side.
            # The public one comes back unguarded; its leak guard then runs in parts on both
            # workers (the one that built the internal edition joins when it is done).
            with parallel.pool(count) as workers:
                pending = [workers.apply_async(_build_one, (*job, True)) for job in jobs]
                prints = (guard.fingerprints(corpus, json.dumps(base))
                          if "public" in names else [])
                for job in pending:
                    outcome = job.get()
                    outcomes.append(outcome)
                    if outcome.kind == "guard":
                        outcomes[-1] = _guard_in_parts(workers, outcome, prints, build_dir,
                                                   corpus, base)
        else:
            outcomes = [_build_one(*job) for job in jobs]
        staged = {name: o.staging for name, o in zip(names, outcomes)
                  if o.kind == "staged" and o.staging is not None}
        _raise_failure(outcomes)
        for staging in staged.values():
            output.finish_staging(staging)
            output.open_up(staging)
        output.publish_all(staged, out)
    finally:
        # Under the lock every marked staging folder is this build's: none survives it,
        # whether the build succeeded, failed, or was interrupted before a worker reported.
        output.remove_stale_staging(out, names, _ledger(build_dir))
        shutil.rmtree(claims, ignore_errors=True)
    if set(names) == {"public", "internal"}:
        page_cache.forget_unused((build_dir / "page-cache").resolve(), started)
    return {name: out / name for name in names}


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


def _guard_in_parts(workers: Any, outcome: Outcome, prints: list[guard.Fingerprint],
                    build_dir: Path, corpus: Any, base: dict[str, Any]) -> Outcome:
    """Run the leak guard over the unpublished public edition in ``outcome`` in parts on the
    ``workers``. Plain data in and out, as ``_build_one``."""
    staging = outcome.staging
    assert staging is not None
    try:
        relatives = guard.paths(staging)
        clean = guard.CleanFiles((build_dir / "guard-clean.json").resolve(), prints)
        keys = [fp.key for fp in prints]
        parts = [workers.apply_async(guard.scan_part, (staging, part, keys, clean.files,
                                                       clean.pieces))
                 for part in guard.parts(staging, relatives, 8)] if prints else []
        context, pages = published.prepare(staging, corpus, base,
                                           (build_dir / "published-clean.json").resolve())
        checks = [workers.apply_async(published.check_part, (staging, part, context))
                  for part in guard.parts(staging, relatives, 8)]
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
        clean: list[str] = []
        for check in checks:
            part_findings, part_clean = check.get()
            findings.extend(part_findings)
            clean.extend(part_clean)
        leaks.items.extend(_published_report(findings, corpus, staging).items)
        if not findings:
            pages.save(clean)
        if leaks:
            return Outcome("content", staging, leaks.items)
        return Outcome("staged", staging)
    except OSError as error:
        return Outcome(**{**_system(error).__dict__, "staging": staging})
    except Exception as error:  # noqa: BLE001 - reported by the caller as a crash
        return Outcome(**{**_crash(error).__dict__, "staging": staging})


def _published_report(findings: list[published.Finding], corpus: Any,
                      staging: Path) -> Problems:
    """Findings of the output checks as problems at their sources; output files are named as
    they would have been published (``OUT/public/…``)."""
    return published.report(findings, corpus, project_file("mkdocs.yml"),
                            staging.parent / "public")


def _build_one(name: str, corpus: Any, base: dict[str, Any], templates: Path, project: Path,
               out: Path, booklets: bool, side: SideBySide | None = None,
               defer_guard: bool = False) -> Outcome:
    """Build one edition into a marked staging folder in ``out``, never publishing it; report
    the outcome as plain data (it may cross processes). With ``defer_guard``, the public
    edition comes back as "guard": the caller runs the leak guard."""
    edition = editions_mod.make(corpus, name)  # type: ignore[arg-type]
    staging: Path | None = None
    try:
        staging = output.make_staging(out, name, _ledger(project.parent))
        config_file, sources = write_project(edition, base, project, templates, booklets,
                                             side=side)
        run_mkdocs(config_file, staging, sources, project.parent / "page-cache")
        if not edition.internal and defer_guard:
            return Outcome("guard", staging)
        if not edition.internal:
            leaks = guard.scan(staging, guard.fingerprints(corpus, json.dumps(base)),
                               project.parent / "guard-clean.json")
            context, pages = published.prepare(staging, corpus, base,
                                               project.parent / "published-clean.json")
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
