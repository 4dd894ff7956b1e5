"""``jiandi import FILE.docx``: a press officer's Word document as a new record."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.content.kinds import BY_WORD
from generator.problems import display_path, system_message
from generator.terminal import (
    BUREAUS,
    CONTENT,
    RECORD_ID,
    TOPICS,
    content_dir,
    crash_log,
    err,
    out,
)

if TYPE_CHECKING:
    from generator.importing.record import Imported

TYPES = ("event", "policy", "guide")
# What ``check`` says of a record imported without --visibility: the author's to decide.
UNDECIDED = "JD202"


@click.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--type", "kind", type=click.Choice(TYPES), required=True, help="the kind of record")
@CONTENT
@BUREAUS
@TOPICS
@click.option(
    "--visibility",
    type=click.Choice(["public", "internal"]),
    help="public or internal (left for the author to fill in when missing)",
)
@click.option(
    "--date",
    "day",
    type=click.DateTime(["%Y-%m-%d"]),
    help="YYYY-MM-DD, when the document states no date (asked for otherwise)",
)
@RECORD_ID
@click.option("--title", help="the title, when the document's is not the one to use")
def import_command(
    source: Path,
    kind: str,
    content: Path,
    bureaus: tuple[str, ...],
    topics: tuple[str, ...],
    visibility: str | None,
    day: dt.datetime | None,
    ident: str | None,
    title: str | None,
) -> None:
    """Import a Word document (.docx) as a new record, its pictures into assets/, and check it."""
    from generator import new as new_mod
    from generator.config import project_file
    from generator.importing.record import import_docx
    from generator.importing.source import NotWord

    root = content_dir(content)

    def ask_date() -> dt.date:
        if not sys.stdin.isatty():
            raise new_mod.Refused(
                f"{source} 里没有写明日期：请用 --date YYYY-MM-DD 写上日期", usage=True
            )
        answer = click.prompt("日期（YYYY-MM-DD）", type=click.DateTime(["%Y-%m-%d"]))
        return answer.date()

    request = new_mod.Request(
        BY_WORD[kind].folder,
        "",
        day.date() if day else None,
        list(bureaus),
        list(topics),
        visibility,
        ident,
    )
    try:
        imported = import_docx(
            source, root, request, project_file("templates"), ask_date, title=title
        )
    except NotWord as refused:
        err.print(f"没有导入：{refused}", markup=False, style="red")
        sys.exit(1)
    except new_mod.Refused as refused:
        if refused.usage:
            raise click.UsageError(refused.message) from None
        err.print(refused.message, markup=False, style="red")
        sys.exit(1)
    except OSError as error:
        err.print(f"没有导入：{_system(error, root)}", markup=False, style="red")
        sys.exit(1)
    except click.exceptions.Abort:  # Ctrl+C or Ctrl+D at the date question
        err.print("没有导入：已取消，没有写入任何文件", markup=False, style="red")
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("导入已中断：没有留下任何文件", markup=False, style="red")
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - an author never sees a traceback
        log = crash_log(error)
        err.print(
            f"导入失败：jiandi 内部错误（{type(error).__name__}: {error}）。"
            f"详细信息已写入 {log}，请把它和这个 Word 文档发给维护人员。",
            markup=False,
            style="red",
        )
        sys.exit(1)
    sys.exit(_report(imported))


def _report(imported: Imported) -> int:
    """Say what was imported and what ``check`` finds in it; the record's path last, on
    standard output (as ``jiandi new`` prints it). The exit code: 1 if the record has errors
    to fix, besides the visibility left for the author to decide."""
    shown = display_path(imported.path)
    for problem in imported.problems:
        out.print(problem.format(), markup=False)
    err.print(imported.date_from, markup=False)
    for notice in imported.notices:
        err.print(f"请检查：{notice}", markup=False, style="yellow")
    for picture in imported.pictures:
        err.print(f"图片 → {display_path(picture)}", markup=False)
    errors = [p for p in imported.problems if p.severity == "error"]
    undecided = [p for p in errors if p.code == UNDECIDED and "visibility" in p.message]
    if undecided:
        err.print(
            f"还要填写 visibility（公开写 public，只在内部版写 internal）：{shown} 第 "
            f"{undecided[0].line} 行，冒号后面",
            markup=False,
            style="yellow",
        )
        errors = [p for p in errors if p not in undecided]
    if errors:
        err.print(
            f"记录已保存，但有 {len(errors)} 个错误要改正（见上面的行号），改好后运行 jiandi check",
            markup=False,
            style="red",
        )
    out.print(shown, markup=False)
    return 1 if errors else 0


def _system(error: OSError, root: Path) -> str:
    """A system error while writing the record or its pictures, in words an author can act
    on; nothing was left behind (record.import_docx removes what it wrote)."""
    import errno

    where = f"“{display_path(Path(error.filename))}”" if error.filename else f"“{root}”"
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"磁盘空间不够，写不下 {where}：请清理磁盘后再导入。没有留下写了一半的文件"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"没有权限写入 {where}：请检查内容文件夹的权限后再导入"
    return system_message(error.errno or 0, error.strerror or "", str(error.filename or root))
