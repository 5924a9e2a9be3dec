"""Browsing the audit log by record, user, date, table and batch."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from models.db import Database
from services.audit_query import AuditFilter, audit_users, audited_tables, display_value, query_audit
from services.dto import EnterpriseInput
from services.qualifications import YearFacts, set_year_facts
from services.register import create_enterprise, update_enterprise


def test_filters_and_labels(db: Database) -> None:
    a = create_enterprise(db, EnterpriseInput(name="杭州匠控科技有限公司", address="一号"), user="王芳")
    b = create_enterprise(db, EnterpriseInput(name="浙江运河数据服务有限公司"), user="李强")
    update_enterprise(db, a.id, EnterpriseInput(name="杭州匠控科技有限公司", address="二号"),
                      expected_version=a.version, user="李强")
    set_year_facts(db, a.id, YearFacts(year=2025, revenue_wan=Decimal("100")), user="王芳")

    everything = query_audit(db, AuditFilter(user=None))
    assert everything.total >= 4
    assert everything.rows[0].at >= everything.rows[-1].at  # newest first

    mine = query_audit(db, AuditFilter(subject_table="enterprise", subject_id=a.id))
    assert {r.subject for r in mine.rows} == {"杭州匠控科技有限公司"}
    assert {r.table for r in mine.rows} == {"企业", "年度数据"}
    change = next(r for r in mine.rows if r.action == "修改")
    assert (change.field, change.old, change.new, change.user) == ("地址", "一号", "二号", "李强")

    by_user = query_audit(db, AuditFilter(user="李强"))
    assert {r.subject for r in by_user.rows} == {"杭州匠控科技有限公司", "浙江运河数据服务有限公司"}
    assert query_audit(db, AuditFilter(table_name="enterprise_year_fact")).total == 1
    today = dt.date.today()
    assert query_audit(db, AuditFilter(date_from=today - dt.timedelta(days=1), date_to=today)).total \
        == everything.total
    assert query_audit(db, AuditFilter(date_from=today + dt.timedelta(days=1))).total == 0
    assert query_audit(db, AuditFilter(batch_id=99)).total == 0
    assert {"王芳", "李强"} <= set(audit_users(db))
    assert ("enterprise", "企业") in audited_tables(db)
    assert b.id != a.id


def test_paging(db: Database) -> None:
    for i in range(25):
        create_enterprise(db, EnterpriseInput(name=f"企业{i:02d}"))
    first = query_audit(db, AuditFilter(table_name="enterprise"), offset=0, limit=10)
    second = query_audit(db, AuditFilter(table_name="enterprise"), offset=10, limit=10)
    assert first.total == second.total == 25
    assert not {r.id for r in first.rows} & {r.id for r in second.rows}


def test_whole_records_are_summarised_in_chinese() -> None:
    assert display_value('{"id": 3, "name": "甲", "address": null, "uscc_check_override": false}') == "名称：甲"
    assert display_value('"2019-03-01"') == "2019-03-01"
    assert display_value("true") == "是"
    assert display_value(None) == ""


def test_an_imported_enterprise_entry_names_what_was_created_with_it() -> None:
    raw = ('{"id":7,"name":"杭州甲科技有限公司","name_norm":"杭州甲科技有限公司","version":1,'
           '"_children":{"enterprise_year_fact":[{"id":1},{"id":2}],"pool_entry":[{"id":3}]}}')
    assert display_value(raw) == "名称：杭州甲科技有限公司；同时新增年度数据 2 条、培育库 1 条"


def test_a_field_is_labelled_by_its_table() -> None:
    from services.audit_query import field_label

    assert field_label("enterprise_year_fact", "revenue_wan") == "营业收入(万元)"
    assert field_label("carrier_period_stat", "revenue_wan") == "在孵企业总收入(万元)"
    assert display_value('{"year": 2025, "revenue_wan": "12"}', "carrier_period_stat") == \
        "年度：2025；在孵企业总收入(万元)：12"
