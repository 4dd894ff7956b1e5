"""MkDocs hooks for the generated projects (listed under ``hooks:`` in their mkdocs.yml).

Kept to documented hook events (page HTML, the template environment), so the projects stay
plain.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from generator.content.html_policy import clean

# The theme's partials/nav.html, rendered once and kept for the next page that would get
# exactly the same HTML (see nav_key): rendering it for every page was a fifth to a third of the
# time spent in the theme. Installed by on_env as partials/nav.html; the theme's own file (or a
# custom_dir override of it) stays reachable as theme/partials/nav.html.
NAV_WRAPPER = """\
{%- set key = jiandi_nav_key(page, nav, base_url) -%}
{%- if key is none -%}
{%- include "theme/partials/nav.html" -%}
{%- else -%}
{%- set cached = jiandi_navs.get(key) -%}
{%- if cached is none -%}
{%- set cached -%}{%- include "theme/partials/nav.html" -%}{%- endset -%}
{%- set _ = jiandi_navs.__setitem__(key, cached) -%}
{%- endif -%}
{{- cached -}}
{%- endif -%}"""


class _Utf8Json:
    """``json`` for Material's search plugin, writing the index as UTF-8 rather than with ASCII
    escapes: ``\\u4e2d`` is six bytes where 中 is three. The index is mostly Chinese text, so it
    becomes half the size (58 MB instead of 116 MB at 10,000 records) and quicker to write;
    the browser reads both the same."""

    def __getattr__(self, name: str) -> Any:
        return getattr(json, name)

    @staticmethod
    def dumps(value: Any, **options: Any) -> str:
        return json.dumps(value, **{**options, "ensure_ascii": False})


def on_config(config: Any) -> Any:
    """Have Material's search plugin write its index as UTF-8 (see _Utf8Json)."""
    try:
        from material.plugins.search import plugin as search
    except ImportError:
        return config
    if search.json is json:
        search.json = _Utf8Json()
    return config


def on_env(env: Any, config: Any, files: Any) -> Any:
    """Keep the theme's compiled templates between builds (next to the generated projects,
    keyed by each template's source): compiling Material's templates cost every build ~0.3 s.
    Render the navigation once per distinct result (NAV_WRAPPER)."""
    import jinja2

    if os.environ.get("JIANDI_NAV_CACHE") != "0":  # 0: render it for every page (tests compare)
        env.loader = jinja2.ChoiceLoader([
            jinja2.DictLoader({"partials/nav.html": NAV_WRAPPER}),
            jinja2.PrefixLoader({"theme": env.loader}),
            env.loader,
        ])
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
