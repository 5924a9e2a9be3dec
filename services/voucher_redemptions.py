"""Redeeming vouchers (创新券兑现): application, the bureau's audit, the batch notice 第N批, and payment.

A holder applies to redeem a use within the grant's year (申请); the bureau audits it (审核通过, with the city's and
the district's share of the subsidy from the rule's co-funding ratio, or 不通过 with the reason kept on the use).
Audited redemptions of a year are put into a numbered batch: the batch is a pay-out notice (programme 创新券补助,
the grant year as cohort year, the batch number) made through :mod:`services.payouts_edit`, with one payment per holder
(a maker team is paid through its 众创空间). The notice then follows the pay-out workflow (审核 → 公示 → 批准 by a
manager); once approved, :func:`pay_batch` records the payment date on the payments and the redemptions in one
transaction, and the grants become 兑现. A redemption counts in reports when paid (``services.counting``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Enterprise, Payment, PaymentNotice, ServiceProvider, VoucherGrant, VoucherRedemption, VoucherUse
from models.db import Database
from services.errors import NotFoundError, UserFacingError, ValidationError
from services.payouts import (
    APPROVED,
    VOUCHER_PROGRAMMES,
    NoticeInput,
    PaymentInput,
    home_district,
    notice_status,
    suggest_title,
)
from services.payouts_edit import add_payments_in, check_editable, create_notice_in
from services.session import read_session, unit_of_work
from services.voucher_records import GrantDetail
from services.voucher_rules import split_cofund, wan_text, year_rule
from services.vouchers import grant_detail, refresh_status

#: The programme of the batch notices (as the demo data and the real notices name it: "…创新券补助资金的通知"); a
#: notice under the brief's shorter name 创新券 is a voucher batch too.
PROGRAMME = "创新券补助"
PAYMENT_ITEM = "创新券补助"
REDEMPTION_LABELS = {"applied_on": "申请日期", "audited_on": "审核日期", "reason": "不通过原因", "paid_on": "拨付日期",
                     "issued_on": "发文日期", "batch_no": "批次", "redemptions": "兑现记录"}


@dataclass(frozen=True)
class BatchCandidate:
    """An audited redemption waiting for a batch."""

    id: int
    voucher_no: str
    holder_name: str
    provider: str
    applied_on: dt.date
    audited_on: dt.date | None
    subsidy_wan: Decimal
    city_share_wan: Decimal
    district_share_wan: Decimal


@dataclass(frozen=True)
class VoucherBatch:
    """A batch notice (第N批) of a year with its redemptions."""

    notice_id: int
    title: str
    doc_no: str | None
    year: int
    batch_no: int | None
    issued_on: dt.date
    status: str
    redemptions: int
    holders: int
    subsidy_wan: Decimal
    city_wan: Decimal
    district_wan: Decimal
    paid_on: dt.date | None


def _day_problem(day: dt.date | None, label: str, today: dt.date, after: dt.date | None, after_label: str) -> str:
    if day is None:
        return f"请填写{label}"
    if day > today:
        return f"{label}不能晚于今天（{today.isoformat()}）"
    if after is not None and day < after:
        return f"{label}不能早于{after_label}（{after.isoformat()}）"
    return ""


def apply_redemption(db: Database, use_id: int, applied_on: dt.date, *, user: str | None = None,
                     source: str = "gui", today: dt.date | None = None) -> GrantDetail:
    """申请兑现 of a use, in the grant's year; the subsidy is the voucher amount of the use."""
    today = today or dt.date.today()
    with unit_of_work(db, user=user, source=source) as session:
        use = session.get(VoucherUse, use_id)
        if use is None:
            raise NotFoundError(f"找不到编号为 {use_id} 的使用记录")
        grant = session.get(VoucherGrant, use.grant_id)
        assert grant is not None
        reason = grant_detail(session, grant.id).refusal("redeem", applied_on)
        if reason:
            raise UserFacingError(reason)
        problem = _day_problem(applied_on, "申请日期", today, use.used_on, "使用日期")
        if problem:
            raise ValidationError({"applied_on": problem})
        latest = session.scalar(select(VoucherRedemption.status).where(VoucherRedemption.use_id == use.id)
                                .order_by(VoucherRedemption.id.desc()).limit(1))
        if latest is not None and latest != "不通过":
            raise UserFacingError(f"该使用记录已申请兑现（当前状态：{latest}），不能重复申请。")
        rule = year_rule(session, grant.year)[1]
        session.add(VoucherRedemption(use_id=use.id, applied_on=applied_on, subsidy_wan=use.voucher_amount_wan,
                                      ratio=rule.subsidy_ratio, status="申请"))
        session.flush()
        refresh_status(session, grant)
        session.flush()
        return grant_detail(session, grant.id)


