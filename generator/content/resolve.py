"""Cross-record checks: every reference resolves, and no public record points at an internal one."""

from __future__ import annotations

import difflib
import os
import posixpath
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.content.corpus import Corpus, Entry, hidden_from, leak_message
from generator.content.links import Link, address_attributes, as_browser_reads, host_key
from generator.content.model import Event
from generator.content.personal import as_read, field_texts
from generator.content.personal import find as find_numbers
from generator.content.sections import blank_code, fence_like
from generator.problems import Problems

SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


def check_topics(corpus: Corpus, problems: Problems) -> None:
    """Topic names and descriptions are shown on public pages: no personal numbers."""
    for slug, topic in corpus.topics.items():
        if _FIELD_MARKUP.search(f"{topic.name}\n{topic.description}"):
            problems.add(
                "JD204",
                corpus.root / "topics.yml",
                corpus.topic_lines.get(slug, 1),
                f"专题 {slug} 的名称或说明里不能写 Markdown 链接或图片：它会出现在多个页面上。请只写文字",
            )
        for finding in find_numbers(as_read(f"{topic.name}\n{topic.description}")):
            problems.add(
                "JD601",
                corpus.root / "topics.yml",
                corpus.topic_lines.get(slug, 1),
                f"专题 {slug} 的名称或说明里有{finding.kind} {finding.masked}：会显示在公开网站上，"
                f"个人号码不能公开，请删掉",
            )


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


def _check_ids(corpus: Corpus, entry: Entry, problems: Problems) -> None:
    data = entry.data

    def at(code: str, key: str, index: int, message: str) -> None:
        problems.add(code, entry.path, entry.line(key, index), message)

    for index, slug in enumerate(data.topics):
        if slug not in corpus.topics:
            at(
                "JD401",
                "topics",
                index,
                f"topics: 专题 “{slug}” 不在 topics.yml 里：请先在 topics.yml 中添加，或改正拼写"
                + _did_you_mean(slug, corpus.topics),
            )
    for index, ident in enumerate(data.bureaus):
        bureau = corpus.entries["bureaus"].get(ident)
        if bureau is None and corpus.refused(f"bureaus/{ident}"):
            continue
        if bureau is None:
            at(
                "JD402",
                "bureaus",
                index,
                f"bureaus: 没有编号为 “{ident}” 的司法局（应有文件 bureaus/{ident}.md）"
                + _did_you_mean(ident, corpus.entries["bureaus"]),
            )
        elif hidden_from(entry, bureau):
            at(
                "JD501",
                "bureaus",
                index,
                leak_message(entry, bureau, "的 bureaus 引用了"),
            )
    for index, ref in enumerate(data.related):
        target = corpus.find(ref)
        if target is None and corpus.refused(ref):
            continue
        if target is None:
            at(
                "JD403",
                "related",
                index,
                f"related: 找不到记录 “{ref}”：请写成 events/编号、policies/编号、"
                f"agreements/编号、guides/编号 或 bureaus/编号",
            )
        elif hidden_from(entry, target):
            at(
                "JD501",
                "related",
                index,
                leak_message(entry, target, "的 related 引用了"),
            )


