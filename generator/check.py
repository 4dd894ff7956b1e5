"""The whole of ``jiandi check``: the content tree read and validated, every reference checked
across records, and the site settings (mkdocs.yml) checked with it.

The site settings are checked as records are: their types and keys (settings_check.py);
a text the public site shows (site name, description, copyright, home page intro, nav titles)
must hold no personal number; nothing configured may make a public page load from another host
(``extra_javascript``, ``extra_css``, ``extra.analytics``, ``repo_url``, a logo or favicon on
another host) unless that host is listed in ``extra.jiandi.allowed_hosts``; only Markdown
extensions known to shape the text alone are accepted. File and folder names become addresses:
no personal number in them either."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.config import (
    allowed_hosts,
    load_base_config,
    markdown_settings,
    project_file,
    settings_of,
)
from generator.content import disclosure, personal
from generator.content.corpus import Corpus, Entry, Memo
from generator.content.kinds import INDEXED, RECORD_TYPES
from generator.content.links import as_browser_reads, host_key
from generator.content.load import load
from generator.content.normal import visible
from generator.content.personal import check_personal_data
from generator.content.resolve import (
    check_references,
    check_topics,
    link_target,
)
from generator.media import assets
from generator.media.usage import check_photos, check_public_assets
from generator.problems import ContentError, Problems
from generator.settings_check import LineMap, check_settings, line_with
from generator.workflow import register
from generator.workflow.lifecycle import check_history, check_placeholders, placeholders
from generator.workflow.review import check_reviews


def validate(root: Path, memo: Memo | None = None) -> tuple[Corpus, Problems]:
    """Load the content tree and check every reference: the whole of ``jiandi check``.

    ``memo``: see ``load``; the checks across records always run on the whole tree."""
    corpus, problems = load(root, memo)
    base_file = project_file("mkdocs.yml")
    try:
        base = load_base_config(base_file)
    except ContentError as error:
        problems.items.extend(error.problems.items)
        base = {}
    # Settings of the wrong shape are reported, and nothing else reads them.
    usable = bool(base) and check_site(base, base_file, problems)
    site_url = str(base.get("site_url") or "") if usable else ""
    check_references(corpus, problems, site_url)
    if usable:
        check_anchors(corpus, problems, markdown_settings(base), base_file)
        check_conac_mark(corpus, base, base_file, problems)
    check_personal_data(corpus, problems)
    check_topics(corpus, problems)
    check_public_assets(corpus, problems, site_url)
    check_photos(corpus, problems)
    if usable:
        review = settings_of(base).jiandi.review
        check_reviews(corpus, problems, review.roles, review.required, site_url)
    check_history(corpus, problems)
    check_placeholders(corpus, problems, placeholders(project_file("templates")))
    register.check(corpus, problems)
    check_names(root, problems)
    issuers = dict(settings_of(base).jiandi.issuers) if usable else {}
    disclosure.check(corpus, problems, issuers)
    if (
        usable
        and not issuers
        and any(
            entry.meant_public for kind in INDEXED for entry in corpus.entries[kind.folder].values()
        )
    ):
        problems.add(
            "JD705",
            base_file,
            1,
            "extra.jiandi.issuers 没有设置：政策解读和协议编不出索引号（机构代码/年份-流水号），"
            "页面上暂不显示。请在 mkdocs.yml 的 extra.jiandi 下写上 issuers: {发布机构: 机构代码}",
            "warning",
        )
    return corpus, problems


_SIX_DIGITS = re.compile(r"\d(?:\W?\d){5}")  # a name worth reading for personal numbers


def _shown_texts(base: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(where, text) of every setting the public site shows as text."""
    for key in ("site_name", "site_description", "site_author", "copyright"):
        if base.get(key):
            yield key, str(base[key])
    extra = base.get("extra")
    settings = extra.get("jiandi") if isinstance(extra, dict) else None
    for key, value in settings.items() if isinstance(settings, dict) else ():
        if isinstance(value, str):
            yield f"extra.jiandi.{key}", value
    issuers = settings.get("issuers") if isinstance(settings, dict) else None
    for name, code in issuers.items() if isinstance(issuers, dict) else ():
        if isinstance(code, str):  # every 索引号 starts with one
            yield f"extra.jiandi.issuers.{name}", code
    site = settings.get("site") if isinstance(settings, dict) else None
    for key, value in site.items() if isinstance(site, dict) else ():
        if isinstance(value, str):  # the footer of every page shows them
            yield f"extra.jiandi.site.{key}", value
    stack: list[Any] = [base.get("nav") or []]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                yield "nav", str(key)
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str):
            yield "nav", node


