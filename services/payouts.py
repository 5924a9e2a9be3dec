"""Policy pay-outs (政策兑现): notices with their payments — what they are, their status, and how they are read.

A notice (通知) pays one programme for one cohort year, often in numbered batches (DOMAIN §6.2); each payment goes to
an enterprise or a carrier and is split into the city's and the district's share. The share follows the district's
kind (DOMAIN §1.3: 主城区 50:50, the others 25:75, ``District.city_share_pct``) unless a share is given: the city's
share is the total times the city's percentage rounded to the 分 (half up), and the district's share is the total
minus the city's, so that the two always add up to the total exactly.

A notice moves through 草稿 (editable) → 已审核 → 已公示 → 已批准 (a manager) → payments marked paid
(:mod:`services.payouts_workflow`); its status is read from the dates and names recorded for each step.
Changes are in :mod:`services.payouts_edit`, totals in :mod:`services.payouts_summary`, the workbook of a notice
in :mod:`services.payouts_export`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from models import AppSetting, Carrier, District, Enterprise, Payment, PaymentNotice, Subdistrict
from models.db import Database
from services.errors import NotFoundError
from services.register import apply_search
from services.session import read_session
from services.settings import SPECS
from services.text import normalize_name, pinyin_initials

DRAFT, AUDITED, PUBLICIZED, APPROVED, PAID = "草稿", "已审核", "已公示", "已批准", "已兑付"
#: The statuses of a notice, in workflow order.
STATUSES = (DRAFT, AUDITED, PUBLICIZED, APPROVED, PAID)
#: One 分 in 万元: amounts are exact to it.
FEN = Decimal("0.000001")
ENTERPRISE, CARRIER = "企业", "载体"
#: Programmes a district pays (DOMAIN §6.1), offered when a notice is entered; any other name may be typed.
PROGRAMMES = ("国高企申报补助", "国高企认定奖励", "国高企重新认定奖励", "市高企奖励", "研发机构认定奖励",
              "研发投入补助", "旭日计划奖励", "发明专利资助", "知识产权贯标奖励", "众创空间房租补贴",
              "众创空间品牌活动补助", "孵化器补助", "创新券补助", "产学研合作补助")
#: Programmes whose notices are innovation-voucher redemption batches (the 创新券 page makes and settles them).
VOUCHER_PROGRAMMES = ("创新券补助", "创新券")
#: Verbs and endings of notice titles (DOMAIN §6.2): vouchers are 下达, everything else 兑现.
_ISSUE_VERB = {"创新券": "下达"}
_TITLE_ENDINGS = ("资金", "经费")
_NUMERALS = "零一二三四五六七八九"


def split_shares(total_wan: Decimal, city_pct: int) -> tuple[Decimal, Decimal]:
    """(city, district) shares of ``total_wan``: the city's rounded to the 分 half up, the district's the rest.

    >>> split_shares(Decimal("0.000003"), 25)
    (Decimal('0.000001'), Decimal('0.000002'))
    """
    city = (total_wan * city_pct / 100).quantize(FEN, rounding=ROUND_HALF_UP)
    return city, total_wan - city


def chinese_ordinal(number: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (batch numbers as notices write them); larger numbers stay digits."""
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    if tens == 0:
        return _NUMERALS[ones]
    return ("" if tens == 1 else _NUMERALS[tens]) + "十" + (_NUMERALS[ones] if ones else "")


def suggest_title(programme: str, cohort_year: int, *, district: str, batch_no: int | None = None) -> str:
    """A notice title after the pattern of DOMAIN §6.2.

    ``关于{兑现|下达}[区名]{cohort year}年度[第N批]{programme}{资金|经费}的通知``, e.g.
    "关于兑现拱墅区2018年度第一批研发投入补助资金的通知".
    """
    name = programme.strip()
    verb = next((v for key, v in _ISSUE_VERB.items() if key in name), "兑现")
    ending = "" if name.endswith(_TITLE_ENDINGS) else "资金"
    batch = f"第{chinese_ordinal(batch_no)}批" if batch_no else ""
    return f"关于{verb}{district}{cohort_year}年度{batch}{name}{ending}的通知"


