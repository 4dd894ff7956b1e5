"""Read the content tree and validate every record: files → typed entries plus problems.

Nothing here fails open: a file that cannot be decoded, has no closed front matter, or whose
front matter is not a mapping gives an error and no entry, so it can never reach an edition.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from frontmatter.default_handlers import YAMLHandler
from pydantic import ValidationError

from generator import clock, parallel
from generator.caches import file_stamp
from generator.content import html_policy, sections, yamlstrict
from generator.content import links as links_mod
from generator.content.corpus import Corpus, Entry, Memo, hold
from generator.content.kinds import RECORD_TYPES
from generator.content.messages import describe, unknown_key_message, validation_message
from generator.content.model import ID_PATTERN, Topic
from generator.problems import Problems


class _StrictYAMLHandler(YAMLHandler):
    """python-frontmatter's YAML handler, with the strict loader (duplicate keys, lines)."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return yamlstrict.load(fm, 2)  # front matter starts on the file's second line


HANDLER = _StrictYAMLHandler()


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path`` really lies inside ``root`` (a symlink may point anywhere).

    Files come from a walk that follows no symlinked folder below the record folders, so only
    a symlink itself, or a record folder that is a symlink, needs resolving."""
    if not path.is_symlink() and not path.parent.is_symlink() and path.parent.parent == root:
        return True
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def read_text(path: Path, root: Path, problems: Problems) -> str | None:
    """Read a UTF-8 file (a BOM and CRLF are fine); report and return None otherwise."""
    if not _inside(path, root):
        problems.add(
            "JD101",
            path,
            1,
            "这个文件是指向内容目录之外的链接（symlink）：不会读取也不会发布。"
            "请把文件本身复制到 content/ 里",
        )
        return None
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a pipe or a device would block or never end
            problems.add(
                "JD102",
                path,
                1,
                "这不是一个普通文件（可能是管道、设备或套接字）：请删掉它，或换成真正的文件",
            )
            return None
        raw = path.read_bytes()
    except OSError as error:
        problems.add("JD102", path, 1, f"无法读取文件：{error.strerror}")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        guess = "看起来是 GBK/GB2312 编码" if _is_gbk(raw) else "不是 UTF-8 编码"
        problems.add(
            "JD103",
            path,
            line,
            f"文件{guess}，jiandi 只读 UTF-8：请在编辑器里“另存为 UTF-8”，"
            f"或运行 iconv -f GBK -t UTF-8 原文件 > 新文件",
        )
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        problems.add("JD104", path, 1, "文件里有空字符（\\0），不是文本文件：请检查是否放错了文件")
        return None
    return text


def _is_gbk(raw: bytes) -> bool:
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


def split_front_matter(text: str, path: Path, problems: Problems) -> tuple[str, str, int] | None:
    """Return (front matter, body, file line of the body's first line), or report why not."""
    if not text.strip():
        problems.add(
            "JD105",
            path,
            1,
            "文件是空的：记录需要以 --- 开头的 front matter（至少 title 和 visibility）",
        )
        return None
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        problems.add(
            "JD106",
            path,
            1,
            "第一行必须是 ---：记录以 front matter 开头，"
            "例如 ---、title: …、visibility: public、---",
        )
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    problems.add("JD107", path, 1, "front matter 没有结束：在最后一个字段之后加一行 ---")
    return None


def load_record(path: Path, kind: str, root: Path, problems: Problems) -> Entry | None:
    """Read and validate one record file; report every problem in it."""
    model = RECORD_TYPES[kind]
    ident = path.stem
    text = read_text(path, root, problems)
    if text is None:
        return None
    parts = split_front_matter(text, path, problems)
    if parts is None:
        return None
    fm_text, body, body_line = parts
    try:
        data = HANDLER.load(fm_text)
    except yamlstrict.YamlProblem as problem:
        problems.add("JD108", path, problem.line, problem.message)
        return None
    if not isinstance(data, dict):
        hint = ""
        if isinstance(data, str) and "：" in data:
            hint = "（这里用了中文全角冒号“：”，字段名后面要用英文冒号“:”加一个空格）"
        problems.add(
            "JD109", path, 2, f"front matter 必须是“字段: 值”的形式，现在是 {describe(data)}{hint}"
        )
        return None
    key_lines = {str(k): v for k, v in getattr(data, "key_lines", {}).items()}
    # Fences are checked whatever the front matter says, so every problem shows at once.
    segments, fence_problems = sections.split(body, body_line)
    for fence in fence_problems:
        problems.add("JD301", path, fence.line, fence.message)
    failed = bool(fence_problems)
    for segment in segments:
        for line, message in html_policy.raw_html_problems(segment.text, segment.line):
            problems.add("JD302", path, line, message)
            failed = True
    if ident == "index":
        problems.add("JD110", path, 1, "文件名不能是 index.md：index 留给目录页使用，请换一个名字")
        failed = True
    elif not ID_PATTERN.match(ident):
        problems.add(
            "JD111",
            path,
            1,
            f"文件名 “{path.name}” 不能用作编号：只能用小写英文字母、数字和连字符，"
            f"例如 2023-12-27-qianyue.md",
        )
        failed = True
    allowed = list(model.model_fields)
    for key in data:
        if key not in model.model_fields:
            problems.add(
                "JD201",
                path,
                key_lines.get(str(key), 2),
                unknown_key_message(key, allowed, model.label),
            )
            failed = True
    known: dict[str, Any] = {}
    empty: set[str] = set()
    for key, value in data.items():
        if key not in model.model_fields:
            continue
        if value is None:  # "key:" with nothing after it
            if model.model_fields[key].is_required():
                problems.add(
                    "JD202", path, key_lines.get(str(key), 2), f"“{key}” 不能为空：请在冒号后面填写"
                )
                empty.add(key)
            continue
        known[key] = value
    try:
        record = model.model_validate(known)
    except ValidationError as error:
        for item in error.errors():
            if item["type"] == "missing" and item["loc"][0] in empty:
                continue  # already reported as empty
            line = yamlstrict.line_of(data, tuple(item["loc"]), 2)
            if item["type"] == "missing" and len(item["loc"]) == 1:
                line = 1
            problems.add("JD203", path, line, validation_message(item))
        return None
    if failed:
        return None
    entry = Entry(kind, ident, path, record, data, segments)
    found = [
        (link, segment.internal)
        for segment in segments
        for link in links_mod.find(segment.text, segment.line)
    ]
    # A reference definition in public text that only internal text names is internal: the
    # public page shows nothing of it, so what it points to is no public link or asset.
    public_uses: set[str] | None = None
    for index, (link, internal) in enumerate(found):
        if link.label is not None and not internal:
            if public_uses is None:
                public_uses = set().union(
                    *(links_mod.reference_uses(s.text) for s in segments if not s.internal)
                )
            if link.label not in public_uses:
                found[index] = (link, True)
    entry.links = found
    return entry


def load_topics(root: Path, problems: Problems) -> tuple[dict[str, Topic], dict[str, int]]:
    path = root / "topics.yml"
    if not path.exists():
        problems.add(
            "JD120",
            path,
            1,
            "缺少 topics.yml：内容目录里需要一个 topics.yml，"
            "列出可用的专题，例如 anzhi-bangjiao: 安置帮教",
        )
        return {}, {}
    text = read_text(path, root, problems)
    if text is None:
        return {}, {}
    try:
        data = yamlstrict.load(text)
    except yamlstrict.YamlProblem as problem:
        problems.add("JD121", path, problem.line, problem.message)
        return {}, {}
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.add(
            "JD122", path, 1, "topics.yml 必须是“编号: 名称”的列表，例如 anzhi-bangjiao: 安置帮教"
        )
        return {}, {}
    topics: dict[str, Topic] = {}
    lines: dict[str, int] = {}
    key_lines = getattr(data, "key_lines", {})
    for slug, value in data.items():
        line = key_lines.get(slug, 1)
        if not isinstance(slug, str) or not ID_PATTERN.match(slug):
            problems.add(
                "JD123", path, line, f"专题编号 “{slug}” 无效：只能用小写英文字母、数字和连字符"
            )
            continue
        spec = {"name": value} if isinstance(value, str) else value
        try:
            topics[slug] = Topic.model_validate(spec)
            lines[slug] = line
        except ValidationError as error:
            for item in error.errors():
                problems.add("JD124", path, line, f"专题 {slug}: " + validation_message(item))
    return topics, lines


def _walk(folder: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            yield Path(dirpath) / name


PARALLEL_FROM = 2000  # below this many records, starting worker processes costs more


def _load_batch(jobs: list[tuple[Path, str]], root: Path) -> tuple[list[Entry], Problems]:
    problems = Problems()
    loaded = [load_record(path, kind, root, problems) for path, kind in jobs]
    return [entry for entry in loaded if entry is not None], problems


def _load_all(jobs: list[tuple[Path, str]], root: Path) -> list[tuple[list[Entry], Problems]]:
    """Load records, in worker processes when there are many (the order is kept)."""
    count = parallel.workers(4)
    if len(jobs) < PARALLEL_FROM or count < 2:
        return [_load_batch(jobs, root)]
    size = -(-len(jobs) // (count * 4))
    batches = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    with parallel.pool(count) as workers:
        return workers.starmap(_load_batch, [(batch, root) for batch in batches])


def load(
    root: Path, memo: Memo | None = None, now: dt.datetime | None = None
) -> tuple[Corpus, Problems]:
    """Load the content tree at ``root``, each file on its own; references are checked later.

    With ``memo`` (kept by the caller between calls, as the live preview does), a record file
    whose size, time and inode did not change is not read again: its entry (the same object) and
    its problems come from the memo, which is then updated."""
    problems = Problems()
    topics, topic_lines = load_topics(root, problems)
    entries: dict[str, dict[str, Entry]] = {kind: {} for kind in RECORD_TYPES}
    jobs: list[tuple[Path, str]] = []
    for kind in RECORD_TYPES:
        folder = root / kind
        if not folder.is_dir():
            continue
        for path in _walk(folder):
            if path.name.startswith(".") or path.name.endswith("~"):
                continue
            if path.suffix != ".md":
                problems.add(
                    "JD112",
                    path,
                    1,
                    f"{kind}/ 里只能放 .md 记录：图片和附件请放到 assets/",
                    "warning",
                )
                continue
            if path.parent != folder:
                problems.add("JD113", path, 1, f"记录要直接放在 {kind}/ 下，不能放在子目录里")
                continue
            jobs.append((path, kind))
    results: dict[Path, tuple[Entry | None, list[Any]]] = {}
    todo = jobs
    if memo is not None:
        stamps = {path: file_stamp(path) for path, _kind in jobs}
        for gone in set(memo) - set(stamps):
            del memo[gone]
        for path, kind in jobs:
            known = memo.get(path)
            if known is not None and known[0] == stamps[path] and known[1] == kind:
                results[path] = (known[2], known[3])
        todo = [job for job in jobs if job[0] not in results]
    loaded_now: dict[Path, Entry] = {}
    found_now: dict[Path, list[Any]] = {}
    for loaded, found in _load_all(todo, root):
        loaded_now.update((entry.path, entry) for entry in loaded)
        for item in found.items:
            found_now.setdefault(item.path, []).append(item)
    for path, kind in todo:
        results[path] = (loaded_now.get(path), found_now.pop(path, []))
        if memo is not None and stamps[path]:
            memo[path] = (stamps[path], kind, *results[path])
    if found_now and memo is not None:  # about other files (none today): read all again next time
        for path, _kind in todo:
            memo.pop(path, None)
    for items in found_now.values():
        problems.items.extend(items)
    for path, _kind in jobs:  # in file order, whichever way each record came
        entry, items = results[path]
        problems.items.extend(items)
        if entry is not None:
            entries[entry.kind][entry.id] = entry
    assets: dict[str, Path] = {}
    if (root / "assets").is_dir():
        for path in _walk(root / "assets"):
            if not _inside(path, root):
                problems.add(
                    "JD114", path, 1, "这个附件是指向内容目录之外的链接（symlink）：不会发布"
                )
                continue
            try:
                regular = stat.S_ISREG(path.stat().st_mode)
            except OSError:
                regular = False
            if not regular:
                problems.add(
                    "JD102",
                    path,
                    1,
                    "这个附件不是一个普通文件（可能是管道、设备，或无法读取）："
                    "请删掉它，或换成真正的文件",
                )
                continue
            assets[path.relative_to(root).as_posix()] = path
    moment = now or clock.now()
    for kind_entries in entries.values():
        for entry in kind_entries.values():  # again on every load: the preview keeps entries
            entry.held_until = hold(entry.data, moment)
    return Corpus(root, topics, topic_lines, entries, assets, moment), problems
