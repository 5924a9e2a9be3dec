"""Demo stage 2: certifications over the years (国高企, 市高企, 省科小 with 年报, 国家科小, 雏鹰, 青蓝, 旭日 …).

Every record keeps its dates in order and none after ``as_of``: an application still under way at ``as_of``
stops at the step it has reached (已申报, 评审通过, 公示). A few 国高企 certificates are made to run out within
30, 90 and 180 days of ``as_of`` so that reminders have something to show whatever day the demo is built.
"""

from __future__ import annotations

import datetime as dt
import random

from models import EnterpriseQualification, QualificationAnnualReport, QualificationType
from services.demo_base import DAY, SOURCE, Award, DemoContext, Firm, add_years, between, maybe_between

#: Share of firms per tier (0..3) that hold a type at some point, for the types without their own rules.
GENERIC_RATES = {
    "prov_high_growth": (0.0, 0.0, 0.05, 0.05),
    "prov_leading": (0.0, 0.0, 0.0, 0.006),
    "prov_tase": (0.0, 0.0, 0.01, 0.015),
    "city_patent_pilot": (0.0, 0.01, 0.03, 0.04),
    "city_patent_demo": (0.0, 0.0, 0.01, 0.02),
    "city_agri_tech": (0.0, 0.002, 0.004, 0.004),
}
#: Types not in the table above that a clerk added later get this.
DEFAULT_RATES = (0.0, 0.003, 0.005, 0.005)
#: Expiry windows (days after as_of) that must each hold a few 国高企 certificates.
EXPIRY_WINDOWS = ((3, 29), (31, 89), (91, 179))
TIERS = ("第一梯队", "第二梯队", "第三梯队")


