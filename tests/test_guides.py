"""Service guides (办事指南): every element inspectors check is a required key, checked by
``check``; the 办事服务 section and each bureau's page list them."""

from __future__ import annotations

import re

import pytest

GUIDE = """\
---
title: 远程视频会见办事指南
visibility: public
bureaus: [lianyuan]
basis: 《中华人民共和国监狱法》第四十八条
eligibility: 服刑人员的近亲属和监护人
materials:
  - 本人居民身份证
place: 涟源市司法局远程视频会见室
hours: 工作日 9:00—12:00
phone: 0738-00000000
steps:
  - 电话预约
  - 按约定时间到场
---
说明。
"""
REQUIRED = ["basis", "eligibility", "materials", "place", "hours", "phone", "steps"]


@pytest.mark.parametrize("key", REQUIRED)
def test_each_element_is_required(check, key):
    text = re.sub(rf"^{key}:.*\n(?:  - .*\n)*", "", GUIDE, flags=re.M)
    assert f"{key}:" not in text
    run = check({"guides/huijian.md": text})
    assert run.code == 1, run.output
    assert any("guides/huijian.md:" in line and key in line for line in run.lines), run.output


def test_a_complete_guide_passes_and_one_item_needs_no_list(check):
    run = check({"guides/huijian.md": GUIDE})
    assert run.code == 0, run.output


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("materials:\n  - 本人居民身份证\n", "materials: []\n", "materials"),
        ("steps:\n  - 电话预约\n  - 按约定时间到场\n", "steps:\n  - ''\n", "steps"),
        ("hours: 工作日 9:00—12:00\n", "hours: ''\n", "hours"),
        ("phone: 0738-00000000\n", "phone: 0738-00000000\nonline: www.example.cn\n", "online"),
        ("phone: 0738-00000000\n", "phone: 0738-00000000\nfees: 不收费\n", "fees"),
    ],
)
def test_empty_or_wrong_elements_are_refused(check, old, new, said):
    assert old in GUIDE
    run = check({"guides/huijian.md": GUIDE.replace(old, new)})
    assert run.code == 1, run.output
    assert any(said in line and "guides/huijian.md:" in line for line in run.lines), run.output


def test_a_mobile_number_as_the_guide_phone_is_refused(check):
    run = check({"guides/huijian.md": GUIDE.replace("0738-00000000", "138 1234 5678")})
    assert run.code == 1
    assert any("guides/huijian.md:11:" in line and "手机" in line for line in run.lines), run.output


def test_guide_pages_list_and_bureau_page(sample_build):
    site = sample_build / "site" / "public"
    index = (site / "guides" / "index.html").read_text("utf-8")
    for slug in ("yuancheng-shipin-huijian", "anzhi-bangjiao-baodao", "falv-yuanzhu-shenqing"):
        assert f'href="{slug}/"' in index
    page = (site / "guides" / "yuancheng-shipin-huijian" / "index.html").read_text("utf-8")
    text = re.sub(r"<[^>]+>", "", page)
    for heading in ("服务对象和条件", "所需材料", "办理流程", "办理地点和时间", "办理依据"):
        assert heading in text
    assert "0731-00000000（示例号码）" in text and "不收费" in text
    # a numbered list of steps, in order
    steps = re.search(r"办理流程</h2>\s*<ol>(.*?)</ol>", page, re.S)
    assert steps and steps.group(1).count("<li>") == 5
    bureau = (site / "bureaus" / "lianyuan" / "index.html").read_text("utf-8")
    bureau_text = re.sub(r"<[^>]+>", "", bureau)
    assert "办事服务" in bureau_text
    assert 'href="../../guides/yuancheng-shipin-huijian/"' in bureau
    assert "涟源市司法局办公楼（示例地址，请按实际填写）" in bureau_text
    assert "0738-00000000（示例号码）" in bureau_text
    nav = (site / "index.html").read_text("utf-8")
    assert 'href="guides/"' in nav


def test_jiandi_new_guide_writes_a_guide_that_check_explains(tmp_path, content):
    from tests.conftest import jiandi

    run = jiandi(
        "new", "guide", "--title", "法律援助申请指南", "--content", "content", "--bureau", "lianyuan",
        "--visibility", "public", "--date", "2024-01-15", cwd=tmp_path,
    )  # fmt: skip
    assert run.code == 0, run.output
    written = list((content / "guides").glob("*.md"))
    assert len(written) == 1
    text = written[0].read_text("utf-8")
    for key in REQUIRED:
        assert f"\n{key}:" in text
    check = jiandi("check", "--content", "content", cwd=tmp_path)
    assert check.code == 0, check.output


def test_an_online_address_on_the_site_is_checked_like_a_link(tmp_path):
    import shutil

    from tests.conftest import SAMPLE, jiandi

    shutil.copytree(SAMPLE, tmp_path / "content")
    guide = tmp_path / "content/guides/falv-yuanzhu-shenqing.md"
    text = guide.read_text("utf-8")
    internal = "online: https://jiandi.example.cn/events/2024-01-10-lianluoyuan-huishang/\n"
    guide.write_text(text.replace("fee: 不收费\n", "fee: 不收费\n" + internal), "utf-8")
    run = jiandi("check", "--content", "content", cwd=tmp_path)
    assert run.code == 1
    assert any("falv-yuanzhu-shenqing.md:" in line and "内部" in line for line in run.lines), (
        run.output
    )
