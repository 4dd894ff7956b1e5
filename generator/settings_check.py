"""The top-level ``mkdocs.yml`` checked as records are: every problem at its line, in words a
press officer can act on, so that ``build`` never starts with settings it cannot use.

* read strictly (a key written twice, an anchor: an error), with the line of every key
  (``LineMap``: a compose of the text, so lines are right even when the strict reader refuses);
* unknown keys, at the top, under ``theme`` and under ``extra.jiandi``, with a did-you-mean;
* the types of what jiandi and Material read (config.py), and everything else with MkDocs' own
  validation (a misspelt plugin, ``dev_addr: 5``), its message prefixed with what to do;
* only the plugins jiandi knows (``search``): another changes pages behind the page cache, and
  some load from other hosts at build time (``privacy``) or rewrite every link (``offline``);
* what jiandi sets itself (``docs_dir``, ``nav``, ``hooks`` …): a warning that it is not used.
"""

from __future__ import annotations

import copy
import difflib
import tempfile
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel, ValidationError

from generator.config import Settings
from generator.content import yamlstrict
from generator.content.messages import validation_message
from generator.problems import Problems

PLUGINS = {"search", "material/search", "jiandi"}
# What jiandi decides for every generated project, whatever mkdocs.yml says.
SET_BY_JIANDI = {
    "docs_dir": "内容目录由 jiandi 生成",
    "site_dir": "输出文件夹用 jiandi build --out 指定",
    "nav": "导航由 jiandi 按栏目生成",
    "strict": "jiandi 总是用严格模式构建",
    "use_directory_urls": "jiandi 总是用目录式网址",
    "hooks": "jiandi 用它自己的 MkDocs 插件",
    "validation": "链接检查由 jiandi 设定",
}
SET_IN_THEME = {
    "custom_dir": "主题覆盖文件在 templates/overrides",
    "font": "公开网站不能用在线字体",
}