def _did_you_mean(word: str, choices: Mapping[str, object]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"。是不是要写 “{close[0]}”？" if close else ""


def _check_parent(corpus: Corpus, entry: Entry, problems: Problems) -> None:
    data = entry.data
    if not isinstance(data, Event) or data.parent is None:
        return
    line = entry.line("parent")
    parent = corpus.entries["events"].get(data.parent)
    if parent is None and corpus.refused(f"events/{data.parent}"):
        return
    if parent is None:
        problems.add(
            "JD404",
            entry.path,
            line,
            f"parent: 没有编号为 “{data.parent}” 的新闻"
            f"（应有文件 events/{data.parent}.md）"
            + _did_you_mean(data.parent, corpus.entries["events"]),
        )
        return
    if hidden_from(entry, parent):
        problems.add("JD501", entry.path, line, leak_message(entry, parent, "的 parent 是"))
    seen = {entry.id}
    current: Entry | None = parent
    while current is not None:
        if current.id in seen:
            problems.add(
                "JD405",
                entry.path,
                line,
                f"parent: 上级新闻形成了循环（{entry.id} → … → {current.id}）",
            )
            return
        seen.add(current.id)
        parent_id = current.data.parent if isinstance(current.data, Event) else None
        current = corpus.entries["events"].get(parent_id) if parent_id else None


def _check_links(corpus: Corpus, entry: Entry, problems: Problems, site_url: str = "") -> None:
    for link, in_internal in entry.links:
        where = "图片" if link.image else "链接"
        if not link.target:
            problems.add("JD410", entry.path, link.line, f"{where}没有地址：请在括号里写上目标")
            continue
        page = site_address(entry, link, site_url)
        if page is not None:
            _check_page_link(corpus, entry, link, in_internal, page, problems)
            continue
        if link.external:
            scheme = link.target.split(":", 1)[0].lower()
            if link.target.startswith("//") or scheme not in SAFE_SCHEMES:
                problems.add(
                    "JD411",
                    entry.path,
                    link.line,
                    f"{where}地址 “{link.target}” 不允许：只能用 http、https、mailto、tel "
                    f"或指向其他记录的相对链接",
                )
            elif link.image:
                problems.add(
                    "JD412",
                    entry.path,
                    link.line,
                    f"图片 “{link.target}” 在其他网站上：公开网站不能从其他网站加载内容，"
                    f"请把图片放进 content/assets/ 并用相对路径引用",
                )
            continue
        if link.image and not link.text.strip() and entry.meant_public and not in_internal:
            problems.add(
                "JD417",
                entry.path,
                link.line,
                f"图片 “{link.target}” 没有替代文字：请在 ![ ] 的方括号里写上图片内容，"
                f"例如 ![签约现场](…)，供读屏软件使用",
                "warning",
            )
        if link.target.startswith("#"):
            continue
        if link.target.startswith("/"):
            problems.add(
                "JD413",
                entry.path,
                link.line,
                f"{where} “{link.target}” 是绝对路径：请用相对路径，例如 ../events/编号.md",
            )
            continue
        target = link_target(corpus, entry, link)
        if target is None:
            problems.add(
                "JD414",
                entry.path,
                link.line,
                f"{where} “{link.target}” 指向内容目录之外：只能链接内容目录里的记录和附件",
            )
            continue
        if target.startswith("assets/"):
            if target not in corpus.assets:
                problems.add(
                    "JD415",
                    entry.path,
                    link.line,
                    f"{where} “{link.target}” 指向的文件不存在（应在 content/{target}）",
                )
            continue
        record = corpus.get(target)
        if record is None:
            if corpus.refused(target):
                continue  # the target exists but has errors of its own, reported there
            problems.add(
                "JD416",
                entry.path,
                link.line,
                f"{where} “{link.target}” 指向的记录不存在（content/{target}.md）：请检查文件名",
            )
        elif not in_internal and hidden_from(entry, record):
            problems.add("JD501", entry.path, link.line, leak_message(entry, record, "链接到了"))


def check_references(corpus: Corpus, problems: Problems, site_url: str = "") -> None:
    """Check every reference of every record; report each problem with its line. ``site_url``:
    the public address, so that an absolute link to the site itself is checked as a link
    inside it."""
    for entry in corpus.all():
        _check_ids(corpus, entry, problems)
        _check_parent(corpus, entry, problems)
        _check_links(corpus, entry, problems, site_url)
        online = getattr(entry.data, "online", None)
        link = Link(online, "", entry.line("online"), False) if online else None
        on_site = site_address(entry, link, site_url) if link and link.external else None
        if link and on_site is not None:  # a guide's online address on the site itself
            _check_page_link(corpus, entry, link, not entry.meant_public, on_site, problems)
        if entry.meant_public:
            _check_footnotes(entry, problems)
        _check_field_markup(entry, problems)
        _check_attribute_addresses(entry, problems)


# A Markdown link or image: what a field must not hold. Summaries are set into the Markdown of
# lists on many pages, where it would become a live link (relative to each list page) or load
# an image; tags are escaped wherever fields are shown, so a title may hold "<b>" as text.
# Markdown links and images, and their HTML forms (escaped in a field, but an address shown).
_FIELD_MARKUP = re.compile(r"!\[|\]\(|\]\[|<\s*(?:a|img)\b", re.IGNORECASE)


def _check_field_markup(entry: Entry, problems: Problems) -> None:
    for key, value in entry.raw.items():
        if key in ("internal", "public_numbers"):
            continue
        for text, line in field_texts(value, entry.raw.key_lines.get(key, 1)):
            if (":" in text or "：" in text or "&" in text) and any(
                fence_like(part) for part in str(text).split("\n")
            ):
                problems.add(
                    "JD301",
                    entry.path,
                    line,
                    f"{key}: 字段里有一行看起来像内部段落的标记：字段里不能写内部段落。"
                    f"只给工作人员看的内容请写在 internal: 下面",
                )
            if _FIELD_MARKUP.search(text):
                problems.add(
                    "JD204",
                    entry.path,
                    line,
                    f"{key}: 字段里不能写 Markdown 链接或图片（“{text[:30]}”）：它会出现在多个页面、"
                    f"列表和订阅里。请只写文字，链接和图片写在正文里",
                )


def _check_attribute_addresses(entry: Entry, problems: Problems) -> None:
    for segment in entry.segments:
        for line in address_attributes(segment.text, segment.line):
            problems.add(
                "JD425",
                entry.path,
                line,
                "“{: … }” 里不能写 href、src 等地址：它会悄悄换掉链接或图片指向的地方，"
                "检查看不到。请直接写在链接或图片的括号里，例如 [文字](../events/编号.md)",
            )


_FOOTNOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\n]+)\]:", re.MULTILINE)
_FOOTNOTE_REFERENCE = re.compile(r"\[\^([^\]\n]+)\](?!:)")


