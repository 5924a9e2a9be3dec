"""The grant list: filters, search and sorting in SQL; rows fetched a page at a time by id.

The list screen holds the ordered ids of :func:`grant_ids` and asks :func:`grant_rows` for the rows it paints. The
search matches the holder (an enterprise by name, former names, credit code or pinyin initials, through
:func:`services.register.apply_search`; a maker team by its name or its initials) or the voucher number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from models import Carrier, Enterprise, Subdistrict, VoucherGrant, VoucherRedemption, VoucherUse
from models.db import Database
from models.voucher import GRANT_STATUSES
from services.payouts import home_district
from services.register import apply_search
from services.session import read_session
from services.text import normalize_name, pinyin_initials
from services.voucher_records import GrantRow
from services.vouchers import MAKER_SPACE_KINDS

#: Filter value of ``subdistrict_id`` that selects grants whose holder has no 属地.
NO_SUBDISTRICT = 0
#: Sort keys of the list, by column.
SORT_KEYS = ("voucher_no", "holder", "subdistrict", "year", "status", "applied", "issued", "used", "redeemed",
             "balance", "applied_on", "issued_on")


@dataclass(frozen=True)
class GrantFilter:
    """The list's filters: year, status, holder kind (enterprise / maker_team), 属地, and a search text."""

    year: int | None = None
    status: str | None = None
    holder_kind: str | None = None
    subdistrict_id: int | None = None
    text: str = ""


@dataclass(frozen=True)
class GrantOptions:
    """What the filters and forms offer."""

    years: tuple[int, ...]
    statuses: tuple[str, ...]
    subdistricts: tuple[tuple[int, str], ...]
    maker_spaces: tuple[tuple[int, str], ...]


def grant_options(db: Database) -> GrantOptions:
    with read_session(db) as session:
        district = home_district(session)
        years = session.scalars(select(VoucherGrant.year).distinct().order_by(VoucherGrant.year.desc())).all()
        subs = session.execute(select(Subdistrict.id, Subdistrict.name)
                               .where(Subdistrict.district_id == district.id, Subdistrict.active.is_(True))
                               .order_by(Subdistrict.sort_order, Subdistrict.id)).tuples().all()
        spaces = session.execute(select(Carrier.id, Carrier.name)
                                 .where(Carrier.kind_code.in_(MAKER_SPACE_KINDS), Carrier.deleted_at.is_(None))
                                 .order_by(Carrier.name_norm)).tuples().all()
    return GrantOptions(tuple(years), GRANT_STATUSES, tuple(subs), tuple(spaces))


def _amounts(ids: Sequence[int] | None = None) -> tuple[Any, Any]:
    """Per grant (of ``ids``, or all): the amount used, and the subsidy paid (subqueries to join)."""
    used = select(VoucherUse.grant_id, func.sum(VoucherUse.voucher_amount_wan).label("amount"))
    paid = (select(VoucherUse.grant_id, func.sum(VoucherRedemption.subsidy_wan).label("amount"))
            .join(VoucherRedemption, VoucherRedemption.use_id == VoucherUse.id)
            .where(VoucherRedemption.status == "已兑付"))
    if ids is not None:
        used, paid = used.where(VoucherUse.grant_id.in_(ids)), paid.where(VoucherUse.grant_id.in_(ids))
    return used.group_by(VoucherUse.grant_id).subquery(), paid.group_by(VoucherUse.grant_id).subquery()


def _sub_id() -> Any:
    return func.coalesce(Enterprise.subdistrict_id, Carrier.subdistrict_id)


def _base(stmt: Select[Any]) -> Select[Any]:
    return (stmt.outerjoin(Enterprise, Enterprise.id == VoucherGrant.enterprise_id)
            .outerjoin(Carrier, Carrier.id == VoucherGrant.carrier_id))


