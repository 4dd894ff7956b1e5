"""The content model, v1: one pydantic model per record type, every field documented.

This module is the schema. ``README.md`` documents the same keys for authors (a test keeps the
two in step). Fields under ``internal`` exist only in the internal edition.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
)

ID_PATTERN = re.compile(r"^[a-z0-9-]+$")


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f'"{value}" 不是日期：请写成 YYYY-MM-DD，例如 2023-12-27')
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f'"{text}" 不是日历上存在的日期：请检查月份和日子') from None


def _parse_as_of(value: Any) -> str:
    """An as-of date: a whole date (2023-12-27) or a month (2023-12)."""
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}", text):
        month = int(text[5:])
        if 1 <= month <= 12:
            return text
        raise ValueError(f'"{text}" 的月份不存在：请写成 YYYY-MM，例如 2023-12')
    return _parse_date(text).isoformat()


def _check_id(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise ValueError(f'"{value}" 不是有效的编号：只能用小写英文字母、数字和连字符 -')
    return value


def _non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("不能为空")
    return value.strip()


def _number_as_text(value: Any) -> Any:
    """A phone number or a year written without quotes is still text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Date = Annotated[dt.date, BeforeValidator(_parse_date)]
AsOf = Annotated[str, BeforeValidator(_parse_as_of)]
RecordId = Annotated[StrictStr, AfterValidator(_check_id)]


def _no_controls(value: str) -> str:
    """No control character (written as an escape, ``"\\0"``, in a quoted value): it shows
    nothing, and feeds and pages cannot hold it."""
    found = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", value)
    if found:
        raise ValueError(
            f"里有一个看不见的控制字符（编码 {ord(found.group()):#04x}）：请删掉它（常见于从别处复制的文字）"
        )
    return value


Str = Annotated[StrictStr, BeforeValidator(_number_as_text), AfterValidator(_no_controls)]
Text = Annotated[Str, AfterValidator(_non_empty)]


def _one_line(value: str) -> str:
    """A title or a summary is one line, however the YAML wrapped it: they are set into lists,
    headings and feeds, where a line break would start a new Markdown block (a heading, a
    list item) on every page that shows them."""
    if "\n" not in value:
        return value
    joined = re.sub(
        r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\s*\n\s*"
        r"(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])",
        "",
        value,
    )
    return re.sub(r"\s*\n\s*", " ", joined)


OneLine = Annotated[Text, AfterValidator(_one_line)]
Number = int | Annotated[float, Field(allow_inf_nan=False)]  # .inf and .nan are no figures


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Figure(_Strict):
    """A key figure, always with the date it was true on and where it comes from."""

    label: Text = Field(description="what is counted, e.g. 参加亲情帮教的服刑人员")
    value: Number = Field(description="the number itself, e.g. 360 or 55")
    unit: Str = Field("", description="unit shown after the number, e.g. 名, %, 份")
    approx: StrictBool = Field(False, description="true for “余” (more than): 360余名")
    as_of: AsOf = Field(description="as-of date: YYYY-MM-DD, or YYYY-MM for a month")
    source: Text = Field(description="where the figure comes from (report, register, article)")


class FollowUp(_Strict):
    """A follow-up item: a question not answered on the day, a promised visit, a document."""

    item: Text = Field(description="what must be done")
    owner: Str = Field("", description="who does it (office or post, not a private person)")
    due: Date | None = Field(None, description="due date, YYYY-MM-DD")
    status: Literal["open", "done"] = Field("open", description="open or done")
    note: Str = Field("", description="anything worth knowing about it")


class Contact(_Strict):
    """A working contact for staff."""

    name: Text = Field(description="name of the contact person or office")
    role: Str = Field("", description="post or office")
    phone: Str = Field("", description="phone number")
    email: Str = Field("", description="e-mail address")


class InternalFields(BaseModel):
    """``internal:``: fields shown in the internal edition only. Any further key is allowed."""

    model_config = ConfigDict(extra="allow", frozen=True)

    notes: Str | None = Field(None, description="free notes for staff")
    follow_ups: list[FollowUp] = Field(default_factory=list, description="follow-up items")
    contacts: list[Contact] = Field(default_factory=list, description="working contacts")

    def extras(self) -> dict[str, Any]:
        """The free-form keys beyond the well-known ones, in the order written."""
        return dict(self.model_extra or {})


def _as_list(value: Any) -> Any:
    """One item written without a list (``basis: 《监狱法》第四十八条``) is a list of one."""
    return [value] if isinstance(value, str) else value


def _web_address(value: str) -> str:
    if not re.fullmatch(r"https?://[^\s/?#]+\.[^\s/?#]+[^\s]*", value.strip()):
        raise ValueError(
            f'"{value}" 不是网址：请写完整的网址，例如 https://www.example.gov.cn/ban/'
        )
    return value.strip()


