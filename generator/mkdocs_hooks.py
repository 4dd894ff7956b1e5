"""MkDocs hooks for the generated projects (listed under ``hooks:`` in their mkdocs.yml).

Kept to documented hook events (page HTML, the template environment), so the projects stay
plain.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from generator.html_policy import clean


def on_env(env: Any, config: Any, files: Any) -> Any:
    """Keep the theme's compiled templates between builds (next to the generated projects,
    keyed by each template's source): compiling Material's templates cost every build ~0.3 s.
    Let templates/overrides/partials/nav.html reuse the navigation rendered for an earlier page
    (``nav_key``), and reach the theme's own partials under ``theme/``."""
    import jinja2

    theme_dirs = [d for d in config.theme.dirs
                  if Path(d).resolve() != Path(config.theme.custom_dir or "/nonexistent").resolve()]
    env.loader = jinja2.ChoiceLoader(
        [env.loader, jinja2.PrefixLoader({"theme": jinja2.FileSystemLoader(theme_dirs)})])
    if os.environ.get("JIANDI_NAV_CACHE") != "0":  # 0: render it for every page (tests compare)
        env.globals["jiandi_nav_key"] = nav_key
    env.globals["jiandi_navs"] = {}
    folder = Path(config.config_file_path).resolve().parent.parent / "jinja-cache" / "theme"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    except OSError:
        pass  # a read-only place: build without the cache
    return env


def nav_key(page: Any, nav: Any, base_url: str) -> tuple[Any, ...] | None:
    """What the theme's navigation HTML depends on for ``page``: every nav link as seen from
    the page, and which items are active. None (render it afresh) for a page that is itself in
    the navigation, whose entry shows its table of contents."""
    from mkdocs.utils import normalize_url

    if page is None or nav is None:
        return None
    key: list[Any] = [base_url, normalize_url(nav.homepage.url if nav.homepage else "", page)]
    stack = list(nav.items)
    while stack:
        item = stack.pop()
        if item is page or (getattr(item, "is_page", False) and item == page):
            return None
        url = getattr(item, "url", None)
        key.append((id(item), bool(item.active),
                    normalize_url(url, page) if url is not None else None))
        stack.extend(getattr(item, "children", None) or ())
    return tuple(key)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Clean each page's HTML with the raw-HTML allow-list before the theme and search see it."""
    return clean(html)
