"""Voucher summaries for a period: issued, used and redeemed amounts, 家次 and enterprises, by batch and by provider.

The totals are the quarterly report's own figures (:func:`services.reports.queries.vouchers`, summed over the 属地),
so the voucher page and the report never disagree: a grant counts as issued on its issue date unless voided, a use on
its use date, a redemption when its subsidy was paid (``services.counting``). 家次 (enterprise-times) counts each
holder once per batch notice it was paid in, as the yearbook's "兑现 136家次" does.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from models import PaymentNotice, ServiceProvider, VoucherGrant, VoucherRedemption, VoucherUse
from models.db import Database
from services.counting import redeemed_within, within
from services.reports.period import Period
from services.reports.queries import vouchers as report_figures
from services.session import read_session
from services.voucher_rules import wan_text

ZERO = Decimal(0)


@dataclass(frozen=True)
class VoucherTotals:
    """The period's figures (amounts in 万元)."""

    issued_wan: Decimal
    issued_count: int
    used_wan: Decimal
    used_count: int
    redeemed_wan: Decimal
    redeemed_times: int
    enterprises_redeemed: int

    def describe(self) -> str:
        return (f"发放 {wan_text(self.issued_wan)}（{self.issued_count} 张），使用 {wan_text(self.used_wan)}"
                f"（{self.used_count} 笔），兑现 {wan_text(self.redeemed_wan)}（{self.redeemed_times} 家次，"
                f"{self.enterprises_redeemed} 家企业）")


@dataclass(frozen=True)
class BatchLine:
    """Redemptions paid in the period under one batch notice (None: paid without a notice, e.g. imported)."""

    notice_id: int | None
    title: str
    batch_no: int | None
    redeemed_wan: Decimal
    city_wan: Decimal
    district_wan: Decimal
    times: int
    enterprises: int


@dataclass(frozen=True)
class ProviderLine:
    """Uses at one provider within the period, and the redemptions of its uses paid within it."""

    provider_id: int
    name: str
    kind: str
    uses: int
    used_wan: Decimal
    holders: int
    redeemed_wan: Decimal


@dataclass(frozen=True)
class VoucherSummary:
    period: Period
    totals: VoucherTotals
    by_batch: tuple[BatchLine, ...]
    by_provider: tuple[ProviderLine, ...]


@dataclass
class _Batch:
    title: str
    batch_no: int | None
    redeemed: Decimal = ZERO
    city: Decimal = ZERO
    district: Decimal = ZERO
    holders: set[tuple[object, ...]] = field(default_factory=set)
    enterprises: set[int] = field(default_factory=set)


@dataclass
class _Provider:
    uses: int = 0
    used: Decimal = ZERO
    holders: set[tuple[object, ...]] = field(default_factory=set)


def _holder(enterprise_id: int | None, grant_id: int, team: str | None, carrier_id: int | None) -> tuple[object, ...]:
    return ("e", enterprise_id) if enterprise_id is not None else ("t", team, carrier_id or grant_id)


def voucher_summary(db: Database, year: int, quarter: int = 4) -> VoucherSummary:
    """The figures of ``year`` up to the end of ``quarter`` (the whole year by default)."""
    period = Period.of(year, quarter)
    start, end = period.start, period.end
    g, u, r = VoucherGrant, VoucherUse, VoucherRedemption
    with read_session(db) as session:
        figures = report_figures(session, period)
        paid = session.execute(
            select(r.notice_id, PaymentNotice.title, PaymentNotice.batch_no, r.subsidy_wan, r.city_share_wan,
                   r.district_share_wan, g.enterprise_id, g.id, g.maker_team_name, g.carrier_id, u.provider_id)
            .join(u, u.id == r.use_id).join(g, g.id == u.grant_id)
            .outerjoin(PaymentNotice, PaymentNotice.id == r.notice_id)
            .where(redeemed_within(start, end))).tuples().all()
        used = session.execute(
            select(u.provider_id, u.voucher_amount_wan, g.enterprise_id, g.id, g.maker_team_name, g.carrier_id)
            .join(g, g.id == u.grant_id).where(within(u.used_on, start, end))).tuples().all()
        providers = {pid: (name, kind) for pid, name, kind in session.execute(
            select(ServiceProvider.id, ServiceProvider.name, ServiceProvider.kind))}

    def total(code: str) -> Decimal:
        return sum((Decimal(v or 0) for v in figures.get(code, {}).values()), ZERO)

    batches: dict[int | None, _Batch] = {}
    redeemed_by_provider: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for notice_id, title, batch_no, subsidy, city, district, ent, grant_id, team, carrier, provider in paid:
        batch = batches.setdefault(notice_id, _Batch(title or "未列入批次通知", batch_no))
        batch.redeemed += subsidy
        batch.city += city or ZERO
        batch.district += district or ZERO
        batch.holders.add(_holder(ent, grant_id, team, carrier))
        if ent is not None:
            batch.enterprises.add(ent)
        redeemed_by_provider[provider] += subsidy
    by_provider: dict[int, _Provider] = {p: _Provider() for p in redeemed_by_provider}
    for provider, amount, ent, grant_id, team, carrier in used:
        line = by_provider.setdefault(provider, _Provider())
        line.uses += 1
        line.used += amount
        line.holders.add(_holder(ent, grant_id, team, carrier))
    totals = VoucherTotals(total("voucher.issued_ytd_wan"), int(total("voucher.issued_count_ytd")),
                           total("voucher.used_ytd_wan"), int(total("voucher.used_count_ytd")),
                           total("voucher.redeemed_ytd_wan"), sum(len(b.holders) for b in batches.values()),
                           int(total("voucher.enterprises_redeemed_ytd")))
    return VoucherSummary(
        period, totals,
        tuple(BatchLine(n, b.title, b.batch_no, b.redeemed, b.city, b.district, len(b.holders), len(b.enterprises))
              for n, b in sorted(batches.items(), key=lambda i: (i[1].batch_no or 99, i[0] or 0))),
        tuple(sorted((ProviderLine(p, *providers[p], line.uses, line.used, len(line.holders),
                                   redeemed_by_provider.get(p, ZERO)) for p, line in by_provider.items()),
                     key=lambda x: (-x.used_wan, x.name))))
