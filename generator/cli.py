"""The command line: a thin shell over the pipeline. Exit codes: 0 ok, 1 content errors, 2 usage."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

import click
from rich.console import Console

from generator.content.kinds import BY_WORD
from generator.problems import Problems, system_message

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
    details = getattr(error, "details", None) or "".join(traceback.format_exception(error))
    path.write_text(details, encoding="utf-8")
    return path


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jiandi")
def main() -> None:
    """jiandi: 监地共建 publishing generator (public site, internal reference, booklets)."""


@main.command()
@CONTENT
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json: a list of {path, line, column, severity, code, "
              "message} for editors and CI")
def check(content: Path, fmt: str) -> None:
    """Validate all content and report every problem at once."""
    import json

    from generator.check import validate

    root = _content_dir(content)
    try:
        _corpus, problems = validate(root)
    except Exception as error:  # noqa: BLE001 - an author never sees a traceback
        log = _crash_log(error)
        err.print(f"检查失败：jiandi 内部错误（{type(error).__name__}: {error}）。"
                  f"详细信息已写入 {log}，请把它发给维护人员。", markup=False, style="red")
        sys.exit(1)
    if fmt == "json":
        click.echo(json.dumps([p.as_json() for p in problems.sorted()], ensure_ascii=False,
                              indent=2))
        sys.exit(1 if problems.errors else 0)
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
@click.option("--no-booklets", is_flag=True, help="skip the PDF booklets (faster previews)")
def build(content: Path, out_dir: Path, edition: str, build_dir: Path, no_booklets: bool) -> None:
    """Build the public and/or internal edition into OUT/public and OUT/internal."""
    from generator.booklets.pdf import FontMissing
    from generator.problems import ContentError
    from generator.site.build import SystemProblem, build_editions
    from generator.site.output import Busy, NotOurs

    editions = EDITIONS if edition == "all" else (edition,)
    root = _content_dir(content)
    unchanged = "原来的网站没有改动。"
    try:
        with _interruptible():
            results = build_editions(root, out_dir, build_dir, editions,
                                     progress=lambda msg: err.print(msg, markup=False),
                                     booklets=not no_booklets)
    except ContentError as error:
        report(error.problems)
        err.print(f"[red]构建失败：{len(error.problems.errors)} 个错误[/red]。{unchanged}")
        sys.exit(1)
    except (FontMissing, NotOurs) as error:
        err.print(f"构建失败：{error}。{unchanged}", markup=False, style="red")
        sys.exit(1)
    except Busy as error:
        err.print(f"另一个 jiandi build 正在使用 {error.path}：请等它结束后再运行。"
                  f"这次没有构建，{unchanged}", markup=False, style="red")
        sys.exit(1)
    except SystemProblem as error:
        err.print(f"构建失败：{system_message(error.errno, error.strerror, error.path)}"
                  f"{unchanged}", markup=False, style="red")
        sys.exit(1)
    except KeyboardInterrupt:
        err.print(f"构建已中断：{unchanged}", markup=False, style="red")
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - an author never sees a traceback
        log = _crash_log(error)
        what = str(error) if hasattr(error, "details") else f"{type(error).__name__}: {error}"
        err.print(f"构建失败：jiandi 内部错误（{what}）。"
                  f"{unchanged}详细信息已写入 {log}，请把它发给维护人员。",
                  markup=False, style="red")
        sys.exit(1)
    for name, path in results.items():
        err.print(f"[green]{name}[/green] → {path}")


class _interruptible:
    """SIGTERM ends a build as Ctrl+C does, so the staging folders are removed on the way out."""

    def __enter__(self) -> None:
        import signal

        def stop(_signum: int, _frame: object) -> None:
            raise KeyboardInterrupt

        self.previous = signal.signal(signal.SIGTERM, stop)

    def __exit__(self, *exc: object) -> None:
        import signal

        signal.signal(signal.SIGTERM, self.previous)


@main.command()
@CONTENT
@click.option("--edition", type=click.Choice(EDITIONS), default="public", show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--build-dir", default="build", show_default=True,
              type=click.Path(file_okay=False, path_type=Path))
def serve(content: Path, edition: str, host: str, port: int, build_dir: Path) -> None:
    """Live preview on http://HOST:PORT/ that rebuilds when content or templates change."""
    from generator.preview.regenerate import Preview
    from generator.preview.serve import port_problem
    from generator.preview.serve import serve as run
    from generator.problems import ContentError

    def show(error: ContentError) -> None:
        report(error.problems)
        err.print(f"[red]{len(error.problems.errors)} 个错误[/red]：预览保持上一次成功的版本，"
                  f"改正后会自动刷新")

    from generator.site.output import NotOurs, claim_build_dir

    root = _content_dir(content)
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
    preview = Preview(root, edition, (build_dir / f"serve-{edition}").resolve(),
                      show, announce=lambda line: err.print(line, markup=False))
    try:
        err.print(f"预览（{'内部版' if edition == 'internal' else '公开版'}）：http://{host}:{port}/"
                  f"  按 Ctrl+C 停止", markup=False)
        run(preview, host, port)
    except ContentError as error:
        report(error.problems)
        err.print(f"[red]{len(error.problems.errors)} 个错误[/red]：请先改正，再启动预览")
        sys.exit(1)


