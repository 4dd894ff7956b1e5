"""MkDocs hooks for the generated projects (listed under ``hooks:`` in their mkdocs.yml).

Kept to documented hook events (page HTML, the template environment), so the projects stay
plain.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.html_policy import clean


def on_env(env: Any, config: Any, files: Any) -> Any:
    """Keep the theme's compiled templates between builds (next to the generated projects,
    keyed by each template's source): compiling Material's templates cost every build ~0.3 s."""
    import jinja2

    folder = Path(config.config_file_path).resolve().parent.parent / "jinja-cache" / "theme"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    except OSError:
        pass  # a read-only place: build without the cache
    return env


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Clean each page's HTML with the raw-HTML allow-list before the theme and search see it."""
    return clean(html)