def notice_status(audited: bool, publicized_on: dt.date | None, approved: bool, payments: int, paid: int) -> str:
    """The furthest step a notice has reached: approved with every payment paid is 已兑付."""
    if approved:
        return PAID if payments and paid == payments else APPROVED
    if publicized_on is not None:
        return PUBLICIZED
    return AUDITED if audited else DRAFT


@dataclass(frozen=True)
class NoticeInput:
    """What a clerk enters for a notice.

    Attributes:
        title: 通知标题 (without 《》).
        programme: 政策项目, e.g. 国高企认定奖励.
        cohort_year: 认定（兑现）年度: the year the payments are for, usually the year before the notice.
        issued_on: 发文日期.
        doc_no: 文号, e.g. 拱科发〔2019〕12号.
        batch_no: 批次 (第N批), when the programme pays in batches.
        notes: 备注.
        district_id: The paying district; None for the bureau's own (the ``district`` setting).
    """

    title: str
    programme: str
    cohort_year: int
    issued_on: dt.date
    doc_no: str | None = None
    batch_no: int | None = None
    notes: str | None = None
    district_id: int | None = None


@dataclass(frozen=True)
class PaymentInput:
    """One payment as entered: the payee (an enterprise or a carrier), the item and the amounts in 万元.

    Attributes:
        enterprise_id: The enterprise paid (or None).
        carrier_id: The carrier paid (or None); exactly one of the two.
        item: 兑现项目 (defaults to the notice's programme).
        amount_total_wan: 兑现金额.
        amount_city_wan: 市级资金; None computes it from the district's share.
        id: The stored payment this replaces; None for a new one.
    """

    amount_total_wan: Decimal
    enterprise_id: int | None = None
    carrier_id: int | None = None
    item: str | None = None
    amount_city_wan: Decimal | None = None
    id: int | None = None

    @classmethod
    def to_payee(cls, kind: str, payee_id: int, amount_total_wan: Decimal, *, item: str | None = None,
                 amount_city_wan: Decimal | None = None, payment_id: int | None = None) -> PaymentInput:
        """A payment to the enterprise or the carrier ``payee_id`` (``kind``: :data:`ENTERPRISE` or
        :data:`CARRIER`)."""
        return cls(amount_total_wan, payee_id if kind == ENTERPRISE else None, payee_id if kind == CARRIER else None,
                   item, amount_city_wan, payment_id)


@dataclass(frozen=True)
class PaymentRow:
    """One payment of a notice as the grid and the export show it."""

    id: int
    payee_kind: str
    payee_id: int
    name: str
    uscc: str | None
    subdistrict: str | None
    item: str
    amount_total_wan: Decimal
    amount_city_wan: Decimal
    amount_district_wan: Decimal
    paid_on: dt.date | None

    def as_input(self) -> PaymentInput:
        return PaymentInput.to_payee(self.payee_kind, self.payee_id, self.amount_total_wan, item=self.item,
                                     amount_city_wan=self.amount_city_wan, payment_id=self.id)


@dataclass(frozen=True)
class NoticeRow:
    """One line of the notice list."""

    id: int
    title: str
    doc_no: str | None
    programme: str
    cohort_year: int
    batch_no: int | None
    issued_on: dt.date
    status: str
    payments: int
    paid: int
    total_wan: Decimal
    city_wan: Decimal
    district_wan: Decimal


