"""Fail closed: unusual but plausible input is refused, never published (issue 14).

Each test names the class of input it covers; property tests at the end try random mixes."""

from __future__ import annotations

import fcntl
import io
import os
import shutil
import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content import sections, yamlstrict
from generator.content.personal import as_read
from generator.content.personal import find as find_numbers
from generator.guard import markup, published
from generator.guard import run as published_run
from generator.media import assets, attachments
from tests.conftest import SAMPLE, check_with_settings, jiandi, write_tree
from tests.test_site import tree_hash

SECRET = "监区三楼的值班安排只给工作人员看"


def _event(body: str, front: str = "") -> str:
    return "---\ntitle: 测试新闻\nvisibility: public\ndate: 2024-01-02\n" + front + "---\n" + body


# 1. Internal blocks, one notion of structure -------------------------------------------------

ODD_FENCES = {
    "indented": "  ::: internal\n  {s}\n  :::\n",
    "indented code": "正文。\n\n    ::: internal\n    {s}\n    :::\n",
    "blockquote": "> ::: internal\n> {s}\n> :::\n",
    "admonition": "!!! note\n    ::: internal\n    {s}\n    :::\n",
    "list item": "- ::: internal\n- {s}\n- :::\n",
    "full-width colons": "：：： internal\n{s}\n：：：\n",
    "zero-width space": ":\u200b:: internal\n{s}\n:::\n",
    "small colons": "\ufe55\ufe55\ufe55 internal\n{s}\n:::\n",
    "nbsp inside": ":::\u00a0internal\n{s}\n:::\n",
    "fence in a list": "- 项目\n\n    ```\n    ::: internal\n    ```\n\n{s}\n",
}


@pytest.mark.parametrize("form", sorted(ODD_FENCES))
def test_odd_internal_fence_is_an_error_at_its_line(check, form):
    run = check({"events/2024-01-02-x.md": _event(ODD_FENCES[form].format(s=SECRET))})
    assert run.code == 1
    assert any(
        line.startswith("content/events/2024-01-02-x.md:") and "内部段落" in line
        for line in run.lines
    ), run.output


def test_unclosed_code_fence_does_not_hide_an_internal_block():
    """Python-Markdown does not read an unclosed fence as code: neither does the split."""
    body = "```\n代码\n::: internal\n" + SECRET + "\n:::\n"
    segments, problems = sections.split(body, 6)
    assert not problems
    assert all(SECRET not in s.text for s in segments if not s.internal)


def test_closed_code_fence_keeps_fence_lines_literal():
    body = "```markdown\n::: internal\n内部\n:::\n```\n之后。"
    segments, problems = sections.split(body, 6)
    assert not problems and [s.internal for s in segments] == [False]


def test_fence_closed_by_a_longer_run_is_not_code():
    """superfences closes a fence only with the same run: a longer one leaves it text."""
    body = "```\n::: internal\n" + SECRET + "\n:::\n`````\n"
    segments, problems = sections.split(body, 6)
    assert not problems
    assert all(SECRET not in s.text for s in segments if not s.internal)


def test_no_fence_like_line_left_in_public_part():
    """Removing an internal block that opens a code fence cannot leave a fence-like line in
    public text: what remains is checked again."""
    body = "::: internal\n```\n:::\n::: internal\n" + SECRET + "\n:::\n"
    segments, problems = sections.split(body, 6)
    assert problems or all(SECRET not in s.text for s in segments if not s.internal)


# 3. No aliases ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "front",
    [
        "internal:\n  notes: &n 内部说明\nsummary: *n\n",
        "summary: &s 摘要\n",
        "internal:\n  contacts: &c {name: 王某}\nfigures:\n  - <<: *c\n",
    ],
)
def test_yaml_anchor_alias_and_merge_refused_with_line(check, front):
    run = check({"events/2024-01-02-x.md": _event("正文。\n", front)})
    assert run.code == 1
    assert any(
        "锚点、引用和合并" in line and ":5:" in line or "锚点、引用和合并" in line
        for line in run.lines
    ), run.output


def test_alias_line_is_the_alias():
    with pytest.raises(yamlstrict.YamlProblem) as raised:
        yamlstrict.load("a: 1\nb: *x\n", 3)
    assert raised.value.line in (3, 4)


# 2. Personal data through markup -----------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "139**1234**5678",
        "139<span>1234</span>5678",
        "&#49;&#51;&#57;&#49;&#50;&#51;&#52;&#53;&#54;&#55;&#56;",
        "139\u200b1234\u200b5678",
        "139\u20601234\u20605678",
        "139\u00ad1234\u00ad5678",
        "139\u00a01234\u00a05678",
        "139\u20091234\u20095678",
        "139`1234`5678",
        "１３９１２３４５６７８",
    ],
)
def test_split_mobile_number_refused_at_check(check, written):
    run = check({"events/2024-01-02-x.md": _event(f"家属电话：{written}。\n")})
    assert run.code == 1
    assert any(":6:" in line and "手机号" in line for line in run.lines), run.output


def test_numbers_in_topics_and_file_names_refused(check):
    run = check(
        {"topics.yml": "anzhi-bangjiao: 安置帮教 13912345678\n", "assets/13912345678.png": b"x"}
    )
    assert run.code == 1
    assert any(line.startswith("content/topics.yml:1:") and "手机号" in line for line in run.lines)
    assert any("13912345678.png" in line and "文件名" in line for line in run.lines)


# 4./5. Links and loads ----------------------------------------------------------------------

INTERNAL_POLICY = "---\ntitle: 内部指引\nvisibility: internal\n---\n内部。\n"


