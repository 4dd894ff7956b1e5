"""After publication (issue 17): updates and content dates, withdrawal, validity that runs out,
overdue follow-ups, the 审核台账, and ``jiandi diff``."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import feedparser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, jiandi, write_tree
from tests.test_property import readable_bytes
from tests.test_site import tree_hash
from tests.test_workflow import EPOCH, _sample, epoch

EARLY = 1705708800  # 2024-01-20 08:00 Beijing: before the sample's first follow-up is due
POLICY = "policies/yibao-guodu-anzhi.md"
AGREEMENT = "agreements/2023-12-27-lianyuan-xieyi.md"


def _add_keys(content: Path, record: str, lines: str) -> None:
    """Add front matter ``lines`` after the record's ``visibility:`` line."""
    path = content / record
    text = path.read_text("utf-8")
    found = re.search(r"^visibility: \w+\n", text, re.MULTILINE)
    assert found, record
    path.write_text(text[: found.end()] + lines + text[found.end() :], "utf-8")


def _build(tmp_path: Path, *extra: str, when: int = EPOCH) -> None:
    with epoch(when):
        run = jiandi("build", "--content", "content", "--no-booklets", *extra, cwd=tmp_path)
    assert run.code == 0, run.output


def _page(tmp_path: Path, edition: str, url: str) -> str:
    return (tmp_path / "site" / edition / url / "index.html").read_text("utf-8")