Items = Annotated[list[Text], BeforeValidator(_as_list), Field(min_length=1)]
WebAddress = Annotated[StrictStr, AfterValidator(_web_address)]


def _parse_moment(value: Any) -> dt.datetime:
    """A moment in Beijing time: YYYY-MM-DD (its midnight) or YYYY-MM-DD HH:MM."""
    from generator.clock import CHINA

    if isinstance(value, dt.datetime):
        return value.astimezone(CHINA) if value.tzinfo else value.replace(tzinfo=CHINA)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(), tzinfo=CHINA)
    text = str(value).strip()
    found = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?", text)
    if not found:
        raise ValueError(
            f'"{value}" 不是发布时间：请写成 YYYY-MM-DD 或 "YYYY-MM-DD HH:MM"（北京时间），'
            f'例如 "2024-06-01 09:00"'
        )
    day = _parse_date(found.group(1))
    if not 1900 <= day.year <= 9000:
        raise ValueError(f'"{text}" 不像是真实的发布时间：请检查年份')
    hour, minute = int(found.group(2) or 0), int(found.group(3) or 0)
    if hour > 23 or minute > 59:
        raise ValueError(f'"{text}" 的时间不存在：小时写 0–23，分钟写 0–59')
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=CHINA)


Moment = Annotated[dt.datetime, BeforeValidator(_parse_moment)]
DIGEST = re.compile(r"^sha256:[0-9a-f]{16}$")


def _check_digest(value: str) -> str:
    if not DIGEST.match(value):
        raise ValueError(
            f'"{value}" 不是 jiandi approve 写下的摘要（sha256: 加 16 位）：请不要手改审核记录，'
            f"删掉这一条后重新运行 jiandi approve"
        )
    return value


class SignOff(_Strict):
    """One sign-off (审核) of a record, as ``jiandi approve`` writes it. Internal: never public."""

    role: Text = Field(description="the review step, one of extra.jiandi.review.roles, e.g. 初审")
    by: Text = Field(description="who signed off (name or post)")
    on: Date = Field(description="the day of the sign-off, YYYY-MM-DD (Beijing time)")
    digest: Annotated[StrictStr, AfterValidator(_check_digest)] = Field(
        description="digest of the record's public content when it was signed off"
    )


class Update(_Strict):
    """One entry of ``updates:``: a change made to a published record, and why."""

    date: Date = Field(description="the day of the change, YYYY-MM-DD")
    note: OneLine = Field(description="what changed, for readers, e.g. 补充了办理地点")


class Withdrawal(_Strict):
    """``withdrawn:``: the record is withdrawn; its page stays with a notice, lists drop it."""

    date: Date = Field(description="the day it was withdrawn, YYYY-MM-DD")
    reason: OneLine = Field(description="why, for readers, e.g. 活动安排已调整")


class Photo(_Strict):
    """``image:``: a record's lead photo, shown at the top of its page and in lists and feeds."""

    src: Text = Field(description="the photo in the content folder, e.g. assets/qianyue.jpg")
    alt: Str = Field("", description="what the photo shows, for readers who cannot see it")
    caption: Str = Field("", description="caption printed under the photo")


class Record(_Strict):
    """Keys every record type accepts."""

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""

    title: OneLine = Field(description="title of the record")
    visibility: Literal["public", "internal"] = Field(
        description="public or internal; required, there is no default"
    )
    summary: OneLine | None = Field(
        None, description="one or two sentences for lists, feeds, search"
    )
    topics: list[RecordId] = Field(default_factory=list, description="topic slugs from topics.yml")
    bureaus: list[RecordId] = Field(default_factory=list, description="ids of bureaus concerned")
    related: list[StrictStr] = Field(
        default_factory=list,
        description="related records: events/<id>, policies/<id>, agreements/<id> or bureaus/<id>",
    )
    internal: InternalFields | None = Field(None, description="internal-only fields")
    draft: StrictBool = Field(
        False, description="true: kept out of the public edition, marked 草稿 in the internal one"
    )
    publish_at: Moment | None = Field(
        None,
        description="embargo: not public before this moment, YYYY-MM-DD or YYYY-MM-DD HH:MM"
        " (Beijing time)",
    )
    review: list[SignOff] = Field(
        default_factory=list, description="sign-offs (审核), written by jiandi approve; internal"
    )
    updates: list[Update] = Field(
        default_factory=list, description="changes after publication: [{date, note}] (更新记录)"
    )
    withdrawn: Withdrawal | None = Field(
        None, description="withdrawn: {date, reason}; the page stays with a notice"
    )
    public_numbers: list[Text] = Field(
        default_factory=list,
        description="numbers deliberately public (a hotline), exempt from the personal-data guard",
    )


