"""A server database that goes away: a clear message, nothing half-saved, and the next try works again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url

from services.database import open_database
from services.dto import EnterpriseInput
from services.errors import DatabaseError
from services.register import create_enterprise, search_enterprises
from tests.pg_server import PgServer, find_bindir


@pytest.fixture
def server() -> Iterator[PgServer]:
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server programs")
    pg = PgServer(bindir).start()
    try:
        yield pg
    finally:
        pg.stop()


def test_lost_server_gives_a_clear_message_and_retry_works(server: PgServer) -> None:
    from tests.conftest import _pg_execute

    _pg_execute(server.url, "CREATE DATABASE lossy")
    url = make_url(server.url).set(database="lossy").render_as_string(hide_password=False)
    with open_database(url) as opened:
        db = opened.db
        create_enterprise(db, EnterpriseInput(name="断网前的企业"))
        form = EnterpriseInput(name="断网时录入的企业", address="莫干山路1号")
        server.pause()
        with pytest.raises(DatabaseError, match="连接已断开或无法连接，本次操作未保存"):
            create_enterprise(db, form)
        with pytest.raises(DatabaseError, match="连接"):
            search_enterprises(db)
        server.resume()
        # The clerk presses save again with the same form: it lands once, nothing was half-saved before.
        create_enterprise(db, form)
        assert sorted(r.name for r in search_enterprises(db)) == ["断网前的企业", "断网时录入的企业"]
