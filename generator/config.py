"""The project's configuration: the top-level ``mkdocs.yml`` and the templates, found once.

``check`` reads the site settings as it reads records: a text the public site shows (site name,
description, copyright, home page intro, nav titles) must hold no personal number, and nothing
configured may make a public page load from another host (``extra_javascript``, ``extra_css``,
``extra.analytics``, ``repo_url``, a logo or favicon on another host) unless that host is listed
in ``extra.jiandi.allowed_hosts``.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from generator.content.sections import join_cjk_lines
from generator.problems import ContentError, Problems

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def project_file(name: str) -> Path:
    """A project file (``mkdocs.yml``, ``templates``): the current folder's, else jiandi's own."""
    local = Path.cwd() / name
    return local if local.exists() else PROJECT_ROOT / name


def load_base_config(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        problems = Problems()
        problems.add(
            "JD901",
            path,
            getattr(getattr(error, "problem_mark", None), "line", 0) + 1,
            f"无法读取站点配置：{error}",
        )
        raise ContentError(problems) from None
    if not isinstance(data, dict):
        problems = Problems()
        problems.add("JD901", path, 1, "站点配置必须是“字段: 值”的形式")
        raise ContentError(problems)
    return data


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _host(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9.-]+(:\d+)?", value.lower()):
        raise ValueError(
            f"“{value}” 不是网站域名：写域名本身，例如 static.example.gov.cn"
            f"（不写 https://，也不写路径）"
        )
    return value.lower()


def _site_url(value: str) -> str:
    parts = urlsplit(value)
    if value and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise ValueError(f"“{value}” 不是网站地址：写完整的地址，例如 https://jiandi.example.cn/")
    return value


class JiandiSettings(_Strict):
    """``extra.jiandi``: what jiandi itself reads (documented in the sample mkdocs.yml)."""

    intro: str = ""  # the home page's text (Markdown)
    latest: int = Field(default=8, ge=1, le=200)  # items in the "latest" lists
    briefing_months: int = Field(
        default=12, ge=0, le=600
    )  # months a bureau briefing prints in full
    internal_suffix: str = "（内部版）"  # appended to site_name in the internal edition
    allowed_hosts: list[Annotated[str, AfterValidator(_host)]] = []


class Extra(BaseModel):
    """``extra``: the theme's own keys pass through; jiandi's live under ``jiandi``."""

    model_config = ConfigDict(extra="allow")
    jiandi: JiandiSettings = JiandiSettings()
    analytics: Any = None


class Theme(BaseModel):
    """``theme``: jiandi's overrides are written for Material; its other keys pass through."""

    model_config = ConfigDict(extra="allow")
    name: Literal["material"] = "material"
    custom_dir: str | None = None
    logo: str | None = None
    favicon: str | None = None
    language: str = "zh"


Plugin = str | dict[str, dict[str, Any] | None]


class Settings(BaseModel):
    """Everything jiandi reads from the top-level ``mkdocs.yml``. Other MkDocs settings are
    accepted as MkDocs defines them (``MKDOCS_KEYS``); a key neither knows is an error."""

    model_config = ConfigDict(extra="allow")
    site_name: str = "监地共建"
    site_description: str = ""
    site_author: str = ""
    site_url: Annotated[str, AfterValidator(_site_url)] = ""
    copyright: str = ""
    repo_url: str = ""
    theme: Theme = Theme()
    markdown_extensions: list[Plugin] = []
    plugins: list[Plugin] = ["search"]
    extra_javascript: list[str | dict[str, Any]] = []
    extra_css: list[str] = []
    extra: Extra = Extra()

    @property
    def jiandi(self) -> JiandiSettings:
        return self.extra.jiandi

    def template_values(self) -> dict[str, Any]:
        """What every page template sees as ``settings``."""
        return {
            "site_name": self.site_name,
            "intro": join_cjk_lines(self.jiandi.intro),
            "latest": self.jiandi.latest,
            "internal_suffix": self.jiandi.internal_suffix,
            "briefing_months": self.jiandi.briefing_months,
        }