@pytest.mark.parametrize(
    "link",
    [
        '<a href="../../policies/neibu/">内部</a>',
        "[内部](https://jiandi.example.cn/policies/neibu/)",
        '<a href="https://jiandi.example.cn/policies/neibu/">内部</a>',
    ],
)
def test_link_to_internal_page_in_any_form_refused(check, link):
    run = check(
        {"policies/neibu.md": INTERNAL_POLICY, "events/2024-01-02-x.md": _event(f"见{link}。\n")}
    )
    assert run.code == 1
    assert any(":6:" in line and "内部记录 policies/neibu" in line for line in run.lines), (
        run.output
    )


@pytest.mark.parametrize(
    "image",
    [
        '<img src="https://cdn.example.com/a.png" alt="a">',
        "![图][cdn]\n\n[cdn]: https://cdn.example.com/a.png",
    ],
)
def test_image_from_another_host_refused(check, image):
    run = check({"events/2024-01-02-x.md": _event(f"{image}\n")})
    assert run.code == 1 and "在其他网站上" in run.output, run.output


@pytest.mark.parametrize(
    "setting",
    [
        "extra_javascript:\n  - https://cdn.example.com/x.js\n",
        "extra_css:\n  - https://cdn.example.com/x.css\n",
        "repo_url: https://github.com/example/x\n",
    ],
)
def test_mkdocs_yml_load_from_another_host_refused(tmp_path, content, setting):
    run = check_with_settings(tmp_path, extra=setting)
    assert run.code == 1 and "mkdocs.yml:" in run.output and "其他网站" in run.output, run.output
    allowed = "allowed_hosts: [cdn.example.com, github.com]"
    run = check_with_settings(tmp_path, "allowed_hosts: []", allowed, extra=setting)
    assert run.code == 0, run.output


def _context(files: set[str], **options: object) -> published.Context:
    return published.Context(frozenset(files), "https://jiandi.example.cn/", **options)  # type: ignore[arg-type]


def test_output_check_refuses_scripts_and_styles_from_other_hosts():
    page = (
        '<html><head><link rel="stylesheet" href="https://cdn.example.com/a.css">'
        '<script src="//cdn.example.com/a.js"></script>'
        '<script>var s="https://www.googletagmanager.com/gtag/js"</script></head>'
        '<body><a href="https://www.gov.cn/">国务院</a><iframe src="https://v.example.com/"></iframe>'
        '<div style="background:url(https://img.example.com/b.png)"></div></body></html>'
    )
    found = published.check_html("index.html", page, _context({"index.html"}))
    hosts = sorted({f[3] for f in found})
    assert [f[1] for f in found].count("JD802") == 4
    assert "www.googletagmanager.com" in hosts
    assert not any("www.gov.cn" in f[2] for f in found)  # a plain link elsewhere is fine
    allowed = _context(
        {"index.html"},
        allowed_hosts=frozenset(
            {"cdn.example.com", "v.example.com", "img.example.com", "www.googletagmanager.com"}
        ),
    )
    assert not published.check_html("index.html", page, allowed)


def test_output_check_resolves_every_link_in_the_edition():
    files = {"index.html", "events/", "events/a/", "events/a/index.html", "assets/x.png"}
    context = _context(files, internal_pages={"policies/neibu": "policies/neibu"})
    page = (
        '<a href="../../">首页</a><a href="../../assets/x.png">图</a>'
        '<a href="https://jiandi.example.cn/events/a/">绝对</a>'
        '<a href="../../policies/neibu/">内部</a><img src="../../assets/y.png" alt="">'
        '<a href="/events/b/">无</a>'
    )
    found = published.check_html("events/a/index.html", page, context)
    messages = [f[2] for f in found]
    assert len(found) == 3, messages
    assert any("只在内部版中存在" in m for m in messages)
    assert sum("不存在" in m for m in messages) == 2


def test_output_check_reads_numbers_through_markup():
    page = "<p>电话 139<strong>1234</strong>&#53;678 和 <span>4305</span>24199001011234</p>"
    found = published.check_html(
        "a.html", page.replace("4305</span>24199001011234", ""), _context({"a.html"})
    )
    assert any(f[1] == "JD602" and f[3] == "13912345678" for f in found)


def test_output_check_fence_text_outside_code():
    page = "<p>::: internal</p><pre><code>::: internal</code></pre>"
    found = published.check_html("a.html", page, _context({"a.html"}))
    assert [f[1] for f in found] == ["JD303"]


# 6. Assets ----------------------------------------------------------------------------------


def _image(kind: str, **info: object) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, kind, **info)
    return out.getvalue()


def test_webp_exif_and_xmp_removed():
    from PIL import Image

    exif = Image.Exif()
    exif[0x010E] = "拍摄于监区三楼"  # ImageDescription
    data = _image("WEBP", exif=exif.tobytes(), xmp=b"<x:xmpmeta>secret</x:xmpmeta>", lossless=True)
    assert b"secret" in data
    clean = assets.cleaned(".webp", data)
    assert b"secret" not in clean and "拍摄".encode() not in clean
    assert not assets.published_problems(".webp", clean)
    assert Image.open(io.BytesIO(clean)).size == (4, 4)


def test_gif_comment_removed():
    data = _image("GIF", comment=b"secret comment")
    assert b"secret" in data
    clean = assets.cleaned(".gif", data)
    assert b"secret" not in clean and not assets.published_problems(".gif", clean)


