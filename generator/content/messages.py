"""What an author reads when a value is wrong: pydantic's validation errors and unknown keys
in words a press officer understands, for records, topics and the site settings alike."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic_core import ErrorDetails

# Keys authors write for the ones the model means (Chinese names, common misspellings).
KEY_ALIASES = {
    "标题": "title",
    "日期": "date",
    "摘要": "summary",
    "简介": "summary",
    "可见性": "visibility",
    "公开": "visibility",
    "主题": "topics",
    "专题": "topics",
    "司法局": "bureaus",
    "地区": "region",
    "简称": "short_name",
    "内部": "internal",
    "相关": "related",
    "上级": "parent",
    "地点": "location",
    "数据": "figures",
}


def unknown_key_message(key: object, allowed: list[str], kind_label: str) -> str:
    text = str(key)
    hint = KEY_ALIASES.get(text)
    if hint is None or hint not in allowed:
        close = difflib.get_close_matches(text.lower(), allowed, n=1, cutoff=0.6)
        hint = close[0] if close else None
    message = f"未知的字段 “{text}”（{kind_label}记录不接受这个字段）"
    if hint:
        return f"{message}：是不是要写 “{hint}”？"
    return f"{message}：可用的字段有 {', '.join(allowed)}"


def _where(loc: tuple[Any, ...]) -> str:
    """("figures", 0, "source") → "figures 第 1 项的 source"."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f" 第 {part + 1} 项"
        else:
            text += f"的 {part}" if text.endswith("项") else (f".{part}" if text else str(part))
    return text


def validation_message(error: ErrorDetails) -> str:
    # A union of int and float names its branch in the location: the author wrote one value.
    loc = _where(tuple(part for part in error["loc"] if part not in ("int", "float")))
    kind = error["type"]
    if kind == "finite_number":
        return f"{loc}: 应该是一个普通的数字，不能是 .inf 或 .nan"
    value = error.get("input")
    if kind == "missing" and len(error["loc"]) > 1:
        *outer, name = error["loc"]
        return f"缺少必填字段 “{name}”（在 {_where(tuple(outer))} 里）"
    if kind == "missing":
        return f"缺少必填字段 “{loc}”"
    if kind == "literal_error" and error["loc"][-1] == "visibility":
        return f"visibility 只能是 public（公开）或 internal（内部），现在是 “{value}”"
    if kind == "literal_error":
        return f"{loc}: “{value}” 不是可选的值（{error['ctx']['expected']}）"
    if kind in ("string_type",):
        return f"{loc}: 应该是一段文字，现在是 {describe(value)}"
    if kind == "list_type":
        return f"{loc}: 应该是一个列表，例如 [a, b]，或每项一行 “- a”"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"{loc}: 应该是一组“字段: 值”，现在是 {describe(value)}"
    if kind in ("int_type", "float_type", "int_parsing", "float_parsing", "int_from_float"):
        return f"{loc}: 应该是一个数字，现在是 {describe(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"{loc}: 应该是 true 或 false，现在是 {describe(value)}"
    if kind == "too_short":
        return f"{loc}: 至少要写一项"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(error.get("ctx", {}).values()), "")
        word = {
            "greater_than_equal": "不能小于",
            "greater_than": "应该大于",
            "less_than_equal": "不能大于",
            "less_than": "应该小于",
        }[kind]
        return f"{loc}: {word} {bound}，现在是 {describe(value)}"
    if kind in ("dict_keys", "string_type") and error["loc"] and error["loc"][-1] == "[key]":
        return f"{loc}: 每一项都要写成“名字: 值”，名字是文字"
    if kind == "value_error":
        return f"{loc}: {error['ctx']['error']!s}"
    if kind == "extra_forbidden":
        *outer, name = error["loc"] or ("?",)
        where = f"（在 {_where(tuple(outer))} 里）" if outer else ""
        return f"不认识的字段 “{name}”{where}：请检查拼写，或删掉这一行"
    return f"{loc}: {error['msg']}"


def describe(value: object) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return f"“{str(value).lower()}”"
    if isinstance(value, (list, dict)):
        return "列表" if isinstance(value, list) else "一组字段"
    return f"“{value}”"
