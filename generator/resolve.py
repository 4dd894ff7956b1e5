"""Cross-record checks: every reference resolves, and no public record points at an internal one."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from generator import disclosure
from generator.links import Link
from generator.load import Corpus, Entry, Memo, load
from generator.model import Event
from generator.personal import check_personal_data
from generator.problems import Problems

SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


def validate(root: Path, memo: Memo | None = None) -> tuple[Corpus, Problems]:
    """Load the content tree and check every reference: the whole of ``jiandi check``.

    ``memo``: see ``load``; the checks across records always run on the whole tree."""
    corpus, problems = load(root, memo)
    check_references(corpus, problems)
    check_personal_data(corpus, problems)
    disclosure.check(corpus, problems)
    return corpus, problems


def find_record(corpus: Corpus, ref: str) -> Entry | None:
    """A record by ``kind/id``, or by a bare id if exactly one record has it."""
    if "/" in ref:
        return corpus.get(ref.strip("/").removesuffix(".md"))
    matches = [e for kind in corpus.entries.values() for i, e in kind.items() if i == ref]
    return matches[0] if len(matches) == 1 else None


def link_target(corpus: Corpus, entry: Entry, link: Link) -> str | None:
    """``kind/id`` or ``assets/…`` that a relative link points to (None if outside the tree)."""
    joined = os.path.normpath(os.path.join(entry.path.parent, link.path))
    try:
        relative = Path(joined).relative_to(corpus.root)
    except ValueError:
        return None
    text = relative.as_posix()
    if text.startswith("..") or text == ".":
        return None
    return text.removesuffix(".md") if text.endswith(".md") else text


def _leak(entry: Entry, target: Entry, how: str) -> str:
    return (f"公开记录 {entry.ref} {how}内部记录 {target.ref}（{target.path.name}，"
            f"visibility: internal）：公开网站不能指向内部内容。请删掉这个引用、"
            f"把它放进 “::: internal” 段落，或把 {target.ref} 改为公开")


def _check_ids(corpus: Corpus, entry: Entry, problems: Problems) -> None:
    data = entry.data
    for index, slug in enumerate(data.topics):
        if slug not in corpus.topics:
            problems.add("JD401", entry.path, entry.line("topics", index),
                         f"topics: 专题 “{slug}” 不在 topics.yml 里：请先在 topics.yml 中添加，或改正拼写"
                         + _did_you_mean(slug, corpus.topics))
    for index, ident in enumerate(data.bureaus):
        bureau = corpus.entries["bureaus"].get(ident)
        if bureau is None:
            problems.add("JD402", entry.path, entry.line("bureaus", index),
                         f"bureaus: 没有编号为 “{ident}” 的司法局（应有文件 bureaus/{ident}.md）"
                         + _did_you_mean(ident, corpus.entries["bureaus"]))
        elif entry.public and not bureau.public:
            problems.add("JD501", entry.path, entry.line("bureaus", index),
                         _leak(entry, bureau, "的 bureaus 引用了"))
    for index, ref in enumerate(data.related):
        target = find_record(corpus, ref)
        if target is None:
            problems.add("JD403", entry.path, entry.line("related", index),
                         f"related: 找不到记录 “{ref}”：请写成 events/编号、policies/编号、"
                         f"agreements/编号 或 bureaus/编号")
        elif entry.public and not target.public:
            problems.add("JD501", entry.path, entry.line("related", index),
                         _leak(entry, target, "的 related 引用了"))


def _did_you_mean(word: str, choices: dict[str, object]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"。是不是要写 “{close[0]}”？" if close else ""


def _check_parent(corpus: Corpus, entry: Entry, problems: Problems) -> None:
    data = entry.data
    if not isinstance(data, Event) or data.parent is None:
        return
    line = entry.line("parent")
    parent = corpus.entries["events"].get(data.parent)
    if parent is None:
        problems.add("JD404", entry.path, line, f"parent: 没有编号为 “{data.parent}” 的新闻"
                                       f"（应有文件 events/{data.parent}.md）"
                     + _did_you_mean(data.parent, corpus.entries["events"]))
        return
    if entry.public and not parent.public:
        problems.add("JD501", entry.path, line, _leak(entry, parent, "的 parent 是"))
    seen = {entry.id}
    current: Entry | None = parent
    while current is not None:
        if current.id in seen:
            problems.add("JD405", entry.path, line, f"parent: 上级新闻形成了循环（{entry.id} → … → {current.id}）")
            return
        seen.add(current.id)
        parent_id = current.data.parent if isinstance(current.data, Event) else None
        current = corpus.entries["events"].get(parent_id) if parent_id else None


def _check_links(corpus: Corpus, entry: Entry, problems: Problems) -> None:
    for link, in_internal in entry.links:
        where = "图片" if link.image else "链接"
        if not link.target:
            problems.add("JD410", entry.path, link.line, f"{where}没有地址：请在括号里写上目标")
            continue
        if link.external:
            scheme = link.target.split(":", 1)[0].lower()
            if link.target.startswith("//") or scheme not in SAFE_SCHEMES:
                problems.add("JD411", entry.path, link.line,
                             f"{where}地址 “{link.target}” 不允许：只能用 http、https、mailto、tel "
                             f"或指向其他记录的相对链接")
            elif link.image:
                problems.add("JD412", entry.path, link.line,
                             f"图片 “{link.target}” 在其他网站上：公开网站不能从其他网站加载内容，"
                             f"请把图片放进 content/assets/ 并用相对路径引用")
            continue
        if link.image and not link.text.strip() and entry.public and not in_internal:
            problems.add("JD417", entry.path, link.line,
                         f"图片 “{link.target}” 没有替代文字：请在 ![ ] 的方括号里写上图片内容，"
                         f"例如 ![签约现场](…)，供读屏软件使用", "warning")
        if link.target.startswith("#"):
            continue
        if link.target.startswith("/"):
            problems.add("JD413", entry.path, link.line,
                         f"{where} “{link.target}” 是绝对路径：请用相对路径，例如 ../events/编号.md")
            continue
        target = link_target(corpus, entry, link)
        if target is None:
            problems.add("JD414", entry.path, link.line,
                         f"{where} “{link.target}” 指向内容目录之外：只能链接内容目录里的记录和附件")
            continue
        if target.startswith("assets/"):
            if target not in corpus.assets:
                problems.add("JD415", entry.path, link.line,
                             f"{where} “{link.target}” 指向的文件不存在（应在 content/{target}）")
            continue
        record = corpus.get(target)
        if record is None:
            if (corpus.root / f"{target}.md").is_file():
                continue  # the target exists but has errors of its own, reported there
            problems.add("JD416", entry.path, link.line,
                         f"{where} “{link.target}” 指向的记录不存在（content/{target}.md）：请检查文件名")
        elif entry.public and not in_internal and not record.public:
            problems.add("JD501", entry.path, link.line, _leak(entry, record, "链接到了"))


def check_references(corpus: Corpus, problems: Problems) -> None:
    """Check every reference of every record; report each problem with its line."""
    for entry in corpus.all():
        _check_ids(corpus, entry, problems)
        _check_parent(corpus, entry, problems)
        _check_links(corpus, entry, problems)
