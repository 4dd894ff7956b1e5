"""A cache never changes the output: a warm build after an edit equals a cold build, byte for byte."""

from __future__ import annotations

import shutil

from tests.conftest import SAMPLE, jiandi
from tests.test_site import tree_hash


def test_warm_build_after_edit_equals_cold_build(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1703635200")
    warm, cold = tmp_path / "warm", tmp_path / "cold"
    for work in (warm, cold):
        shutil.copytree(SAMPLE, work / "content")
    assert jiandi("build", "--content", "content", cwd=warm).code == 0  # fills build/booklet-cache
    cached = sorted(p.name for p in (warm / "build" / "booklet-cache").iterdir())
    assert cached
    for work in (warm, cold):
        record = work / "content/events/2023-12-27-lianyuan-zhuanchang.md"
        record.write_text(record.read_text("utf-8") + "\n补充：帮教档案已全部归档。\n", "utf-8")
    assert jiandi("build", "--content", "content", cwd=warm).code == 0  # reuses what it can
    reused = set(cached) & {p.name for p in (warm / "build" / "booklet-cache").iterdir()}
    assert reused  # booklets the edit did not touch came from the cache
    assert jiandi("build", "--content", "content", cwd=cold).code == 0
    for edition in ("public", "internal"):
        assert tree_hash(warm / "site" / edition) == tree_hash(cold / "site" / edition), edition
