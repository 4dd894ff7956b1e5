"""The leak guard: internal fingerprints are found in any encoding, shared words are not."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from generator.check import validate
from generator.guard import guard
from tests.conftest import ROOT, SAMPLE, jiandi, write_tree

SECRET = "假释与救助衔接一条最急请民政局优先答复"


def corpus_with_secret(tmp_path: Path):
    root = write_tree(
        tmp_path / "c",
        {
            "topics.yml": "a: 甲\n",
            "events/pub.md": "---\ntitle: 公开活动\nvisibility: public\ndate: 2024-01-01\n---\n"
            "安置帮教工作座谈会在监狱举行。\n\n::: internal\n"
            f"{SECRET}。\n安置帮教工作座谈会在监狱举行。\n:::\n",
            "events/nb.md": "---\ntitle: 联络员内部会商纪要\nvisibility: internal\ndate: 2024-01-02\n"
            "internal:\n  contacts:\n    - name: 教育改造科值班室\n      phone: 0738-1234567\n"
            "---\n会商情况不对外发布，请各单位注意保密。\n",
        },
    )
    corpus, problems = validate(root)
    assert not problems
    return corpus


def test_shared_words_are_not_fingerprints(tmp_path):
    corpus = corpus_with_secret(tmp_path)
    keys = {fp.text for fp in guard.fingerprints(corpus)}
    assert f"{SECRET}" in keys
    assert "安置帮教工作座谈会在监狱举行" not in keys  # public content says it too
    assert "联络员内部会商纪要" in keys and "0738-1234567" in keys and "events/nb" in keys
    assert "教育改造科值班室" in keys


def plant(site: Path, name: str, data: bytes) -> None:
    path = site / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_scan_sees_through_encodings(tmp_path):
    corpus = corpus_with_secret(tmp_path)
    prints = guard.fingerprints(corpus)
    clean = tmp_path / "clean"
    plant(clean, "index.html", "<p>安置帮教工作座谈会在监狱举行。</p>".encode())
    assert not guard.scan(clean, prints).items

    cases = {
        "entities.html": "".join(f"&#x{ord(c):x};" for c in SECRET).encode(),
        "tags.html": f"<p>{SECRET[:5]}<strong>{SECRET[5:9]}</strong>{SECRET[9:]}</p>".encode(),
        "search/search_index.json": json.dumps(
            {"docs": [{"text": "\u200b".join(SECRET)}]}, ensure_ascii=True
        ).encode(),
        "sitemap.xml.gz": gzip.compress(f"<loc>{quote('联络员内部会商纪要')}</loc>".encode()),
        "app.js": "var t='０７３８-１２３４５６７';".encode(),
    }
    for name, data in cases.items():
        site = tmp_path / name.replace("/", "_")
        plant(site, name, data)
        problems = guard.scan(site, prints)
        assert problems.items, name
        assert name in problems.items[0].message
    # file and folder names: the internal record's page, or its title in a file name
    for name, what in [
        ("events/nb/index.html", "内部记录的编号"),
        (f"{quote('联络员内部会商纪要')}.html", "内部记录的标题"),
    ]:
        site = tmp_path / ("named" + str(len(what) + len(name)))
        plant(site, name, b"<p>ok</p>")
        hits = guard.scan(site, prints).items
        assert hits and all(h.path.name == "nb.md" and what in h.message for h in hits)


def test_tags_searched_once_still_find_every_leak(tmp_path):
    """Tags repeated on every page are searched once per build; a leak in one is still found,
    and so is one in an attribute, an HTML comment or an escaped tag of any later page."""
    prints = guard.fingerprints(corpus_with_secret(tmp_path))
    chrome = '<nav><a href="../" title="首页">首页</a></nav>'
    leaks = {
        "attribute": f'<img alt="{SECRET}" src="x.png">',
        "comment": f"<!-- {SECRET} -->",
        "escaped": f"&lt;span title=&quot;{SECRET}&quot;&gt;",
    }
    for how, leak in leaks.items():
        site = tmp_path / how
        for index in range(3):  # the leak only on the last of three pages sharing the chrome
            body = leak if index == 2 else "<p>安置帮教工作座谈会在监狱举行。</p>"
            plant(site, f"p{index}/index.html", f"<html>{chrome}{body}{chrome}</html>".encode())
        problems = guard.scan(site, prints)
        assert [p.message for p in problems.items if "p2/index.html" in p.message], how
    site = tmp_path / "chrome"
    for index in range(3):  # the leak in the repeated part: reported, whichever page first
        plant(site, f"p{index}/index.html", f'<html><a title="{SECRET}">x</a></html>'.encode())
    assert guard.scan(site, prints).items


@pytest.mark.parametrize("editions", [["--edition", "public"], []])
def test_leaking_template_fails_the_build_and_publishes_nothing(tmp_path, editions):
    """Alone, the public edition's guard runs in its own process; with both editions, in
    parts on both workers after the build: either way the leak is found and nothing public
    is published."""
    shutil.copytree(SAMPLE, tmp_path / "content")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    home = tmp_path / "templates" / "home.md.j2"
    text = home.read_text("utf-8")
    assert "## 政策解读" in text
    home.write_text(
        text.replace(
            "## 政策解读",
            "{% for e in edition.corpus.all() %}{{ e.data.title }} {% endfor %}\n\n## 政策解读",
        ),
        "utf-8",
    )
    run = jiandi("build", "--no-booklets", "--content", "content", *editions, cwd=tmp_path)
    assert run.code == 1
    assert (
        "泄漏检查：内部记录的标题（“监地共建联络员首次会商（内部）”）出现在公开版的 index.html 中"
        in run.output
    )
    assert not (tmp_path / "site" / "public").exists()
    assert not [p for p in (tmp_path / "site").iterdir() if p.name != "internal"]  # no staging
