"""The loader and `jiandi check`: one test per kind of error, with the exact line and text."""

from __future__ import annotations

import os

import pytest

from tests.conftest import EVENT


def event(front: str, body: str = "正文。\n") -> str:
    return f"---\n{front}---\n{body}"


OK_FRONT = "title: 测试\nvisibility: public\ndate: 2024-01-05\n"


def only(run, path: str) -> list[str]:
    """The problem lines `check` printed for ``path``; an error among them means exit code 1."""
    lines = [line for line in run.lines if line.startswith(path + ":")]
    if any(": 警告: " not in line for line in lines):
        assert run.code == 1, run.output
    return lines


def test_sample_content_is_clean(tmp_path):
    from tests.conftest import SAMPLE, jiandi

    run = jiandi("check", "--content", str(SAMPLE), cwd=tmp_path)
    assert run.code == 0, run.output


def test_clean_tree_exit_0(check):
    run = check({})
    assert run.code == 0, run.output
    assert "检查通过" in run.output


def test_unknown_key_did_you_mean(check):
    run = check({"events/x.md": event("title: 测试\nvisiblity: public\ndate: 2024-01-05\n")})
    assert run.code == 1
    assert (
        "content/events/x.md:3: 未知的字段 “visiblity”（新闻记录不接受这个字段）："
        "是不是要写 “visibility”？"
    ) in run.lines
    # and the missing visibility is reported too, with the whole file's first line
    assert "content/events/x.md:1: 缺少必填字段 “visibility”" in run.lines


def test_chinese_key_hint(check):
    run = check({"events/x.md": event(OK_FRONT + "摘要: 一句话\n")})
    assert (
        "content/events/x.md:5: 未知的字段 “摘要”（新闻记录不接受这个字段）：是不是要写 “summary”？"
        in run.lines
    )


def test_missing_visibility_is_an_error(check):
    run = check({"events/x.md": event("title: 测试\ndate: 2024-01-05\n")})
    assert run.code == 1
    assert only(run, "content/events/x.md") == ["content/events/x.md:1: 缺少必填字段 “visibility”"]


def test_bad_visibility_value(check):
    run = check({"events/x.md": event("title: 测试\nvisibility: secret\ndate: 2024-01-05\n")})
    assert only(run, "content/events/x.md") == [
        "content/events/x.md:3: visibility 只能是 public（公开）或 internal（内部），现在是 “secret”"
    ]


@pytest.mark.parametrize(
    "value, message",
    [
        ("2024-02-30", 'date: "2024-02-30" 不是日历上存在的日期：请检查月份和日子'),
        ("去年冬天", 'date: "去年冬天" 不是日期：请写成 YYYY-MM-DD，例如 2023-12-27'),
        ("2024/1/5", 'date: "2024/1/5" 不是日期：请写成 YYYY-MM-DD，例如 2023-12-27'),
    ],
)
def test_bad_dates(check, value, message):
    run = check({"events/x.md": event(f"title: 测试\nvisibility: public\ndate: {value}\n")})
    assert only(run, "content/events/x.md") == [f"content/events/x.md:4: {message}"]


def test_duplicate_key(check):
    run = check(
        {"events/x.md": event("title: 甲\nvisibility: public\ntitle: 乙\ndate: 2024-01-05\n")}
    )
    assert only(run, "content/events/x.md") == [
        'content/events/x.md:4: 字段 "title" 写了两次（第 2 行已经有了）：请删掉其中一个'
    ]


def test_unclosed_front_matter(check):
    run = check({"events/x.md": "---\ntitle: 测试\nvisibility: public\n正文\n"})
    assert only(run, "content/events/x.md") == [
        "content/events/x.md:1: front matter 没有结束：在最后一个字段之后加一行 ---"
    ]


def test_no_front_matter_never_fails_open(check):
    run = check({"events/x.md": "# 标题\n\n正文\n"})
    assert run.code == 1
    assert only(run, "content/events/x.md")[0].startswith("content/events/x.md:1: 第一行必须是 ---")


@pytest.mark.parametrize(
    "front, described", [("- a\n- b\n", "列表"), ("只是一句话\n", "“只是一句话”")]
)
def test_front_matter_not_a_mapping(check, front, described):
    run = check({"events/x.md": event(front)})
    assert only(run, "content/events/x.md") == [
        f"content/events/x.md:2: front matter 必须是“字段: 值”的形式，现在是 {described}"
    ]


def test_full_width_colon(check):
    run = check({"events/x.md": event("标题：测试\n")})
    (line,) = only(run, "content/events/x.md")
    assert line.startswith("content/events/x.md:2: ")
    assert "中文全角冒号“：”" in line