def audit_redemption(db: Database, redemption_id: int, passed: bool, audited_on: dt.date, *,
                     reason: str | None = None, user: str | None = None,
                     today: dt.date | None = None) -> GrantDetail:
    """审核: pass (the city's share from the rule's co-funding ratio, the district's the rest), or refuse with a
    reason (kept in the use's notes)."""
    today = today or dt.date.today()
    with unit_of_work(db, user=user) as session:
        redemption = session.get(VoucherRedemption, redemption_id)
        if redemption is None:
            raise NotFoundError(f"找不到编号为 {redemption_id} 的兑现申请")
        if redemption.status != "申请":
            raise UserFacingError(f"该兑现申请已审核（{redemption.status}），不能再次审核。")
        use = session.get(VoucherUse, redemption.use_id)
        assert use is not None
        grant = session.get(VoucherGrant, use.grant_id)
        assert grant is not None
        problems = {}
        problem = _day_problem(audited_on, "审核日期", today, redemption.applied_on, "申请日期")
        if problem:
            problems["audited_on"] = problem
        if not passed and not (reason or "").strip():
            problems["reason"] = "请填写不通过的原因"
        if problems:
            raise ValidationError(problems)
        redemption.audited_on = audited_on
        if passed:
            rule = year_rule(session, grant.year)[1]
            redemption.city_share_wan, redemption.district_share_wan = split_cofund(redemption.subsidy_wan,
                                                                                    rule.city_cofund_max_ratio)
            redemption.status = "审核通过"
        else:
            redemption.status = "不通过"
            note = f"{audited_on.isoformat()} 兑现审核不通过：{(reason or '').strip()}"
            use.notes = f"{use.notes}\n{note}" if use.notes else note
        session.flush()
        refresh_status(session, grant)
        session.flush()
        return grant_detail(session, grant.id)


def _holder_name(row: VoucherGrant, names: dict[int, str]) -> str:
    return names.get(row.enterprise_id, "") if row.enterprise_id is not None else row.maker_team_name or ""


def _candidates(session: Session, year: int, ids: list[int] | None = None) -> list[tuple[VoucherRedemption,
                                                                                           VoucherGrant, str]]:
    stmt = (select(VoucherRedemption, VoucherGrant, ServiceProvider.name)
            .join(VoucherUse, VoucherUse.id == VoucherRedemption.use_id)
            .join(VoucherGrant, VoucherGrant.id == VoucherUse.grant_id)
            .join(ServiceProvider, ServiceProvider.id == VoucherUse.provider_id)
            .where(VoucherGrant.year == year, VoucherRedemption.status == "审核通过",
                   VoucherRedemption.notice_id.is_(None))
            .order_by(VoucherRedemption.audited_on, VoucherRedemption.id))
    if ids is not None:
        stmt = stmt.where(VoucherRedemption.id.in_(ids))
    return list(session.execute(stmt).tuples())


def _names(session: Session, grants: list[VoucherGrant]) -> dict[int, str]:
    ids = {g.enterprise_id for g in grants if g.enterprise_id is not None}
    return dict(session.execute(select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(ids))).tuples().all())


def awaiting_batch(db: Database, year: int) -> list[BatchCandidate]:
    """Audited redemptions of grants of ``year`` that no batch holds yet."""
    with read_session(db) as session:
        rows = _candidates(session, year)
        names = _names(session, [g for _r, g, _p in rows])
        return [BatchCandidate(r.id, g.voucher_no, _holder_name(g, names), provider, r.applied_on, r.audited_on,
                               r.subsidy_wan, r.city_share_wan or Decimal(0), r.district_share_wan or Decimal(0))
                for r, g, provider in rows]


