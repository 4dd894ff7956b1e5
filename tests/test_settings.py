"""The site settings (mkdocs.yml) are typed: a wrong value or an unknown key is a `check`
error at its line, with a did-you-mean, and `build` refuses to start rather than crash."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import ROOT, SAMPLE, jiandi


@pytest.fixture
def site(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "content")
    base = (ROOT / "mkdocs.yml").read_text("utf-8")

    def write(old: str, new: str) -> str:
        assert old in base
        text = base.replace(old, new, 1)
        (tmp_path / "mkdocs.yml").write_text(text, "utf-8")
        return text

    return tmp_path, write


def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


def test_a_word_where_a_number_belongs_is_a_check_error_at_its_line(site):
    work, write = site
    text = write("latest: 8", "latest: eight")
    run = jiandi("check", "--content", "content", cwd=work)
    assert run.code == 1
    assert (
        f"mkdocs.yml:{_line(text, 'latest: eight')}: 站点设置 extra.jiandi.latest: "
        f"应该是一个数字，现在是 “eight”"
    ) in run.output, run.output
    build = jiandi("build", "--content", "content", "--out", "site", cwd=work)
    assert build.code == 1 and "内部错误" not in build.output and "latest" in build.output
    assert not (work / "site").exists()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "latest: 8",
            "lastest: 8",
            "未知的设置 “extra.jiandi.lastest”（MkDocs 和 jiandi 都没有这个设置）："
            "是不是要写 “latest”？",
        ),
        (
            "site_name: 监地共建",
            "site_nmae: 监地共建",
            "未知的设置 “site_nmae”（MkDocs 和 jiandi 都没有这个设置）：是不是要写 “site_name”？",
        ),
        ("briefing_months: 12", "briefing_months: -3", "extra.jiandi.briefing_months: "),
        (
            "site_url: https://jiandi.example.cn/",
            "site_url: jiandi.example.cn",
            "site_url: “jiandi.example.cn” 不是网站地址",
        ),
        (
            "allowed_hosts: []",
            "allowed_hosts: [https://cdn.example.com/x]",
            "不是网站域名：写域名本身",
        ),
        ("name: material", "name: readthedocs", "theme.name: "),
        ("intro: |-", "intro: [a, b]\n    old_intro: |-", "extra.jiandi.intro: 应该是一段文字"),
    ],
)
def test_wrong_settings_are_named_at_their_line(site, old, new, expected):
    work, write = site
    text = write(old, new)
    run = jiandi("check", "--content", "content", cwd=work)
    assert run.code == 1, run.output
    first = new.split("\n")[0]
    line = _line(text, first)
    assert any(f"mkdocs.yml:{line}: " in shown and expected in shown for shown in run.lines), (
        run.output
    )


def test_a_setting_written_twice_is_an_error(site):
    work, write = site
    text = write(
        "site_author: 湖南省雁北监狱", "site_author: 湖南省雁北监狱\nsite_author: 别的单位"
    )
    run = jiandi("check", "--content", "content", cwd=work)
    assert run.code == 1
    assert f"mkdocs.yml:{_line(text, '别的单位')}: " in run.output and "写了两次" in run.output


def test_other_mkdocs_settings_are_accepted(site):
    work, write = site
    write(
        "site_author: 湖南省雁北监狱",
        "site_author: 湖南省雁北监狱\ndev_addr: 127.0.0.1:8001\nrepo_name: jiandi",
    )
    run = jiandi("check", "--content", "content", cwd=work)
    assert run.code == 0, run.output


def test_the_sample_settings_are_valid():
    from generator.config import load_base_config, settings_of

    settings = settings_of(load_base_config(ROOT / "mkdocs.yml"))
    assert settings.jiandi.latest == 8 and settings.jiandi.allowed_hosts == []
    assert settings.template_values()["site_name"] == "监地共建"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("latest: 8", "latest: true", "extra.jiandi.latest: 应该是一个数字"),
        (
            "briefing_months: 12",
            'briefing_months: "12"',
            "extra.jiandi.briefing_months: 应该是一个数字",
        ),
        ("latest: 8", "latest: 0", "extra.jiandi.latest: 不能小于 1"),
        ("language: zh", "language: klingon", "没有 “klingon” 这种界面语言"),
        ("language: zh", "langauge: zh", "未知的设置 “theme.langauge”"),
        ("  - tables\n", "  - tables\n  - {}\n", "每一项写一个名字"),
        (
            "markdown_extensions:\n  - abbr",
            "markdown_extensions: 5\nx_old:\n  - abbr",
            "markdown_extensions: 应该是一个列表",
        ),
        ("plugins:\n  - search:", "plugins:\n  - privacy\n  - search:", "不接受插件 “privacy”"),
        ("      lang: zh", "      lang: 5", "MkDocs 不接受这个值"),
        (
            "site_author: 湖南省雁北监狱",
            "site_author: 湖南省雁北监狱\ndev_addr: 5",
            "dev_addr: MkDocs 不接受",
        ),
        (
            "site_author: 湖南省雁北监狱",
            "site_author: 湖南省雁北监狱\nINHERIT: base.yml",
            "不支持 INHERIT",
        ),
        (
            "site_author: 湖南省雁北监狱",
            "site_author: 湖南省雁北监狱\nextra_css: 5",
            "extra_css: 应该是一个列表",
        ),
    ],
)
def test_settings_of_the_wrong_shape_are_errors_not_crashes(site, old, new, expected):
    work, write = site
    write(old, new)
    run = jiandi("check", "--content", "content", cwd=work)
    assert run.code == 1 and expected in run.output, run.output
    assert "内部错误" not in run.output and "Traceback" not in run.output


def test_what_jiandi_sets_itself_is_a_warning(site):
    work, write = site
    text = write("site_author: 湖南省雁北监狱", "site_author: 湖南省雁北监狱\ndocs_dir: mydocs")
    run = jiandi("check", "--content", "content", cwd=work)
    assert run.code == 0, run.output
    assert (
        f"mkdocs.yml:{_line(text, 'docs_dir: mydocs')}: 警告: docs_dir: 这一项不起作用"
        in run.output
    )


@pytest.mark.parametrize(
    "data",
    [
        "site_name: 监地共建\n".encode("gbk"),
        b"site_name: x\nfoo: \xff\xfe\n",
        b"site_name: !ENV [NAME, x]\n",
    ],
)
def test_unreadable_settings_are_named_with_what_to_do(tmp_path, data):
    shutil.copytree(SAMPLE, tmp_path / "content")
    (tmp_path / "mkdocs.yml").write_bytes(data)
    run = jiandi("check", "--content", "content", cwd=tmp_path)
    assert run.code == 1 and "mkdocs.yml:1: " in run.output, run.output
    assert "内部错误" not in run.output
    assert "UTF-8" in run.output or "YAML 标签" in run.output


def test_an_anchor_does_not_move_the_lines_of_later_keys(site):
    work, write = site
    text = write("site_author: 湖南省雁北监狱", "site_author: 湖南省雁北监狱\nx: &a 1\ny: *a")
    run = jiandi("check", "--content", "content", cwd=work)
    assert f"mkdocs.yml:{_line(text, 'x: &a')}: 未知的设置 “x”" in run.output, run.output
    assert f"mkdocs.yml:{_line(text, 'y: *a')}: 未知的设置 “y”" in run.output, run.output
