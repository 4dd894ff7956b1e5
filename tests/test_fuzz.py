"""Fuzzing the loader: any input loads or gives content problems with a file and line, and never
raises anything else."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.check import validate
from tests.conftest import BUREAU, TOPICS, write_tree

KEYS = [
    "title",
    "visibility",
    "date",
    "summary",
    "topics",
    "bureaus",
    "parent",
    "related",
    "internal",
    "figures",
    "short_name",
    "region",
    "标题",
    "visiblity",
    "valid_until",
]
SCALARS = st.one_of(
    st.text(max_size=20),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.sampled_from(
        [
            "public",
            "internal",
            "2024-02-30",
            "2023-12-27",
            "[a, b",
            "{x: 1}",
            "13812345678",
            "lianyuan",
            "anzhi-bangjiao",
            "'",
            '"',
            "|",
            ">",
            "- a",
            "&a",
            "*a",
            "!!python/object:os.system",
            "\t",
            "：",
            "---",
            "...",
        ]
    ),
)
VALUE = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.sampled_from(KEYS), children, max_size=3)
    ),
    max_leaves=8,
)


def yaml_line(key: str, value: object) -> str:
    return f"{key}: {value!r}" if not isinstance(value, str) else f"{key}: {value}"


BODY = st.lists(
    st.one_of(
        st.text(alphabet=string.printable + "中文：，。::: internal`~<>[]()!#", max_size=40),
        st.sampled_from(
            [
                "::: internal",
                ":::",
                "```",
                "~~~",
                "[a](../events/x.md)",
                "![i](../assets/n.png)",
                "[j](javascript:alert(1))",
                "<script>x</script>",
                "::: intenral",
            ]
        ),
    ),
    max_size=8,
).map("\n".join)

FRONT = st.lists(st.tuples(st.sampled_from(KEYS), VALUE), max_size=8).map(
    lambda pairs: "\n".join(yaml_line(k, v) for k, v in pairs)
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(["events", "policies", "agreements", "bureaus"]),
    front=FRONT,
    body=BODY,
    opening=st.sampled_from(["---\n", "", "--- \n", "\ufeff---\n"]),
    closing=st.sampled_from(["\n---\n", "\n", "\n...\n", "\n--- \n"]),
)
def test_loader_never_crashes(tmp_path_factory, kind, front, body, opening, closing):
    root = write_tree(
        tmp_path_factory.mktemp("fuzz"), {"topics.yml": TOPICS, "bureaus/lianyuan.md": BUREAU}
    )
    path = root / kind / "x.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(opening + front + closing + body, encoding="utf-8")
    corpus, problems = validate(root)
    for problem in problems.items:
        assert problem.path.exists() and problem.line >= 1 and problem.message
    if not problems.errors:
        assert corpus.get(f"{kind}/x") is not None or kind == "bureaus"


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=200))
def test_random_bytes(tmp_path_factory, data):
    root = write_tree(tmp_path_factory.mktemp("bytes"), {"topics.yml": TOPICS})
    (root / "events").mkdir()
    (root / "events" / "x.md").write_bytes(data)
    corpus, problems = validate(root)
    assert problems.errors or corpus.get("events/x") is not None
