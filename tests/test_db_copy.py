"""Copying a whole database to another engine, verified table by table."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from services.database import open_database
from services.db_copy import copy_database, table_checks
from services.dto import EnterpriseInput
from services.errors import UserFacingError
from services.register import create_enterprise, search_enterprises

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "db"


def fixture_copy(tmp_path: Path) -> Path:
    path = tmp_path / "source.sqlite"
    shutil.copyfile(sorted(FIXTURES.glob("rev_*.sqlite"))[-1], path)
    return path


def checks(db_arg: str | Path):  # type: ignore[no-untyped-def]
    with open_database(db_arg) as opened, opened.db.engine.connect() as conn:
        return table_checks(conn)


def test_sqlite_to_sqlite_copy_is_identical_and_keeps_working(tmp_path: Path) -> None:
    source = fixture_copy(tmp_path)
    target = tmp_path / "copy.sqlite"
    result = copy_database(source, target)
    assert result.total_rows > 100
    assert checks(target) == checks(source)
    with open_database(target) as opened:  # the copy is a normal database: new rows get new ids
        created = create_enterprise(opened.db, EnterpriseInput(name="复制后新增的企业"))
        assert created.id > max(r.id for r in search_enterprises(opened.db) if r.id != created.id)


def test_a_non_empty_target_is_refused_untouched(tmp_path: Path) -> None:
    source = fixture_copy(tmp_path)
    target = tmp_path / "busy.sqlite"
    with open_database(target) as opened:
        create_enterprise(opened.db, EnterpriseInput(name="已有企业"))
    before = checks(target)
    with pytest.raises(UserFacingError, match="不是空的"):
        copy_database(source, target)
    assert checks(target) == before


def new_pg_database(admin_url: str, name: str) -> str:
    from tests.conftest import _pg_execute

    _pg_execute(admin_url, f'CREATE DATABASE "{name}"')
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def test_sqlite_to_postgresql_and_back(tmp_path: Path, pg_admin_url: str) -> None:
    source = fixture_copy(tmp_path)
    server = new_pg_database(pg_admin_url, "copy_roundtrip")
    to_server = copy_database(source, server)
    assert to_server.tables == tuple(checks(source))
    with open_database(server) as opened:  # sequences moved past the copied ids
        created = create_enterprise(opened.db, EnterpriseInput(name="服务器上新增的企业"))
        assert created.id > 2
    back = tmp_path / "back.sqlite"
    result = copy_database(server, back)
    assert result.tables == tuple(checks(server))
    conn = sqlite3.connect(back)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM enterprise WHERE name = '服务器上新增的企业'").fetchone()[0] == 1
    finally:
        conn.close()


@pytest.mark.slow
def test_the_100k_demo_database_copies_to_postgresql_verified(tmp_path: Path, pg_admin_url: str) -> None:
    """The issue's acceptance case: a bureau's full-size database moved onto a server, every table verified."""
    import datetime as dt

    from services.demo import build_demo

    source = tmp_path / "demo100k.sqlite"
    build_demo(source, enterprises=100_000, seed=1, as_of=dt.date(2026, 6, 30))
    result = copy_database(source, new_pg_database(pg_admin_url, "demo100k"))
    counts = {t.table: t.rows for t in result.tables}
    assert counts["enterprise"] == 100_000
    assert result.total_rows > 500_000
    assert result.tables == tuple(checks(source))