def test_jpeg_unknown_application_segments_dropped():
    data = _image("JPEG")
    marker = b"\xff\xeb" + struct.pack(">H", 12) + b"secretdata"
    data = data[:2] + marker + data[2:]
    assert b"secretdata" not in assets.cleaned(".jpg", data)


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<use xlink:href="https://evil.example.com/a.svg#x"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://e.example.com/a)"/></svg>',
    ],
)
def test_unsafe_svg_refused_at_check(check, svg):
    run = check(
        {
            "assets/chart.svg": svg,
            "events/2024-01-02-x.md": _event("![图表](../assets/chart.svg)\n"),
        }
    )
    assert run.code == 1 and "附件 assets/chart.svg 不能公开" in run.output, run.output


def test_plain_svg_accepted():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4" fill="#c00"/></svg>'
    assert not attachments.svg_problems(svg)


@pytest.mark.parametrize("name", ["assets/报告.docx", "assets/表格.xlsx", "assets/a.zip"])
def test_office_files_refused_in_public_content(check, name):
    run = check({name: b"PK\x03\x04", "events/2024-01-02-x.md": _event(f"[附件](../{name})\n")})
    assert run.code == 1 and "不能公开" in run.output, run.output


def test_office_file_in_internal_section_is_fine(check):
    run = check(
        {
            "assets/报告.docx": b"PK\x03\x04",
            "events/2024-01-02-x.md": _event("::: internal\n[附件](../assets/报告.docx)\n:::\n"),
        }
    )
    assert run.code == 0, run.output


def _pdf(author: str, text_js: bool = False) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_metadata({"/Author": author, "/Company": "雁北监狱"})
    if text_js:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('x');"),
            }
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_metadata_removed_and_scripts_refused():
    from pypdf import PdfReader

    clean = assets.cleaned(".pdf", _pdf("张三"))
    metadata = PdfReader(io.BytesIO(clean)).metadata or {}
    assert "/Author" not in metadata and "/Company" not in metadata
    assert not assets.published_problems(".pdf", clean)
    assert attachments.pdf_problems(_pdf("x", text_js=True))
    with pytest.raises(assets.AssetRefused):
        assets.cleaned(".pdf", _pdf("x", text_js=True))


# 7.-11. Building: all or nothing, never touching what is not ours ---------------------------


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    shutil.copytree(SAMPLE, tmp_path / "content")
    return tmp_path


def _build(work: Path, *extra: str):
    return jiandi("build", "--no-booklets", "--content", "content", *extra, cwd=work)


def _failing_check(site, relatives, context):
    """The output checks with one made-up finding: the public edition fails, only at the end."""
    return (
        [("index.html", "JD802", "测试：假的问题", "")] if "index.html" in relatives else [],
        [],
    )


def test_failed_public_edition_publishes_no_edition(sample, monkeypatch):
    assert _build(sample).code == 0
    before = tree_hash(sample / "site")
    event = sample / "content/events/2023-12-27-qianyue.md"
    event.write_text(event.read_text("utf-8") + "\n新增一段。\n", "utf-8")
    monkeypatch.setattr("generator.guard.published.check_part", _failing_check)
    run = _build(sample)
    assert run.code == 1 and "测试：假的问题" in run.output
    assert tree_hash(sample / "site") == before  # the internal edition was not published either
    assert sorted(p.name for p in (sample / "site").iterdir()) == ["internal", "public"]


def test_users_own_public_folder_is_never_replaced(sample):
    mine = sample / "site" / "public"
    mine.mkdir(parents=True)
    (mine / "我的文件.html").write_text("mine", "utf-8")
    (sample / "site" / ".public.mine").mkdir()
    (sample / "site" / ".public.mine" / "keep.txt").write_text("keep", "utf-8")
    run = _build(sample)
    assert run.code == 1 and "不是 jiandi 生成的" in run.output
    assert (mine / "我的文件.html").read_text("utf-8") == "mine"
    assert (sample / "site" / ".public.mine" / "keep.txt").exists()
    assert not (sample / "site" / "internal").exists()  # nothing published


def test_a_file_where_the_edition_folder_should_be(sample):
    (sample / "site").mkdir()
    (sample / "site" / "public").write_text("a file", "utf-8")
    run = _build(sample)
    assert run.code == 1 and "是一个文件" in run.output
    assert (sample / "site" / "public").read_text("utf-8") == "a file"


def test_a_file_where_the_output_folder_should_be(sample):
    (sample / "blocker").write_text("x", "utf-8")
    run = _build(sample, "--out", "blocker/site")
    assert run.code == 1
    assert "内部错误" not in run.output and "blocker" in run.output, run.output


def test_users_staging_lookalike_survives_and_ours_are_removed(sample):
    assert _build(sample).code == 0
    (sample / "site" / ".public.old").mkdir()
    (sample / "site" / ".public.old" / "mine.txt").write_text("mine", "utf-8")
    backup = sample / "site" / ".public.bak"  # the user's copy, markers and all
    shutil.copytree(sample / "site" / "public", backup)
    (backup / ".jiandi-staging").write_text("not-a-token-of-ours\n", "utf-8")
    leftover = sample / "site" / ".internal.abc123"  # what a killed build leaves
    leftover.mkdir()
    (leftover / ".jiandi").write_text("jiandi internal edition\n", "utf-8")
    (leftover / ".jiandi-staging").write_text("feedc0de\n", "utf-8")
    (sample / "build" / "staging-tokens").write_text("feedc0de\n", "utf-8")
    assert _build(sample).code == 0
    assert (sample / "site" / ".public.old" / "mine.txt").exists()
    assert (backup / "index.html").exists()
    assert not leftover.exists()


