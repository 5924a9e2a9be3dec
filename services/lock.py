"""One writer per SQLite file: an OS lock on ``<file>.lock`` held for as long as the database is open.

The operating system releases the lock when the process ends, however it ends, so a crash never leaves a stale
lock behind. The lock file holds who has it, for the message the second instance shows.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sys
from pathlib import Path
from typing import IO

from services.errors import DatabaseLockedError

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fh: IO[str]) -> bool:
        try:
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fh: IO[str]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fh: IO[str]) -> bool:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fh: IO[str]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


class InstanceLock:
    """Held while a process may write ``db_path``. Use as a context manager or call release()."""

    def __init__(self, db_path: Path) -> None:
        self.path = lock_path_for(db_path)
        self.db_path = db_path
        self._fh: IO[str] | None = None

    def acquire(self) -> InstanceLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - kept open while the lock is held
        if not _try_lock(fh):
            # Byte 0 is the lock byte (Windows locks block reading it); the owner note starts after it.
            fh.seek(1)
            holder = _describe(fh.read())
            fh.close()
            raise DatabaseLockedError(
                f"数据库“{self.db_path.name}”已被另一个科创台账程序打开{holder}。"
                "为防止数据损坏，同一数据库文件同时只能由一个程序写入。请先关闭另一个窗口。"
            )
        fh.seek(0)
        fh.truncate()
        # The lock byte on Windows is byte 0, so the owner note starts after it.
        fh.write(" " + json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                   "since": dt.datetime.now().strftime("%Y-%m-%d %H:%M")}))
        fh.flush()
        self._fh = fh
        return self

    def release(self) -> None:
        if self._fh is not None:
            try:
                _unlock(self._fh)
            finally:
                self._fh.close()
                self._fh = None

    @property
    def held(self) -> bool:
        return self._fh is not None

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _describe(text: str) -> str:
    try:
        info = json.loads(text.strip())
        return f"（计算机 {info['host']}，进程 {info['pid']}，{info['since']} 起）"
    except (ValueError, KeyError, TypeError):
        return ""
