"""Made-up but realistic text for the demo database: company and person names, phones, addresses, credit codes.

Everything here draws from a :class:`random.Random` handed in by the caller, so the same seed gives the same text.
"""

from __future__ import annotations

import datetime as dt
import operator
import random

from services.demo_base import Weighted, pick
from services.uscc import ALPHABET, WEIGHTS

#: Brand syllables of synthesized company names (two, sometimes three, make a brand: 瑞宇, 联创, 博晨 …).
BRAND_CHARS = (
    "安邦宝博彩晨驰创达鼎东方飞丰峰福富港高光国海瀚豪浩禾恒弘宏鸿华欢辉慧佳嘉坚杰金锦京晶精久钧凯科可坤蓝朗"
    "立联良亮林领灵龙隆麦美米明铭纳宁诺鹏平普启千谦乾擎清晴庆秋群然仁荣瑞睿赛尚申深盛晟世仕舒硕思斯松泰腾天"
    "通同拓万微维伟文沃西希熙祥翔小新鑫信星兴旭轩扬耀一亿易益逸银英盈永优友宇羽域元源远跃云运泽展哲臻正之智"
    "中众卓紫子"
)

#: Business words of a name by industry field (the 8 national high-tech areas).
FIELD_WORDS = {
    "electronics": ("信息科技", "网络科技", "电子科技", "智能科技", "数据科技", "软件", "物联网科技", "云计算科技",
                    "微电子", "光电科技", "信息系统", "通信技术"),
    "hitech_services": ("科技", "数字科技", "检测技术", "文化创意", "教育科技", "科技服务", "信息技术服务",
                        "知识产权服务", "设计"),
    "biomed": ("生物科技", "医药科技", "医疗器械", "生物医药", "健康科技", "基因科技", "药业"),
    "materials": ("新材料科技", "材料科技", "高分子材料", "纳米科技"),
    "energy": ("新能源科技", "节能科技", "能源科技", "储能技术", "光伏科技"),
    "environment": ("环保科技", "环境科技", "水处理技术", "环境工程", "生态科技"),
    "manufacturing": ("自动化科技", "智能装备", "机电科技", "精密机械", "机器人", "智能制造", "仪器仪表"),
    "aerospace": ("航空科技", "航天科技", "无人机科技"),
}
#: Industry fields and their shares among the district's enterprises.
FIELD_WEIGHTS = {"electronics": 36, "hitech_services": 22, "manufacturing": 14, "biomed": 10, "materials": 7,
                 "energy": 5, "environment": 5, "aerospace": 1}
#: Keywords that tell a real name's industry field.
FIELD_KEYWORDS = (
    ("biomed", ("生物", "医药", "医疗", "药业", "健康", "基因", "制药", "诊断")),
    ("aerospace", ("航空", "航天", "无人机")),
    ("materials", ("材料", "纳米", "化工", "高分子", "涂料")),
    ("energy", ("能源", "节能", "电力", "光伏", "储能", "电池")),
    ("environment", ("环保", "环境", "水务", "生态", "净化", "污水")),
    ("manufacturing", ("机械", "自动化", "装备", "仪器", "电气", "机电", "制造", "设备", "机器人", "汽车")),
    ("electronics", ("电子", "软件", "网络", "信息", "数据", "通信", "智能", "芯片", "光电", "物联")),
    ("hitech_services", ("咨询", "检测", "设计", "文化", "教育", "服务", "传媒")),
)
#: Swaps that turn a name into a plausible former name.
FORMER_SWAPS = (("科技", "信息技术"), ("网络", "电子商务"), ("智能", "电子"), ("信息技术", "科技"),
                ("股份有限公司", "有限公司"), ("科技", "贸易"), ("技术", "科技"))

SURNAMES = "王陈张李周吴徐金朱沈杨黄胡方俞蒋叶潘钱施孙应楼郑许何赵马姚章汪丁邵林傅余洪袁高严毛盛费褚鲍孔"
GIVEN_CHARS = (
    "伟敏静丽强磊军洋勇艳杰娟涛明超华慧婷雪琳浩宇欣怡梓俊凯鑫帆晨颖佳倩斌彬亮峰燕霞红平刚辉萍玲芳丹健骏"
    "文武建国立新卫东志晓海英秀云飞阳鹏宁雯璐晶莉蕾翔毅铭哲睿"
)

#: Roads of each 属地 (for addresses); 园区 addresses name the park building.
ROADS = {
    "上塘街道": ("上塘路", "石祥路", "皋亭坝路"),
    "祥符街道": ("祥园路", "莫干山路", "祥符路"),
    "半山街道": ("半山路", "石塘路", "杭钢路"),
    "康桥街道": ("康桥路", "康贤路", "拱康路"),
    "米市巷街道": ("湖墅南路", "米市巷", "环城北路"),
    "湖墅街道": ("湖墅南路", "信义坊", "卖鱼桥"),
    "小河街道": ("小河路", "湖州街", "登云路"),
    "拱宸桥街道": ("丽水路", "台州路", "舟山东路"),
    "和睦街道": ("和睦路", "登云路", "莫干山路"),
    "大关街道": ("大关路", "东新路", "香积寺路"),
}
PARK_SITES = (("祥园路", "智慧网谷小镇"), ("祥园路", "北部软件园"), ("石祥路", "运河汽车互联网产业园"),
              ("康贤路", "运河跨境电商园"), ("丽水路", "乐富智汇园"), ("莫干山路", "浙江工业设计中心"))

