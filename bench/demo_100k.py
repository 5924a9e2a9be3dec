"""demo_100k: seconds to build the demo database of 100,000 enterprises (``--quick``: 5,000); budget 60 s.

The floor is plain ``sqlite3``: ``executemany`` of the same enterprise rows and year-fact rows (read back from the
demo just built, so the same number of rows with the same values) into a fresh file with the same tables and
indexes, in one transaction, with the application's journal mode and sync level.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from pathlib import Path

from services.demo import build_demo

#: A fixed day, so that runs on different days build the same database.
AS_OF = dt.date(2025, 6, 30)
TABLES = ("enterprise", "enterprise_year_fact")


def enterprises(quick: bool) -> int:
    return 5_000 if quick else 100_000


def measure(workdir: Path, quick: bool) -> float:
    started = time.perf_counter()
    build_demo(workdir / "demo.sqlite", enterprises=enterprises(quick), seed=1, as_of=AS_OF)
    return time.perf_counter() - started


def floor(workdir: Path, quick: bool) -> float:
    source = sqlite3.connect(workdir / "demo.sqlite")
    try:
        ddl = [sql for (sql,) in source.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name IN (?, ?) AND sql IS NOT NULL ORDER BY type DESC, name",
            TABLES)]
        rows = {table: source.execute(f"SELECT * FROM {table}").fetchall() for table in TABLES}
    finally:
        source.close()
    target = sqlite3.connect(workdir / "floor.sqlite", isolation_level=None)
    try:
        target.execute("PRAGMA journal_mode=WAL")
        target.execute("PRAGMA synchronous=FULL")
        for statement in ddl:
            target.execute(statement)
        started = time.perf_counter()
        target.execute("BEGIN")
        for table in TABLES:
            marks = ", ".join("?" * len(rows[table][0]))
            target.executemany(f"INSERT INTO {table} VALUES ({marks})", rows[table])
        target.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        target.close()