@main.command()
@click.argument("kind", type=click.Choice(list(BY_WORD)))
@CONTENT
@click.option("--title", required=True, help="title of the record")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD (default: today)")
@click.option("--bureau", "bureaus", multiple=True, help="a bureau id (repeat for several)")
@click.option("--topic", "topics", multiple=True, help="a topic slug (repeat for several)")
@click.option("--visibility", type=click.Choice(["public", "internal"]),
              help="public or internal (asked for when missing)")
@click.option("--id", "ident", help="the file name without .md (default: from date and title)")
@click.option("--short-name", help="bureaus only: short name, e.g. 涟源市")
@click.option("--region", help="bureaus only: the city or prefecture, e.g. 娄底市")
def new(kind: str, content: Path, title: str, day: dt.datetime | None, bureaus: tuple[str, ...],
        topics: tuple[str, ...], visibility: str | None, ident: str | None,
        short_name: str | None, region: str | None) -> None:
    """Write a new record (event, policy, agreement, bureau) from a template and check it."""
    from generator import new as new_mod
    from generator.config import project_file

    def ask(question: str, choices: list[str] | None, no_terminal: str) -> str:
        if not sys.stdin.isatty():
            raise new_mod.Refused(no_terminal, usage=True)
        answer = click.prompt(question, type=click.Choice(choices) if choices else None)
        return str(answer)

    request = new_mod.Request(BY_WORD[kind].folder, title, day.date() if day else None,
                              list(bureaus), list(topics), visibility, ident, short_name, region)
    try:
        path, problems = new_mod.create(_content_dir(content), request,
                                        project_file("templates"), ask)
    except new_mod.Refused as refused:
        if refused.usage:
            raise click.UsageError(refused.message) from None
        err.print(refused.message, markup=False, style="red")
        sys.exit(1)
    except OSError as error:
        err.print(system_message(error.errno or 0, error.strerror or "",
                                 str(error.filename or "")), markup=False, style="red")
        sys.exit(1)
    for problem in problems:
        out.print(problem.format(), markup=False)
    if path is None:
        err.print("没有创建记录：请按上面的提示改正命令里的值后再试", markup=False, style="red")
        sys.exit(1)
    out.print(str(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path),
              markup=False)


EDITION = click.option("--edition", type=click.Choice(EDITIONS), default="public",
                       show_default=True, help="which edition's content the booklet shows")
OUT = click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
                   help="where to write the PDF (default: a name in the current folder)")
PERIOD = [
    click.option("--period", help="2023, 2023-Q4 or 2023-12"),
    click.option("--from", "start", help="first day, YYYY-MM-DD"),
    click.option("--to", "end", help="last day, YYYY-MM-DD"),
]


def _with(options):  # type: ignore[no-untyped-def]
    def decorate(function):  # type: ignore[no-untyped-def]
        for option in reversed(options):
            function = option(function)
        return function
    return decorate


@main.group()
def booklet() -> None:
    """Print one booklet (PDF) on demand: a bureau briefing, a period briefing, the handbook."""


