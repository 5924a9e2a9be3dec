"""Certifications: validity from the type, date order, the 'valid at' rule; yearly facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from models import EnterpriseQualification
from models.db import Database
from services.counting import valid_at
from services.dto import EnterpriseInput
from services.errors import ValidationError
from services.qualifications import (
    QualificationInput,
    YearFacts,
    add_qualification,
    list_qualifications,
    list_year_facts,
    revoke_qualification,
    set_year_facts,
)
from services.register import create_enterprise, enterprise_history
from services.session import read_session

D = dt.date


@pytest.fixture
def ent_id(db: Database) -> int:
    return create_enterprise(db, EnterpriseInput(name="杭州匠控科技有限公司")).id


@pytest.mark.parametrize(
    ("code", "year", "certified", "valid_to"),
    [
        ("national_hte", 2023, D(2023, 12, 8), D(2026, 12, 7)),  # three years less a day
        ("national_hte", 2020, D(2020, 2, 29), D(2023, 2, 27)),  # leap day
        ("national_tsme", 2026, D(2026, 5, 10), D(2026, 12, 31)),  # registry lapses at year end
        ("city_hte", 2019, D(2019, 11, 1), None),  # does not lapse by itself
    ],
)
def test_validity_comes_from_the_type(db: Database, ent_id: int, code: str, year: int, certified: dt.date,
                                      valid_to: dt.date | None) -> None:
    rec = add_qualification(db, ent_id, QualificationInput(type_code=code, year=year, certified_on=certified),
                            today=D(2026, 11, 21))
    assert (rec.valid_from, rec.valid_to) == (certified, valid_to)


def test_dates_must_follow_the_procedure(db: Database, ent_id: int) -> None:
    data = QualificationInput(type_code="national_hte", year=2025, applied_on=D(2025, 6, 1),
                              reviewed_on=D(2025, 5, 1), certified_on=D(2025, 12, 1), application_kind="换证",
                              tier="第一梯队")
    with pytest.raises(ValidationError) as info:
        add_qualification(db, ent_id, data, today=D(2026, 1, 1))
    assert info.value.problems == {
        "reviewed_on": "评审日期不能早于申报日期",
        "application_kind": "申报类别应为“新申报”或“重新认定”",
        "tier": "“国高企”不分梯队",
    }
    with pytest.raises(ValidationError, match="须填写认定日期"):
        add_qualification(db, ent_id, QualificationInput(type_code="national_hte", year=2025))
    with pytest.raises(ValidationError, match="资质类型不存在"):
        add_qualification(db, ent_id, QualificationInput(type_code="nobel", year=2025, certified_on=D(2025, 1, 1)))


def valid_ids(db: Database, day: dt.date) -> set[int]:
    with read_session(db) as s:
        return set(s.scalars(select(EnterpriseQualification.id).where(valid_at(day))))


def test_valid_at_boundaries(db: Database, ent_id: int) -> None:
    today = D(2026, 11, 21)
    rec = add_qualification(db, ent_id, QualificationInput(type_code="national_hte", year=2023,
                                                           certified_on=D(2023, 12, 8)), today=today)
    assert rec.id not in valid_ids(db, D(2023, 12, 7))  # the day before certification
    assert rec.id in valid_ids(db, D(2023, 12, 8))  # certified that day
    assert rec.id in valid_ids(db, D(2026, 12, 7))  # last day of validity
    assert rec.id not in valid_ids(db, D(2026, 12, 8))
    pending = add_qualification(db, ent_id, QualificationInput(type_code="city_hte", year=2026, status="已申报",
                                                               applied_on=D(2026, 3, 1)), today=today)
    assert pending.id not in valid_ids(db, today)
    revoke_qualification(db, rec.id, D(2025, 6, 30), reason="复核不合格")
    assert rec.id in valid_ids(db, D(2025, 6, 29))
    assert rec.id not in valid_ids(db, D(2025, 6, 30))
    assert [q.status for q in list_qualifications(db, ent_id) if q.id == rec.id] == ["撤销"]


def test_year_facts_are_checked_stored_and_audited(db: Database, ent_id: int) -> None:
    bad = YearFacts(year=2025, revenue_wan=Decimal("100"), hitech_revenue_wan=Decimal("120"), staff_avg=10,
                    st_staff_avg=12, rd_expense_wan=Decimal("-1"))
    with pytest.raises(ValidationError) as info:
        set_year_facts(db, ent_id, bad)
    assert info.value.problems == {
        "hitech_revenue_wan": "高新技术产品(服务)收入不能大于营业收入",
        "st_staff_avg": "科技人员数不能大于职工人数",
        "rd_expense_wan": "研发费用不能为负数",
    }
    set_year_facts(db, ent_id, YearFacts(year=2025, revenue_wan=Decimal("8650.25"), staff_avg=120))
    set_year_facts(db, ent_id, YearFacts(year=2025, revenue_wan=Decimal("8700"), staff_avg=120), user="王芳")
    assert list_year_facts(db, ent_id) == [YearFacts(year=2025, revenue_wan=Decimal("8700.000000"),
                                                     staff_avg=120)]
    changes = [h for h in enterprise_history(db, ent_id) if h.table_name == "enterprise_year_fact"]
    assert any(h.field == "revenue_wan" and h.user == "王芳" for h in changes)