class LineMap:
    """The line of every key and list item of a YAML text, from the composed nodes (so it
    holds for texts the strict reader refuses: anchors, keys written twice, where the last one
    wins as in MkDocs)."""

    def __init__(self, text: str):
        self.lines: dict[tuple[str, ...], int] = {}
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            root = None
        if root is not None:
            self._walk(root, ())

    def _walk(self, node: yaml.Node, where: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = (
                    ("null" if key.tag.endswith(":null") else str(key.value))
                    if isinstance(key, yaml.ScalarNode)
                    else "?"
                )
                path = (*where, name)
                self.lines[path] = key.start_mark.line + 1
                self._walk(value, path)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.lines[(*where, str(index))] = item.start_mark.line + 1
                self._walk(item, (*where, str(index)))

    def line(self, loc: tuple[Any, ...]) -> int:
        """The line of ``loc``, or of the nearest enclosing key that has one (else 1)."""
        parts = tuple(
            "null" if p is None else str(p).lower() if isinstance(p, bool) else str(p) for p in loc
        )
        for end in range(len(parts), 0, -1):
            found = self.lines.get(parts[:end])
            if found is not None:
                return found
        return 1


def line_with(text: str, needle: str) -> int:
    """The first line of ``text`` that holds ``needle`` (1 if none does): for a value rather
    than a key (a personal number in a setting, an extension's name)."""
    for number, line in enumerate(text.split("\n"), start=1):
        if needle and needle in line:
            return number
    return 1


def _mkdocs_keys() -> set[str]:
    from mkdocs.config.defaults import get_schema

    return {name for name, _option in get_schema()} - {"config_file_path"}


def check_settings(base: dict[str, Any], path: Path, text: str, problems: Problems) -> bool:
    """Every problem of the settings, at its line. Returns True when jiandi can use them (the
    other checks of the settings run only then)."""
    lines = LineMap(text)
    errors_before = len(problems.errors)

    def add(loc: tuple[Any, ...], message: str, severity: str = "error") -> None:
        problems.add(
            "JD901" if severity == "error" else "JD903",
            path,
            lines.line(loc),
            message,
            "error" if severity == "error" else "warning",
        )

    try:
        yamlstrict.load(text)
    except yamlstrict.YamlProblem as problem:
        problems.add("JD901", path, problem.line, f"站点设置：{problem.message}")
    known = set(Settings.model_fields) | _mkdocs_keys()
    _unknown(base, (), known, add)
    theme = base.get("theme")
    if "INHERIT" in base:
        add(
            ("INHERIT",),
            "jiandi 不支持 INHERIT（从另一个文件继承设置）：请把设置直接写在 mkdocs.yml 里",
        )
    try:
        Settings.model_validate(base)
    except ValidationError as error:
        seen: set[tuple[Any, ...]] = set()
        for item in error.errors():
            loc = tuple(p for p in item["loc"] if not _is_type_name(p))
            if item["type"] == "invalid_key" or loc in seen:
                continue  # a key that is no name: reported above
            seen.add(loc)
            if item["type"] == "extra_forbidden":  # a key the model under it does not have
                model = _model_at(loc[:-1])
                fields = set(model.model_fields) if model is not None else set()
                _unknown({loc[-1]: None}, tuple(str(p) for p in loc[:-1]), fields, add)
                continue
            add(loc, f"站点设置 {validation_message({**item, 'loc': loc})}")
    _plugins(base, add)
    for key, why in SET_BY_JIANDI.items():
        if key in base:
            add((key,), f"{key}: 这一项不起作用：{why}。可以删掉它", "warning")
    for key, why in SET_IN_THEME.items():
        if isinstance(theme, dict) and theme.get(key) not in (None, False):
            add(("theme", key), f"theme.{key}: 这一项不起作用：{why}。可以删掉它", "warning")
    if len(problems.errors) == errors_before:
        _mkdocs_validation(base, add)
    return len(problems.errors) == errors_before


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The settings model that holds the keys at ``loc`` (``("extra", "jiandi")`` →
    JiandiSettings), or None."""
    model: type[BaseModel] = Settings
    for part in loc:
        field = model.model_fields.get(part) if isinstance(part, str) else None
        if field is None:
            return None
        found = [
            t
            for t in (field.annotation, *get_args(field.annotation))
            if isinstance(t, type) and issubclass(t, BaseModel)
        ]
        if not found:
            return None
        model = found[0]
    return model


def _is_type_name(part: Any) -> bool:
    """A part of a pydantic error location that names a type of a union, not a key."""
    return isinstance(part, str) and (
        "[" in part
        or part in ("str", "int", "bool", "dict", "list", "float", "literal", "function-after")
        or part.startswith(("literal[", "function-"))
    )


def _unknown(mapping: dict[Any, Any], where: tuple[str, ...], allowed: set[str], add: Any) -> None:
    for key in mapping:
        if isinstance(key, str) and key in allowed:
            continue
        name = ".".join((*where, str(key)))
        if not isinstance(key, str):
            add((*where, key), f"站点设置里有一个不是名字的键 “{key}”：每一项写成“名字: 值”")
            continue
        close = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
        hint = f"是不是要写 “{close[0]}”？" if close else "请删掉它，或改成文档里的设置名"
        add((*where, key), f"未知的设置 “{name}”（MkDocs 和 jiandi 都没有这个设置）：{hint}")


def _plugins(base: dict[str, Any], add: Any) -> None:
    plugins = base.get("plugins")
    if not isinstance(plugins, list):
        return
    names = []
    for index, item in enumerate(plugins):
        name = (
            item
            if isinstance(item, str)
            else next(iter(item), None)
            if isinstance(item, dict)
            else None
        )
        if not isinstance(name, str):
            continue  # a wrong shape: reported by the types
        names.append(name)
        if name not in PLUGINS:
            add(
                ("plugins", index),
                f"plugins: 不接受插件 “{name}”：jiandi 只用 search（搜索）。其他插件"
                f"会在 jiandi 检查不到的地方改动页面，有的还会在构建时从其他网站下载文件。请删掉它",
            )
    if names and not ({"search", "material/search"} & set(names)):
        add(("plugins",), "plugins: 没有 search：网站的搜索框需要它，请加上 - search", "warning")
    if len(names) != len(set(names)):
        add(("plugins",), "plugins: 同一个插件写了两次：请删掉一个")


def _mkdocs_validation(base: dict[str, Any], add: Any) -> None:
    """MkDocs' own validation of every setting jiandi does not type (the search plugin's
    options included), on a copy with what jiandi sets itself (a temporary docs folder, no
    nav or hooks). Runs only when everything else is right, so the plugins are known ones."""
    from mkdocs.config.defaults import MkDocsConfig

    # A deep copy: MkDocs' validation takes the settings apart as it reads them.
    settings = copy.deepcopy({k: v for k, v in base.items() if k not in SET_BY_JIANDI})
    failed: list[tuple[str, Exception]]
    with tempfile.TemporaryDirectory(prefix="jiandi-settings-") as folder:
        settings.update(docs_dir=str(Path(folder) / "docs"), site_dir=str(Path(folder) / "site"))
        (Path(folder) / "docs").mkdir()
        config = MkDocsConfig(config_file_path=str(Path(folder) / "mkdocs.yml"))
        config.load_dict(settings)
        try:
            failed, _warnings = config.validate()
        except Exception as broken:  # noqa: BLE001 - a setting MkDocs cannot even validate
            failed = [("", broken)]
    for key, reason in failed:
        add(
            (key,),
            f"{key or '站点设置'}: MkDocs 不接受这个值（{reason}）：请按 MkDocs 的说明改正，或删掉这一项",
        )
