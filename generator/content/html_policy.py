"""Raw HTML in records: one allow-list, enforced twice.

Python-Markdown passes raw HTML and ``javascript:`` links straight through. Our policy:

* ``check`` rejects, with file and line, any raw HTML tag outside the allow-list (``<script>``,
  ``<style>``, ``<iframe>``, ``<form>``, ``<object>`` …), any event-handler attribute
  (``onerror=``), any ``style`` attribute other than table alignment, and any URL whose scheme is
  not http, https, mailto or tel (``javascript:``, ``data:`` …);
* as a second line of defence, every page's HTML is cleaned by nh3 (the Rust ``ammonia``
  sanitiser) with the same allow-list while MkDocs builds it, in both editions. HTML comments are
  removed there too: they are invisible on the page but readable in its source.
"""

from __future__ import annotations

from html.parser import HTMLParser

import nh3

from generator.content.sections import blank_code

TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "section",
    "article",
    "aside",
    "nav",
}
GENERIC_ATTRIBUTES = {"class", "id", "title", "lang", "dir"}
ATTRIBUTES = {
    "*": GENERIC_ATTRIBUTES,
    "a": {"href", "name", "rel", "type", "aria-current"},
    "span": {"aria-current"},
    "nav": {"aria-label"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"align", "colspan", "rowspan", "style"},
    "th": {"align", "colspan", "rowspan", "style", "scope"},
    "ol": {"start", "type", "reversed"},
    "time": {"datetime"},
    "details": {"open"},
    "col": {"span"},
    "colgroup": {"span"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "poster", "background"}
# Only what our own Markdown extensions write into the page (tables' alignment).
STYLE_PROPERTIES = {"text-align"}
# Markdown's own extensions mark blocks for md_in_html; the attribute never reaches the page.
MARKDOWN_ATTRIBUTE = "markdown"


# Classes the theme's JavaScript acts on by loading code from another host: ``pre.mermaid``
# makes Material fetch mermaid from unpkg.com. Refused at check, removed from every page.
LOADING_CLASSES = {"mermaid"}


def _drop_loading_classes(_tag: str, attribute: str, value: str) -> str | None:
    if attribute != "class":
        return value
    kept = [c for c in value.split() if c.lower() not in LOADING_CLASSES]
    return " ".join(kept) if kept else None


def clean(html: str) -> str:
    """The page HTML with everything outside the allow-list removed (and no comments)."""
    return nh3.clean(
        html,
        attribute_filter=_drop_loading_classes,
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        url_schemes=URL_SCHEMES,
        strip_comments=True,
        link_rel=None,
        filter_style_properties=STYLE_PROPERTIES,
    )


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.addresses: list[tuple[int, str, bool]] = []  # (line, url, loaded rather than followed)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if not tag.isalpha() and not (tag[:1] == "h" and tag[1:].isdigit()):
            return  # an autolink such as <https://…> is not a tag
        if tag not in TAGS:
            self.found.append(
                (
                    line,
                    f"不允许的 HTML 标签 <{tag}>：出于安全考虑，正文里不能使用"
                    f" <{tag}>（允许的只有排版用的标签，如 <br>、<sup>、<table>）",
                )
            )
            return
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set()) | {MARKDOWN_ATTRIBUTE}
        for name, value in attrs:
            value = (value or "").strip()
            if name in URL_ATTRIBUTES or name == "srcset":
                for url in value.split(",") if name == "srcset" else [value]:
                    if url.strip():
                        self.addresses.append(
                            (
                                line,
                                url.strip().split()[0] if name == "srcset" else url.strip(),
                                name != "href",
                            )
                        )
            if name == "class" and set(value.lower().split()) & LOADING_CLASSES:
                self.found.append(
                    (
                        line,
                        f"<{tag}> 不能使用 class=“{value}”：网站主题会因此从其他网站"
                        f"（unpkg.com）加载程序，公开网站不能这样。请删掉这个 class",
                    )
                )
            elif name.startswith("on"):
                self.found.append((line, f"不允许的 HTML 属性 {name}=：事件属性会执行脚本，请删掉"))
            elif name not in allowed:
                self.found.append((line, f"<{tag}> 不允许属性 {name}=，请删掉"))
            elif name == "style" and any(
                part.split(":")[0].strip().lower() not in STYLE_PROPERTIES
                for part in value.split(";")
                if part.strip()
            ):
                self.found.append((line, f"<{tag}> 的 style 只能设置 text-align，请删掉其他样式"))
            elif name in URL_ATTRIBUTES and ":" in value.split("/")[0]:
                scheme = value.split(":", 1)[0].lower().strip()
                if scheme not in URL_SCHEMES:
                    self.found.append(
                        (
                            line,
                            f"不允许的地址 “{value[:40]}”：只能用 http、https、"
                            f"mailto、tel 或相对链接",
                        )
                    )

    handle_startendtag = handle_starttag


def addresses(markdown: str, first_line: int) -> list[tuple[int, str, bool]]:
    """(file line, url, loaded) of every address in raw HTML tags of ``markdown`` (code blanked
    by the caller)."""
    finder = _Finder()
    finder.feed(markdown)
    finder.close()
    return [(first_line + line - 1, url, loads) for line, url, loads in finder.addresses]


def raw_html_problems(markdown: str, first_line: int) -> list[tuple[int, str]]:
    """(file line, message) for every raw HTML construct outside the policy, code excluded."""
    if "<" not in markdown:
        return []
    finder = _Finder()
    finder.feed(blank_code(markdown))
    finder.close()
    return [(first_line + line - 1, message) for line, message in finder.found]
