"""Backups and restore of the SQLite database file (PRODUCT.md, "Reliability promises").

A backup is a consistent copy taken while the application may be writing (the SQLite online backup API from a
connection of its own, see :mod:`services.sqlite_copy`), checked, flushed to disk and only then renamed to its final
name, so a backup file that exists is always complete. Backups made into the backup folder are rotated
(:func:`rotate_backups`). A restore checks the backup first and changes nothing when it cannot be used; otherwise it
backs up the current database (``before-restore``), copies the backup in and upgrades it to the current structure.

Server databases (PostgreSQL) are backed up with the server's own tools.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from models import Enterprise
from models.db import Database
from models.migrate import all_revisions, head_revision
from services.backup_files import backup_names, rotate_backups, unique_backup_path
from services.db_check import CheckReport, check_database
from services.errors import DatabaseError, DatabaseLockedError, UserFacingError, translate_db_error
from services.lock import InstanceLock
from services.paths import backup_dir_for
from services.progress import Progress
from services.sqlite_copy import (
    SIDECAR_SUFFIXES,
    UnusableDatabase,
    copy_pages,
    has_sqlite_header,
    probe,
    publish,
    read_snapshot,
    remove_with_sidecars,
    staged_copy,
)

__all__ = [
    "BackupInfo",
    "CheckReport",
    "RestoreResult",
    "backup_database",
    "check_database",
    "list_backups",
    "restore_database",
    "rotate_backups",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BackupInfo:
    """One backup file.

    Attributes:
        path: The file.
        size_bytes: Its size.
        created_at: When it was taken (local time zone, to the second).
        reason: Why: ``manual``, ``before-migration``, ``before-restore``, ``before-import``, ``exit`` ….
        revision: The structure version it holds; None when the file cannot be read.
    """

    path: Path
    size_bytes: int
    created_at: dt.datetime
    reason: str
    revision: str | None


@dataclass(frozen=True)
class RestoreResult:
    """What :func:`restore_database` did.

    Attributes:
        backup_file: The backup restored from.
        target: The database file restored into.
        revision: Structure version of the backup.
        safety_backup: Copy of the database as it was before the restore; None when there was no database.
        safety_backup_damaged: The database before the restore could not be read; it was copied as it was.
        migrated_to: The structure version the restored data was upgraded to, or None when it was current.
        enterprises: Enterprises in the restored database (removed ones included).
    """

    backup_file: Path
    target: Path
    revision: str
    safety_backup: Path | None
    safety_backup_damaged: bool
    migrated_to: str | None
    enterprises: int

    def describe(self) -> str:
        """A Chinese summary for the command line and the GUI."""
        parts = [f"已从备份“{self.backup_file}”恢复数据库“{self.target}”，共有企业 {self.enterprises} 家。"]
        if self.safety_backup is None:
            parts.append("恢复前没有数据库文件。")
        elif self.safety_backup_damaged:
            parts.append(f"恢复前的数据库已损坏，已原样另存为“{self.safety_backup}”。")
        else:
            parts.append(f"恢复前的数据库已备份到“{self.safety_backup}”。")
        if self.migrated_to is not None:
            parts.append(f"备份的结构版本 {self.revision} 已升级到 {self.migrated_to}。")
        return "".join(parts)


def backup_database(db: Database, dest: Path | None = None, reason: str = "manual",
                    progress: Progress | None = None) -> BackupInfo:
    """Back up a SQLite database while it stays in use.

    Args:
        db: The database; only SQLite files can be backed up here.
        dest: The backup file to write (replaced if it exists), or a folder to write a named backup into. None
            writes ``<stem>-YYYYMMDD-HHMMSS-<reason>.sqlite`` into the backup folder and then rotates that folder.
        reason: Why the backup is taken; lower-case words joined by hyphens.
        progress: Receives the pages copied; its cancel stops the backup and leaves no file behind.

    Raises:
        UserFacingError: a server database, or the backup cannot be written (disk full, no permission).
        DatabaseError: the database cannot be read, or the copy failed its check (the database may be damaged).
        Cancelled: cancelled through ``progress``.
    """
    if not db.is_sqlite or db.path is None:
        raise UserFacingError(
            f"“{db.display_name()}”是服务器数据库，请用数据库服务器自带的工具（如 pg_dump）备份；"
            "本功能只备份本机的 SQLite 数据库文件。"
        )
    return _backup_file(db.path, dest, reason, progress)


class DamagedDatabaseError(DatabaseError):
    """The database file itself cannot be read as a TechLedger database (corrupt, or another kind of file)."""


#: SQLite error codes (and their extended codes) that mean the file itself is bad, not the moment or the disk.
_DAMAGE_CODES = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


def _backup_file(source: Path, dest: Path | None, reason: str, progress: Progress | None) -> BackupInfo:
    if not source.is_file():
        raise DatabaseError(f"数据库文件不存在：{source}")
    taken_at = dt.datetime.now().astimezone().replace(microsecond=0)
    folder = backup_dir_for(source) if dest is None else dest if dest.is_dir() else dest.parent
    explicit = None if dest is None or dest.is_dir() else dest
    started = time.monotonic()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with (read_snapshot(source, recover=True) as src,
              staged_copy(src, folder, progress=progress, label="正在备份数据库…") as tmp):
            if progress is not None:
                progress.update("正在校验备份…")
            # The copy is page for page the database: quick_check proves every page and record of the file sound.
            # The slower integrity_check also compares each index with its table, which a restore does before
            # trusting a backup; refusing a backup over a stale index would only leave the clerk with none.
            with read_snapshot(tmp) as copy:
                revision = probe(copy, thorough=False)
            final = explicit or unique_backup_path(folder, source.stem, taken_at.replace(tzinfo=None), reason)
            publish(tmp, final)
    except UnusableDatabase as exc:
        raise DamagedDatabaseError(
            f"数据库“{source}”无法备份：{exc}。请运行“检查数据库”，必要时从较早的备份恢复。"
        ) from exc
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorname", "").startswith(_DAMAGE_CODES):
            raise DamagedDatabaseError(f"数据库“{source}”已损坏或不是数据库文件，无法备份（{exc}）。") from exc
        raise translate_db_error(exc) or DatabaseError(f"备份数据库“{source}”失败：{exc}") from exc
    except OSError as exc:
        raise UserFacingError(f"无法写入备份文件夹“{folder}”：{exc.strerror or exc}") from exc
    info = BackupInfo(final, final.stat().st_size, taken_at, reason, revision)
    log.info("backup of %s (%s) to %s: %d bytes in %.2f s", source, reason, final, info.size_bytes,
             time.monotonic() - started)
    if dest is None:
        rotate_backups(folder, now=taken_at)
    return info


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The backups of a database file in its backup folder, newest first (for the restore page)."""
    infos = []
    for name in backup_names(backup_dir_for(db_path)):
        if name.stem != db_path.stem:
            continue
        try:
            size = name.path.stat().st_size
        except FileNotFoundError:  # rotated away by another process since the folder was listed
            continue
        infos.append(BackupInfo(name.path, size, name.taken_at.astimezone(), name.reason, _revision_of(name.path)))
    return infos


