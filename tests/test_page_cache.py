"""The page cache reuses what MkDocs built before only when nothing the page depends on changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from generator.problems import ContentError
from generator.site.mkdocs_build import run_mkdocs
from tests.test_site import tree_hash


def project(root: Path, pages: dict[str, str], nav_title: str = "首页") -> Path:
    docs = root / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, "utf-8")
    overrides = root / "overrides"
    overrides.mkdir(exist_ok=True)
    if not (overrides / "main.html").exists():
        (overrides / "main.html").write_text('{% extends "base.html" %}\n', "utf-8")
    (root / "userdict.txt").write_text("安置帮教 100000\n", "utf-8")
    config = {
        "site_name": "测试",
        "docs_dir": "docs",
        "strict": True,
        "use_directory_urls": True,
        "nav": [{nav_title: "index.md"}],
        "theme": {
            "name": "material",
            "language": "zh",
            "font": False,
            "custom_dir": str(overrides),
        },
        "plugins": [
            {"search": {"lang": "zh", "jieba_dict_user": str(root / "userdict.txt")}},
            "jiandi",
        ],
        "markdown_extensions": ["attr_list", "toc"],
        "validation": {"omitted_files": "info", "not_found": "warn", "anchors": "warn"},
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    return root / "mkdocs.yml"


PAGES = {
    "index.md": "# 首页\n\n见[第一篇](a.md#zuofa)。\n",
    "a.md": "# 第一篇\n\n## 做法 {#zuofa}\n\n安置帮教工作由司法局牵头。\n",
    "b.md": "# 第二篇\n\n法律援助律师现场答疑。\n",
}


def build(config: Path, site: Path, cache: Path | None, hits: int | None = None) -> str:
    """Build into ``site`` and return its hash; ``hits``: how many pages must come from cache."""
    if site.exists():
        shutil.rmtree(site)
    used = run_mkdocs(config, site, {}, cache)
    if hits is not None:
        assert used["built"] == hits, used
    return tree_hash(site)


def test_cached_build_equals_plain_build(tmp_path):
    config = project(tmp_path, PAGES)
    cache = tmp_path / "cache"
    plain = build(config, tmp_path / "plain", None)
    assert build(config, tmp_path / "cold", cache, hits=0) == plain
    assert build(config, tmp_path / "warm", cache, hits=3) == plain
    index = json.loads((tmp_path / "warm" / "search" / "search_index.json").read_text("utf-8"))
    assert any(
        "律师" in doc["text"] for doc in index["docs"]
    )  # cached pages still reach the search index


@pytest.mark.parametrize("change", ["page", "nav", "override", "userdict", "files"])
def test_a_change_the_page_depends_on_is_seen(tmp_path, change):
    config = project(tmp_path, PAGES)
    cache = tmp_path / "cache"
    build(config, tmp_path / "site", cache, hits=0)
    pages = dict(PAGES)
    if change == "page":
        pages["b.md"] = "# 第二篇\n\n心理咨询师现场答疑。\n"
        config = project(tmp_path, pages)
    elif change == "nav":
        config = project(tmp_path, pages, nav_title="主页")
    elif change == "override":
        (tmp_path / "overrides" / "main.html").write_text(
            '{% extends "base.html" %}\n{% block footer %}<p>页脚已改</p>{% endblock %}\n', "utf-8"
        )
    elif change == "userdict":
        config = project(tmp_path, pages)
        (tmp_path / "userdict.txt").write_text("现场答疑 100000\n", "utf-8")
    else:
        pages["c.md"] = "# 第三篇\n\n见[第二篇](b.md)。\n"
        config = project(tmp_path, pages)
    # What must change is rebuilt; what need not is reused.
    expected = {"page": 2, "nav": 0, "override": 0, "userdict": 0, "files": 3}[change]
    warm = build(config, tmp_path / "warm", cache, hits=expected)
    assert warm == build(config, tmp_path / "plain", None)


def test_a_page_that_warned_is_never_reused(tmp_path):
    pages = {**PAGES, "b.md": "# 第二篇\n\n见[不存在的页](missing.md)。\n"}
    config = project(tmp_path, pages)
    cache = tmp_path / "cache"
    for _ in range(2):  # the second build must fail too, not reuse the page silently
        with pytest.raises(ContentError) as error:
            build(config, tmp_path / "site", cache)
        assert "missing.md" in str(error.value.problems.items)


def test_a_broken_anchor_into_a_cached_page_is_still_found(tmp_path):
    config = project(tmp_path, PAGES)
    cache = tmp_path / "cache"
    build(config, tmp_path / "site", cache)
    pages = {**PAGES, "a.md": "# 第一篇\n\n## 办法 {#banfa}\n\n安置帮教工作由司法局牵头。\n"}
    config = project(tmp_path, pages)  # index.md (cached) links to a.md#zuofa, now gone
    with pytest.raises(ContentError) as error:
        build(config, tmp_path / "site", cache)
    assert "zuofa" in str(error.value.problems.items)


def test_a_page_linking_to_a_file_that_is_gone_is_read_again(tmp_path):
    pages = {**PAGES, "b.md": "# 第二篇\n\n见[第三篇](c.md)。\n", "c.md": "# 第三篇\n"}
    cache = tmp_path / "cache"
    build(project(tmp_path, pages), tmp_path / "site", cache, hits=0)
    del pages["c.md"]  # b.md is unchanged, but the page it links to no longer exists
    with pytest.raises(ContentError) as error:
        build(project(tmp_path, pages), tmp_path / "site", cache)
    assert "c.md" in str(error.value.problems.items)


def test_editions_share_what_they_read(tmp_path):
    """A page with the same source in two projects built with one cache is read once."""
    cache = tmp_path / "cache"
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    build(project(first, PAGES), first / "site", cache, hits=0)
    config = project(second, PAGES, nav_title="主页")  # another site around the same pages
    # index.md's title comes from the nav, which differs: read again; the others are shared.
    assert run_mkdocs(config, second / "site", {}, cache)["read"] == 2
    assert tree_hash(second / "site") == build(config, second / "plain", None)


def test_jieba_dictionary_from_the_pickle_is_jiebas_own(tmp_path):
    """speedups.load_dictionary unpickles jieba's dictionary (0.2 s instead of 0.75 s): the
    words, frequencies and cuts must be those jieba loads itself."""
    import types

    import jieba

    from generator.plugin.speedups import load_dictionary

    def fresh() -> types.SimpleNamespace:
        tokenizer = jieba.Tokenizer()
        tokenizer.tmp_dir = str(tmp_path)
        return types.SimpleNamespace(
            dt=tokenizer,
            DEFAULT_DICT=jieba.DEFAULT_DICT,
            DEFAULT_DICT_NAME=jieba.DEFAULT_DICT_NAME,
            __file__=jieba.__file__,
            __version__=jieba.__version__,
        )

    made, reused, own = fresh(), fresh(), jieba.Tokenizer()
    load_dictionary(made)  # no pickle yet: jieba loads it, and the pickle is written
    assert made.dt.initialized and list(tmp_path.glob("jiandi-jieba-*.pickle"))
    load_dictionary(reused)  # from the pickle
    own.initialize()
    assert reused.dt.initialized and reused.dt.total == own.total and reused.dt.FREQ == own.FREQ
    sentence = "涟源市司法局在雁北监狱举办帮教活动，刑满释放人员安置帮教衔接工作不断深化"
    for tokenizer in (made.dt, reused.dt):
        assert list(tokenizer.cut(sentence)) == list(own.cut(sentence))
    (tmp_path / next(tmp_path.glob("jiandi-jieba-*.pickle")).name).write_bytes(b"broken")
    broken = fresh()
    load_dictionary(broken)  # a damaged pickle: jieba loads its dictionary itself
    assert broken.dt.FREQ == own.FREQ