class Bureau(Record):
    """A county-level justice bureau (司法局): ``content/bureaus/<id>.md``."""

    kind: ClassVar[str] = "bureaus"
    label: ClassVar[str] = "司法局"

    short_name: Text = Field(description="short name used in lists, e.g. 涟源市")
    region: Text = Field(description="city or prefecture (市/州) it belongs to, e.g. 娄底市")
    address: Str | None = Field(None, description="office address")
    phone: Str | None = Field(None, description="public office phone (landline)")
    figures: list[Figure] = Field(default_factory=list, description="key figures")


class Event(Record):
    """News: an activity, visit, signing ceremony or special session: ``content/events/<id>.md``."""

    kind: ClassVar[str] = "events"
    label: ClassVar[str] = "新闻"

    date: Date = Field(description="date of the event, YYYY-MM-DD")
    parent: RecordId | None = Field(None, description="id of the main event this one belongs to")
    location: Str | None = Field(None, description="where it took place")
    figures: list[Figure] = Field(default_factory=list, description="figures reported")
    image: Photo | None = Field(None, description="lead photo: {src, alt, caption}")


Validity = Literal["有效", "已修订", "已废止", "已失效"]


class Disclosure(Record):
    """Disclosure metadata (政务公开) shared by policy explainers and agreements."""

    issuer: Str | None = Field(None, description="publishing body (发布机构)")
    written: Date | None = Field(None, description="date the document was written (成文日期)")
    status: Validity = Field("有效", description="有效, 已修订, 已废止 or 已失效 (有效性)")
    status_date: Date | None = Field(
        None, description="date the status last changed (required unless 有效)"
    )
    status_reason: OneLine | None = Field(
        None, description="why it was revised or repealed (shown with 已修订 and 已废止)"
    )
    valid_until: Date | None = Field(
        None, description="end of validity, YYYY-MM-DD: 已失效 by itself after that day"
    )
    replaced_by: Str | None = Field(
        None, description="the record that replaces this one (policies/<id>), if revised"
    )
    serial: int | None = Field(
        None, ge=1, description="serial of the index number (索引号); written once, never changed"
    )


class Policy(Disclosure):
    """A policy explainer (政策解读): ``content/policies/<id>.md``."""

    kind: ClassVar[str] = "policies"
    label: ClassVar[str] = "政策解读"

    date: Date | None = Field(None, description="publication date, YYYY-MM-DD (发布日期)")
    legal_basis: list[Text] = Field(
        default_factory=list, description="laws and rules it explains, e.g. 《监狱法》第六十八条"
    )
    image: Photo | None = Field(None, description="lead photo: {src, alt, caption}")


class Agreement(Disclosure):
    """A signed co-operation agreement with one or more bureaus: ``content/agreements/<id>.md``."""

    kind: ClassVar[str] = "agreements"
    label: ClassVar[str] = "共建协议"

    date: Date = Field(description="signing date, YYYY-MM-DD")
    bureaus: list[RecordId] = Field(min_length=1, description="ids of the bureaus that signed")
    parties: list[Text] = Field(default_factory=list, description="the signing parties")
    published: Date | None = Field(
        None, description="publication date (发布日期), if published later"
    )
    valid_from: Date | None = Field(None, description="start of validity, if not the signing date")


class Guide(Record):
    """A service guide for families (办事指南): ``content/guides/<id>.md``. Every element a
    government-website inspector looks for is a required key; ``fee`` and ``online`` are optional."""

    kind: ClassVar[str] = "guides"
    label: ClassVar[str] = "办事指南"

    date: Date | None = Field(None, description="date the guide was published or revised")
    basis: Items = Field(description="the rules it rests on (依据), one or a list")
    eligibility: Text = Field(description="who may apply and on what conditions (对象和条件)")
    materials: Items = Field(description="what to bring (材料), a list")
    place: Text = Field(description="where to go (地点)")
    hours: Text = Field(description="when (时间): office hours, booking days")
    phone: Text = Field(description="public landline for questions (咨询电话)")
    steps: Items = Field(description="how it goes, step by step (流程), a list")
    fee: Str | None = Field(None, description="what it costs (收费), e.g. 不收费")
    online: WebAddress | None = Field(None, description="web address where it can be done online")
    image: Photo | None = Field(None, description="lead photo: {src, alt, caption}")


class Topic(_Strict):
    """An entry of ``topics.yml``: a co-operation area or theme."""

    name: Text = Field(description="display name, e.g. 安置帮教")
    description: Str = Field("", description="one sentence about the topic")
