"""The command line: a thin shell over the pipeline. Exit codes: 0 ok, 1 content errors, 2 usage."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from generator.booklets import commands as booklet_commands
from generator.content.kinds import BY_WORD
from generator.importing import commands as import_commands
from generator.problems import system_message
from generator.terminal import (
    BUREAUS,
    CONTENT,
    EDITIONS,
    RECORD_ID,
    TOPICS,
    content_dir,
    crash_log,
    err,
    folder_option,
    interruptible,
    out,
    report,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jiandi")
def main() -> None:
    """jiandi: 监地共建 publishing generator (public site, internal reference, booklets)."""
    from generator.clock import ClockError, now

    try:
        now()  # every command that dates or schedules reads it: say at once if it is unusable
    except ClockError as error:
        err.print(str(error), markup=False, style="red")
        sys.exit(2)


@main.command()
@CONTENT
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: a list of {path, line, column, severity, code, message} for editors and CI",
)
def check(content: Path, fmt: str) -> None:
    """Validate all content and report every problem at once."""
    import json

    from generator.check import validate

    root = content_dir(content)
    try:
        _corpus, problems = validate(root)
    except Exception as error:  # noqa: BLE001 - an author never sees a traceback
        log = crash_log(error)
        err.print(
            f"检查失败：jiandi 内部错误（{type(error).__name__}: {error}）。"
            f"详细信息已写入 {log}，请把它发给维护人员。",
            markup=False,
            style="red",
        )
        sys.exit(1)
    if fmt == "json":
        click.echo(
            json.dumps([p.as_json() for p in problems.sorted()], ensure_ascii=False, indent=2)
        )
        sys.exit(1 if problems.errors else 0)
    report(problems)
    errors = len(problems.errors)
    if errors:
        err.print(
            f"[red]{errors} 个错误[/red]，{len(problems.warnings)} 个警告：请按上面的行号逐一修改"
        )
        sys.exit(1)
    err.print(f"[green]检查通过[/green]（{len(problems.warnings)} 个警告）")


@main.command()
@CONTENT
@folder_option("--out", "site", "output folder", "out_dir")
@click.option(
    "--edition",
    type=click.Choice(["public", "internal", "all"]),
    default="all",
    show_default=True,
    help="which edition(s) to build",
)
@folder_option(
    "--build-dir", "build", "where the generated MkDocs projects are kept for inspection"
)
@click.option("--no-booklets", is_flag=True, help="skip the PDF booklets (faster previews)")
def build(content: Path, out_dir: Path, edition: str, build_dir: Path, no_booklets: bool) -> None:
    """Build the public and/or internal edition into OUT/public and OUT/internal."""
    from generator.site.build import build_editions

    editions = EDITIONS if edition == "all" else (edition,)
    root = content_dir(content)
    results = _building(
        lambda: build_editions(
            root,
            out_dir,
            build_dir,
            editions,
            progress=lambda msg: err.print(msg, markup=False),
            booklets=not no_booklets,
        ),
        "构建失败",
        "原来的网站没有改动。",
    )
    for name, path in results.items():
        err.print(f"[green]{name}[/green] → {path}")


@main.command()
@CONTENT
@folder_option(
    "--out", "site", "the output folder whose public edition is compared (never written)", "out_dir"
)
@folder_option("--build-dir", "build", "the build folder whose caches are reused")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: a list of {url, change}, change one of added, changed, removed",
)
@click.option("--no-booklets", is_flag=True, help="compare pages only, without the PDF booklets")
def diff(content: Path, out_dir: Path, build_dir: Path, fmt: str, no_booklets: bool) -> None:
    """What the next build would add, change or remove on the public site (pages and PDFs),
    with the visible text that changed: for the reviewer, before publishing."""
    import json

    from generator.site.diff import build_and_compare, described

    root = content_dir(content)
    progress = (lambda _msg: None) if fmt == "json" else (lambda msg: err.print(msg, markup=False))
    found = _building(
        lambda: build_and_compare(root, out_dir, build_dir, not no_booklets, progress),
        "对比失败",
        f"{out_dir} 没有改动。",
    )
    if fmt == "json":
        out.print_json(json.dumps([d.as_json() for d in found], ensure_ascii=False))
        return
    for line, style in described(found, out_dir / "public"):
        out.print(line, markup=False, style=style)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@CONTENT
@click.option(
    "--role", required=True, help="the review step, e.g. 初审 (extra.jiandi.review.roles)"
)
@click.option("--by", "by", required=True, help="who signs off: a name or a post")
def approve(paths: tuple[Path, ...], content: Path, role: str, by: str) -> None:
    """Record a sign-off (审核) of each record's public content, dated today (Beijing)."""
    from generator.check import validate
    from generator.workflow.approve import Refused
    from generator.workflow.approve import approve as sign

    root = content_dir(content)
    try:
        done = sign(root, list(paths), role, by, validate)
    except Refused as refused:
        err.print(f"没有记录审核：{refused}", markup=False, style="red")
        sys.exit(1)
    except OSError as error:
        said = system_message(error.errno or 0, error.strerror or str(error), str(error.filename))
        err.print(f"没有记录审核：{said}", markup=False, style="red")
        sys.exit(1)
    for item in done:
        s = item.signoff
        out.print(
            f"{item.path}: {s.role} {s.by} {s.on.isoformat()}（内容摘要 {s.digest}）", markup=False
        )


T = TypeVar("T")


