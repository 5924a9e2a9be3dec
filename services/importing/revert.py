"""Import batches: the history list, and reverting a batch from its audit rows.

A revert works from the audit log alone, whatever the kind: every field the batch updated gets its old value back
and every row it inserted is deleted. Inserted rows are deleted outright (not soft-deleted): the revert is refused
when anything later touched them or added a record to an enterprise the batch created, so nothing else refers to
them, and a soft-deleted enterprise would keep its credit code (unique) and block importing the corrected file.
A revert is refused, with the records named, when a later change — a GUI edit or another batch that is still in
effect — touched a record of the batch. The revert is itself audited (source ``import-revert``, same batch).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Date, DateTime, bindparam, delete, select, update
from sqlalchemy.orm import Session

from models import AuditLog, Base, Enterprise, ImportBatch
from models.db import Database
from models.types import FixedDecimal, UTCDateTime, utcnow
from services.audit import CHILDREN, AuditContext, default_user, record
from services.backup import backup_database
from services.errors import NotFoundError, UserFacingError
from services.importing.register_index import chunks
from services.progress import Progress
from services.session import read_session, unit_of_work
from services.users import Actor, current_actor, require

REVERT_SOURCE = "import-revert"


@dataclass(frozen=True)
class BatchInfo:
    """One import batch as the history page lists it."""

    id: int
    batch_no: str
    kind: str
    file_name: str
    sheet: str | None
    user: str
    mode: str
    committed_at: dt.datetime | None
    reverted_at: dt.datetime | None
    rows: int
    created: int
    updated: int
    unchanged: int
    skipped: int
    review: int


@dataclass(frozen=True)
class RevertResult:
    """What a revert did: rows deleted and fields restored."""

    batch_no: str
    removed: int
    restored: int

    def describe(self) -> str:
        return f"已撤销导入批次 {self.batch_no}：删除新增记录 {self.removed} 条，恢复原值 {self.restored} 项。"


def list_batches(db: Database) -> list[BatchInfo]:
    """Committed batches, newest first."""
    stmt = select(ImportBatch).where(ImportBatch.committed_at.is_not(None)).order_by(ImportBatch.id.desc())
    with read_session(db) as session:
        return [BatchInfo(b.id, b.batch_no, b.kind, b.file_name, b.sheet, b.user, b.mode, b.committed_at,
                          b.reverted_at, b.rows, b.created, b.updated, b.unchanged, b.skipped, b.review)
                for b in session.scalars(stmt)]


def from_json(column: Column[Any], text: str | None) -> Any:
    """A value of the audit log (a JSON scalar) as the column's Python value."""
    if text is None:
        return None
    value = json.loads(text)
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, FixedDecimal):
        return Decimal(str(value))
    if isinstance(kind, UTCDateTime | DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return dt.date.fromisoformat(value)
    return value


def _later_changes(session: Session, batch_id: int, rows: list[AuditLog]) -> list[str]:
    """Names of the records that a change after the batch touched (changes of reverted batches do not count)."""
    touched = {(r.table_name, r.row_id) for r in rows}
    created = {("enterprise", r.row_id) for r in rows if r.action == "insert" and r.table_name == "enterprise"}
    reverted = set(session.scalars(select(ImportBatch.id).where(ImportBatch.reverted_at.is_not(None))))
    later = session.execute(
        select(AuditLog.table_name, AuditLog.row_id, AuditLog.subject_table, AuditLog.subject_id, AuditLog.batch_id)
        .where(AuditLog.id > max(r.id for r in rows), AuditLog.table_name != "import_batch"))
    subjects: set[int] = set()
    for table, row_id, subject_table, subject_id, other in later:
        if other == batch_id or (other is not None and other in reverted):
            continue
        if (table, row_id) in touched or (subject_table, subject_id) in created:
            if subject_table == "enterprise" and subject_id is not None:
                subjects.add(int(subject_id))
            else:
                subjects.add(-1)
    names = [n for part in chunks(sorted(s for s in subjects if s > 0))
             for n in session.scalars(select(Enterprise.name).where(Enterprise.id.in_(part)))]
    return names + (["其他记录"] if -1 in subjects else [])


def revert_batch(db: Database, batch_id: int, *, user: str | None = None, actor: Actor | None = None,
                 progress: Progress | None = None) -> RevertResult:
    """Undo a committed batch: delete what it inserted, restore what it updated. One transaction, backed up first.

    Only a manager or an administrator may revert (``actor`` defaults to the signed-in user).

    Raises:
        PermissionDenied: the actor is a clerk.
        NotFoundError: no such batch.
        UserFacingError: already reverted, or a later change touched the batch's records.
    """
    require(actor or current_actor(), "manager", "撤销导入批次")
    with read_session(db) as session:
        batch = session.get(ImportBatch, batch_id)
        if batch is None or batch.committed_at is None:
            raise NotFoundError(f"找不到编号为 {batch_id} 的导入批次")
        if batch.reverted_at is not None:
            raise UserFacingError(f"导入批次 {batch.batch_no} 已于 "
                                  f"{batch.reverted_at.astimezone():%Y-%m-%d %H:%M} 撤销，不能再次撤销。")
    if db.path is not None:
        if progress is not None:
            progress.update("正在备份数据库…")
        backup_database(db, reason="before-revert")
    ctx = AuditContext(user or default_user(), REVERT_SOURCE, batch_id)
    with unit_of_work(db, source=REVERT_SOURCE, user=ctx.user, batch_id=batch_id) as session:
        batch = session.get(ImportBatch, batch_id)
        assert batch is not None
        if batch.reverted_at is not None:
            raise UserFacingError(f"导入批次 {batch.batch_no} 已撤销，不能再次撤销。")
        rows = list(session.scalars(select(AuditLog).where(
            AuditLog.batch_id == batch_id, AuditLog.source == "import", AuditLog.table_name != "import_batch")
            .order_by(AuditLog.id)))
        if rows:
            names = _later_changes(session, batch_id, rows)
            if names:
                shown = "、".join(f"“{n}”" for n in names[:5]) + ("等" if len(names) > 5 else "")
                raise UserFacingError(
                    f"不能撤销导入批次 {batch.batch_no}：导入之后 {shown}（共 {len(names)} 项）又被修改过，"
                    "撤销会覆盖这些修改。请先核对这些企业，必要时手工更正。")
        restored = _restore_updates(session, ctx, [r for r in rows if r.action == "update"], progress)
        removed = _delete_inserts(session, ctx, [r for r in rows if r.action == "insert"], progress)
        batch.reverted_at = utcnow()
        return RevertResult(batch.batch_no, removed, restored)


def _restore_updates(session: Session, ctx: AuditContext, rows: list[AuditLog], progress: Progress | None) -> int:
    if progress is not None:
        progress.update("正在恢复原值…")
    by_row: dict[tuple[str, str], dict[str, AuditLog]] = defaultdict(dict)
    for row in rows:
        assert row.field is not None
        by_row[(row.table_name, row.row_id)].setdefault(row.field, row)  # the first change holds the oldest value
    groups: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
    audit = []
    now = utcnow()
    for (table_name, row_id), fields in by_row.items():
        table = Base.metadata.tables[table_name]
        values = {name: from_json(table.c[name], change.old_value) for name, change in fields.items()}
        groups[(table_name, tuple(sorted(values)))].append({"_id": int(row_id), **values})
        for change in fields.values():
            audit.append({"action": "update", "table_name": table_name, "row_id": row_id, "field": change.field,
                          "old": change.new_value, "new": change.old_value, "subject_table": change.subject_table,
                          "subject_id": change.subject_id})
    for (table_name, columns), values in groups.items():
        table = Base.metadata.tables[table_name]
        extra: dict[str, Any] = {}
        if "updated_at" in table.c:
            extra["updated_at"] = now
        if table_name == "enterprise":
            extra["version"] = table.c.version + 1
        stmt = update(table).where(table.c.id == bindparam("_id")).values({c: bindparam(c) for c in columns} | extra)
        session.execute(stmt, values, execution_options={"synchronize_session": False})
    record(session, ctx, audit)
    return len(audit)


def _delete_inserts(session: Session, ctx: AuditContext, rows: list[AuditLog], progress: Progress | None) -> int:
    if progress is not None:
        progress.update("正在删除导入新增的记录…", 0, len(rows))
    by_table: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_table[row.table_name].append(int(row.row_id))
        if row.new_value is not None and CHILDREN in row.new_value:  # records created with it, in its entry
            for table_name, records in json.loads(row.new_value).get(CHILDREN, {}).items():
                by_table[table_name].extend(int(r["id"]) for r in records)
    for table in reversed(Base.metadata.sorted_tables):  # children before their parents
        ids = by_table.get(table.name)
        for part in chunks(ids or [], 900):
            session.execute(delete(table).where(table.c.id.in_(part)))
    # One delete entry per insert entry, holding what it held (children included).
    record(session, ctx, [{"action": "delete", "table_name": r.table_name, "row_id": r.row_id, "old": r.new_value,
                           "new": None, "subject_table": r.subject_table, "subject_id": r.subject_id}
                          for r in rows])
    return sum(len(ids) for ids in by_table.values())
