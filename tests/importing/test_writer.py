"""The import's bulk writer: its audit rows are what the ORM writes, and its ids leave later inserts theirs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import insert, select

from models import AuditLog, Base, Enterprise
from models.db import Database
from services.audit import CHILDREN, TIME_STAMPS, AuditContext, default_user, dumps, record, row_json
from services.dto import EnterpriseInput
from services.importing.commit import run_import
from services.importing.plan import ImportOptions
from services.register import create_enterprise
from services.session import read_session
from tests.importing.files import code, write_xlsx

TODAY = dt.date(2026, 3, 15)
ROWS = [["企业名称", "统一社会信用代码", "所属街道", "成立日期", "注册资本（元）", "曾用名", "资质", "2024年营业收入",
         "2025年研发费用（千元）", "职工人数", "联系电话"],
        ["杭州甲（中国）科技有限公司", code(1), "上塘", "2019/3/1", "1,234,567.89", "杭州甲网络有限公司", "国高企",
         12.5, 3, 40, 13800001111],
        ["杭州乙科技有限公司", code(2), "祥符", 43500, "", "", "", "1,000", "", "", ""]]


def logged(record_json: str) -> dict[str, object]:
    """The ORM's record of a row as the import logs a row it creates: the columns that hold a value, no time stamps."""
    return {k: v for k, v in json.loads(record_json).items() if v is not None and k not in TIME_STAMPS}


def test_audit_rows_of_created_records_are_what_the_orm_writes(db: Database, tmp_path: Path) -> None:
    result = run_import(db, write_xlsx(tmp_path / "a.xlsx", ROWS), ImportOptions(today=TODAY))
    assert result.plan.counts["create"] == 2
    with read_session(db) as session:
        inserts = session.scalars(select(AuditLog).where(AuditLog.batch_id == result.batch_id,
                                                         AuditLog.action == "insert")).all()
        # One entry per created enterprise, holding its record and the records created with it.
        assert [a.table_name for a in inserts] == ["enterprise", "enterprise"]
        children: dict[str, int] = {}
        for audit in inserts:
            stored = session.get(Enterprise, int(audit.row_id))
            entry = json.loads(audit.new_value)
            kids = entry.pop(CHILDREN, {})
            assert entry == logged(row_json(stored))
            assert TIME_STAMPS < json.loads(row_json(stored)).keys() and None in json.loads(row_json(stored)).values()
            assert (audit.subject_table, audit.subject_id) == ("enterprise", str(stored.id))
            assert (audit.user, audit.source, audit.field, audit.old_value) == (default_user(), "import", None, None)
            for table, records in kids.items():
                model = next(m.class_ for m in Base.registry.mappers if m.local_table.name == table)
                for record_value in records:
                    child = session.get(model, record_value["id"])
                    assert record_value == logged(row_json(child)), table
                    assert child.enterprise_id == stored.id
                    children[table] = children.get(table, 0) + 1
        assert children == {"enterprise_former_name": 1, "enterprise_year_fact": 3, "pool_entry": 1}
        # The JSON text is the audit log's own (orjson: UTF-8 as it is, decimals as strings, ISO dates).
        for audit in inserts:
            own = logged(row_json(session.get(Enterprise, int(audit.row_id))))
            assert audit.new_value.startswith(dumps(own)[:-1] + f',"{CHILDREN}":{{')


def test_ordinary_inserts_after_an_import_get_free_ids(db: Database, tmp_path: Path) -> None:
    create_enterprise(db, EnterpriseInput(name="杭州先有科技有限公司"))
    run_import(db, write_xlsx(tmp_path / "a.xlsx", ROWS), ImportOptions(today=TODAY))
    later = create_enterprise(db, EnterpriseInput(name="杭州后来科技有限公司"))
    run_import(db, write_xlsx(tmp_path / "b.xlsx", [ROWS[0], ["杭州丙科技有限公司", code(3), "", "", "", "", "", 1,
                                                             "", "", ""]]), ImportOptions(today=TODAY))
    last = create_enterprise(db, EnterpriseInput(name="杭州最后科技有限公司"))
    with read_session(db) as session:
        ids = session.scalars(select(Enterprise.id).order_by(Enterprise.id)).all()
    assert len(ids) == 6 and later.id > 3 and last.id == max(ids)


def test_record_stores_what_core_stores(db: Database) -> None:
    ctx = AuditContext("王五", "import", None)
    rows = [{"action": "update", "table_name": "enterprise", "row_id": 7, "field": "name", "old": '"甲"',
             "new": '"乙"'},
            {"action": "insert", "table_name": "enterprise_year_fact", "row_id": 8, "new": '{"id": 8}',
             "subject_table": "enterprise", "subject_id": 7}]
    columns = ("user", "action", "table_name", "row_id", "field", "old_value", "new_value", "subject_table",
               "subject_id", "source", "batch_id")
    with db.session_factory.begin() as session:
        record(session, ctx, rows)
        fast = session.execute(select(AuditLog).order_by(AuditLog.id.desc()).limit(2)).scalars().all()[::-1]
        at = fast[0].at
        session.execute(insert(AuditLog), [{c: getattr(a, c) for c in columns} | {"at": at} for a in fast])
        core = session.execute(select(AuditLog).order_by(AuditLog.id.desc()).limit(2)).scalars().all()[::-1]
        session.expire_all()
        assert [[getattr(a, c) for c in (*columns, "at")] for a in fast] == \
            [[getattr(a, c) for c in (*columns, "at")] for a in core]
        assert [(a.row_id, a.subject_table, a.subject_id) for a in fast] == [("7", "enterprise", "7"),
                                                                             ("8", "enterprise", "7")]
        assert at.tzinfo is not None and abs(at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
