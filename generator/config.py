"""The project's configuration: the top-level ``mkdocs.yml`` and the templates, found once.

``check`` reads the site settings as it reads records: a text the public site shows (site name,
description, copyright, home page intro, nav titles) must hold no personal number, and nothing
configured may make a public page load from another host (``extra_javascript``, ``extra_css``,
``extra.analytics``, ``repo_url``, a logo or favicon on another host) unless that host is listed
in ``extra.jiandi.allowed_hosts``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from generator.content.sections import join_cjk_lines
from generator.problems import ContentError, Problems

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def project_file(name: str) -> Path:
    """A project file (``mkdocs.yml``, ``templates``): the current folder's, else jiandi's own."""
    local = Path.cwd() / name
    return local if local.exists() else PROJECT_ROOT / name


def load_base_config(path: Path) -> dict[str, Any]:
    """The top-level ``mkdocs.yml`` as loaded by MkDocs' YAML reader; what cannot be read is a
    problem at its line (``check`` then reads it strictly: settings_check.py)."""

    def refuse(line: int, message: str) -> ContentError:
        problems = Problems()
        problems.add("JD901", path, line, message)
        return ContentError(problems)

    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise refuse(1, f"无法读取站点配置（{error.strerror}）：请检查这个文件的权限") from None
    except UnicodeDecodeError:
        raise refuse(
            1, "站点配置不是 UTF-8 编码（常见为 GBK）：请在编辑器里把 mkdocs.yml 另存为 UTF-8"
        ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        if "could not determine a constructor for the tag" in str(error):
            message = "站点配置用了 YAML 标签（例如 !ENV）：jiandi 读不了它们，请直接写出这一项的值"
        else:
            from generator.content.yamlstrict import explain

            message = f"站点配置：{explain(error)}"
        raise refuse(line, message) from None
    if not isinstance(data, dict):
        raise refuse(1, "站点配置必须是“字段: 值”的形式")
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


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("机构名称不能为空")
    return value.strip()


def _pattern(regex: str, what: str, example: str) -> Any:
    def check(value: str) -> str:
        if not re.fullmatch(regex, value.strip()):
            raise ValueError(f"“{value}” 不像{what}：应写成 {example} 这样")
        return value.strip()

    return AfterValidator(check)


def _image_alone(value: Any) -> Any:
    return {"image": value} if isinstance(value, str) else value


class ConacMark(_Strict):
    """``extra.jiandi.site.conac_mark``: the 党政机关网站标识 and the page that verifies it."""

    image: Annotated[
        str, _pattern(r"assets/\S+\.(png|gif|jpg|jpeg)", "标识图片的路径", "assets/conac.png")
    ]  # in the content folder, as the registry issued it
    link: (
        Annotated[
            str,
            _pattern(
                r"https://bszs\.conac\.cn/\S+",
                "党政机关网站标识的验证链接",
                "https://bszs.conac.cn/sitename?method=show&id=…",
            ),
        ]
        | None
    ) = None  # without it the mark is shown unlinked (check warns: readers cannot verify it)


class SiteIdentity(_Strict):
    """``extra.jiandi.site``: what a Chinese government website shows in every footer. Each
    item is shown when it is set."""

    sponsor: str | None = None  # 主办单位
    operator: str | None = None  # 承办单位
    address: str | None = None
    phone: str | None = None  # a public office number (personal numbers are refused)
    email: Annotated[
        str | None, _pattern(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", "电子邮箱", "ban@example.gov.cn")
    ] = None
    site_code: Annotated[str | None, _pattern(r"[0-9A-Z]{10}", "网站标识码", "4300000001")] = None
    icp: Annotated[
        str | None, _pattern(r"\S+ICP备\d{4,12}号(-\d+)?", "ICP 备案号", "湘ICP备12345678号-1")
    ] = None
    police_record: Annotated[
        str | None,
        _pattern(r"\S+公网安备\s*\d{10,16}号", "公安机关备案号", "湘公网安备 43010202000001号"),
    ] = None
    # 党政机关网站标识, shown first in the footer; written as {image, link} or as the image alone
    conac_mark: Annotated[ConacMark | None, BeforeValidator(_image_alone)] = None

    @property
    def police_code(self) -> str:
        """The digits the national public-security record page is looked up by."""
        return re.sub(r"\D", "", self.police_record or "")


DEFAULT_ROLES = ["初审", "复审", "终审", "保密审查"]


class ReviewSettings(_Strict):
    """``extra.jiandi.review``: the sign-off steps (先审后发) and which of them a public record
    needs before it is published. Nothing is required by default, so content without
    sign-offs builds."""

    roles: list[Annotated[str, AfterValidator(_non_blank)]] = Field(
        default_factory=lambda: list(DEFAULT_ROLES), min_length=1
    )
    required: list[Annotated[str, AfterValidator(_non_blank)]] = []

    @model_validator(mode="after")
    def _required_are_roles(self) -> ReviewSettings:
        unknown = [role for role in self.required if role not in self.roles]
        if unknown:
            raise ValueError(
                f"required 里的 {'、'.join(unknown)} 不在 roles 里：required 只能写 roles 中有的"
                f"审核环节（{'、'.join(self.roles)}）"
            )
        if len(set(self.roles)) != len(self.roles):
            raise ValueError("roles 里有重复的审核环节：每个环节只写一次")
        return self


class JiandiSettings(_Strict):
    """``extra.jiandi``: what jiandi itself reads (documented in the sample mkdocs.yml)."""

    intro: str = ""  # the home page's text (Markdown)
    # Numbers must be written as numbers: ``true`` or ``"12"`` is a mistake, not a 1 or a 12.
    latest: int = Field(default=8, ge=1, le=200, strict=True)  # items in "latest" lists
    briefing_months: int = Field(default=12, ge=0, le=600, strict=True)  # printed in full
    internal_suffix: str = "（内部版）"  # appended to site_name in the internal edition
    allowed_hosts: list[Annotated[str, AfterValidator(_host)]] = []
    site: SiteIdentity = SiteIdentity()
    review: ReviewSettings = ReviewSettings()
    # 发布机构 → 机构代码 (统一社会信用代码, or a 9-character 组织机构代码): the 索引号 of a policy
    # explainer or agreement starts with its issuer's code; the first body is the default issuer.
    issuers: dict[
        Annotated[str, AfterValidator(_non_blank)],
        Annotated[
            str,
            _pattern(
                r"[0-9A-Z]{18}|[0-9A-Z]{8}-?[0-9A-Z]",
                "机构代码（18 位统一社会信用代码或 9 位组织机构代码）",
                "11430000006155404A",
            ),
        ],
    ] = {}


class Extra(BaseModel):
    """``extra``: the theme's own keys are typed as Material reads them, and others pass
    through to the templates; jiandi's live under ``jiandi``."""

    model_config = ConfigDict(extra="allow")
    jiandi: JiandiSettings = JiandiSettings()
    analytics: dict[str, Any] | None = None
    alternate: list[dict[str, Any]] = []
    social: list[dict[str, Any]] = []
    generator: bool = True


