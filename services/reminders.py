"""Reminders: what needs doing soon, and what is overdue, as of one day.

A reminder is only ever about a date still ahead (RULES.md: never remind after the date has passed). Things with a
deadline that passed while something is still to be done (a 年报 not filed, a visit issue still open) are *overdue*
and listed apart; a certificate that simply ran out is neither — it has expired, which the register shows.

Each kind of reminder is a :class:`ReminderKind` in :data:`KINDS` with a collector ``(session, as_of) → reminders``.
Other areas (carriers, vouchers) add theirs with :func:`register_kind`; :func:`collect_reminders` runs them all.

Tenants reach the end of their incubation period (:mod:`services.tenancies`): reminded from
:data:`INCUBATION_LEAD_DAYS` before its last day, and overdue — for as long as they are still incubating, since
graduating or leaving can always still be recorded — once it has passed. Such a reminder opens the carrier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session, aliased

from models import (
    Enterprise,
    EnterpriseQualification,
    QualificationAnnualReport,
    QualificationType,
    Visit,
    VisitIssue,
)
from models.db import Database
from services.counting import valid_at
from services.qualifications import annual_report_due
from services.session import read_session
from services.tenancies import incubating_tenancies

#: Lead times of certificate reminders, in days: a reminder falls in the smallest band its days left fit.
BANDS = (30, 90, 180)
#: Open visit issues are reminded this many days before their due date.
ISSUE_LEAD_DAYS = 30
#: An overdue item is listed for this long after its date; older ones can no longer be acted on.
OVERDUE_WINDOW_DAYS = 365
#: Tenants are reminded this many days before the last day of their incubation period.
INCUBATION_LEAD_DAYS = 90


@dataclass(frozen=True)
class Reminder:
    """One thing to do by a date.

    Attributes:
        kind: Code of its :class:`ReminderKind`.
        subject_table: The record it concerns: ``enterprise`` (or ``carrier`` …).
        subject_id: That record's id.
        subject_name: Its name, as shown.
        title: What is due, e.g. 国高企证书到期.
        detail: More about it, e.g. the certificate number and batch.
        due_on: The date.
        days_left: Days from ``as_of`` to ``due_on``; negative when overdue.
    """

    kind: str
    subject_table: str
    subject_id: int
    subject_name: str
    title: str
    detail: str
    due_on: dt.date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def band(self) -> int | None:
        """The lead-time band (30, 90 or 180 days) of an upcoming reminder; None when overdue or further out."""
        return next((b for b in BANDS if 0 <= self.days_left <= b), None)


Collector = Callable[[Session, dt.date], Iterable[Reminder]]


@dataclass(frozen=True)
class ReminderKind:
    """A kind of reminder and how to find them.

    Attributes:
        code: Stable identifier (stored in settings, used in filters).
        label: Chinese name shown in the list.
        collect: Finds the reminders and overdue items as of a day (reminders due that day or later only).
        overdue_days: How long an overdue item stays listed; None: as long as its collector returns it.
    """

    code: str
    label: str
    collect: Collector
    overdue_days: int | None = OVERDUE_WINDOW_DAYS


@dataclass(frozen=True)
class ReminderList:
    """The result of :func:`collect_reminders`.

    Attributes:
        as_of: The day it was computed for.
        upcoming: Reminders due on ``as_of`` or later, soonest first.
        overdue: Items whose date has passed with work still open, most overdue first.
        labels: Kind code → Chinese label, for every kind that ran.
    """

    as_of: dt.date
    upcoming: tuple[Reminder, ...]
    overdue: tuple[Reminder, ...]
    labels: dict[str, str]

    def count(self, kind: str | None = None) -> int:
        """Upcoming reminders (of one kind)."""
        return sum(1 for r in self.upcoming if kind is None or r.kind == kind)


def _days(as_of: dt.date, day: dt.date) -> int:
    return (day - as_of).days


def _enterprise_alive() -> ColumnElement[bool]:
    return Enterprise.deleted_at.is_(None)


def _types(session: Session) -> dict[str, QualificationType]:
    return {t.code: t for t in session.scalars(select(QualificationType))}


def _renewed(q: type[EnterpriseQualification]) -> ColumnElement[bool]:
    """A later certified record of the same type for the same enterprise exists (a re-certification)."""
    later = aliased(EnterpriseQualification)
    return exists().where(
        later.enterprise_id == q.enterprise_id, later.type_code == q.type_code, later.id != q.id,
        later.certified_on.is_not(None), later.certified_on > q.certified_on,
        later.status.not_in(("未通过", "撤销", "淘汰")),
    )


def certificate_expiry(session: Session, as_of: dt.date) -> Iterable[Reminder]:
    """Valid certificates that end within the longest band and have not been renewed."""
    q = EnterpriseQualification
    horizon = as_of + dt.timedelta(days=max(BANDS))
    types = _types(session)
    lapsing = [code for code, t in types.items() if t.lapses_year_end]
    rows = session.execute(
        select(q.id, q.type_code, q.year, q.batch, q.certificate_no, q.valid_to, Enterprise.id, Enterprise.name)
        .join(Enterprise, Enterprise.id == q.enterprise_id)
        .where(_enterprise_alive(), valid_at(as_of), q.valid_to.is_not(None), q.valid_to <= horizon,
               q.type_code.not_in(lapsing), ~_renewed(q))
    ).tuples()
    for _qid, code, year, batch, number, valid_to, eid, name in rows:
        assert valid_to is not None  # selected so
        short = types[code].short_name
        parts = [f"{year}年{batch or ''}认定", f"证书编号 {number}" if number else "",
                 f"有效期至 {valid_to.isoformat()}"]
        yield Reminder("certificate_expiry", "enterprise", eid, name, f"{short}证书到期",
                       "，".join(p for p in parts if p), valid_to, _days(as_of, valid_to))


def year_end_lapse(session: Session, as_of: dt.date) -> Iterable[Reminder]:
    """Registrations that lapse at the end of the year (national 科小 入库), without next year's registration."""
    q = EnterpriseQualification
    types = _types(session)
    lapsing = [code for code, t in types.items() if t.lapses_year_end]
    year_end = dt.date(as_of.year, 12, 31)
    if not lapsing or _days(as_of, year_end) > max(BANDS):
        return
    later = aliased(EnterpriseQualification)
    next_year = exists().where(later.enterprise_id == q.enterprise_id, later.type_code == q.type_code,
                               later.year > q.year, later.status.not_in(("未通过", "撤销", "淘汰")))
    rows = session.execute(
        select(q.type_code, q.year, Enterprise.id, Enterprise.name)
        .join(Enterprise, Enterprise.id == q.enterprise_id)
        .where(_enterprise_alive(), valid_at(as_of), q.type_code.in_(lapsing), q.valid_to == year_end, ~next_year)
    ).tuples()
    for code, year, eid, name in rows:
        yield Reminder("year_end_lapse", "enterprise", eid, name, f"{types[code].short_name}入库年末失效",
                       f"{year}年入库登记于 {year_end.isoformat()} 失效，需参加下一年度评价入库",
                       year_end, _days(as_of, year_end))