def test_tab_indentation(check):
    run = check({"events/x.md": event(OK_FRONT + "topics:\n\t- anzhi-bangjiao\n")})
    (line,) = only(run, "content/events/x.md")
    assert (
        line
        == "content/events/x.md:6: 这一行有制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格"
    )


def test_yaml_syntax_error(check):
    run = check({"events/x.md": event('title: "没有结束的引号\nvisibility: public\n')})
    (line,) = only(run, "content/events/x.md")
    assert line.startswith("content/events/x.md:")
    assert "YAML 格式错误" in line


def test_wrong_types(check):
    run = check(
        {
            "events/x.md": event(
                "title: [a, b]\nvisibility: public\ndate: 2024-01-05\ntopics: anzhi-bangjiao\n"
            )
        }
    )
    assert only(run, "content/events/x.md") == [
        "content/events/x.md:2: title: 应该是一段文字，现在是 列表",
        "content/events/x.md:5: topics: 应该是一个列表，例如 [a, b]，或每项一行 “- a”",
    ]


def test_empty_title(check):
    run = check({"events/x.md": event('title: " "\nvisibility: public\ndate: 2024-01-05\n')})
    assert only(run, "content/events/x.md") == ["content/events/x.md:2: title: 不能为空"]


def test_gbk_file(check):
    text = "---\ntitle: 测试\nvisibility: public\ndate: 2024-01-05\n---\n正文\n"
    run = check({"events/x.md": text.encode("gbk")})
    (line,) = only(run, "content/events/x.md")
    assert line.startswith("content/events/x.md:2: 文件看起来是 GBK/GB2312 编码，jiandi 只读 UTF-8")
    assert "iconv -f GBK -t UTF-8" in line


def test_empty_file(check):
    run = check({"events/x.md": ""})
    (line,) = only(run, "content/events/x.md")
    assert line.startswith("content/events/x.md:1: 文件是空的")


def test_bom_and_crlf_are_fine(check):
    text = "\ufeff---\r\ntitle: 测试\r\nvisibility: public\r\ndate: 2024-01-05\r\n---\r\n正文"
    run = check({"events/x.md": text.encode("utf-8")})
    assert run.code == 0, run.output


def test_agreement_needs_a_bureau(check):
    run = check({"agreements/a.md": event("title: 协议\nvisibility: public\ndate: 2023-12-27\n")})
    assert only(run, "content/agreements/a.md") == [
        "content/agreements/a.md:1: 缺少必填字段 “bureaus”"
    ]


def test_bureau_needs_short_name_and_region(check):
    run = check({"bureaus/x.md": event("title: 某局\nvisibility: public\n")})
    assert only(run, "content/bureaus/x.md") == [
        "content/bureaus/x.md:1: 缺少必填字段 “region”",
        "content/bureaus/x.md:1: 缺少必填字段 “short_name”",
    ]


def test_bad_file_name(check):
    run = check({"events/Big Day.md": event(OK_FRONT)})
    (line,) = only(run, "content/events/Big Day.md")
    assert "不能用作编号" in line


def test_unknown_references(check):
    run = check(
        {
            "events/x.md": event(
                OK_FRONT + "bureaus: [lianyuan, lianyun]\ntopics: [anzhi-bangjaio]\nparent: nope\n"
                "related: [policies/none]\n"
            )
        }
    )
    assert only(run, "content/events/x.md") == [
        "content/events/x.md:5: bureaus: 没有编号为 “lianyun” 的司法局（应有文件 bureaus/lianyun.md）。"
        "是不是要写 “lianyuan”？",
        "content/events/x.md:6: topics: 专题 “anzhi-bangjaio” 不在 topics.yml 里：请先在 topics.yml 中添加，"
        "或改正拼写。是不是要写 “anzhi-bangjiao”？",
        "content/events/x.md:7: parent: 没有编号为 “nope” 的新闻（应有文件 events/nope.md）",
        "content/events/x.md:8: related: 找不到记录 “policies/none”：请写成 events/编号、policies/编号、"
        "agreements/编号、guides/编号 或 bureaus/编号",
    ]


def test_broken_link_and_missing_image(check):
    body = "第一行\n\n见[活动](2023-12-27-lianyuan.md)和[不存在](nope.md)。\n\n![照片](../assets/none.jpg)\n"
    run = check({"events/x.md": event(OK_FRONT, body)})
    assert only(run, "content/events/x.md") == [
        "content/events/x.md:8: 链接 “nope.md” 指向的记录不存在（content/events/nope.md）：请检查文件名",
        "content/events/x.md:10: 图片 “../assets/none.jpg” 指向的文件不存在（应在 content/assets/none.jpg）",
    ]