def test_second_build_at_once_says_another_is_running(sample):
    (sample / "site").mkdir()
    fd = os.open(sample / "site", os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        run = _build(sample)
    finally:
        os.close(fd)
    assert run.code == 1 and "另一个 jiandi build 正在使用" in run.output
    assert "content/" not in run.output  # no content file is blamed


def test_published_folders_readable_by_others(sample):
    old = os.umask(0o077)
    try:
        assert _build(sample).code == 0
    finally:
        os.umask(old)
    for path in [sample / "site/public", *(sample / "site/public").rglob("*")]:
        mode = path.stat().st_mode & 0o777
        assert mode == (0o755 if path.is_dir() else 0o644), (path, oct(mode))


def test_missing_content_folder_is_a_usage_error(tmp_path):
    assert jiandi("build", "--content", "nothere", cwd=tmp_path).code == 2
    assert jiandi("check", "--content", "nothere", cwd=tmp_path).code == 2


def test_sample_public_edition_passes_the_output_checks(sample_build):
    """The real sample, as built: nothing found (the checks do not cry wolf)."""
    site = sample_build / "site" / "public"
    from generator.check import validate

    corpus, _problems = validate(sample_build / "content")
    context = published_run.context_for(
        site, corpus, {"site_url": "https://jiandi.example.cn/"}, []
    )
    relatives = [p.relative_to(site).as_posix() for p in sorted(site.rglob("*"))]
    assert published.check_part(site, relatives, context)[0] == []


# 12. Properties -----------------------------------------------------------------------------

CONTAINERS = ["", "  ", "   ", "    ", "> ", ">> ", "- ", "* ", "1. ", "> - ", "\t"]
COLONS = [":", "：", "\ufe55", "\ufe13", "\u2236"]
GAPS = ["", "\u200b", "\u2060", "\u00ad", "\ufeff", " ", "\u00a0"]


@st.composite
def fence(draw: st.DrawFn, closing: bool) -> str:
    colons = "".join(draw(st.sampled_from(COLONS)) + draw(st.sampled_from(GAPS)) for _ in range(3))
    word = (
        ""
        if closing
        else draw(
            st.sampled_from([" internal", "internal", " internal ", " Internal", "\u3000internal"])
        )
    )
    return draw(st.sampled_from(CONTAINERS)) + colons + word


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    opening=fence(False),
    closing=fence(True),
    before=st.sampled_from(["", "正文。\n\n", "```\n", "~~~\n", "```\n代码\n```\n", "!!! note\n"]),
    after=st.sampled_from(["", "\n```\n", "\n之后。"]),
)
def test_property_internal_block_in_any_spelling_is_refused_or_absent(
    opening, closing, before, after
):
    body = f"{before}{opening}\n{SECRET}\n{closing}{after}\n"
    segments, problems = sections.split(body, 6)
    if problems:
        return
    public = "\n".join(s.text for s in segments if not s.internal)
    if SECRET in public:
        # Only possible as literal text of a code block Markdown renders as code.
        lines = body.split("\n")
        index = lines.index(SECRET)
        assert index in sections.literal_lines(
            lines, [lines.index(opening)]
        ) or sections.rendered_as_code(lines, [index])


SEPARATORS = [
    "",
    "**",
    "__",
    "`",
    "<span>",
    "</span>",
    "<b>",
    "</b>",
    "\u200b",
    "\u2060",
    "\u00ad",
    "\u00a0",
    "\u2009",
    "\ufeff",
    "&#8203;",
    "<!-- -->",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(SEPARATORS), min_size=10, max_size=10),
    st.sampled_from(["13912345678", "11010519491231002X", "6222020200112233446"]),
)
def test_property_personal_number_with_markup_between_digits_is_found(gaps, number):
    written = number[0] + "".join(
        g + d for g, d in zip(gaps + [""] * len(number), number[1:], strict=False)
    )
    assert list(find_numbers(as_read(written))), written  # check, on the source
    shown = number[0] + "".join(
        g + d
        for g, d in zip(
            [g if g.startswith(("<", "&")) or len(g) == 1 and g != "`" else "" for g in gaps]
            + [""] * len(number),
            number[1:],
            strict=False,
        )
    )
    page = f"<p>号码{shown}。</p>"  # as the page shows it: Markdown marks became tags
    assert list(published.personal.find(markup.reader_text(page))), page  # on the output


def _tmpfs(folder: Path, options: str) -> Path:
    """A small tmpfs mounted at ``folder`` (as root), or the test is skipped."""
    import subprocess

    folder.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)]
    if subprocess.run(mount, capture_output=True, check=False).returncode != 0:
        pytest.skip(f"cannot mount a file system ({options}) here")
    return folder


def test_guard_does_not_join_neighbouring_blocks_into_an_internal_sentence(tmp_path, content):
    """The false alarm of the review: a topic name ending in 帮教 in a metadata box, then a
    summary starting 新生帮教帮教…, read together as an internal record's sentence."""
    write_tree(
        content,
        {
            "events/2023-12-28-neibu.md": "---\ntitle: 内部\nvisibility: internal\ndate: 2023-12-28\n"
            "---\n帮教新生帮教帮教。\n",
            "events/2023-12-29-gongkai.md": "---\ntitle: 公开\nvisibility: public\ndate: 2023-12-29\n"
            "topics: [anzhi-bangjiao]\nsummary: 新生帮教帮教司法局改造心理咨询。\n"
            "---\n正文。\n",
        },
    )
    run = jiandi("build", "--no-booklets", "--content", "content", cwd=tmp_path)
    assert run.code == 0, run.output


