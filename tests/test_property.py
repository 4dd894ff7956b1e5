"""Property: whatever mix of public and internal records, sections and fields, no internal token
reaches any public byte, and every public token is published."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import jiandi, write_tree

RECORD = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["events", "policies", "agreements"]),
        "public": st.booleans(),
        "section": st.booleans(),
        "field": st.booleans(),
        "linked": st.booleans(),
    }
)


def front(kind: str, title: str, public: bool, field: str | None) -> str:
    lines = [
        f"title: {title}",
        f"visibility: {'public' if public else 'internal'}",
        "bureaus: [b]",
        "topics: [t]",
    ]
    if kind in ("events", "agreements"):
        lines.append("date: 2024-05-06")
    if field:
        lines.append(f"internal:\n  notes: {field}\n  extra_field: [{field}x]")
    return "---\n" + "\n".join(lines) + "\n---\n"


def corpus(records: list[dict], salt: int) -> tuple[dict[str, str], set[str], set[str]]:
    files = {
        "topics.yml": "t: 专题\n",
        "bureaus/b.md": "---\ntitle: 某市司法局\nshort_name: 某市\nregion: 某州\n"
        "visibility: public\n---\n简介。\n",
    }
    public, internal = set(), set()
    for i, rec in enumerate(records):
        tag = f"{i}z{salt}"
        title, body = f"title{tag}", f"body{tag}"
        section, field = f"section{tag}", f"field{tag}"
        (public if rec["public"] else internal).update({title, body})
        text = front(rec["kind"], f"标题 {title}", rec["public"], field if rec["field"] else None)
        text += f"正文 {body} 结束。\n"
        if rec["section"]:
            text += f"\n::: internal\n内部 {section} 段落。\n:::\n"
            internal.add(section)
        if rec["field"]:
            internal.update({field, field + "x"})
        if rec["linked"] and i > 0 and (records[i - 1]["public"] or not rec["public"]):
            prev = records[i - 1]["kind"]
            text += f"\n见[上一条](../{prev}/r{i - 1}.md)。\n"
        files[f"{rec['kind']}/r{i}.md"] = text
    return files, public, internal


def readable_bytes(root: Path) -> str:
    chunks = []
    for path in sorted(root.rglob("*")):
        chunks.append(str(path.relative_to(root)))
        if path.is_file():
            chunks.append(path.read_bytes().decode("utf-8", "ignore"))
    return "\n".join(chunks).replace("\u200b", "")


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=st.lists(RECORD, min_size=1, max_size=6), salt=st.integers(0, 10**6))
def test_no_internal_token_in_public_bytes(tmp_path_factory, records, salt):
    work = tmp_path_factory.mktemp("prop")
    files, public, internal = corpus(records, salt)
    write_tree(work / "content", files)
    run = jiandi("build", "--no-booklets", "--content", "content", cwd=work)
    assert run.code == 0, run.output
    public_text = readable_bytes(work / "site" / "public")
    internal_text = readable_bytes(work / "site" / "internal")
    assert sorted(t for t in internal if t in public_text) == []
    assert sorted(t for t in public if t not in public_text) == []
    assert sorted(t for t in public | internal if t not in internal_text) == []


PART = st.sampled_from(["events", "2023", "a", "index.md", "x.md", "bureaus", "news.xml", "."])


@given(
    st.lists(PART.filter(lambda p: p != "."), min_size=1, max_size=4), st.lists(PART, max_size=4)
)
def test_links_between_pages_are_what_relpath_says(target, start):
    """render.relative, the fast relpath every generated link goes through."""
    import posixpath

    from generator.site.render import relative

    target_path, start_path = "/".join(target), "/".join(start) or "."
    assert relative(target_path, start_path) == posixpath.relpath(target_path, start_path)