def test_an_update_shows_on_the_page_and_dates_the_sitemap_feeds_and_latest_lists(tmp_path):
    content = _sample(tmp_path)
    _add_keys(
        content, POLICY, "updates:\n  - date: 2024-05-20\n    note: 补充了异地就医的办理方法\n"
    )
    _build(tmp_path)
    page = _page(tmp_path, "public", "policies/yibao-guodu-anzhi")
    assert "更新日期" in page and "2024年5月20日" in page
    assert "更新记录" in page and "补充了异地就医的办理方法" in page
    sitemap = (tmp_path / "site/public/sitemap.xml").read_text("utf-8")
    dates = dict(
        re.findall(r"<loc>([^<]+)</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap, re.MULTILINE)
    )
    assert dates["https://jiandi.example.cn/policies/yibao-guodu-anzhi/"] == "2024-05-20"
    assert dates["https://jiandi.example.cn/events/2023-12-27-qianyue/"] == "2023-12-27"
    assert "2024-06-01" not in sitemap  # the build date (SOURCE_DATE_EPOCH) is never a lastmod
    assert dates["https://jiandi.example.cn/"] == "2024-05-20"  # the newest content date
    feeds = sorted((tmp_path / "site/public/feeds").rglob("*.xml"))
    entries = [
        e
        for f in feeds
        for e in feedparser.parse(f.read_bytes()).entries
        if e.link.endswith("/policies/yibao-guodu-anzhi/")
    ]
    assert entries and all(e.updated.startswith("2024-05-20T00:00:00+08:00") for e in entries)
    home = _page(tmp_path, "public", "")
    policies = home.split("政策解读", 1)[1]
    first = re.search(r'href="(policies/[^"/]+)/?"', policies)
    assert first and first.group(1) == "policies/yibao-guodu-anzhi"
    assert "2024年5月20日更新" in policies


def test_an_update_before_the_record_is_an_error(tmp_path):
    content = _sample(tmp_path)
    _add_keys(content, AGREEMENT, "updates:\n  - date: 2023-01-01\n    note: 更正\n")
    run = jiandi("check", "--content", "content", cwd=tmp_path)
    assert run.code == 1
    assert any(
        "lianyuan-xieyi.md:5:" in line and "早于记录的日期 2023-12-27" in line for line in run.lines
    ), run.output


def test_a_withdrawn_record_keeps_its_page_and_leaves_every_list(tmp_path):
    content = _sample(tmp_path)
    write_tree(
        content,
        {
            "events/2024-03-01-chehui.md": "---\ntitle: 撤回新闻甲乙丙丁\nvisibility: public\n"
            "date: 2024-03-01\nbureaus: [lianyuan]\ntopics: [anzhi-bangjiao]\n"
            "summary: 撤回摘要戊己庚辛\nwithdrawn:\n  date: 2024-03-05\n"
            "  reason: 活动安排已调整\n---\n撤回正文壬癸子丑。\n"
        },
    )
    _build(tmp_path)
    page = _page(tmp_path, "public", "events/2024-03-01-chehui")
    assert "已撤回" in page and "本页信息已于2024年3月5日撤回" in page
    assert "活动安排已调整" in page and "撤回正文壬癸子丑" in page
    public = tmp_path / "site/public"
    elsewhere = {
        str(p.relative_to(public)): p.read_text("utf-8", errors="replace")
        for p in public.rglob("*")
        if p.is_file()
        and p.suffix in (".html", ".xml", ".json")
        and "2024-03-01-chehui" not in str(p)
        and p.name not in ("sitemap.xml",)
    }
    leaked = sorted(
        name
        for name, text in elsewhere.items()
        if "撤回新闻甲乙丙丁" in text or "撤回摘要戊己庚辛" in text or "撤回正文壬癸子丑" in text
    )
    assert leaked == []  # no list, feed, count or search entry shows it
    assert "events/2024-03-01-chehui/" in (public / "sitemap.xml").read_text("utf-8")
    ledger = _page(tmp_path, "internal", "internal/reviews")
    assert "已撤回（1 条）" in ledger and "活动安排已调整" in ledger


def test_validity_runs_out_by_itself_and_revisions_give_their_reason(tmp_path):
    content = _sample(tmp_path)
    _add_keys(content, AGREEMENT, "valid_until: 2024-03-31\n")
    _add_keys(
        content,
        "policies/anzhi-bangjiao-fanwei.md",
        "status: 已废止\nstatus_date: 2024-04-01\nstatus_reason: 已被新的安置帮教规定取代\n",
    )
    _build(tmp_path, when=EARLY)
    agreement = _page(tmp_path, "public", "agreements/2023-12-27-lianyuan-xieyi")
    assert "已失效" not in agreement
    assert "**逾期**" not in _page(tmp_path, "internal", "internal/follow-ups")
    _build(tmp_path)
    agreement = _page(tmp_path, "public", "agreements/2023-12-27-lianyuan-xieyi")
    assert "本协议已于2024年4月1日失效（有效期至2024年3月31日）" in agreement
    assert "已失效（2024年4月1日）" in agreement
    index = _page(tmp_path, "public", "agreements")
    assert re.search(r"已失效（1 份）.*?lianyuan-xieyi", index, re.DOTALL)
    policy = _page(tmp_path, "public", "policies/anzhi-bangjiao-fanwei")
    assert "本解读已于2024年4月1日废止（已被新的安置帮教规定取代）" in policy
    follow_ups = _page(tmp_path, "internal", "internal/follow-ups")
    assert (
        follow_ups.count("<td><strong>逾期</strong></td>") == 4
    )  # the sample's open items, due by March
    assert "逾期" not in readable_bytes(tmp_path / "site/public")


def test_a_validity_that_ends_before_it_starts_is_an_error(tmp_path):
    content = _sample(tmp_path)
    _add_keys(content, AGREEMENT, "valid_until: 2023-01-01\n")
    run = jiandi("check", "--content", "content", cwd=tmp_path)
    assert run.code == 1
    assert any("lianyuan-xieyi.md:4:" in line and "早于开始日期" in line for line in run.lines)


def test_the_review_ledger_shows_who_signed_what_and_what_waits_internally_only(tmp_path):
    content = _sample(tmp_path)
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        text.replace("      required: []", "      required: [初审]", 1), "utf-8"
    )
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    records = sorted(
        str(p.relative_to(tmp_path))
        for p in content.glob("*/*.md")
        if "\nvisibility: public\n" in p.read_text("utf-8")
    )
    run = jiandi("approve", *records, "--role", "初审", "--by", "审核员甲乙", cwd=tmp_path)
    assert run.code == 0, run.output
    write_tree(
        content,
        {
            "events/2024-05-01-caogao.md": "---\ntitle: 待审草稿丙丁\nvisibility: public\n"
            "draft: true\ndate: 2024-05-01\n---\n草稿正文。\n"
        },
    )
    _build(tmp_path)
    ledger = _page(tmp_path, "internal", "internal/reviews")
    assert "发布前必须经过：<strong>初审</strong>" in ledger
    assert f"审核记录（{len(records)} 条）" in ledger and "审核员甲乙" in ledger
    waiting = ledger.rsplit("待审核（1 条）", 1)[1].split("审核记录", 1)[0]  # past the contents
    assert "待审草稿丙丁" in waiting and "草稿" in waiting and "初审" in waiting
    assert "<strong>审核后内容有改动</strong>" not in ledger and "需重新审核" not in ledger
    public = readable_bytes(tmp_path / "site/public")
    assert "审核台账" not in public and "审核员甲乙" not in public
    assert not (tmp_path / "site/public/internal").exists()


