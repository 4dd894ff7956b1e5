"""A strict YAML loader for front matter and ``topics.yml``.

PyYAML's safe loader accepts duplicate keys (the last one silently wins) and turns
``2024-02-30`` into an exception with no line. This loader refuses duplicate keys, keeps dates
as text (the model validates them with a message an author understands) and remembers the line
of every key and list item, so a validation error deep inside a record still names its line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

# libyaml's parser (in PyYAML's wheels) is several times faster than PyYAML's own; the
# constructor below stays in Python.
_BaseLoader = yaml.CSafeLoader


class LineMap(dict[Any, Any]):
    """A mapping that knows the (1-based) line of itself and of each of its keys."""

    line: int
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A list that knows the (1-based) line of itself and of each of its items."""

    line: int
    item_lines: list[int]


class YamlProblem(Exception):
    """A YAML text that cannot be read; ``line`` is 1-based within the text given."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class _StrictLoader(_BaseLoader):
    line_offset = 0  # added to every line, so lines are those of the whole file


_StrictLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


ALIAS_MESSAGE = (
    "YAML 的锚点、引用和合并（&名称、*名称、<<:）不能用：它们会把一处写的内容（例如 "
    "internal 里的内容）悄悄复制到另一处，可能被公开。请把每个值直接写出来"
)


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> LineMap:
    for key_node, _value in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise YamlProblem(key_node.start_mark.line + 1 + loader.line_offset, ALIAS_MESSAGE)
    result = LineMap()
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, bool) and isinstance(key_node, yaml.ScalarNode):
            key = key_node.value  # YAML 1.1 reads the key ``on:`` (of a sign-off) as true
        line = key_node.start_mark.line + 1 + loader.line_offset
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise YamlProblem(line, "字段名必须是简单的文字（如 title、date）")
        if key in result:
            first = result.key_lines[key]
            raise YamlProblem(
                line, f'字段 "{key}" 写了两次（第 {first} 行已经有了）：请删掉其中一个'
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader: _StrictLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.item_lines = [child.start_mark.line + 1 + loader.line_offset for child in node.value]
    return result


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


# A date written with an explicit tag (``!!timestamp 2024-02-30``) stays text too, for the model
# to read (PyYAML would fail on an impossible date with no line, or shift a time zone).
def _construct_timestamp(loader: _StrictLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


TAB_MESSAGE = "这一行有制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格"


def explain(error: yaml.YAMLError) -> str:
    """A YAML error in words an author can act on."""
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None) or ""
    if "mapping values are not allowed" in problem:
        return (
            "YAML 格式错误：这一行多了一个冒号。如果值里本身有英文冒号，请把整个值用引号括起来，"
            '例如 title: "会议：第一次"'
        )
    if "could not find expected ':'" in problem:
        return "YAML 格式错误：这一行缺少“字段: 值”中的英文冒号，或者上一行的引号没有闭合"
    if "found unexpected end of stream" in problem or "found unexpected end" in problem:
        return "YAML 格式错误：引号或括号没有闭合"
    detail = f"{context} {problem}".strip()
    return f"YAML 格式错误（{detail}）：请检查这一行的缩进、冒号和引号"


def load(text: str, first_line: int = 1) -> Any:
    """Load one YAML document strictly; raise :class:`YamlProblem` with a line on any error.

    ``first_line`` is the file line of the text's first line: every line reported, and every
    line remembered in the result, is a line of the file.
    """
    loader = _StrictLoader(text)
    loader.line_offset = first_line - 1
    try:
        _refuse_aliases(text, first_line)
        return loader.get_single_data()
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark is not None else first_line
        lines = text.split("\n")
        bad = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
        if "\t" in bad[: max(len(bad) - len(bad.lstrip()), 1)] or "tab" in str(error).lower():
            raise YamlProblem(line, TAB_MESSAGE) from None
        raise YamlProblem(line, explain(error)) from None
    except yaml.YAMLError as error:
        raise YamlProblem(first_line, explain(error)) from None
    except RecursionError:
        raise YamlProblem(first_line, "YAML 嵌套太深，无法读取") from None
    except (ValueError, OverflowError, TypeError):  # a value PyYAML itself cannot make
        raise YamlProblem(
            first_line,
            "front matter 里有一个读不出来的值（例如带 !! 标记的写法）：请改成普通的写法",
        ) from None
    finally:
        loader.dispose()


def _refuse_aliases(text: str, first_line: int) -> None:
    """Fail on the first anchor (``&a``) or alias (``*a``): the composed data would show a
    copied value as if it had been written there, with no trace of where it came from."""
    if "&" not in text and "*" not in text:
        return
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = event.start_mark
            raise YamlProblem((mark.line if mark else 0) + first_line, ALIAS_MESSAGE)


def line_of(data: Any, loc: tuple[Any, ...], default: int) -> int:
    """The line of the value at ``loc`` (a pydantic error location) inside loaded ``data``."""
    line = default
    node = data
    for part in loc:
        if isinstance(node, LineMap) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line


def leaves(node: Any, line: int, path: str = "") -> Iterator[tuple[str, int, str]]:
    """(text, line, path) of every value inside a loaded value, however deep: the one walk
    over front matter (``path`` as ``internal.notes`` or ``figures.0.label``). Empty values
    and true/false say nothing and are skipped."""
    if isinstance(node, LineMap):
        for key, value in node.items():
            yield from leaves(
                value, node.key_lines.get(key, line), f"{path}.{key}" if path else str(key)
            )
    elif isinstance(node, LineList):
        for index, (item, item_line) in enumerate(zip(node, node.item_lines, strict=True)):
            yield from leaves(item, item_line, f"{path}.{index}" if path else str(index))
    elif node is not None and not isinstance(node, bool):
        yield str(node), line, path


def to_plain(data: Any) -> Any:
    """The same data with plain dicts and lists (for dumping), lines dropped."""
    if isinstance(data, dict):
        return {key: to_plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [to_plain(item) for item in data]
    return data
