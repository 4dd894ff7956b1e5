"""The record kinds, in one place: each kind's folder, model, word on the command line, page
template, scaffolding template, id rule and index-number category. Every stage reads them here.

Adding a kind is adding one line to ``KINDS`` (and its model and templates)."""

from __future__ import annotations

from dataclasses import dataclass

from generator.content.model import Agreement, Bureau, Event, Guide, Policy, Record


@dataclass(frozen=True)
class Kind:
    folder: str  # content/<folder>/<id>.md, and the kind in a ref: "events/<id>"
    model: type[Record]
    word: str  # on the command line: jiandi new <word>
    dated_id: bool  # ids made by `jiandi new` start with the date
    index_category: str | None = None  # 索引号 category, for records published as 政务公开

    @property
    def label(self) -> str:  # 新闻, 政策解读 …
        return self.model.label

    @property
    def page_template(self) -> str:  # templates/<word>.md.j2: the record's page
        return f"{self.word}.md.j2"

    @property
    def new_template(self) -> str:  # templates/new/<word>.md.j2: `jiandi new`
        return f"new/{self.word}.md.j2"


# In loading order: bureaus first, which the others name.
KINDS: dict[str, Kind] = {
    kind.folder: kind
    for kind in (
        Kind("bureaus", Bureau, "bureau", dated_id=False),
        Kind("events", Event, "event", dated_id=True),
        Kind("policies", Policy, "policy", dated_id=False, index_category="ZCJD"),
        Kind("agreements", Agreement, "agreement", dated_id=True, index_category="GJXY"),
        Kind("guides", Guide, "guide", dated_id=False),
    )
}
BY_WORD: dict[str, Kind] = {kind.word: kind for kind in KINDS.values()}
RECORD_TYPES: dict[str, type[Record]] = {folder: kind.model for folder, kind in KINDS.items()}
INDEXED = [kind for kind in KINDS.values() if kind.index_category]


# The programme's vocabulary, shared by search segmentation and record ids.

# Words jieba must never split, whatever the content says.
PROGRAMME_TERMS = [
    "监地共建",
    "监地联合帮教",
    "安置帮教",
    "社区矫正",
    "远程会见",
    "法律援助",
    "心理咨询",
    "就业招聘",
    "基地建设",
    "法治教育",
    "政策宣传",
    "亲情帮教",
    "帮教团",
    "刑满释放",
    "过渡安置",
    "服刑人员",
    "司法局",
    "司法所",
    "雁北监狱",
    "暂予监外执行",
    "死刑缓期",
    "帮教档案",
]
