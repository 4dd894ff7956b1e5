"""MkDocs hook used by ``jiandi serve`` only: keep the objects of each full build, so that a
change to record bodies alone can be rendered without another (see serve.Rendered)."""

from __future__ import annotations

from typing import Any

from generator import serve


def on_nav(nav: Any, config: Any, files: Any) -> None:
    if serve.CURRENT is not None:
        rendered = serve.CURRENT.rendered
        rendered.config, rendered.files, rendered.nav = config, files, nav


def on_env(env: Any, config: Any, files: Any) -> None:
    if serve.CURRENT is not None:
        serve.CURRENT.rendered.env = env


def on_post_build(config: Any) -> None:
    if serve.CURRENT is not None:
        rendered = serve.CURRENT.rendered
        rendered.complete = all(part is not None for part in
                                (rendered.config, rendered.files, rendered.nav, rendered.env))
