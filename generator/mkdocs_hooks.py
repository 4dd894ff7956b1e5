"""MkDocs hooks for the generated projects (listed under ``hooks:`` in their mkdocs.yml).

Kept to the one documented hook MkDocs offers for page HTML, so the projects stay plain.
"""

from __future__ import annotations

from typing import Any

from generator.html_policy import clean


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Clean each page's HTML with the raw-HTML allow-list before the theme and search see it."""
    return clean(html)
