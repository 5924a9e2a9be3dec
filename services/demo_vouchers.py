"""Demo stage 6: innovation vouchers — service providers, yearly rules, grants, uses and redemptions.

The life of a grant follows DOMAIN §5.2: 申领 → 发放 → 使用 (技术合同) → 申请兑现 → 批次通知 → 兑现, and a grant not
used within its year lapses (过期). Redemptions are batched twice a year; each batch's notice lists one payment per
enterprise, the city co-funding its share of the subsidy.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from models import ServiceProvider, VoucherGrant, VoucherRedemption, VoucherRule, VoucherUse
from services import demo_corpus
from services.demo_base import DAY, FEN_PER_WAN, DemoContext, between, fen_of_wan, split_share, wan
from services.demo_names import BRAND_CHARS, credit_code, person_name
from services.demo_payouts import add_payment

#: Subsidy ratio of the rules, from three years back to this year (拱墅 raised it to 30% and beyond, 003 L40).
RATIOS = (30, 30, 40, 50)
CITY_COFUND_PCT = 40
SERVICE_TYPES = ("技术开发", "技术服务", "技术咨询", "技术查新", "测试分析", "产品设计", "技术培训", "专利代理",
                 "专利分析评估")
MADE_UP_PROVIDERS = (("浙江{}检测技术有限公司", "检测机构"), ("杭州{}专利代理事务所（普通合伙）", "专利代理机构"),
                     ("杭州{}工业设计有限公司", "工业设计机构"), ("杭州{}科技咨询有限公司", "咨询机构"),
                     ("浙江{}软件测评中心有限公司", "检测机构"), ("杭州{}技术研究院有限公司", "研究院"))
ENTERPRISE_AMOUNTS = (2, 3, 5, 8, 10, 15, 20)
TEAM_AMOUNTS = (1, 2, 3, 5, 8, 10)


def build_vouchers(ctx: DemoContext) -> None:
    """Providers, the rules of the last four years, and the grants of the last three with their uses."""
    rng = ctx.rng("vouchers")
    providers = _providers(ctx, rng)
    for offset, ratio in enumerate(RATIOS):
        year = ctx.year - 3 + offset
        ctx.add(VoucherRule, {
            "district_id": ctx.district_id, "year": year, "enterprise_cap_wan": 20, "maker_team_cap_wan": 10,
            "subsidy_ratio": ratio / 100, "city_cofund_max_ratio": CITY_COFUND_PCT / 100,
            "source_doc": f"拱墅区科技“创新券”应用和推广管理办法（{year}年度）",
        })
    serial = {"contract": rng.randint(100, 900)}
    for year in range(ctx.year - 2, ctx.year + 1):
        _grants(ctx, rng, year, RATIOS[year - ctx.year + 3], providers, serial)


def _providers(ctx: DemoContext, rng: random.Random) -> list[tuple[int, str]]:
    """The corpus's service institutions, then made-up labs, agencies and consultancies: [(id, kind)]."""
    wanted = max(30, len(ctx.firms) // 400)
    out: list[tuple[int, str]] = []
    names: set[str] = set()
    for line in demo_corpus.SERVICE_PROVIDERS.split():
        name, kind, level, district = line.split("|")
        names.add(name)
        out.append((ctx.add(ServiceProvider, {
            "name": name, "kind": kind, "level": level, "uscc": None,
            "district_id": ctx.district_ids.get(district) if district else None, "active": True,
        }), kind))
    while len(out) < wanted:
        pattern, kind = rng.choice(MADE_UP_PROVIDERS)
        name = pattern.format("".join(rng.choice(BRAND_CHARS) for _ in range(2)))
        if name in names:
            continue
        names.add(name)
        level = rng.choices(("市", "省", "区"), weights=(60, 30, 10))[0]
        registered = dt.date(rng.randint(2000, ctx.year - 2), rng.randint(1, 12), rng.randint(1, 28))
        out.append((ctx.add(ServiceProvider, {
            "name": name, "kind": kind, "level": level, "uscc": credit_code(rng, registered),
            "district_id": ctx.district_id if level == "区" else None, "active": rng.random() > 0.03,
        }), kind))
    return out


def _grants(ctx: DemoContext, rng: random.Random, year: int, ratio: int, providers: list[tuple[int, str]],
            serial: dict[str, int]) -> None:
    """About one grant per 15 firms a year, 8% more to maker teams; applications after as_of do not exist yet."""
    count = round(len(ctx.firms) / 15)
    keyed = sorted(((rng.random() ** (1.0 / (1, 3, 4, 3)[f.tier]), f.index) for f in ctx.firms), reverse=True)
    applications = []
    for index in sorted(index for _, index in keyed[:count]):
        applications.append((between(rng, dt.date(year, 1, 10), dt.date(year, 10, 31)), index))
        if rng.random() < 0.08:
            applications.append((between(rng, dt.date(year, 1, 10), dt.date(year, 10, 31)), -1))
    applications = sorted(a for a in applications if a[0] <= ctx.as_of)
    #: The latest applications are still being reviewed (材料审核中) whatever their draw.
    in_review = len(applications) - 2 if year == ctx.year else len(applications)
    paid: dict[tuple[tuple[int, int], int], list[int]] = {}
    for number, (applied, index) in enumerate(applications, start=1):
        firm = ctx.firms[index] if index >= 0 else None
        asked = fen_of_wan(rng.choice(ENTERPRISE_AMOUNTS if firm else TEAM_AMOUNTS))
        issued_on = applied + rng.randint(7, 30) * DAY
        withdrawn = rng.random() < 0.04
        issued = None
        if not withdrawn and issued_on <= ctx.as_of and number <= in_review:
            issued = asked if rng.random() < 0.75 else max(fen_of_wan(1), fen_of_wan(asked * rng.uniform(0.5, 0.9)
                                                                                    / FEN_PER_WAN, 0))
        voided = issued is not None and rng.random() < 0.02
        uses = [] if issued is None or voided else _uses(ctx, rng, year, ratio, issued, issued_on, providers, serial)
        redemptions = [r for use in uses if (r := _redemption(ctx, rng, use, firm.id if firm else None, year, ratio,
                                                                paid)) is not None]
        outcomes = {r["status"] for r in redemptions}
        status = ("作废" if withdrawn or voided else "申领" if issued is None else "兑现" if "已兑付" in outcomes
                  else "使用" if uses and (year == ctx.year or outcomes & {"申请", "审核通过"})
                  else "过期" if year < ctx.year else "发放")
        grant_id = ctx.add(VoucherGrant, {
            "voucher_no": f"GSCXQ{year}{number:05d}", "enterprise_id": firm.id if firm else None,
            "maker_team_name": None if firm else f"{person_name(rng)}创客团队", "district_id": ctx.district_id,
            "year": year, "amount_applied_wan": wan(asked), "amount_issued_wan": wan(issued), "applied_on": applied,
            "issued_on": issued_on if issued else None, "expires_on": dt.date(year, 12, 31), "status": status,
        })
        for use in uses:
            use["grant_id"] = grant_id
            ctx.add(VoucherUse, use)
        for redemption in redemptions:
            ctx.add(VoucherRedemption, redemption)
    for (notice_key, enterprise_id), (city, district) in sorted(paid.items()):
        notice_id, _issued, paid_on = ctx.voucher_notices[notice_key]
        add_payment(ctx, (notice_id, paid_on), enterprise_id, None, "创新券补助", (city, district))


def _uses(ctx: DemoContext, rng: random.Random, year: int, ratio: int, issued: int, issued_on: dt.date,
          providers: list[tuple[int, str]], serial: dict[str, int]) -> list[dict[str, Any]]:
    """The uses of one grant (most grants are used, in one to three contracts), ids reserved for their redemptions."""
    if rng.random() > 0.8:
        return []
    first, last = issued_on + 10 * DAY, min(dt.date(year, 11, 25), ctx.as_of)
    if last < first:
        return []
    days = sorted(between(rng, first, last) for _ in range(rng.choices((1, 2, 3), (60, 30, 10))[0]))
    budget = fen_of_wan(issued * rng.uniform(0.6, 1.0) / FEN_PER_WAN, 4)
    cuts = sorted(fen_of_wan(budget * rng.random() / FEN_PER_WAN, 4) for _ in days[1:])
    shares = [b - a for a, b in zip([0, *cuts], [*cuts, budget], strict=True)]
    uses = []
    for used_on, voucher in zip(days, shares, strict=True):
        if voucher <= 0:
            continue
        contract = fen_of_wan(voucher * 100 / ratio * rng.uniform(1.01, 1.3) / FEN_PER_WAN)
        provider_id, kind = rng.choice(providers)
        service = "专利代理" if kind == "专利代理机构" else rng.choice(SERVICE_TYPES)
        related = rng.random() < 0.02
        serial["contract"] += rng.randint(1, 6)
        uses.append({
            "id": ctx.writer.new_id(VoucherUse), "provider_id": provider_id, "service_type": service,
            "contract_no": None if service == "专利代理" else f"{year}330105{serial['contract']:06d}",
            "contract_amount_wan": wan(contract), "paid_amount_wan": wan(contract), "voucher_amount_wan": wan(voucher),
            "used_on": used_on, "related_party": related, "notes": "与服务机构存在关联关系" if related else None,
            "_fen": voucher,
        })
    return uses


def _redemption(ctx: DemoContext, rng: random.Random, use: dict[str, Any], enterprise_id: int | None, year: int,
                ratio: int, paid: dict[tuple[tuple[int, int], int], list[int]]) -> dict[str, Any] | None:
    """The redemption of one use in the year's first or second batch (None when it would be applied after as_of)."""
    subsidy, used_on = use.pop("_fen"), use["used_on"]
    applied = max(used_on, min(used_on + rng.randint(5, 40) * DAY, dt.date(year, 11, 30)))
    if applied > ctx.as_of:
        return None
    batch = 1 if applied <= dt.date(year, 6, 30) else 2
    notice = ctx.voucher_notices.get((year, batch))
    audit_day = (notice[1] if notice else dt.date(year, 7, 25) if batch == 1 else dt.date(year, 12, 18)) - 12 * DAY
    audited = audit_day if applied <= audit_day <= ctx.as_of else None
    city, district = split_share(subsidy, CITY_COFUND_PCT)
    status = "申请" if audited is None else "不通过" if use["related_party"] else "审核通过"
    paid_on = None
    if status == "审核通过" and notice is not None:
        paid_on = notice[2]
        if enterprise_id is not None:
            shares = paid.setdefault(((year, batch), enterprise_id), [0, 0])
            shares[0] += city
            shares[1] += district
        status = "已兑付" if paid_on else status
    return {
        "use_id": use["id"], "applied_on": applied, "audited_on": audited, "batch_no": batch if audited else None,
        "notice_id": notice[0] if notice and status in ("审核通过", "已兑付") else None, "subsidy_wan": wan(subsidy),
        "ratio": ratio / 100, "city_share_wan": None if status == "不通过" else wan(city),
        "district_share_wan": None if status == "不通过" else wan(district), "paid_on": paid_on, "status": status,
    }
