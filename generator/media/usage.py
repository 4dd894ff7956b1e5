"""Which assets public content uses, and whether each may be published: its type, what is in
it (an SVG's script, a PDF's JavaScript) and, for SVG and PDF, personal numbers in its text."""

from __future__ import annotations

import re
from pathlib import Path

from generator.content.corpus import Corpus, Entry
from generator.content.personal import allowed_numbers, as_read
from generator.content.personal import find as find_numbers
from generator.content.resolve import link_target, site_address
from generator.media import assets, attachments
from generator.problems import Problems


def public_assets(
    corpus: Corpus, site_url: str, held: bool = False
) -> dict[str, tuple[Entry, int]]:
    """Assets that public content uses (outside internal sections), with the first record
    and line that uses each; ``site_url`` places raw HTML addresses and full URLs of the site.
    ``held``: also those of drafts and embargoed records (``check`` looks at them before they
    are published; a build publishes only what is public now)."""
    used: dict[str, tuple[Entry, int]] = {}
    for entry in corpus.all():
        if not (entry.meant_public if held else entry.public):
            continue
        for name, line in entry_assets(corpus, entry, site_url).items():
            used.setdefault(name, (entry, line))
    return used


def entry_assets(corpus: Corpus, entry: Entry, site_url: str) -> dict[str, int]:
    """The assets one record's public part shows or links, each with the first line naming it."""
    found: dict[str, int] = {}
    for link, in_internal in entry.links:
        if in_internal:
            continue
        page = site_address(entry, link, site_url)
        target = page if page is not None else link_target(corpus, entry, link)
        if target and target in corpus.assets:
            found.setdefault(target, link.line)
    photo = getattr(entry.data, "image", None)
    if photo is not None and photo.src in corpus.assets:
        found.setdefault(photo.src, entry.line("image", "src"))
    return found


def check_public_assets(corpus: Corpus, problems: Problems, site_url: str) -> None:
    """Every asset public content uses can be cleaned for publishing (see assets.py)."""
    for name, (entry, line) in sorted(public_assets(corpus, site_url, held=True).items()):
        path = corpus.assets[name]
        try:
            reasons = assets.source_problems(path)
        except OSError as error:
            reasons = [f"无法读取（{error.strerror}）"]
        for reason in reasons:
            problems.add("JD420", entry.path, line, f"附件 {name} 不能公开：{reason}")
        if not reasons:
            for finding in find_numbers(as_read(_attachment_text(path))):
                if re.sub(r"\D", "", finding.value) not in allowed_numbers(entry):
                    problems.add(
                        "JD601",
                        entry.path,
                        line,
                        f"附件 {name} 的文字里有{finding.kind} {finding.masked}：个人号码不能公开。"
                        f"请从附件里删掉它，或不要在公开内容里链接这个附件",
                    )


def check_photos(corpus: Corpus, problems: Problems) -> None:
    """Every ``image:`` names a photo in assets/; a public record's photo says what it shows."""
    from generator.media.photos import DERIVED, is_photo

    for name, path in sorted(corpus.assets.items()):
        derived = DERIVED.fullmatch(name)
        if derived and derived.group("photo") in corpus.assets:
            problems.add(
                "JD422",
                path,
                1,
                f"文件名 “{name}” 和 jiandi 为照片 {derived.group('photo')} 生成的缩小图同名，"
                f"发布时会互相覆盖：请给这个文件换一个名字",
            )
    for entry in corpus.all():
        photo = getattr(entry.data, "image", None)
        if photo is None:
            continue
        src = photo.src
        if src not in corpus.assets or not is_photo(src):
            bare = src.lstrip("./").removeprefix("content/")
            if src in corpus.assets:
                said = f"“{src}” 不是照片：image 只能用 JPEG、PNG 或 WebP（GIF、SVG 请写在正文里）"
            elif bare != src and bare in corpus.assets:
                said = f"找不到照片 “{src}”：路径相对于内容目录，请写成 src: {bare}"
            else:
                said = f"找不到照片 “{src}”：请检查文件名，照片应放在 content/assets/ 里"
            problems.add("JD422", entry.path, entry.line("image", "src"), f"image.src: {said}")
        if entry.meant_public and not photo.alt.strip():
            where = ("image", "alt") if "alt" in photo.model_fields_set else ("image",)
            problems.add(
                "JD423",
                entry.path,
                entry.line(*where),
                "image.alt: 公开记录的照片要写 alt，用一句话说明照片上是什么（例如 alt: 签约仪式现场），"
                "看不见照片的读者靠它知道照片内容",
            )


def _attachment_text(path: Path) -> str:
    """The text a reader could get from a public attachment (PDF text, SVG text)."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from generator.media.attachments import pdf_text

        return pdf_text(path)
    if suffix == ".svg":
        return attachments.svg_text(path.read_bytes())
    return ""
