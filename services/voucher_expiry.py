"""Year-end expiry of vouchers (逾期作废) and the December reminder before it.

The city scheme: "申领、发放、使用和申请兑现一般应在同一工作年度内完成，逾期自动作废". Once year Y is over, every
grant of Y still open (申领, 发放 or 使用) with no redemption on its way (申请 or 审核通过) lapses: it becomes
过期, or 兑现 when part of it was already paid — the unused balance and the uses never put forward for redemption
lapse with it. Grants whose redemptions are still being handled stay until those are settled. :func:`expire_year`
is idempotent (a second run finds nothing) and says what it expired; :func:`expiry_preview` shows the same list
before anything is changed.

In December the open grants of the year are reminded (:func:`voucher_reminders`, or the collector
:func:`collect_voucher_reminders` for :mod:`services.reminders`), due on 31 December.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from models import Carrier, Enterprise, VoucherGrant, VoucherRedemption, VoucherUse
from models.db import Database
from services.errors import UserFacingError
from services.importing.register_index import chunks
from services.payouts import home_district
from services.reminders import Reminder
from services.session import read_session, unit_of_work
from services.users import Actor, current_actor, require
from services.voucher_records import OPEN_STATUSES, PENDING_REDEMPTIONS
from services.voucher_rules import wan_text

#: Kind code and label of the reminder (for :class:`services.reminders.ReminderKind`).
REMINDER_KIND = ("voucher_expiry", "创新券年末失效")


@dataclass(frozen=True)
class ExpiringGrant:
    """A grant that lapses (or lapsed) at the end of its year.

    Attributes:
        unused_wan: Issued but never used (the whole applied amount is meant when it was never issued).
        unredeemed_wan: Used, but never put forward for redemption (or refused).
        new_status: 过期, or 兑现 when part of it was paid.
    """

    id: int
    voucher_no: str
    holder_name: str
    enterprise_id: int | None
    carrier_id: int | None
    status: str
    amount_applied_wan: Decimal
    amount_issued_wan: Decimal | None
    unused_wan: Decimal
    unredeemed_wan: Decimal
    new_status: str

    def describe(self) -> str:
        if self.amount_issued_wan is None:
            return f"申领 {wan_text(self.amount_applied_wan)} 未发放"
        parts = [f"余额 {wan_text(self.unused_wan)} 未使用"] if self.unused_wan > 0 else []
        if self.unredeemed_wan > 0:
            parts.append(f"已使用 {wan_text(self.unredeemed_wan)} 未申请兑现")
        return "，".join(parts) or "已全部办结"


@dataclass(frozen=True)
class ExpiryResult:
    """What lapses (a preview) or lapsed (done) at the end of ``year``."""

    year: int
    grants: tuple[ExpiringGrant, ...]
    done: bool

    @property
    def unused_wan(self) -> Decimal:
        return sum((g.unused_wan for g in self.grants), Decimal(0))

    def describe(self) -> str:
        verb = "已作废" if self.done else "将作废"
        if not self.grants:
            return f"{self.year}年没有需要作废的创新券。"
        return (f"{self.year}年末{verb} {len(self.grants)} 张创新券，未使用余额合计 {wan_text(self.unused_wan)}。")


def _open_grants(session: Session, year: int, statuses: tuple[str, ...] = OPEN_STATUSES
                 ) -> list[tuple[VoucherGrant, str]]:
    """Grants of ``year`` in ``statuses`` with no redemption on its way, and the holder's name."""
    pending = exists().where(VoucherUse.grant_id == VoucherGrant.id, VoucherRedemption.use_id == VoucherUse.id,
                             VoucherRedemption.status.in_(PENDING_REDEMPTIONS))
    district = home_district(session)
    rows = session.execute(
        select(VoucherGrant, Enterprise.name)
        .outerjoin(Enterprise, Enterprise.id == VoucherGrant.enterprise_id)
        .where(VoucherGrant.district_id == district.id, VoucherGrant.year == year,
               VoucherGrant.status.in_(statuses), ~pending)
        .order_by(VoucherGrant.voucher_no)).tuples().all()
    return [(g, name or g.maker_team_name or "") for g, name in rows]


