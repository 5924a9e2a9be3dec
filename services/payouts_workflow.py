"""The steps of a pay-out notice: 草稿 → 已审核 → 已公示 → 已批准 (a manager) → payments marked paid.

Each step checks the one before it and names what is missing; approval needs a manager
(:func:`services.users.require`), and records who approved and when; payments are marked paid only after approval.
Before approval a notice can go back to a draft to be corrected; after approval it cannot be changed at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import object_session

from models import Payment, PaymentNotice
from models.db import Database
from models.types import utcnow
from services.errors import NotFoundError, UserFacingError, ValidationError
from services.payouts import (
    APPROVED,
    AUDITED,
    DRAFT,
    PAID,
    PUBLICIZED,
    VOUCHER_PROGRAMMES,
    NoticeDetail,
    notice_status,
    read_notice,
)
from services.session import unit_of_work
from services.users import Actor, current_actor, require


def _status(notice: PaymentNotice, payments: list[Payment]) -> str:
    return notice_status(notice.audited, notice.publicized_on,
                         notice.approved_at is not None or notice.approved_by is not None, len(payments),
                         sum(p.paid_on is not None for p in payments))


def _step(db: Database, notice_id: int, actor: Actor, allowed: Collection[str], what: str,
          change: object) -> NoticeDetail:
    """Run ``change(notice, payments)`` when the notice's status is one of ``allowed``."""
    with unit_of_work(db, user=actor.username) as session:
        notice = session.get(PaymentNotice, notice_id, with_for_update=True)
        if notice is None:
            raise NotFoundError(f"找不到编号为 {notice_id} 的兑现通知，可能已被删除。")
        payments = list(session.scalars(select(Payment).where(Payment.notice_id == notice_id).order_by(Payment.id)))
        status = _status(notice, payments)
        if status not in allowed:
            raise UserFacingError(f"《{notice.title}》当前为“{status}”，不能{what}。")
        change(notice, payments)  # type: ignore[operator]
        session.flush()
        return read_notice(session, notice_id)


def audit_notice(db: Database, notice_id: int, *, actor: Actor | None = None) -> NoticeDetail:
    """审核通过: the draft's payment list has been checked (it needs at least one payment)."""
    def change(notice: PaymentNotice, payments: list[Payment]) -> None:
        if not payments:
            raise UserFacingError(f"《{notice.title}》还没有兑现对象，不能审核。")
        notice.audited = True

    return _step(db, notice_id, actor or current_actor(), (DRAFT,), "审核", change)


def publicize_notice(db: Database, notice_id: int, publicized_on: dt.date, *, actor: Actor | None = None,
                     today: dt.date | None = None) -> NoticeDetail:
    """公示: the audited list was published on ``publicized_on`` (not in the future)."""
    today = today or dt.date.today()
    if publicized_on > today:
        raise ValidationError({"publicized_on": "公示日期不能晚于今天"})

    def change(notice: PaymentNotice, _payments: list[Payment]) -> None:
        notice.publicized_on = publicized_on

    return _step(db, notice_id, actor or current_actor(), (AUDITED,), "登记公示", change)


def approve_notice(db: Database, notice_id: int, *, actor: Actor | None = None) -> NoticeDetail:
    """批准: a manager approves the publicised notice; records who and when. Clerks are refused.

    Raises:
        PermissionDenied: the actor is a clerk.
    """
    actor = actor or current_actor()
    require(actor, "manager", "批准兑现通知")

    def change(notice: PaymentNotice, _payments: list[Payment]) -> None:
        notice.approved_by = actor.display_name[:40]
        notice.approved_at = utcnow()

    return _step(db, notice_id, actor, (PUBLICIZED,), "批准（须先审核并公示）", change)


def return_to_draft(db: Database, notice_id: int, *, actor: Actor | None = None) -> NoticeDetail:
    """退回草稿: an audited or publicised (not yet approved) notice goes back to be corrected."""
    def change(notice: PaymentNotice, _payments: list[Payment]) -> None:
        notice.audited = False
        notice.publicized_on = None

    return _step(db, notice_id, actor or current_actor(), (AUDITED, PUBLICIZED), "退回草稿（已批准的通知不能退回）",
                 change)


def mark_paid(db: Database, notice_id: int, paid_on: dt.date, payment_ids: Collection[int] | None = None, *,
              actor: Actor | None = None, today: dt.date | None = None) -> NoticeDetail:
    """登记兑付: the payments (all unpaid ones when ``payment_ids`` is None) were paid on ``paid_on``.

    Only an approved notice can be paid, on or after the day of approval and not in the future.
    """
    today = today or dt.date.today()
    if paid_on > today:
        raise ValidationError({"paid_on": "兑付日期不能晚于今天"})

    def change(notice: PaymentNotice, payments: list[Payment]) -> None:
        approved_on = notice.approved_at.astimezone().date() if notice.approved_at is not None else None
        if approved_on is not None and paid_on < approved_on:
            raise ValidationError({"paid_on": f"兑付日期不能早于批准日期（{approved_on:%Y-%m-%d}）"})
        chosen = [p for p in payments if payment_ids is None or p.id in payment_ids]
        if payment_ids is not None and len(chosen) != len(set(payment_ids)):
            raise UserFacingError("所选兑现记录不属于该通知，或已被删除，请刷新后重试。")
        already = [p for p in chosen if p.paid_on is not None and payment_ids is not None]
        if already:
            raise UserFacingError(f"所选记录中有 {len(already)} 笔已登记兑付，不能重复登记。")
        if notice.programme in VOUCHER_PROGRAMMES:
            if len(chosen) != len(payments):
                raise UserFacingError("创新券兑现批次须整批登记拨付（同时结清其中的兑现记录）。")
            from services.voucher_redemptions import settle_paid_in  # it builds on the pay-out services

            session = object_session(notice)
            assert session is not None
            settle_paid_in(session, notice, paid_on)
        for payment in chosen:
            if payment.paid_on is None:
                payment.paid_on = paid_on

    return _step(db, notice_id, actor or current_actor(), (APPROVED,), "登记兑付（须先经科长/局领导批准）", change)


#: Statuses from which each step may be taken (for the GUI's buttons).
NEXT_STEPS = {DRAFT: ("audit",), AUDITED: ("publicize", "return"), PUBLICIZED: ("approve", "return"),
              APPROVED: ("pay",), PAID: ()}
