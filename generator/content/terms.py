"""Programme vocabulary shared by search segmentation and record ids."""

# Words jieba must never split, whatever the content says.
PROGRAMME_TERMS = [
    "监地共建", "监地联合帮教", "安置帮教", "社区矫正", "远程会见", "法律援助", "心理咨询",
    "就业招聘", "基地建设", "法治教育", "政策宣传", "亲情帮教", "帮教团", "刑满释放", "过渡安置",
    "服刑人员", "司法局", "司法所", "雁北监狱", "暂予监外执行", "死刑缓期", "帮教档案",
]
