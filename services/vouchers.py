"""Innovation-voucher grants (创新券申领与发放): apply, issue, void, and read a grant with everything under it.

A grant goes to an enterprise of the register or to a maker team resident in a 众创空间 (the carrier), for one year.
The year's cap (20万 an enterprise, 10万 a maker team by default; :mod:`services.voucher_rules`) holds across all of
the holder's grants of the year that are not voided: each counts with its issued amount, or its applied amount
while it waits. An application over the cap is refused with the sums ("该企业2025年已申领 15 万元，上限 20 万元，
本次最多 5 万元"), and :func:`cap_status` gives the same sentence before saving. Every step is one unit of work,
checked by :func:`services.voucher_records.refusal`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import (
    Attachment,
    Carrier,
    Enterprise,
    PaymentNotice,
    ServiceProvider,
    Subdistrict,
    VoucherGrant,
    VoucherRedemption,
    VoucherUse,
)
from models.db import Database
from services.errors import NotFoundError, UserFacingError, ValidationError
from services.payouts import home_district
from services.session import read_session, unit_of_work
from services.text import blank, clean_name, normalize_name, pinyin_initials
from services.voucher_records import CapStatus, GrantDetail, RedemptionRecord, UseRecord, settled_status
from services.voucher_rules import amount_problem, rule_info, wan_text, year_rule

#: Kinds of carrier a maker team may be resident in (众创空间, and its rural form 星创天地).
MAKER_SPACE_KINDS = ("maker_space", "agri_maker")
GRANT_LABELS = {"holder": "申领对象", "enterprise_id": "企业", "maker_team_name": "创客团队",
                "carrier_id": "所在众创空间",
                "year": "年度", "amount_applied_wan": "申领金额", "applied_on": "申领日期", "voucher_no": "券号",
                "amount_issued_wan": "发放金额", "issued_on": "发放日期", "notes": "备注", "reason": "作废原因"}
_VOUCHER_NO = re.compile(r"^[0-9A-Za-z\-_/]{1,40}$")


@dataclass(frozen=True)
class GrantInput:
    """An application (申领): to an enterprise, or to a maker team with its 众创空间; amounts in 万元."""

    year: int
    amount_applied_wan: Decimal
    applied_on: dt.date
    enterprise_id: int | None = None
    maker_team_name: str | None = None
    carrier_id: int | None = None
    voucher_no: str | None = None
    notes: str | None = None


def _load(session: Session, grant_id: int) -> VoucherGrant:
    grant = session.get(VoucherGrant, grant_id)
    if grant is None:
        raise NotFoundError(f"找不到编号为 {grant_id} 的创新券")
    return grant


def _date_problem(day: dt.date | None, label: str, today: dt.date) -> str:
    if day is None:
        return f"请填写{label}"
    if day > today:
        return f"{label}不能晚于今天（{today.isoformat()}）"
    return ""


def _holder_name(session: Session, data: GrantInput) -> tuple[str, dict[str, str]]:
    """The holder's name, or the problems of the holder fields."""
    if (data.enterprise_id is None) == blank(data.maker_team_name):
        return "", {"holder": "请选择一家企业，或填写创客团队名称（二者选一）"}
    if data.enterprise_id is not None:
        ent = session.get(Enterprise, data.enterprise_id)
        if ent is None or ent.deleted_at is not None:
            return "", {"enterprise_id": "企业不在企业库中（或已删除）"}
        return ent.name, {}
    name = clean_name(data.maker_team_name or "")
    problems = {}
    if len(name) > 200:
        problems["maker_team_name"] = "创客团队名称不能超过200个字"
    carrier = session.get(Carrier, data.carrier_id) if data.carrier_id is not None else None
    if carrier is None or carrier.deleted_at is not None:
        problems["carrier_id"] = "创客团队须入驻众创空间：请选择其所在的众创空间"
    elif carrier.kind_code not in MAKER_SPACE_KINDS:
        problems["carrier_id"] = f"“{carrier.name}”不是众创空间；创客团队的创新券须由其入驻的众创空间申领"
    return name, problems


