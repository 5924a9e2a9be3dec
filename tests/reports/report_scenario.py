"""A database with known contents for the report tests, and the expected indicators computed from the same records
in plain Python (an oracle written from PRODUCT.md's counting rules, independent of the SQL under test).

The scenario covers 2025 Q2 (1 January – 30 June 2025, quarter from 1 April) and the same period of 2024. Records are
drawn with a fixed seed around the boundaries (the last day of the quarter, the day after, the expiry window's
last day …), plus explicit cases: certified on the quarter's last day, expiring on the period end, revoked on and
after it, removed and founded around it, a renewal that keeps a firm off the expiring list, a voided voucher.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from models import (
    Carrier,
    CarrierRecognition,
    District,
    Enterprise,
    EnterpriseQualification,
    Payment,
    PaymentNotice,
    PoolEntry,
    PreReview,
    ServiceProvider,
    Subdistrict,
    Target,
    Tenancy,
    Visit,
    VisitIssue,
    VoucherGrant,
    VoucherRedemption,
    VoucherUse,
)
from models.db import Database
from services.session import unit_of_work

YEAR, QUARTER = 2025, 2
END, Q_START = dt.date(2025, 6, 30), dt.date(2025, 4, 1)
PREV_END = dt.date(2024, 6, 30)
UNITS = ("上塘街道", "祥符街道", "园区", None)
#: Every 属地 of the reference data, and the bucket of records without one.
ALL_UNITS = ("上塘街道", "祥符街道", "半山街道", "康桥街道", "米市巷街道", "湖墅街道", "小河街道", "拱宸桥街道",
             "和睦街道", "大关街道", "园区", "未落属地")
TYPES = ("national_hte", "city_hte", "prov_tsme", "national_tsme", "city_startup", "qinglan", "district_growth")
KINDS = ("incubator", "maker_space")
LEVELS = {"国家": "national", "省": "prov", "市": "city", "区": "district"}
CST = dt.timezone(dt.timedelta(hours=8))
#: Dates on and around every boundary of both periods.
EDGES = [dt.date(*d) for d in (
    (2023, 12, 31), (2024, 1, 1), (2024, 3, 31), (2024, 4, 1), (2024, 6, 29), (2024, 6, 30), (2024, 7, 1),
    (2024, 9, 27), (2024, 9, 28), (2024, 9, 29), (2024, 12, 31), (2025, 1, 1), (2025, 3, 31), (2025, 4, 1),
    (2025, 6, 29), (2025, 6, 30), (2025, 7, 1), (2025, 9, 27), (2025, 9, 28), (2025, 9, 29), (2025, 12, 31),
)]
FORMULA_NAME = "=1+1科技有限公司"
FORMULA_PROGRAMME = "@SUM(A1)奖励"


@dataclass
class Firm:
    id: int
    name: str
    unit: str | None
    registered_on: dt.date | None = None
    removed_on: dt.date | None = None


@dataclass
class Qual:
    firm: Firm
    type_code: str
    certified_on: dt.date | None
    valid_to: dt.date | None
    status: str = "认定"
    revoked_on: dt.date | None = None
    applied_on: dt.date | None = None
    reviewed_on: dt.date | None = None
    publicized_on: dt.date | None = None


@dataclass
class Scenario:
    firms: list[Firm] = field(default_factory=list)
    quals: list[Qual] = field(default_factory=list)
    #: (holder firm or None for a maker team, issued_on, amount, status, uses [(used_on, amount, redemptions
    #: [(paid_on, status, subsidy)])]).
    grants: list[tuple[Firm | None, dt.date | None, Decimal, str, list[Any]]] = field(default_factory=list)
    #: (unit, kind, removed, recognitions [(level, recognised_on, ended_on, status)],
    #: tenancies [(entered, left, exit)]).
    carriers: list[tuple[str | None, str, bool, list[Any], list[Any]]] = field(default_factory=list)
    #: (programme, firm or None, carrier index or None, paid_on, city, district).
    payments: list[tuple[str, Firm | None, int | None, dt.date | None, Decimal, Decimal]] = field(default_factory=list)
    #: (unit or None for the district, year, issuer, required, stretch).
    targets: list[tuple[str | None, int, str, int, int]] = field(default_factory=list)
    #: (firm, kind, pool unit or None, entered, left).
    pools: list[tuple[Firm, str, str | None, dt.date, dt.date | None]] = field(default_factory=list)
    reviews: list[tuple[Firm, dt.date, str]] = field(default_factory=list)
    #: (firm, visited_on, issues [(status, closed_on)]).
    visits: list[tuple[Firm, dt.date, list[tuple[str, dt.date | None]]]] = field(default_factory=list)


def _day(rng: random.Random) -> dt.date:
    if rng.random() < 0.6:
        return rng.choice(EDGES)
    return dt.date(2023, 6, 1) + dt.timedelta(days=rng.randrange(0, 900))


def _maybe(rng: random.Random, p: float = 0.5) -> dt.date | None:
    return _day(rng) if rng.random() < p else None


def _money(rng: random.Random) -> Decimal:
    return Decimal(rng.randrange(1, 5_000_000)) / 10_000


def make_scenario(seed: int = 7, *, firms: int = 80, random_quals: int = 220, activity: bool = True) -> Scenario:
    """The scenario: ``firms`` enterprises (at least 12, for the explicit cases), the explicit certifications,
    ``random_quals`` drawn ones, and vouchers, carriers, pay-outs, targets, pools and visits when ``activity``."""
    rng = random.Random(seed)
    sc = Scenario()
    for i in range(firms):
        firm = Firm(i + 1, f"测试企业{i + 1:03d}有限公司", rng.choice(UNITS), _maybe(rng, 0.3), _maybe(rng, 0.08))
        sc.firms.append(firm)
    sc.firms[0].name = FORMULA_NAME
    f = sc.firms
    # Explicit boundary cases, on firms that are in the register at both ends.
    for firm in f[:12]:
        firm.registered_on, firm.removed_on = None, None
    f[1].unit, f[2].unit = "上塘街道", "祥符街道"
    sc.quals += [
        Qual(f[0], "national_hte", END, END + dt.timedelta(days=1094)),           # certified on the quarter's last day
        Qual(f[1], "national_hte", dt.date(2022, 7, 1), END),                      # expiring on the period end
        Qual(f[2], "national_hte", dt.date(2023, 1, 5), dt.date(2026, 1, 4), "撤销", END),  # revoked on the end day
        Qual(f[3], "national_hte", dt.date(2023, 1, 5), dt.date(2026, 1, 4), "撤销", END + dt.timedelta(days=1)),
        Qual(f[4], "national_hte", dt.date(2023, 1, 5), dt.date(2026, 1, 4), "撤销", None),  # revoked, no date
        Qual(f[5], "national_hte", dt.date(2022, 8, 1), dt.date(2025, 7, 31)),     # old certificate, renewed below
        Qual(f[5], "national_hte", dt.date(2025, 5, 20), dt.date(2028, 5, 19)),
        Qual(f[6], "national_hte", END + dt.timedelta(days=1), dt.date(2028, 6, 30)),  # the day after: not counted
        Qual(f[7], "national_hte", dt.date(2022, 9, 28), END + dt.timedelta(days=90)),  # last day of the window
        Qual(f[8], "national_hte", dt.date(2022, 9, 29), END + dt.timedelta(days=91)),  # one day past it
        Qual(f[9], "national_hte", None, None, "公示"),                           # not yet certified
    ]
    f[10].removed_on = END            # removed on the period end: not in the register at its end
    f[11].removed_on = END + dt.timedelta(days=1)
    f[10].unit = f[11].unit = "园区"
    sc.quals += [Qual(f[10], "city_hte", dt.date(2024, 2, 2), None), Qual(f[11], "city_hte", dt.date(2024, 2, 2), None)]
    statuses = ["认定"] * 8 + ["撤销", "淘汰", "到期", "公示"]
    for _ in range(random_quals):
        certified = _maybe(rng, 0.95)
        valid_to = (certified + dt.timedelta(days=rng.choice((365, 730, 1094)))) if certified and rng.random() < 0.8 \
            else (_day(rng) if rng.random() < 0.2 else None)
        if certified and valid_to and valid_to < certified:
            valid_to = None
        status = rng.choice(statuses)
        revoked = _day(rng) if status in ("撤销", "淘汰") and rng.random() < 0.7 else None
        sc.quals.append(Qual(rng.choice(f[12:]), rng.choice(TYPES), certified, valid_to, status, revoked,
                             _maybe(rng, 0.6), _maybe(rng, 0.5), _maybe(rng, 0.5)))
    if activity:
        _activity(sc, rng)
    return sc


def _activity(sc: Scenario, rng: random.Random) -> None:
    f = sc.firms
    for _ in range(40):
        holder = rng.choice(f) if rng.random() < 0.8 else None
        issued = _maybe(rng, 0.85)
        status = "作废" if rng.random() < 0.15 else rng.choice(("发放", "使用", "兑现"))
        uses = []
        for _ in range(rng.randrange(0, 3) if issued else 0):
            statuses = rng.choices(("已兑付", "已兑付", "申请", "不通过"), k=rng.randrange(0, 3))
            uses.append((_day(rng), _money(rng), [(_day(rng) if s == "已兑付" else None, s, _money(rng))
                                                   for s in statuses]))
        sc.grants.append((holder, issued, _money(rng), status, uses))
    for i in range(10):
        recognitions = []
        for _ in range(rng.randrange(1, 3)):
            status = rng.choice(("认定", "认定", "摘牌", "整改"))
            ended = _day(rng) if status == "摘牌" and rng.random() < 0.7 else None
            recognitions.append((rng.choice(tuple(LEVELS)), _day(rng), ended, status))
        tenancies = []
        for _ in range(rng.randrange(0, 5)):
            entered = _day(rng)
            left = _maybe(rng, 0.5)
            if left is not None and left < entered:
                left = None
            tenancies.append((entered, left, rng.choice(("毕业", "退出")) if left else None))
        sc.carriers.append((rng.choice(UNITS), rng.choice(KINDS), i == 9, recognitions, tenancies))
    for _ in range(30):
        firm = rng.choice(f) if rng.random() < 0.8 else None
        sc.payments.append((rng.choice(("国高企认定奖励", FORMULA_PROGRAMME, "研发投入补助")), firm,
                            None if firm else rng.randrange(len(sc.carriers)), _maybe(rng, 0.9), _money(rng),
                            _money(rng)))
    for year in (2024, 2025):
        sc.targets += [(None, year, "市", 9, 12), (None, year, "区", 11, 14), ("上塘街道", year, "区", 3, 4),
                       ("上塘街道", year, "市", 5, 6), ("园区", year, "市", 4, 5)]
    for _ in range(30):
        entered = _day(rng)
        left = _maybe(rng, 0.4)
        sc.pools.append((rng.choice(f), rng.choice(("申报库", "储备库")), rng.choice(UNITS), entered,
                         left if left is None or left >= entered else None))
    for _ in range(25):
        sc.reviews.append((rng.choice(f), _day(rng), rng.choice(("符合", "不符合", "待定"))))
    for _ in range(25):
        issues = [(s, _day(rng) if s in ("已解决", "无法解决") else None)
                  for s in rng.choices(("待办", "已解决", "无法解决"), k=rng.randrange(0, 3))]
        sc.visits.append((rng.choice(f), _day(rng), issues))


def _removed_at(day: dt.date | None) -> dt.datetime | None:
    return None if day is None else dt.datetime.combine(day, dt.time(10, 0), tzinfo=CST)


def write_scenario(db: Database, sc: Scenario) -> None:
    """Insert the scenario through the ORM (audited like any other change)."""
    with unit_of_work(db, source="test") as s:
        district_id = s.scalar(select(District.id).where(District.name == "拱墅区"))
        subs = dict(s.execute(select(Subdistrict.name, Subdistrict.id)).tuples().all())
        unit_id = {**{name: subs[name] for name in UNITS if name}, None: None}
        for firm in sc.firms:
            s.add(Enterprise(id=firm.id, name=firm.name, name_norm=firm.name, district_id=district_id,
                             subdistrict_id=unit_id[firm.unit], registered_on=firm.registered_on,
                             deleted_at=_removed_at(firm.removed_on)))
        s.flush()
        for q in sc.quals:
            s.add(EnterpriseQualification(enterprise_id=q.firm.id, type_code=q.type_code,
                                          year=(q.certified_on or END).year, certified_on=q.certified_on,
                                          valid_from=q.certified_on, valid_to=q.valid_to, status=q.status,
                                          revoked_on=q.revoked_on, applied_on=q.applied_on,
                                          reviewed_on=q.reviewed_on, publicized_on=q.publicized_on))
        provider = ServiceProvider(name="测试检测中心", kind="检测机构")
        s.add(provider)
        s.flush()
        for number, (holder, issued, amount, status, uses) in enumerate(sc.grants):
            grant = VoucherGrant(voucher_no=f"T{number:04d}", enterprise_id=holder.id if holder else None,
                                 maker_team_name=None if holder else f"创客团队{number}", district_id=district_id,
                                 year=2025, amount_applied_wan=amount, amount_issued_wan=amount if issued else None,
                                 applied_on=dt.date(2023, 1, 1), issued_on=issued, status=status)
            s.add(grant)
            s.flush()
            for used_on, voucher, redemptions in uses:
                use = VoucherUse(grant_id=grant.id, provider_id=provider.id, service_type="检验检测",
                                 contract_amount_wan=voucher * 3, paid_amount_wan=voucher * 3,
                                 voucher_amount_wan=voucher, used_on=used_on)
                s.add(use)
                s.flush()
                for paid_on, rstatus, subsidy in redemptions:
                    s.add(VoucherRedemption(use_id=use.id, applied_on=used_on, subsidy_wan=subsidy, paid_on=paid_on,
                                            status=rstatus))
        carrier_ids = []
        for index, (unit, kind, removed, recognitions, tenancies) in enumerate(sc.carriers):
            carrier = Carrier(name=f"测试载体{index}", name_norm=f"测试载体{index}", kind_code=kind,
                              subdistrict_id=unit_id[unit],
                              deleted_at=_removed_at(dt.date(2024, 1, 1)) if removed else None)
            s.add(carrier)
            s.flush()
            carrier_ids.append(carrier.id)
            for level, recognised, ended, status in recognitions:
                s.add(CarrierRecognition(carrier_id=carrier.id, level=level, recognized_on=recognised,
                                         ended_on=ended, status=status))
            for n, (entered, left, exit_kind) in enumerate(tenancies):
                s.add(Tenancy(carrier_id=carrier.id, enterprise_id=sc.firms[(index * 7 + n) % 80].id,
                              entered_on=entered, left_on=left, exit_kind=exit_kind))
        notices: dict[str, int] = {}
        for programme, firm, carrier_index, paid_on, city, district in sc.payments:
            if programme not in notices:
                notice = PaymentNotice(title=f"{programme}通知", district_id=district_id, programme=programme,
                                       cohort_year=2024, issued_on=dt.date(2024, 1, 1))
                s.add(notice)
                s.flush()
                notices[programme] = notice.id
            s.add(Payment(notice_id=notices[programme], enterprise_id=firm.id if firm else None,
                          carrier_id=None if firm else carrier_ids[carrier_index or 0], item=programme,
                          amount_total_wan=city + district, amount_city_wan=city, amount_district_wan=district,
                          paid_on=paid_on))
        for unit, year, issuer, required, stretch in sc.targets:
            s.add(Target(district_id=district_id, subdistrict_id=unit_id[unit], year=year,
                         indicator="qual.national_hte.new", issuer=issuer, required=required, stretch=stretch))
        for firm, kind, unit, entered, left in sc.pools:
            s.add(PoolEntry(enterprise_id=firm.id, pool_kind=kind, target_type_code="national_hte", year=2025,
                            subdistrict_id=unit_id[unit], entered_on=entered, left_on=left))
        for firm, day, verdict in sc.reviews:
            s.add(PreReview(enterprise_id=firm.id, rule_set="national_hte", reviewed_on=day, verdict=verdict))
        for firm, day, issues in sc.visits:
            visit = Visit(enterprise_id=firm.id, visited_on=day)
            s.add(visit)
            s.flush()
            for status, closed in issues:
                s.add(VisitIssue(visit_id=visit.id, description="问题", status=status, closed_on=closed))


# --- The oracle ----------------------------------------------------------------------------------------------------

PENDING = ("拟申报", "已申报", "评审通过", "公示", "未通过")


def in_register(firm: Firm, day: dt.date) -> bool:
    return (firm.removed_on is None or firm.removed_on > day) and (firm.registered_on is None
                                                                    or firm.registered_on <= day)


def valid(q: Qual, day: dt.date) -> bool:
    return (q.certified_on is not None and q.certified_on <= day and (q.valid_to is None or q.valid_to >= day)
            and (q.revoked_on is None or q.revoked_on > day) and q.status not in PENDING
            and not (q.status in ("撤销", "淘汰") and q.revoked_on is None))


def expected(sc: Scenario, end: dt.date) -> dict[str | None, dict[str, Any]]:
    """Unit (None = the district, "未落属地" for no 属地) → indicator code → value, for the period ending ``end``."""
    start, q_start = dt.date(end.year, 1, 1), dt.date(end.year, end.month - 2, 1)
    out: dict[str | None, dict[str, Any]] = defaultdict(lambda: defaultdict(int))

    def add(unit: str | None, code: str, value: Any = 1) -> None:
        for key in (unit or "未落属地", None):
            out[key][code] += value

    def within(day: dt.date | None, first: dt.date = start) -> bool:
        return day is not None and first <= day <= end

    for firm in sc.firms:
        if in_register(firm, end):
            add(firm.unit, "ent.count_end")
    holders: dict[tuple[int, str], list[Qual]] = defaultdict(list)
    for q in sc.quals:
        if not in_register(q.firm, end):
            continue
        if valid(q, end):
            holders[(q.firm.id, q.type_code)].append(q)
        for step, day in (("applied_ytd", q.applied_on), ("reviewed_ytd", q.reviewed_on),
                          ("publicized_ytd", q.publicized_on)):
            if within(day):
                add(q.firm.unit, f"qual.{q.type_code}.{step}")
        if within(q.certified_on):
            add(q.firm.unit, f"qual.{q.type_code}.new_ytd")
            if within(q.certified_on, q_start):
                add(q.firm.unit, f"qual.{q.type_code}.new_q")
    by_id = {firm.id: firm for firm in sc.firms}
    for (firm_id, type_code), quals in holders.items():
        add(by_id[firm_id].unit, f"qual.{type_code}.valid_end")
        if all(q.valid_to for q in quals) and max(q.valid_to for q in quals) <= end + dt.timedelta(days=90):  # type: ignore[type-var]
            add(by_id[firm_id].unit, f"qual.{type_code}.expiring_90d")
    _expected_activity(sc, end, add, within)
    _expected_targets(sc, end, out)
    return out


def _expected_activity(sc: Scenario, end: dt.date, add: Any, within: Any) -> None:
    redeemed: dict[str | None, set[int]] = defaultdict(set)
    for holder, issued, amount, status, uses in sc.grants:
        unit = holder.unit if holder else None
        if within(issued) and status != "作废":
            add(unit, "voucher.issued_ytd_wan", amount)
            add(unit, "voucher.issued_count_ytd")
        for used_on, voucher, redemptions in uses:
            if within(used_on):
                add(unit, "voucher.used_ytd_wan", voucher)
                add(unit, "voucher.used_count_ytd")
            for paid_on, rstatus, subsidy in redemptions:
                if rstatus == "已兑付" and within(paid_on):
                    add(unit, "voucher.redeemed_ytd_wan", subsidy)
                    if holder:
                        redeemed[unit].add(holder.id)
    for unit, firms in redeemed.items():
        add(unit, "voucher.enterprises_redeemed_ytd", len(firms))
    for unit, kind, removed, recognitions, tenancies in sc.carriers:
        if removed:
            continue
        levels = {LEVELS[level] for level, recognised, ended, status in recognitions
                  if recognised <= end and (ended is None or ended > end) and not (status == "摘牌" and ended is None)}
        for level in levels:
            add(unit, f"carrier.{kind}.{level}.count_end")
        if levels:
            add(unit, "carrier.count_end")
        for entered, left, exit_kind in tenancies:
            if entered <= end and (left is None or left > end):
                add(unit, "carrier.incubating_end")
            if exit_kind == "毕业" and within(left):
                add(unit, "carrier.graduated_ytd")
    for _programme, firm, carrier_index, paid_on, city, district in sc.payments:
        if within(paid_on):
            unit = firm.unit if firm else sc.carriers[carrier_index or 0][0]
            add(unit, "payout.total_ytd_wan", city + district)
            add(unit, "payout.city_ytd_wan", city)
            add(unit, "payout.district_ytd_wan", district)
            add(unit, "payout.count_ytd")
    _expected_cultivation(sc, end, add, within)


def _expected_cultivation(sc: Scenario, end: dt.date, add: Any, within: Any) -> None:
    members: dict[tuple[str | None, str], set[int]] = defaultdict(set)
    for firm, kind, unit, entered, left in sc.pools:
        if entered <= end and (left is None or left > end) and in_register(firm, end):
            members[(unit or firm.unit, kind)].add(firm.id)
        if within(entered):
            add(unit or firm.unit, "pool.entered_ytd")
    for (unit, kind), firms in members.items():
        add(unit, f"pool.{'apply' if kind == '申报库' else 'reserve'}.count_end", len(firms))
    for firm, day, verdict in sc.reviews:
        if within(day):
            add(firm.unit, "prereview.count_ytd")
            add(firm.unit, f"prereview.{dict(符合='pass', 不符合='fail', 待定='pending')[verdict]}_ytd")
    visited: dict[str | None, set[int]] = defaultdict(set)
    for firm, day, issues in sc.visits:
        if within(day):
            add(firm.unit, "visit.count_ytd")
            visited[firm.unit].add(firm.id)
            add(firm.unit, "visit.issues_ytd", len(issues))
        for status, closed in issues:
            if status in ("已解决", "无法解决") and within(closed):
                add(firm.unit, "visit.issues_closed_ytd")
    for unit, firms in visited.items():
        add(unit, "visit.enterprises_ytd", len(firms))


def _expected_targets(sc: Scenario, end: dt.date, out: dict[str | None, dict[str, Any]]) -> None:
    for unit in (*ALL_UNITS, None):
        rows = {issuer: (required, stretch) for u, year, issuer, required, stretch in sc.targets
                if u == unit and year == end.year}
        preferred = ("市", "区") if unit is None else ("区", "市")
        chosen = next((rows[i] for i in preferred if i in rows), None)
        out[unit]["target.national_hte.required"] = chosen[0] if chosen else None
        out[unit]["target.national_hte.stretch"] = chosen[1] if chosen else None
        new = out[unit]["qual.national_hte.new_ytd"]
        out[unit]["completion.national_hte.pct"] = (
            (Decimal(new * 100) / chosen[0]).quantize(Decimal("0.1"), "ROUND_HALF_UP") if chosen else None)
