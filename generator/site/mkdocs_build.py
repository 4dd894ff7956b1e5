"""Run MkDocs on a generated project, in strict mode: every warning it logs becomes a problem
naming the content file it came from."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from generator.plugin import page_cache, private
from generator.problems import ContentError, Problems


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_mkdocs(
    config_file: Path, site_dir: Path, sources: dict[str, Path], cache: Path | None = None
) -> dict[str, int]:
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
            edition = str(config.extra.get("jiandi_edition") or "public")
            with page_cache.installed(cache, edition, config_file) as pages:
                pages.warnings = lambda: len(collect.messages)
                mkdocs_build(config)
            hits = pages.hits
    except MkDocsException:
        pass  # the warnings collected say why
    finally:
        private.restore()
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