def _holder_grants(session: Session, grant: VoucherGrant | GrantInput, district_id: int) -> list[VoucherGrant]:
    """The holder's grants of the year in this district (a maker team is its name within its space)."""
    stmt = select(VoucherGrant).where(VoucherGrant.district_id == district_id, VoucherGrant.year == grant.year)
    if grant.enterprise_id is not None:
        return list(session.scalars(stmt.where(VoucherGrant.enterprise_id == grant.enterprise_id)))
    norm = normalize_name(grant.maker_team_name or "")
    return [g for g in session.scalars(stmt.where(VoucherGrant.enterprise_id.is_(None),
                                                  VoucherGrant.carrier_id == grant.carrier_id))
            if normalize_name(g.maker_team_name or "") == norm]


def committed_wan(grant: VoucherGrant) -> Decimal:
    """What a grant takes of its holder's cap: the issued amount, or the applied one while pending; none if voided."""
    if grant.status == "作废":
        return Decimal(0)
    return grant.amount_issued_wan if grant.amount_issued_wan is not None else grant.amount_applied_wan


def holder_cap(session: Session, grant: VoucherGrant | GrantInput, holder_name: str,
               exclude_id: int | None = None) -> CapStatus:
    """The holder's cap of the grant's year and what its other grants take."""
    district, rule = year_rule(session, grant.year)
    kind = "enterprise" if grant.enterprise_id is not None else "maker_team"
    cap = rule.enterprise_cap_wan if kind == "enterprise" else rule.maker_team_cap_wan
    taken = sum((committed_wan(g) for g in _holder_grants(session, grant, district.id) if g.id != exclude_id),
                Decimal(0))
    return CapStatus(kind, holder_name, grant.year, cap, taken)


def cap_status(db: Database, year: int, *, enterprise_id: int | None = None, maker_team_name: str | None = None,
               carrier_id: int | None = None, exclude_id: int | None = None) -> CapStatus:
    """What the holder may still apply for in ``year`` (shown before saving)."""
    probe = GrantInput(year, Decimal(0), dt.date(year, 1, 1), enterprise_id, maker_team_name, carrier_id)
    with read_session(db) as session:
        name, problems = _holder_name(session, probe)
        if problems:
            raise ValidationError(problems)
        return holder_cap(session, probe, name, exclude_id)


def next_voucher_no(session: Session, district_name: str, year: int) -> str:
    """The next free number of the year: the district's initials, CXQ, the year and a serial (GSCXQ202500012)."""
    prefix = f"{pinyin_initials(re.sub(r'[区县市]$', '', district_name)).upper()}CXQ{year}"
    serials = [int(no[len(prefix):]) for no in session.scalars(
        select(VoucherGrant.voucher_no).where(VoucherGrant.voucher_no.like(prefix + "%")))
        if no[len(prefix):].isdigit()]
    return f"{prefix}{max(serials, default=0) + 1:05d}"


def application_problems(session: Session, data: GrantInput, today: dt.date) -> tuple[str, dict[str, str]]:
    """The holder's name and the problems of an application, by field (the cap aside)."""
    name, problems = _holder_name(session, data)
    for key, problem in (("amount_applied_wan", amount_problem(data.amount_applied_wan, "申领金额")),
                         ("applied_on", _date_problem(data.applied_on, "申领日期", today))):
        if problem:
            problems[key] = problem
    if data.applied_on is not None and data.applied_on.year != data.year and "applied_on" not in problems:
        problems["applied_on"] = f"申领日期应在{data.year}年内（创新券按年度申领、当年有效）"
    number = (data.voucher_no or "").strip()
    if number and not _VOUCHER_NO.match(number):
        problems["voucher_no"] = "券号只能由字母、数字和“-”“_”“/”组成，不超过40个字符"
    elif number and session.scalar(select(VoucherGrant.id).where(VoucherGrant.voucher_no == number)):
        problems["voucher_no"] = f"券号 {number} 已被使用"
    return name, problems