@dataclass(frozen=True)
class NoticeDetail:
    """A notice with its payments, totals and what may be done with it next.

    Attributes:
        district: The paying district's name; ``city_share_pct`` its city share in percent.
        approved_by / approved_at: Who approved and when (None before approval).
        warnings: Payments that look like duplicates of payments in other notices.
    """

    id: int
    title: str
    doc_no: str | None
    programme: str
    cohort_year: int
    batch_no: int | None
    issued_on: dt.date
    notes: str | None
    district_id: int
    district: str
    city_share_pct: int
    audited: bool
    publicized_on: dt.date | None
    approved_by: str | None
    approved_at: dt.datetime | None
    status: str
    payments: tuple[PaymentRow, ...]
    warnings: tuple[str, ...]

    @property
    def editable(self) -> bool:
        return self.status == DRAFT

    @property
    def total_wan(self) -> Decimal:
        return sum((p.amount_total_wan for p in self.payments), Decimal(0))

    @property
    def city_wan(self) -> Decimal:
        return sum((p.amount_city_wan for p in self.payments), Decimal(0))

    @property
    def district_wan(self) -> Decimal:
        return sum((p.amount_district_wan for p in self.payments), Decimal(0))

    def as_input(self) -> NoticeInput:
        return NoticeInput(self.title, self.programme, self.cohort_year, self.issued_on, self.doc_no, self.batch_no,
                           self.notes, self.district_id)


@dataclass(frozen=True)
class PayeeRow:
    """An enterprise or a carrier that can be paid (the payee search)."""

    kind: str
    id: int
    name: str
    uscc: str | None
    subdistrict: str | None


@dataclass(frozen=True)
class NoticeFilter:
    """The notice list's filters: issue year, programme, status and a search text (title, 文号, payees)."""

    year: int | None = None
    programme: str | None = None
    status: str | None = None
    query: str = ""


@dataclass(frozen=True)
class NoticeOptions:
    """What the list's filters offer: years with notices, programmes used, and the home district's share."""

    years: tuple[int, ...]
    programmes: tuple[str, ...]
    district: str
    city_share_pct: int


# --- reading -----------------------------------------------------------------------------------------------------


def home_district(session: Session) -> District:
    """The district the bureau serves (the ``district`` setting)."""
    stored = session.get(AppSetting, "district")
    name = stored.value if stored is not None and stored.value else next(s.default for s in SPECS
                                                                         if s.key == "district")
    district = session.scalar(select(District).where(District.name == name))
    if district is None:
        raise NotFoundError(f"设置中的所属区县“{name}”不在区县表中，请在“备份与设置”中重新选择。")
    return district


def _paid_count() -> Select:  # type: ignore[type-arg]
    return select(Payment.notice_id, func.count().label("payments"), func.count(Payment.paid_on).label("paid"),
                  func.coalesce(func.sum(Payment.amount_total_wan), 0).label("total"),
                  func.coalesce(func.sum(Payment.amount_city_wan), 0).label("city"),
                  func.coalesce(func.sum(Payment.amount_district_wan), 0).label("district")
                  ).group_by(Payment.notice_id)


def _status_condition(status: str, payments: ColumnElement[int], paid: ColumnElement[int]) -> ColumnElement[bool]:
    """SQL for "the notice has ``status``" (:func:`notice_status` as a condition)."""
    n = PaymentNotice
    approved = or_(n.approved_at.is_not(None), n.approved_by.is_not(None))
    all_paid = and_(func.coalesce(payments, 0) > 0, paid == payments)  # type: ignore[arg-type]
    if status == PAID:
        return and_(approved, all_paid)
    if status == APPROVED:
        return and_(approved, ~all_paid)
    if status == PUBLICIZED:
        return and_(~approved, n.publicized_on.is_not(None))
    if status == AUDITED:
        return and_(~approved, n.publicized_on.is_(None), n.audited.is_(True))
    return and_(~approved, n.publicized_on.is_(None), n.audited.is_(False))


