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
    "fazhi-jiaoyu": "法治教育",
    "zhengce-xuanchuan": "政策宣传",
    "yuancheng-huijian": "远程会见",
    "anzhi-bangjiao": "安置帮教",
    "falv-yuanzhu": "法律援助",
    "xinli-zixun": "心理咨询",
    "jiuye-zhaopin": "就业招聘",
    "jidi-jianshe": "基地建设",
}
REGIONS = [
    "长沙市",
    "株洲市",
    "湘潭市",
    "衡阳市",
    "邵阳市",
    "岳阳市",
    "常德市",
    "张家界市",
    "益阳市",
    "郴州市",
    "永州市",
    "怀化市",
    "娄底市",
    "湘西州",
]
# Sentences are put together from parts, with made-up names, places and numbers, so that almost
# every sentence in a corpus is different: search segmentation then costs what it would on real
# text (a corpus of ten repeated sentences made jieba's work look free).
SUBJECTS = [
    "监狱",
    "司法局",
    "帮教团",
    "社区矫正机构",
    "监区民警",
    "法律援助律师",
    "人社部门",
    "社会工作机构",
    "家属代表",
    "乡镇司法所",
    "志愿者队伍",
    "心理咨询师",
    "驻监检察室",
    "团委和妇联",
    "企业代表",
    "村（社区）干部",
]
VERBS = ["走进", "来到", "联合", "组织", "协调", "对接", "走访", "深入", "会同", "依托"]
PLACES = [
    "第{n}监区",
    "教育改造中心",
    "会见大厅",
    "亲情帮教室",
    "职业技能培训基地",
    "{town}镇司法所",
    "{town}街道",
    "过渡性安置基地",
    "心理矫治中心",
    "{town}社区",
]
ACTIONS = [
    "开展法治宣讲",
    "解答假释和减刑方面的疑问",
    "介绍就业帮扶政策",
    "宣讲医保接续办法",
    "开展团体心理辅导",
    "组织远程视频会见",
    "发放帮教联系卡",
    "核对刑满释放人员信息",
    "讲解社区矫正的报到程序",
    "推荐技能培训和招聘岗位",
    "商定出狱前的衔接安排",
    "登记服刑人员家庭的实际困难",
    "讲解子女上学和入党政审的政策",
    "核实低保和临时救助的申请条件",
]
RESULTS = [
    "共有{k}名服刑人员参加",
    "现场收集意见建议{k}条",
    "{k}个家庭得到了帮扶",
    "当场答复问题{k}个",
    "签订帮扶协议{k}份",
    "{k}人报名参加技能培训",
    "建立帮教档案{k}份",
    "回访刑满释放人员{k}人",
]
WHEN = [
    "年初",
    "春节前",
    "三月",
    "清明前后",
    "五月中旬",
    "六月",
    "暑期",
    "八月底",
    "国庆前",
    "十月",
    "入冬以后",
    "年底",
]
SYLLABLES = (
    "安宝昌晨春德东芳峰刚海和红华辉佳建杰军俊凯兰立丽林玲龙梅敏明娜宁平琴清秋荣瑞胜"
    "淑涛婷伟文霞祥新秀雪燕阳艺益英勇永玉元云泽珍志忠"
)
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许邓冯韩曹曾彭萧田董潘袁蔡蒋余"


def name(rng: random.Random, surname: bool = True) -> str:
    head = rng.choice(SURNAMES) if surname else ""
    return head + "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 2)))


def sentence(rng: random.Random) -> str:
    place = rng.choice(PLACES).format(n=rng.randint(1, 16), town=name(rng, surname=False))
    who = rng.choice(SUBJECTS)
    if rng.random() < 0.4:
        who += f"负责人{name(rng)}"
    return (
        f"{rng.choice(WHEN)}，{who}{rng.choice(VERBS)}{place}{rng.choice(ACTIONS)}，"
        f"{rng.choice(RESULTS).format(k=rng.randint(2, 300))}"
    )


def paragraph(rng: random.Random, n: int = 4) -> str:
    return "；".join(sentence(rng) for _ in range(n)) + "。"


def body(rng: random.Random, internal_section: bool) -> str:
    parts = [
        paragraph(rng),
        "## 活动情况",
        paragraph(rng),
        paragraph(rng),
        paragraph(rng),
        paragraph(rng),
        "## 主要安排",
        "\n".join(f"- {sentence(rng)}；" for _ in range(4)),
        "## 数据",
        "| 项目 | 数量 |\n| --- | ---: |\n"
        + "\n".join(
            f"| {t} | {rng.randint(1, 300)} |" for t in rng.sample(list(TOPICS.values()), 3)
        ),
        "## 下一步",
        paragraph(rng),
        paragraph(rng, 3),
    ]
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
            f"visibility: public\nsummary: {sentence(rng)}。\n---\n{paragraph(rng)}\n",
            "utf-8",
        )
        (root / "agreements" / f"xieyi-{ident}.md").write_text(
            f"---\ntitle: 监狱与第{i + 1}县司法局监地共建协议\nvisibility: public\n"
            f"date: 2023-{1 + i % 12:02d}-{1 + i % 28:02d}\nserial: {i + 1}\nbureaus: [{ident}]\n"
            f"topics: [{', '.join(TOPICS)}]\n---\n{body(rng, False)}",
            "utf-8",
        )
    for i in range(n_events):
        year = 2016 + i * 10 // max(n_events, 1)
        vis = visibility()
        (root / "events" / f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}-e{i:05d}.md").write_text(
            f"---\ntitle: 第{i + 1}次联合帮教活动\nvisibility: {vis}\n"
            f"date: {year}-{1 + i % 12:02d}-{1 + i % 28:02d}\nsummary: {sentence(rng)}。\n"
            f"bureaus: [{rng.choice(bureaus)}]\ntopics: [{', '.join(rng.sample(list(TOPICS), 2))}]\n"
            + ("internal:\n  notes: 内部工作备注\n" if vis == "internal" else "")
            + f"---\n{body(rng, i % 5 == 0)}",
            "utf-8",
        )
    for i in range(n_policies):
        (root / "policies" / f"p{i:04d}.md").write_text(
            f"---\ntitle: 政策解读第{i + 1}篇\nvisibility: {visibility()}\n"
            f"date: {2016 + i * 10 // n_policies}-{1 + i % 12:02d}-{1 + i % 28:02d}\nserial: {i + 1}\n"
            f"summary: {sentence(rng)}。\ntopics: [{rng.choice(list(TOPICS))}]\n---\n"
            f"## 问：这项政策管什么？\n\n答：{paragraph(rng)}\n\n{body(rng, i % 5 == 0)}",
            "utf-8",
        )


if __name__ == "__main__":
    write(int(sys.argv[1]), Path(sys.argv[2]))