def _revision_of(path: Path) -> str | None:
    try:
        with read_snapshot(path) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def restore_database(backup_file: Path, target: Path, progress: Progress | None = None) -> RestoreResult:
    """Replace the database ``target`` with the contents of ``backup_file``.

    The backup is checked first (a readable SQLite file, passing ``PRAGMA integrity_check``, a TechLedger
    database of a known structure version); if it cannot be used nothing is changed. Then, holding the instance
    lock on ``target``: the current database is backed up (reason ``before-restore``; copied as it is when it is
    itself damaged), the backup is copied in through the online backup API (one transaction, so a crash leaves
    the old or the new contents), and the result is opened, which upgrades an older backup to the current
    structure. The application's own lock counts too: the GUI closes the database before it restores into it.

    Raises:
        DatabaseError: the backup cannot be used (the message names the file and why).
        DatabaseLockedError: the database is open in another copy of the application.
        UserFacingError: the safety backup or the copy cannot be written.
        Cancelled: cancelled through ``progress``; the database is left as it was.
    """
    from services.database import open_database  # services.database imports this module for its backups

    backup_file, target = backup_file.expanduser().resolve(), target.expanduser().resolve()
    if backup_file == target:
        raise UserFacingError(f"“{backup_file}”就是要恢复的数据库本身，请选择一个备份文件。")
    with _checked_backup(backup_file, progress) as (src, revision):
        target.parent.mkdir(parents=True, exist_ok=True)
        lock = _lock_for_restore(target)
        try:
            safety, damaged = _safety_backup(target, progress)
            _write_target(src, target, replace_file=damaged, progress=progress)
            log.info("restored %s from %s (safety backup %s)", target, backup_file, safety)
            if progress is not None:
                progress.update("正在打开恢复后的数据库…")
            with open_database(target, lock=False) as opened:
                migrated_to = head_revision() if opened.migrated_from is not None else None
                with opened.db.engine.connect() as conn:
                    enterprises = int(conn.scalar(select(func.count()).select_from(Enterprise)) or 0)
        finally:
            lock.release()
    return RestoreResult(backup_file, target, revision, safety, damaged, migrated_to, enterprises)