#: Registering-area codes of credit codes, with weights: mostly 拱墅, some city-level or moved in.
REGION_WEIGHTS = {"330105": 80, "330100": 8, "330103": 5, "330104": 2, "330106": 2, "330108": 2, "330110": 1}
REGIONS = Weighted(REGION_WEIGHTS)
FIELDS = Weighted(FIELD_WEIGHTS)
#: Values of the credit-code characters for the GB 32100 check (services.uscc has the same, one index at a time).
_VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
#: Values of organisation-code characters (GB 11714): digits as such, A = 10 … Z = 35.
_ORG_VALUES = {ch: int(ch, 36) for ch in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
#: Letters after "MA" in post-2015 credit codes move on as registrations accumulate; one per year from 2015.
_MA_SERIES = "789ABCDEFGHJKLMNPQ"


def company_name(rng: random.Random, field: str) -> str:
    """A company name such as 杭州瑞宇智能科技有限公司 for an industry field."""
    brand = pick(rng, BRAND_CHARS) + pick(rng, BRAND_CHARS) + (pick(rng, BRAND_CHARS) if rng.random() < 0.12 else "")
    words = pick(rng, FIELD_WORDS[field])
    suffix = "股份有限公司" if rng.random() < 0.1 else "有限公司"
    roll = rng.random()
    if roll < 0.04:
        return f"{brand}（杭州）{words}{suffix}"
    return f"{'浙江' if roll < 0.28 else '杭州'}{brand}{words}{suffix}"


def former_name(rng: random.Random, name: str) -> str | None:
    """A plausible earlier name of ``name``, or None when no swap applies."""
    swaps = [(old, new) for old, new in FORMER_SWAPS if old in name]
    if not swaps:
        return None
    old, new = rng.choice(swaps)
    return name.replace(old, new, 1)


def field_of(name: str, rng: random.Random) -> str:
    """The industry field a real name suggests, or a weighted random one."""
    for field, keywords in FIELD_KEYWORDS:
        if any(word in name for word in keywords):
            return field
    return FIELDS.pick(rng)


def person_name(rng: random.Random) -> str:
    given = pick(rng, GIVEN_CHARS) + (pick(rng, GIVEN_CHARS) if rng.random() < 0.7 else "")
    return pick(rng, SURNAMES) + given


def phone(rng: random.Random) -> str:
    """A mobile number, or a Hangzhou landline."""
    if rng.random() < 0.75:
        return f"1{pick(rng, '35789')}{int(rng.random() * 10**9):09d}"
    return f"0571-8{int(rng.random() * 10**7):07d}"


def address(rng: random.Random, subdistrict: str) -> str:
    """A street address in 拱墅区: road, number, block and room; in 园区 the park's building and floor."""
    r = rng.random
    if subdistrict in ROADS:
        road = pick(rng, ROADS[subdistrict])
        return f"杭州市拱墅区{road}{int(r() * 400) + 1}号{int(r() * 12) + 1}幢{int(r() * 18) + 1}0{int(r() * 9) + 1}室"
    road, park = pick(rng, PARK_SITES)
    return f"杭州市拱墅区{road}{int(r() * 200) + 1}号{park}{int(r() * 20) + 1}号楼{int(r() * 16) + 1}层"


def _org_check(body: str) -> str:
    """Check character of an organisation code (GB 11714), positions 9–17 of a credit code."""
    check = 11 - sum(map(operator.mul, map(_ORG_VALUES.__getitem__, body), _ORG_WEIGHTS)) % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def credit_code(rng: random.Random, registered_on: dt.date) -> str:
    """A well-formed 统一社会信用代码 of a company registered on that date (check characters included).

    Companies registered since October 2015 have codes such as 91330105MA2B…; older ones carry their former
    organisation code.
    """
    region = REGIONS.pick(rng)
    if registered_on >= dt.date(2015, 10, 1):
        series = _MA_SERIES[min(registered_on.year - 2015, len(_MA_SERIES) - 1)]
        body = "MA2" + series + "".join(ALPHABET[int(rng.random() * 31)] for _ in range(4))
    else:
        body = "1567"[int(rng.random() * 4)] + f"{int(rng.random() * 10**7):07d}"
    first17 = "91" + region + body + _org_check(body)
    return first17 + ALPHABET[-sum(map(operator.mul, map(_VALUES.__getitem__, first17), WEIGHTS)) % 31]