def annual_reports(session: Session, as_of: dt.date) -> Iterable[Reminder]:
    """年报 of the past year for qualifications whose type has one: due by the end of May, then overdue.

    The report on year Y can be filed once Y is over, so it is reminded from 1 January of Y+1 until its due date;
    afterwards, while the qualification is still valid and no report was filed, it is overdue (for
    :data:`OVERDUE_WINDOW_DAYS`).
    """
    q, r = EnterpriseQualification, QualificationAnnualReport
    types = _types(session)
    reporting = [code for code, t in types.items() if t.has_annual_report]
    if not reporting:
        return
    for report_year in (as_of.year - 1, as_of.year - 2):
        due = annual_report_due(report_year)
        days = _days(as_of, due)
        if days < -OVERDUE_WINDOW_DAYS or days > max(BANDS):
            continue
        filed = exists().where(r.qualification_id == q.id, r.year == report_year, r.status == "已报")
        stated = select(r.due_on).where(r.qualification_id == q.id, r.year == report_year).scalar_subquery()
        rows = session.execute(
            select(q.type_code, Enterprise.id, Enterprise.name, stated)
            .join(Enterprise, Enterprise.id == q.enterprise_id)
            .where(_enterprise_alive(), q.type_code.in_(reporting), valid_at(as_of),
                   q.certified_on <= dt.date(report_year, 12, 31), ~filed)
        ).tuples()
        for code, eid, name, due_on in rows:
            day = due_on or due
            yield Reminder("annual_report", "enterprise", eid, name, f"{types[code].short_name}{report_year}年度年报",
                           f"{report_year}年度年报截止 {day.isoformat()}", day, _days(as_of, day))


