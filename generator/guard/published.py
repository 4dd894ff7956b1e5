"""The public edition checked as it is published: what a reader, a browser or a crawler gets.

The source checks (``check``) recognise what authors write; these look at the built files, so a
form nobody anticipated is caught where it lands. On every file of the staged public edition:

* personal numbers (ID, mobile, bank card) in the text a reader sees: tags removed (a number
  split by ``<strong>`` is whole again), entities decoded, invisible characters and odd spaces
  removed; in pages, the search index, feeds, the sitemap, SVG text, PDF text, and file names;
* every ``href``, ``src``, ``srcset``, ``poster``, ``data``, ``action`` and CSS ``url()``: a
  resource (script, stylesheet, image, font, frame, media) from another host is refused unless
  the host is in ``extra.jiandi.allowed_hosts``; a link or resource inside the site (relative,
  root-relative, or an absolute URL on ``site_url``'s host) must resolve to a file of this
  edition, so a link to a page that exists only in the internal edition fails;
* inline scripts that name another host, and ``<meta http-equiv=refresh>`` to one;
* lines of page text, outside code, that look like an internal fence;
* file types: only those the site is made of are allowed; images must carry no metadata and
  SVGs nothing that runs or loads (assets.svg_problems), PDFs no metadata.

Functions take and return plain data so that parts of an edition can be checked in other
processes, as the leak guard's are.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.content import personal
from generator.content.links import as_browser_reads, host_key
from generator.content.normal import COLON_CLASS, visible
from generator.content.sections import fence_like
from generator.guard.guard import TAGS, json_strings
from generator.guard.markup import ATTR, READ_ATTRS, css_urls, reader_text, urls_in_html

# Files a built site is made of. Anything else in the public edition is refused.
# fmt: off
ALLOWED_SUFFIXES = {
    ".html", ".xml", ".json", ".js", ".css", ".txt", ".svg", ".png", ".jpg", ".jpeg", ".webp",
    ".gif", ".ico", ".pdf", ".gz", ".map", ".woff2", ".woff",
}
# fmt: on
ALLOWED_NAMES = {
    ".jiandi",
    ".jiandi-staging",
}  # the markers (output.py); nginx serves no hidden file
READ_TEXT = {".html", ".xml", ".json", ".txt", ".svg"}  # read for a reader's text

_SCRIPT_BLOCK = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.IGNORECASE | re.DOTALL)
_HOST_IN_SCRIPT = re.compile(
    r"""(?:https?:)?//([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)+)""", re.IGNORECASE
)
_CODE = re.compile(r"<(pre|code)\b[^>]*>.*?</\1>", re.IGNORECASE | re.DOTALL)
_COLONS_ANYWHERE = re.compile(f"[{COLON_CLASS}](?:[^<\n]{{0,4}}[{COLON_CLASS}]){{2}}")


@dataclass(frozen=True)
class Context:
    """What the checks need to know of the whole edition (plain data)."""

    files: frozenset[str]  # every file and folder of the edition, relative, posix
    site_url: str = ""
    allowed_hosts: frozenset[str] = frozenset()
    public_numbers: frozenset[str] = frozenset()  # digits written in some record's public_numbers
    internal_pages: dict[str, str] = field(default_factory=dict)  # "events/x" -> "events/x"
    # Lines of text already read for numbers and fences in this process: the header, the
    # navigation and the footer repeat on every page, and are read once.
    seen: set[str] = field(default_factory=set, compare=False, repr=False)
    clean: frozenset[str] = frozenset()  # digests found clean before (CleanPages)


Finding = tuple[str, str, str, str]  # (output file, code, message, what to look for in sources)


def _numbers(text: str, context: Context) -> Iterator[personal.Finding]:
    for finding in personal.find(text):
        if re.sub(r"\D", "", finding.value) not in context.public_numbers:
            yield finding


def _personal(relative: str, text: str, context: Context, where: str) -> list[Finding]:
    lines = [line for line in text.split("\n") if line not in context.seen]
    context.seen.update(lines)
    text = "\n".join(line for line in lines if personal.may_hold_number(line))
    return [
        (
            relative,
            "JD602",
            f"公开版的 {where}里有{finding.kind} {finding.masked}：服刑人员和家属只能用化名，个人号码不能公开。"
            f"请在内容里删掉它，或移到 internal 字段或 “::: internal” 段落",
            re.sub(r"\D", "", finding.value),
        )
        for finding in _numbers(text, context)
    ]


