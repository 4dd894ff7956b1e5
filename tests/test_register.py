"""The register of issues (content/booklets.yml): numbers and dates printed as registered, the
same bytes on any day, one period for both editions, and every mistake reported at its line."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import SAMPLE, jiandi

REGISTER = """\
compiler: 湖南省雁北监狱监地共建工作办公室
send_to: [湖南省监狱管理局]
copy_to: [各县市区司法局]
copies: 30
issues:
  - booklet: bureaus/lianyuan
    number: 1
    date: 2024-01-15
  - booklet: bureaus/lianyuan
    number: 2
    date: 2024-03-20
    copies: 55
"""


def _text(pdf: Path) -> str:
    return "".join((p.extract_text() or "") for p in PdfReader(pdf).pages).replace(" ", "")


@pytest.fixture
def work(tmp_path: Path) -> Path:
    shutil.copytree(SAMPLE, tmp_path / "content")
    (tmp_path / "content/booklets.yml").write_text(REGISTER, "utf-8")
    return tmp_path


def _print(work: Path, *args: str, epoch: str = "1717200000") -> Path:
    target = work / f"b-{abs(hash((args, epoch)))}.pdf"
    run = jiandi(
        "booklet", "bureau", "lianyuan", *args, "--content", "content", "--out", str(target),
        cwd=work, env={"SOURCE_DATE_EPOCH": epoch},
    )  # fmt: skip
    assert run.code == 0, run.output
    return target


def test_the_latest_issue_is_printed_with_its_number_date_and_mailing(work):
    text = _text(_print(work))
    assert "第2期" in text and "2024年3月20日" in text
    assert "报送：湖南省监狱管理局。" in text and "抄送：各县市区司法局。" in text
    assert "（共印55份）" in text  # the issue's own 印数 over the register's
    assert "湖南省雁北监狱监地共建工作办公室" in text
    # The twelve months up to the day it was compiled.
    assert "时间范围2023年4月1日—2024年3月20日" in text


def test_an_earlier_issue_prints_again_and_a_missing_one_is_refused(work):
    text = _text(_print(work, "--issue", "1"))
    assert "第1期" in text and "2024年1月15日" in text and "（共印30份）" in text
    run = jiandi("booklet", "bureau", "lianyuan", "--issue", "7", "--content", "content", cwd=work)
    assert run.code == 2 and "没有登记 bureaus/lianyuan 的第7期" in run.output, run.output


def test_a_registered_issue_is_the_same_bytes_on_any_day(work):
    one = _print(work, epoch="1717200000")  # 2024-06-01
    two = _print(work, epoch="1790000000")  # 2026-09-22
    assert one.read_bytes() == two.read_bytes()


def test_a_build_as_of_an_earlier_day_prints_what_had_been_issued_then(work):
    text = _text(_print(work, epoch="1709251200"))  # 2024-03-01: before 第2期
    assert "第1期" in text and "2024年1月15日" in text
    text = _text(_print(work, epoch="1703635200"))  # 2023-12-27: before 第1期
    assert "第1期" not in text and "2023年12月27日" in text


def test_without_the_register_the_day_of_the_build_in_beijing(work):
    (work / "content/booklets.yml").unlink()
    # 2024-05-31 18:00 UTC is 2024-06-01 02:00 in Beijing.
    text = _text(_print(work, epoch="1717178400"))
    assert "2024年6月1日" in text and "2024年5月31日" not in text
    assert "期" not in text.split("目录")[0].replace("时间范围", "")  # no number on the cover


@pytest.mark.parametrize("registered", [True, False])
def test_both_editions_cover_the_same_period(work, registered):
    if not registered:
        (work / "content/booklets.yml").unlink()
    public = _text(_print(work))
    internal = _text(_print(work, "--edition", "internal"))

    def period(text: str) -> str:
        return re.findall(r"时间范围(\d{4}年\d+月\d+日—\d{4}年\d+月\d+日)", text)[0]

    assert period(public) == period(internal)
    # The internal edition's later internal event is in its briefing, and nowhere public.
    assert "联络员首次会商" in internal and "联络员首次会商" not in public


@pytest.mark.parametrize(
    "register, line, code, words",
    [
        ("issues:\n  - booklet: bureaus/nowhere\n    number: 1\n    date: 2024-01-01\n", 2, "JD441", "nowhere"),
        ("issues:\n  - booklet: weekly\n    number: 1\n    date: 2024-01-01\n", 2, "JD441", "不是一种简报"),
        ("issues:\n  - booklet: period/2023-13\n    number: 1\n    date: 2024-01-01\n", 2, "JD441", "时间段"),
        (
            "issues:\n  - booklet: handbook\n    number: 1\n    date: 2024-01-01\n"
            "  - booklet: handbook\n    number: 1\n    date: 2024-02-01\n",
            5, "JD442", "第1期已经登记过了",
        ),
        (
            "issues:\n  - booklet: handbook\n    number: 2\n    date: 2024-01-01\n"
            "  - booklet: handbook\n    number: 3\n    date: 2023-12-01\n",
            5, "JD444", "先后不一致",
        ),
        ("issues:\n  - booklet: handbook\n    number: 1\n    date: 2099-01-01\n", 2, "JD443", "晚于今天"),
        ("issues:\n  - booklet: handbook\n    number: 1\n    date: 2024-02-30\n", 4, "JD440", "date"),
        ("issues:\n  - booklet: handbook\n    numbr: 1\n    date: 2024-01-01\n", 3, "JD440", "numbr"),
        ("copies: 十份\n", 1, "JD440", "copies"),
        ("send_to: [张三 13800138000]\n", 1, "JD601", "手机号"),
        ("issues: [\n", 2, "JD440", "YAML"),  # where the parser gave up
        (
            "issues:\n  - booklet: handbook\n    number: 1\n    date: 2024-01-01\n"
            "  - booklet: handbook\n    number: 3\n    date: 2024-03-01\n"
            "  - booklet: handbook\n    number: 2\n    date: 2023-12-01\n",
            8, "JD444", "第2期（2023-12-01）早于第1期",
        ),
        ("issues:\n  - booklet: period/0000\n    number: 1\n    date: 2024-01-01\n", 2, "JD441", "不是一种简报"),
        ("issues:\n  - booklet: period/2023-q4\n    number: 1\n    date: 2024-01-01\n", 2, "JD441", "2023-Q4"),
        ("copies: 1.5\n", 1, "JD440", "整数"),
        (
            "issues:\n  - booklet: bureaus/lianyuan\n    number: 1\n    date: 2023-12-01\n",
            2, "JD445", "还不在任何一期简报里",
        ),
    ],
)  # fmt: skip
def test_register_mistakes_are_reported_at_their_line(tmp_path, register, line, code, words):
    shutil.copytree(SAMPLE, tmp_path / "content")
    (tmp_path / "content/booklets.yml").write_text(register, "utf-8")
    run = jiandi("check", "--content", "content", "--format", "json", cwd=tmp_path)
    problems = json.loads(run.output[run.output.index("[") :])
    found = [p for p in problems if p["path"].endswith("booklets.yml")]
    assert [p for p in found if (p["line"], p["code"]) == (line, code) and words in p["message"]], (
        run.output
    )
    assert run.code == (0 if code in ("JD443", "JD445") else 1)


@pytest.mark.parametrize("kind", ["folder", "outside", "dangling", "gbk", "fifo"])
def test_a_register_jiandi_cannot_read_is_an_error_at_once(tmp_path, kind):
    shutil.copytree(SAMPLE, tmp_path / "content")
    register = tmp_path / "content/booklets.yml"
    register.unlink()
    if kind == "folder":
        register.mkdir()
    elif kind == "outside":
        (tmp_path / "elsewhere.yml").write_text(REGISTER, "utf-8")
        register.symlink_to(tmp_path / "elsewhere.yml")
    elif kind == "dangling":
        register.symlink_to(tmp_path / "nothing.yml")
    elif kind == "gbk":
        register.write_bytes("compiler: 监狱\n".encode("gbk"))
    else:
        import os

        os.mkfifo(register)
    run = jiandi("check", "--content", "content", cwd=tmp_path)
    words = {"folder": "不是一个普通文件", "outside": "内容目录之外", "dangling": "不存在",
             "gbk": "iconv", "fifo": "不是一个普通文件"}[kind]  # fmt: skip
    assert run.code == 1 and "booklets.yml:1:" in run.output and words in run.output, run.output


def test_a_public_booklet_on_demand_is_searched_for_internal_text_first(work):
    """Internal text in the register's fields (printed on every cover) is caught by the leak
    guard before the booklet is written, as the build's guard catches it on the site."""
    event = (work / "content/events/2023-12-27-ningxiang-zhuanchang.md").read_text("utf-8")
    notes = re.search(r"notes: (.+)", event)
    assert notes is not None
    secret = notes.group(1).strip()
    register = work / "content/booklets.yml"
    register.write_text(f"compiler: {secret}\n" + REGISTER.split("\n", 1)[1], "utf-8")
    run = jiandi("booklet", "handbook", "--content", "content", "--out", "h.pdf", cwd=work)
    assert run.code == 1 and "泄漏检查" in run.output and "没有写出 h.pdf" in run.output, run.output
    assert not (work / "h.pdf").exists()
    run = jiandi(
        "booklet", "handbook", "--edition", "internal", "--content", "content", "--out", "i.pdf",
        cwd=work,
    )  # fmt: skip
    assert run.code == 0 and (work / "i.pdf").exists(), run.output
