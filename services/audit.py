"""The audit log: every insert, update and delete made through an ORM session is recorded.

A listener on the session's flush writes :class:`models.AuditLog` rows in the same transaction as the change, so
the log can never disagree with the data. Who and why come from the :class:`AuditContext` that
:func:`services.session.unit_of_work` puts into ``session.info``. Bulk Core statements (demo data, the import's
fast path) bypass the ORM and call :func:`record` themselves.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import event, inspect, insert
from sqlalchemy.orm import Session

from models import AuditLog, Base
from models.types import utcnow

#: Columns whose changes are bookkeeping, not content.
IGNORED_COLUMNS = frozenset({"updated_at", "created_at", "version"})
#: Tables that are not themselves audited.
UNAUDITED_TABLES = frozenset({"audit_log"})


@dataclass(frozen=True)
class AuditContext:
    user: str
    source: str
    batch_id: int | None = None


def default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - getuser raises several kinds when no name is set; any means unknown
        return "unknown"


def to_json(value: Any) -> str | None:
    """A column value as a JSON scalar (dates ISO, decimals as strings so no digit is lost)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return json.dumps(value.isoformat())
    if isinstance(value, Decimal):
        return json.dumps(str(value))
    return json.dumps(value, ensure_ascii=False)


def row_json(obj: Base) -> str:
    mapper = inspect(obj).mapper
    data = {c.key: getattr(obj, c.key) for c in mapper.column_attrs}
    return json.dumps(
        {k: (json.loads(to_json(v)) if v is not None else None) for k, v in data.items()}, ensure_ascii=False
    )


def _entries(session: Session, ctx: AuditContext) -> list[dict[str, Any]]:
    now = utcnow()
    base = {"at": now, "user": ctx.user, "source": ctx.source, "batch_id": ctx.batch_id}
    out: list[dict[str, Any]] = []
    for obj in session.new:
        table = obj.__table__.name
        if table in UNAUDITED_TABLES:
            continue
        out.append(
            base
            | {"action": "insert", "table_name": table, "row_id": _pk(obj), "field": None,
               "old_value": None, "new_value": row_json(obj)}
        )
    for obj in session.dirty:
        table = obj.__table__.name
        if table in UNAUDITED_TABLES or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            if attr.key in IGNORED_COLUMNS:
                continue
            hist = state.attrs[attr.key].history
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old == new:
                continue
            out.append(
                base
                | {"action": "update", "table_name": table, "row_id": _pk(obj), "field": attr.key,
                   "old_value": to_json(old), "new_value": to_json(new)}
            )
    for obj in session.deleted:
        table = obj.__table__.name
        if table in UNAUDITED_TABLES:
            continue
        out.append(
            base
            | {"action": "delete", "table_name": table, "row_id": _pk(obj), "field": None,
               "old_value": row_json(obj), "new_value": None}
        )
    return out


def _pk(obj: Base) -> str:
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    assert len(key) == 1 and key[0] is not None, "audited tables have a single-column key"
    return str(key[0])


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush_context: Any) -> None:
    ctx = session.info.get("audit")
    if ctx is None:
        return
    rows = _entries(session, ctx)
    if rows:
        session.connection().execute(insert(AuditLog), rows)


def record(session: Session, ctx: AuditContext, rows: list[dict[str, Any]]) -> None:
    """Write audit rows for changes made outside the ORM (keys: action, table_name, row_id, field, old, new)."""
    now = utcnow()
    payload = [
        {
            "at": now, "user": ctx.user, "source": ctx.source, "batch_id": ctx.batch_id,
            "action": r["action"], "table_name": r["table_name"], "row_id": str(r["row_id"]),
            "field": r.get("field"), "old_value": r.get("old"), "new_value": r.get("new"),
        }
        for r in rows
    ]
    if payload:
        session.execute(insert(AuditLog), payload)
