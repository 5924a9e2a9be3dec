"""Database lifecycle: open (lock, back up, migrate, load reference data) and close.

Every entry point — the GUI, each command, the tests — opens a database through :func:`open_database`, so a file
is never used at an older schema and never without its lock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import inspect, select

from models.db import Database, resolve_url
from models.migrate import all_revisions, current_revision, head_revision, upgrade
from models.reference import District
from services.errors import DatabaseError, UserFacingError
from services.lock import InstanceLock
from services.paths import default_db_path
from services.reference import load_reference_data
from services.session import unit_of_work

log = logging.getLogger(__name__)


@dataclass(eq=False)
class OpenDatabase:
    """A database opened by the application, with its instance lock and what happened on opening."""

    db: Database
    lock: InstanceLock | None
    created: bool = False
    migrated_from: str | None = None
    backup_file: Path | None = None
    notes: list[str] = field(default_factory=list)

    def close(self) -> None:
        self.db.dispose()
        if self.lock is not None:
            self.lock.release()

    def __enter__(self) -> OpenDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _schema_state(db: Database) -> tuple[bool, str | None]:
    """(has any tables, alembic revision)."""
    with db.engine.connect() as conn:
        tables = inspect(conn).get_table_names()
        return bool(tables), current_revision(conn) if "alembic_version" in tables else None


def open_database(db_arg: str | Path | None = None, *, lock: bool = True, create: bool = True,
                  backup_before_migrate: bool = True) -> OpenDatabase:
    """Open (and if needed create or upgrade) the database named by ``--db``, or the default one.

    Raises:
        DatabaseLockedError: another instance holds the file.
        DatabaseError: the file is not a TechLedger database, or was written by a newer version.
    """
    url = resolve_url(db_arg if db_arg is not None else default_db_path())
    instance_lock: InstanceLock | None = None
    path: Path | None = None
    if url.get_backend_name() == "sqlite" and url.database:
        path = Path(url.database)
        if not path.exists() and not create:
            raise DatabaseError(f"数据库文件不存在：{path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        if lock:
            instance_lock = InstanceLock(path).acquire()
    try:
        db = Database.connect(url)
        result = OpenDatabase(db=db, lock=instance_lock)
        _prepare(result, backup_before_migrate=backup_before_migrate)
        return result
    except BaseException:
        if instance_lock is not None:
            instance_lock.release()
        raise


def _prepare(opened: OpenDatabase, *, backup_before_migrate: bool) -> None:
    db = opened.db
    try:
        has_tables, revision = _schema_state(db)
    except UserFacingError:
        raise
    except Exception as exc:
        raise DatabaseError(f"无法读取数据库“{db.display_name()}”：它不是科创台账的数据库，或文件已损坏。") from exc
    head = head_revision()
    if has_tables and revision is None:
        raise DatabaseError(f"“{db.display_name()}”不是科创台账的数据库（没有版本信息），未作任何修改。")
    if revision is not None and revision not in all_revisions():
        raise DatabaseError(
            f"数据库“{db.display_name()}”由更新版本的科创台账创建（结构版本 {revision}），请升级本软件后再打开。"
        )
    db.enable_wal()
    if revision != head:
        if revision is not None and backup_before_migrate and db.path is not None:
            from services.backup import backup_database

            opened.backup_file = backup_database(db, reason="before-migration").path
            opened.notes.append(f"数据库结构已从版本 {revision} 升级到 {head}，升级前的备份：{opened.backup_file}")
        log.info("migrating %s from %s to %s", db.display_name(), revision, head)
        upgrade(db.engine)
        opened.migrated_from = revision
        opened.created = revision is None
    with unit_of_work(db, source="system") as session:
        if opened.created or session.scalar(select(District.id).limit(1)) is None:
            added = load_reference_data(session)
            log.info("reference data: %d rows added", added)
