"""What every command prints through: the two consoles, problems as ``path:line: message``,
the options every command shares, and where a crash's details go."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import click
from rich.console import Console

from generator.problems import Problems

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


FC = TypeVar("FC", bound=Callable[..., object])


def folder_option(
    name: str, default: str, help: str, dest: str | None = None
) -> Callable[[FC], FC]:
    """An option naming a folder (``--content``, ``--out``, ``--build-dir``)."""
    return click.option(
        name,
        *([dest] if dest else []),
        default=default,
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help=help,
    )


CONTENT = folder_option("--content", "content", "content folder", "content")
# What `jiandi new` and `jiandi import` are told about the record they write.
BUREAUS = click.option(
    "--bureau", "bureaus", multiple=True, help="a bureau id (repeat for several)"
)
TOPICS = click.option("--topic", "topics", multiple=True, help="a topic slug (repeat for several)")
RECORD_ID = click.option(
    "--id", "ident", help="the file name without .md (default: from date and title)"
)
EDITIONS = ("public", "internal")


def report(problems: Problems) -> None:
    """Print every problem as ``path:line: message``, errors and warnings alike."""
    for problem in problems.sorted():
        style = "red" if problem.severity == "error" else "yellow"
        out.print(problem.format(), style=style, markup=False)


def content_dir(content: Path) -> Path:
    if not content.is_dir():
        raise click.UsageError(f"找不到内容目录 “{content}”：请用 --content 指定内容文件夹")
    return content.resolve()


def crash_log(error: BaseException) -> Path:
    import traceback

    path = Path(tempfile.gettempdir()) / "jiandi-crash.log"
    details = getattr(error, "details", None) or "".join(traceback.format_exception(error))
    path.write_text(details, encoding="utf-8")
    return path


class interruptible:
    """SIGTERM ends a build as Ctrl+C does, so the staging folders are removed on the way out."""

    def __enter__(self) -> None:
        import signal

        def stop(_signum: int, _frame: object) -> None:
            raise KeyboardInterrupt

        self.previous = signal.signal(signal.SIGTERM, stop)

    def __exit__(self, *exc: object) -> None:
        import signal

        signal.signal(signal.SIGTERM, self.previous)


@contextmanager
def finishing() -> Iterator[None]:
    """From here a build is over (its editions are being published, then its leftovers
    removed): Ctrl+C and SIGTERM no longer stop it half-way, which would end it with
    "interrupted, the site is unchanged" after the site had changed. They are dropped: what
    they would have stopped is done. Outside the main thread signals are not Python's to take."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    taken = (signal.SIGINT, signal.SIGTERM)
    previous = {number: signal.signal(number, signal.SIG_IGN) for number in taken}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
