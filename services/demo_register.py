"""Demo stage 1: the enterprise register — enterprises, former names and three years of figures."""

from __future__ import annotations

import datetime as dt
import math
import random

from models import Enterprise, EnterpriseFormerName, EnterpriseYearFact
from services import demo_corpus, demo_corpus_rd
from services.demo_base import (
    DAY,
    FEN_PER_WAN,
    SOURCE,
    DemoContext,
    Facts,
    Firm,
    Weighted,
    between,
    fen_of_wan,
    pick,
    round_fen,
    wan,
)
from services.demo_names import (
    FIELDS,
    address,
    company_name,
    credit_code,
    field_of,
    former_name,
    person_name,
    phone,
)
from services.text import clean_name, normalize_name, pinyin_initials

#: Where enterprises are (DOMAIN §1.4: 园区 holds the most), and where the 国高企-grade ones are (the 2017 counts).
SUBDISTRICT_WEIGHTS = {"上塘街道": 13, "祥符街道": 18, "半山街道": 11, "康桥街道": 12, "米市巷街道": 15, "湖墅街道": 12,
                       "小河街道": 11, "拱宸桥街道": 10, "和睦街道": 12, "大关街道": 11, "园区": 70}
HTE_SUBDISTRICT_WEIGHTS = {"上塘街道": 7, "祥符街道": 12, "半山街道": 5, "康桥街道": 6, "米市巷街道": 9, "湖墅街道": 6,
                           "小河街道": 5, "拱宸桥街道": 4, "和睦街道": 6, "大关街道": 5, "园区": 64}
#: Shares of tiers 0..3 (ordinary, 科技型中小企业, 市高企 level, 国高企 material); R&D-centre hosts are stronger.
TIER_WEIGHTS = (0.62, 0.25, 0.065, 0.065)
HOST_TIER_WEIGHTS = (0.0, 0.1, 0.2, 0.7)
#: Median last-year revenue (万元) by tier.
REVENUE_MEDIAN = (300.0, 500.0, 1500.0, 4000.0)
NICE_CAPITALS = (50, 100, 200, 300, 500, 1000, 2000, 5000)
#: Fields whose size class is judged as industry (规上 from 2,000万 revenue) rather than services (1,000万).
INDUSTRIAL_FIELDS = frozenset({"manufacturing", "materials", "energy", "environment", "aerospace", "biomed"})
#: Invention patents granted in a year by tier: {count: weight}.
INVENTIONS = tuple(Weighted(dict(enumerate(w))) for w in ((98, 2), (92, 7, 1), (70, 22, 8), (45, 30, 15, 10)))
#: Share of firms hosting an R&D institution (DOMAIN §3: 拱墅 had 59 at 市级 and above).
RD_SHARE = 0.035
NOTES = ("重点培育企业", "拟上市企业", "街道重点联系企业", "已纳入“一企一员”服务")


def real_names(rng: random.Random) -> list[str]:
    """The real names of the corpus: 拱墅区's own first, then the others in an order that depends on the seed."""
    def split(block: str) -> list[str]:
        return [clean_name(n) for line in block.split() for n in line.split("、") if n]

    others = split(demo_corpus.OTHER_ENTERPRISES)
    rng.shuffle(others)
    return split(demo_corpus.GONGSHU_ENTERPRISES) + others


def rd_hosts(rng: random.Random, names: list[str], enterprises: int) -> frozenset[str]:
    """The real R&D-institution hosts that get their institution in this demo: about 3.5% of the register."""
    present = set(names)
    hosts = sorted({clean_name(line.split("|")[0]) for line in demo_corpus_rd.RD_INSTITUTIONS.split()} & present)
    return frozenset(rng.sample(hosts, min(len(hosts), round(enterprises * RD_SHARE))))


def _registered_on(rng: random.Random, as_of: dt.date, tier: int) -> dt.date:
    roll = rng.random()
    years = (rng.uniform(0.1, 3) if roll < 0.3 else rng.uniform(3, 8) if roll < 0.65
             else rng.uniform(8, 15) if roll < 0.9 else rng.uniform(15, 30))
    if tier == 3:
        years = max(years, rng.uniform(2.5, 6))
    return max(dt.date(1988, 1, 4), as_of - dt.timedelta(days=int(years * 365.25)))


