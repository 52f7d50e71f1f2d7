#!/usr/bin/env python3
"""Generate the aixin demo data: households.csv, goods.csv, donors.csv.

Deterministic (random.Random(20261121)), standard library only. Writes UTF-8
without BOM, a header row, comma-separated, LF line ends; fields holding a
comma, quote or line break are quoted per RFC 4180 (csv.QUOTE_MINIMAL).
Run from anywhere:  python3 data/demo/generate.py
The script validates what it wrote and exits non-zero if anything is off.
"""

import csv
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261121)

HOUSEHOLD_COLS = ["household_id", "card_no", "head", "members", "group", "phone", "registered_poor"]
GOODS_COLS = ["goods_id", "name", "unit", "barcode", "price_points", "zone", "category", "supplier"]
DONOR_COLS = ["donor", "kind"]

GROUPS = ["一组", "二组", "三组", "四组", "五组", "六组", "七组", "八组"]
POINT_ZONES = ["2", "5", "10", "20", "30", "50"]

# --------------------------------------------------------------------------
# names
# --------------------------------------------------------------------------
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# Common surnames weigh more, as in a real village.
SURNAME_WEIGHTS = [max(1, 12 - i // 4) for i in range(len(SURNAMES))]

ELDER_MALE = ["建国", "建军", "国强", "德明", "德福", "德胜", "志强", "志明", "文华", "长林", "富贵", "金山",
              "永福", "永明", "春生", "海林", "树林", "保国", "卫东", "红军", "振华", "庆丰", "有才", "满仓",
              "根生", "水生", "学文", "广才", "福全", "玉林", "强", "军", "林", "平", "山", "松", "贵", "才"]
ELDER_FEMALE = ["秀英", "桂兰", "玉梅", "秀兰", "桂英", "玉兰", "凤英", "秀珍", "春花", "翠花", "淑芬", "桂芳",
                "玉珍", "金凤", "美兰", "素芬", "冬梅", "红梅", "秀云", "月娥", "巧云", "桂香", "英", "芳",
                "梅", "兰", "珍", "凤"]
MIDDLE_MALE = ["建华", "晓东", "国庆", "卫国", "小军", "海军", "志刚", "永强", "立新", "红兵", "文斌", "春雷",
               "海涛", "俊", "军", "伟", "磊", "勇", "斌", "刚", "辉", "峰", "涛", "鹏"]
MIDDLE_FEMALE = ["海燕", "小红", "丽娟", "春燕", "玉霞", "红艳", "丽华", "晓燕", "彩霞", "秀梅", "艳红", "小芳",
                 "艳", "丽", "霞", "燕", "红", "琴", "萍", "娟"]
YOUNG = ["浩", "杰", "宇", "超", "晨", "思雨", "子涵", "梓轩", "雨欣", "欣怡", "浩然", "佳怡", "嘉豪", "俊杰",
         "子豪", "一诺", "雨涵", "婷婷", "静", "敏", "明轩", "诗涵", "博文", "家乐", "欣悦", "天佑"]

# Households whose head carries a polyphonic / easily misread surname
# (单 Shàn, 曾 Zēng, 解 Xiè, 仇 Qiú, 朴 Piáo).
POLYPHONIC_HEADS = ["单德福", "曾桂英", "解长林", "仇永明", "朴永哲", "单秀珍"]
# Same head name in two different groups: real villages have these.
DUPLICATE_HEADS = [("王秀英", "二组"), ("王秀英", "六组"), ("李建国", "一组"), ("李建国", "五组")]


def surname():
    return rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]


def other_surname(not_this):
    while True:
        s = surname()
        if s != not_this:
            return s


def make_members(head_surname, head_is_male, head_is_elder):
    """0-5 other names: spouse, children (mostly the household surname), grandchildren."""
    n = rng.choices([0, 1, 2, 3, 4, 5], weights=[10, 22, 24, 20, 14, 10])[0]
    # Children take the father's surname; for a widow heading the household that is
    # usually not her own.
    kids_surname = head_surname if head_is_male else (
        other_surname(head_surname) if rng.random() < 0.85 else head_surname)
    out = []
    if rng.random() < 0.8:
        spouse_surname = other_surname(head_surname) if head_is_male else kids_surname
        pool = ((ELDER_FEMALE if head_is_elder else MIDDLE_FEMALE) if head_is_male
                else (ELDER_MALE if head_is_elder else MIDDLE_MALE))
        out.append(spouse_surname + rng.choice(pool))
    if head_is_elder:
        for _ in range(rng.randint(1, 3)):
            pool = MIDDLE_MALE if rng.random() < 0.55 else MIDDLE_FEMALE
            out.append(kids_surname + rng.choice(pool))
        if rng.random() < 0.4:  # a daughter-in-law living in
            out.append(other_surname(kids_surname) + rng.choice(MIDDLE_FEMALE))
        for _ in range(rng.randint(0, 3)):
            out.append(kids_surname + rng.choice(YOUNG))
    else:
        for _ in range(rng.randint(1, 3)):
            s = kids_surname if rng.random() < 0.9 else other_surname(kids_surname)
            out.append(s + rng.choice(YOUNG))
        if rng.random() < 0.35:  # an old parent living with them
            out.append(other_surname(head_surname) + rng.choice(ELDER_FEMALE) if rng.random() < 0.6
                       else head_surname + rng.choice(ELDER_MALE))
    seen, members = set(), []
    for m in out:
        if m not in seen:
            seen.add(m)
            members.append(m)
    return members[:n]


def phone(used):
    while True:
        p = rng.choice(["13", "15", "18"]) + "".join(rng.choice("0123456789") for _ in range(9))
        if p not in used:
            used.add(p)
            return p


def households():
    n = 200
    special = {}
    slots = rng.sample(range(n), len(POLYPHONIC_HEADS) + len(DUPLICATE_HEADS))
    for i, name in enumerate(POLYPHONIC_HEADS):
        special[slots[i]] = (name, None)
    for j, (name, group) in enumerate(DUPLICATE_HEADS):
        special[slots[len(POLYPHONIC_HEADS) + j]] = (name, group)

    rows, card, used_phones = [], 100000, set()
    for i in range(n):
        card += rng.randint(1, 7)
        if i in special:
            head, group = special[i]
            s = head[0]
            given = head[1:]
            is_male = given in ELDER_MALE or given in MIDDLE_MALE or given in ("永哲",)
            is_elder = given in ELDER_MALE or given in ELDER_FEMALE or given == "永哲"
            group = group or rng.choice(GROUPS)
        else:
            s = surname()
            is_male = rng.random() < 0.7
            is_elder = rng.random() < 0.6
            pool = ((ELDER_MALE if is_male else ELDER_FEMALE) if is_elder
                    else (MIDDLE_MALE if is_male else MIDDLE_FEMALE))
            head = s + rng.choice(pool)
            group = rng.choice(GROUPS)
        if s == "朴":  # Korean-minority family: given names in that style
            members = ["金明姬", "朴成浩", "朴美善"][: rng.randint(1, 3)]
        else:
            members = [m for m in make_members(s, is_male, is_elder) if m != head]
        rows.append({
            "household_id": "H%04d" % (i + 1),
            "card_no": "LJ%06d" % card,
            "head": head,
            "members": ";".join(members),
            "group": group,
            "phone": phone(used_phones) if rng.random() < 0.8 else "",
            "registered_poor": "true" if rng.random() < 0.25 else "false",
        })
    return rows


# --------------------------------------------------------------------------
# goods
# --------------------------------------------------------------------------
def ean13_check(first12):
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def ean13(used):
    while True:
        body = "69" + "".join(rng.choice("0123456789") for _ in range(10))
        code = body + ean13_check(body)
        if code not in used:
            used.add(code)
            return code


SUPPLIERS = ["县供销社", "李家村便民超市", "兴农商贸有限公司", "红旗日化批发部"]
# Which merchants plausibly supply which category.
SUPPLIERS_BY_CATEGORY = {
    "粮油": ["县供销社", "兴农商贸有限公司"],
    "副食": ["县供销社", "李家村便民超市"],
    "调味": ["县供销社", "李家村便民超市", "兴农商贸有限公司"],
    "清洁": ["红旗日化批发部", "李家村便民超市"],
    "日用": ["红旗日化批发部", "李家村便民超市", "县供销社"],
    "家电": ["县供销社", "兴农商贸有限公司"],
    "床品": ["县供销社", "兴农商贸有限公司"],
    "文具": ["李家村便民超市", "县供销社"],
}

# (name, unit, category, zone)
PURCHASED = [
    ("东北大米 5kg", "袋", "粮油", "30"),
    ("长粒香米 10kg", "袋", "粮油", "50"),
    ("小麦粉 5kg", "袋", "粮油", "20"),
    ("大豆油 1.8L", "桶", "粮油", "20"),
    ("菜籽油 5L", "桶", "粮油", "50"),
    ("挂面 1kg", "包", "粮油", "5"),
    ("鸡蛋 30枚", "盒", "副食", "20"),
    ("火腿肠 10支", "包", "副食", "10"),
    ("酱油 500ml", "瓶", "调味", "5"),
    ("陈醋 500ml", "瓶", "调味", "5"),
    ("食盐 400g", "袋", "调味", "2"),
    ("白糖 500g", "袋", "调味", "5"),
    ("味精 200g", "袋", "调味", "5"),
    ("鸡精 200g", "袋", "调味", "10"),
    ("蚝油 700g", "瓶", "调味", "10"),
    ("洗衣粉 1.5kg", "袋", "清洁", "10"),
    ("洗衣液 2kg", "瓶", "清洁", "20"),
    ("肥皂", "块", "清洁", "2"),
    ("洗洁精 1.1kg", "瓶", "清洁", "10"),
    ("84消毒液 500ml", "瓶", "清洁", "5"),
    ("扫帚", "把", "清洁", "10"),
    ("拖把", "把", "清洁", "20"),
    ("垃圾袋 5卷", "包", "清洁", "5"),
    ("香皂", "块", "日用", "5"),
    ("牙膏 120g", "支", "日用", "5"),
    ("牙刷", "支", "日用", "2"),
    ("毛巾", "条", "日用", "5"),
    ("卫生纸 10卷", "提", "日用", "20"),
    ("抽纸 3包", "提", "日用", "10"),
    ("洗发水 400ml", "瓶", "日用", "20"),
    ("脸盆", "个", "日用", "10"),
    ("分类垃圾桶", "个", "日用", "10"),
    ("拖鞋", "双", "日用", "10"),
    ("棉袜", "双", "日用", "2"),
    ("雨伞", "把", "日用", "20"),
    ("手电筒", "个", "日用", "10"),
    ("暖水瓶", "个", "日用", "20"),
    ("保温杯", "个", "日用", "30"),
    ("老花镜", "副", "日用", "10"),
    ("蚊香", "盒", "日用", "5"),
    ("电饭煲", "台", "家电", "50"),
    ("电热水壶", "台", "家电", "50"),
    ("插线板", "个", "家电", "20"),
    ("LED灯泡", "个", "家电", "5"),
    ("被子", "床", "床品", "50"),
    ("枕头", "个", "床品", "20"),
    ("床单", "条", "床品", "30"),
    ("书包", "个", "文具", "30"),
    ("作业本", "本", "文具", "2"),
    ("铅笔", "支", "文具", "2"),
    ("中性笔", "支", "文具", "2"),
    ("橡皮", "块", "文具", "2"),
    ("文具盒", "个", "文具", "10"),
]

# (name, unit, category, has_barcode)
DONATED = [
    ("捐赠棉衣", "件", "衣物", False),
    ("儿童羽绒服", "件", "衣物", False),
    ("毛衣", "件", "衣物", False),
    ("男式运动鞋", "双", "衣物", True),
    ("围巾", "条", "衣物", False),
    ("儿童绘本", "本", "图书", True),
    ("新华字典", "本", "图书", True),
    ("农村实用技术手册", "本", "图书", True),
    ("毛绒玩具", "个", "玩具", False),
    ("积木", "盒", "玩具", True),
]


def goods():
    rows, used = [], set()
    items = [(n, u, c, z, True) for n, u, c, z in PURCHASED] + \
            [(n, u, c, "donation", b) for n, u, c, b in DONATED]
    for i, (name, unit, cat, zone, has_code) in enumerate(items):
        donation = zone == "donation"
        rows.append({
            "goods_id": "G%03d" % (i + 1),
            "name": name,
            "unit": unit,
            "barcode": ean13(used) if has_code else "",
            "price_points": str(rng.randint(1, 5)) if donation else zone,
            "zone": zone,
            "category": cat,
            "supplier": "" if donation else rng.choice(SUPPLIERS_BY_CATEGORY[cat]),
        })
    return rows


# --------------------------------------------------------------------------
# donors
# --------------------------------------------------------------------------
DONORS = [
    ("县农商银行", "company"),
    ("鑫源集团有限公司", "company"),
    ("县邮政分公司", "company"),
    ("顺达物流有限公司", "company"),
    ("丰禾农业开发有限公司", "company"),
    ("王德厚", "person"),
    ("李振邦", "person"),
    ("陈秀芝", "person"),
    ("张国栋", "person"),
    ("刘淑华", "person"),
    ("县妇联", "organization"),
    ("团县委", "organization"),
    ("县红十字会", "organization"),
    ("县慈善总会", "organization"),
    ("镇中心小学", "organization"),
]


def donors():
    return [{"donor": d, "kind": k} for d, k in DONORS]


# --------------------------------------------------------------------------
# write + validate
# --------------------------------------------------------------------------
def write(name, cols, rows):
    path = os.path.join(HERE, name)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return path


def read(name, cols):
    path = os.path.join(HERE, name)
    with open(path, "rb") as f:
        raw = f.read()
    check(not raw.startswith(b"\xef\xbb\xbf"), "%s starts with a BOM" % name)
    with open(path, encoding="utf-8", newline="") as f:
        recs = list(csv.reader(f))
    check(recs and recs[0] == cols, "%s header is %r" % (name, recs[0] if recs else None))
    for r in recs[1:]:
        check(len(r) == len(cols), "%s row has %d fields: %r" % (name, len(r), r))
    return [dict(zip(cols, r)) for r in recs[1:]]


def check(cond, msg):
    if not cond:
        sys.exit("validation failed: " + msg)


def unique(rows, key, name, skip_empty=False):
    vals = [r[key] for r in rows if not (skip_empty and r[key] == "")]
    check(len(vals) == len(set(vals)), "%s: duplicate %s" % (name, key))


def validate():
    hh = read("households.csv", HOUSEHOLD_COLS)
    check(len(hh) == 200, "households: %d rows" % len(hh))
    unique(hh, "household_id", "households")
    unique(hh, "card_no", "households")
    unique(hh, "phone", "households", skip_empty=True)
    for r in hh:
        check(len(r["card_no"]) == 8 and r["card_no"].startswith("LJ") and r["card_no"][2:].isdigit(),
              "bad card %s" % r["card_no"])
        check(r["group"] in GROUPS, "bad group %s" % r["group"])
        check(r["registered_poor"] in ("true", "false"), "bad registered_poor")
        p = r["phone"]
        check(p == "" or (len(p) == 11 and p.isdigit() and p[:2] in ("13", "15", "18")), "bad phone %s" % p)
        m = r["members"].split(";") if r["members"] else []
        check(len(m) <= 5 and all(m), "bad members %r" % r["members"])
    for name, _ in DUPLICATE_HEADS:
        check(len({r["group"] for r in hh if r["head"] == name}) >= 2, "%s not in two groups" % name)

    gd = read("goods.csv", GOODS_COLS)
    unique(gd, "goods_id", "goods")
    unique(gd, "barcode", "goods", skip_empty=True)
    for r in gd:
        b = r["barcode"]
        if b:
            check(len(b) == 13 and b.isdigit() and b.startswith("69") and ean13_check(b[:12]) == b[12],
                  "bad EAN-13 %s" % b)
        if r["zone"] == "donation":
            check(1 <= int(r["price_points"]) <= 5 and r["supplier"] == "", "bad donation item %s" % r["goods_id"])
        else:
            check(r["zone"] in POINT_ZONES and r["price_points"] == r["zone"] and r["supplier"] in SUPPLIERS,
                  "bad points item %s" % r["goods_id"])
            check(b != "", "purchased item %s lacks a barcode" % r["goods_id"])

    dn = read("donors.csv", DONOR_COLS)
    unique(dn, "donor", "donors")
    for r in dn:
        check(r["kind"] in ("company", "person", "organization"), "bad donor kind %s" % r["kind"])

    poor = sum(r["registered_poor"] == "true" for r in hh)
    phones = sum(r["phone"] != "" for r in hh)
    don = sum(r["zone"] == "donation" for r in gd)
    print("ok: %d households (%d with phone, %d registered poor), %d goods (%d donation), %d donors"
          % (len(hh), phones, poor, len(gd), don, len(dn)))


def main():
    write("households.csv", HOUSEHOLD_COLS, households())
    write("goods.csv", GOODS_COLS, goods())
    write("donors.csv", DONOR_COLS, donors())
    validate()


if __name__ == "__main__":
    main()