def _batches(session: Session, notices: list[PaymentNotice]) -> list[VoucherBatch]:
    """The notices as batches: their redemptions' totals (one grouped read) and their payments' status."""
    r, p, ids = VoucherRedemption, Payment, [n.id for n in notices]
    totals = {row[0]: row[1:] for row in session.execute(
        select(r.notice_id, func.count(), func.sum(r.subsidy_wan), func.sum(r.city_share_wan),
               func.sum(r.district_share_wan), func.max(r.paid_on))
        .where(r.notice_id.in_(ids)).group_by(r.notice_id))}
    payments = {row[0]: row[1:] for row in session.execute(
        select(p.notice_id, func.count(), func.count(p.paid_on)).where(p.notice_id.in_(ids)).group_by(p.notice_id))}
    zero = Decimal(0)
    found = []
    for notice in notices:
        count, subsidy, city, district, paid_on = totals.get(notice.id, (0, None, None, None, None))
        holders, paid = payments.get(notice.id, (0, 0))
        status = notice_status(notice.audited, notice.publicized_on,
                               notice.approved_at is not None or notice.approved_by is not None, holders, paid)
        found.append(VoucherBatch(notice.id, notice.title, notice.doc_no, notice.cohort_year, notice.batch_no,
                                  notice.issued_on, status, count, holders, subsidy or zero, city or zero,
                                  district or zero, paid_on))
    return found


def _batch(session: Session, notice: PaymentNotice) -> VoucherBatch:
    return _batches(session, [notice])[0]


def list_batches(db: Database, year: int | None = None) -> list[VoucherBatch]:
    """The voucher batch notices (of ``year``), newest first."""
    stmt = select(PaymentNotice).where(PaymentNotice.programme.in_(VOUCHER_PROGRAMMES))
    if year is not None:
        stmt = stmt.where(PaymentNotice.cohort_year == year)
    with read_session(db) as session:
        return _batches(session, list(session.scalars(
            stmt.order_by(PaymentNotice.cohort_year.desc(), PaymentNotice.batch_no.desc(), PaymentNotice.id.desc()))))


def next_batch_no(db: Database, year: int) -> int:
    """The number the next batch of ``year`` gets."""
    with read_session(db) as session:
        top = session.scalar(select(func.max(PaymentNotice.batch_no)).where(
            PaymentNotice.programme.in_(VOUCHER_PROGRAMMES), PaymentNotice.cohort_year == year))
        return (top or 0) + 1


