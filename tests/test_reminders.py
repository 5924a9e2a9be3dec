"""Reminders at their boundaries: lead bands, never after the date, overdue apart, renewals, extra kinds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest
from sqlalchemy.orm import Session

from models.db import Database
from services.dto import EnterpriseInput
from services.enterprise_records import IssueInput, VisitInput, add_visit, close_issue
from services.qualifications import QualificationInput, add_qualification, record_annual_report
from services.register import create_enterprise, soft_delete_enterprise
from services.reminders import KINDS, Reminder, ReminderKind, collect_reminders, register_kind

D = dt.date
DAY = dt.timedelta(days=1)


def enterprise(db: Database, name: str) -> int:
    return create_enterprise(db, EnterpriseInput(name=name)).id


def certify(db: Database, eid: int, code: str, on: dt.date, year: int | None = None) -> int:
    return add_qualification(db, eid, QualificationInput(type_code=code, year=year or on.year, certified_on=on),
                             today=D(2030, 1, 1)).id


def kinds_for(db: Database, day: dt.date, eid: int) -> list[tuple[str, int | None, int]]:
    result = collect_reminders(db, as_of=day)
    return [(r.kind, r.band, r.days_left) for r in result.upcoming + result.overdue if r.subject_id == eid]


def test_certificate_expiry_bands_and_never_after_the_date(db: Database) -> None:
    eid = enterprise(db, "杭州到期科技有限公司")
    certify(db, eid, "national_hte", D(2023, 12, 8))  # valid to 2026-12-07
    end = D(2026, 12, 7)
    assert kinds_for(db, end - 181 * DAY, eid) == []
    assert kinds_for(db, end - 180 * DAY, eid) == [("certificate_expiry", 180, 180)]
    assert kinds_for(db, end - 90 * DAY, eid) == [("certificate_expiry", 90, 90)]
    assert kinds_for(db, end - 31 * DAY, eid) == [("certificate_expiry", 90, 31)]
    assert kinds_for(db, end - 30 * DAY, eid) == [("certificate_expiry", 30, 30)]
    assert kinds_for(db, end, eid) == [("certificate_expiry", 30, 0)]
    assert kinds_for(db, end + DAY, eid) == []  # expired: not reminded, not overdue either
    reminder = collect_reminders(db, as_of=end - 10 * DAY).upcoming[0]
    assert reminder.title == "国高企证书到期" and "有效期至 2026-12-07" in reminder.detail
    assert reminder.subject_name == "杭州到期科技有限公司" and reminder.subject_table == "enterprise"


def test_a_renewed_or_removed_enterprise_is_not_reminded(db: Database) -> None:
    renewed = enterprise(db, "杭州已重新认定科技有限公司")
    certify(db, renewed, "national_hte", D(2023, 12, 8))
    certify(db, renewed, "national_hte", D(2026, 11, 1))
    removed = enterprise(db, "杭州已注销科技有限公司")
    certify(db, removed, "national_hte", D(2023, 12, 8))
    soft_delete_enterprise(db, removed)
    assert collect_reminders(db, as_of=D(2026, 11, 20)).upcoming == ()


def test_year_end_lapse_of_national_tsme(db: Database) -> None:
    eid = enterprise(db, "杭州科小科技有限公司")
    certify(db, eid, "national_tsme", D(2026, 4, 1))
    assert kinds_for(db, D(2026, 7, 3), eid) == []  # more than 180 days before the year's end
    assert kinds_for(db, D(2026, 10, 15), eid) == [("year_end_lapse", 90, 77)]
    assert kinds_for(db, D(2027, 1, 1), eid) == []
    certify(db, eid, "national_tsme", D(2026, 11, 30), year=2027)  # next year's registration already in
    assert kinds_for(db, D(2026, 10, 15), eid) == []


def test_annual_report_reminded_until_due_then_overdue_until_filed(db: Database) -> None:
    eid = enterprise(db, "杭州省科小科技有限公司")
    qid = certify(db, eid, "prov_tsme", D(2024, 6, 1))
    assert kinds_for(db, D(2024, 12, 31), eid) == []  # the 2024 report cannot be filed before 2025
    assert kinds_for(db, D(2025, 1, 1), eid) == [("annual_report", 180, 150)]
    assert kinds_for(db, D(2025, 5, 31), eid) == [("annual_report", 30, 0)]
    assert kinds_for(db, D(2025, 6, 1), eid) == [("annual_report", None, -1)]
    overdue = collect_reminders(db, as_of=D(2025, 6, 1)).overdue
    assert len(overdue) == 1 and overdue[0].overdue and overdue[0].title == "省科小2024年度年报"
    record_annual_report(db, qid, 2024, submitted_on=D(2025, 6, 3), today=D(2025, 6, 3))
    assert kinds_for(db, D(2025, 6, 4), eid) == []
    assert kinds_for(db, D(2026, 6, 2), eid) == [("annual_report", None, -2)]  # the 2025 report is late now
    assert kinds_for(db, D(2027, 6, 2), eid)[-1] == ("annual_report", None, -2)
    # Overdue items drop out once no longer actionable (a year after the date).
    assert ("annual_report", None, -367) not in kinds_for(db, D(2027, 6, 2), eid)


def test_visit_issues_upcoming_overdue_and_closed(db: Database) -> None:
    eid = enterprise(db, "杭州走访科技有限公司")
    visit = add_visit(db, eid, VisitInput(D(2026, 3, 1), issues=(IssueInput("用地需求", due_on=D(2026, 4, 1)),
                                                                   IssueInput("无期限问题"))), today=D(2026, 3, 1))
    assert kinds_for(db, D(2026, 3, 1), eid) == []  # 31 days ahead
    assert kinds_for(db, D(2026, 3, 2), eid) == [("visit_issue", 30, 30)]
    assert kinds_for(db, D(2026, 4, 2), eid) == [("visit_issue", None, -1)]
    close_issue(db, visit.issues[0].id, status="已解决", closed_on=D(2026, 4, 2), resolution="已协调",
                today=D(2026, 4, 2))
    assert kinds_for(db, D(2026, 4, 3), eid) == []


def test_upcoming_sorted_and_kinds_selectable(db: Database) -> None:
    a, b = enterprise(db, "杭州甲科技有限公司"), enterprise(db, "杭州乙科技有限公司")
    certify(db, a, "national_hte", D(2023, 12, 20))
    certify(db, b, "national_hte", D(2023, 12, 10))
    result = collect_reminders(db, as_of=D(2026, 12, 1))
    assert [r.subject_id for r in result.upcoming] == [b, a]
    assert result.count("certificate_expiry") == 2 and result.labels["certificate_expiry"] == "证书到期"
    assert collect_reminders(db, as_of=D(2026, 12, 1), kinds=["annual_report"]).upcoming == ()


def test_other_areas_add_their_own_kind(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("services.reminders.KINDS", list(KINDS))

    def tenants(_session: Session, as_of: dt.date) -> Iterable[Reminder]:
        yield Reminder("tenant_period", "carrier", 7, "某孵化器", "在孵企业超期", "", as_of + 5 * DAY, 5)
        yield Reminder("tenant_period", "carrier", 7, "某孵化器", "很久以后", "", as_of + 400 * DAY, 400)

    register_kind(ReminderKind("tenant_period", "在孵超期", tenants))
    result = collect_reminders(db, as_of=D(2026, 1, 1))
    assert [(r.title, r.band) for r in result.upcoming] == [("在孵企业超期", 30)]  # beyond 180 days: left out
    assert result.labels["tenant_period"] == "在孵超期"
