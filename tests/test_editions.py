"""Editions: internal records, sections and fields never reach the public edition."""

from __future__ import annotations

import re
from pathlib import Path

from generator import editions
from generator.check import validate
from tests.conftest import SAMPLE, write_tree


def internal_phrases(root: Path) -> set[str]:
    """Distinctive text of every internal record, section and field in a content tree."""
    corpus, problems = validate(root)
    assert not problems, problems.sorted()
    phrases: set[str] = set()
    for entry in corpus.all():
        if not entry.public:
            phrases.add(entry.data.title)
            phrases.add(entry.id)
            if entry.data.summary:
                phrases.add(entry.data.summary[:20])
        for segment in entry.segments:
            if segment.internal:
                phrases.update(
                    line.strip()[:20]
                    for line in segment.text.splitlines()
                    if len(line.strip()) >= 12
                )
        internal = entry.data.internal
        if internal:
            if internal.notes:
                phrases.add(internal.notes[:20])
            phrases.update(f.item[:20] for f in internal.follow_ups)
            phrases.update(c.name for c in internal.contacts)
            phrases.update(c.phone for c in internal.contacts if c.phone)
            phrases.update(str(v)[:20] for v in internal.extras().values())
    return {p for p in phrases if p}


def every_file(root: Path) -> list[Path]:
    return [p for p in sorted(root.rglob("*")) if p.is_file()]


def test_sample_has_internal_material_at_every_level():
    corpus, _ = validate(SAMPLE)
    entries = list(corpus.all())
    assert any(not e.public for e in entries), "an internal record"
    assert any(s.internal for e in entries for s in e.segments), "an internal section"
    assert any(e.data.internal and e.data.internal.follow_ups for e in entries), "follow-ups"
    assert any(e.data.internal and e.data.internal.contacts for e in entries), "contacts"


def test_no_internal_text_in_any_public_file(sample_build):
    phrases = internal_phrases(sample_build / "content")
    assert len(phrases) > 20
    public = sample_build / "site" / "public"
    hits = []
    for path in every_file(public):
        text = path.read_bytes().decode("utf-8", errors="ignore").replace("\u200b", "")
        hits += [(phrase, path.relative_to(public)) for phrase in phrases if phrase in text]
        hits += [(path.name, path) for phrase in phrases if phrase in str(path.relative_to(public))]
    assert hits == []
    # and the same phrases do show in the internal edition (the test can fail)
    internal_text = "".join(
        p.read_text("utf-8", errors="ignore").replace("\u200b", "")
        for p in every_file(sample_build / "site" / "internal")
        if p.suffix in (".html", ".json")
    )
    missing = [p for p in phrases if p not in internal_text]
    assert missing == []


def test_public_edition_has_no_markdown_sources(sample_build):
    assert not list((sample_build / "site" / "public").rglob("*.md"))


def test_body_cut_and_marked(tmp_path):
    root = write_tree(
        tmp_path / "c",
        {
            "topics.yml": "a: 甲\n",
            "events/e.md": "---\ntitle: 事\nvisibility: public\ndate: 2024-01-01\n---\n"
            "公开一\n\n::: internal\n秘密二\n:::\n\n公开三\n\n```\n::: internal\n```\n",
        },
    )
    corpus, problems = validate(root)
    assert not problems
    entry = corpus.get("events/e")
    public = editions.make(corpus, "public").body(entry)
    internal = editions.make(corpus, "internal").body(entry)
    assert "秘密二" not in public and "公开一" in public and "公开三" in public
    assert "```\n::: internal\n```" in public  # literal inside code
    assert re.search(r'<div class="jd-internal" markdown="1">.*秘密二.*</div>', internal, re.DOTALL)


def test_counts_are_public_only(sample_build):
    public = (sample_build / "site/public/news/index.html").read_text("utf-8")
    internal = (sample_build / "site/internal/news/index.html").read_text("utf-8")
    corpus, _ = validate(sample_build / "content")
    n_public = sum(1 for e in corpus.entries["events"].values() if e.public)
    n_all = len(corpus.entries["events"])
    assert n_public < n_all
    assert f"共 {n_public} 条新闻" in public
    assert f"共 {n_all} 条新闻" in internal


def test_chinese_line_breaks_are_joined_outside_code():
    from generator.content.sections import join_cjk_lines

    text = "第一行\n第二行。\n\n- 列表\n- 项\n\nEnglish\nwords 和\n中文\n\n```\n代码\n代码\n```\n"
    assert join_cjk_lines(text) == (
        "第一行第二行。\n\n- 列表\n- 项\n\nEnglish\nwords 和中文\n\n```\n代码\n代码\n```\n"
    )
