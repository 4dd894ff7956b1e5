"""Quicker ways to the same results, for MkDocs and Material's search during jiandi's builds:
jieba remembering what it cut, one Markdown instance per set of extensions, jieba's dictionary
from a pickle. private.installed puts the first two in place of the modules they wrap."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from generator.caches import code_digest


class RememberingJieba:
    """jieba for the search plugin, remembering each run of Chinese it cut: titles, names and
    stock phrases recur across thousands of pages (140,000 runs, 27,000 distinct, in the
    1,000-record benchmark). The dictionary is fixed once the plugin is configured.

    Loading jieba's dictionary takes about a second; a build whose pages all come from the
    cache never needs it, so the plugin's set_dictionary/load_userdict wait for the first cut."""

    def __init__(self, jieba: Any):
        self._jieba = jieba
        self._memo: dict[Any, list[str]] = {}
        self._deferred: list[tuple[str, Any]] = []
        self._loaded = False

    def set_dictionary(self, path: Any) -> None:
        self._deferred.append(("set_dictionary", path))

    def load_userdict(self, path: Any) -> None:
        self._deferred.append(("load_userdict", path))

    def _ready(self) -> Any:
        if self._loaded and not self._deferred:
            return self._jieba
        if not any(name == "set_dictionary" for name, _ in self._deferred):
            load_dictionary(self._jieba)  # the default dictionary (a no-op once loaded)
        self._loaded = True
        while self._deferred:
            name, path = self._deferred.pop(0)
            getattr(self._jieba, name)(path)
        return self._jieba

    def cut(self, sentence: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            return self._ready().cut(sentence, *args, **kwargs)
        words = self._memo.get(sentence)
        if words is None:
            words = self._memo[sentence] = list(self._ready().cut(sentence))
        return words

    def __getattr__(self, name: str) -> Any:
        return getattr(self._jieba, name)


class ReusedMarkdown:
    """The ``markdown`` module as MkDocs' Page.render sees it: one Markdown instance per set of
    extensions, reset before each page, instead of a new one per page (setting up the
    extensions cost 0.6 ms a page, 0.4 s per edition at 1,000 records). MkDocs registers its
    per-page processors under fixed names, so each page's replace the last page's, in the same
    order. ``JIANDI_MARKDOWN_REUSE=0`` makes one per page again (a test compares)."""

    def __init__(self, module: Any):
        self._module = module
        self._kept: dict[tuple[int, int], tuple[Any, Any, Any]] = {}

    def Markdown(self, *, extensions: Any, extension_configs: Any) -> Any:
        key = (id(extensions), id(extension_configs))
        kept = self._kept.get(key)
        if kept is None:  # the settings are held, so their ids stay theirs
            md = self._module.Markdown(extensions=extensions, extension_configs=extension_configs)
            kept = self._kept[key] = (extensions, extension_configs, md)
        md = kept[2]
        md.reset()
        return md

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)


def load_dictionary(jieba: Any) -> None:
    """Load jieba's default dictionary into its default tokenizer from a pickle of it, kept
    next to jieba's own cache: unpickling takes 0.2 s where jieba's marshal cache takes 0.75 s,
    in each process, in every build that cuts a word. The same words and frequencies; without
    the pickle (or with any doubt) jieba loads its dictionary itself, and the pickle is made."""
    import tempfile

    tokenizer = jieba.dt
    if tokenizer.initialized or tokenizer.dictionary != jieba.DEFAULT_DICT:
        return
    source = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    try:
        stat = source.stat()
    except OSError:
        return
    tag = hashlib.sha256(
        f"{code_digest()} {jieba.__version__} {source} {stat.st_size} {stat.st_mtime_ns} "
        f"{pickle.HIGHEST_PROTOCOL}".encode()
    ).hexdigest()[:16]
    stored = Path(tokenizer.tmp_dir or tempfile.gettempdir()) / f"jiandi-jieba-{tag}.pickle"
    try:
        with stored.open("rb") as file:
            freq, total = pickle.load(file)
        if isinstance(freq, dict) and isinstance(total, int) and freq:
            tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
            return
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        pass
    tokenizer.initialize()
    try:
        partial = stored.with_name(f"{stored.name}.{os.getpid()}.part")
        with partial.open("wb") as file:
            pickle.dump((tokenizer.FREQ, tokenizer.total), file, pickle.HIGHEST_PROTOCOL)
        partial.replace(stored)
    except OSError:
        pass  # a read-only place: jieba's own cache next time