def _search(session: Session, stmt: Select[Any], text: str) -> Select[Any]:
    """Grants whose holder or voucher number matches every term of ``text``."""
    terms = text.split()
    number = and_(*(func.upper(VoucherGrant.voucher_no).contains(t.upper(), autoescape=True) for t in terms))
    conditions = [VoucherGrant.enterprise_id.in_(apply_search(select(Enterprise.id), text)), number]
    teams = [g for g, name in session.execute(select(VoucherGrant.id, VoucherGrant.maker_team_name)
                                              .where(VoucherGrant.maker_team_name.is_not(None))).tuples()
             if all(normalize_name(t) in normalize_name(name or "") or t.lower() in pinyin_initials(name or "")
                    for t in terms)]
    if teams:
        conditions.append(VoucherGrant.id.in_(teams))
    return stmt.where(or_(*conditions))


def grant_ids(db: Database, f: GrantFilter = GrantFilter(), *, sort: str = "applied_on",  # noqa: B008 - frozen
              descending: bool = True) -> list[int]:
    """Ids of the grants the filter selects, in the chosen order (ties by voucher number)."""
    used, paid = _amounts()
    stmt = _base(select(VoucherGrant.id)).outerjoin(used, used.c.grant_id == VoucherGrant.id) \
        .outerjoin(paid, paid.c.grant_id == VoucherGrant.id)
    if f.year is not None:
        stmt = stmt.where(VoucherGrant.year == f.year)
    if f.status:
        stmt = stmt.where(VoucherGrant.status == f.status)
    if f.holder_kind == "enterprise":
        stmt = stmt.where(VoucherGrant.enterprise_id.is_not(None))
    elif f.holder_kind == "maker_team":
        stmt = stmt.where(VoucherGrant.enterprise_id.is_(None))
    if f.subdistrict_id == NO_SUBDISTRICT:
        stmt = stmt.where(_sub_id().is_(None))
    elif f.subdistrict_id is not None:
        stmt = stmt.where(_sub_id() == f.subdistrict_id)
    zero = Decimal(0)
    keys = {
        "voucher_no": VoucherGrant.voucher_no, "year": VoucherGrant.year, "status": VoucherGrant.status,
        "holder": func.coalesce(Enterprise.name_norm, VoucherGrant.maker_team_name),
        "subdistrict": _sub_id(), "applied": VoucherGrant.amount_applied_wan,
        "issued": VoucherGrant.amount_issued_wan, "used": func.coalesce(used.c.amount, zero),
        "redeemed": func.coalesce(paid.c.amount, zero),
        "balance": func.coalesce(VoucherGrant.amount_issued_wan, zero) - func.coalesce(used.c.amount, zero),
        "applied_on": VoucherGrant.applied_on, "issued_on": VoucherGrant.issued_on}
    key = keys.get(sort, VoucherGrant.applied_on)
    with read_session(db) as session:
        if f.text.strip():
            stmt = _search(session, stmt, f.text.strip())
        order = key.desc().nulls_last() if descending else key.asc().nulls_last()
        return list(session.scalars(stmt.order_by(order, VoucherGrant.voucher_no)))


def grant_rows(db: Database, ids: Sequence[int]) -> list[GrantRow]:
    """Rows for ``ids``, in the order given (ids no longer there are left out)."""
    if not ids:
        return []
    used, paid = _amounts(ids)
    stmt = (_base(select(VoucherGrant, Enterprise.name, Subdistrict.name, used.c.amount, paid.c.amount))
            .outerjoin(Subdistrict, Subdistrict.id == _sub_id())
            .outerjoin(used, used.c.grant_id == VoucherGrant.id).outerjoin(paid, paid.c.grant_id == VoucherGrant.id)
            .where(VoucherGrant.id.in_(ids)))
    zero = Decimal(0)
    with read_session(db) as session:
        by_id = {g.id: GrantRow(g.id, g.voucher_no, "enterprise" if g.enterprise_id is not None else "maker_team",
                                name or g.maker_team_name or "", sub, g.year, g.status, g.amount_applied_wan,
                                g.amount_issued_wan, used_amount or zero, paid_amount or zero, g.applied_on,
                                g.issued_on)
                 for g, name, sub, used_amount, paid_amount in session.execute(stmt).tuples()}
    return [by_id[i] for i in ids if i in by_id]
