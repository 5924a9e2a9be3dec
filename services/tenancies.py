"""Tenants of carriers (在孵企业): entry, graduation with the criteria met, exit, and the incubation period.

Incubation period (RULES.md §1d): 48 months as a rule, 72 for special fields such as 生物医药, 集成电路设计 and
现代农业. The period of a new tenancy is decided here and stored on it (a clerk may correct it):

- 72 months when the enterprise's industry field is 生物与新医药 (``biomed``), when the carrier is a 星创天地
  (agriculture), or when the carrier's specialisation or name names 生物医药/医药, 集成电路 or 农业 — the register's
  eight industry fields cannot tell an IC-design firm from other 电子信息 ones, so IC is recognised by the carrier;
- otherwise the carrier kind's own limit from the catalogue (孵化器 48; 市级众创空间 18, the city rule);
- a kind without a limit (特色小镇, 科创园 …) does not incubate, and a tenancy there is refused.

The period runs from the entry day for that many calendar months: its last day is the day before the same date
N months later (entered 2020-01-15, 48 months → last day 2024-01-14), as a certificate's validity is counted. A
tenant still incubating after that day is over its period.

Graduation (毕业) needs at least one of the four criteria; the register can show evidence for two of them
(:func:`graduation_evidence`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from models import Carrier, CarrierKind, Enterprise, EnterpriseQualification, EnterpriseYearFact, IndustryField, Tenancy
from models.db import Database
from services.counting import valid_at
from services.errors import NotFoundError, ValidationError
from services.session import read_session, unit_of_work
from services.text import blank

#: The four graduation criteria (any one suffices), by the code stored on the tenancy.
GRADUATION_CRITERIA = {
    "高企": "经国家备案通过的高新技术企业",
    "融资": "累计获得天使或风险投资超过500万元",
    "收入": "连续2年营业收入累计超过1000万元",
    "并购上市": "被兼并、收购或在国内外资本市场挂牌、上市",
}
#: The longer incubation period of special fields, in months.
LONG_MONTHS = 72
#: Words in a carrier's specialisation or name that make it a carrier of a special field.
SPECIAL_FIELD_WORDS = ("生物医药", "医药", "集成电路", "农业")
#: A tenant should have been founded at most this many months before entry.
MAX_AGE_ON_ENTRY_MONTHS = 24


def add_months(day: dt.date, months: int) -> dt.date:
    """The same date ``months`` later (the month's last day when the month is shorter)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def period_end(entered_on: dt.date, months: int) -> dt.date:
    """The last day of an incubation period of ``months`` starting on ``entered_on``."""
    return add_months(entered_on, months) - dt.timedelta(days=1)


def default_months(kind_code: str, kind_months: int | None, carrier_text: str,
                   industry_field_code: str | None) -> tuple[int | None, str]:
    """The incubation period a new tenant gets, with the reason (see the module's rule)."""
    if kind_months is None:
        return None, "该类载体不开展孵化"
    if industry_field_code == "biomed":
        return LONG_MONTHS, "企业行业领域为生物与新医药"
    if kind_code == "agri_maker":
        return LONG_MONTHS, "星创天地（现代农业）"
    word = next((w for w in SPECIAL_FIELD_WORDS if w in carrier_text), None)
    if word is not None:
        return LONG_MONTHS, f"载体专业方向为{word}"
    return kind_months, "按载体类型"


@dataclass(frozen=True)
class TenancyInput:
    """A tenant's entry. ``incubation_months`` None: decided by :func:`default_months`."""

    enterprise_id: int
    entered_on: dt.date
    incubation_months: int | None = None
    notes: str | None = None


@dataclass(frozen=True)
class TenancyRecord:
    """A tenancy as the tenants tab shows it.

    Attributes:
        status: 在孵, 毕业 or 退出.
        period_end: The last day of the incubation period.
        days_left: Days from ``as_of`` to ``period_end`` (negative once over).
        over_period: Still incubating after ``period_end``.
        criteria: Graduation criteria met (codes of :data:`GRADUATION_CRITERIA`).
        warnings: Remarks on the entry (founded more than 24 months before it …).
    """

    id: int
    carrier_id: int
    carrier_name: str
    enterprise_id: int
    enterprise_name: str
    uscc: str | None
    industry_field: str | None
    entered_on: dt.date
    left_on: dt.date | None
    exit_kind: str | None
    criteria: tuple[str, ...]
    incubation_months: int
    period_end: dt.date
    days_left: int
    over_period: bool
    status: str
    notes: str | None
    warnings: tuple[str, ...]


def _check_day(day: dt.date, label: str, key: str, problems: dict[str, str], today: dt.date) -> None:
    if day > today:
        problems[key] = f"{label}不能晚于今天"
    elif day.year < 1990:
        problems[key] = f"{label}不能早于1990年"


def _check_months(months: int | None, problems: dict[str, str]) -> None:
    if months is not None and not 1 <= months <= 120:
        problems["incubation_months"] = "孵化期应为1–120个月"


def _notes(text: str | None) -> str | None:
    return None if blank(text) else str(text).strip()[:2000]


def _load(session: Session, tenancy_id: int) -> Tenancy:
    tenancy = session.get(Tenancy, tenancy_id)
    if tenancy is None:
        raise NotFoundError(f"找不到编号为 {tenancy_id} 的在孵记录")
    return tenancy


def _overlapping(session: Session, enterprise_id: int, entered_on: dt.date, exclude: int | None) -> str | None:
    """A tenancy of the enterprise that is still open on ``entered_on`` or later, described; None if none."""
    t = Tenancy
    stmt = (select(Carrier.name, t.entered_on).join(Carrier, Carrier.id == t.carrier_id)
            .where(t.enterprise_id == enterprise_id, (t.left_on.is_(None)) | (t.left_on > entered_on)))
    if exclude is not None:
        stmt = stmt.where(t.id != exclude)
    found = session.execute(stmt.limit(1)).first()
    return f"该企业已在“{found[0]}”孵化（{found[1].isoformat()} 入驻），请先登记其毕业或退出" if found else None


def add_tenancy(db: Database, carrier_id: int, data: TenancyInput, *, user: str | None = None,
                today: dt.date | None = None) -> TenancyRecord:
    """Record an enterprise entering a carrier; its incubation period follows the module's rule unless given."""
    today = today or dt.date.today()
    problems: dict[str, str] = {}
    _check_day(data.entered_on, "入驻日期", "entered_on", problems, today)
    _check_months(data.incubation_months, problems)
    with unit_of_work(db, user=user) as session:
        carrier = session.get(Carrier, carrier_id)
        if carrier is None:
            raise NotFoundError(f"找不到编号为 {carrier_id} 的载体")
        kind = session.get(CarrierKind, carrier.kind_code)
        assert kind is not None  # a foreign key
        enterprise = session.get(Enterprise, data.enterprise_id)
        if enterprise is None or enterprise.deleted_at is not None:
            problems["enterprise_id"] = "请从企业库中选择在册企业"
        elif (clash := _overlapping(session, enterprise.id, data.entered_on, None)) is not None:
            problems["enterprise_id"] = clash
        if carrier.deleted_at is not None:
            problems["enterprise_id"] = f"载体“{carrier.name}”已删除，请先恢复"
        months, reason = default_months(carrier.kind_code, kind.incubation_months,
                                        f"{carrier.specialization or ''} {carrier.name}",
                                        enterprise.industry_field_code if enterprise else None)
        if months is None:
            problems["enterprise_id"] = f"{kind.name}不开展孵化，不能登记在孵企业"
        if problems:
            raise ValidationError(problems)
        assert enterprise is not None and months is not None
        tenancy = Tenancy(carrier_id=carrier_id, enterprise_id=enterprise.id, entered_on=data.entered_on,
                          incubation_months=data.incubation_months or months, notes=_notes(data.notes))
        session.add(tenancy)
        session.flush()
        return _records(session, [tenancy.id], today)[0]


def default_months_for(db: Database, carrier_id: int, enterprise_id: int) -> tuple[int | None, str]:
    """The period :func:`add_tenancy` would give this enterprise in this carrier, with the reason (for forms)."""
    with read_session(db) as session:
        carrier = session.get(Carrier, carrier_id)
        enterprise = session.get(Enterprise, enterprise_id)
        if carrier is None or enterprise is None:
            raise NotFoundError("找不到该载体或企业")
        kind = session.get(CarrierKind, carrier.kind_code)
        assert kind is not None
        return default_months(carrier.kind_code, kind.incubation_months,
                              f"{carrier.specialization or ''} {carrier.name}", enterprise.industry_field_code)


def update_tenancy(db: Database, tenancy_id: int, *, entered_on: dt.date, incubation_months: int,
                   notes: str | None = None, user: str | None = None, today: dt.date | None = None) -> TenancyRecord:
    """Correct a tenancy's entry date, incubation period and notes."""
    today = today or dt.date.today()
    problems: dict[str, str] = {}
    _check_day(entered_on, "入驻日期", "entered_on", problems, today)
    _check_months(incubation_months, problems)
    with unit_of_work(db, user=user) as session:
        tenancy = _load(session, tenancy_id)
        if tenancy.left_on is not None and entered_on > tenancy.left_on:
            problems["entered_on"] = f"入驻日期不能晚于离开日期（{tenancy.left_on.isoformat()}）"
        clash = _overlapping(session, tenancy.enterprise_id, entered_on, tenancy.id) \
            if tenancy.left_on is None and entered_on != tenancy.entered_on else None
        if clash:
            problems["entered_on"] = clash
        if problems:
            raise ValidationError(problems)
        tenancy.entered_on = entered_on
        tenancy.incubation_months = incubation_months
        tenancy.notes = _notes(notes)
        session.flush()
        return _records(session, [tenancy.id], today)[0]


def _leave(db: Database, tenancy_id: int, left_on: dt.date, kind: str, criteria: tuple[str, ...],
           note: str | None, user: str | None, today: dt.date | None) -> TenancyRecord:
    today = today or dt.date.today()
    problems: dict[str, str] = {}
    _check_day(left_on, "离开日期", "left_on", problems, today)
    if kind == "毕业":
        if not criteria:
            problems["criteria"] = "毕业须至少满足一项毕业条件"
        elif unknown := [c for c in criteria if c not in GRADUATION_CRITERIA]:
            problems["criteria"] = f"未知的毕业条件：{'、'.join(unknown)}"
    with unit_of_work(db, user=user) as session:
        tenancy = _load(session, tenancy_id)
        if tenancy.left_on is not None:
            problems["left_on"] = f"该企业已于 {tenancy.left_on.isoformat()} {tenancy.exit_kind}"
        elif left_on < tenancy.entered_on:
            problems["left_on"] = f"离开日期不能早于入驻日期（{tenancy.entered_on.isoformat()}）"
        if problems:
            raise ValidationError(problems)
        tenancy.left_on = left_on
        tenancy.exit_kind = kind
        tenancy.graduation_criteria = ",".join(c for c in GRADUATION_CRITERIA if c in criteria) or None
        if note:
            tenancy.notes = _notes(f"{tenancy.notes}\n{note}" if tenancy.notes else note)
        session.flush()
        return _records(session, [tenancy.id], today)[0]


def graduate(db: Database, tenancy_id: int, left_on: dt.date, criteria: tuple[str, ...], *,
             notes: str | None = None, user: str | None = None, today: dt.date | None = None) -> TenancyRecord:
    """The tenant graduates (毕业) on ``left_on``, meeting ``criteria`` (codes of :data:`GRADUATION_CRITERIA`)."""
    return _leave(db, tenancy_id, left_on, "毕业", tuple(criteria), _notes(notes), user, today)


def exit_tenancy(db: Database, tenancy_id: int, left_on: dt.date, *, reason: str | None = None,
                 user: str | None = None, today: dt.date | None = None) -> TenancyRecord:
    """The tenant leaves without graduating (退出), with the reason kept in the notes."""
    note = f"退出原因：{reason.strip()}" if reason and reason.strip() else None
    return _leave(db, tenancy_id, left_on, "退出", (), note, user, today)


def reopen_tenancy(db: Database, tenancy_id: int, *, user: str | None = None) -> TenancyRecord:
    """Take back a graduation or exit entered by mistake: the tenant is incubating again."""
    with unit_of_work(db, user=user) as session:
        tenancy = _load(session, tenancy_id)
        clash = _overlapping(session, tenancy.enterprise_id, tenancy.entered_on, tenancy.id)
        if clash:
            raise ValidationError({"left_on": clash})
        tenancy.left_on = None
        tenancy.exit_kind = None
        tenancy.graduation_criteria = None
        session.flush()
        return _records(session, [tenancy.id])[0]


def remove_tenancy(db: Database, tenancy_id: int, *, user: str | None = None) -> None:
    """Delete a tenancy entered by mistake (audited)."""
    with unit_of_work(db, user=user) as session:
        session.delete(_load(session, tenancy_id))


def _records(session: Session, ids: list[int], as_of: dt.date | None = None) -> list[TenancyRecord]:
    day = as_of or dt.date.today()
    t, e = Tenancy, Enterprise
    rows = session.execute(
        select(t, Carrier.name, e.name, e.uscc, IndustryField.name, e.registered_on)
        .join(Carrier, Carrier.id == t.carrier_id).join(e, e.id == t.enterprise_id)
        .outerjoin(IndustryField, IndustryField.code == e.industry_field_code).where(t.id.in_(ids))
        .order_by(t.left_on.is_not(None), t.entered_on, t.id)).tuples()
    out = []
    for tenancy, carrier, name, uscc, industry, founded in rows:
        end = period_end(tenancy.entered_on, tenancy.incubation_months)
        incubating = tenancy.left_on is None or tenancy.left_on > day
        warnings = []
        if founded is not None and add_months(founded, MAX_AGE_ON_ENTRY_MONTHS) < tenancy.entered_on:
            warnings.append(f"入驻时企业已成立超过{MAX_AGE_ON_ENTRY_MONTHS}个月（成立于 {founded.isoformat()}）")
        out.append(TenancyRecord(
            id=tenancy.id, carrier_id=tenancy.carrier_id, carrier_name=carrier, enterprise_id=tenancy.enterprise_id,
            enterprise_name=name, uscc=uscc, industry_field=industry, entered_on=tenancy.entered_on,
            left_on=tenancy.left_on, exit_kind=tenancy.exit_kind,
            criteria=tuple(c for c in (tenancy.graduation_criteria or "").split(",") if c),
            incubation_months=tenancy.incubation_months, period_end=end, days_left=(end - day).days,
            over_period=incubating and end < day, status="在孵" if incubating else tenancy.exit_kind or "在孵",
            notes=tenancy.notes, warnings=tuple(warnings)))
    return out


def list_tenancies(db: Database, carrier_id: int, *, as_of: dt.date | None = None) -> list[TenancyRecord]:
    """The carrier's tenants: incubating ones first (by entry), then those who left."""
    with read_session(db) as session:
        ids = list(session.scalars(select(Tenancy.id).where(Tenancy.carrier_id == carrier_id)))
        return _records(session, ids, as_of)


def incubating_tenancies(session: Session, as_of: dt.date) -> Iterator[TenancyRecord]:
    """Every tenancy incubating on ``as_of`` in a carrier and of an enterprise not removed (for reminders)."""
    ids = list(session.scalars(
        select(Tenancy.id).join(Carrier, Carrier.id == Tenancy.carrier_id)
        .join(Enterprise, Enterprise.id == Tenancy.enterprise_id)
        .where(Tenancy.entered_on <= as_of, (Tenancy.left_on.is_(None)) | (Tenancy.left_on > as_of),
               Carrier.deleted_at.is_(None), Enterprise.deleted_at.is_(None))))
    for start in range(0, len(ids), 500):
        yield from _records(session, ids[start:start + 500], as_of)


def graduation_evidence(db: Database, tenancy_id: int, on: dt.date) -> dict[str, str]:
    """What the register shows for the criteria it can judge, as of ``on``: criterion → evidence.

    高企: a 国家高新技术企业 certificate valid on ``on``. 收入: two consecutive years up to ``on``'s year whose
    revenues together exceed 1000万元. Financing and mergers or listings are not in the register.
    """
    with read_session(db) as session:
        tenancy = _load(session, tenancy_id)
        q = EnterpriseQualification
        found: dict[str, str] = {}
        cert = session.execute(select(q.year, q.certificate_no).where(
            q.enterprise_id == tenancy.enterprise_id, q.type_code == "national_hte", valid_at(on))
            .order_by(q.certified_on.desc()).limit(1)).first()
        if cert is not None:
            found["高企"] = f"{cert[0]}年认定国家高新技术企业" + (f"（证书 {cert[1]}）" if cert[1] else "")
        f = EnterpriseYearFact
        revenue = {year: amount for year, amount in session.execute(select(f.year, f.revenue_wan).where(and_(
            f.enterprise_id == tenancy.enterprise_id, f.year <= on.year, f.revenue_wan.is_not(None)))).tuples()
            if amount is not None}
        for year in sorted(revenue, reverse=True):
            if year - 1 in revenue and revenue[year] + revenue[year - 1] > 1000:
                total = revenue[year] + revenue[year - 1]
                found["收入"] = f"{year - 1}—{year}年营业收入合计 {total:,.2f} 万元"
                break
    return found