def _public_out(tmp_path: Path) -> str:
    return tree_hash(tmp_path / "site")


def test_diff_lists_what_the_next_build_changes_and_never_writes_out(tmp_path):
    content = _sample(tmp_path)
    _build(tmp_path)
    with epoch(EPOCH):
        same = jiandi(
            "diff", "--content", "content", "--no-booklets", "--format", "json", cwd=tmp_path
        )
    assert same.code == 0, same.output
    assert json.loads(same.output) == []
    # Edit one public record, add a public and an internal one, turn one public record internal.
    edited = content / "policies/xingshi-jiuye-zinv.md"
    edited.write_text(edited.read_text("utf-8") + "\n新增的一段说明己庚。\n", "utf-8")
    write_tree(
        content,
        {
            "events/2024-05-02-xinwen.md": "---\ntitle: 新的公开新闻\nvisibility: public\n"
            "date: 2024-05-02\n---\n正文。\n",
            "events/2024-05-03-neibu.md": "---\ntitle: 新的内部新闻\nvisibility: internal\n"
            "date: 2024-05-03\n---\n内部正文。\n",
        },
    )
    _add_keys(content, "guides/yuancheng-shipin-huijian.md", "draft: true\n")
    before = _public_out(tmp_path)
    with epoch(EPOCH):
        run = jiandi(
            "diff", "--content", "content", "--no-booklets", "--format", "json", cwd=tmp_path
        )
    assert run.code == 0, run.output
    found = {item["url"]: item["change"] for item in json.loads(run.output)}
    assert set(found.values()) <= {"added", "changed", "removed"}
    assert found["/events/2024-05-02-xinwen/"] == "added"
    assert found["/policies/xingshi-jiuye-zinv/"] == "changed"
    assert found["/guides/yuancheng-shipin-huijian/"] == "removed"
    assert found["/news/"] == "changed"  # the list that shows the new event
    assert not [url for url in found if "neibu" in url or url.startswith("/internal")]
    assert _public_out(tmp_path) == before  # OUT is never written
    with epoch(EPOCH):
        text = jiandi("diff", "--content", "content", "--no-booklets", cwd=tmp_path)
    assert text.code == 0
    assert "改动  /policies/xingshi-jiuye-zinv/" in text.output
    assert "    + 新增的一段说明己庚。" in text.output
    assert "新的内部新闻" not in text.output and "内部正文" not in text.output
    assert _public_out(tmp_path) == before


def test_diff_with_nothing_published_lists_everything_as_added(tmp_path):
    _sample(tmp_path)
    with epoch(EPOCH):
        run = jiandi(
            "diff", "--content", "content", "--no-booklets", "--format", "json", cwd=tmp_path
        )
    assert run.code == 0, run.output
    changes = {item["change"] for item in json.loads(run.output)}
    assert changes == {"added"}
    assert not (tmp_path / "site").exists()


