"""Write a synthetic content tree of N records in jiandi's content format.

    python benchmarks/corpus.py 1000 /tmp/corpus-1000

Per the performance issue: realistic Chinese bodies (~1,500 characters with headings, lists and
a table), 1 in 10 records internal, 1 in 5 with an internal section, N/50 bureaus each with an
agreement, and a tenth as many policies as events. Deterministic for a given N.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

TOPICS = {
    "fazhi-jiaoyu": "法治教育", "zhengce-xuanchuan": "政策宣传", "yuancheng-huijian": "远程会见",
    "anzhi-bangjiao": "安置帮教", "falv-yuanzhu": "法律援助", "xinli-zixun": "心理咨询",
    "jiuye-zhaopin": "就业招聘", "jidi-jianshe": "基地建设",
}
REGIONS = ["长沙市", "株洲市", "湘潭市", "衡阳市", "邵阳市", "岳阳市", "常德市", "张家界市",
           "益阳市", "郴州市", "永州市", "怀化市", "娄底市", "湘西州"]
SENTENCES = [
    "监狱与司法局围绕服刑人员教育改造和刑满释放后的衔接开展合作",
    "帮教团走进监区，与服刑人员面对面交流，解答就业、医保和家庭困难等问题",
    "社区矫正机构介绍了家乡的帮扶政策和过渡安置岗位",
    "家属代表来到现场，与亲人一起参加亲情帮教活动",
    "社会工作机构为服刑人员和家属开展团体心理辅导",
    "活动中未能当场答复的问题，由司法局整理后书面反馈监狱",
    "双方约定定期会商，建立信息共享台账，做好出狱前后的衔接",
    "法律援助律师现场解答了假释、减刑和民事纠纷方面的疑问",
    "人社部门带来了技能培训和招聘岗位信息，鼓励服刑人员学好一技之长",
    "监区民警介绍了服刑人员的改造表现和学习情况",
]


def paragraph(rng: random.Random, n: int = 4) -> str:
    return "，".join(rng.choice(SENTENCES) for _ in range(n)) + "。"


def body(rng: random.Random, internal_section: bool) -> str:
    parts = [paragraph(rng), "## 活动情况", paragraph(rng), paragraph(rng),
             "## 主要安排", "\n".join(f"- {rng.choice(SENTENCES)}；" for _ in range(4)),
             "## 数据", "| 项目 | 数量 |\n| --- | ---: |\n"
             + "\n".join(f"| {t} | {rng.randint(1, 300)} |" for t in rng.sample(list(TOPICS.values()), 3)),
             paragraph(rng), paragraph(rng, 3)]
    if internal_section:
        parts.append("::: internal\n内部备注：" + paragraph(rng, 2) + "\n:::")
    return "\n\n".join(parts) + "\n"


def write(n: int, root: Path) -> None:
    rng = random.Random(n)
    for folder in ("bureaus", "events", "policies", "agreements"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "topics.yml").write_text("".join(f"{k}: {v}\n" for k, v in TOPICS.items()), "utf-8")
    n_bureaus = max(1, n // 50)
    n_policies = max(1, (n - 2 * n_bureaus) // 11)
    n_events = n - 2 * n_bureaus - n_policies
    bureaus = [f"ju-{i:04d}" for i in range(n_bureaus)]
    count = 0

    def visibility() -> str:
        nonlocal count
        count += 1
        return "internal" if count % 10 == 0 else "public"

    for i, ident in enumerate(bureaus):
        region = REGIONS[i % len(REGIONS)]
        (root / "bureaus" / f"{ident}.md").write_text(
            f"---\ntitle: 第{i + 1}县司法局\nshort_name: 第{i + 1}县\nregion: {region}\n"
            f"visibility: public\nsummary: {rng.choice(SENTENCES)}。\n---\n{paragraph(rng)}\n", "utf-8")
        (root / "agreements" / f"xieyi-{ident}.md").write_text(
            f"---\ntitle: 监狱与第{i + 1}县司法局监地共建协议\nvisibility: public\n"
            f"date: 2023-{1 + i % 12:02d}-{1 + i % 28:02d}\nbureaus: [{ident}]\n"
            f"topics: [{', '.join(TOPICS)}]\n---\n{body(rng, False)}", "utf-8")
    for i in range(n_events):
        year = 2016 + i * 10 // max(n_events, 1)
        vis = visibility()
        (root / "events" / f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}-e{i:05d}.md").write_text(
            f"---\ntitle: 第{i + 1}次联合帮教活动\nvisibility: {vis}\n"
            f"date: {year}-{1 + i % 12:02d}-{1 + i % 28:02d}\nsummary: {rng.choice(SENTENCES)}。\n"
            f"bureaus: [{rng.choice(bureaus)}]\ntopics: [{', '.join(rng.sample(list(TOPICS), 2))}]\n"
            + ("internal:\n  notes: 内部工作备注\n" if vis == "internal" else "")
            + f"---\n{body(rng, i % 5 == 0)}", "utf-8")
    for i in range(n_policies):
        (root / "policies" / f"p{i:04d}.md").write_text(
            f"---\ntitle: 政策解读第{i + 1}篇\nvisibility: {visibility()}\n"
            f"summary: {rng.choice(SENTENCES)}。\ntopics: [{rng.choice(list(TOPICS))}]\n---\n"
            f"## 问：这项政策管什么？\n\n答：{paragraph(rng)}\n\n{body(rng, i % 5 == 0)}", "utf-8")


if __name__ == "__main__":
    write(int(sys.argv[1]), Path(sys.argv[2]))