def test_footnotes_and_abbreviations_are_not_links(check):
    """The site's Markdown has footnotes and abbreviations; their definitions look like link
    references but are text. A real reference link below them is still checked."""
    body = (
        "见注释[^1]，HTML 也是。\n\n[^1]: 注释的内容，不是链接。\n\n*[HTML]: 超文本标记语言\n\n"
        "[坏的]: nope.md\n"
    )
    run = check({"events/x.md": event(OK_FRONT, body)})
    assert only(run, "content/events/x.md") == [
        "content/events/x.md:12: 链接 “nope.md” 指向的记录不存在（content/events/nope.md）：请检查文件名"
    ]


def test_link_outside_the_tree(check):
    run = check({"events/x.md": event(OK_FRONT, "[x](../../secret.md)\n")})
    assert only(run, "content/events/x.md") == [
        "content/events/x.md:6: 链接 “../../secret.md” 指向内容目录之外：只能链接内容目录里的记录和附件"
    ]


def test_public_to_internal_names_both(check):
    internal = event("title: 内部会商\nvisibility: internal\ndate: 2024-01-10\n")
    run = check(
        {
            "events/2024-01-10-neibu.md": internal,
            "events/x.md": event(
                OK_FRONT + "related: [events/2024-01-10-neibu]\n",
                "见[会商](2024-01-10-neibu.md)。\n",
            ),
        }
    )
    lines = only(run, "content/events/x.md")
    assert len(lines) == 2
    assert lines[0].startswith(
        "content/events/x.md:5: 公开记录 events/x 的 related 引用了内部记录 "
        "events/2024-01-10-neibu（2024-01-10-neibu.md，visibility: internal）"
    )
    assert lines[1].startswith(
        "content/events/x.md:7: 公开记录 events/x 链接到了内部记录 events/2024-01-10-neibu"
    )


def test_public_may_link_internal_inside_internal_section(check):
    internal = event("title: 内部会商\nvisibility: internal\ndate: 2024-01-10\n")
    body = "公开。\n\n::: internal\n见[会商](2024-01-10-neibu.md)。\n:::\n"
    run = check({"events/2024-01-10-neibu.md": internal, "events/x.md": event(OK_FRONT, body)})
    assert run.code == 0, run.output


def test_public_record_of_internal_bureau(check):
    bureau = event("title: 某局\nshort_name: 某\nregion: 某市\nvisibility: internal\n")
    run = check({"bureaus/mou.md": bureau, "events/x.md": event(OK_FRONT + "bureaus: [mou]\n")})
    (line,) = only(run, "content/events/x.md")
    assert line.startswith(
        "content/events/x.md:5: 公开记录 events/x 的 bureaus 引用了内部记录 bureaus/mou"
    )


def test_unclosed_and_stray_fences(check):
    body = "公开\n:::\n\n::: intenral\n\n::: internal\n秘密\n"
    run = check({"events/x.md": event(OK_FRONT, body)})
    assert only(run, "content/events/x.md") == [
        "content/events/x.md:7: 多余的 “:::”：前面没有对应的 “::: internal”。请删掉这一行，"
        "或在内部内容前加一行 “::: internal”",
        "content/events/x.md:9: 无法识别的 “::: intenral”：内部段落以一行 “::: internal” 开始、以一行 “:::” 结束",
        "content/events/x.md:11: “::: internal” 没有结束：请在内部内容之后加一行 “:::”",
    ]


def test_fence_inside_code_block_is_literal(check):
    body = "示例：\n\n```\n::: internal\n```\n"
    run = check({"events/x.md": event(OK_FRONT, body)})
    assert run.code == 0, run.output


def test_missing_topics_file(check, tmp_path):
    run = check({})
    (tmp_path / "content" / "topics.yml").unlink()
    run = check({}, base=False)
    assert "content/topics.yml:1: 缺少 topics.yml" in run.output


def test_malformed_topics_file(check):
    run = check({"topics.yml": "anzhi-bangjiao: 安置帮教\nBad Slug: 坏\n"})
    assert (
        "content/topics.yml:2: 专题编号 “Bad Slug” 无效：只能用小写英文字母、数字和连字符"
        in run.lines
    )


