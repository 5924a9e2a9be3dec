"""One writer per SQLite file: a second process is refused with a clear message, and a killed holder leaves no lock."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from services.backup import backup_database, list_backups, restore_database
from services.database import open_database
from services.errors import DatabaseLockedError
from tests.helpers.writer import Child


def test_second_instance_is_refused_and_a_killed_holder_leaves_no_stale_lock(db_path: Path) -> None:
    with Child("hold", str(db_path)) as holder:
        pid = holder.wait_for("ready").split()[1]
        with pytest.raises(DatabaseLockedError) as caught:
            open_database(db_path)
        message = str(caught.value)
        assert f"进程 {pid}" in message and "另一个科创台账程序" in message and db_path.name in message
        holder.kill()
    with open_database(db_path) as opened:
        assert opened.lock is not None and opened.lock.held


def test_restore_is_refused_while_the_database_is_open_elsewhere(db_path: Path, tmp_path: Path) -> None:
    with open_database(db_path) as opened:
        backup = backup_database(opened.db, dest=tmp_path / "备份.sqlite").path
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    with Child("hold", str(db_path)) as holder:
        pid = holder.wait_for("ready").split()[1]
        with pytest.raises(DatabaseLockedError, match=f"无法恢复：.*进程 {pid}"):
            restore_database(backup, db_path)
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    assert list_backups(db_path) == []
