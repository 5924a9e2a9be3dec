"""The audit log: every insert, update and delete made through an ORM session is recorded.

Mapper listeners write :class:`models.AuditLog` rows on the flush's own connection, in the same transaction as
the change, so the log can never disagree with the data. Who and why come from the :class:`AuditContext` that
:func:`services.session.unit_of_work` puts into ``session.info``. Bulk Core statements (demo data, the import's
fast path) bypass the ORM and call :func:`record` themselves.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import Connection, event, insert, inspect, select
from sqlalchemy.orm import Mapper, Session, object_session

from models import AuditLog, Base
from models.types import utcnow
from services.bulk import insert_rows

#: Columns whose changes are bookkeeping, not content.
IGNORED_COLUMNS = frozenset({"updated_at", "created_at", "version"})
#: Tables that are not themselves audited.
UNAUDITED_TABLES = frozenset({"audit_log"})
#: Columns whose values never enter the log: a change is recorded, the value is shown as MASKED.
SECRET_COLUMNS = frozenset({"password_hash"})
MASKED = "******"
#: Key of an inserted record's entry that holds the records created with it (an import's new enterprise holds its
#: yearly figures, former names and pool entries): ``{"enterprise_year_fact": [{…}, …], …}``.
CHILDREN = "_children"
#: Columns a bulk-inserted record is logged without (the entry's own time says when).
TIME_STAMPS = frozenset({"created_at", "updated_at"})
CHANGED = "（已更改）"
_AUDIT_TABLE = Base.metadata.tables["audit_log"]


@dataclass(frozen=True)
class AuditContext:
    user: str
    source: str
    batch_id: int | None = None


#: The user signed in to this process (the GUI sets it after login); None means the operating-system user.
_session_user: str | None = None


def set_session_user(username: str | None) -> None:
    """Name the signed-in user as the author of every change made from now on without an explicit user."""
    global _session_user
    _session_user = username


def default_user() -> str:
    if _session_user:
        return _session_user
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - getuser raises several kinds when no name is set; any means unknown
        return "unknown"


def _plain(value: Any) -> str:
    """What JSON has no type for: decimals as text, so that no digit is lost (orjson writes dates as ISO itself)."""
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} in an audited value")


def dumps(value: Any) -> str:
    """The audit log's JSON of a value or a record: orjson (C; the stdlib encoder costs a second per 150,000 rows
    of an import), UTF-8 text as it is, dates and datetimes ISO 8601, decimals as strings."""
    return orjson.dumps(value, default=_plain).decode()


def to_json(value: Any) -> str | None:
    """A column value as a JSON scalar (dates ISO, decimals as strings so no digit is lost)."""
    return None if value is None else dumps(value)


def row_json(obj: Base) -> str:
    mapper = inspect(obj).mapper
    return dumps({c.key: MASKED if c.key in SECRET_COLUMNS and getattr(obj, c.key) else getattr(obj, c.key)
                  for c in mapper.column_attrs})


def _context(target: Base) -> AuditContext | None:
    session = object_session(target)
    return session.info.get("audit") if session is not None else None


#: Child tables whose subject is found through their parent row: table → (parent table, foreign key column).
_PARENT_OF = {
    "qualification_annual_report": ("enterprise_qualification", "qualification_id"),
    "visit_issue": ("visit", "visit_id"),
    "carrier_recognition_event": ("carrier_recognition", "recognition_id"),
    "voucher_use": ("voucher_grant", "grant_id"),
    "voucher_redemption": ("voucher_use", "use_id"),
}
#: Columns that name a subject, in order of preference.
_SUBJECT_COLUMNS = (("enterprise_id", "enterprise"), ("carrier_id", "carrier"))


def _subject(connection: Connection, target: Base) -> tuple[str, str]:
    table = target.__table__.name
    if table in ("enterprise", "carrier"):
        return table, _pk(target)
    for column, subject in _SUBJECT_COLUMNS:
        value = getattr(target, column, None)
        if value is not None:
            return subject, str(value)
    # Up the chain of parents (a redemption → its use → its grant → the enterprise or the maker team's space).
    child, parent_id = table, None
    while child in _PARENT_OF:
        parent_name, fk = _PARENT_OF[child]
        parent_id = getattr(target, fk) if parent_id is None else connection.execute(
            select(Base.metadata.tables[child].c[fk]).where(Base.metadata.tables[child].c.id == parent_id)).scalar()
        if parent_id is None:
            break
        parent = Base.metadata.tables[parent_name]
        for column, subject in _SUBJECT_COLUMNS:
            if column in parent.c:
                value = connection.execute(select(parent.c[column]).where(parent.c.id == parent_id)).scalar()
                if value is not None:
                    return subject, str(value)
        child = parent_name
    return table, _pk(target)


def _write(connection: Connection, ctx: AuditContext, target: Base, rows: list[dict[str, Any]]) -> None:
    if rows:
        subject_table, subject_id = _subject(connection, target)
        base = {"at": utcnow(), "user": ctx.user, "source": ctx.source, "batch_id": ctx.batch_id,
                "subject_table": subject_table, "subject_id": subject_id}
        connection.execute(insert(AuditLog), [base | row for row in rows])


def _pk(target: Base) -> str:
    key = inspect(target).mapper.primary_key_from_instance(target)
    assert len(key) == 1 and key[0] is not None, "audited tables have a single-column key"
    return str(key[0])


# Mapper events fire for every row the unit of work writes, including orphans removed by a cascade, which
# session-level flush hooks do not see. They run inside the flush, on the flush's own connection.
def _whole_row(action: str, connection: Connection, target: Base) -> None:
    """An insert or a delete: one entry holding the whole record (as the new or the old value)."""
    ctx = _context(target)
    if ctx is None or target.__table__.name in UNAUDITED_TABLES:
        return
    record_json = row_json(target)
    _write(connection, ctx, target, [{
        "action": action, "table_name": target.__table__.name, "row_id": _pk(target), "field": None,
        "old_value": record_json if action == "delete" else None,
        "new_value": record_json if action == "insert" else None,
    }])


@event.listens_for(Base, "after_insert", propagate=True)
def _after_insert(_mapper: Mapper[Any], connection: Connection, target: Base) -> None:
    _whole_row("insert", connection, target)


@event.listens_for(Base, "after_update", propagate=True)
def _after_update(mapper: Mapper[Any], connection: Connection, target: Base) -> None:
    ctx = _context(target)
    if ctx is None or target.__table__.name in UNAUDITED_TABLES:
        return
    state = inspect(target)
    rows = []
    for attr in mapper.column_attrs:
        if attr.key in IGNORED_COLUMNS:
            continue
        hist = state.attrs[attr.key].history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if attr.key in SECRET_COLUMNS:
            old, new = (MASKED if old else None), (CHANGED if new else None)
        if old != new:
            rows.append({"action": "update", "table_name": target.__table__.name, "row_id": _pk(target),
                         "field": attr.key, "old_value": to_json(old), "new_value": to_json(new)})
    _write(connection, ctx, target, rows)


@event.listens_for(Base, "after_delete", propagate=True)
def _after_delete(_mapper: Mapper[Any], connection: Connection, target: Base) -> None:
    _whole_row("delete", connection, target)


def record(session: Session, ctx: AuditContext, rows: list[dict[str, Any]]) -> None:
    """Write audit rows for changes made outside the ORM (keys: action, table_name, row_id, field, old, new).

    ``subject_table`` and ``subject_id`` name the record whose history the change belongs to (default: the changed
    row itself). The rows go through :func:`services.bulk.insert_rows`, so that bulk writers (the import) can log
    hundreds of thousands of changes at driver speed; time, user, source and batch are the same for all of them.
    """
    record_rows(session.connection(), ctx, rows)


def record_rows(conn: Connection, ctx: AuditContext, rows: list[dict[str, Any]]) -> None:
    """:func:`record` on a connection (the import's writer thread has the connection, not the session)."""
    record_entries(conn, ctx, [
        {
            "action": r["action"], "table_name": r["table_name"], "row_id": str(r["row_id"]),
            "field": r.get("field"), "old_value": r.get("old"), "new_value": r.get("new"),
            "subject_table": r.get("subject_table", r["table_name"]),
            "subject_id": str(r.get("subject_id", r["row_id"])),
        }
        for r in rows
    ])


def record_entries(conn: Connection, ctx: AuditContext, entries: list[dict[str, Any]]) -> None:
    """Write audit rows given as their columns (action, table_name, row_id, field, old_value, new_value,
    subject_table, subject_id — ids as text, values as JSON), with the time, user, source and batch of ``ctx``: the
    form a bulk writer builds at once, without :func:`record_rows`' second dictionary per row."""
    insert_rows(conn, _AUDIT_TABLE, entries,
                {"at": utcnow(), "user": ctx.user, "source": ctx.source, "batch_id": ctx.batch_id})