@contextmanager
def _checked_backup(path: Path, progress: Progress | None) -> Iterator[tuple[sqlite3.Connection, str]]:
    """A snapshot of a backup file that passed every check, and its revision."""
    unchanged = "当前数据库未作任何修改。"
    if not path.is_file():
        raise DatabaseError(f"备份文件不存在：{path}。{unchanged}")
    if not has_sqlite_header(path):
        raise DatabaseError(f"“{path}”不是科创台账的备份文件：它不是 SQLite 数据库文件。{unchanged}")
    if progress is not None:
        progress.update("正在检查备份文件…")
    with ExitStack() as stack:
        try:
            src = stack.enter_context(read_snapshot(path))
            revision = probe(src, thorough=True)
        except UnusableDatabase as exc:
            raise DatabaseError(f"备份文件“{path}”不能用于恢复：{exc}。{unchanged}") from exc
        except sqlite3.Error as exc:
            raise DatabaseError(f"备份文件“{path}”无法读取或已损坏（{exc}）。{unchanged}") from exc
        if revision not in all_revisions():
            raise DatabaseError(
                f"备份文件“{path}”由更新版本的科创台账创建（结构版本 {revision}），本软件无法使用，"
                f"请先升级本软件。{unchanged}"
            )
        yield src, revision


def _lock_for_restore(target: Path) -> InstanceLock:
    try:
        return InstanceLock(target).acquire()
    except DatabaseLockedError as exc:
        raise DatabaseLockedError(f"无法恢复：{exc}") from exc


def _safety_backup(target: Path, progress: Progress | None) -> tuple[Path | None, bool]:
    """Back up ``target`` before it is overwritten: (the copy, whether it was damaged and copied as it was)."""
    if not target.exists():
        return None, False
    try:
        return _backup_file(target, None, "before-restore", progress).path, False
    except DamagedDatabaseError as exc:
        log.warning("database %s is damaged (%s); copying it as it is before the restore", target, exc)
    folder = backup_dir_for(target)
    raw = unique_backup_path(folder, target.stem, dt.datetime.now().replace(microsecond=0), "before-restore")
    try:
        for suffix in ("", *SIDECAR_SUFFIXES):
            part = Path(f"{target}{suffix}")
            if part.exists():
                shutil.copy2(part, Path(f"{raw}{suffix}"))
    except OSError as exc:
        remove_with_sidecars(raw)
        raise UserFacingError(
            f"恢复前无法备份当前数据库“{target}”（{exc.strerror or exc}），未作任何修改。"
        ) from exc
    return raw, True


def _write_target(src: sqlite3.Connection, target: Path, *, replace_file: bool, progress: Progress | None) -> None:
    """Copy the snapshot ``src`` into ``target``.

    Normally through the backup API into the database itself, which works with its WAL and is one transaction.
    A damaged target cannot be written that way; it is replaced by a complete copy renamed over it instead.
    """
    label = "正在恢复数据库…"
    try:
        if not replace_file:
            copy_pages(src, target, progress=progress, label=label)
            return
        with staged_copy(src, target.parent, progress=progress, label=label) as tmp:
            for suffix in SIDECAR_SUFFIXES:
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            publish(tmp, target)
    except sqlite3.Error as exc:
        raise translate_db_error(exc) or DatabaseError(f"恢复数据库“{target}”失败：{exc}") from exc
    except OSError as exc:
        raise UserFacingError(f"无法写入数据库文件“{target}”：{exc.strerror or exc}") from exc