def _building(action: Callable[[], T], failed: str, unchanged: str) -> T:
    """Run a build (``jiandi build``, ``jiandi diff``) and end with exit 1 and a message an
    author can act on if it fails: content problems, fonts, a folder that is not jiandi's,
    another build at work, the disk; 130 when interrupted. Never a traceback."""
    from generator.booklets.pdf import PrintFailed
    from generator.problems import ContentError
    from generator.site.build import SystemProblem
    from generator.site.output import Busy, NotOurs

    try:
        with interruptible():
            return action()
    except ContentError as error:
        report(error.problems)
        err.print(f"[red]{failed}：{len(error.problems.errors)} 个错误[/red]。{unchanged}")
        sys.exit(1)
    except (PrintFailed, NotOurs) as error:
        err.print(f"{failed}：{error}。{unchanged}", markup=False, style="red")
        sys.exit(1)
    except Busy as error:
        err.print(
            f"另一个 jiandi build 正在使用 {error.path}：请等它结束后再运行。{unchanged}",
            markup=False,
            style="red",
        )
        sys.exit(1)
    except SystemProblem as error:
        err.print(
            f"{failed}：{system_message(error.errno, error.strerror, error.path)}{unchanged}",
            markup=False,
            style="red",
        )
        sys.exit(1)
    except KeyboardInterrupt:
        err.print(f"{failed.removesuffix('失败')}已中断：{unchanged}", markup=False, style="red")
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - an author never sees a traceback
        log = crash_log(error)
        what = str(error) if hasattr(error, "details") else f"{type(error).__name__}: {error}"
        err.print(
            f"{failed}：jiandi 内部错误（{what}）。"
            f"{unchanged}详细信息已写入 {log}，请把它发给维护人员。",
            markup=False,
            style="red",
        )
        sys.exit(1)


@main.command()
@CONTENT
@click.option("--edition", type=click.Choice(EDITIONS), default="public", show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@folder_option("--build-dir", "build", "where the preview's MkDocs project is kept")
def serve(content: Path, edition: str, host: str, port: int, build_dir: Path) -> None:
    """Live preview on http://HOST:PORT/ that rebuilds when content or templates change."""
    from generator.preview.regenerate import Preview
    from generator.preview.serve import port_problem
    from generator.preview.serve import serve as run
    from generator.problems import ContentError

    def show(error: ContentError) -> None:
        report(error.problems)
        err.print(
            f"[red]{len(error.problems.errors)} 个错误[/red]：预览保持上一次成功的版本，"
            f"改正后会自动刷新"
        )

    from generator.site.output import NotOurs, claim_build_dir

    root = content_dir(content)
    refused = port_problem(host, port)
    if refused is not None:
        usage, message = refused
        if usage:
            raise click.UsageError(message)
        err.print(message, markup=False, style="red")
        sys.exit(1)
    try:
        claim_build_dir(build_dir)
    except NotOurs as error:
        err.print(str(error), markup=False, style="red")
        sys.exit(1)
    preview = Preview(
        root,
        edition,
        (build_dir / f"serve-{edition}").resolve(),
        show,
        announce=lambda line: err.print(line, markup=False),
    )
    try:
        err.print(
            f"预览（{'内部版' if edition == 'internal' else '公开版'}）：http://{host}:{port}/"
            f"  按 Ctrl+C 停止",
            markup=False,
        )
        run(preview, host, port)
    except ContentError as error:
        report(error.problems)
        err.print(f"[red]{len(error.problems.errors)} 个错误[/red]：请先改正，再启动预览")
        sys.exit(1)


@main.command()
@click.argument("kind", type=click.Choice(list(BY_WORD)))
@CONTENT
@click.option("--title", required=True, help="title of the record")
@click.option(
    "--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD (default: today)"
)
@BUREAUS
@TOPICS
@click.option(
    "--visibility",
    type=click.Choice(["public", "internal"]),
    help="public or internal (asked for when missing)",
)
@RECORD_ID
@click.option("--short-name", help="bureaus only: short name, e.g. 涟源市")
@click.option("--region", help="bureaus only: the city or prefecture, e.g. 娄底市")
def new(
    kind: str,
    content: Path,
    title: str,
    day: dt.datetime | None,
    bureaus: tuple[str, ...],
    topics: tuple[str, ...],
    visibility: str | None,
    ident: str | None,
    short_name: str | None,
    region: str | None,
) -> None:
    """Write a new record (event, policy, agreement, bureau) from a template and check it."""
    from generator import new as new_mod
    from generator.config import project_file

    def ask(question: str, choices: list[str] | None, no_terminal: str) -> str:
        if not sys.stdin.isatty():
            raise new_mod.Refused(no_terminal, usage=True)
        answer = click.prompt(question, type=click.Choice(choices) if choices else None)
        return str(answer)

    request = new_mod.Request(
        BY_WORD[kind].folder,
        title,
        day.date() if day else None,
        list(bureaus),
        list(topics),
        visibility,
        ident,
        short_name,
        region,
    )
    try:
        path, problems = new_mod.create(
            content_dir(content), request, project_file("templates"), ask
        )
    except new_mod.Refused as refused:
        if refused.usage:
            raise click.UsageError(refused.message) from None
        err.print(refused.message, markup=False, style="red")
        sys.exit(1)
    except OSError as error:
        err.print(
            system_message(error.errno or 0, error.strerror or "", str(error.filename or "")),
            markup=False,
            style="red",
        )
        sys.exit(1)
    for problem in problems:
        out.print(problem.format(), markup=False)
    if path is None:
        err.print("没有创建记录：请按上面的提示改正命令里的值后再试", markup=False, style="red")
        sys.exit(1)
    out.print(
        str(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path), markup=False
    )


main.add_command(booklet_commands.booklet)
main.add_command(import_commands.import_command)
