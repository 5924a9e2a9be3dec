"""Units of work on SQLite: writers queue instead of failing, readers never block writers.

PostgreSQL has row locks and its own isolation; optimistic versions cover two clerks there (test_register).
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text

from models import Enterprise
from models.db import Database
from services.session import read_session, unit_of_work

pytestmark = pytest.mark.sqlite_only


def test_second_writer_waits_for_the_first_instead_of_failing(db: Database) -> None:
    order: list[str] = []
    first_has_lock = threading.Event()

    def first() -> None:
        with unit_of_work(db) as s:
            s.add(Enterprise(name="甲", name_norm="甲"))
            s.flush()
            first_has_lock.set()
            time.sleep(0.3)
            order.append("first commits")

    def second() -> None:
        first_has_lock.wait()
        with unit_of_work(db) as s:
            # Reads the committed state only after the first writer finished.
            count = s.scalar(select(func.count()).select_from(Enterprise))
            order.append(f"second sees {count}")
            s.add(Enterprise(name="乙", name_norm="乙"))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert order == ["first commits", "second sees 1"]
    with read_session(db) as s:
        assert s.scalar(select(func.count()).select_from(Enterprise)) == 2


def test_open_reader_does_not_block_a_writer(db: Database) -> None:
    with read_session(db) as reader:
        assert reader.scalar(select(func.count()).select_from(Enterprise)) == 0
        with unit_of_work(db) as s:
            s.add(Enterprise(name="丙", name_norm="丙"))
        # The reader keeps its snapshot until its transaction ends (WAL).
        assert reader.scalar(select(func.count()).select_from(Enterprise)) == 0
    with read_session(db) as s:
        assert s.scalar(select(func.count()).select_from(Enterprise)) == 1


def test_pragmas_are_set_on_every_connection(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL: commits survive power loss
