"""The counting rules of PRODUCT.md, as SQL expressions shared by every screen, reminder and report.

"Valid at a date" means certified on or before that date, with the validity end on or after it (or none), and not
revoked by then. An enterprise is in the register at a day's end when it was not removed by then (removal times are
instants; days are Chinese calendar days) and was founded on or before it or has no founding date. A carrier's
recognition is in force from its date until it ends (摘牌); a tenant incubates from entry until graduation or exit.
Vouchers count as issued on their issue date unless voided, as redeemed when the subsidy was paid; pay-outs count
on the day they were paid. Dates "within" a period include both its first and its last day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, or_

from models import (
    Carrier,
    CarrierRecognition,
    Enterprise,
    EnterpriseQualification,
    Payment,
    PoolEntry,
    Tenancy,
    VoucherGrant,
    VoucherRedemption,
)

#: Statuses that end a qualification before its validity runs out.
ENDED_STATUSES = ("撤销", "淘汰")


def valid_at(day: dt.date) -> ColumnElement[bool]:
    q = EnterpriseQualification
    return and_(
        q.certified_on.is_not(None),
        q.certified_on <= day,
        or_(q.valid_to.is_(None), q.valid_to >= day),
        or_(q.revoked_on.is_(None), q.revoked_on > day),
        or_(q.status.not_in(ENDED_STATUSES), q.revoked_on.is_not(None)),
        q.status.not_in(("拟申报", "已申报", "评审通过", "公示", "未通过")),
    )


def certified_within(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    return within(EnterpriseQualification.certified_on, start, end)


# --- Further counting rules of PRODUCT.md ("Counting rules for reports"), one definition each. ------------------

#: The bureau's clock: removal times are stored in UTC, days are Chinese calendar days (UTC+8, no daylight saving).
CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")


def end_of_day_utc(day: dt.date) -> dt.datetime:
    """The instant ``day`` ends in China, in UTC."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=CHINA_TZ).astimezone(dt.UTC)


def within(column: SQLColumnExpression[Any], start: dt.date, end: dt.date) -> ColumnElement[bool]:
    """``column`` is a date from ``start`` to ``end``, both included."""
    return and_(column.is_not(None), column >= start, column <= end)


def in_register_at(day: dt.date) -> ColumnElement[bool]:
    """The enterprise is in the register at the end of ``day``: not removed by then, and founded on or before it
    or with no founding date known."""
    e = Enterprise
    return and_(
        or_(e.deleted_at.is_(None), e.deleted_at >= end_of_day_utc(day)),
        or_(e.registered_on.is_(None), e.registered_on <= day),
    )


def carrier_present_at(day: dt.date) -> ColumnElement[bool]:
    """The carrier is not removed by the end of ``day``."""
    return or_(Carrier.deleted_at.is_(None), Carrier.deleted_at >= end_of_day_utc(day))


def recognised_at(day: dt.date) -> ColumnElement[bool]:
    """A carrier recognition is in force on ``day``: recognised on or before it and not ended (摘牌 …) by then."""
    r = CarrierRecognition
    return and_(
        r.recognized_on <= day,
        or_(r.ended_on.is_(None), r.ended_on > day),
        or_(r.status != "摘牌", r.ended_on.is_not(None)),
    )


def incubating_at(day: dt.date) -> ColumnElement[bool]:
    """A tenant is incubating on ``day``: entered on or before it and not graduated or exited by then."""
    t = Tenancy
    return and_(t.entered_on <= day, or_(t.left_on.is_(None), t.left_on > day))


def graduated_within(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    return and_(Tenancy.exit_kind == "毕业", within(Tenancy.left_on, start, end))


def pool_member_at(day: dt.date) -> ColumnElement[bool]:
    """A pool entry is current on ``day``: entered on or before it and not left by then."""
    p = PoolEntry
    return and_(p.entered_on <= day, or_(p.left_on.is_(None), p.left_on > day))


def voucher_issued_within(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    """A voucher counts as issued on its issue date, unless it was voided (作废)."""
    return and_(within(VoucherGrant.issued_on, start, end), VoucherGrant.status != "作废")


def redeemed_within(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    """A voucher redemption counts when its subsidy was paid (已兑付) within the dates."""
    return and_(VoucherRedemption.status == "已兑付", within(VoucherRedemption.paid_on, start, end))


def paid_within(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    """A pay-out counts on the day it was paid; payments not yet paid do not count."""
    return within(Payment.paid_on, start, end)