def test_diff_reports_content_errors_as_build_does(tmp_path):
    content = _sample(tmp_path)
    _add_keys(content, POLICY, "updates: 今天\n")
    run = jiandi("diff", "--content", "content", "--no-booklets", cwd=tmp_path)
    assert run.code == 1
    assert any("yibao-guodu-anzhi.md:" in line for line in run.lines), run.output
    assert "对比失败" in run.output and "Traceback" not in run.output


def test_the_build_state_changes_when_an_embargo_lifts_on_the_same_day(tmp_path):
    """A rebuild an hour later on the same day must render the record whose embargo lifted."""
    import datetime as dt

    from generator import editions
    from generator.clock import CHINA
    from generator.config import load_base_config
    from generator.content.load import load
    from generator.site.project import project_state

    content = _sample(tmp_path)
    _add_keys(content, POLICY, 'publish_at: "2024-06-01 09:30"\n')
    base = load_base_config(ROOT / "mkdocs.yml")
    states = []
    for hour in (9, 10):
        corpus, _ = load(content, now=dt.datetime(2024, 6, 1, hour, tzinfo=CHINA))
        edition = editions.make(corpus, "public")
        states.append(project_state(edition, base, ROOT / "templates", False)["frame"])
    assert states[0] != states[1]


def test_new_keeps_a_record_that_still_needs_its_required_signoffs(tmp_path):
    """A record just written cannot have been signed: `new` keeps it and says review is next."""
    _sample(tmp_path)
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        text.replace("      required: []", "      required: [初审]", 1), "utf-8"
    )
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    run = jiandi(
        "new", "event", "--title", "回访活动", "--date", "2024-06-03", "--visibility", "public",
        "--content", "content", cwd=tmp_path,
    )  # fmt: skip
    assert run.code == 0, run.output
    assert "警告" in run.output and "还没有 “初审”" in run.output
    assert list((tmp_path / "content/events").glob("2024-06-03-*.md"))


def test_a_prompt_left_by_new_is_a_warning_at_its_line(tmp_path):
    _sample(tmp_path)
    run = jiandi(
        "new", "event", "--title", "回访活动", "--date", "2024-06-03", "--visibility", "public",
        "--content", "content", cwd=tmp_path,
    )  # fmt: skip
    assert run.code == 0, run.output
    assert "警告" in run.output and "“请填写地点”" in run.output
    (path,) = (tmp_path / "content/events").glob("2024-06-03-*.md")
    run = jiandi("check", "--content", "content", cwd=tmp_path)
    assert run.code == 0, run.output
    prompts = [line for line in run.lines if "这是 jiandi new 留下的提示文字" in line]
    number = path.read_text("utf-8").splitlines().index("location: 请填写地点") + 1
    assert any(f"{path.name}:{number}: 警告" in line for line in prompts), prompts
    assert any("请在这里写正文" in line for line in prompts)
    assert not [line for line in run.lines if "提示文字" in line and path.name not in line]


SPELLINGS = [
    "https://jiandi.example.cn./events/{id}/",  # a trailing dot
    "https://jiandi%2Eexample.cn/events/{id}/",  # a percent-escape in the host
    "https://jiandi.example.cn\\events/{id}/",  # a backslash, which browsers read as a slash
    "https://jiandi。example.cn/events/{id}/",  # an ideographic full stop
    "https://ｊiandi.example.cn/events/{id}/",  # a full-width letter
    "HTTPS://JIANDI.EXAMPLE.CN:443/events/{id}/",  # capitals and the default port
    "https://user@jiandi.example.cn/events/{id}/",  # a user name
]


