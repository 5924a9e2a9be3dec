"""Unit of work: one session per user action, with the audit context attached."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from models.db import Database
from services.audit import AuditContext, default_user
from services.errors import ConflictError, translate_db_error


@contextmanager
def unit_of_work(db: Database, *, source: str = "gui", user: str | None = None,
                 batch_id: int | None = None) -> Iterator[Session]:
    """Open a session in a transaction that commits on success and rolls back on any error.

    Driver errors that a user can act on (disk full, locked, corrupt) come out as
    :class:`services.errors.UserFacingError`.
    """
    try:
        with db.session_factory.begin() as session:
            session.info["audit"] = AuditContext(user or default_user(), source, batch_id)
            yield session
    except StaleDataError as exc:
        # Another session saved the same row first (its version moved on while this one was being written).
        raise ConflictError("该记录已被他人修改，您的修改未保存。请刷新后重新修改。") from exc
    except sa_exc.DBAPIError as exc:
        known = translate_db_error(exc)
        if known is not None:
            raise known from exc
        raise


@contextmanager
def read_session(db: Database) -> Iterator[Session]:
    """A session for reading only; nothing is committed."""
    try:
        with db.read_session_factory() as session:
            yield session
    except sa_exc.DBAPIError as exc:
        known = translate_db_error(exc)
        if known is not None:
            raise known from exc
        raise
