"""The audit log records every change made through the services: who, when, what, old and new."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from models import AuditLog, Enterprise
from models.db import Database
from services.dto import EnterpriseInput
from services.errors import ValidationError
from services.register import create_enterprise, enterprise_history, update_enterprise
from services.session import read_session, unit_of_work


def audit_rows(db: Database) -> list[AuditLog]:
    with read_session(db) as s:
        return list(s.scalars(select(AuditLog).where(AuditLog.source != "system").order_by(AuditLog.id)))


def test_insert_update_and_delete_are_recorded_with_old_and_new_values(db: Database) -> None:
    created = create_enterprise(db, EnterpriseInput(name="杭州匠控科技有限公司", address="莫干山路1号",
                                                    former_names=("杭州旧名有限公司",)), user="王芳")
    inserts = audit_rows(db)
    assert {(r.action, r.table_name) for r in inserts} == {("insert", "enterprise"),
                                                           ("insert", "enterprise_former_name")}
    ent_insert = next(r for r in inserts if r.table_name == "enterprise")
    assert ent_insert.user == "王芳" and ent_insert.source == "gui" and ent_insert.row_id == str(created.id)
    assert json.loads(ent_insert.new_value)["address"] == "莫干山路1号"

    update_enterprise(db, created.id, EnterpriseInput(name="杭州匠控科技有限公司", address="湖墅南路2号"),
                      expected_version=created.version, user="李强", source="cli")
    changes = [r for r in audit_rows(db) if r.action in ("update", "delete")]
    update = next(r for r in changes if r.action == "update" and r.field == "address")
    assert (json.loads(update.old_value), json.loads(update.new_value)) == ("莫干山路1号", "湖墅南路2号")
    assert (update.user, update.source) == ("李强", "cli")
    # Dropping the former name is a delete of that row, with the old row kept in the log.
    deleted = next(r for r in changes if r.action == "delete")
    assert deleted.table_name == "enterprise_former_name"
    assert json.loads(deleted.old_value)["name"] == "杭州旧名有限公司"
    # Bookkeeping columns are not reported as changes.
    assert not any(r.field in ("updated_at", "version") for r in changes)

    history = enterprise_history(db, created.id)
    assert [h.action for h in history][:1] in (["update"], ["delete"])
    assert any(h.field == "address" and h.new_value == json.dumps("湖墅南路2号", ensure_ascii=False)
               for h in history)
    assert any(h.table_name == "enterprise_former_name" for h in history)


def test_unchanged_save_writes_no_update_rows(db: Database) -> None:
    created = create_enterprise(db, EnterpriseInput(name="甲公司", address="一号"))
    before = len(audit_rows(db))
    update_enterprise(db, created.id, EnterpriseInput(name="甲公司", address="一号"),
                      expected_version=created.version)
    assert len(audit_rows(db)) == before


def test_refused_change_leaves_no_audit_trace(db: Database) -> None:
    created = create_enterprise(db, EnterpriseInput(name="甲公司"))
    before = len(audit_rows(db))
    with pytest.raises(ValidationError):
        update_enterprise(db, created.id, EnterpriseInput(name=""), expected_version=created.version)
    assert len(audit_rows(db)) == before


def test_rolled_back_transaction_rolls_back_its_audit_rows(db: Database) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), unit_of_work(db, user="测试") as s:
        s.add(Enterprise(name="乙公司", name_norm="乙公司"))
        s.flush()
        assert s.scalar(select(AuditLog.id).where(AuditLog.user == "测试")) is not None
        raise Boom
    assert audit_rows(db) == []


def test_decimal_and_date_values_are_logged_exactly(db: Database) -> None:
    import datetime as dt
    from decimal import Decimal

    created = create_enterprise(db, EnterpriseInput(name="甲公司"))
    update_enterprise(db, created.id, EnterpriseInput(name="甲公司", registered_capital_wan=Decimal("1234.56"),
                                                      registered_on=dt.date(2019, 3, 1)),
                      expected_version=created.version)
    fields = {r.field: json.loads(r.new_value) for r in audit_rows(db) if r.action == "update"}
    assert Decimal(fields["registered_capital_wan"]) == Decimal("1234.56")
    assert fields["registered_on"] == "2019-03-01"


def test_changes_of_child_records_belong_to_the_enterprise_history(db: Database) -> None:
    import datetime as dt
    from decimal import Decimal

    from models import EnterpriseYearFact, Visit, VisitIssue

    created = create_enterprise(db, EnterpriseInput(name="甲公司"))
    with unit_of_work(db) as s:
        s.add(EnterpriseYearFact(enterprise_id=created.id, year=2025, revenue_wan=Decimal("5000")))
        visit = Visit(enterprise_id=created.id, visited_on=dt.date(2026, 5, 6))
        s.add(visit)
        s.flush()
        s.add(VisitIssue(visit_id=visit.id, description="研发费用归集不规范"))
    with unit_of_work(db, user="王芳") as s:
        fact = s.scalar(select(EnterpriseYearFact).where(EnterpriseYearFact.enterprise_id == created.id))
        fact.revenue_wan = Decimal("5200")
    history = enterprise_history(db, created.id)
    tables = {h.table_name for h in history}
    assert {"enterprise", "enterprise_year_fact", "visit", "visit_issue"} <= tables
    revenue = next(h for h in history if h.field == "revenue_wan")
    assert (json.loads(revenue.old_value), json.loads(revenue.new_value), revenue.user) == ("5000.000000", "5200",
                                                                                          "王芳")