def _capital(rng: random.Random, tier: int) -> int:
    """Registered capital in 分."""
    if rng.random() < 0.45:
        amount = float(pick(rng, NICE_CAPITALS[: 4 + tier]))
    else:
        amount = math.exp(rng.gauss(math.log((100, 300, 600, 1000)[tier]), 0.8))
        amount = round(amount, -1) if amount < 1000 else round(amount, -2)
    return fen_of_wan(max(amount, 3.0), 0)


def build_register(ctx: DemoContext) -> None:
    """Enterprises (real names first), some former names, and figures for the last three full years."""
    rng = ctx.rng("register")
    names = real_names(rng)[: ctx.enterprises]
    hosts = rd_hosts(rng, names, ctx.enterprises)
    ctx.rd_hosts = hosts
    taken = {normalize_name(n) for n in names}
    codes: set[str] = set()
    places = Weighted({n: SUBDISTRICT_WEIGHTS.get(n, 10) for n in ctx.subdistricts})
    hte_places = Weighted({n: HTE_SUBDISTRICT_WEIGHTS.get(n, 5) for n in ctx.subdistricts})
    tiers, host_tiers = Weighted(dict(enumerate(TIER_WEIGHTS))), Weighted(dict(enumerate(HOST_TIER_WEIGHTS)))
    ctx.facts = Facts(ctx.enterprises, tuple(range(ctx.year - 3, ctx.year)))
    table, former_table = Enterprise, EnterpriseFormerName
    for index in range(ctx.enterprises):
        if index < len(names):
            name = names[index]
            norm = normalize_name(name)
            field = field_of(name, rng)
        else:
            field = FIELDS.pick(rng)
            name = company_name(rng, field)
            norm = normalize_name(name)
            while norm in taken:
                name = company_name(rng, field)
                norm = normalize_name(name)
            taken.add(norm)
        tier = (host_tiers if name in hosts else tiers).pick(rng)
        sub_name = (hte_places if tier == 3 else places).pick(rng)
        registered_on = _registered_on(rng, ctx.as_of, tier)
        code = credit_code(rng, registered_on)
        while code in codes:
            code = credit_code(rng, registered_on)
        codes.add(code)
        firm = Firm(index=index, id=index + 1, name=name, subdistrict_id=ctx.subdistricts[sub_name], field=field,
                    registered_on=registered_on, tier=tier)
        ctx.firms.append(firm)
        former = former_name(rng, name) if rng.random() < 0.07 and registered_on + 400 * DAY <= ctx.as_of else None
        former_norm = normalize_name(former) if former else None
        if former_norm == norm:
            former = None
        ctx.add(table, {
            "id": firm.id, "name": name, "name_norm": norm,
            "name_initials": f"{pinyin_initials(name)} {pinyin_initials(former)}" if former else pinyin_initials(name),
            "uscc": code, "uscc_check_override": False, "district_id": ctx.district_id,
            "subdistrict_id": firm.subdistrict_id, "address": address(rng, sub_name),
            "registered_on": registered_on, "registered_capital_wan": wan(_capital(rng, tier)),
            "industry_field_code": field, "legal_person": person_name(rng),
            "contact_person": person_name(rng), "contact_phone": phone(rng),
            "contact_email": f"{int(rng.random() * 10**9) + 10**7}@qq.com" if rng.random() < 0.3 else None,
            "notes": pick(rng, NOTES) if tier >= 2 and rng.random() < 0.2 else None,
            "created_at": ctx.created_at, "updated_at": ctx.created_at, "deleted_at": None, "version": 1,
        })
        if former:
            ctx.add(former_table, {
                "enterprise_id": firm.id, "name": former, "name_norm": former_norm,
                "used_until": between(rng, registered_on + 365 * DAY, ctx.as_of - 30 * DAY),
            })
        _add_facts(ctx, rng, firm)