def _check_footnotes(entry: Entry, problems: Problems) -> None:
    """A public footnote whose only references are in internal sections would be published
    with nothing pointing at it (MkDocs then fails the build): say so at ``check``."""
    public = [s for s in entry.segments if not s.internal]
    if not any("[^" in s.text for s in public):
        return
    referenced = {
        m.group(1) for s in public for m in _FOOTNOTE_REFERENCE.finditer(blank_code(s.text))
    }
    for segment in public:
        text = blank_code(segment.text)
        for match in _FOOTNOTE_DEFINITION.finditer(text):
            if match.group(1) not in referenced:
                line = segment.line + text.count("\n", 0, match.start())
                problems.add(
                    "JD419",
                    entry.path,
                    line,
                    f"脚注 [^{match.group(1)}] 的定义是公开的，但公开内容里没有引用它（引用在内部段落里，"
                    f"或根本没有）：请把定义也放进 “::: internal” 段落，或删掉它",
                )


def site_address(entry: Entry, link: Link, site_url: str) -> str | None:
    """What a link written as a page address names inside the built site (``assets/x.png``,
    ``events/id``, ``""`` for the home page): raw HTML, read as the browser reads it from the
    record's page ``kind/id/``, or a full URL on the site's own host. None for a Markdown link
    to a file (see ``link_target``) and for a link to another host. Check and publishing both
    read addresses through here, so what passes ``check`` is what gets published."""
    if link.external:
        page = _on_site(link.target, site_url)
    elif link.raw and not link.target.startswith(("#", "//")):
        base = urlsplit(site_url).path.rstrip("/") if site_url else ""
        path = link.path
        page = path[len(base) :] if base and path.startswith(base + "/") else path
        if not path.startswith("/"):
            page = posixpath.join(f"{entry.kind}/{entry.id}/", path)
    else:
        return None
    if page is None:
        return None
    page = posixpath.normpath(page).removesuffix("/index.html").removesuffix("index.html")
    page = page.strip("/").removesuffix(".md")
    return "" if page == "." else page


def _on_site(url: str, site_url: str) -> str | None:
    """The path inside the site of an absolute URL on ``site_url``'s host, else None."""
    if not site_url:
        return None
    own, parts = urlsplit(site_url), urlsplit(as_browser_reads(url))
    if host_key(parts.netloc) != host_key(own.netloc) or parts.scheme.lower() not in (
        "http",
        "https",
        "",
    ):
        return None
    prefix = own.path if own.path.endswith("/") else own.path + "/"
    path = parts.path or "/"
    return unquote(path[len(prefix) :]) if path.startswith(prefix) else "../"


_SECTIONS = {"", "bureaus", "news", "policies", "agreements", "topics", "guides"}


def _check_page_link(
    corpus: Corpus, entry: Entry, link: Link, in_internal: bool, target: str, problems: Problems
) -> None:
    """A link written as a page address (raw HTML, or a full URL of the site): it must name a
    record's page, a section or an asset, as the built site will have them."""
    if target.startswith("assets/"):
        if target not in corpus.assets:
            problems.add(
                "JD415",
                entry.path,
                link.line,
                f"“{link.target}” 指向的文件不存在（应在 content/{target}）",
            )
        return
    record = corpus.get(target)
    if record is not None:
        if not in_internal and hidden_from(entry, record):
            problems.add("JD501", entry.path, link.line, leak_message(entry, record, "链接到了"))
        return
    if corpus.refused(target):
        return
    year = target.removeprefix("news/")
    if (
        target in _SECTIONS
        or (target.startswith("topics/") and target[7:] in corpus.topics)
        or (target.startswith("news/") and year.isdigit())
    ):
        return
    problems.add(
        "JD418",
        entry.path,
        link.line,
        f"链接 “{link.target}” 指不到本站的任何页面：链接其他记录请用指向记录文件的 Markdown 链接，"
        f"例如 [签约仪式](../events/编号.md)",
    )
