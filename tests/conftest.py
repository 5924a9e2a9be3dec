"""Test setup shared by every test.

Each test gets its own data folder (logs, backups, attachments) under tmp_path, and databases are real SQLite
files. A migrated database with reference data is built once per session and copied for each test that wants one
(creating the schema is the slow part).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_SCALE_FACTOR", "1")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from models.db import Database  # noqa: E402
from services.database import OpenDatabase, open_database  # noqa: E402


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "qtbot" in fixtures or "qapp" in fixtures or "qtmodeltester" in fixtures:
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test has its own data folder: nothing is written to the real user folder."""
    path = tmp_path / "data"
    path.mkdir()
    monkeypatch.setenv("TECHLEDGER_DATA_DIR", str(path))
    return path


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    previous = os.environ.get("TECHLEDGER_DATA_DIR")
    os.environ["TECHLEDGER_DATA_DIR"] = str(folder / "data")
    try:
        path = folder / "template.sqlite"
        with open_database(path):
            pass
    finally:
        # Put back what the test's own data_dir fixture set: removing it would send that test's settings,
        # logs and backups to the real user folder.
        if previous is None:
            os.environ.pop("TECHLEDGER_DATA_DIR", None)
        else:
            os.environ["TECHLEDGER_DATA_DIR"] = previous
    return path


@pytest.fixture
def db_path(tmp_path: Path, template_db: Path) -> Path:
    """A fresh, migrated database file with reference data (a copy of the session template)."""
    path = tmp_path / "techledger.sqlite"
    shutil.copyfile(template_db, path)
    return path


#: Engines the database fixtures run on: both by default (PostgreSQL tests skip where no server programs are
#: installed, except in CI, where that fails); ``TECHLEDGER_TEST_ENGINES=sqlite`` for a quick inner loop.
ENGINES = [e.strip() for e in os.environ.get("TECHLEDGER_TEST_ENGINES", "sqlite,postgresql").split(",")
           if e.strip()]


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """A PostgreSQL server for the tests: ``TECHLEDGER_TEST_PG_URL``, or a throwaway cluster started here."""
    given = os.environ.get("TECHLEDGER_TEST_PG_URL")
    if given:
        yield given
        return
    from tests.pg_server import PgServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        message = "no PostgreSQL server programs (initdb, pg_ctl) found"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs PostgreSQL: its absence is a broken set-up, not a reason to skip
        pytest.skip(message)
    server = PgServer(bindir).start()
    try:
        yield server.url
    finally:
        server.stop()


def _pg_execute(admin_url: str, sql: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def pg_template(pg_admin_url: str) -> str:
    """A migrated PostgreSQL database with reference data, copied for each test (CREATE DATABASE … TEMPLATE)."""
    from sqlalchemy.engine import make_url

    _pg_execute(pg_admin_url, "CREATE DATABASE techledger_template")
    url = make_url(pg_admin_url).set(database="techledger_template")
    with open_database(url.render_as_string(hide_password=False)):
        pass
    return "techledger_template"


@pytest.fixture(params=ENGINES)
def opened(request: pytest.FixtureRequest) -> Iterator[OpenDatabase]:
    """The database under test, on each engine in ENGINES. Tests of SQLite-file behaviour use ``db_path``."""
    if request.param == "sqlite":
        with open_database(request.getfixturevalue("db_path")) as result:
            yield result
        return
    if request.node.get_closest_marker("sqlite_only"):
        pytest.skip("只适用于 SQLite 文件数据库")
    import uuid

    from sqlalchemy.engine import make_url

    admin = request.getfixturevalue("pg_admin_url")
    template = request.getfixturevalue("pg_template")
    name = f"t_{uuid.uuid4().hex[:12]}"
    _pg_execute(admin, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        with open_database(make_url(admin).set(database=name).render_as_string(hide_password=False)) as result:
            yield result
    finally:
        _pg_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def db(opened: OpenDatabase) -> Database:
    return opened.db