def _notice_search(query: str) -> list[ColumnElement[bool]]:
    """Conditions: every term in the title, 文号, programme, or a payee's name, credit code or initials."""
    n, p = PaymentNotice, Payment
    conditions = []
    for term in query.split():
        like = f"%{term.replace('%', '').replace('_', '')}%"
        by_enterprise = apply_search(select(Enterprise.id), term).where(Enterprise.id == p.enterprise_id)
        carrier_norm = normalize_name(term)
        conditions.append(or_(
            n.title.ilike(like), n.doc_no.ilike(like), n.programme.ilike(like),
            exists(by_enterprise.with_only_columns(p.id).where(p.notice_id == n.id)),
            exists(select(p.id).join(Carrier, Carrier.id == p.carrier_id)
                   .where(p.notice_id == n.id, Carrier.name_norm.ilike(f"%{carrier_norm}%"))),
        ))
    return conditions


def list_notices(db: Database, flt: NoticeFilter = NoticeFilter()) -> list[NoticeRow]:  # noqa: B008 - frozen
    """Notices matching ``flt``, newest first, with their payment counts and totals."""
    n = PaymentNotice
    counts = _paid_count().subquery()
    stmt = (select(n.id, n.title, n.doc_no, n.programme, n.cohort_year, n.batch_no, n.issued_on, n.audited,
                   n.publicized_on, or_(n.approved_at.is_not(None), n.approved_by.is_not(None)),
                   func.coalesce(counts.c.payments, 0), func.coalesce(counts.c.paid, 0),
                   func.coalesce(counts.c.total, 0), func.coalesce(counts.c.city, 0),
                   func.coalesce(counts.c.district, 0))
            .outerjoin(counts, counts.c.notice_id == n.id)
            .order_by(n.issued_on.desc(), n.id.desc()))
    if flt.year is not None:
        stmt = stmt.where(n.issued_on >= dt.date(flt.year, 1, 1), n.issued_on <= dt.date(flt.year, 12, 31))
    if flt.programme:
        stmt = stmt.where(n.programme == flt.programme)
    if flt.status:
        stmt = stmt.where(_status_condition(flt.status, counts.c.payments, counts.c.paid))
    for condition in _notice_search(flt.query.strip()):
        stmt = stmt.where(condition)
    with read_session(db) as session:
        rows = session.execute(stmt).tuples().all()
    return [NoticeRow(i, title, doc_no, programme, cohort, batch, issued,
                      notice_status(audited, publicized, approved, payments, paid), payments, paid,
                      total, city, district)
            for (i, title, doc_no, programme, cohort, batch, issued, audited, publicized, approved, payments, paid,
                 total, city, district) in rows]


def notice_options(db: Database) -> NoticeOptions:
    """Years (of issue) and programmes that notices use, and the home district with its city share."""
    n = PaymentNotice
    with read_session(db) as session:
        issued = session.scalars(select(n.issued_on).distinct()).all()
        programmes = session.scalars(select(n.programme).distinct().order_by(n.programme)).all()
        district = home_district(session)
        return NoticeOptions(tuple(sorted({d.year for d in issued}, reverse=True)), tuple(programmes),
                             district.name, district.city_share_pct)


def notice_detail(db: Database, notice_id: int) -> NoticeDetail:
    """The notice with its payments (in name order) and the duplicate warnings."""
    with read_session(db) as session:
        return read_notice(session, notice_id)


def read_notice(session: Session, notice_id: int) -> NoticeDetail:
    """:func:`notice_detail` within a session."""
    notice = session.get(PaymentNotice, notice_id)
    if notice is None:
        raise NotFoundError(f"找不到编号为 {notice_id} 的兑现通知，可能已被删除。")
    district = session.get(District, notice.district_id)
    assert district is not None
    payments = tuple(_payment_rows(session, notice_id))
    return NoticeDetail(
        notice.id, notice.title, notice.doc_no, notice.programme, notice.cohort_year, notice.batch_no,
        notice.issued_on, notice.notes, district.id, district.name, district.city_share_pct, notice.audited,
        notice.publicized_on, notice.approved_by, notice.approved_at,
        notice_status(notice.audited, notice.publicized_on, notice.approved_at is not None
                      or notice.approved_by is not None, len(payments), sum(p.paid_on is not None for p in payments)),
        payments, tuple(duplicate_warnings(session, notice)))