def _print_booklet(content: Path, edition_name: str, choose, out_file: Path | None,  # type: ignore[no-untyped-def]
                   default_name: str) -> None:
    from generator import editions
    from generator.booklets import printing
    from generator.booklets.pdf import FontMissing, check_fonts
    from generator.check import validate
    from generator.config import load_base_config, project_file

    corpus, problems = validate(_content_dir(content))
    if problems:
        report(problems)
        err.print(f"[red]{len(problems.errors)} 个错误[/red]：请先改正内容，再印制简报")
        sys.exit(1)
    try:
        check_fonts()
    except FontMissing as error:
        err.print(str(error), markup=False, style="red")
        sys.exit(1)
    base = load_base_config(project_file("mkdocs.yml"))
    chosen = choose(editions.make(corpus, edition_name), base)  # type: ignore[arg-type]
    target = out_file or Path(default_name)
    _may_write_pdf(target)
    printing.write(chosen, target, project_file("templates").resolve(), base)
    err.print(f"[green]{chosen.title}[/green] → {target}")


def _may_write_pdf(target: Path) -> None:
    from generator.booklets.printing import may_replace

    if not may_replace(target):
        err.print(f"{target} 已经存在，而且不是 jiandi 印制的简报：不会覆盖它。请用 --out 换一个文件名",
                  markup=False, style="red")
        sys.exit(1)


def _period(period: str | None, start: str | None, end: str | None):  # type: ignore[no-untyped-def]
    from generator.booklets.selection import PeriodError, parse_period

    try:
        return parse_period(period, start, end)
    except PeriodError as error:
        raise click.UsageError(str(error)) from None
    except ValueError:  # a year the calendar has not (0000)
        raise click.UsageError(f"无法识别的时间段 “{period or start or end}”：请写 2023、2023-Q4、"
                               f"2023-12，或 --from/--to YYYY-MM-DD") from None


@booklet.command("bureau")
@click.argument("bureau_id")
@CONTENT
@EDITION
@click.option("--period", help="2023, 2023-Q4, 2023-12, or all (every event in full); default: "
              "the latest months in full (extra.jiandi.briefing_months), earlier ones listed")
@_with(PERIOD[1:])
@OUT
def booklet_bureau(bureau_id: str, content: Path, edition: str, period: str | None,
                   start: str | None, end: str | None, out_file: Path | None) -> None:
    """The regional briefing of one bureau (BUREAU_ID is its file name without .md)."""
    from generator.booklets.selection import bureau_booklet
    from generator.config import settings_of

    everything = period is not None and period.strip().lower() in ("all", "全部")
    chosen_period = None if everything else _period(period, start, end)

    def choose(view, base):  # type: ignore[no-untyped-def]
        bureau = view.get(f"bureaus/{bureau_id}")
        if bureau is None:
            known = ", ".join(b.id for b in view.bureaus) or "（没有）"
            raise click.UsageError(f"{edition} 版中没有编号为 “{bureau_id}” 的司法局；可选：{known}")
        months = 0 if everything else settings_of(base).jiandi.briefing_months
        return bureau_booklet(view, bureau, chosen_period, months)

    _print_booklet(content, edition, choose, out_file, f"{bureau_id}-{edition}.pdf")


@booklet.command("period")
@CONTENT
@EDITION
@_with(PERIOD)
@click.option("--group-by", type=click.Choice(["month", "bureau"]), default="month",
              show_default=True)
@OUT
def booklet_period(content: Path, edition: str, period: str | None, start: str | None,
                   end: str | None, group_by: str, out_file: Path | None) -> None:
    """All events of a period (--period 2023, 2023-Q4, 2023-12, or --from/--to)."""
    from generator.booklets.selection import period_booklet

    chosen_period = _period(period, start, end)
    if chosen_period is None:
        raise click.UsageError("请用 --period（如 2023、2023-Q4）或 --from/--to 指定时间段")
    _print_booklet(content, edition,
                   lambda view, base: period_booklet(view, chosen_period, group_by),
                   out_file, f"period-{period or 'range'}-{edition}.pdf")


@booklet.command("handbook")
@CONTENT
@OUT
def booklet_handbook(content: Path, out_file: Path | None) -> None:
    """The policy handbook: every public policy explainer."""
    from generator.booklets.selection import handbook

    _print_booklet(content, "public", lambda view, base: handbook(view), out_file,
                   "handbook.pdf")