def visit_issues(session: Session, as_of: dt.date) -> Iterable[Reminder]:
    """Open issues raised on visits, by their due date."""
    i, v = VisitIssue, Visit
    rows = session.execute(
        select(i.description, i.due_on, v.visited_on, Enterprise.id, Enterprise.name)
        .join(v, v.id == i.visit_id)
        .join(Enterprise, Enterprise.id == v.enterprise_id)
        .where(_enterprise_alive(), i.status.in_(("待办", "办理中")), i.due_on.is_not(None),
               i.due_on <= as_of + dt.timedelta(days=ISSUE_LEAD_DAYS))
    ).tuples()
    for description, due_on, visited_on, eid, name in rows:
        assert due_on is not None  # selected so
        yield Reminder("visit_issue", "enterprise", eid, name, "走访问题办理期限",
                       f"{visited_on.isoformat()} 走访提出：{description}", due_on, _days(as_of, due_on))


def incubation_period(session: Session, as_of: dt.date) -> Iterable[Reminder]:
    """Tenants still incubating within :data:`INCUBATION_LEAD_DAYS` of the end of their period, or past it."""
    for t in incubating_tenancies(session, as_of):
        if t.days_left <= INCUBATION_LEAD_DAYS:
            yield Reminder("incubation_period", "carrier", t.carrier_id, t.enterprise_name, "在孵企业孵化期满",
                           f"在“{t.carrier_name}”孵化，{t.entered_on.isoformat()} 入驻，"
                           f"孵化期 {t.incubation_months} 个月至 {t.period_end.isoformat()}；请登记毕业或退出",
                           t.period_end, t.days_left)


def voucher_expiry(session: Session, as_of: dt.date) -> Iterable[Reminder]:
    """In December, the year's innovation vouchers with balance or uses not yet put forward (they lapse 31 Dec)."""
    from services.voucher_expiry import collect_voucher_reminders  # it imports this module

    return collect_voucher_reminders(session, as_of)


KINDS: list[ReminderKind] = [
    ReminderKind("certificate_expiry", "证书到期", certificate_expiry),
    ReminderKind("annual_report", "年报", annual_reports),
    ReminderKind("year_end_lapse", "年末失效", year_end_lapse),
    ReminderKind("visit_issue", "走访问题", visit_issues),
    ReminderKind("incubation_period", "孵化期满", incubation_period, overdue_days=None),
    ReminderKind("voucher_expiry", "创新券年末失效", voucher_expiry),
]


def register_kind(kind: ReminderKind) -> None:
    """Add (or replace, by code) a kind of reminder."""
    KINDS[:] = [k for k in KINDS if k.code != kind.code] + [kind]


def _keep(reminder: Reminder, kind: ReminderKind) -> bool:
    """Upcoming within the longest lead, or overdue within the kind's window (collectors may return more)."""
    if reminder.days_left < 0:
        return kind.overdue_days is None or reminder.days_left >= -kind.overdue_days
    return reminder.days_left <= max(BANDS)


def collect_reminders(db: Database, *, as_of: dt.date | None = None,
                      kinds: Iterable[str] | None = None) -> ReminderList:
    """Every reminder and overdue item as of ``as_of`` (today by default).

    Args:
        db: The open database.
        as_of: The day to compute for.
        kinds: Codes of the kinds to run; all when omitted.
    """
    day = as_of or dt.date.today()
    wanted = set(kinds) if kinds is not None else None
    chosen = [k for k in KINDS if wanted is None or k.code in wanted]
    found: list[Reminder] = []
    with read_session(db) as session:
        for kind in chosen:
            found.extend(r for r in kind.collect(session, day) if _keep(r, kind))
    upcoming = sorted((r for r in found if not r.overdue), key=lambda r: (r.due_on, r.subject_name))
    overdue = sorted((r for r in found if r.overdue), key=lambda r: (r.due_on, r.subject_name))
    return ReminderList(day, tuple(upcoming), tuple(overdue), {k.code: k.label for k in chosen})