def create_batch(db: Database, year: int, redemption_ids: list[int], issued_on: dt.date, *,
                 batch_no: int | None = None, doc_no: str | None = None, title: str | None = None,
                 user: str | None = None, today: dt.date | None = None) -> VoucherBatch:
    """下达第N批: put audited redemptions of ``year`` into batch ``batch_no`` (the next one by default).

    The batch's notice is made (or, while still a draft, extended) with one payment per holder; the shares are the
    redemptions' own. An approved batch takes no more redemptions.
    """
    if not redemption_ids:
        raise ValidationError({"redemptions": "请选择要下达的兑现记录（须已审核通过）"})
    number = batch_no if batch_no is not None else next_batch_no(db, year)
    with unit_of_work(db, user=user) as session:
        rows = _candidates(session, year, redemption_ids)
        if len(rows) != len(set(redemption_ids)):
            raise UserFacingError(f"所选记录中有的不是{year}年度已审核通过、尚未下达批次的兑现申请，请刷新后重试。")
        district = home_district(session)
        notice = session.scalar(select(PaymentNotice).where(
            PaymentNotice.programme.in_(VOUCHER_PROGRAMMES), PaymentNotice.cohort_year == year,
            PaymentNotice.batch_no == number, PaymentNotice.district_id == district.id))
        if notice is None:
            notice = create_notice_in(session, NoticeInput(
                title or suggest_title(PROGRAMME, year, district=district.name, batch_no=number), PROGRAMME, year,
                issued_on, doc_no, number), today=today)
        else:
            check_editable(notice)
        shares: dict[tuple[int | None, int | None], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
        for redemption, grant, _provider in rows:
            payee = (grant.enterprise_id, None) if grant.enterprise_id is not None else (None, grant.carrier_id)
            shares[payee][0] += redemption.subsidy_wan
            shares[payee][1] += redemption.city_share_wan or Decimal(0)
            redemption.batch_no, redemption.notice_id = number, notice.id
        stored = {(p.enterprise_id, p.carrier_id): p for p in session.scalars(
            select(Payment).where(Payment.notice_id == notice.id, Payment.item == PAYMENT_ITEM))}
        new = []
        for (enterprise_id, carrier_id), (total, city) in shares.items():
            payment = stored.get((enterprise_id, carrier_id))
            if payment is None:
                new.append(PaymentInput(total, enterprise_id, carrier_id, PAYMENT_ITEM, city))
            else:
                payment.amount_total_wan += total
                payment.amount_city_wan += city
                payment.amount_district_wan = payment.amount_total_wan - payment.amount_city_wan
        if new:
            add_payments_in(session, notice, new)
        session.flush()
        return _batch(session, notice)


def settle_paid_in(session: Session, notice: PaymentNotice, paid_on: dt.date) -> int:
    """A voucher notice paid on ``paid_on``: its unpaid payments and its redemptions (已兑付) marked paid, their
    grants settled; how many redemptions. The one step behind 拨付 (创新券 page) and 登记兑付 (pay-outs page)."""
    for payment in session.scalars(select(Payment).where(Payment.notice_id == notice.id, Payment.paid_on.is_(None))):
        payment.paid_on = paid_on
    rows = list(session.execute(select(VoucherRedemption, VoucherGrant)
                                .join(VoucherUse, VoucherUse.id == VoucherRedemption.use_id)
                                .join(VoucherGrant, VoucherGrant.id == VoucherUse.grant_id)
                                .where(VoucherRedemption.notice_id == notice.id,
                                       VoucherRedemption.status == "审核通过")).tuples())
    for redemption, _grant in rows:
        redemption.status, redemption.paid_on = "已兑付", paid_on
    session.flush()
    for grant in {g.id: g for _r, g in rows}.values():
        refresh_status(session, grant)
    return len(rows)


def pay_batch(db: Database, notice_id: int, paid_on: dt.date, *, user: str | None = None,
              today: dt.date | None = None) -> VoucherBatch:
    """拨付: the approved batch was paid on ``paid_on`` — its payments and its redemptions, in one transaction."""
    today = today or dt.date.today()
    with unit_of_work(db, user=user) as session:
        notice = session.get(PaymentNotice, notice_id, with_for_update=True)
        if notice is None or notice.programme not in VOUCHER_PROGRAMMES:
            raise NotFoundError(f"找不到编号为 {notice_id} 的创新券兑现批次")
        batch = _batch(session, notice)
        if batch.status != APPROVED:
            raise UserFacingError(f"《{notice.title}》当前为“{batch.status}”，须经审核、公示并由科长/局领导批准后才能"
                                  "登记拨付。")
        # The approval's day on this PC's clock, as today is (and as the pay-outs page judges it).
        approved = notice.approved_at.astimezone().date() if notice.approved_at else notice.issued_on
        problem = _day_problem(paid_on, "拨付日期", today, max(approved, notice.issued_on), "批准和发文日期")
        if problem:
            raise ValidationError({"paid_on": problem})
        settle_paid_in(session, notice, paid_on)
        session.flush()
        return _batch(session, notice)


def describe_batch(batch: VoucherBatch) -> str:
    """第2批：5 笔，兑现 12.5 万元（市级 5 万元，区级 7.5 万元）."""
    return (f"第{batch.batch_no}批：{batch.redemptions} 笔，{batch.holders} 家，兑现 {wan_text(batch.subsidy_wan)}"
            f"（市级 {wan_text(batch.city_wan)}，区级 {wan_text(batch.district_wan)}）")
