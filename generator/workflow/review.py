"""Sign-off (先审后发): the digest of what the public edition publishes of a record, the check
that every required role signed off that very content, and the text edit ``jiandi approve``
makes to a record's front matter.

The digest covers the record's public fields (everything but ``internal``, ``review`` and the
scheduling keys ``draft`` and ``publish_at``), its body without ``::: internal`` sections, and
the bytes of every asset its public part shows. A change to internal sections or fields alone
leaves it as it was; any change a public reader could see makes it another.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from generator import clock
from generator.content.corpus import Corpus, Entry
from generator.content.model import SignOff
from generator.problems import Problems

# Keys the digest leaves out: internal, or when (not what) a record is published.
UNSIGNED = {"internal", "review", "draft", "publish_at"}


def public_body(entry: Entry) -> str:
    """The body as the public edition has it, with runs of blank lines evened out (where an
    internal section was cut, nothing changes on the page). Everything else counts, trailing
    spaces included: two of them make a line break."""
    text = "\n\n".join(s.text for s in entry.segments if not s.internal)
    return re.sub(r"\n(?:[ \t]*\n){2,}", "\n\n", text.strip("\n"))


def digest(corpus: Corpus, entry: Entry, site_url: str = "") -> str:
    """``sha256:`` and 16 hex digits of the record's public content (see the module)."""
    from generator.media.usage import entry_assets

    fields = entry.data.model_dump(mode="json", exclude=UNSIGNED)
    assets = {}
    for name in sorted(entry_assets(corpus, entry, site_url)):
        assets[name] = hashlib.sha256(corpus.assets[name].read_bytes()).hexdigest()
    canonical = json.dumps(
        {"ref": entry.ref, "fields": fields, "body": public_body(entry), "assets": assets},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Standing:
    """Where one record stands for one role: the latest sign-off and whether it still holds."""

    role: str
    signed: SignOff | None
    current: bool  # the sign-off's digest is the record's digest now


def standing(entry: Entry, roles: list[str], now_digest: str) -> list[Standing]:
    result = []
    for role in roles:
        signed = [s for s in entry.data.review if s.role == role]
        latest = signed[-1] if signed else None
        result.append(Standing(role, latest, latest is not None and latest.digest == now_digest))
    return result


@dataclass(frozen=True)
class Waiting:
    """A record still to be signed off: the required roles it lacks, or whose sign-off no
    longer matches its public content."""

    entry: Entry
    missing: list[str]
    outdated: list[Standing]

    def needs(self) -> list[str]:
        """What is still to do, in words: 初审; 保密审查（…改动，需重新审核）."""
        again = [
            f"{p.role}（{p.signed.by if p.signed else ''}审核后内容有改动，需重新审核）"
            for p in self.outdated
        ]
        return [*self.missing, *again]


@dataclass(frozen=True)
class Signed:
    """One sign-off in the ledger, and whether the record's public content is still what it
    saw."""

    entry: Entry
    signoff: SignOff
    current: bool


@dataclass(frozen=True)
class Ledger:
    """The 审核台账 of the internal edition: who signed what and when, and what is waiting."""

    roles: list[str]
    required: list[str]
    waiting: list[Waiting]  # records meant to be public, drafts and embargoed ones included
    signed: list[Signed]  # newest first
    unsigned: int  # records meant to be public with no sign-off at all


def ledger(corpus: Corpus, roles: list[str], required: list[str], site_url: str) -> Ledger:
    """Where every record stands, for the internal edition's 审核台账 page."""
    waiting: list[Waiting] = []
    signed: list[Signed] = []
    unsigned = 0
    for entry in sorted(corpus.all(), key=lambda e: e.ref):
        if not entry.meant_public and not entry.data.review:
            continue  # internal and never signed: not published, nothing to show
        now_digest = digest(corpus, entry, site_url)
        signed.extend(Signed(entry, s, s.digest == now_digest) for s in entry.data.review)
        if not entry.meant_public:
            continue
        unsigned += not entry.data.review
        places = standing(entry, required, now_digest)
        missing = [p.role for p in places if p.signed is None]
        outdated = [p for p in places if p.signed is not None and not p.current]
        if missing or outdated:
            waiting.append(Waiting(entry, missing, outdated))
    signed.sort(key=lambda s: (s.signoff.on, s.entry.ref, s.signoff.role), reverse=True)
    return Ledger(roles, required, waiting, signed, unsigned)


def check_reviews(
    corpus: Corpus, problems: Problems, roles: list[str], required: list[str], site_url: str
) -> None:
    """Sign-offs name known roles; when roles are required, every record meant to be public
    (drafts aside: they are not published) has each one, on its public content as it is."""
    today = clock.wall_today()
    for entry in corpus.all():
        for index, signoff in enumerate(entry.data.review):
            if signoff.on > today:
                problems.add(
                    "JD436",
                    entry.path,
                    entry.line("review", index, "on"),
                    f"review: 审核日期 {signoff.on} 晚于今天（{today}，北京时间）：审核记录只能由 "
                    f"jiandi approve 在审核当天写下。请删掉这一条，由审核人重新审核",
                )
            if signoff.role not in roles:
                problems.add(
                    "JD430",
                    entry.path,
                    entry.line("review", index, "role"),
                    f"review: 审核环节 “{signoff.role}” 不在 mkdocs.yml 的 extra.jiandi.review.roles 里"
                    f"（{'、'.join(roles)}）：请改正，或在 roles 里加上它",
                )
        if not required or not entry.meant_public or entry.data.draft:
            continue
        now_digest = digest(corpus, entry, site_url)
        for place in standing(entry, required, now_digest):
            command = f"jiandi approve {_shown(entry.path)} --role {place.role} --by 姓名"
            if place.signed is None:
                problems.add(
                    "JD431",
                    entry.path,
                    1,
                    f"公开记录还没有 “{place.role}”：发布前必须经过 {'、'.join(required)}。"
                    f"审核人审核后运行 {command}",
                )
            elif not place.current:
                index = max(i for i, s in enumerate(entry.data.review) if s.role == place.role)
                problems.add(
                    "JD432",
                    entry.path,
                    entry.line("review", index),
                    f"审核后内容有改动，请重新审核：“{place.role}”（{place.signed.by}，"
                    f"{place.signed.on.isoformat()}）审核的不是现在要公开的内容。"
                    f"请审核人再看一遍，然后运行 {command}",
                )


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


class NotApproved(ValueError):
    """The front matter cannot take a sign-off as it is written (said in words for authors)."""


def with_signoff(text: str, signoff: SignOff) -> str:
    """``text`` (a record file) with ``signoff`` appended to its ``review:`` list, the rest of
    the file as it was; a ``review:`` key is added at the end of the front matter if none."""
    item = (
        "{role: "
        + json.dumps(signoff.role, ensure_ascii=False)
        + ", by: "
        + json.dumps(signoff.by, ensure_ascii=False)
        + f", on: {signoff.on.isoformat()}, digest: {json.dumps(signoff.digest)}}}"
    )
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    start = 1 if lines and lines[0].lstrip("\ufeff").strip() == "---" else None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if start is None or end is None:
        raise NotApproved("文件开头没有 --- 包起来的 front matter：请先用 jiandi check 改正")
    key = next((i for i in range(start, end) if re.match(r"review\s*:", lines[i])), None)
    if key is None:
        lines[end:end] = ["review:", f"  - {item}"]
        return newline.join(lines)
    rest = lines[key].split(":", 1)[1].strip()
    if rest in ("[]", ""):
        if rest == "[]":
            lines[key] = "review:"
        last, indent = key, None
        for i in range(key + 1, end):
            line = lines[i]
            if line.strip() and not line[0].isspace() and not line.startswith("-"):
                break  # the next key
            if line.strip():
                last = i
            if indent is None and line.lstrip().startswith("- "):
                indent = line[: len(line) - len(line.lstrip())]
        indent = "  " if indent is None else indent
        lines.insert(last + 1, f"{indent}- {item}")
        return newline.join(lines)
    raise NotApproved(
        "review: 写成了一行（方括号）：jiandi approve 只能在分行的列表后面添加。"
        "请把它改成每条一行的 “- {…}” 形式，或删掉后重新审核"
    )