def test_the_sites_own_host_is_recognised_however_it_is_spelt(tmp_path):
    """A link to an internal page, or to a draft, on the site's own host is refused at check and
    by the output guard whatever spelling of the host browsers read as the same."""
    from generator.guard.published import Context, _resolve

    internal = "2024-01-10-lianluoyuan-huishang"
    context = Context(
        frozenset({"index.html"}),
        "https://jiandi.example.cn/",
        internal_pages={f"events/{internal}": f"events/{internal}"},
    )
    for spelling in SPELLINGS:
        url = spelling.format(id=internal)
        found = _resolve("events/x/index.html", url, context, resource=False)
        assert found and "只在内部版中存在" in found, (url, found)
    content = _sample(tmp_path)
    record = content / "events/2023-12-27-qianyue.md"
    text = record.read_text("utf-8")
    links = [f"[链接{i}]({s.format(id=internal)})" for i, s in enumerate(SPELLINGS)]
    links.append(f"<https://jiandi.example.cn/events/{internal}/>")  # an autolink
    record.write_text(text + "\n" + "\n\n".join(links) + "\n", "utf-8")
    run = jiandi("check", "--content", "content", cwd=tmp_path)
    refused = [line for line in run.lines if "链接到了内部记录" in line]
    assert len(refused) == len(links), run.output


def test_found_by_attack_each_is_refused_or_mended(tmp_path):
    """What a stranger's attack found: each now gives a message at its line, or holds."""
    content = _sample(tmp_path)
    record = "events/2023-12-27-qianyue.md"
    _add_keys(
        content,
        record,
        'review:\n  - {role: 初审, by: 王五 13912345678, on: 2099-01-01, digest: "sha256:0000000000000000"}\n',
    )
    _add_keys(
        content, "policies/yibao-guodu-anzhi.md", "publish_at: !!timestamp 2024-02-30T00:00:00Z\n"
    )
    _add_keys(
        content,
        "policies/xingshi-jiuye-zinv.md",
        "publish_at: !!timestamp 9999-12-31T23:00:00-12:00\n",
    )
    write_tree(
        content,
        {
            "events/2024-05-05-kongzhi.md": "---\ntitle: 控制字符\nvisibility: public\n"
            'location: "会议室\\0"\ndate: 2024-05-05\n---\n正文。\n'
        },
    )
    run = jiandi("check", "--content", "content", cwd=tmp_path)
    assert "Traceback" not in run.output and "内部错误" not in run.output
    assert any("qianyue.md:5:" in line and "晚于今天" in line for line in run.lines), run.output
    assert not [line for line in run.lines if "手机号" in line]  # a sign-off is internal
    assert sum("不是发布时间" in line for line in run.lines) == 2
    assert any("kongzhi.md:4:" in line and "控制字符" in line for line in run.lines), run.output
    with epoch(99999999999999):
        run = jiandi("check", "--content", "content", cwd=tmp_path)
    assert run.code == 2 and "超出了日期的范围" in run.output


def test_a_file_where_a_folder_of_records_should_be_is_an_error(tmp_path):
    content = _sample(tmp_path)
    shutil.rmtree(content / "guides")
    (content / "guides").write_text("不是文件夹\n", "utf-8")
    run = jiandi("check", "--content", "content", cwd=tmp_path)
    assert run.code == 1
    assert any("content/guides:1:" in line and "应该是一个文件夹" in line for line in run.lines)


def test_a_withdrawn_bureau_builds_without_its_feed_and_briefing(tmp_path):
    content = _sample(tmp_path)
    _add_keys(content, "bureaus/ningxiang.md", "withdrawn: {date: 2024-02-01, reason: 机构调整}\n")
    with epoch(EPOCH):
        run = jiandi("build", "--content", "content", cwd=tmp_path)
    assert run.code == 0, run.output
    page = _page(tmp_path, "public", "bureaus/ningxiang")
    assert "机构调整" in page and "ningxiang.xml" not in page and "ningxiang.pdf" not in page


