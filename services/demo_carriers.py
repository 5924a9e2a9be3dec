"""Demo stage 4: carriers (孵化器, 众创空间 …) with recognitions and their history, tenants and quarterly statistics.

The real carriers of the corpus come first (拱墅区's own, then the others); carriers whose district the sources do
not give are placed in 拱墅区. More are made up until there is one carrier per 200 enterprises.
"""

from __future__ import annotations

import datetime as dt
import random

from models import Carrier, CarrierPeriodStat, CarrierRecognition, CarrierRecognitionEvent, Tenancy
from services import demo_corpus
from services.demo_base import DAY, DemoContext, Firm, add_years, between, fen_of_wan, maybe_between, wan
from services.demo_names import BRAND_CHARS, address, company_name
from services.tenancies import GRADUATION_CRITERIA as TENANCY_CRITERIA
from services.text import normalize_name

#: Kinds that incubate tenants, with the default incubation limit in months.
INCUBATING = {"incubator": 48, "maker_space": 18, "agri_maker": 48, "uni_park": 48, "overseas": 48}
#: Floor area (m²) range and typical tenant count by kind.
AREA = {"incubator": (8000, 60000, 50), "maker_space": (500, 5000, 20), "uni_park": (20000, 80000, 80),
        "agri_maker": (2000, 20000, 15), "complex": (10000, 50000, 0), "town": (300000, 3000000, 0),
        "tech_park": (20000, 200000, 0), "maker_lounge": (300, 3000, 0), "overseas": (500, 3000, 10)}
DEFAULT_LEVEL = {"town": "省", "complex": "市", "tech_park": "区", "maker_lounge": "区", "maker_space": "区"}
SPECIALIZATIONS = (("汽车", "汽车互联网"), ("电商", "跨境电商"), ("软件", "软件和信息服务"), ("生物", "生物医药"),
                   ("医药", "生物医药"), ("数字", "数字经济"), ("智能制造", "智能制造"), ("农", "智慧农业"),
                   ("设计", "工业设计"), ("人才", "海归人才创业"))
THEMES = ("数字经济", "智能制造", "生命健康", "文化创意", "跨境电商", "工业互联网", "新材料", "人工智能")
DOC_PATTERNS = {"国家": "国科火字〔{y}〕{n}号", "省": "浙科发高〔{y}〕{n}号", "市": "杭科高〔{y}〕{n}号",
                "区": "拱科〔{y}〕{n}号"}
MADE_UP_KINDS = {"maker_space": 45, "incubator": 35, "tech_park": 8, "maker_lounge": 7, "uni_park": 3, "complex": 2}
GRADUATION_CRITERIA = tuple(TENANCY_CRITERIA)  # the four of the rules: 高企, 融资, 收入, 并购上市