def _loads(base: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(setting, address) of everything configured that a browser would load."""
    for key in ("extra_javascript", "extra_css"):
        for item in base.get(key) or []:
            yield key, str(item.get("path", "") if isinstance(item, dict) else item)
    theme = base.get("theme") or {}
    if isinstance(theme, dict):
        for key in ("logo", "favicon"):
            if theme.get(key):
                yield f"theme.{key}", str(theme[key])
    extra = base.get("extra") or {}
    if isinstance(extra, dict) and extra.get("analytics"):
        yield "extra.analytics", "https://www.googletagmanager.com/"
    if base.get("repo_url"):
        yield "repo_url", str(base["repo_url"])


# Markdown extensions a site may use: those that only shape the text. Anything else is refused
# until someone has read what it does: pymdownx.snippets and pymdownx.b64, for one, copy any
# file of the build machine into a page, and pymdownx.emoji draws emoji with images from a CDN.
MARKDOWN_EXTENSIONS = {
    "abbr",
    "admonition",
    "attr_list",
    "codehilite",
    "def_list",
    "extra",
    "fenced_code",
    "footnotes",
    "legacy_attrs",
    "legacy_em",
    "md_in_html",
    "meta",
    "nl2br",
    "sane_lists",
    "smarty",
    "tables",
    "toc",
    "wikilinks",
    "pymdownx.arithmatex",
    "pymdownx.betterem",
    "pymdownx.caret",
    "pymdownx.critic",
    "pymdownx.details",
    "pymdownx.escapeall",
    "pymdownx.extra",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.keys",
    "pymdownx.magiclink",
    "pymdownx.mark",
    "pymdownx.progressbar",
    "pymdownx.saneheaders",
    "pymdownx.smartsymbols",
    "pymdownx.striphtml",
    "pymdownx.superfences",
    "pymdownx.tabbed",
    "pymdownx.tasklist",
    "pymdownx.tilde",
    "pymdownx.fancylists",
    "pymdownx.quotes",
    "pymdownx.blocks.admonition",
    "pymdownx.blocks.details",
    "pymdownx.blocks.tab",
    "pymdownx.blocks.caption",
    "pymdownx.blocks.definition",
}


def _extension_names(base: dict[str, Any]) -> Iterator[str]:
    for item in base.get("markdown_extensions") or []:
        if isinstance(item, dict):
            yield from (str(k) for k in item)
        else:
            yield str(item)


def check_site(base: dict[str, Any], path: Path, problems: Problems) -> bool:
    """Personal numbers, loads from other hosts and unknown Markdown extensions in the site
    settings (``mkdocs.yml``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    if not check_settings(base, path, text, problems):
        return False  # their shapes are wrong: what follows would read them wrongly
    for name in _extension_names(base):
        if name.removeprefix("markdown.extensions.") not in MARKDOWN_EXTENSIONS:
            problems.add(
                "JD901",
                path,
                line_with(text, name),
                f"markdown_extensions: 不接受扩展 “{name}”：jiandi 只用已确认不会把站点以外的文件或"
                f"内容带进页面的 Markdown 扩展（{name} 不在其中）。请删掉它",
            )
    hosts = {host_key(h) for h in allowed_hosts(base)}
    for setting, url in _loads(base):
        parts = urlsplit(as_browser_reads(url))
        if (parts.scheme or url.startswith("//")) and host_key(parts.netloc) not in hosts:
            what = (
                "统计代码会从 Google 加载脚本"
                if setting == "extra.analytics"
                else "页面会向代码托管网站请求数据"
                if setting == "repo_url"
                else f"会从其他网站 {parts.netloc} 加载"
            )
            problems.add(
                "JD802",
                path,
                line_with(text, setting.split(".")[-1] + ":"),
                f"{setting}: {what}：公开网站在中国大陆访问，不能从其他网站加载任何内容。请把文件放进站点，"
                f"或删掉这一项；确实需要时，把网站写进 extra.jiandi.allowed_hosts",
            )
    copyright_text = str(base.get("copyright") or "")
    if "<" in copyright_text or "](" in copyright_text:
        from generator.content.html_policy import raw_html_problems

        # The theme sets the copyright into every footer as HTML, outside the page cleaning.
        for _line, message in raw_html_problems(copyright_text, 1):
            problems.add("JD901", path, line_with(text, "copyright:"), f"copyright: {message}")
    lines = LineMap(text)
    for where, value in _shown_texts(base):
        for finding in personal.find(visible(value)):
            # The key's own line; a navigation title is a key, found by its text.
            line = line_with(text, value) if where == "nav" else lines.line(tuple(where.split(".")))
            problems.add(
                "JD603",
                path,
                line,
                f"{where}: 站点设置里有{finding.kind} {finding.masked}：公开网站的每一页都会显示它。"
                f"个人号码不能公开，请删掉",
            )
    return True


def check_conac_mark(corpus: Corpus, base: dict[str, Any], path: Path, problems: Problems) -> None:
    """The 党政机关网站标识 named in the site settings is an image in the content's assets,
    published with the public edition (it is in every footer)."""
    mark = settings_of(base).jiandi.site.conac_mark
    if mark is None:
        return
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    if mark.link is None:
        problems.add(
            "JD901",
            path,
            line_with(text, "conac_mark"),
            "extra.jiandi.site.conac_mark: 没有写验证链接 link：标识会显示，但读者点它无法核验。"
            "请加上 link: https://bszs.conac.cn/…（开办单位在标识管理系统里取得的验证地址）",
            "warning",
        )
    source = corpus.assets.get(mark.image)
    reasons = ["找不到这个文件"] if source is None else assets.source_problems(source)
    for reason in reasons:
        problems.add(
            "JD901",
            path,
            line_with(text, mark.image),
            f"extra.jiandi.site.conac_mark.image: 党政机关网站标识 “{mark.image}” 不能用：{reason}。"
            f"请把标识图片放进内容目录的 assets/ 里，写成 assets/文件名.png",
        )


def check_names(root: Path, problems: Problems) -> None:
    """Personal numbers in the names of content files and folders (they become addresses); a
    file where a folder of records or assets should be (its records would vanish unsaid)."""
    for kind in (*RECORD_TYPES, "assets"):
        if (root / kind).exists() and not (root / kind).is_dir():
            problems.add(
                "JD115", root / kind, 1, f"{kind} 应该是一个文件夹，这里却是一个文件：请改正"
            )
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in [*dirs, *sorted(files)]:
            unsafe = sorted(set(name) & set("#?%"))
            if unsafe:
                problems.add(
                    "JD424",
                    Path(folder) / name,
                    1,
                    f"文件名里有 {' '.join(unsafe)}：文件名会成为网址，网址里的 # ? % 有别的意思，"
                    f"链接会指不到它。请给文件换一个名字（只用文字、字母、数字、- 和 _）",
                )
            if not _SIX_DIGITS.search(name):
                continue
            readable = personal.normalise(visible(name)).replace("_", " ").replace(".", " ")
            for finding in personal.find(readable):
                problems.add(
                    "JD604",
                    Path(folder) / name,
                    1,
                    f"文件名里有{finding.kind} {finding.masked}：文件名会成为网址，个人号码不能公开。"
                    f"请给文件换一个名字",
                )


def check_anchors(
    corpus: Corpus,
    problems: Problems,
    markdown_settings: tuple[list[str], dict[str, Any]],
    base_file: Path,
) -> None:
    """A link to ``#anchor`` of a record (its own or another's) must name an anchor its page
    has, as the site's Markdown makes them (MkDocs fails the build otherwise). The extensions'
    settings are tried first: one they refuse is a settings problem, not every page's."""
    import markdown

    found: dict[tuple[str, bool], set[str]] = {}
    names, configs = markdown_settings
    try:
        markdown.Markdown(extensions=names, extension_configs=configs).convert("# a")
    except Exception as error:  # noqa: BLE001 - any extension's refusal, as the build would meet it
        problems.add(
            "JD901",
            base_file,
            line_with(base_file.read_text("utf-8"), "markdown_extensions:"),
            f"markdown_extensions: 扩展的设置有误（{type(error).__name__}: {error}）："
            f"请按这个扩展的说明改正它的设置，或删掉这些设置",
        )
        return

    def anchors(record: Entry, internal: bool) -> set[str]:
        key = (record.ref, internal)
        if key not in found:
            body = "\n\n".join(s.text for s in record.segments if internal or not s.internal)
            try:
                html = markdown.Markdown(extensions=names, extension_configs=configs).convert(body)
            except Exception:  # noqa: BLE001 - a broken extension setting: MkDocs will say
                html = ""
            found[key] = set(re.findall(r'\bid="([^"]+)"', html))
        return found[key]

    for entry in corpus.all():
        for link, in_internal in entry.links:
            if link.external or link.raw or "#" not in link.target or link.image:
                continue
            fragment = unquote(link.target.split("#", 1)[1])
            record = (
                entry
                if link.target.startswith("#")
                else corpus.get(link_target(corpus, entry, link) or "")
            )
            if record is None or not fragment:
                continue
            internal = in_internal or not entry.meant_public
            if fragment not in anchors(record, internal):
                problems.add(
                    "JD421",
                    entry.path,
                    link.line,
                    f"链接 “{link.target}” 里的锚点 #{fragment} 在{'本页' if record is entry else f' {record.ref} '}"
                    f"不存在：请检查 # 后面的名称，或删掉 # 和它后面的部分",
                )