@pytest.mark.parametrize("where", ["--out", "--build-dir"])
def test_disk_full_is_said_in_plain_words_and_changes_nothing(sample, tmp_path, where):
    """A small tmpfs as the output or the build folder (needs root; skipped where mounting is
    refused)."""
    import subprocess

    full = _tmpfs(tmp_path / "full", "size=2M")
    try:
        run = _build(sample, where, str(full / "x"))
        assert run.code == 1
        assert "磁盘空间不够" in run.output and str(full) in run.output, run.output
        assert "内部错误" not in run.output
        if where == "--out":
            assert list((full / "x").iterdir()) == []  # no staging folder left behind
    finally:
        subprocess.run(["umount", str(full)], check=False)


def test_read_only_output_is_said_in_plain_words(sample, tmp_path):
    import subprocess

    frozen = _tmpfs(tmp_path / "ro", "ro,size=1M")
    try:
        run = _build(sample, "--out", str(frozen / "site"))
        assert run.code == 1
        assert "只读" in run.output and "内部错误" not in run.output, run.output
    finally:
        subprocess.run(["umount", str(frozen)], check=False)


def test_check_reports_the_missing_anchors_build_would_fail_on(check):
    body = "## 背景 {#beijing}\n\n见[背景](#beijing)、[下文](#buzai)和[另一条](2023-12-27-lianyuan.md#nope)。\n"
    run = check({"events/2024-01-02-x.md": _event(body)})
    assert run.code == 1
    assert [line.split(": ", 1)[0] for line in run.lines if "锚点" in line] == [
        "content/events/2024-01-02-x.md:8",
        "content/events/2024-01-02-x.md:8",
    ], run.output


def test_build_folder_not_made_by_jiandi_is_left_alone(sample):
    mine = sample / "bd" / "public" / "docs"
    mine.mkdir(parents=True)
    (mine / "my-notes.txt").write_text("mine", "utf-8")
    run = _build(sample, "--build-dir", "bd")
    assert run.code == 1 and "不是 jiandi 建的" in run.output, run.output
    assert (mine / "my-notes.txt").read_text("utf-8") == "mine"


@pytest.mark.parametrize("out, build_dir", [("x", "x"), ("x", "x/public"), ("x/site", "x")])
def test_build_and_output_folders_kept_apart(sample, out, build_dir):
    run = _build(sample, "--out", out, "--build-dir", build_dir)
    assert run.code == 1 and "不能相同，也不能一个在另一个里面" in run.output, run.output
    assert "另一个 jiandi build" not in run.output


# Found by an attack from outside (a stranger's try at the promises) ---------------------------


@pytest.mark.parametrize(
    "written",
    [
        "430102 19900307 1234",
        "4301 0219 9003 0712 34",
        "138.1234.5678",
        "(138)1234-5678",
        "138/1234/5678",
        "138–1234–5678",
        "𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖",
        "[拨打](tel:138%201234%205678)",
        "138 1234\n5678",
    ],
)
def test_personal_numbers_in_other_common_spellings(check, written):
    run = check({"events/2024-01-02-x.md": _event(f"号码：{written}。\n")})
    assert run.code == 1 and ("身份证号" in run.output or "手机号" in run.output), run.output


def test_svg_comments_and_stylesheet_instructions_do_not_survive():
    svg = (
        b'<?xml version="1.0"?>\n<?xml-stylesheet type="text/css" href="https://evil.example/x.css"?>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><!-- 13812345678 --><rect width="1" height="1"/></svg>'
    )
    clean = assets.cleaned(".svg", svg)
    assert b"evil" not in clean and b"13812345678" not in clean and b"<rect" in clean
    assert not assets.published_problems(".svg", clean)
    assert assets.published_problems(".svg", svg)  # the output check would refuse the original


def test_svg_text_is_read_for_personal_numbers(check):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><desc>13812345678</desc></svg>'
    run = check({"assets/a.svg": svg, "events/2024-01-02-x.md": _event("![图](../assets/a.svg)\n")})
    assert run.code == 1 and "附件 assets/a.svg 的文字里有手机号" in run.output, run.output


def test_jpeg_other_app2_and_data_after_the_end_dropped():
    data = _image("JPEG")
    fpxr = b"\xff\xe2" + struct.pack(">H", 2 + 17) + b"FPXR\x00 13712345678"
    appended = _image("JPEG", comment=b"13612345678") + b"trailing 13512345678"
    dirty = data[:2] + fpxr + data[2:] + appended
    clean = assets.cleaned(".jpg", dirty)
    assert b"137123" not in clean and b"136123" not in clean and b"135123" not in clean
    assert clean.endswith(b"\xff\xd9") and not assets.published_problems(".jpg", clean)
    assert assets.published_problems(".jpg", dirty)


def test_png_data_after_iend_dropped():
    dirty = _image("PNG") + b"\x00\x00\x00\x05tEXt13812"
    clean = assets.cleaned(".png", dirty)
    assert clean.endswith(b"IEND\xaeB`\x82") and b"13812" not in clean


def test_pdf_comments_removed():
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Text

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_annotation(0, Text(text="批注：家属电话 13812345678", rect=(10, 10, 20, 20)))
    out = io.BytesIO()
    writer.write(out)
    assert assets.published_problems(".pdf", out.getvalue())
    clean = assets.cleaned(".pdf", out.getvalue())
    assert not PdfReader(io.BytesIO(clean)).pages[0].get("/Annots")
    assert not assets.published_problems(".pdf", clean)


