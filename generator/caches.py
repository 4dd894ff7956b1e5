"""What jiandi's caches are keyed by, in one place.

Every cache is only a quicker way to the same bytes: a key holds everything its value depends
on, and a value whose key is unsure is made again. jiandi's own code is part of every key that
outlives a process (``code_digest``, walked over the whole package, so an edit to any module,
in any folder, invalidates what it could have changed).

=====================  ======================================  ===========================================
cache                  where                                   keyed by
=====================  ======================================  ===========================================
records read           memory (the preview's ``Memo``)         ``file_stamp``: mtime, size and inode of the
                                                               file and of a link to it
project state          ``build/<edition>/project-state.json``  ``digest`` of code, settings, templates
                                                               (``folder_digest``), build date, every
                                                               record's front matter and links; bodies
                                                               apart (site/project.py)
page cache             ``build/page-cache/*.sqlite``           ``page_salts`` (code, library versions,
                                                               Markdown settings, search dictionary;
                                                               for writing also mkdocs.yml and the
                                                               overrides) + each page's source, address,
                                                               navigation and neighbours
leak guard             ``build/guard-clean.json``              ``guard_key`` (code) + each file's bytes;
                                                               valid while no fingerprint is new
output checks          ``build/published-clean.json``          ``published_key`` (code + the context: the
                                                               files, address, hosts, numbers, internal
                                                               pages) + each file's bytes
booklet PDFs           ``build/booklet-cache/*.pdf``           ``booklet_key``: code, the Typst version,
                                                               the booklet's Typst source
theme templates        ``build/jinja-cache/<key>/``            ``jinja_folder``: code, Jinja2, MkDocs and
                                                               Material versions (the environment's
                                                               options are compiled in), then Jinja2's
                                                               own key: each template's source
jieba's dictionary     ``/tmp/jiandi-jieba-*.pickle``          code, jieba's version, the dictionary
                                                               file's path, size and mtime
                                                               (plugin/speedups.py)
=====================  ======================================  ===========================================
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent
# What a page's HTML and search entries depend on besides jiandi's code.
PAGE_LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jieba", "nh3")
# Settings of mkdocs.yml that change how a page's Markdown becomes HTML and search entries.
READ_SETTINGS = (
    "markdown_extensions",
    "mdx_configs",
    "use_directory_urls",
    "validation",
    "hooks",
    "plugins",
)


def digest(*parts: bytes | str) -> str:
    """A digest of ``parts``, each length-prefixed (so ``("ab", "c")`` ≠ ``("a", "bc")``)."""
    sha = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        sha.update(len(data).to_bytes(8, "little"))
        sha.update(data)
    return sha.hexdigest()


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
    versions = []
    for name in names:
        try:
            versions.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name}=?")
    return "\n".join(versions)


def folder_digest(folder: Path) -> str:
    """A digest of every file's name and bytes under ``folder`` ("" if there is no folder)."""
    if not folder.is_dir():
        return ""
    files = [p for p in sorted(folder.rglob("*")) if p.is_file()]
    return digest(*(part for p in files for part in (str(p.relative_to(folder)), p.read_bytes())))


def file_stamp(path: Path) -> tuple[int, ...]:
    """What tells that a content file changed without reading it (empty: it cannot be read)."""
    try:
        st = path.stat()
        lst = path.lstat()
    except OSError:
        return ()
    return (st.st_mtime_ns, st.st_size, st.st_ino, lst.st_mtime_ns, lst.st_ino)


def page_salts(config_file: Path) -> tuple[str, str]:
    """(what reading every page of a generated project depends on, what writing it depends
    on): see plugin/page_cache.py."""
    import yaml

    config = yaml.safe_load(config_file.read_text("utf-8")) or {}
    userdict = config_file.parent / "userdict.txt"
    photos = config_file.parent / "photos.json"
    reading = {key: config.get(key) for key in READ_SETTINGS}
    # The dictionary's path differs per edition; its content (below) is what counts.
    reading["plugins"] = yaml.safe_dump(reading["plugins"]).replace(str(userdict), "userdict")
    read_salt = digest(
        library_versions(PAGE_LIBRARIES),
        code_digest(),
        yaml.safe_dump(reading, allow_unicode=True, sort_keys=True),
        userdict.read_bytes() if userdict.exists() else b"",
        # Pages show photos through their derivatives, named by the photos' sizes.
        photos.read_bytes() if photos.exists() else b"",
    )
    theme = config.get("theme") or {}
    overrides = Path(theme.get("custom_dir") or config_file.parent / "overrides")
    return read_salt, digest(read_salt, config_file.read_bytes(), folder_digest(overrides))


def guard_key() -> str:
    """What the leak guard's verdicts depend on besides the files and the fingerprints."""
    return digest("guard", code_digest())


def published_key(context: dict[str, Any]) -> str:
    """What the output checks' verdicts depend on besides each file: see guard/run.py."""
    return digest("published", code_digest(), json.dumps(context, sort_keys=True))


def booklet_key(source: str) -> str:
    """A printed booklet: its Typst source (which names its fonts, holds its text and its date),
    the code that prints it, and the version of Typst (which sets it, subsets the fonts and
    writes the PDF)."""
    return digest("booklet", code_digest(), library_versions(("typst",)), source)[:40]


def jinja_folder(parent: Path, kind: str) -> Path:
    """Where compiled templates of ``kind`` (``pages``, ``theme``) are kept under ``parent``:
    a folder per key, as Jinja2's own key (the template's source) misses the environment's
    options, which are compiled into the bytecode. Folders of other keys are removed."""
    import shutil

    key = digest(
        "jinja", kind, code_digest(), library_versions(("jinja2", "mkdocs", "mkdocs-material"))
    )
    folder = parent / kind / key[:16]
    if (parent / kind).is_dir():
        for other in (parent / kind).iterdir():
            if other.is_dir() and other != folder:
                shutil.rmtree(other, ignore_errors=True)
    return folder
