"""The counting rules of PRODUCT.md, as SQL expressions shared by every screen, reminder and report.

"Valid at a date" means certified on or before that date, with the validity end on or after it (or none), and not
revoked by then.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_, or_

from models import EnterpriseQualification

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
    q = EnterpriseQualification
    return and_(q.certified_on.is_not(None), q.certified_on >= start, q.certified_on <= end)
