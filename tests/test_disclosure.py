"""Disclosure metadata: index numbers that do not move, validity with a visible notice."""

from __future__ import annotations

import shutil

from generator.check import validate
from generator.content.disclosure import index_numbers
from generator.new import site_issuers
from tests.conftest import SAMPLE, jiandi, write_tree
from tests.test_load import event, only

POLICY = "title: {t}\nvisibility: {v}\ndate: {d}\nbureaus: [lianyuan]\n"


def numbers(root):
    corpus, problems = validate(root)
    assert not problems.errors, problems.sorted()
    return {ref: str(n) for ref, n in index_numbers(corpus, site_issuers()).items()}


def test_sample_numbers():
    got = numbers(SAMPLE)
    assert got["policies/anzhi-bangjiao-fanwei"] == "11430000EXAMPLE001/2024-00001"
    assert got["policies/yibao-guodu-anzhi"] == "11431382EXAMPLE002/2024-00002"
    assert (
        got["agreements/2023-12-27-kaifu-xieyi"] == "11430000EXAMPLE001/2023-00002"
    )  # the prison issues agreements


def test_written_serials_never_move_and_internal_records_never_shift_public_ones(check, tmp_path):
    check(
        {
            "policies/a.md": event(
                POLICY.format(t="甲", v="public", d="2024-03-01") + "serial: 7\n"
            ),
            "policies/b.md": event(POLICY.format(t="乙", v="public", d="2024-05-01")),
        }
    )
    before = numbers(tmp_path / "content")
    assert before["policies/a"] == "11430000EXAMPLE001/2024-00007"
    assert before["policies/b"] == "11430000EXAMPLE001/2024-00001"
    check(
        {
            "policies/c.md": event(POLICY.format(t="丙", v="internal", d="2024-01-01")),
            "policies/d.md": event(
                POLICY.format(t="丁", v="public", d="2024-02-01") + "serial: 1\n"
            ),
        }
    )
    after = numbers(tmp_path / "content")
    assert after["policies/a"] == "11430000EXAMPLE001/2024-00007"  # written: never moves
    assert after["policies/d"] == "11430000EXAMPLE001/2024-00001"
    assert (
        after["policies/b"] == "11430000EXAMPLE001/2024-00002"
    )  # unwritten: moved, and warned about
    assert after["policies/c"] == "11430000EXAMPLE001/2024-00003"  # internal ones come after public


def test_unwritten_serial_is_a_warning(check):
    run = check({"policies/b.md": event(POLICY.format(t="乙", v="public", d="2024-05-01"))})
    assert run.code == 0
    assert (
        "content/policies/b.md:1: 警告: 索引号 11430000EXAMPLE001/2024-00001 的序号还没有固定：发布前请在 "
        "front matter 加一行 serial: 1，以后不再改动"
    ) in run.lines


def test_duplicate_serial_names_both(check):
    run = check(
        {
            "policies/a.md": event(
                POLICY.format(t="甲", v="public", d="2024-03-01") + "serial: 3\n"
            ),
            "policies/b.md": event(
                POLICY.format(t="乙", v="public", d="2024-05-01") + "serial: 3\n"
            ),
        }
    )
    assert only(run, "content/policies/b.md") == [
        "content/policies/b.md:6: serial: 索引号 11430000EXAMPLE001/2024-00003 已被 "
        "policies/a（a.md）使用：请换一个序号"
    ]


def test_status_needs_a_date(check):
    run = check(
        {
            "policies/a.md": event(
                POLICY.format(t="甲", v="public", d="2024-03-01") + "serial: 1\nstatus: 已废止\n"
            )
        }
    )
    assert only(run, "content/policies/a.md") == [
        "content/policies/a.md:7: status: “已废止” 需要写明日期：请加一行 status_date: YYYY-MM-DD"
    ]
    run = check(
        {
            "policies/a.md": event(
                POLICY.format(t="甲", v="public", d="2024-03-01") + "serial: 1\nstatus: 作废\n"
            )
        }
    )
    (line,) = only(run, "content/policies/a.md")
    assert line.startswith("content/policies/a.md:7: status: “作废” 不是可选的值")


