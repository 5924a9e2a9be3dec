"""The two exception families: errors a user can act on, and everything else (bugs).

UI code catches :class:`UserFacingError` and shows its message as it is; anything else goes to the crash handler.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import exc as sa_exc


class AppError(Exception):
    """Base of the project's own errors."""


class UserFacingError(AppError):
    """A known, environmental or input problem. ``str(exc)`` is a complete Chinese sentence for the user."""


class ValidationError(UserFacingError):
    """One or more fields are invalid. ``problems`` maps field name to the rule broken, in Chinese."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("；".join(self.problems.values()))


class NotFoundError(UserFacingError):
    pass


class ConflictError(UserFacingError):
    """The record changed since it was read (optimistic locking)."""


class DatabaseLockedError(UserFacingError):
    """Another copy of the application is writing this database."""


class DatabaseError(UserFacingError):
    """The database file cannot be used: unreadable, corrupt, disk full, newer schema."""


_KNOWN_SQLITE_MESSAGES = {
    "database is locked": "数据库正被其他程序占用，请稍后重试。",
    "database or disk is full": "磁盘空间已满，无法写入数据库。请清理磁盘后重试。",
    "unable to open database file": "无法打开数据库文件，请检查路径和访问权限。",
    "file is not a database": "该文件不是有效的数据库文件。",
    "database disk image is malformed": "数据库文件已损坏，请从备份恢复。",
    "attempt to write a readonly database": "数据库文件为只读，无法写入。",
    "disk I/O error": "读写磁盘时出错，请检查存储设备。",
}


def translate_db_error(exc: BaseException) -> UserFacingError | None:
    """Map a driver error onto a user-facing one by its error *code*, or None when it is a bug."""
    orig = exc.orig if isinstance(exc, sa_exc.DBAPIError) else exc
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorname", "")
        by_code = {
            "SQLITE_BUSY": "database is locked",
            "SQLITE_LOCKED": "database is locked",
            "SQLITE_FULL": "database or disk is full",
            "SQLITE_CANTOPEN": "unable to open database file",
            "SQLITE_NOTADB": "file is not a database",
            "SQLITE_CORRUPT": "database disk image is malformed",
            "SQLITE_READONLY": "attempt to write a readonly database",
            "SQLITE_IOERR": "disk I/O error",
        }
        # Extended codes such as SQLITE_IOERR_WRITE belong to their primary code.
        key = by_code.get("_".join(code.split("_")[:2]))
        if key:
            return DatabaseError(_KNOWN_SQLITE_MESSAGES[key])
    if isinstance(exc, sa_exc.DBAPIError) and (exc.connection_invalidated or _is_connection_error(orig)):
        return DatabaseError("与数据库服务器的连接已断开或无法连接，本次操作未保存。请检查网络和服务器后重试。")
    return None


def _is_connection_error(orig: BaseException | None) -> bool:
    """A server database's connection failed (SQLSTATE class 08, or the driver could not connect at all)."""
    sqlstate = getattr(orig, "sqlstate", None)
    if isinstance(sqlstate, str):
        return sqlstate.startswith("08") or sqlstate in ("57P01", "57P02", "57P03")  # admin/crash shutdown
    return type(orig).__module__.startswith("psycopg") and type(orig).__name__ == "OperationalError"