def test_class_that_makes_the_theme_load_from_unpkg(check):
    from generator.content.html_policy import clean

    run = check({"events/2024-01-02-x.md": _event('<pre class="mermaid">graph TD; a-->b</pre>\n')})
    assert run.code == 1 and "unpkg.com" in run.output
    assert "mermaid" not in clean('<pre class="mermaid">x</pre>')
    page = '<pre class="mermaid">x</pre>'
    assert [f[1] for f in published.check_html("a.html", page, _context({"a.html"}))] == ["JD802"]


def test_markdown_extensions_outside_the_allow_list_refused(tmp_path, content):
    snippets = '  - pymdownx.superfences\n  - pymdownx.snippets:\n      base_path: ["/"]\n'
    run = check_with_settings(tmp_path, "  - pymdownx.superfences\n", snippets)
    assert run.code == 1 and "pymdownx.snippets" in run.output, run.output


def test_a_pipe_in_the_content_folder_is_an_error_not_a_hang(check, tmp_path):
    (tmp_path / "content" / "events").mkdir(parents=True)
    os.mkfifo(tmp_path / "content" / "events" / "fifo.md")
    run = check({})
    assert run.code == 1 and "不是一个普通文件" in run.output


def test_infinite_figure_refused(check):
    front = "figures:\n  - {label: 人数, value: .inf, unit: 名, as_of: 2023-12, source: 测试}\n"
    run = check({"events/2024-01-02-x.md": _event("正文。\n", front)})
    assert run.code == 1 and "不能是 .inf 或 .nan" in run.output, run.output


@pytest.mark.parametrize(
    "front",
    [
        "summary: 见[会商](../events/2023-12-27-lianyuan.md)\n",
        "summary: 图 ![x](https://evil.example/t.png)\n",
    ],
)
def test_markup_in_front_matter_fields_refused(check, front):
    run = check({"events/2024-01-02-x.md": _event("正文。\n", front)})
    assert run.code == 1 and "字段里不能写 Markdown 链接或图片" in run.output, run.output


def test_nested_brackets_and_quoted_definitions_do_not_hide_links(check):
    body = (
        "见[会商 [内部 [记录]] 一](../policies/neibu.md)。\n\n"
        "> ![引用图][r1]\n>\n> [r1]: https://evil.example/a.png\n"
    )
    run = check({"policies/neibu.md": INTERNAL_POLICY, "events/2024-01-02-x.md": _event(body)})
    assert run.code == 1
    assert "内部记录 policies/neibu" in run.output and "在其他网站上" in run.output, run.output


def test_leftover_booklet_claims_are_cleaned_at_the_next_build(sample):
    claims = sample / "build" / "booklet-cache" / "claims-1-2"
    claims.mkdir(parents=True)
    (claims / "x.claim").write_text("1", "utf-8")
    (sample / "build" / ".jiandi-build").write_text("jiandi\n", "utf-8")
    assert _build(sample).code == 0
    assert not claims.exists()


def test_new_with_invalid_input_leaves_no_file(content, tmp_path):
    before = sorted(p.name for p in (content / "events").iterdir())
    run = jiandi(
        "new",
        "event",
        "--content",
        "content",
        "--title",
        "",
        "--visibility",
        "public",
        cwd=tmp_path,
    )
    assert run.code == 2 and "不能为空" in run.output
    run = jiandi(
        "new",
        "event",
        "--content",
        "content",
        "--title",
        "家属电话13812345678",
        "--visibility",
        "public",
        "--date",
        "2024-03-01",
        cwd=tmp_path,
    )
    assert run.code == 1 and "手机号" in run.output and "没有创建记录" in run.output, run.output
    assert sorted(p.name for p in (content / "events").iterdir()) == before