def test_pages_show_disclosure_and_notice(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "content")
    write_tree(
        tmp_path / "content",
        {
            "policies/jiu-zhengce.md": "---\ntitle: 旧的医保解读\nvisibility: public\nserial: 9\n"
            "date: 2023-06-01\nwritten: 2023-05-20\nissuer: 涟源市司法局\nbureaus: [lianyuan]\n"
            "status: 已修订\nstatus_date: 2024-01-08\nreplaced_by: policies/yibao-guodu-anzhi\n---\n旧内容。\n",
            "agreements/2020-01-01-jiu-xieyi.md": "---\ntitle: 旧协议\nvisibility: public\nserial: 1\n"
            "date: 2020-01-01\nbureaus: [lianyuan]\nvalid_until: 2022-12-31\nstatus: 已失效\n"
            "status_date: 2023-01-01\n---\n正文。\n",
        },
    )
    assert (
        jiandi(
            "build", "--no-booklets", "--content", "content", "--edition", "public", cwd=tmp_path
        ).code
        == 0
    )
    page = (tmp_path / "site/public/policies/jiu-zhengce/index.html").read_text("utf-8")
    for text in (
        "索引号",
        "11431382EXAMPLE002/2023-00009",  # issued by 涟源市司法局: its code
        "发布机构",
        "涟源市司法局",
        "成文日期",
        "2023年5月20日",
        "发布日期",
        "2023年6月1日",
        "主题分类",
        "有效性",
        "已修订（2024年1月8日）",
        "本解读已于2024年1月8日修订，内容仅供查阅",
        'href="../yibao-guodu-anzhi/"',
    ):
        assert text in page, text
    assert "admonition warning" in page
    current = (tmp_path / "site/public/policies/yibao-guodu-anzhi/index.html").read_text("utf-8")
    assert "admonition" not in current and "有效性</th><td>有效" in current
    index = (tmp_path / "site/public/agreements/index.html").read_text("utf-8")
    assert index.index("有效（4 份）") < index.index("已失效（1 份）")
    old = (tmp_path / "site/public/agreements/2020-01-01-jiu-xieyi/index.html").read_text("utf-8")
    assert "2020年1月1日起至2022年12月31日" in old


def test_index_number_takes_the_issuers_code_and_a_division_its_bodys(check, tmp_path):
    check(
        {
            "policies/a.md": event(
                POLICY.format(t="甲", v="public", d="2024-03-01") + "issuer: 涟源市司法局\n"
            ),
            "policies/b.md": event(
                POLICY.format(t="乙", v="internal", d="2024-03-02")
                + "issuer: 湖南省雁北监狱教育改造科\n"
            ),
        }
    )
    got = numbers(tmp_path / "content")
    assert got["policies/a"] == "11431382EXAMPLE002/2024-00001"
    # the prison's division, though the record names a bureau: never the bureau's prefix
    assert got["policies/b"] == "11430000EXAMPLE001/2024-00001"


def test_issuer_without_a_code_is_a_warning_at_its_line(check):
    run = check(
        {
            "policies/a.md": event(
                POLICY.format(t="甲", v="public", d="2024-03-01") + "issuer: 某某县司法局\n"
            )
        }
    )
    assert run.code == 0
    assert any(
        line.startswith("content/policies/a.md:6: 警告")
        and "某某县司法局" in line
        and "issuers" in line
        for line in run.lines
    ), run.output


def test_without_issuers_there_is_no_index_number_and_a_warning(tmp_path):
    from tests.conftest import ROOT

    shutil.copytree(SAMPLE, tmp_path / "content")
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    start = text.index("    issuers:\n")
    end = text.index("    # What a government website", start)
    (tmp_path / "mkdocs.yml").write_text(text[:start] + text[end:], "utf-8")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    run = jiandi("check", "--content", "content", cwd=tmp_path)
    assert run.code == 0, run.output
    assert any("mkdocs.yml:1: 警告" in line and "issuers" in line for line in run.lines), run.output
    built = jiandi(
        "build", "--no-booklets", "--content", "content", "--edition", "public", cwd=tmp_path
    )
    assert built.code == 0, built.output
    page = (tmp_path / "site/public/policies/anzhi-bangjiao-fanwei/index.html").read_text("utf-8")
    assert "索引号</th><td>—</td>" in page


def test_an_issuer_code_that_is_a_personal_number_is_refused_at_check(tmp_path):
    from tests.conftest import check_with_settings

    shutil.copytree(SAMPLE, tmp_path / "content")
    run = check_with_settings(
        tmp_path, "湖南省雁北监狱: 11430000EXAMPLE001", "湖南省雁北监狱: '110101199003077571'"
    )
    assert run.code == 1
    assert any(line.startswith("mkdocs.yml:") and "身份证" in line for line in run.lines), (
        run.output
    )
