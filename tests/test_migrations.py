"""Migrations: an empty database reaches head matching the models; every earlier revision's database is upgraded
with all of its data; files the app must not touch are refused unchanged."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from models import Base
from models.migrate import all_revisions, head_revision
from services.database import open_database
from services.errors import DatabaseError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "db"


def table_rows(path: Path) -> dict[str, list[dict[str, object]]]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                             "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'")]
        return {t: [dict(r) for r in conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid')] for t in tables}
    finally:
        conn.close()


def test_empty_database_upgrades_to_a_schema_equal_to_the_models(tmp_path: Path) -> None:
    with open_database(tmp_path / "new.sqlite") as opened:
        assert opened.created
        with opened.db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"models and migrations disagree — add a migration: {diff}"


def test_there_is_a_fixture_database_for_every_revision() -> None:
    have = {p.stem.removeprefix("rev_") for p in FIXTURES.glob("rev_*.sqlite")}
    assert have == set(all_revisions()), "run tests/fixtures/db/make_fixture.py after adding a migration"


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("rev_*.sqlite")), ids=lambda p: p.stem)
def test_each_revision_upgrades_to_head_with_data_intact(tmp_path: Path, fixture: Path) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copyfile(fixture, path)
    before = table_rows(path)
    assert sum(len(rows) for rows in before.values()) > 100  # the fixture really holds data
    with open_database(path) as opened:
        with opened.db.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == head_revision()
        upgraded = fixture.stem.removeprefix("rev_") != head_revision()
        assert (opened.backup_file is not None) == upgraded  # a backup is taken before any migration
    after = table_rows(path)
    for table, rows in before.items():
        assert table in after, f"table {table} disappeared"
        kept = {row.get("id", i): row for i, row in enumerate(after[table])}
        for i, row in enumerate(rows):
            new = kept.get(row.get("id", i))
            assert new is not None, f"row {row} of {table} lost"
            assert {k: v for k, v in row.items() if k in new} == {k: new[k] for k in row if k in new}


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_database_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    shutil.copyfile(FIXTURES / f"rev_{head_revision()}.sqlite", path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    digest = file_digest(path)
    with pytest.raises(DatabaseError, match="更新版本的科创台账"):
        open_database(path)
    assert file_digest(path) == digest


def test_foreign_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('私人笔记')")
    conn.commit()
    conn.close()
    digest = file_digest(path)
    with pytest.raises(DatabaseError, match="不是科创台账的数据库"):
        open_database(path)
    assert file_digest(path) == digest


def test_non_database_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "report.sqlite"
    path.write_bytes("这不是数据库，只是一段文字。".encode() * 100)
    digest = file_digest(path)
    with pytest.raises(DatabaseError):
        open_database(path)
    assert file_digest(path) == digest


def test_missing_file_is_not_created_when_told_not_to(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="不存在"):
        open_database(tmp_path / "absent.sqlite", create=False)
    assert not (tmp_path / "absent.sqlite").exists()
