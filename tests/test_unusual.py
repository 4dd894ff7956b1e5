"""More broken inputs, and valid-but-unusual input that must keep working."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import SAMPLE, jiandi, write_tree
from tests.test_load import OK_FRONT, event, only


@pytest.mark.parametrize(
    "encoding, guess", [("utf-16", "不是 UTF-8 编码"), ("gb18030", "GBK"), ("big5", "")]
)  # big5 bytes are also valid GBK
def test_other_encodings(check, encoding, guess):
    text = "---\ntitle: 監獄幫教\nvisibility: public\ndate: 2024-01-05\n---\n正文\n"
    run = check({"events/x.md": text.encode(encoding)})
    (line,) = only(run, "content/events/x.md")
    assert guess in line and "只读 UTF-8" in line


def test_topics_file_is_a_list(check):
    run = check({"topics.yml": "- 安置帮教\n- 法治教育\n"})
    assert (
        "content/topics.yml:1: topics.yml 必须是“编号: 名称”的列表，例如 anzhi-bangjiao: 安置帮教"
        in run.lines
    )


def test_topics_file_yaml_error(check):
    run = check({"topics.yml": "anzhi-bangjiao: 安置帮教\nfazhi: [法治\n"})
    (line,) = only(run, "content/topics.yml")
    assert line.startswith("content/topics.yml:") and "YAML 格式错误" in line


def test_topic_without_name(check):
    run = check({"topics.yml": "anzhi-bangjiao:\n  description: 没有名称\n"})
    assert "content/topics.yml:1: 专题 anzhi-bangjiao: 缺少必填字段 “name”" in run.lines


def test_record_in_a_subfolder(check):
    run = check({"events/2023/x.md": event(OK_FRONT)})
    assert "content/events/2023/x.md:1: 记录要直接放在 events/ 下，不能放在子目录里" in run.lines


def test_parent_cycle(check):
    run = check(
        {
            "events/a.md": event(OK_FRONT + "parent: b\n"),
            "events/b.md": event(OK_FRONT + "parent: a\n"),
        }
    )
    assert any("上级新闻形成了循环" in line for line in only(run, "content/events/a.md"))


def test_figure_without_source(check):
    front = OK_FRONT + "figures:\n  - label: 人数\n    value: 3\n    as_of: 2023-13\n"
    run = check({"events/x.md": event(front)})
    assert only(run, "content/events/x.md") == [
        "content/events/x.md:6: 缺少必填字段 “source”（在 figures 第 1 项 里）",
        'content/events/x.md:8: figures 第 1 项的 as_of: "2023-13" 的月份不存在：请写成 YYYY-MM，例如 2023-12',
    ]


def test_image_without_file_and_external_image(check):
    run = check({"events/x.md": event(OK_FRONT, "![外部](https://img.example.com/a.jpg)\n")})
    (line,) = only(run, "content/events/x.md")
    assert line.startswith(
        "content/events/x.md:6: 图片 “https://img.example.com/a.jpg” 在其他网站上"
    )


# Valid but unusual: each must build.


def build_with(tmp_path, files):
    shutil.copytree(SAMPLE, tmp_path / "content")
    write_tree(tmp_path / "content", files)
    return jiandi("build", "--no-booklets", "--content", "content", cwd=tmp_path)


def test_no_final_newline_and_no_body(tmp_path):
    run = build_with(
        tmp_path,
        {
            "events/2024-02-01-a.md": "---\ntitle: 没有结尾换行\nvisibility: public\ndate: 2024-02-01\n---\n正文",
            "events/2024-02-02-b.md": "---\ntitle: 没有正文\nvisibility: public\ndate: 2024-02-02\n---",
            "policies/c.md": "---\ntitle: 没有正文的解读\nvisibility: public\n---\n",
        },
    )
    assert run.code == 0, run.output
    assert "没有正文" in (tmp_path / "site/public/events/2024-02-02-b/index.html").read_text(
        "utf-8"
    )


def test_chinese_punctuation_in_titles(tmp_path):
    title = "“监地齐携手·帮扶促改造”——问答（一）：《监狱法》第68条？！【附】"
    run = build_with(
        tmp_path, {"policies/wenda.md": f"---\ntitle: {title}\nvisibility: public\n---\n正文。\n"}
    )
    assert run.code == 0, run.output
    page = (tmp_path / "site/public/policies/wenda/index.html").read_text("utf-8")
    assert "“监地齐携手·帮扶促改造”——问答（一）：《监狱法》第68条？！【附】" in page
    assert "【附】" in (tmp_path / "site/public/policies/index.html").read_text("utf-8")


def test_title_with_markdown_and_html_characters(tmp_path):
    title = "标题里有 [方括号] *星号* 和 <b>尖括号</b> & 符号"
    run = build_with(
        tmp_path, {"policies/fuhao.md": f'---\ntitle: "{title}"\nvisibility: public\n---\n正文。\n'}
    )
    assert run.code == 0, run.output
    index = (tmp_path / "site/public/policies/index.html").read_text("utf-8")
    assert "&lt;b&gt;尖括号&lt;/b&gt;" in index and "<b>尖括号</b>" not in index


def test_very_long_body(tmp_path):
    paragraph = "监狱与司法局共同做好安置帮教工作，帮助刑满释放人员顺利回归社会。" * 20 + "\n\n"
    body = paragraph * (5 * 2**20 // len(paragraph.encode()) + 1)
    assert len(body.encode()) > 5 * 2**20
    run = check_only(
        tmp_path, {"policies/chang.md": f"---\ntitle: 很长的解读\nvisibility: public\n---\n{body}"}
    )
    assert run.code == 0, run.output
    run = jiandi(
        "build", "--no-booklets", "--content", "content", "--edition", "public", cwd=tmp_path
    )
    assert run.code == 0, run.output
    assert (tmp_path / "site/public/policies/chang/index.html").stat().st_size > 5 * 2**20


def check_only(tmp_path, files):
    shutil.copytree(SAMPLE, tmp_path / "content")
    write_tree(tmp_path / "content", files)
    return jiandi("check", "--content", "content", cwd=tmp_path)


def test_a_record_refused_for_its_own_error_is_reported_once(tmp_path):
    """A bureau with a misspelt key is reported at the bureau, not once more in every record
    that names the bureau (they are right; the bureau is what to fix)."""
    shutil.copytree(SAMPLE, tmp_path / "content")
    bureau = tmp_path / "content/bureaus/lianyuan.md"
    bureau.write_text(bureau.read_text("utf-8").replace("region:", "regoin:", 1), "utf-8")
    run = jiandi("check", "--content", "content", cwd=tmp_path)
    assert run.code == 1
    errors = [line for line in run.lines if line.startswith("content/")]
    assert errors and all(e.startswith("content/bureaus/lianyuan.md:") for e in errors), run.output
    assert any(e.startswith("content/bureaus/lianyuan.md:4:") and "“region”" in e for e in errors)
