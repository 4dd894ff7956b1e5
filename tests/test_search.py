"""Chinese search: jieba keeps programme terms and place names whole; list pages stay out."""

from __future__ import annotations

import json

import jieba

from generator import editions
from generator.check import validate
from generator.site.project import userdict_words
from tests.conftest import SAMPLE


def test_user_dictionary_keeps_terms_whole(tmp_path):
    corpus, _ = validate(SAMPLE)
    words = userdict_words(editions.make(corpus, "public"))
    for term in ("安置帮教", "社区矫正", "远程会见", "涟源市", "开福区", "雁北监狱"):
        assert term in words
    assert "长沙市开福区司法局" not in words  # so that 开福区 and 司法局 find it
    tokenizer = jieba.Tokenizer()
    path = tmp_path / "userdict.txt"
    path.write_text("".join(f"{w} 100000\n" for w in words), encoding="utf-8")
    tokenizer.load_userdict(str(path))
    text = "涟源市司法局做好安置帮教和社区矫正，长沙市开福区司法局开展远程会见"
    tokens = list(tokenizer.cut(text))
    for term in ("涟源市", "司法局", "安置帮教", "社区矫正", "远程会见", "开福区"):
        assert term in tokens, tokens


def test_index_has_content_pages_only(sample_build):
    index = json.loads((sample_build / "site/public/search/search_index.json").read_text("utf-8"))
    pages = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert pages  # content pages are there
    for prefix in ("news/", "topics/", "policies/#", "agreements/#", "bureaus/#"):
        assert not [p for p in pages if p.startswith(prefix.rstrip("#")) and p.count("/") == 1], (
            prefix
        )
    assert "" not in pages  # the home page is a list too
    assert any(p.startswith("policies/yibao-guodu-anzhi/") for p in pages)
    words = " ".join(doc["text"] for doc in index["docs"])
    assert "安置帮教" in words.replace("\u200b", " ").split() or "\u200b安置帮教\u200b" in words
