"""From draft to published (issue 17): drafts and embargoes as leak vectors, the one clock."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import BUREAU, SAMPLE, TOPICS, jiandi, write_tree
from tests.test_property import readable_bytes

# 2024-06-01 08:00 in Beijing (00:00 UTC): before 08:00 a UTC clock says it is still May 31.
EPOCH = 1717200000
LATER = EPOCH + 3 * 86400


@contextlib.contextmanager
def epoch(seconds: int | str) -> Iterator[None]:
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(seconds)
    try:
        yield
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


# How a record is held at EPOCH: not at all, as a draft, by an embargo still to lift (an hour
# later, or the next day), or by one that lifted (a minute before, or that midnight).
HOLDS = {
    "none": ("", False),
    "draft": ("draft: true\n", True),
    "hour": ('publish_at: "2024-06-01 09:00"\n', True),
    "day": ("publish_at: 2024-06-02\n", True),
    "minute": ('publish_at: "2024-06-01 07:59"\n', False),
    "midnight": ("publish_at: 2024-06-01\n", False),
}


def _record(kind: str, tag: str, hold: str) -> str:
    date = "date: 2024-05-06\n" if kind != "policies" else ""
    return (
        f"---\ntitle: 标题 title{tag}\nvisibility: public\n{date}bureaus: [lianyuan]\n"
        f"summary: 摘要 summary{tag}\n{HOLDS[hold][0]}---\n正文 body{tag} 结束。\n"
    )


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    records=st.lists(
        st.tuples(st.sampled_from(["events", "policies"]), st.sampled_from(sorted(HOLDS))),
        min_size=1,
        max_size=4,
    ),
    salt=st.integers(0, 10**6),
)
def test_an_embargoed_record_is_in_no_public_byte_before_its_time(tmp_path_factory, records, salt):
    """Its title, summary and body are in no public byte (pages, lists, feeds, search, sitemap,
    file names) while it is held, are in the internal edition all along, and are published
    once its moment has passed; a draft stays out."""
    work = tmp_path_factory.mktemp("embargo")
    files = {"topics.yml": TOPICS, "bureaus/lianyuan.md": BUREAU}
    held, shown, drafts = set(), set(), set()
    for i, (kind, hold) in enumerate(records):
        tag = f"{i}q{salt}"
        files[f"{kind}/r{i}.md"] = _record(kind, tag, hold)
        tokens = {f"title{tag}", f"summary{tag}", f"body{tag}"}
        (held if HOLDS[hold][1] else shown).update(tokens)
        if hold == "draft":
            drafts.update(tokens)
    write_tree(work / "content", files)
    with epoch(EPOCH):
        run = jiandi("build", "--no-booklets", "--content", "content", cwd=work)
    assert run.code == 0, run.output
    public = readable_bytes(work / "site/public")
    internal = readable_bytes(work / "site/internal")
    assert sorted(t for t in held if t in public) == []
    assert sorted(t for t in shown if t not in public) == []
    assert sorted(t for t in held | shown if t not in internal) == []
    with epoch(LATER):
        run = jiandi("build", "--no-booklets", "--content", "content", cwd=work)
    assert run.code == 0, run.output
    public = readable_bytes(work / "site/public")
    assert sorted(t for t in held - drafts if t not in public) == []
    assert sorted(t for t in drafts if t in public) == []


def _sample(tmp_path: Path) -> Path:
    shutil.copytree(SAMPLE, tmp_path / "content")
    return tmp_path / "content"


def _hold(content: Path, record: str, line: str) -> None:
    path = content / record
    text = path.read_text("utf-8")
    path.write_text(text.replace("\nvisibility: public\n", f"\nvisibility: public\n{line}\n", 1))


def test_a_held_record_is_out_of_every_public_vector_and_marked_inside(tmp_path):
    """Booklets and the bureau's lists included; 草稿 and 待发布 in the internal edition, with
    the time; the build says when the embargo lifts."""
    content = _sample(tmp_path)
    write_tree(
        content,
        {
            "events/2024-05-20-caogao.md": "---\ntitle: 草稿新闻甲乙丙丁\nvisibility: public\n"
            "draft: true\ndate: 2024-05-20\nbureaus: [lianyuan]\n---\n草稿正文戊己庚辛。\n",
            "policies/dingshi-zhengce.md": "---\ntitle: 定时政策壬癸子丑\nvisibility: public\n"
            'publish_at: "2024-06-01 09:30"\nbureaus: [lianyuan]\n---\n定时正文寅卯辰巳。\n',
        },
    )
    with epoch(EPOCH):
        run = jiandi("build", "--content", "content", cwd=tmp_path)
    assert run.code == 0, run.output
    assert (
        "定时发布：policies/dingshi-zhengce 在 2024年6月1日 09:30（北京时间）后公开" in run.output
    )
    public = tmp_path / "site/public"
    words = ("草稿新闻甲乙丙丁", "草稿正文戊己庚辛", "定时政策壬癸子丑", "定时正文寅卯辰巳")
    text = readable_bytes(public)
    assert [w for w in words if w in text] == []
    assert "caogao" not in text and "dingshi-zhengce" not in text
    from pypdf import PdfReader

    read = {
        pdf: "".join(page.extract_text() for page in PdfReader(pdf).pages).replace("\n", "")
        for pdf in sorted(public.rglob("*.pdf"))
    }
    assert any("雁北监狱与四地司法局签署" in pages for pages in read.values())  # text is read
    for pdf, pages in read.items():
        assert [w for w in words if w in pages] == [], pdf
    inside = tmp_path / "site/internal"
    event = (inside / "events/2024-05-20-caogao/index.html").read_text("utf-8")
    policy = (inside / "policies/dingshi-zhengce/index.html").read_text("utf-8")
    assert "草稿（draft: true，不对外公开）" in event
    assert "待发布：2024年6月1日 09:30 起公开" in policy
    listing = (inside / "news/index.html").read_text("utf-8")
    assert '<span class="jd-badge">草稿</span>' in listing


def test_a_public_record_may_not_link_to_one_held_longer(tmp_path):
    content = _sample(tmp_path)
    _hold(content, "events/2023-12-27-lianyuan-zhuanchang.md", 'publish_at: "2030-01-01 08:00"')
    with epoch(EPOCH):
        run = jiandi("check", "--content", "content", cwd=tmp_path)
    assert run.code == 1
    assert any(
        "定时发布的记录（publish_at: 2030年1月1日 08:00）" in line
        and "events/2023-12-27-lianyuan-zhuanchang" in line
        for line in run.lines
    ), run.output


def test_a_draft_is_checked_as_public_content_before_it_is_published(tmp_path):
    content = _sample(tmp_path)
    record = content / "events/2023-12-27-lianyuan-zhuanchang.md"
    record.write_text(record.read_text("utf-8") + "\n家属电话 13912345678。\n", "utf-8")
    _hold(content, "events/2023-12-27-lianyuan-zhuanchang.md", "draft: true")
    run = jiandi("check", "--content", "content", cwd=tmp_path)
    assert run.code == 1
    assert any(
        "2023-12-27-lianyuan-zhuanchang.md:" in line and "手机号" in line for line in run.lines
    )


def test_a_wrong_publish_at_says_how_to_write_it(tmp_path):
    content = _sample(tmp_path)
    _hold(content, "policies/xingshi-jiuye-zinv.md", 'publish_at: "6月1日上午"')
    run = jiandi("check", "--content", "content", cwd=tmp_path)
    assert run.code == 1
    assert any(
        "xingshi-jiuye-zinv.md:" in line and '"YYYY-MM-DD HH:MM"（北京时间）' in line
        for line in run.lines
    ), run.output


def test_source_date_epoch_that_is_no_number_is_a_usage_error(tmp_path):
    _sample(tmp_path)
    with epoch("yesterday"):
        run = jiandi("check", "--content", "content", cwd=tmp_path)
    assert run.code == 2
    assert "SOURCE_DATE_EPOCH" in run.output and "不是秒数" in run.output


def _public_records(content: Path) -> list[str]:
    return sorted(
        str(p.relative_to(content.parent))
        for p in content.glob("*/*.md")
        if "\nvisibility: public\n" in p.read_text("utf-8")
    )


def test_required_signoffs_hold_only_for_the_public_content_they_saw(tmp_path):
    """Without sign-offs a public record is an error; approve records them; an internal-only
    change keeps them; a public change asks for them again, and build fails closed."""
    from tests.conftest import check_with_settings

    content = _sample(tmp_path)
    run = check_with_settings(tmp_path, "      required: []", "      required: [初审, 保密审查]")
    assert run.code == 1
    assert any("qianyue.md:1:" in line and "还没有 “初审”" in line for line in run.lines)
    records = _public_records(content)
    for role, by in (("初审", "审核员甲乙"), ("保密审查", "保密员丙丁")):
        signed = jiandi("approve", *records, "--role", role, "--by", by, cwd=tmp_path)
        assert signed.code == 0, signed.output
        assert f"content/events/2023-12-27-qianyue.md: {role} {by}" in signed.output
    assert jiandi("check", "--content", "content", cwd=tmp_path).code == 0
    event = content / "events/2023-12-27-qianyue.md"
    text = event.read_text("utf-8")
    event.write_text(text + "\n::: internal\n内部补记：只给工作人员看。\n:::\n", "utf-8")
    assert jiandi("check", "--content", "content", cwd=tmp_path).code == 0  # internal only
    built = jiandi("build", "--content", "content", "--no-booklets", cwd=tmp_path)
    assert built.code == 0, built.output
    public = readable_bytes(tmp_path / "site/public")
    assert "审核员甲乙" not in public and "保密员丙丁" not in public and "sha256:" not in public
    page = (tmp_path / "site/internal/events/2023-12-27-qianyue/index.html").read_text("utf-8")
    assert "审核（内部）" in page and "审核员甲乙" in page
    event.write_text(text.replace("签署", "签订", 1), "utf-8")
    run = jiandi("check", "--content", "content", cwd=tmp_path)
    assert run.code == 1
    changed = [line for line in run.lines if "审核后内容有改动，请重新审核" in line]
    assert len(changed) == 2 and all("2023-12-27-qianyue.md:" in line for line in changed)
    assert jiandi("build", "--content", "content", "--no-booklets", cwd=tmp_path).code == 1


def test_approve_refuses_an_unknown_role_and_a_record_with_errors(tmp_path):
    content = _sample(tmp_path)
    record = "content/events/2023-12-27-qianyue.md"
    before = (tmp_path / record).read_text("utf-8")
    run = jiandi("approve", record, "--role", "审查", "--by", "某人", cwd=tmp_path)
    assert run.code == 1 and "不是审核环节：可选 初审、复审、终审、保密审查" in run.output
    (content / "events/2023-12-27-qianyue.md").write_text(before.replace("date:", "dat:"), "utf-8")
    run = jiandi("approve", record, "--role", "初审", "--by", "某人", cwd=tmp_path)
    assert run.code == 1 and "请先改正，再审核" in run.output
    assert "review:" not in (tmp_path / record).read_text("utf-8")