def _site_prefix(site_url: str) -> tuple[str, str]:
    parts = urlsplit(site_url)
    return host_key(parts.netloc), parts.path if parts.path.endswith("/") else parts.path + "/"


def _resolve(relative: str, url: str, context: Context, resource: bool) -> str | None:
    """Why ``url`` (found in the file ``relative``) is refused, or None when it is fine."""
    url = as_browser_reads(html.unescape(url))
    if not url or url.startswith("#"):
        return None
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("mailto", "tel") and not resource:
        return None
    if scheme == "data" and resource:
        return None  # inline data loads nothing from anywhere
    if scheme not in ("", "http", "https"):
        return f"不允许的地址 “{url[:60]}”"
    own_host, own_path = _site_prefix(context.site_url)
    host = host_key(parts.netloc)
    if parts.netloc:
        if host != own_host or not own_host:
            if not resource or host in context.allowed_hosts:
                return None
            return (
                f"会从其他网站 {host} 加载内容（“{url[:60]}”）：公开网站不能从其他网站加载任何内容。"
                f"确实需要时，请把这个网站写进 mkdocs.yml 的 extra.jiandi.allowed_hosts"
            )
        path = parts.path or "/"
        if not path.startswith(own_path):
            return f"指向本站以外的路径 “{url[:60]}”"
        target = path[len(own_path) :]
    elif parts.path.startswith("/"):
        _host, own_path = _site_prefix(context.site_url) if context.site_url else ("", "/")
        if not parts.path.startswith(own_path):
            return f"指向本站以外的路径 “{url[:60]}”"
        target = parts.path[len(own_path) :]
    else:
        target = posixpath.join(posixpath.dirname(relative), parts.path)
    target = posixpath.normpath(unquote(target)).lstrip("/")
    if target.startswith("..") or target == "..":
        return f"指向网站根目录之外（“{url[:60]}”）"
    if target == ".":
        target = ""
    bare = target.rstrip("/")
    if (bare and bare in context.files) or posixpath.join(bare, "index.html") in context.files:
        return None
    page = target.rstrip("/").removesuffix("/index.html")
    if page in context.internal_pages:
        return f"指向只在内部版中存在的页面 {page}/（“{url[:60]}”）：公开网站不能链接内部内容"
    return f"指向不存在的文件（“{url[:60]}”）"


def _scripts(relative: str, raw: str, context: Context) -> list[Finding]:
    found: list[Finding] = []
    own_host, _path = _site_prefix(context.site_url)
    for _attrs, body in _SCRIPT_BLOCK.findall(raw):
        for host in {m.group(1).lower() for m in _HOST_IN_SCRIPT.finditer(body)}:
            if host != own_host and host not in context.allowed_hosts:
                found.append(
                    (
                        relative,
                        "JD803",
                        f"公开版的 {relative} 里有一段脚本会连接其他网站 {host}（例如统计代码 "
                        f"extra.analytics）：公开网站不能从其他网站加载任何内容。请在 mkdocs.yml "
                        f"里去掉它，或把这个网站写进 extra.jiandi.allowed_hosts",
                        host,
                    )
                )
    return found


_LOADING_CLASS = re.compile(r"""<pre\b[^>]*\bclass\s*=\s*["']?[^"'>]*\bmermaid\b""", re.IGNORECASE)


def _theme_loads(relative: str, raw: str) -> list[Finding]:
    """Markup the theme's JavaScript answers by loading code from another host."""
    if not _LOADING_CLASS.search(raw):
        return []
    return [
        (
            relative,
            "JD802",
            f"公开版的 {relative} 里有 class=“mermaid”：网站主题会因此从 unpkg.com "
            f"加载程序，公开网站不能从其他网站加载任何内容。请删掉这个 class",
            "mermaid",
        )
    ]


def _fences(relative: str, raw: str) -> list[Finding]:
    if not _COLONS_ANYWHERE.search(raw):
        return []
    text = reader_text(_CODE.sub("\n", raw), keep_lines=True)
    return [
        (
            relative,
            "JD303",
            f"公开版的 {relative} 里有一行看起来像内部段落标记的文字（“{line.strip()[:30]}”）："
            f"它周围的内容可能本应是内部的。请检查这一段的 “::: internal” 写法",
            line.strip(),
        )
        for line in text.split("\n")
        if fence_like(line)
    ]