def _language(value: str) -> str:
    from importlib.resources import files

    if not files("material").joinpath(f"templates/partials/languages/{value}.html").is_file():
        raise ValueError(f"Material 主题没有 “{value}” 这种界面语言：中文网站请写 zh")
    return value


class Theme(_Strict):
    """``theme``: the keys of MkDocs and of Material's ``mkdocs_theme.yml``, typed; jiandi's
    overrides are written for Material alone."""

    name: Literal["material"] = "material"
    custom_dir: str | None = None
    static_templates: list[str] = []
    locale: str | None = None
    language: Annotated[str, AfterValidator(_language)] = "zh"
    direction: Literal["ltr", "rtl"] | None = None
    features: list[str] = []
    font: Literal[False] | dict[str, str] | None = False
    palette: dict[str, Any] | list[dict[str, Any]] | None = None
    icon: dict[str, str | dict[str, str]] | None = None
    logo: str | None = None
    favicon: str | None = None


def _one_entry(value: Any) -> Any:
    """A ``markdown_extensions`` or ``plugins`` item: a name, or one name with its settings."""
    if isinstance(value, str) and value:
        return value
    if isinstance(value, dict) and len(value) == 1:
        name, options = next(iter(value.items()))
        if isinstance(name, str) and name and (options is None or isinstance(options, dict)):
            return value
    raise ValueError(
        "每一项写一个名字（例如 - tables），或一个名字和它的设置（例如 - toc: {permalink: false}）"
    )


Entry = Annotated[Any, AfterValidator(_one_entry)]


class Settings(BaseModel):
    """Everything jiandi reads from the top-level ``mkdocs.yml``. Other MkDocs settings are
    accepted as MkDocs defines them and checked by MkDocs' own validation at ``check``
    (settings_check.py); a key neither knows is an error."""

    model_config = ConfigDict(extra="allow")
    site_name: str = "监地共建"
    site_description: str = ""
    site_author: str = ""
    site_url: Annotated[str, AfterValidator(_site_url)] = ""
    copyright: str = ""
    repo_url: str = ""
    theme: Theme = Theme()
    markdown_extensions: list[Entry] = []
    plugins: list[Entry] = ["search"]
    extra_javascript: list[str | dict[str, Any]] = []
    extra_css: list[str] = []
    extra_templates: list[str] = []
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
            "site": self.jiandi.site,
        }


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
