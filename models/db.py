"""Engines and sessions: SQLite pragmas on connect, one session factory per database.

SQLite files are kept in WAL mode with ``synchronous=FULL`` so that a committed transaction survives a power cut, with
foreign keys on and a busy timeout so that a reader never fails just because a writer is busy.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 10_000
#: Execution option marking connections of write sessions (see _sqlite_begin).
WRITE_OPTION = "techledger_write"


def resolve_url(db: str | Path) -> URL:
    """Turn a ``--db`` value into a URL: a SQLAlchemy URL as given, anything else is a SQLite file path."""
    text = str(db)
    if "://" in text:
        return make_url(text)
    return URL.create("sqlite+pysqlite", database=str(Path(text).expanduser().resolve()))


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # pysqlite's own transaction handling is turned off (isolation_level=None) and SQLAlchemy's "begin" event
    # issues BEGIN itself, as the SQLAlchemy docs recommend, so that SAVEPOINT and DDL behave.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # WAL is a property of the file, switched on once by enable_wal() after the file proved to be ours;
    # setting it here would rewrite the header of any file we merely looked at.
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # A unit of work that will write takes the write lock up front (BEGIN IMMEDIATE): a deferred transaction
    # that reads first and writes later fails at once with SQLITE_BUSY_SNAPSHOT if another connection
    # committed in between, whereas IMMEDIATE simply waits for the busy timeout.
    immediate = conn.get_execution_options().get(WRITE_OPTION)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: URL | str, **kwargs: Any) -> Engine:
    url = make_url(url) if isinstance(url, str) else url
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


@dataclass(eq=False)
class Database:
    """An open database: its URL, engine and session factory."""

    url: URL
    engine: Engine
    #: Sessions that write (their transactions start with the write lock on SQLite).
    session_factory: sessionmaker[Session]
    #: Sessions that only read.
    read_session_factory: sessionmaker[Session]

    @classmethod
    def connect(cls, db: str | Path | URL) -> Database:
        url = db if isinstance(db, URL) else resolve_url(db)
        engine = make_engine(url)
        writer = engine.execution_options(**{WRITE_OPTION: True})
        return cls(
            url=url,
            engine=engine,
            session_factory=sessionmaker(writer, expire_on_commit=False),
            read_session_factory=sessionmaker(engine, expire_on_commit=False),
        )

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        if self.is_sqlite and self.url.database and self.url.database != ":memory:":
            return Path(self.url.database)
        return None

    def display_name(self) -> str:
        """What the UI shows as 'database in use' (password hidden)."""
        return str(self.path) if self.path else self.url.render_as_string(hide_password=True)

    def enable_wal(self) -> None:
        """Switch a SQLite file to write-ahead logging (persistent; readers never block the writer)."""
        if self.is_sqlite:
            # Outside any transaction, which SQLAlchemy connections always open: use the driver directly.
            raw = self.engine.raw_connection()
            try:
                raw.driver_connection.execute("PRAGMA journal_mode=WAL")  # type: ignore[union-attr]
            finally:
                raw.close()

    def dispose(self) -> None:
        self.engine.dispose()