def test_symlink_outside_is_never_read(check, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(EVENT, encoding="utf-8")
    (tmp_path / "content" / "events").mkdir(parents=True, exist_ok=True)
    os.symlink(secret, tmp_path / "content" / "events" / "link.md")
    run = check({})
    (line,) = only(run, "content/events/link.md")
    assert "指向内容目录之外的链接（symlink）" in line


def test_every_problem_at_once(check):
    run = check(
        {
            "events/a.md": event("title: 甲\nvisibility: public\ndate: 2024-13-01\n"),
            "events/b.md": event("title: 乙\nvisbility: public\ndate: 2024-01-01\n"),
            "policies/c.md": "",
        }
    )
    assert run.code == 1
    assert {line.split(":")[0] for line in run.lines if line.startswith("content/")} == {
        "content/events/a.md",
        "content/events/b.md",
        "content/policies/c.md",
    }


def test_usage_errors_exit_2(tmp_path):
    from tests.conftest import jiandi

    assert jiandi("check", "--content", "nowhere", cwd=tmp_path).code == 2
    assert jiandi("check", "--bogus", cwd=tmp_path).code == 2
    assert jiandi("build", "--edition", "both", cwd=tmp_path).code == 2


def test_empty_values(check):
    run = check(
        {"events/x.md": event("title:\nvisibility: public\ndate: 2024-01-05\nsummary:\ntopics:\n")}
    )
    assert only(run, "content/events/x.md") == [
        "content/events/x.md:2: “title” 不能为空：请在冒号后面填写"
    ]


def test_parallel_loading_gives_the_same_result(check, tmp_path, monkeypatch):
    from generator.check import validate
    from generator.content import load as load_mod

    check({"events/bad.md": event("title: 甲\nvisiblity: public\n"), "policies/p.md": ""})
    sequential = validate(tmp_path / "content")
    monkeypatch.setattr(load_mod, "PARALLEL_FROM", 1)
    parallel = validate(tmp_path / "content")
    assert [p.format() for p in parallel[1].sorted()] == [
        p.format() for p in sequential[1].sorted()
    ]
    assert [e.ref for e in parallel[0].all()] == [e.ref for e in sequential[0].all()]
    assert len(sequential[1].errors) == 4  # unknown key, no visibility, no date, empty file


def test_json_format(check, tmp_path):
    import json

    from tests.conftest import jiandi

    check({"events/x.md": event("title: 测试\nvisiblity: public\ndate: 2024-01-05\n")})
    run = jiandi("check", "--content", "content", "--format", "json", cwd=tmp_path)
    assert run.code == 1
    problems = json.loads(run.output[run.output.index("[") : run.output.rindex("]") + 1])
    assert problems[0] == {
        "path": "content/events/x.md",
        "line": 1,
        "column": 1,
        "severity": "error",
        "code": "JD203",
        "message": "缺少必填字段 “visibility”",
    }
    assert problems[1]["code"] == "JD201" and problems[1]["line"] == 3
    clean = jiandi(
        "check", "--content", str(tmp_path / "content"), "--format", "json", cwd=tmp_path
    )
    assert clean.code == 1  # still broken; the clean case:
    (tmp_path / "content/events/x.md").unlink()
    clean = jiandi("check", "--content", "content", "--format", "json", cwd=tmp_path)
    assert clean.code == 0 and json.loads(clean.output[clean.output.index("[") :]) == []


def test_every_code_is_documented():
    import re

    from generator.codes import CODES
    from tests.conftest import ROOT

    used = set()
    for path in (ROOT / "generator").rglob("*.py"):
        if path.name != "codes.py":  # problems.add("JD…", …) or a finding ("file", "JD…", …)
            used |= set(re.findall(r'"(JD\d{3})"', path.read_text("utf-8"))) - {"JD000"}
    assert len(used) > 40
    assert sorted(used - set(CODES)) == []  # every code used is explained
    assert sorted(set(CODES) - used) == []  # and no explanation is stale


def test_image_without_alt_text_is_a_warning(check):
    import base64

    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
    run = check({"assets/a.png": png, "events/x.md": event(OK_FRONT, "![](../assets/a.png)\n")})
    assert run.code == 0
    (line,) = only(run, "content/events/x.md")
    assert line.startswith("content/events/x.md:6: 警告: 图片 “../assets/a.png” 没有替代文字")


def test_the_same_problem_found_twice_is_counted_once():
    from pathlib import Path

    from generator.problems import Problems

    problems = Problems()
    for _ in range(3):
        problems.add("JD804", Path("site/public/x/index.html"), 1, "指向不存在的文件")
    problems.add("JD804", Path("site/public/x/index.html"), 2, "指向不存在的文件")
    assert len(problems.errors) == len(problems.sorted()) == 2