def test_serve_on_a_busy_port_says_so(content, tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        run = jiandi("serve", "--content", "content", "--port", str(port), cwd=tmp_path)
    assert run.code == 1 and f"端口 {port} 已被占用" in run.output
    assert "Traceback" not in run.output


def test_sigterm_during_a_build_leaves_the_site_and_no_staging(sample):
    import signal
    import subprocess
    import sys
    import time

    assert _build(sample).code == 0
    before = tree_hash(sample / "site")
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--no-booklets", "--content", "content"],
        cwd=sample,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    time.sleep(2.0)
    process.send_signal(signal.SIGTERM)
    output_text, _ = process.communicate(timeout=60)
    assert "Traceback" not in output_text, output_text
    if process.returncode == 130:  # interrupted: nothing was published
        assert "构建已中断" in output_text, output_text
        assert tree_hash(sample / "site") == before
    else:  # the signal came after the editions were published (the handler is lifted then)
        for edition in ("public", "internal"):
            assert (sample / "site" / edition / "index.html").is_file()
    assert sorted(p.name for p in (sample / "site").iterdir()) == ["internal", "public"]


def test_a_signal_while_publishing_lets_the_build_finish(sample, monkeypatch):
    """Ctrl+C or SIGTERM after the first edition is swapped in cannot end the build with
    "interrupted, the site is unchanged": the build finishes and says it is done."""
    import os
    import signal

    from generator.site import output

    real = output.publish_all

    def publish_under_signals(staged, out):
        os.kill(os.getpid(), signal.SIGTERM)
        os.kill(os.getpid(), signal.SIGINT)
        real(staged, out)
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(output, "publish_all", publish_under_signals)
    run = _build(sample)
    assert run.code == 0, run.output
    assert "已中断" not in run.output and "public → " in run.output
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_pdf_rebuilt_without_anything_but_what_draws_it(tmp_path):
    """Nothing of a removed annotation, a key of another program or a form's metadata stays
    in the file; what a link carries besides its address goes too."""
    from pypdf import PdfWriter
    from pypdf.annotations import Link, Text
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_annotation(0, Text(text="OLDSECRET note", rect=(10, 10, 20, 20)))
    link = Link(rect=(30, 30, 40, 40), url="https://www.gov.cn/")
    link[NameObject("/Contents")] = TextStringObject("LINKSECRET")
    writer.add_annotation(0, link)
    writer.pages[0][NameObject("/SecretNote")] = TextStringObject("PAGESECRET")
    out = io.BytesIO()
    writer.write(out)
    clean = assets.cleaned(".pdf", out.getvalue())
    for secret in (b"OLDSECRET", b"LINKSECRET", b"PAGESECRET"):
        assert secret not in clean
    from pypdf import PdfReader

    kept = [a.get_object() for a in PdfReader(io.BytesIO(clean)).pages[0]["/Annots"]]
    assert [a["/A"]["/URI"] for a in kept] == ["https://www.gov.cn/"]  # the link itself stays
    from generator.media.attachments import pdf_text

    (tmp_path / "dirty.pdf").write_bytes(out.getvalue())
    assert "PAGESECRET" in pdf_text(tmp_path / "dirty.pdf")  # the guard reads every string


def test_image_that_does_not_decode_is_refused():
    with pytest.raises(assets.AssetRefused):
        assets.cleaned(".jpg", b"\xff\xd8\xff\xdb\x00\x04\x00\x00\xff\xd9")


def test_jpeg_and_png_profiles_and_jfif_extras_dropped():
    data = _image("JPEG")
    jfif_end = 4 + struct.unpack(">H", data[4:6])[0]
    payload = b"ICC_PROFILE\x00\x01\x01" + b"SECRET13812345"
    icc = b"\xff\xe2" + struct.pack(">H", 2 + len(payload)) + payload
    jpg0 = b"\xff\xf0" + struct.pack(">H", 2 + 6) + b"SECRET"
    dirty = data[:jfif_end] + icc + jpg0 + data[jfif_end:]
    clean = assets.cleaned(".jpg", dirty)
    assert b"SECRET" not in clean and clean.startswith(b"\xff\xd8\xff\xe0")
    import zlib

    png = _image("PNG")
    chunk_data = b"13812345678\x00\x00" + zlib.compress(b"SECRET profile")
    chunk = (
        struct.pack(">I", len(chunk_data))
        + b"iCCP"
        + chunk_data
        + struct.pack(">I", zlib.crc32(b"iCCP" + chunk_data))
    )
    dirty_png = png[:33] + chunk + png[33:]
    assert b"13812345678" not in assets.cleaned(".png", dirty_png)


@pytest.mark.parametrize(
    "option, where", [("--out", "content/assets/site"), ("--build-dir", "content/b")]
)
def test_output_or_build_folder_inside_the_content_is_refused(sample, option, where):
    run = _build(sample, option, where)
    assert run.code == 1 and "在内容文件夹" in run.output, run.output
    assert not (sample / where).exists()


@pytest.mark.parametrize(
    "body",
    [
        "\\\\::: internal\n秘密。\n\\\\:::\n",
        "# ::: internal\n",
        "**::: internal**\n",
        "&#58;:: internal\n秘密。\n",
        "<span>::: internal</span>\n",
        "| ::: internal |\n|---|\n",
    ],
)
def test_fences_behind_other_markup_refused_at_check(check, body):
    run = check({"events/2024-01-02-x.md": _event("公开。\n\n" + body)})
    assert run.code == 1 and "内部段落的标记" in run.output, run.output


@pytest.mark.parametrize(
    "written",
    [
        "1381-234-5678",
        "13 812 345 678",
        "1 3 8 1 2 3 4 5 6 7 8",
        "138  1234  5678",
        "138 - 1234 - 5678",
        "138，1234，5678",
        "138、1234、5678",
        "138·1234·5678",
        "138|1234|5678",
        "138:1234:5678",
        "wx13812345678",
        "QQ13812345678",
        "013812345678",
        "ID430102199003071234",
        "¹³⁸¹²³⁴⁵⁶⁷⁸",
        "①③⑧①②③④⑤⑥⑦⑧",
    ],
)
def test_numbers_in_still_other_layouts(check, written):
    run = check({"events/2024-01-02-x.md": _event(f"联系：{written}。\n")})
    assert run.code == 1 and ("手机号" in run.output or "身份证号" in run.output), run.output


@pytest.mark.parametrize(
    "text",
    [
        "时间：13:00-14:30、15:30-17:00",
        "办公电话 0731-84512345",
        "2023年12月27日 10:30—12:00，13:30—15:00",
        "编号 JD-2023-0012-1381",
    ],
)
def test_times_landlines_and_serials_are_no_mobile_numbers(check, text):
    assert check({"events/2024-01-02-x.md": _event(f"{text}。\n")}).code == 0


def test_copyright_html_that_loads_or_runs_refused(tmp_path, content):
    loads = (
        'copyright: \'雁北监狱 <base href="https://evil.example.com/">'
        '<a href="/" ping="https://e.example.com/">p</a>\''
    )
    run = check_with_settings(tmp_path, "copyright: 湖南省雁北监狱 · 监地共建", loads)
    assert run.code == 1 and "copyright:" in run.output and "<base>" in run.output, run.output
    found = published.check_html(
        "a.html",
        '<base href="https://evil.example.com/"><a href="#" ping="https://e.example.com/">p</a>',
        _context({"a.html"}),
    )
    assert [f[1] for f in found] == ["JD802", "JD802"]


def test_markdown_link_in_a_topic_description_refused(check):
    run = check(
        {
            "topics.yml": "anzhi-bangjiao:\n  name: 安置帮教\n  description: 见[内部](../../events/x/)\n"
        }
    )
    assert run.code == 1 and "topics.yml:1" in run.output and "不能写 Markdown 链接" in run.output


def test_booklet_never_writes_over_a_file_it_did_not_print(content, tmp_path):
    mine = tmp_path / "mine.txt"
    mine.write_text("my notes", "utf-8")
    run = jiandi("booklet", "handbook", "--content", "content", "--out", "mine.txt", cwd=tmp_path)
    assert run.code == 1 and "不会覆盖" in run.output
    assert mine.read_text("utf-8") == "my notes"


def test_odd_booklet_period_and_long_id_are_usage_errors(content, tmp_path):
    run = jiandi("booklet", "period", "--content", "content", "--period", "0000", cwd=tmp_path)
    assert run.code == 2 and "Traceback" not in run.output
    run = jiandi(
        "new",
        "event",
        "--content",
        "content",
        "--title",
        "测试",
        "--visibility",
        "public",
        "--id",
        "a" * 300,
        cwd=tmp_path,
    )
    assert run.code == 2 and "编号太长" in run.output


def test_line_breaks_in_titles_start_no_markdown_block(tmp_path, content):
    write_tree(
        content,
        {
            "events/2024-01-02-x.md": _event(
                "正文。\n", "summary: |-\n  摘要第一行\n\n  ## 伪造的小标题\n"
            ).replace(
                "title: 测试新闻", 'title: "注入测试\\n\\n## 伪造小标题ZZH\\n\\n- 伪造列表项"'
            )
        },
    )
    run = jiandi("build", "--no-booklets", "--content", "content", cwd=tmp_path)
    assert run.code == 0, run.output
    home = (tmp_path / "site/public/index.html").read_text("utf-8")
    assert "伪造小标题ZZH" in home and "<h2" not in home.split("伪造小标题ZZH")[0][-40:]
    assert 'id="zzh"' not in home


def test_fence_in_a_front_matter_field_refused(check):
    run = check(
        {
            "events/2024-01-02-x.md": _event(
                "正文。\n", "summary: |-\n  ::: internal\n  秘密\n  :::\n"
            )
        }
    )
    assert run.code == 1 and "字段里有一行看起来像内部段落的标记" in run.output, run.output


def test_replaced_by_an_internal_record_refused(check):
    front = "status: 已修订\nstatus_date: 2024-02-01\nreplaced_by: policies/neibu\n"
    policy = "---\ntitle: 旧解读\nvisibility: public\ndate: 2024-01-01\n" + front + "---\n正文。\n"
    run = check({"policies/neibu.md": INTERNAL_POLICY, "policies/jiu.md": policy})
    assert run.code == 1 and "replaced_by 指向内部记录 policies/neibu" in run.output, run.output


def test_output_checks_remember_clean_pages_only_under_the_same_context(tmp_path):
    site = tmp_path / "site"
    write_tree(site, {"index.html": "<p>首页</p>", "a.html": "<p>电话 13812345678</p>"})
    context = _context({"index.html", "a.html"})
    found, clean = published.check_part(site, ["index.html", "a.html"], context)
    assert [f[0] for f in found] == ["a.html"] and len(clean) == 1  # only the clean page
    pages = published_run.CleanPages(tmp_path / "clean.json", context)
    pages.save(clean)
    again = published_run.CleanPages(tmp_path / "clean.json", _context({"index.html", "a.html"}))
    assert again.known == frozenset(clean)
    other = published_run.CleanPages(tmp_path / "clean.json", _context({"index.html"}))
    assert other.known == frozenset()  # another set of files: nothing is trusted
    import dataclasses

    fresh = dataclasses.replace(_context({"index.html", "a.html"}), clean=again.known)
    found, _clean = published.check_part(site, ["index.html", "a.html"], fresh)
    assert [f[0] for f in found] == ["a.html"]  # a page with a number is never taken as known


def test_warm_build_reuses_clean_pages_and_gives_the_same_site(sample):
    assert _build(sample).code == 0
    first = tree_hash(sample / "site" / "public")
    assert (sample / "build" / "published-clean.json").is_file()
    shutil.rmtree(sample / "site")
    assert _build(sample).code == 0
    assert tree_hash(sample / "site" / "public") == first


def test_a_title_or_summary_holding_html_is_text_in_the_page_head(sample):
    """Material writes a page's meta title and description into <title> and <meta> as they
    are: a title typed as 监狱</title><script>… must not become a script on the public site."""
    (sample / "content/events/2024-06-03-html.md").write_text(
        "---\n"
        "title: '监狱</title><script>alert(1)</script>活动 & 帮教'\n"
        "visibility: public\n"
        "date: 2024-06-03\n"
        'summary: \'帮教活动" onfocus="alert(2)" autofocus x="，效果很好。\'\n'
        "---\n\n正文。\n",
        "utf-8",
    )
    run = _build(sample)
    assert run.code == 0, run.output
    page = (sample / "site/public/events/2024-06-03-html/index.html").read_text("utf-8")
    head = page.split("</head>")[0]
    from html.parser import HTMLParser

    class Attributes(HTMLParser):
        names: set[str] = set()

        def handle_starttag(self, tag, attrs):
            self.names.update(name for name, _value in attrs)

    reader = Attributes()
    reader.feed(page)
    assert "<script>alert(1)" not in page
    assert "onfocus" not in reader.names and "autofocus" not in reader.names
    assert (
        "<title>监狱&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;活动 &amp; 帮教 - " in head
    )
    assert (
        'content="帮教活动&#34; onfocus=&#34;alert(2)&#34; autofocus x=&#34;，效果很好。"' in head
    )