def _expiring(session: Session, rows: list[tuple[VoucherGrant, str]]) -> list[ExpiringGrant]:
    """What lapses of each grant: its uses and their latest redemption statuses read in bulk."""
    uses: dict[int, list[tuple[int, Decimal]]] = {g.id: [] for g, _n in rows}
    latest: dict[int, str] = {}
    for part in chunks(list(uses)):
        for use_id, grant_id, amount in session.execute(select(VoucherUse.id, VoucherUse.grant_id,
                                                               VoucherUse.voucher_amount_wan)
                                                        .where(VoucherUse.grant_id.in_(part))):
            uses[grant_id].append((use_id, amount))
        for use_id, status in session.execute(
                select(VoucherRedemption.use_id, VoucherRedemption.status)
                .join(VoucherUse, VoucherUse.id == VoucherRedemption.use_id)
                .where(VoucherUse.grant_id.in_(part)).order_by(VoucherRedemption.id)):
            latest[use_id] = status
    found = []
    for grant, name in rows:
        own = uses[grant.id]
        used = sum((amount for _u, amount in own), Decimal(0))
        unredeemed = sum((amount for u, amount in own if latest.get(u) in (None, "不通过")), Decimal(0))
        paid = any(latest.get(u) == "已兑付" for u, _a in own)
        issued = grant.amount_issued_wan
        found.append(ExpiringGrant(grant.id, grant.voucher_no, name, grant.enterprise_id, grant.carrier_id,
                                   grant.status, grant.amount_applied_wan, issued, (issued or Decimal(0)) - used,
                                   unredeemed, "兑现" if paid else "过期"))
    return found


def expiry_preview(db: Database, year: int) -> ExpiryResult:
    """The grants of ``year`` that lapse at its end as things stand (nothing is changed)."""
    with read_session(db) as session:
        return ExpiryResult(year, tuple(_expiring(session, _open_grants(session, year))), False)


def expire_year(db: Database, year: int, *, actor: Actor | None = None, today: dt.date | None = None) -> ExpiryResult:
    """年末作废 of ``year`` (managers, once the year is over); a second run finds nothing more to do."""
    actor = actor or current_actor()
    require(actor, "manager", "办理创新券年末作废")
    today = today or dt.date.today()
    year_end = dt.date(year, 12, 31)
    if today <= year_end:
        raise UserFacingError(f"{year}年尚未结束，年末（{year_end.isoformat()}）之后才能办理作废；"
                              "可先预览将作废的创新券。")
    with unit_of_work(db, user=actor.username, source="voucher-expiry") as session:
        rows = _open_grants(session, year)
        found = _expiring(session, rows)
        for (grant, _name), expiring in zip(rows, found, strict=True):
            grant.status = expiring.new_status
        session.flush()
        return ExpiryResult(year, tuple(found), True)


def collect_voucher_reminders(session: Session, as_of: dt.date) -> Iterable[Reminder]:
    """In December: the year's grants with balance unused or uses not yet put forward, due 31 December (a grant
    partly redeemed already, 兑现, is reminded while it has balance left)."""
    if as_of.month != 12:
        return
    year_end = dt.date(as_of.year, 12, 31)
    carriers = dict(session.execute(select(Carrier.id, Carrier.name)).tuples().all())
    rows = _open_grants(session, as_of.year, (*OPEN_STATUSES, "兑现"))
    for (grant, name), expiring in zip(rows, _expiring(session, rows), strict=True):
        if expiring.unused_wan <= 0 and expiring.unredeemed_wan <= 0 and grant.amount_issued_wan is not None:
            continue
        if grant.enterprise_id is not None:
            subject: tuple[str, int, str] = ("enterprise", grant.enterprise_id, name)
        else:
            subject = ("carrier", grant.carrier_id or 0, f"{name}（{carriers.get(grant.carrier_id or 0, '')}）")
        yield Reminder(REMINDER_KIND[0], *subject, "创新券年末失效",
                       f"{grant.voucher_no}：{expiring.describe()}，{year_end.isoformat()} 后作废",
                       year_end, (year_end - as_of).days)


def voucher_reminders(db: Database, as_of: dt.date | None = None) -> list[Reminder]:
    """:func:`collect_voucher_reminders` in its own read session (today by default)."""
    with read_session(db) as session:
        return list(collect_voucher_reminders(session, as_of or dt.date.today()))
