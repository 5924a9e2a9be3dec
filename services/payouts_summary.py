"""Pay-out totals: per programme, per year (of the notice) and per 属地 (of the enterprise or carrier paid).

Every payment of every notice counts, paid or not, with what has been paid shown beside it; the quarterly report
(``payout.*`` indicators) counts only what was paid within its period (:func:`services.counting.paid_within`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, extract, func, select, type_coerce

from models import Carrier, Enterprise, Payment, PaymentNotice, Subdistrict
from models.db import Database
from models.types import Wan
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


def payout_totals(db: Database, by: str, *, year: int | None = None) -> list[TotalsRow]:
    """Totals grouped ``by`` programme, year or subdistrict, over the notices issued in ``year`` (all when None).

    Programmes and 属地 come largest first; years newest first; 属地 without one is :data:`UNASSIGNED`.
    """
    if by not in DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}")
    p, n = Payment, PaymentNotice
    key = {"programme": n.programme, "year": extract("year", n.issued_on),
           "subdistrict": Subdistrict.name}[by]
    paid = type_coerce(func.sum(case((p.paid_on.is_not(None), p.amount_total_wan), else_=0)), Wan)
    stmt = (select(key, func.count(n.id.distinct()), func.count(), func.count(p.enterprise_id.distinct())
                   + func.count(p.carrier_id.distinct()), func.sum(p.amount_total_wan), func.sum(p.amount_city_wan),
                   func.sum(p.amount_district_wan), paid)
            .join(n, n.id == p.notice_id).group_by(key))
    if by == "subdistrict":
        stmt = (stmt.outerjoin(Enterprise, Enterprise.id == p.enterprise_id)
                .outerjoin(Carrier, Carrier.id == p.carrier_id)
                .outerjoin(Subdistrict, Subdistrict.id == func.coalesce(Enterprise.subdistrict_id,
                                                                         Carrier.subdistrict_id)))
    if year is not None:
        stmt = stmt.where(n.issued_on >= dt.date(year, 1, 1), n.issued_on <= dt.date(year, 12, 31))
    with read_session(db) as session:
        found = session.execute(stmt).tuples().all()
    rows = [TotalsRow(f"{label}年" if by == "year" else label or UNASSIGNED, *figures) for label, *figures in found]
    if by == "year":
        return sorted(rows, key=lambda r: r.label, reverse=True)
    return sorted(rows, key=lambda r: (-r.total_wan, r.label))
