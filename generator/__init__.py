"""jiandi: publishing generator for the 监地共建 programme.

The pipeline, one stage after another (ARCHITECTURE.md): ``content`` (read + validate) →
``editions`` (public / internal view) → ``site`` (pages, MkDocs, publishing) and ``booklets``,
checked by ``guard`` before anything is published; ``cli`` is a thin shell.
"""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed package: it is written once, in pyproject.toml
    (read on demand, as it takes a moment every command would otherwise spend)."""
    if name == "__version__":
        import importlib.metadata

        return importlib.metadata.version("jiandi")
    raise AttributeError(name)
