"""Demo stage 5: pay-out notices (政策兑现) with their payments, and the targets of 国高企 by 属地.

Notices follow the pattern of the district's own (DOMAIN §6.2): one per programme, cohort year and batch, issued the
year after the cohort, listing the firms (or carriers) paid. Programmes the city co-funds split each payment by the
district's ``city_share_pct``; the district's own programmes are paid by the district alone. The voucher batches'
notices are planned here too; the voucher stage adds their payments.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from models import Payment, PaymentNotice, Target
from services.demo_base import DAY, FEN_PER_WAN, SOURCE, DemoContext, add_years, fen_of_wan, split_share, wan

#: DOMAIN §8.1(c): 属地, 2017 国高企, then (新增数, 力争数) for 2018, 2019, 2020 — the district's own table (003).
GONGSHU_TARGETS_2018_2020 = (
    ("全区", 107, ((28, 33), (40, 47), (52, 63))),
    ("上塘", 5, ((1, 1), (2, 3), (3, 4))),
    ("祥符", 10, ((3, 5), (3, 5), (5, 7))),
    ("半山", 3, ((1, 1), (1, 1), (2, 2))),
    ("康桥", 4, ((1, 1), (2, 2), (2, 2))),
    ("米市巷", 7, ((1, 1), (3, 3), (4, 5))),
    ("湖墅", 4, ((1, 2), (2, 2), (2, 3))),
    ("小河", 3, ((1, 1), (1, 2), (2, 3))),
    ("拱宸桥", 2, ((1, 2), (1, 2), (2, 3))),
    ("和睦", 4, ((1, 1), (2, 2), (2, 2))),
    ("大关", 3, ((2, 2), (2, 2), (2, 2))),
    ("园区", 62, ((15, 16), (21, 23), (26, 30))),
)
#: The city's table for 拱墅区 (DOMAIN §8.1(a), ``hz_gaoqi_targets_by_district_2018_2020.tsv``).
CITY_TARGETS_2018_2020 = (107, ((28, 33), (36, 40), (43, 47)))
TARGET_SOURCE_DISTRICT = "拱墅区高新技术企业培育三年行动方案（2018-2020年）"
TARGET_SOURCE_CITY = "杭政办函〔2018〕64号 附件1"
HTE_INDICATOR = "qual.national_hte.new"
#: One-off rewards of the district for R&D institutions (000 L158), 万元.
RD_REWARDS = {"省级重点企业研究院": 50, "省级企业研究院": 20, "省级企业研发中心": 50, "市级企业研发中心": 30}
GROWTH_REWARDS = {"第一梯队": 10, "第二梯队": 7, "第三梯队": 4}
VOUCHERS = "创新券补助"


@dataclass
class Notice:
    """A notice being planned; ``payments`` are (enterprise id, carrier id, item, amount in 分)."""

    programme: str
    title: str
    cohort: int
    batch: int | None
    issued_on: dt.date
    city_pct: int
    audited: bool = False
    payments: list[tuple[int | None, int | None, str, int]] = field(default_factory=list)
    id: int = 0
    paid_on: dt.date | None = None


#: Plans a notice unless it would be issued after as_of: (programme, title, cohort, issued on, batch, city %, audited).
Planner = Callable[..., Notice | None]


def build_payouts(ctx: DemoContext) -> None:
    """Plan every notice, number them in date order, write them with their payments, then the targets."""
    rng = ctx.rng("payouts")
    notices: list[Notice] = []

    def plan(programme: str, title: str, cohort: int, issued: dt.date, *, batch: int | None = None,
             city_pct: int = 0, audited: bool = False) -> Notice | None:
        if issued > ctx.as_of:
            return None
        notices.append(Notice(programme, title, cohort, batch, issued, city_pct, audited))
        return notices[-1]

    for year in range(ctx.year - 3, ctx.year):
        _hte_rewards(ctx, rng, plan, year)
        _district_rewards(ctx, rng, plan, year)
        _rd_subsidies(ctx, rng, plan, year)
    for year in range(ctx.year - 2, ctx.year + 1):
        for batch, name, first in ((1, "第一", dt.date(year, 7, 25)), (2, "第二", dt.date(year, 12, 18))):
            plan(VOUCHERS, f"关于下达{year}年度{name}批拱墅区创新券补助资金的通知", year,
                 first + rng.randint(0, 7) * DAY, batch=batch, city_pct=40)
    serial: dict[int, int] = {}
    for notice in sorted(notices, key=lambda n: (n.issued_on, n.programme, n.batch or 0)):
        if not notice.payments and notice.programme != VOUCHERS:
            continue
        year = notice.issued_on.year
        serial[year] = serial.get(year, rng.randint(2, 9)) + rng.randint(1, 4)
        paid = notice.issued_on + rng.randint(10, 30) * DAY
        notice.paid_on = paid if paid <= ctx.as_of else None
        notice.id = ctx.add(PaymentNotice, {
            "title": notice.title, "doc_no": f"拱科发〔{year}〕{serial[year]}号", "district_id": ctx.district_id,
            "programme": notice.programme, "cohort_year": notice.cohort, "batch_no": notice.batch,
            "issued_on": notice.issued_on, "audited": notice.audited,
            "publicized_on": notice.issued_on - rng.randint(10, 15) * DAY, "approved_by": "局务会议", "notes": None,
        })
        for enterprise_id, carrier_id, item, total in notice.payments:
            add_payment(ctx, (notice.id, notice.paid_on), enterprise_id, carrier_id, item,
                        split_share(total, notice.city_pct))
        if notice.programme == VOUCHERS:
            ctx.voucher_notices[(notice.cohort, notice.batch or 1)] = (notice.id, notice.issued_on, notice.paid_on)
    _targets(ctx, rng)


def add_payment(ctx: DemoContext, notice: tuple[int, dt.date | None], enterprise_id: int | None,
                carrier_id: int | None, item: str, shares: tuple[int, int]) -> None:
    """One payment of a written notice (id, paid on): (city, district) shares in 分, the total being their sum."""
    city, district = shares
    ctx.add(Payment, {
        "notice_id": notice[0], "enterprise_id": enterprise_id, "carrier_id": carrier_id, "item": item,
        "amount_total_wan": wan(city + district), "amount_city_wan": wan(city), "amount_district_wan": wan(district),
        "paid_on": notice[1],
    })


def _hte_rewards(ctx: DemoContext, rng: random.Random, plan: Planner, year: int) -> None:
    """国高企 申报补助 20万 and 认定奖励 40万 for the firms certified for the first time (city and district share)."""
    issued = dt.date(year + 1, 4, 10) + rng.randint(0, 20) * DAY
    firms = [ctx.firms[a.firm].id for a in ctx.awards.get(("national_hte", year), [])
             if a.application_kind == "新申报" and a.status in ("认定", "到期")]
    for programme, what, amount in (("国高企申报补助", "申报补助", 20), ("国高企认定奖励", "认定奖励", 40)):
        notice = plan(programme, f"关于兑现拱墅区{year}年国家重点扶持领域高新技术企业{what}资金的通知", year, issued,
                      city_pct=ctx.city_share_pct)
        if notice is not None:
            notice.payments = [(firm_id, None, programme, fen_of_wan(amount)) for firm_id in firms]


def _district_rewards(ctx: DemoContext, rng: random.Random, plan: Planner, year: int) -> None:
    """The district's own rewards for a cohort year: 市高企, R&D institutions, 旭日, patents, maker-space rent."""
    notice = plan("市高企奖励", f"关于兑现{year}年拱墅区市级高新技术企业奖励经费的通知", year,
                  dt.date(year + 1, 6, 15) + rng.randint(0, 10) * DAY)
    if notice is not None:
        notice.payments = [(ctx.firms[a.firm].id, None, "市级高新技术企业奖励", fen_of_wan(2))
                           for a in ctx.awards.get(("city_hte", year), []) if a.status == "认定"]
    notice = plan("研发机构认定奖励", f"关于兑现拱墅区{year}年企业研发机构认定奖励的通知", year,
                  dt.date(year + 1, 5, 10) + rng.randint(0, 15) * DAY)
    if notice is not None:
        notice.payments = [(ctx.firms[index].id, None, f"{kind}认定奖励", fen_of_wan(RD_REWARDS[kind]))
                           for index, kind in ctx.rd_by_year.get(year, []) if kind in RD_REWARDS]
    growth = [a for a in ctx.awards.get(("district_growth", year), []) if a.certified_on and a.tier]
    if growth:
        issued = max(a.certified_on for a in growth if a.certified_on) + rng.randint(30, 50) * DAY
        notice = plan("旭日计划奖励", f"关于兑现{year}年度“旭日计划”2.0企业奖励资金的通知", year, issued)
        if notice is not None:
            notice.payments = [(ctx.firms[a.firm].id, None, f"旭日计划{a.tier}奖励", fen_of_wan(GROWTH_REWARDS[a.tier]))
                               for a in growth if a.tier in GROWTH_REWARDS]
    notice = plan("发明专利资助", f"关于兑现{year}年度拱墅区发明专利授权资助资金的通知", year,
                  dt.date(year + 1, 3, 20) + rng.randint(0, 10) * DAY)
    if notice is not None and ctx.facts is not None and year in ctx.facts.years:
        for firm in ctx.firms:
            granted = ctx.facts.get(firm.index, year, "inventions")
            if granted:
                notice.payments.append((firm.id, None, f"发明专利授权资助（{granted}件）", fen_of_wan(granted)))
    notice = plan("众创空间房租补贴", f"关于兑现{year}年度拱墅区众创空间房租宽带补贴资金的通知", year,
                  dt.date(year + 1, 6, 20) + rng.randint(0, 10) * DAY, audited=True)
    if notice is not None:
        for carrier_id, kind, _area in ctx.incubating_carriers:
            if kind in ("maker_space", "incubator") and rng.random() < 0.6:
                amount = rng.uniform(5, 30) if kind == "maker_space" else rng.uniform(10, 50)
                notice.payments.append((None, carrier_id, "房租宽带补贴", fen_of_wan(amount)))