def test_a_trailing_double_space_is_part_of_the_signed_content(tmp_path):
    """Two spaces at the end of a line make a line break: the page changes, so must the digest."""
    from generator.content.load import load
    from generator.workflow.review import digest

    content = _sample(tmp_path)
    path = content / "events/2023-12-27-qianyue.md"
    before = digest(load(content)[0], load(content)[0].get("events/2023-12-27-qianyue"))
    text = path.read_text("utf-8").rstrip("\n").split("\n")
    text[-3] += "  "
    path.write_text("\n".join(text) + "\n", "utf-8")
    corpus = load(content)[0]
    assert digest(corpus, corpus.get("events/2023-12-27-qianyue")) != before


def test_a_draft_does_not_shift_the_public_index_numbers(tmp_path):
    from generator.content.disclosure import index_numbers
    from generator.content.load import load

    content = _sample(tmp_path)
    issuers = {"涟源市司法局": "11431382EXAMPLE002"}
    for name in ("xingshi-jiuye-zinv", "yibao-guodu-anzhi"):
        path = content / f"policies/{name}.md"
        path.write_text(re.sub(r"\nserial: \d+\n", "\n", path.read_text("utf-8")), "utf-8")
    numbers = {k: str(v) for k, v in index_numbers(load(content)[0], issuers).items()}
    write_tree(
        content,
        {
            "policies/caogao.md": "---\ntitle: 草稿解读\nvisibility: public\ndraft: true\n"
            "issuer: 涟源市司法局\ndate: 2024-01-01\n---\n正文。\n"
        },
    )
    after = {k: str(v) for k, v in index_numbers(load(content)[0], issuers).items()}
    assert {k: after[k] for k in numbers} == numbers


def test_diff_compares_only_with_a_public_edition_and_runs_before_sign_off(tmp_path):
    content = _sample(tmp_path)
    _build(tmp_path)
    internal_as_public = tmp_path / "copy"
    shutil.copytree(tmp_path / "site/internal", internal_as_public / "public")
    with epoch(EPOCH):
        run = jiandi("diff", "--content", "content", "--no-booklets", "--out", "copy", cwd=tmp_path)
    assert run.code == 1 and "不是 jiandi 生成的公开版" in run.output
    assert "执行情况" not in run.output and "内部资料" not in run.output
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        text.replace("      required: []", "      required: [保密审查]", 1), "utf-8"
    )
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    edited = content / "policies/xingshi-jiuye-zinv.md"
    edited.write_text(edited.read_text("utf-8") + "\n待审的新段落。\n", "utf-8")
    with epoch(EPOCH):
        run = jiandi("diff", "--content", "content", "--no-booklets", cwd=tmp_path)
    assert run.code == 0, run.output
    assert "审核还没有完成" in run.output and "+ 待审的新段落。" in run.output
    with epoch(EPOCH):
        assert jiandi("build", "--content", "content", "--no-booklets", cwd=tmp_path).code == 1


PUBLIC_EDITS = {
    "title": lambda t, s: t.replace("title: ", f"title: {s}", 1),
    "summary": lambda t, s: t.replace("summary: ", f"summary: {s}", 1),
    "body": lambda t, s: t.replace("\n---\n", f"\n---\n{s}\n\n", 1),
    "body end": lambda t, s: t + f"\n{s}\n",
    "new key": lambda t, s: t.replace("\n---\n", f"\nlocation: {s}\n---\n", 1),
    "update": lambda t, s: t.replace(
        "\n---\n", f"\nupdates:\n  - {{date: 2024-06-01, note: {s}}}\n---\n", 1
    ),
}
INTERNAL_EDITS = {
    "internal section": lambda t, s: t + f"\n::: internal\n{s}\n:::\n",
    "internal field": lambda t, s: t.replace("\n---\n", f"\ninternal:\n  notes: {s}\n---\n", 1),
    "sign-off": lambda t, s: t.replace(
        "\n---\n",
        f'\nreview:\n  - {{role: 初审, by: {s}, on: 2024-01-01, digest: "sha256:0123456789abcdef"}}\n---\n',
        1,
    ),
}
BASE = "---\ntitle: 标题\nvisibility: public\ndate: 2024-05-06\nsummary: 摘要\n---\n正文第一段。\n"


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edit=st.sampled_from(sorted(PUBLIC_EDITS) + sorted(INTERNAL_EDITS)),
    text=st.text(alphabet="甲乙丙丁戊己庚辛abcXYZ0123", min_size=1, max_size=12),
)
def test_any_public_change_moves_the_digest_and_no_internal_one_does(tmp_path_factory, edit, text):
    from generator.content.load import load
    from generator.workflow.review import digest

    work = tmp_path_factory.mktemp("digest")
    path = work / "content/events/r.md"
    write_tree(work / "content", {"topics.yml": "a: 甲\n", "events/r.md": BASE})
    corpus = load(work / "content")[0]
    before = digest(corpus, corpus.get("events/r"))
    change = PUBLIC_EDITS.get(edit) or INTERNAL_EDITS[edit]
    path.write_text(change(BASE, text), "utf-8")
    corpus, problems = load(work / "content")
    entry = corpus.get("events/r")
    assert entry is not None, problems.items
    assert (digest(corpus, entry) != before) == (edit in PUBLIC_EDITS), edit