def _add_facts(ctx: DemoContext, rng: random.Random, firm: Firm) -> None:
    """Correlated figures: revenue by tier and age, R&D share, staff, IP; tier-3 firms mostly meet 国高企 rules."""
    assert ctx.facts is not None
    tier = firm.tier
    if tier == 0 and rng.random() < 0.25:
        return
    years = [y for y in ctx.facts.years if y >= firm.registered_on.year]
    if not years:
        return
    young = (ctx.as_of - firm.registered_on).days < 3 * 365
    revenue = math.exp(rng.gauss(math.log(REVENUE_MEDIAN[tier]), 1.0 if tier != 2 else 0.9))
    revenue = min(max(revenue * (0.3 if young else 1.0), 5.0), 500_000.0)
    threshold = 0.05 if revenue <= 5000 else 0.04 if revenue <= 20000 else 0.03
    rd_ratio = (threshold + rng.uniform(0.002, 0.035) if tier == 3 and rng.random() > 0.08
                else threshold - rng.uniform(0.001, 0.015) if tier == 3
                else rng.uniform(0.02, 0.07) if tier == 2 else rng.uniform(0.015, 0.08) if tier == 1
                else rng.uniform(0.003, 0.04) if rng.random() < 0.6 else 0.0)
    domestic = rng.uniform(0.85, 1.0) if tier == 3 and rng.random() > 0.03 else rng.uniform(0.55, 1.0)
    hitech = (rng.uniform(0.62, 0.95) if tier == 3 and rng.random() > 0.05 else rng.uniform(0.4, 0.9) if tier >= 2
              else rng.uniform(0.2, 0.85) if tier == 1 else rng.uniform(0.0, 0.5) if rng.random() < 0.5 else None)
    st_share = (rng.uniform(0.15, 0.5) if tier == 3 and rng.random() > 0.05 else rng.uniform(0.08, 0.45) if tier
                else rng.uniform(0.0, 0.2))
    per_head = rng.uniform(40, 120)
    ip1 = (rng.randint(1, 15) if tier == 3 and rng.random() > 0.05 else rng.randint(0, 6) if tier == 2
           else rng.randint(0, 2) if tier == 1 else int(rng.random() < 0.05))
    ip2 = rng.randint(*((0, 5), (1, 20), (2, 30), (5, 60))[tier])
    cost_ratio, asset_ratio, equity = rng.uniform(0.75, 1.02), rng.uniform(0.5, 2.0), rng.uniform(0.25, 0.7)
    if tier == 0 and rng.random() < 0.05:
        equity = -rng.uniform(0.0, 0.2)
    growth = [rng.gauss(0.12 if tier else 0.05, 0.18) for _ in years]
    industrial = firm.field in INDUSTRIAL_FIELDS
    scale = revenue
    rows = []
    for back, year in enumerate(reversed(years)):
        rev = fen_of_wan(scale)
        rd = fen_of_wan(scale * rd_ratio * rng.uniform(0.85, 1.15)) if rd_ratio else 0
        staff = max(3, round(scale / per_head))
        total_assets = fen_of_wan(scale * asset_ratio)
        domestic_rd = round_fen(rd * domestic)
        hitech_rev = None if hitech is None else min(rev, fen_of_wan(scale * hitech))
        st_staff = min(staff, round(staff * st_share))
        class1, class2 = max(0, ip1 - back), max(0, round(ip2 * (1 - 0.2 * back)))
        inventions = min(class1, INVENTIONS[tier].pick(rng))
        ctx.facts.put(firm.index, year, (rev, rd, domestic_rd, hitech_rev, staff, st_staff, class1, class2, inventions))
        rows.append({
            "enterprise_id": firm.id, "year": year, "revenue_wan": wan(rev), "rd_expense_wan": wan(rd),
            "rd_domestic_wan": wan(domestic_rd), "hitech_revenue_wan": wan(hitech_rev),
            "total_cost_wan": wan(fen_of_wan(scale * cost_ratio)), "total_assets_wan": wan(total_assets),
            "net_assets_wan": wan(round_fen(total_assets * equity)), "staff_avg": staff, "st_staff_avg": st_staff,
            "ip_class1": class1, "ip_class2": class2, "invention_patents_granted": inventions,
            "size_class": "规上" if rev >= (2000 if industrial else 1000) * FEN_PER_WAN else "规下", "source": SOURCE,
            "updated_at": ctx.created_at,
        })
        scale = max(scale / (1 + max(-0.4, min(1.0, growth[back]))), 1.0)
    table = EnterpriseYearFact
    for row in reversed(rows):
        ctx.add(table, row)