def validity(lapses_year_end: bool, validity_years: int | None, year: int,
             certified_on: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """(valid_from, valid_to) as the register computes them: N years less a day, or to the year's end."""
    if certified_on is None:
        return None, None
    if lapses_year_end:
        return certified_on, dt.date(year, 12, 31)
    if validity_years:
        return certified_on, add_years(certified_on, validity_years) - DAY
    return certified_on, None


class QualWriter:
    """Writes qualification rows (and 年报 rows for types that have them) and remembers awards for later stages."""

    def __init__(self, ctx: DemoContext, code: str) -> None:
        qtype: QualificationType = ctx.types[code]
        self.ctx = ctx
        self.code = code
        self.rng = ctx.rng(f"qual:{code}")
        self._rule = (bool(qtype.lapses_year_end), qtype.validity_years)
        self._reports = bool(qtype.has_annual_report)

    def add(self, firm: Firm, year: int, *, status: str, kind: str = "新申报", batch: str | None = None,
            applied: dt.date | None = None, reviewed: dt.date | None = None, publicized: dt.date | None = None,
            certified: dt.date | None = None, cert_no: str | None = None, revoked: dt.date | None = None,
            tier: str | None = None, notes: str | None = None) -> None:
        ctx = self.ctx
        valid_from, valid_to = validity(*self._rule, year, certified)
        if status == "认定" and valid_to is not None and valid_to < ctx.as_of:
            status = "到期"
        qid = ctx.add(EnterpriseQualification, {
            "enterprise_id": firm.id, "type_code": self.code, "year": year, "batch": batch,
            "application_kind": kind, "recommended_by_id": firm.subdistrict_id, "applied_on": applied,
            "reviewed_on": reviewed, "publicized_on": publicized, "certified_on": certified,
            "certificate_no": cert_no, "valid_from": valid_from, "valid_to": valid_to, "status": status,
            "revoked_on": revoked, "tier": tier, "notes": notes, "source": SOURCE,
        })
        ctx.awards.setdefault((self.code, year), []).append(Award(firm.index, kind, status, applied, certified, tier))
        if certified is not None and self._reports:
            self._annual_reports(qid, year, revoked)

    def _annual_reports(self, qid: int, year: int, revoked: dt.date | None) -> None:
        """年报 for each full year since recognition, due 31 May of the next year."""
        ctx, rng = self.ctx, self.rng
        last = (revoked.year if revoked else ctx.year) - 1
        for report_year in range(year, last + 1):
            due = dt.date(report_year + 1, 5, 31)
            submitted = (between(rng, dt.date(report_year + 1, 2, 1), due + 20 * DAY)
                         if rng.random() < 0.9 else None)
            if submitted is not None and submitted > ctx.as_of:
                submitted = None
            status = "已报" if submitted else "逾期" if due < ctx.as_of else "未报"
            ctx.add(QualificationAnnualReport, {
                "qualification_id": qid, "year": report_year, "status": status, "due_on": due,
                "submitted_on": submitted,
            })


def _weighted_sample(rng: random.Random, firms: list[Firm], weights: tuple[float, ...], k: int) -> list[Firm]:
    """k firms without replacement, with probability by tier weight (Efraimidis–Spirakis keys)."""
    keyed = [(rng.random() ** (1.0 / weights[f.tier]), f.index, f) for f in firms if weights[f.tier] > 0]
    keyed.sort(reverse=True)
    return sorted((f for _, _, f in keyed[:k]), key=lambda f: f.index)


def build_qualifications(ctx: DemoContext) -> None:
    """All qualification types of the catalogue, each with its own rules; the rest by a generic rule."""
    hte_start = _national_hte(ctx)
    _city_hte(ctx, hte_start)
    _prov_tsme(ctx)
    _national_tsme(ctx)
    _startups(ctx, "city_startup", (0.0, 0.2, 0.3, 0.15), 4)
    _startups(ctx, "qinglan", (0.0, 0.03, 0.04, 0.03), 6)
    _district_growth(ctx)
    for code in ctx.types:
        if code not in {"national_hte", "city_hte", "prov_tsme", "national_tsme", "city_startup", "qinglan",
                        "district_growth"}:
            _generic(ctx, code)


class _HteCalendar:
    """The dates of each year's 国高企 batches: review, publicity and certification are shared by a batch."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._dates: dict[tuple[int, str], tuple[dt.date, dt.date, dt.date]] = {}

    def batch(self, year: int, name: str) -> tuple[dt.date, dt.date, dt.date]:
        key = (year, name)
        if key not in self._dates:
            r = self._rng
            if name == "第一批":
                dates = (dt.date(year, 7, 1) + r.randint(0, 20) * DAY, dt.date(year, 8, 1) + r.randint(0, 20) * DAY,
                         dt.date(year, 9, 5) + r.randint(0, 25) * DAY)
            else:
                dates = (dt.date(year, 9, 15) + r.randint(0, 15) * DAY,
                         dt.date(year, 10, 20) + r.randint(0, 15) * DAY,
                         dt.date(year, 11, 25) + r.randint(0, 20) * DAY)
            self._dates[key] = dates
        return self._dates[key]


def _national_hte(ctx: DemoContext) -> dict[int, int]:
    """国高企: first application, then 重新认定 every third year; returns each firm's first year."""
    out = QualWriter(ctx, "national_hte")
    rng = out.rng
    calendar = _HteCalendar(ctx.rng("hte-calendar"))
    serial: dict[int, int] = {}
    firms = [f for f in ctx.firms if f.tier == 3 or (f.tier == 2 and rng.random() < 0.08)]
    crafted = _crafted_expiries(ctx, rng, [f for f in firms if f.tier == 3])
    starts: dict[int, int] = {}
    for firm in firms:
        forced = crafted.get(firm.index)
        first = max(firm.registered_on.year + 1, ctx.year - 11)
        if forced is not None:
            year = forced.year - 3 * ((forced.year - first) // 3)
        elif first <= ctx.year:
            year = rng.randint(first, ctx.year)
        else:
            continue
        starts[firm.index] = year
        kind = "新申报"
        while year <= ctx.year:
            last_forced = forced if forced is not None and forced.year == year else None
            outcome = _hte_cycle(ctx, out, calendar, serial, firm, year, kind, last_forced, sure=forced is not None)
            if outcome == "failed" and kind == "新申报" and rng.random() < 0.5:
                year += 1
                continue
            if outcome != "certified" or last_forced is not None or (forced is None and rng.random() > 0.88):
                break
            year, kind = year + 3, "重新认定"
        if forced is not None and forced.year + 3 == ctx.year and rng.random() < 0.5:
            applied = between(rng, max(dt.date(ctx.year, 1, 2), ctx.as_of - 60 * DAY), ctx.as_of)
            batch = "第一批" if applied.month < 6 else "第二批"
            out.add(firm, ctx.year, status="已申报", kind="重新认定", batch=batch, applied=applied)
    return starts


def _crafted_expiries(ctx: DemoContext, rng: random.Random, firms: list[Firm]) -> dict[int, dt.date]:
    """Firms whose last certificate is dated so that it runs out in each reminder window after as_of."""
    per_window = max(2, round(len(firms) * 0.006))
    eligible = [f for f in firms if f.registered_on.year + 1 <= ctx.year - 3]
    chosen = rng.sample(eligible, min(len(eligible), per_window * len(EXPIRY_WINDOWS)))
    forced: dict[int, dt.date] = {}
    for i, firm in enumerate(sorted(chosen, key=lambda f: f.index)):
        low, high = EXPIRY_WINDOWS[i % len(EXPIRY_WINDOWS)]
        expires = ctx.as_of + rng.randint(low, high) * DAY
        forced[firm.index] = add_years(expires + DAY, -3)
    return forced


def _hte_cycle(ctx: DemoContext, out: QualWriter, calendar: _HteCalendar, serial: dict[int, int], firm: Firm,
               year: int, kind: str, forced: dt.date | None, *, sure: bool) -> str:
    """One application; returns certified, failed, revoked or pending (still under way at as_of).

    ``forced`` is the certification date of a crafted expiry; ``sure`` applications neither fail nor get revoked.
    """
    rng = out.rng
    if forced is not None:
        certified = forced
        batch = "第一批" if certified.month <= 9 else "第二批"
        reviewed, publicized = certified - rng.randint(50, 70) * DAY, certified - rng.randint(20, 35) * DAY
        applied = reviewed - rng.randint(40, 80) * DAY
    else:
        batch = "第一批" if rng.random() < 0.6 else "第二批"
        reviewed, publicized, certified = calendar.batch(year, batch)
        window = (dt.date(year, 4, 1), dt.date(year, 5, 31)) if batch == "第一批" else (dt.date(year, 6, 1),
                                                                                      dt.date(year, 7, 31))
        applied = between(rng, *window)
    as_of = ctx.as_of
    if applied > as_of:
        if year == ctx.year:
            out.add(firm, year, status="拟申报", kind=kind, batch=batch)
        return "pending"
    if reviewed > as_of:
        out.add(firm, year, status="已申报", kind=kind, batch=batch, applied=applied)
        return "pending"
    if not sure and rng.random() < (0.1 if kind == "新申报" else 0.06):
        out.add(firm, year, status="未通过", kind=kind, batch=batch, applied=applied, reviewed=reviewed,
                notes="专家评审未通过")
        return "failed"
    if publicized > as_of or certified > as_of:
        status = "评审通过" if publicized > as_of else "公示"
        out.add(firm, year, status=status, kind=kind, batch=batch, applied=applied, reviewed=reviewed,
                publicized=publicized if status == "公示" else None)
        return "pending"
    serial[year] = serial.get(year, rng.randint(100, 900)) + rng.randint(1, 4)
    revoked = None
    if not sure and rng.random() < 0.02:
        revoked = maybe_between(rng, certified + 60 * DAY, min(add_years(certified, 3) - DAY, as_of))
    out.add(firm, year, status="撤销" if revoked else "认定", kind=kind, batch=batch, applied=applied,
            reviewed=reviewed, publicized=publicized, certified=certified, cert_no=f"GR{year}33{serial[year]:06d}",
            revoked=revoked, notes="经核查不符合认定条件，取消资格" if revoked else None)
    return "revoked" if revoked else "certified"


def _city_hte(ctx: DemoContext, hte_start: dict[int, int]) -> None:
    """市高企: recognised once (no expiry), usually before the firm becomes a 国高企."""
    out = QualWriter(ctx, "city_hte")
    rng = out.rng
    rates = (0.0, 0.05, 1.0, 0.7)
    for firm in ctx.firms:
        if rng.random() >= rates[firm.tier]:
            continue
        first = max(firm.registered_on.year + 1, ctx.year - 8)
        last = min(hte_start.get(firm.index, ctx.year - 1), ctx.year - 1)
        if first > last:
            continue
        year = rng.randint(first, last)
        certified = dt.date(year, 12, 1) + rng.randint(0, 19) * DAY
        if certified > ctx.as_of:
            continue
        failed = rng.random() < 0.05
        out.add(firm, year, status="未通过" if failed else "认定", applied=between(rng, dt.date(year, 5, 10),
                                                                                dt.date(year, 6, 20)),
                reviewed=dt.date(year, 9, 20), publicized=None if failed else dt.date(year, 11, 5),
                certified=None if failed else certified)


def _prov_tsme(ctx: DemoContext) -> None:
    """省科小: recognised in one of the year's batches, then a 年报 every year."""
    out = QualWriter(ctx, "prov_tsme")
    rng = out.rng
    rates = (0.02, 0.35, 0.6, 0.5)
    batches = (("第一批", 3, 25), ("第二批", 6, 25), ("第三批", 9, 25), ("第四批", 12, 10))
    for firm in ctx.firms:
        if rng.random() >= rates[firm.tier]:
            continue
        year = rng.randint(max(firm.registered_on.year, ctx.year - 7), ctx.year)
        open_batches = [(name, dt.date(year, m, d) + rng.randint(-3, 3) * DAY) for name, m, d in batches]
        open_batches = [(n, day) for n, day in open_batches if firm.registered_on < day <= ctx.as_of]
        if not open_batches:
            continue
        batch, certified = rng.choice(open_batches)
        revoked = None
        if year < ctx.year - 2 and rng.random() < 0.03:
            revoked = dt.date(rng.randint(year + 2, ctx.year - 1), 7, 15)
        out.add(firm, year, status="撤销" if revoked else "认定", batch=batch,
                applied=certified - rng.randint(30, 60) * DAY, reviewed=certified - rng.randint(10, 20) * DAY,
                certified=certified, revoked=revoked, notes="连续两年未报送年报，取消资格" if revoked else None)


def _national_tsme(ctx: DemoContext) -> None:
    """国家科小: an entry in the national registry each year (评价入库), lapsing at the year's end."""
    out = QualWriter(ctx, "national_tsme")
    rng = out.rng
    rates = (0.02, 0.35, 0.5, 0.45)
    serial = 0
    for firm in ctx.firms:
        active = rng.random() < rates[firm.tier]
        if not active and firm.tier == 0:
            continue
        for year in range(max(firm.registered_on.year, ctx.year - 3), ctx.year + 1):
            if year > ctx.year - 3 and rng.random() < 0.15:
                active = not active if firm.tier else False
            if not active:
                continue
            certified = between(rng, dt.date(year, 3, 1), dt.date(year, 11, 30))
            if certified > ctx.as_of or certified < firm.registered_on:
                continue
            serial += rng.randint(1, 9)
            out.add(firm, year, status="认定", applied=max(dt.date(year, 1, 2), certified - rng.randint(10, 40) * DAY),
                    certified=certified, cert_no=f"{year}330105{serial:08d}")


def _startups(ctx: DemoContext, code: str, rates: tuple[float, ...], max_age: int) -> None:
    """雏鹰 / 青蓝: young firms, a 3-year cultivation period, some eliminated at the yearly assessment."""
    out = QualWriter(ctx, code)
    rng = out.rng
    for firm in ctx.firms:
        if rng.random() >= rates[firm.tier]:
            continue
        first = max(firm.registered_on.year + 1, ctx.year - 6)
        last = min(firm.registered_on.year + max_age, ctx.year - 1)
        if first > last:
            continue
        year = rng.randint(first, last)
        certified = dt.date(year, 12, 1) + rng.randint(0, 19) * DAY
        revoked = None
        if rng.random() < 0.08 and year + 1 < ctx.year:
            revoked = dt.date(rng.randint(year + 1, min(year + 2, ctx.year - 1)), 6, 30)
        applied = dt.date(year, 7, 1) + rng.randint(0, 30) * DAY
        out.add(firm, year, status="淘汰" if revoked else "认定", applied=applied,
                reviewed=dt.date(year, 10, 15), publicized=dt.date(year, 11, 10), certified=certified,
                revoked=revoked, notes="年度绩效考核不合格，予以淘汰" if revoked else None)


def _district_growth(ctx: DemoContext) -> None:
    """旭日计划 2.0: each round picks ~35 per 3,000 firms in three 梯队 (5 : 11 : 19), named after the year before."""
    out = QualWriter(ctx, "district_growth")
    rng = out.rng
    pool = [f for f in ctx.firms if f.tier >= 1 and f.registered_on.year < ctx.year - 2]
    count = min(len(pool), max(5, round(len(ctx.firms) * 35 / 3000)))
    for year in range(ctx.year - 4, ctx.year):
        selected_on = dt.date(year + 1, 5, 20) + rng.randint(0, 30) * DAY
        if selected_on > ctx.as_of:
            continue
        chosen = _weighted_sample(rng, pool, (0.0, 1.0, 3.0, 3.0), count)
        rng.shuffle(chosen)
        first, second = max(1, round(count * 5 / 35)), max(1, round(count * 11 / 35))
        for rank, firm in enumerate(chosen):
            tier = TIERS[0] if rank < first else TIERS[1] if rank < first + second else TIERS[2]
            out.add(firm, year, status="认定", applied=dt.date(year + 1, 3, 1) + rng.randint(0, 30) * DAY,
                    reviewed=selected_on - 20 * DAY, publicized=selected_on - 10 * DAY, certified=selected_on,
                    tier=tier, notes=f"{year}年“旭日计划”2.0企业")


def _generic(ctx: DemoContext, code: str) -> None:
    """Other types: recognised in one of the last four years; at least one record so every type shows up."""
    out = QualWriter(ctx, code)
    rng = out.rng
    rates = GENERIC_RATES.get(code, DEFAULT_RATES)
    eligible = [f for f in ctx.firms if f.registered_on.year + 1 < ctx.year]
    chosen = [f for f in eligible if rng.random() < rates[f.tier]]
    if not chosen and eligible:
        chosen = [max(eligible, key=lambda f: (f.tier, -f.index))]
    for firm in chosen:
        year = rng.randint(max(firm.registered_on.year + 1, ctx.year - 4), ctx.year - 1)
        certified = dt.date(year, 10, 10) + rng.randint(0, 70) * DAY
        out.add(firm, year, status="认定", applied=certified - rng.randint(60, 120) * DAY,
                reviewed=certified - rng.randint(20, 40) * DAY, certified=certified)


def holders(ctx: DemoContext) -> dict[str, int]:
    """How many firms hold each type at as_of (for the summary)."""
    held: dict[str, set[int]] = {}
    for (code, _year), awards in ctx.awards.items():
        for award in awards:
            if award.status == "认定":
                held.setdefault(code, set()).add(award.firm)
    return {code: len(firms) for code, firms in held.items()}