def test_found_by_the_second_attack(tmp_path):
    """Addresses set by an attribute list, a scheme with one slash or none, HTML links in
    fields: each refused at its line by check; an unknown nested key in words; a future update
    date warned about; and diff says no reviewer's name when other errors stop it."""
    content = _sample(tmp_path)
    draft = "events/2024-02-01-caogao"
    write_tree(
        content,
        {
            f"{draft}.md": "---\ntitle: 草稿\nvisibility: public\ndraft: true\ndate: 2024-02-01\n"
            "---\n草稿。\n"
        },
    )
    record = content / "events/2023-12-27-qianyue.md"
    lines = [
        f'[甲](https://example.org/){{: href="/{draft}/" }}',
        f'![乙](../assets/qianyue.jpg){{: src="/{draft}/" }}',
        f"[丙](https:/jiandi.example.cn/{draft}/)",
        f"[丁](https:jiandi.example.cn/{draft}/)",
    ]
    text = record.read_text("utf-8")
    record.write_text(text + "\n" + "\n\n".join(lines) + "\n", "utf-8")
    first = len(text.splitlines()) + 2
    _add_keys(
        content,
        "policies/anzhi-bangjiao-fanwei.md",
        'status_reason: 见<a href="../x/">内部指引</a>\n'
        "updates:\n  - {date: 2099-03-01, note: 补充}\n",
    )
    _add_keys(
        content,
        "policies/jianyufa-68-tiao.md",
        "updates:\n  - {date: 2024-03-01, note: 补充, by: 张三}\n",
    )
    run = jiandi("check", "--content", "content", cwd=tmp_path)
    assert run.code == 1
    at = {line.split(": ", 1)[0] for line in run.lines}
    for offset in (0, 2):
        assert f"content/events/2023-12-27-qianyue.md:{first + offset}" in at, run.output
    assert sum("草稿（draft: true）" in line for line in run.lines) == 2, run.output
    assert any(
        "anzhi-bangjiao-fanwei.md:4:" in line and "字段里不能写 Markdown 链接或图片" in line
        for line in run.lines
    )
    assert any("不认识的字段 “by”" in line for line in run.lines), run.output
    assert any(
        "anzhi-bangjiao-fanwei.md:6: 警告" in line and "晚于今天" in line for line in run.lines
    )
    assert "Extra inputs" not in run.output
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        text.replace("      required: []", "      required: [初审]", 1), "utf-8"
    )
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    _add_keys(
        content,
        "events/2023-12-27-kaifu-zhuanchang.md",
        'review:\n  - {role: 初审, by: 审核员王秘密, on: 2024-01-01, digest: "sha256:0123456789abcdef"}\n',
    )
    run = jiandi("diff", "--content", "content", "--no-booklets", cwd=tmp_path)
    assert run.code == 1 and "对比失败" in run.output
    assert "王秘密" not in run.output and "重新审核" not in run.output
