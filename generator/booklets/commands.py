"""``jiandi booklet``: one booklet printed on demand (a bureau briefing, a period briefing,
the handbook)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from generator.terminal import CONTENT, EDITIONS, content_dir, err, report

EDITION = click.option(
    "--edition",
    type=click.Choice(EDITIONS),
    default="public",
    show_default=True,
    help="which edition's content the booklet shows",
)
OUT = click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="where to write the PDF (default: a name in the current folder)",
)
ISSUE = click.option(
    "--issue",
    type=click.IntRange(min=1),
    help="the issue (第N期) in content/booklets.yml to print again; default: the latest",
)
PERIOD = [
    click.option("--period", help="2023, 2023-Q4 or 2023-12"),
    click.option("--from", "start", help="first day, YYYY-MM-DD"),
    click.option("--to", "end", help="last day, YYYY-MM-DD"),
]


if TYPE_CHECKING:  # imported by the commands themselves: `jiandi --help` stays quick
    from generator.booklets.selection import Booklet, Period
    from generator.editions import Edition
    from generator.workflow.register import Imprint, Register

Decorator = Callable[[Any], Any]
# What a command's ``choose`` makes of the edition, the settings (mkdocs.yml) and the register
# of issues (content/booklets.yml).
Choose = Callable[["Edition", dict[str, Any], "Register"], "Booklet"]


def _with(options: Sequence[Decorator]) -> Decorator:
    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            function = option(function)
        return function

    return decorate


@click.group()
def booklet() -> None:
    """Print one booklet (PDF) on demand: a bureau briefing, a period briefing, the handbook."""


def _print_booklet(
    content: Path,
    edition_name: str,
    choose: Choose,
    out_file: Path | None,
    default_name: str,
) -> None:
    from generator import editions
    from generator.booklets import printing
    from generator.booklets.pdf import PrintFailed, check_fonts
    from generator.check import validate
    from generator.config import load_base_config, project_file

    corpus, problems = validate(content_dir(content))
    if problems:
        report(problems)
        err.print(f"[red]{len(problems.errors)} 个错误[/red]：请先改正内容，再印制简报")
        sys.exit(1)
    from generator.workflow import register

    base = load_base_config(project_file("mkdocs.yml"))
    listed = register.read(corpus.root, problems)  # checked by validate: no problem left
    chosen = choose(editions.make(corpus, editions.name_of(edition_name)), base, listed)
    target = out_file or Path(default_name)
    _may_write_pdf(target)
    try:
        check_fonts()
        if chosen.edition.internal:
            printing.write(chosen, target, project_file("templates").resolve(), base)
        else:
            _print_guarded(chosen, target, base, corpus)
    except PrintFailed as error:
        err.print(str(error), markup=False, style="red")
        sys.exit(1)
    except OSError as error:
        err.print(
            f"无法写入 {target}（{error.strerror}）：请换一个文件夹或文件名（--out），"
            f"或检查磁盘空间和权限",
            markup=False,
            style="red",
        )
        sys.exit(1)
    err.print(f"[green]{chosen.title}[/green] → {target}")


def _print_guarded(chosen: Booklet, target: Path, base: dict[str, Any], corpus: Any) -> None:
    """Print a public booklet into a folder of its own, search it for internal text as the
    build's leak guard searches the public site, and only then put it at ``target``."""
    import json
    import os
    import tempfile

    from generator.booklets import printing
    from generator.config import project_file
    from generator.guard import guard

    with tempfile.TemporaryDirectory(prefix="jiandi-booklet-") as folder:
        printed = Path(folder) / "booklet.pdf"
        printing.write(chosen, printed, project_file("templates").resolve(), base)
        leaks = guard.scan(Path(folder), guard.fingerprints(corpus, json.dumps(base)))
        if leaks:
            report(leaks)
            err.print(
                f"公开版简报里有内部内容，没有写出 {target}：请把上面的内容移出公开字段",
                markup=False,
                style="red",
            )
            sys.exit(1)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            partial.write_bytes(printed.read_bytes())
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)


def _may_write_pdf(target: Path) -> None:
    from generator.booklets.printing import may_replace

    if not may_replace(target):
        err.print(
            f"{target} 已经存在，而且不是 jiandi 印制的简报：不会覆盖它。请用 --out 换一个文件名",
            markup=False,
            style="red",
        )
        sys.exit(1)


