"""jiandi: publishing generator for the 监地共建 programme.

The pipeline, one stage after another:
``model`` (record types) → ``load`` (read + validate) → ``editions`` (public / internal view)
→ ``pages`` (which pages exist) → ``render`` (Jinja2 into a plain MkDocs project)
→ ``site`` (MkDocs build, atomic swap into the output folder); ``cli`` is a thin shell.
"""

import importlib.metadata

# The version is written once, in pyproject.toml.
__version__ = importlib.metadata.version("jiandi")