def apply_grant(db: Database, data: GrantInput, *, user: str | None = None, source: str = "gui",
                today: dt.date | None = None) -> GrantDetail:
    """Record an application (申领), within the holder's cap for the year."""
    today = today or dt.date.today()
    with unit_of_work(db, user=user, source=source) as session:
        name, problems = application_problems(session, data, today)
        if problems:
            raise ValidationError(problems)
        number = (data.voucher_no or "").strip()
        district = home_district(session)
        cap = holder_cap(session, data, name)
        over = cap.refusal(data.amount_applied_wan)
        if over:
            raise ValidationError({"amount_applied_wan": over})
        grant = VoucherGrant(
            voucher_no=number or next_voucher_no(session, district.name, data.year),
            enterprise_id=data.enterprise_id, maker_team_name=name if data.enterprise_id is None else None,
            carrier_id=data.carrier_id if data.enterprise_id is None else None, district_id=district.id,
            year=data.year, amount_applied_wan=data.amount_applied_wan, applied_on=data.applied_on,
            expires_on=dt.date(data.year, 12, 31), status="申领", notes=(data.notes or "").strip() or None)
        session.add(grant)
        session.flush()
        return grant_detail(session, grant.id)


def _refuse(grant: VoucherGrant, action: str, on: dt.date | None, session: Session) -> None:
    detail = grant_detail(session, grant.id)
    reason = detail.refusal(action, on)
    if reason:
        raise UserFacingError(reason)


def issue_problems(grant: VoucherGrant, amount_issued_wan: Decimal | None, issued_on: dt.date | None,
                   today: dt.date) -> dict[str, str]:
    """Problems of issuing ``amount_issued_wan`` on ``issued_on`` for ``grant`` (the cap aside)."""
    problems = {k: p for k, p in (("amount_issued_wan", amount_problem(amount_issued_wan, "发放金额")),
                                  ("issued_on", _date_problem(issued_on, "发放日期", today))) if p}
    if amount_issued_wan is not None and "amount_issued_wan" not in problems \
            and amount_issued_wan > grant.amount_applied_wan:
        problems["amount_issued_wan"] = (f"发放金额 {wan_text(amount_issued_wan)} 不能超过申领金额 "
                                         f"{wan_text(grant.amount_applied_wan)}")
    if issued_on is not None and "issued_on" not in problems \
            and not grant.applied_on <= issued_on <= dt.date(grant.year, 12, 31):
        problems["issued_on"] = f"发放日期应在申领日期（{grant.applied_on.isoformat()}）至 {grant.year}年12月31日之间"
    return problems


def issue_grant(db: Database, grant_id: int, amount_issued_wan: Decimal, issued_on: dt.date, *,
                user: str | None = None, source: str = "gui", today: dt.date | None = None) -> GrantDetail:
    """发放: the amount granted (at most the amount applied for, and within the cap) and the day."""
    today = today or dt.date.today()
    with unit_of_work(db, user=user, source=source) as session:
        grant = _load(session, grant_id)
        _refuse(grant, "issue", None, session)
        problems = issue_problems(grant, amount_issued_wan, issued_on, today)
        if problems:
            raise ValidationError(problems)
        name = grant_detail(session, grant.id).holder_name
        over = holder_cap(session, grant, name, exclude_id=grant.id).refusal(amount_issued_wan)
        if over:
            raise ValidationError({"amount_issued_wan": over})
        grant.amount_issued_wan, grant.issued_on, grant.status = amount_issued_wan, issued_on, "发放"
        session.flush()
        return grant_detail(session, grant.id)


def void_grant(db: Database, grant_id: int, reason: str, *, on: dt.date | None = None, user: str | None = None,
               source: str = "gui") -> GrantDetail:
    """作废: withdraw an application or void an unused grant; the reason is kept in the notes."""
    if blank(reason):
        raise ValidationError({"reason": "请填写作废原因"})
    day = on or dt.date.today()
    with unit_of_work(db, user=user, source=source) as session:
        grant = _load(session, grant_id)
        _refuse(grant, "void", None, session)
        note = f"{day.isoformat()} 作废：{reason.strip()}"
        grant.notes = f"{grant.notes}\n{note}" if grant.notes else note
        grant.status = "作废"
        session.flush()
        return grant_detail(session, grant.id)