def _period(period: str | None, start: str | None, end: str | None) -> Period | None:
    from generator.booklets.selection import PeriodError, parse_period

    if period and (start or end):
        raise click.UsageError("--period 和 --from/--to 只能用一种")
    try:
        return parse_period(period, start, end)
    except PeriodError as error:
        raise click.UsageError(str(error)) from None
    except ValueError:  # a year the calendar has not (0000)
        raise click.UsageError(
            f"无法识别的时间段 “{period or start or end}”：请写 2023、2023-Q4、"
            f"2023-12，或 --from/--to YYYY-MM-DD"
        ) from None


@booklet.command("bureau")
@click.argument("bureau_id")
@CONTENT
@EDITION
@click.option(
    "--period",
    help="2023, 2023-Q4, 2023-12, or all (every event in full); default: its latest issue "
    "(content/booklets.yml), the months up to its date in full "
    "(extra.jiandi.briefing_months), earlier ones listed",
)
@_with(PERIOD[1:])
@ISSUE
@OUT
def booklet_bureau(
    bureau_id: str,
    content: Path,
    edition: str,
    period: str | None,
    start: str | None,
    end: str | None,
    issue: int | None,
    out_file: Path | None,
) -> None:
    """The regional briefing of one bureau (BUREAU_ID is its file name without .md): the
    latest issue in content/booklets.yml, as the site carries it, or --issue N; with --period,
    an unnumbered briefing of that period."""
    from generator.booklets.selection import bureau_booklet
    from generator.config import settings_of

    everything = period is not None and period.strip().lower() in ("all", "全部")
    if everything and (start or end):
        raise click.UsageError("--period all 和 --from/--to 只能用一种")
    chosen_period = None if everything else _period(period, start, end)
    if issue is not None and (everything or chosen_period is not None):
        raise click.UsageError(
            "--issue 印的是登记过的一期，时间范围已经定了：不能再加 --period、--from 或 --to"
        )

    def choose(view: Edition, base: dict[str, Any], listed: Register) -> Booklet:
        bureau = next((b for b in view.bureaus if b.id == bureau_id), None)
        if bureau is None:
            known = ", ".join(b.id for b in view.bureaus) or "（没有）"
            raise click.UsageError(
                f"{edition} 版中没有编号为 “{bureau_id}” 的司法局；可选：{known}"
            )
        months = 0 if everything else settings_of(base).jiandi.briefing_months
        adhoc = everything or chosen_period is not None
        imprint = _imprint(listed, "" if adhoc else f"bureaus/{bureau_id}", issue)
        return bureau_booklet(view, bureau, chosen_period, months, imprint)

    _print_booklet(content, edition, choose, out_file, f"{bureau_id}-{edition}.pdf")


@booklet.command("period")
@CONTENT
@EDITION
@_with(PERIOD)
@click.option(
    "--group-by", type=click.Choice(["month", "bureau"]), default="month", show_default=True
)
@OUT
def booklet_period(
    content: Path,
    edition: str,
    period: str | None,
    start: str | None,
    end: str | None,
    group_by: str,
    out_file: Path | None,
) -> None:
    """All events of a period (--period 2023, 2023-Q4, 2023-12, or --from/--to)."""
    from generator.booklets.selection import period_booklet, period_key

    chosen_period = _period(period, start, end)
    if chosen_period is None:
        raise click.UsageError("请用 --period（如 2023、2023-Q4）或 --from/--to 指定时间段")
    _print_booklet(
        content,
        edition,
        lambda view, base, listed: period_booklet(
            view, chosen_period, group_by, _imprint(listed, period_key(listed, chosen_period))
        ),
        out_file,
        f"period-{period or 'range'}-{edition}.pdf",
    )


@booklet.command("handbook")
@CONTENT
@EDITION
@ISSUE
@OUT
def booklet_handbook(content: Path, edition: str, issue: int | None, out_file: Path | None) -> None:
    """The policy handbook: every public explainer; --edition internal: the staff handbook,
    internal explainers, sections and fields included."""
    from generator.booklets.selection import handbook

    _print_booklet(
        content,
        edition,
        lambda view, base, listed: handbook(view, _imprint(listed, "handbook", issue)),
        out_file,
        "handbook.pdf",
    )


def _imprint(listed: Register, booklet: str, issue: int | None = None) -> Imprint:
    """The registered issue of ``booklet`` to print (the latest, or ``issue``); unnumbered and
    dated today if it has none."""
    from generator.workflow.register import imprint_of

    if issue is not None and not any(
        i.booklet.strip() == booklet and i.number == issue for i in listed.issues
    ):
        raise click.UsageError(
            f"content/booklets.yml 里没有登记 {booklet} 的第{issue}期：请先登记，或不加 --issue"
        )
    return imprint_of(listed, booklet, issue)