def build_carriers(ctx: DemoContext) -> None:
    """One carrier per 200 enterprises (at least 24), with recognitions, tenants and quarterly statistics."""
    rng = ctx.rng("carriers")
    wanted = max(24, len(ctx.firms) // 200)
    by_name = {f.name: f for f in ctx.firms}
    gongshu_subs = list(ctx.subdistricts)
    records = [line.split("|") for line in demo_corpus.CARRIERS.strip().splitlines()][:wanted]
    names = {normalize_name(r[0]) for r in records}
    operators = [f for f in ctx.firms if f.tier >= 1]
    while len(records) < wanted:
        record = _made_up(rng, operators)
        if normalize_name(record[0]) not in names:
            names.add(normalize_name(record[0]))
            records.append(record)
    tenants_by_carrier: dict[int, list[tuple[Firm, dt.date, dt.date | None]]] = {}
    incubating: list[tuple[int, str, int, list[str]]] = []
    for name, operator, kind, levels, subtype, district, area, tenants, staff, revenue in records:
        in_gongshu = district in ("", "拱墅区")
        sub = rng.choices(gongshu_subs, weights=[6 if s == "园区" else 1 for s in gongshu_subs])[0]
        low, high, _ = AREA[kind]
        established = dt.date(rng.randint(ctx.year - 15, ctx.year - 3), rng.randint(1, 12), 1)
        operator_firm = by_name.get(operator)
        carrier_id = ctx.add(Carrier, {
            "name": name, "name_norm": normalize_name(name), "kind_code": kind, "operator_name": operator or None,
            "operator_enterprise_id": operator_firm.id if operator_firm else None,
            "district_id": ctx.district_id if in_gongshu else ctx.district_ids.get(district),
            "subdistrict_id": ctx.subdistricts[sub] if in_gongshu else None,
            "address": address(rng, sub) if in_gongshu else None,
            "area_m2": int(area) if area else rng.randint(low, high) // 10 * 10,
            "specialization": next((s for key, s in SPECIALIZATIONS if key in name), rng.choice(THEMES)),
            "established_on": established, "notes": None, "created_at": ctx.created_at, "deleted_at": None,
        })
        _recognitions(ctx, rng, carrier_id, kind, levels, subtype, established, in_gongshu)
        if in_gongshu and kind in INCUBATING:
            record = [name, operator, kind, levels, subtype, district, area, tenants, staff, revenue]
            incubating.append((carrier_id, kind, int(area) if area else (low + high) // 2, record))
            tenants_by_carrier[carrier_id] = []
    ctx.incubating_carriers = [(carrier_id, kind, area_m2) for carrier_id, kind, area_m2, _ in incubating]
    _tenancies(ctx, rng, tenants_by_carrier)
    for carrier_id, kind, area_m2, record in incubating:
        _period_stats(ctx, rng, carrier_id, kind, area_m2, record, tenants_by_carrier[carrier_id])


def _made_up(rng: random.Random, operators: list[Firm]) -> list[str]:
    """A made-up carrier record of 拱墅区, run by a firm of the register half of the time."""
    kind = rng.choices(tuple(MADE_UP_KINDS), weights=tuple(MADE_UP_KINDS.values()))[0]
    brand = "".join(rng.choice(BRAND_CHARS) for _ in range(2))
    theme = rng.choice(THEMES)
    name = {"maker_space": f"{brand}{theme}众创空间", "incubator": f"{brand}{theme}孵化器",
            "tech_park": f"运河{brand}科创园", "maker_lounge": f"{brand}双创客厅", "uni_park": f"{brand}大学科技园",
            "complex": f"{theme}产业创新服务综合体"}[kind]
    if operators and rng.random() < 0.5:
        operator = rng.choice(operators).name
    else:
        operator = company_name(rng, "hitech_services").replace("科技有限公司", "企业管理有限公司")
    levels = "市+" if kind in ("incubator", "uni_park") else ""
    return [name, operator, kind, levels, "", "", "", "", "", ""]


def _levels(rng: random.Random, kind: str, levels: str) -> list[str]:
    if levels == "市+":
        return rng.choices((["市"], ["市", "省"], ["市", "省", "国家"]), weights=(50, 30, 20))[0]
    if levels:
        return levels.split(">")
    return [DEFAULT_LEVEL.get(kind, "市")]


def _recognitions(ctx: DemoContext, rng: random.Random, carrier_id: int, kind: str, levels: str, subtype: str,
                  established: dt.date, in_gongshu: bool) -> None:
    """Recognitions level by level, each with its event history; a few 市/区-level ones get 整改 or 摘牌."""
    day = established + rng.randint(300, 900) * DAY
    chain = _levels(rng, kind, levels)
    for step, level in enumerate(chain):
        if day > ctx.as_of - 30 * DAY:
            break
        sub = subtype or _subtype(rng, kind, level)
        filed = kind == "maker_space" and level in ("国家", "省")
        status = sub if sub in ("创建", "培育") else "备案" if filed else "认定"
        last = step == len(chain) - 1
        doc = DOC_PATTERNS[level].format(y=day.year, n=rng.randint(8, 180))
        events: list[tuple[str, dt.date, str | None, str | None]] = [(status, day, doc, None)]
        ended = None
        if kind == "complex" and status == "创建" and add_years(day, 3) <= ctx.as_of:
            events.append(("验收", add_years(day, 3), None, "三年建设期满，通过验收"))
        elif last and in_gongshu and level in ("市", "区") and kind in INCUBATING and rng.random() < 0.08:
            warned = maybe_between(rng, day + 365 * DAY, ctx.as_of)
            if warned is not None:
                events.append(("整改", warned, _district_doc(rng, warned), "年度评价不合格，限期整改"))
                if rng.random() < 0.4 and warned + 365 * DAY <= ctx.as_of:
                    ended = between(rng, warned + 365 * DAY, ctx.as_of)
                    events.append(("摘牌", ended, _district_doc(rng, ended), "连续两年评价不合格，予以摘牌"))
        recognition_id = ctx.add(CarrierRecognition, {
            "carrier_id": carrier_id, "level": level, "subtype": sub or None, "recognized_on": day,
            "status": events[-1][0], "ended_on": ended, "doc_no": doc,
        })
        for event_status, changed_on, event_doc, notes in events:
            ctx.add(CarrierRecognitionEvent, {
                "recognition_id": recognition_id, "status": event_status, "changed_on": changed_on,
                "doc_no": event_doc, "notes": notes,
            })
        day += rng.randint(700, 1400) * DAY


def _district_doc(rng: random.Random, day: dt.date) -> str:
    return DOC_PATTERNS["区"].format(y=day.year, n=rng.randint(8, 180))


def _subtype(rng: random.Random, kind: str, level: str) -> str:
    if kind == "maker_space" and level == "市":
        return rng.choices(("标准化", "专业化示范", "国际化示范"), weights=(70, 20, 10))[0]
    if kind == "town":
        return rng.choice(("创建", "培育", "命名"))
    if kind == "complex":
        return "创建"
    return ""


def _tenancies(ctx: DemoContext, rng: random.Random,
               tenants_by_carrier: dict[int, list[tuple[Firm, dt.date, dt.date | None]]]) -> None:
    """About 3% of firms incubated in the district's carriers; some graduated or left, some past their limit."""
    carriers = ctx.incubating_carriers
    if not carriers:
        return
    young = [f for f in ctx.firms if f.registered_on >= ctx.as_of - 10 * 365 * DAY and f.registered_on < ctx.as_of
             - 30 * DAY]
    count = min(len(young), round(len(ctx.firms) * 0.03))
    weights = [area ** 0.5 for _, _, area in carriers]
    for firm in sorted(rng.sample(young, count), key=lambda f: f.index):
        carrier_id, kind, _ = rng.choices(carriers, weights=weights)[0]
        limit = 72 if firm.field == "biomed" or kind == "agri_maker" else INCUBATING[kind]
        entered = between(rng, firm.registered_on, min(firm.registered_on + 540 * DAY, ctx.as_of - 7 * DAY))
        months = (ctx.as_of - entered).days / 30.44
        roll = rng.random()
        graduated = roll < (0.55 if months > limit else 0.15)
        exited = not graduated and roll < (0.8 if months > limit else 0.25)
        left = None
        if graduated:
            left = maybe_between(rng, entered + 365 * DAY, min(entered + (limit + 12) * 31 * DAY, ctx.as_of))
        elif exited:
            left = maybe_between(rng, entered + 90 * DAY, min(entered + limit * 31 * DAY, ctx.as_of))
        graduated, exited = graduated and left is not None, exited and left is not None
        criteria = None
        if graduated:
            met = rng.sample(GRADUATION_CRITERIA, rng.randint(1, 2))
            criteria = ",".join(sorted(met, key=GRADUATION_CRITERIA.index))
        ctx.add(Tenancy, {
            "carrier_id": carrier_id, "enterprise_id": firm.id, "entered_on": entered, "left_on": left,
            "exit_kind": "毕业" if graduated else "退出" if exited else None, "graduation_criteria": criteria,
            "incubation_months": limit,
        })
        tenants_by_carrier[carrier_id].append((firm, entered, left))


def _quarters(as_of: dt.date, count: int) -> list[tuple[int, int, dt.date, dt.date]]:
    """The last ``count`` quarters that ended before as_of: (year, quarter, first day, last day), oldest first."""
    year, quarter = as_of.year, (as_of.month - 1) // 3
    out = []
    for _ in range(count):
        if quarter == 0:
            year, quarter = year - 1, 4
        first = dt.date(year, 3 * quarter - 2, 1)
        last = dt.date(year + quarter // 4, 3 * quarter % 12 + 1, 1) - DAY
        out.append((year, quarter, first, last))
        quarter -= 1
    return out[::-1]


def _period_stats(ctx: DemoContext, rng: random.Random, carrier_id: int, kind: str, area: int, record: list[str],
                  tenants: list[tuple[Firm, dt.date, dt.date | None]]) -> None:
    """Quarterly statistics for the last 8 quarters: the register's tenants plus those outside the register."""
    usual = AREA[kind][2]
    outside = int(record[7]) if record[7] else rng.randint(usual // 2, usual * 2)
    known = bool(record[9] and record[7])
    revenue_per_tenant = float(record[9]) / max(int(record[7]), 1) if known else rng.uniform(30, 150)
    investment = area * rng.uniform(0.05, 0.3)
    for year, quarter, first, last in _quarters(ctx.as_of, 8):
        submitted = last + rng.randint(5, 25) * DAY
        if submitted > ctx.as_of or rng.random() < 0.03:
            continue
        outside = max(0, outside + rng.randint(-3, 4))
        incubating = outside + sum(1 for _, e, left in tenants if e <= last and (left is None or left > last))
        new = rng.randint(0, 4) + sum(1 for _, e, _ in tenants if first <= e <= last)
        graduated = rng.randint(0, 2) + sum(1 for _, _, left in tenants if left and first <= left <= last)
        investment *= rng.uniform(1.0, 1.03)
        ctx.add(CarrierPeriodStat, {
            "carrier_id": carrier_id, "year": year, "quarter": quarter,
            "investment_total_wan": wan(fen_of_wan(investment)), "floor_area_m2": area,
            "incubating_count": incubating, "new_count": new, "graduated_count": graduated,
            "exited_count": rng.randint(0, 2), "employees": round(incubating * rng.uniform(6, 14)),
            "ip_count": round(incubating * rng.uniform(0.5, 2.5)),
            "revenue_wan": wan(fen_of_wan(incubating * revenue_per_tenant / 4 * rng.uniform(0.8, 1.2))),
            "financing_wan": wan(fen_of_wan(rng.uniform(50, 2000))) if rng.random() < 0.4 else None,
            "events_count": rng.randint(1, 10), "mentors": rng.randint(2, 20),
            "vacancy_m2": round(area * rng.uniform(0, 0.2)), "submitted_on": submitted,
        })
