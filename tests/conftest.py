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
    os.environ["TECHLEDGER_DATA_DIR"] = str(folder / "data")
    path = folder / "template.sqlite"
    with open_database(path):
        pass
    os.environ.pop("TECHLEDGER_DATA_DIR", None)
    return path


@pytest.fixture
def db_path(tmp_path: Path, template_db: Path) -> Path:
    """A fresh, migrated database file with reference data (a copy of the session template)."""
    path = tmp_path / "techledger.sqlite"
    shutil.copyfile(template_db, path)
    return path


@pytest.fixture
def opened(db_path: Path) -> Iterator[OpenDatabase]:
    with open_database(db_path) as result:
        yield result


@pytest.fixture
def db(opened: OpenDatabase) -> Database:
    return opened.db