def set_grant_notes(db: Database, grant_id: int, notes: str | None, *, user: str | None = None) -> GrantDetail:
    with unit_of_work(db, user=user) as session:
        grant = _load(session, grant_id)
        grant.notes = (notes or "").strip() or None
        session.flush()
        return grant_detail(session, grant.id)


def refresh_status(session: Session, grant: VoucherGrant) -> None:
    """Set the grant's status from its uses and their redemptions (after a use or a redemption changed)."""
    statuses: dict[int, list[str]] = {u: [] for u in session.scalars(
        select(VoucherUse.id).where(VoucherUse.grant_id == grant.id))}
    for use_id, status in session.execute(select(VoucherRedemption.use_id, VoucherRedemption.status)
                                          .where(VoucherRedemption.use_id.in_(statuses))
                                          .order_by(VoucherRedemption.id)):
        statuses[use_id].append(status)
    grant.status = settled_status(grant.status, statuses.values())


def grant_detail(session: Session, grant_id: int) -> GrantDetail:
    """The grant with its holder, uses, redemptions and the rule of its year."""
    g = _load(session, grant_id)
    ent = session.get(Enterprise, g.enterprise_id) if g.enterprise_id is not None else None
    carrier = session.get(Carrier, g.carrier_id) if g.carrier_id is not None else None
    sub_id = ent.subdistrict_id if ent is not None else carrier.subdistrict_id if carrier is not None else None
    sub = session.get(Subdistrict, sub_id) if sub_id is not None else None
    evidence = dict(session.execute(
        select(Attachment.owner_id, func.count()).where(Attachment.owner_table == "voucher_use")
        .where(Attachment.owner_id.in_(select(VoucherUse.id).where(VoucherUse.grant_id == g.id)))
        .group_by(Attachment.owner_id)).tuples().all())
    redemptions = session.execute(
        select(VoucherRedemption, ServiceProvider.name, VoucherUse.contract_no, PaymentNotice.title)
        .join(VoucherUse, VoucherUse.id == VoucherRedemption.use_id)
        .join(ServiceProvider, ServiceProvider.id == VoucherUse.provider_id)
        .outerjoin(PaymentNotice, PaymentNotice.id == VoucherRedemption.notice_id)
        .where(VoucherUse.grant_id == g.id).order_by(VoucherRedemption.applied_on, VoucherRedemption.id)).tuples().all()
    latest = {r.use_id: r.status for r, *_ in redemptions}
    uses = tuple(
        UseRecord(u.id, u.provider_id, provider, u.service_type, u.contract_no, u.contract_amount_wan,
                  u.paid_amount_wan, u.voucher_amount_wan, u.used_on, u.related_party, u.notes,
                  evidence.get(u.id, 0), latest.get(u.id))
        for u, provider in session.execute(
            select(VoucherUse, ServiceProvider.name).join(ServiceProvider, ServiceProvider.id == VoucherUse.provider_id)
            .where(VoucherUse.grant_id == g.id).order_by(VoucherUse.used_on, VoucherUse.id)).tuples())
    return GrantDetail(
        id=g.id, voucher_no=g.voucher_no, holder_kind="enterprise" if ent is not None else "maker_team",
        enterprise_id=g.enterprise_id, holder_name=ent.name if ent is not None else g.maker_team_name or "",
        uscc=ent.uscc if ent is not None else None, carrier_id=g.carrier_id,
        carrier=carrier.name if carrier is not None else None, subdistrict=sub.name if sub is not None else None,
        year=g.year, status=g.status, amount_applied_wan=g.amount_applied_wan, amount_issued_wan=g.amount_issued_wan,
        applied_on=g.applied_on, issued_on=g.issued_on, expires_on=g.expires_on, notes=g.notes, uses=uses,
        redemptions=tuple(
            RedemptionRecord(r.id, r.use_id, provider, contract_no, r.applied_on, r.audited_on, r.status,
                             r.subsidy_wan, r.ratio, r.city_share_wan, r.district_share_wan, r.batch_no, r.notice_id,
                             title, r.paid_on)
            for r, provider, contract_no, title in redemptions),
        rule=rule_info(session, g.district_id, g.year))


def get_grant(db: Database, grant_id: int) -> GrantDetail:
    with read_session(db) as session:
        return grant_detail(session, grant_id)