def _payment_rows(session: Session, notice_id: int) -> list[PaymentRow]:
    p, e, c = Payment, Enterprise, Carrier
    sub = Subdistrict
    rows = session.execute(
        select(p.id, p.enterprise_id, p.carrier_id, func.coalesce(e.name, c.name), e.uscc, sub.name, p.item,
               p.amount_total_wan, p.amount_city_wan, p.amount_district_wan, p.paid_on)
        .outerjoin(e, e.id == p.enterprise_id).outerjoin(c, c.id == p.carrier_id)
        .outerjoin(sub, sub.id == func.coalesce(e.subdistrict_id, c.subdistrict_id))
        .where(p.notice_id == notice_id).order_by(p.id)).tuples().all()
    return [PaymentRow(i, ENTERPRISE if ent is not None else CARRIER, ent if ent is not None else car, name, uscc,
                       subdistrict, item, total, city, district, paid)
            for i, ent, car, name, uscc, subdistrict, item, total, city, district, paid in rows]


def duplicate_warnings(session: Session, notice: PaymentNotice) -> list[str]:
    """Payees of ``notice`` paid for the same programme and cohort year in another notice (not for voucher
    batches: a holder's redemptions of one year are often paid in two batches)."""
    if notice.programme in VOUCHER_PROGRAMMES:
        return []
    p, other = Payment, PaymentNotice
    mine = select(p.enterprise_id, p.carrier_id).where(p.notice_id == notice.id).subquery()
    rows = session.execute(
        select(func.coalesce(Enterprise.name, Carrier.name), other.title, other.doc_no)
        .select_from(p).join(other, other.id == p.notice_id)
        .outerjoin(Enterprise, Enterprise.id == p.enterprise_id).outerjoin(Carrier, Carrier.id == p.carrier_id)
        .where(other.id != notice.id, other.programme == notice.programme, other.cohort_year == notice.cohort_year,
               or_(p.enterprise_id.in_(select(mine.c.enterprise_id).where(mine.c.enterprise_id.is_not(None))),
                   p.carrier_id.in_(select(mine.c.carrier_id).where(mine.c.carrier_id.is_not(None)))))
        .order_by(other.issued_on, other.id)).tuples().all()
    return [f"“{name}”已在《{title}》{f'（{doc_no}）' if doc_no else ''}中兑现过{notice.cohort_year}年度"
            f"“{notice.programme}”，请核实是否重复兑现。" for name, title, doc_no in rows]


def search_payees(db: Database, query: str, *, limit: int = 50) -> list[PayeeRow]:
    """Enterprises and carriers whose name, credit code or pinyin initials match ``query`` (enterprises first)."""
    query = query.strip()
    if not query:
        return []
    e, c, sub = Enterprise, Carrier, Subdistrict
    with read_session(db) as session:
        found = session.execute(
            apply_search(select(e.id, e.name, e.uscc, sub.name).outerjoin(sub, sub.id == e.subdistrict_id)
                         .where(e.deleted_at.is_(None)), query)
            .order_by(e.name_norm, e.id).limit(limit)).tuples().all()
        rows = [PayeeRow(ENTERPRISE, i, name, uscc, subdistrict) for i, name, uscc, subdistrict in found]
        carriers = session.execute(select(c.id, c.name, c.name_norm, sub.name)
                                   .outerjoin(sub, sub.id == c.subdistrict_id)
                                   .where(c.deleted_at.is_(None)).order_by(c.name_norm, c.id)).tuples().all()
    terms = [(normalize_name(t), t.lower()) for t in query.split()]
    for i, name, norm, subdistrict in carriers:
        initials = pinyin_initials(name)
        if all(t in norm or (low.isascii() and low in initials) for t, low in terms):
            rows.append(PayeeRow(CARRIER, i, name, None, subdistrict))
    return rows[:limit]