def _rd_subsidies(ctx: DemoContext, rng: random.Random, plan: Planner, year: int) -> None:
    """市中小微企业研发费用投入补助 配套: 20% of the increase, 规上 ≥200万 (cap 200万), 规下 ≥50万 (cap 50万)."""
    facts = ctx.facts
    if facts is None or year not in facts.years or year - 1 not in facts.years:
        return
    batches = [plan("研发投入补助", f"关于兑现{year}年第{name}批杭州市中小微企业研发费用投入补助配套资金的通知", year,
                    dt.date(year + 1, month, 5) + rng.randint(0, 15) * DAY, batch=batch, city_pct=ctx.city_share_pct)
               for batch, name, month in ((1, "一", 9), (2, "二", 12))]
    for firm in ctx.firms:
        now, before = facts.get(firm.index, year, "rd"), facts.get(firm.index, year - 1, "rd")
        if now is None or before is None:
            continue
        large = (facts.get(firm.index, year, "revenue") or 0) >= 2000 * FEN_PER_WAN
        floor, cap = (200, 200) if large else (50, 50)
        increase = now - before
        if increase < floor * FEN_PER_WAN:
            continue
        notice = batches[0] if rng.random() < 0.6 else batches[1]
        if notice is not None:
            amount = min(increase // 5, cap * FEN_PER_WAN) // 100 * 100
            notice.payments.append((firm.id, None, "研发投入补助", amount))


def _targets(ctx: DemoContext, rng: random.Random) -> None:
    """The real 2018–2020 tables, and demo targets for last year and this year set near what was achieved."""
    add = ctx.writer.add
    table = Target
    sub_ids = {name: ctx.subdistricts.get(f"{name}街道", ctx.subdistricts.get(name))
               for name, *_ in GONGSHU_TARGETS_2018_2020}
    for name, base, yearly in GONGSHU_TARGETS_2018_2020:
        if name != "全区" and sub_ids[name] is None:
            continue
        for year, (required, stretch) in zip((2018, 2019, 2020), yearly, strict=True):
            add(table, {"district_id": ctx.district_id, "subdistrict_id": None if name == "全区" else sub_ids[name],
                        "year": year, "indicator": HTE_INDICATOR, "issuer": "区", "required": required,
                        "stretch": stretch, "base_value": base, "source": TARGET_SOURCE_DISTRICT})
    base, yearly = CITY_TARGETS_2018_2020
    for year, (required, stretch) in zip((2018, 2019, 2020), yearly, strict=True):
        add(table, {"district_id": ctx.district_id, "subdistrict_id": None, "year": year, "indicator": HTE_INDICATOR,
                    "issuer": "市", "required": required, "stretch": stretch, "base_value": base,
                    "source": TARGET_SOURCE_CITY})
    for year in (ctx.year - 1, ctx.year):
        if 2018 <= year <= 2020:
            continue
        new_last, valid = _hte_by_subdistrict(ctx, year)
        totals = [0, 0, 0]
        for sub_id in ctx.subdistricts.values():
            required = max(1, round(new_last.get(sub_id, 0) * rng.uniform(0.8, 1.1)))
            stretch = required + max(1, math.ceil(required * 0.15))
            totals = [totals[0] + required, totals[1] + stretch, totals[2] + valid.get(sub_id, 0)]
            add(table, {"district_id": ctx.district_id, "subdistrict_id": sub_id, "year": year,
                        "indicator": HTE_INDICATOR, "issuer": "区", "required": required, "stretch": stretch,
                        "base_value": valid.get(sub_id, 0), "source": SOURCE})
        add(table, {"district_id": ctx.district_id, "subdistrict_id": None, "year": year, "indicator": HTE_INDICATOR,
                    "issuer": "区", "required": totals[0], "stretch": totals[1], "base_value": totals[2],
                    "source": SOURCE})


def _hte_by_subdistrict(ctx: DemoContext, year: int) -> tuple[dict[int, int], dict[int, int]]:
    """Per 属地: new 国高企 of the year before, and certificates valid at its end (the target's base)."""
    new: dict[int, int] = {}
    valid: dict[int, int] = {}
    year_end = dt.date(year - 1, 12, 31)
    for (code, cohort), awards in ctx.awards.items():
        if code != "national_hte":
            continue
        for award in awards:
            certified = award.certified_on
            if certified is None or award.status == "撤销":
                continue
            sub_id = ctx.firms[award.firm].subdistrict_id
            if cohort == year - 1 and award.application_kind == "新申报":
                new[sub_id] = new.get(sub_id, 0) + 1
            if certified <= year_end < add_years(certified, 3):
                valid[sub_id] = valid.get(sub_id, 0) + 1
    return new, valid
