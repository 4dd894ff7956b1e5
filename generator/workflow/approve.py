"""``jiandi approve``: record a sign-off in each named record, on its public content as it is.

A record is signed only when it loads and ``check`` finds nothing wrong in it: a sign-off of
content that cannot be published would certify nothing. Nothing is written unless every named
record can be signed; each file is then rewritten whole (a temporary file beside it, then a
rename) and read back.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator import clock
from generator.config import SettingsError, load_base_config, project_file, settings_of
from generator.content.corpus import Corpus
from generator.content.model import SignOff
from generator.problems import ContentError, Problems
from generator.workflow.review import NotApproved, digest, with_signoff

# ``check.validate``: load and check the content tree (handed in by the command line, since
# ``check`` comes after this stage and asks it about sign-offs).
Validate = Callable[[Path], tuple[Corpus, Problems]]


class Refused(ValueError):
    """Nothing was written: the reason, in words for authors."""


@dataclass(frozen=True)
class Approved:
    path: Path
    signoff: SignOff


def approve(
    root: Path, paths: list[Path], role: str, by: str, validate: Validate
) -> list[Approved]:
    """Sign off every record in ``paths`` as ``role`` by ``by`` today; all or none."""
    by = by.strip()
    if not by:
        raise Refused("--by 不能为空：请写审核人的姓名或职务")
    try:
        base = load_base_config(project_file("mkdocs.yml"))
        settings = settings_of(base).jiandi.review
    except (ContentError, SettingsError):
        raise Refused("站点设置 mkdocs.yml 有错误：请先运行 jiandi check 并改正") from None
    if role not in settings.roles:
        raise Refused(
            f"--role “{role}” 不是审核环节：可选 {'、'.join(settings.roles)}"
            f"（在 mkdocs.yml 的 extra.jiandi.review.roles 里设置）"
        )
    corpus, problems = validate(root)
    site_url = str(base.get("site_url") or "")
    plans: list[tuple[Path, str, SignOff]] = []
    for given in paths:
        path = given.resolve()
        entry = next((e for e in corpus.all() if e.path.resolve() == path), None)
        errors = [  # a missing or outdated sign-off is what this command mends
            p
            for p in problems.errors
            if Path(p.path).resolve() == path and p.code not in ("JD431", "JD432")
        ]
        if errors or entry is None:
            if not path.is_file():
                raise Refused(f"{given}: 找不到这个文件")
            if entry is None and not errors:
                raise Refused(f"{given}: 不是内容目录 {root} 里的记录")
            raise Refused(
                f"{given}: 这条记录有 {len(errors)} 个错误（运行 jiandi check 查看）："
                f"请先改正，再审核"
            )
        signoff = SignOff(
            role=role, by=by, on=clock.today(), digest=digest(corpus, entry, site_url)
        )
        try:
            text = path.read_text("utf-8")
            plans.append((path, with_signoff(text, signoff), signoff))
        except NotApproved as problem:
            raise Refused(f"{given}: {problem}") from None
    originals = {path: path.read_text("utf-8") for path, _text, _signoff in plans}
    done = []
    try:
        for path, text, signoff in plans:
            _write(path, text)
            done.append(Approved(path, signoff))
        again, _problems = validate(root)  # read back: the sign-off is there and holds
        for item in done:
            entry = next((e for e in again.all() if e.path.resolve() == item.path), None)
            if entry is None or entry.data.review[-1:] != [item.signoff]:
                raise Refused(
                    f"{item.path}: 添加审核记录后文件读不回来（front matter 的写法 jiandi 没能接上）："
                    f"文件已恢复原样。请把 review: 一项改成每条一行的 “- {{…}}” 形式后再试"
                )
    except BaseException:
        for item in done:
            _write(item.path, originals[item.path])
        raise
    return done


def _write(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