def check_html(relative: str, raw: str, context: Context) -> list[Finding]:
    found: list[Finding] = []
    for url, resource in urls_in_html(raw):
        why = _resolve(relative, url, context, resource)
        if why:
            code = "JD802" if "其他网站" in why else "JD804"
            found.append(
                (
                    relative,
                    code,
                    f"公开版的 {relative} 里的{'资源' if resource else '链接'}{why}",
                    html.unescape(url).strip(),
                )
            )
    found += _scripts(relative, raw, context)
    found += _theme_loads(relative, raw)
    found += _fences(relative, raw)
    found += _personal(relative, reader_text(raw), context, f"{relative} ")
    # The attributes a reader or a crawler reads (a tel: link, a title, an alt text), URL
    # escapes undone; not drawing data such as an icon's path.
    shown = "\n".join(
        value
        for name, *values in ATTR.findall(" ".join(TAGS.findall(raw)))
        if name.lower() in READ_ATTRS
        for value in values
        if value
    )
    found += _personal(
        relative, visible(unquote(html.unescape(shown))), context, f"{relative} 的 HTML 属性"
    )
    return found


def check_css(relative: str, raw: str, context: Context) -> list[Finding]:
    found: list[Finding] = []
    for url in css_urls(raw):
        why = _resolve(relative, url, context, True)
        if why:
            found.append(
                (
                    relative,
                    "JD802" if "其他网站" in why else "JD804",
                    f"公开版的样式表 {relative} 里的资源{why}",
                    url,
                )
            )
    return found


def check_file(
    site: Path, relative: str, context: Context, data: bytes | None = None
) -> list[Finding]:
    """Every finding in one file (or folder) of the edition at ``site``; ``data``: the file's
    bytes, if already read."""
    path = site / relative
    found = _personal(relative, visible(unquote(relative)).replace("/", "\n"), context, "文件名 ")
    if path.is_dir():
        return found
    suffix = path.suffix.lower()
    if suffix not in ALLOWED_SUFFIXES and path.name not in ALLOWED_NAMES:
        return found + [
            (
                relative,
                "JD805",
                f"公开版里有 jiandi 无法检查的文件类型 {relative}："
                f"这类文件不能公开。请换成 PDF 或图片（JPEG、PNG、WebP、GIF）",
                path.name,
            )
        ]
    if data is None:
        data = path.read_bytes()
    if suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except OSError:
            return found + [
                (relative, "JD805", f"公开版里的 {relative} 不是有效的 gzip 文件", path.name)
            ]
        suffix = Path(relative[:-3]).suffix.lower()
    if suffix in (".png", ".jpg", ".jpeg", ".webp", ".gif", ".svg", ".pdf"):
        from generator.media import assets

        found += [
            (relative, "JD806", f"公开版的 {relative}：{message}", path.name)
            for message in assets.published_problems(suffix, data)
        ]
    if suffix == ".pdf":
        from generator.media.attachments import pdf_text

        found += _personal(relative, visible(pdf_text(path)), context, f"{relative} 的文字")
        return found
    if suffix not in READ_TEXT and suffix not in (".css", ".html"):
        return found
    text = data.decode("utf-8", errors="replace")
    if suffix == ".html":
        return found + check_html(relative, text, context)
    if suffix == ".css":
        return found + check_css(relative, text, context)
    if suffix == ".json":
        try:
            strings = list(json_strings(json.loads(text)))
        except ValueError:
            strings = [text]
        return found + [
            f for s in strings for f in _personal(relative, reader_text(s), context, f"{relative} ")
        ]
    return found + _personal(relative, reader_text(text), context, f"{relative} ")


def check_part(
    site: Path, relatives: list[str], context: Context
) -> tuple[list[Finding], list[str]]:
    """The findings in the files ``relatives`` of ``site`` (runs in any process), and the
    digests of the files found clean. A file whose digest is in ``context.clean`` was found
    clean by an earlier build under the same context (CleanPages) and is not read again."""
    findings: list[Finding] = []
    clean: list[str] = []
    for relative in relatives:
        path = site / relative
        digest, data = "", None
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            if digest in context.clean:
                clean.append(digest)
                continue
        found = check_file(site, relative, context, data)
        findings.extend(found)
        if digest and not found:
            clean.append(digest)
    return findings, clean
