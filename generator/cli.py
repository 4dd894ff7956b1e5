"""The command line: a thin shell over the pipeline. Exit codes: 0 ok, 1 content errors, 2 usage."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click
from rich.console import Console

from generator.problems import Problems

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

CONTENT = click.option(
    "--content", "content", default="content", show_default=True,
    type=click.Path(file_okay=False, path_type=Path), help="content folder",
)
EDITIONS = ("public", "internal")


def report(problems: Problems) -> None:
    """Print every problem as ``path:line: message``, errors and warnings alike."""
    for problem in problems.sorted():
        style = "red" if problem.severity == "error" else "yellow"
        out.print(problem.format(), style=style, markup=False)


def _content_dir(content: Path) -> Path:
    if not content.is_dir():
        raise click.UsageError(f"找不到内容目录 “{content}”：请用 --content 指定内容文件夹")
    return content.resolve()


def _crash_log(error: BaseException) -> Path:
    import traceback

    path = Path(tempfile.gettempdir()) / "jiandi-crash.log"
    path.write_text("".join(traceback.format_exception(error)), encoding="utf-8")
    return path


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jiandi")
def main() -> None:
    """jiandi: 监地共建 publishing generator (public site, internal reference, booklets)."""


@main.command()
@CONTENT
def check(content: Path) -> None:
    """Validate all content and report every problem at once."""
    from generator.resolve import validate

    root = _content_dir(content)
    try:
        _corpus, problems = validate(root)
    except Exception as error:  # noqa: BLE001 - an author never sees a traceback
        log = _crash_log(error)
        err.print(f"检查失败：jiandi 内部错误（{type(error).__name__}: {error}）。"
                  f"详细信息已写入 {log}，请把它发给维护人员。", markup=False, style="red")
        sys.exit(1)
    report(problems)
    errors = len(problems.errors)
    if errors:
        err.print(f"[red]{errors} 个错误[/red]，{len(problems.warnings)} 个警告：请按上面的行号逐一修改")
        sys.exit(1)
    err.print(f"[green]检查通过[/green]（{len(problems.warnings)} 个警告）")


@main.command()
@CONTENT
@click.option("--out", "out_dir", default="site", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="output folder")
@click.option("--edition", type=click.Choice(["public", "internal", "all"]), default="all",
              show_default=True, help="which edition(s) to build")
@click.option("--build-dir", default="build", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="where the generated MkDocs projects are kept for inspection")
def build(content: Path, out_dir: Path, edition: str, build_dir: Path) -> None:
    """Build the public and/or internal edition into OUT/public and OUT/internal."""
    from generator.problems import ContentError
    from generator.site import build_editions

    editions = EDITIONS if edition == "all" else (edition,)
    try:
        results = build_editions(_content_dir(content), out_dir, build_dir, editions,
                                 progress=lambda msg: err.print(msg, markup=False))
    except ContentError as error:
        report(error.problems)
        err.print(f"[red]构建失败：{len(error.problems.errors)} 个错误[/red]。"
                  f"原来的网站没有改动。")
        sys.exit(1)
    except Exception as error:  # noqa: BLE001 - an author never sees a traceback
        log = _crash_log(error)
        err.print(f"构建失败：jiandi 内部错误（{type(error).__name__}: {error}）。"
                  f"原来的网站没有改动。详细信息已写入 {log}，请把它发给维护人员。",
                  markup=False, style="red")
        sys.exit(1)
    for name, path in results.items():
        err.print(f"[green]{name}[/green] → {path}")
