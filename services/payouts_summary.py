"""Pay-out totals: per programme, per year (of the notice) and per 属地 (of the enterprise or carrier paid).

Every payment of every notice counts, paid or not, with what has been paid shown beside it; the quarterly report
(``payout.*`` indicators) counts only what was paid within its period (:func:`services.counting.paid_within`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from models import Carrier, Enterprise, Payment, PaymentNotice, Subdistrict
from models.db import Database
from services.reports.figures import UNASSIGNED
from services.session import read_session

#: Dimensions the totals can be grouped by, with their Chinese names.
DIMENSIONS = {"programme": "政策项目", "year": "发文年度", "subdistrict": "属地"}


@dataclass(frozen=True)
class TotalsRow:
    """Totals of one group.

    Attributes:
        label: The programme, the year (as text: 2019年) or the 属地.
        notices: Notices with a payment in the group.
        payments: Payments (笔数).
        payees: Distinct enterprises and carriers paid.
        total_wan / city_wan / district_wan: Amounts and shares, 万元.
        paid_wan: What of ``total_wan`` has been paid.
    """

    label: str
    notices: int
    payments: int
    payees: int
    total_wan: Decimal
    city_wan: Decimal
    district_wan: Decimal
    paid_wan: Decimal


@dataclass
class _Sum:
    notices: set[int]
    payees: set[tuple[bool, int]]
    payments: int = 0
    total: Decimal = Decimal(0)
    city: Decimal = Decimal(0)
    district: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)


def payout_totals(db: Database, by: str, *, year: int | None = None) -> list[TotalsRow]:
    """Totals grouped ``by`` programme, year or subdistrict, over the notices issued in ``year`` (all when None).

    Programmes and 属地 come largest first; years newest first; 属地 without one is :data:`UNASSIGNED`.
    """
    if by not in DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}")
    p, n = Payment, PaymentNotice
    stmt = (select(n.id, n.programme, n.issued_on, Subdistrict.name, p.enterprise_id, p.carrier_id,
                   p.amount_total_wan, p.amount_city_wan, p.amount_district_wan, p.paid_on)
            .join(n, n.id == p.notice_id)
            .outerjoin(Enterprise, Enterprise.id == p.enterprise_id).outerjoin(Carrier, Carrier.id == p.carrier_id)
            .outerjoin(Subdistrict, Subdistrict.id == func.coalesce(Enterprise.subdistrict_id, Carrier.subdistrict_id)))
    if year is not None:
        stmt = stmt.where(n.issued_on >= dt.date(year, 1, 1), n.issued_on <= dt.date(year, 12, 31))
    groups: dict[str, _Sum] = {}
    with read_session(db) as session:
        for notice_id, programme, issued, unit, ent, car, total, city, district, paid_on in session.execute(stmt):
            key = {"programme": programme, "year": f"{issued.year}年", "subdistrict": unit or UNASSIGNED}[by]
            group = groups.setdefault(key, _Sum(set(), set()))
            group.notices.add(notice_id)
            group.payees.add((ent is not None, ent if ent is not None else car))
            group.payments += 1
            group.total += total
            group.city += city
            group.district += district
            group.paid += total if paid_on is not None else 0
    rows = [TotalsRow(label, len(g.notices), g.payments, len(g.payees), g.total, g.city, g.district, g.paid)
            for label, g in groups.items()]
    if by == "year":
        return sorted(rows, key=lambda r: r.label, reverse=True)
    return sorted(rows, key=lambda r: (-r.total_wan, r.label))
