"""Copying SQLite files safely: a consistent snapshot through the online backup API, checked, made durable, renamed.

These helpers use the standard library's :mod:`sqlite3` directly, not the application's engine: a backup must be read
through a connection of its own so that it never joins, waits for or disturbs the application's transaction. The
snapshot connection only reads, and holds one read transaction from start to end, so every page copied belongs to
the same committed state even while another connection keeps writing (WAL lets readers and a writer work side by
side), and a transaction still open elsewhere is simply not part of the copy.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from models.db import BUSY_TIMEOUT_MS
from services.progress import Progress

#: The first 16 bytes of every SQLite 3 database file.
SQLITE_MAGIC = b"SQLite format 3\x00"
#: Pages copied per backup step (1 MB at the default page size): the granularity of progress and cancel.
STEP_PAGES = 256
#: Ending of the temporary files a copy is staged in; leftovers of a killed process are recognised by it.
TEMP_SUFFIX = ".sqlite-tmp"
#: Files SQLite may keep beside a database.
SIDECAR_SUFFIXES = ("-wal", "-shm", "-journal")


class UnusableDatabase(Exception):
    """The file is not a usable TechLedger database. ``str(exc)`` says why in Chinese, without naming the file."""


def has_sqlite_header(path: Path) -> bool:
    """True when the file starts like an SQLite 3 database (an empty file does not)."""
    with path.open("rb") as fh:
        return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


@contextmanager
def read_snapshot(path: Path, *, recover: bool = False) -> Iterator[sqlite3.Connection]:
    """A connection to ``path`` inside one read transaction: everything read through it sees one state.

    Args:
        path: An existing database file (it is never created).
        recover: Open it read-write (it is still only read) so that SQLite can finish the recovery a crash left
            behind, such as rolling back a hot journal, which a read-only connection refuses to do. For the live
            database; files that should stay exactly as they are (backups) are opened read-only.

    Raises:
        sqlite3.Error: the file cannot be opened or is not a database.
    """
    mode = "rw" if recover else "ro"
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True, isolation_level=None,
                           timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute("BEGIN")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        yield conn
    finally:
        conn.close()


def probe(conn: sqlite3.Connection, *, thorough: bool) -> str:
    """Check the database behind ``conn`` and return its Alembic revision.

    Args:
        conn: An open connection (normally a :func:`read_snapshot`).
        thorough: ``PRAGMA integrity_check`` (also compares every index with its table) instead of the faster
            ``PRAGMA quick_check``.

    Raises:
        UnusableDatabase: corrupt, or not a TechLedger database.
    """
    pragma = "integrity_check" if thorough else "quick_check"
    try:
        messages = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}")]
    except sqlite3.DatabaseError as exc:
        raise UnusableDatabase(f"文件已损坏，无法读取（{exc}）") from exc
    if messages != ["ok"]:
        raise UnusableDatabase("文件已损坏，完整性检查未通过（" + "；".join(messages[:3]) + "）")
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as exc:
        raise UnusableDatabase("它不是科创台账的数据库（没有结构版本信息）") from exc
    if row is None:
        raise UnusableDatabase("它不是科创台账的数据库（结构版本信息为空）")
    return str(row[0])


def _reporter(progress: Progress | None, label: str) -> Callable[[int, int, int], None] | None:
    if progress is None:
        return None

    def report(_status: int, remaining: int, total: int) -> None:
        progress.update(label, total - remaining, total)

    return report


def copy_pages(src: sqlite3.Connection, dest: Path, *, progress: Progress | None, label: str) -> None:
    """Copy the database behind ``src`` into the file ``dest`` with the online backup API.

    The destination is written in one transaction, so an interruption (crash, kill, :class:`Cancelled` from
    ``progress``) leaves ``dest`` as it was. An existing WAL-mode destination stays in WAL mode.
    """
    dst = sqlite3.connect(dest, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        dst.execute("PRAGMA synchronous=FULL")
        src.backup(dst, pages=STEP_PAGES, progress=_reporter(progress, label))
    finally:
        dst.close()


@contextmanager
def staged_copy(src: sqlite3.Connection, folder: Path, *, progress: Progress | None, label: str) -> Iterator[Path]:
    """Copy ``src`` into a new temporary file in ``folder``; the file is removed on exit unless published.

    The copy is switched to rollback-journal mode so that it is one self-contained file (no ``-wal`` beside it).
    """
    fd, name = tempfile.mkstemp(prefix=".", suffix=TEMP_SUFFIX, dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        copy_pages(src, tmp, progress=progress, label=label)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
        yield tmp
    finally:
        remove_with_sidecars(tmp)


def publish(tmp: Path, final: Path) -> None:
    """Make ``tmp`` durable, then rename it to ``final`` in one step (``final`` is replaced if it exists).

    After a crash ``final`` is either what it was before or the complete new file, never a part of it.
    """
    with tmp.open("rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, final)
    fsync_dir(final.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no directory handles to flush, NTFS journals it)."""
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_with_sidecars(path: Path) -> None:
    """Delete a database file and any ``-wal``/``-shm``/``-journal`` file beside it."""
    for suffix in ("", *SIDECAR_SUFFIXES):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