def _mkdocs_keys() -> set[str]:
    from mkdocs.config.defaults import get_schema

    return {name for name, _option in get_schema()} - {"config_file_path"}


def settings_of(base: dict[str, Any]) -> Settings:
    """The typed settings of a loaded ``mkdocs.yml`` (``check`` has reported what is wrong;
    a build never starts with settings that fail here)."""
    try:
        return Settings.model_validate(base)
    except ValidationError as error:
        raise SettingsError(str(error)) from None


class SettingsError(ValueError):
    """Settings that ``check`` should have refused."""


def allowed_hosts(base: dict[str, Any]) -> list[str]:
    return settings_of(base).jiandi.allowed_hosts


def line_with(text: str, needle: str) -> int:
    """The first line of ``text`` that holds ``needle`` (1 if none does)."""
    for number, line in enumerate(text.split("\n"), start=1):
        if needle and needle in line:
            return number
    return 1


def _lines(text: str, path: Path, problems: Problems) -> Any:
    """The settings with the line of every key, read as strictly as records: a key written
    twice (MkDocs would silently take the last) or an anchor is an error."""
    from generator.content import yamlstrict

    try:
        return yamlstrict.load(text)
    except yamlstrict.YamlProblem as problem:
        problems.add("JD901", path, problem.line, f"站点设置：{problem.message}")
        return None


def check_settings(base: dict[str, Any], path: Path, text: str, problems: Problems) -> bool:
    """Unknown keys (with a did-you-mean) and values of the wrong kind, at their lines.
    Returns True when the settings are valid."""
    from generator.content import yamlstrict
    from generator.content.messages import validation_message

    lined = _lines(text, path, problems)
    valid = lined is not None

    def unknown(where: tuple[str, ...], key: object, allowed: set[str]) -> None:
        nonlocal valid
        valid = False
        close = difflib.get_close_matches(str(key), sorted(allowed), n=1, cutoff=0.6)
        name = ".".join((*where, str(key)))
        hint = f"是不是要写 “{close[0]}”？" if close else "请删掉它，或改成文档里的设置名"
        line = yamlstrict.line_of(lined, (*where, key), 0) if lined else 0
        problems.add(
            "JD901",
            path,
            line or line_with(text, f"{key}:"),
            f"未知的设置 “{name}”（MkDocs 和 jiandi 都没有这个设置）：{hint}",
        )

    for key in base:
        if key not in Settings.model_fields and key not in _mkdocs_keys():
            unknown((), key, set(Settings.model_fields) | _mkdocs_keys())
    extra = base.get("extra")
    settings = extra.get("jiandi") if isinstance(extra, dict) else None
    if isinstance(settings, dict):
        for key in settings:
            if key not in JiandiSettings.model_fields:
                unknown(("extra", "jiandi"), key, set(JiandiSettings.model_fields))
    try:
        Settings.model_validate(base)
    except ValidationError as error:
        for item in error.errors():
            if item["type"] == "extra_forbidden":
                continue  # reported above, with a did-you-mean
            loc = tuple(item["loc"])
            line = yamlstrict.line_of(lined, loc, 0) if lined else 0
            problems.add(
                "JD901",
                path,
                line or line_with(text, f"{loc[-1]}:"),
                f"站点设置 {validation_message(item)}",
            )
            valid = False
    return valid


def markdown_settings(base: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """The site's Markdown extensions and their settings, from mkdocs.yml."""
    names: list[str] = []
    configs: dict[str, Any] = {}
    for item in base.get("markdown_extensions") or []:
        if isinstance(item, dict) and item:
            name, options = next(iter(item.items()))
            names.append(str(name))
            configs[str(name)] = options or {}
        else:
            names.append(str(item))
    return names, configs
