"""jiandi new: a valid record from a template, an id from date and pinyin, never an overwrite."""

from __future__ import annotations

import shutil

import pytest

from generator.check import validate
from generator.new import slug
from tests.conftest import SAMPLE, jiandi


@pytest.fixture
def work(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "content")
    return tmp_path


@pytest.mark.parametrize(
    "title, expected",
    [
        ("双峰县帮教活动", "shuangfeng-bangjiao"),
        ("涟源市专场：帮教团进高墙", "lianyuan-zhuanchang-bangjiaotuan"),
        ("2024年安置帮教工作会议", "2024-nian-anzhibangjiao"),
    ],
)
def test_slug(title, expected):
    assert slug(title) == expected


def test_new_event_is_valid_and_has_a_comment_for_every_key(work):
    run = jiandi(
        "new",
        "event",
        "--content",
        "content",
        "--title",
        "双峰县帮教活动",
        "--date",
        "2024-03-15",
        "--bureau",
        "lianyuan",
        "--topic",
        "anzhi-bangjiao",
        "--visibility",
        "public",
        cwd=work,
    )
    assert run.code == 0, run.output
    path = work / "content/events/2024-03-15-shuangfeng-bangjiao.md"
    assert run.lines[-1] == "content/events/2024-03-15-shuangfeng-bangjiao.md"
    text = path.read_text("utf-8")
    lines = text.split("---")[1].strip().splitlines()
    for index, line in enumerate(lines):
        if line and not line.startswith((" ", "#")):
            assert lines[index - 1].startswith("#"), f"no comment above {line}"
    corpus, problems = validate(work / "content")
    assert not problems.errors
    entry = corpus.get("events/2024-03-15-shuangfeng-bangjiao")
    assert entry.data.bureaus == ["lianyuan"] and entry.public
    assert any(s.internal for s in entry.segments)


@pytest.mark.parametrize(
    "kind, extra",
    [
        ("policy", ["--bureau", "lianyuan"]),
        ("agreement", ["--bureau", "kaifu"]),
        ("bureau", ["--region", "娄底市"]),
    ],
)
def test_every_kind(work, kind, extra):
    run = jiandi(
        "new",
        kind,
        "--content",
        "content",
        "--title",
        "双峰县司法局的新记录",
        "--date",
        "2024-04-01",
        "--visibility",
        "internal",
        *extra,
        cwd=work,
    )
    assert run.code == 0, run.output
    assert run.lines[-1].startswith("content/")
    _, problems = validate(work / "content")
    assert not problems.errors, problems.sorted()


def test_serial_is_the_next_free_one(work):
    run = jiandi(
        "new",
        "policy",
        "--content",
        "content",
        "--title",
        "低保怎么申请",
        "--date",
        "2024-04-01",
        "--bureau",
        "lianyuan",
        "--visibility",
        "public",
        cwd=work,
    )
    assert run.code == 0, run.output
    text = (work / run.lines[-1]).read_text("utf-8")
    # issued by the first body listed (the prison), which has 1–3 and an internal 4 in 2024
    assert "serial: 5" in text and 'issuer: "湖南省雁北监狱"' in text


def test_never_overwrites(work):
    args = [
        "new",
        "event",
        "--content",
        "content",
        "--title",
        "重复的标题",
        "--date",
        "2024-01-01",
        "--visibility",
        "public",
    ]
    assert jiandi(*args, cwd=work).code == 0
    path = work / "content/events/2024-01-01-chongfu-biaoti.md"
    path.write_text(path.read_text("utf-8") + "\n作者改过。\n", "utf-8")
    run = jiandi(*args, cwd=work)
    assert run.code == 1 and "不会覆盖" in run.output
    assert "作者改过" in path.read_text("utf-8")


def test_usage_errors(work):
    base = ["new", "event", "--content", "content", "--title", "标题"]
    assert jiandi(*base, "--bureau", "nope", "--visibility", "public", cwd=work).code == 2
    assert jiandi(*base, "--topic", "nope", "--visibility", "public", cwd=work).code == 2
    assert jiandi(*base, cwd=work).code == 2  # no visibility and nobody to ask
    assert (
        jiandi(
            "new",
            "agreement",
            "--content",
            "content",
            "--title",
            "协议",
            "--visibility",
            "public",
            cwd=work,
        ).code
        == 2
    )
