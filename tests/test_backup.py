"""Backups, restore, rotation and the database check, on real SQLite files; the commands through a real process."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete, insert, select, text, update
from sqlalchemy.engine import make_url

from models import Enterprise
from models.db import Database
from models.migrate import all_revisions, head_revision
from services.backup import (
    backup_database,
    check_database,
    list_backups,
    restore_database,
    rotate_backups,
)
from services.backup_files import backup_file_name
from services.database import OpenDatabase, open_database
from services.errors import DatabaseError, UserFacingError
from services.paths import backup_dir_for
from services.progress import Cancelled, Progress
from services.session import unit_of_work

ROOT = Path(__file__).resolve().parent.parent

#: Backups, restore and the file checks are about SQLite files (server databases use the server's tools).
pytestmark = pytest.mark.sqlite_only


def add_enterprises(db: Database, names: list[str]) -> None:
    with unit_of_work(db, source="test") as session:
        session.add_all(Enterprise(name=name, name_norm=name) for name in names)


def bulk_enterprises(db: Database, count: int, prefix: str = "批量企业") -> None:
    with db.engine.begin() as conn:
        conn.execute(insert(Enterprise),
                     [{"name": f"{prefix}{i}", "name_norm": f"{prefix}{i}", "name_initials": ""} for i in range(count)])


def table_rows(db_file: Path, table: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db_file)
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
    finally:
        conn.close()


def enterprise_count(db_file: Path) -> int:
    conn = sqlite3.connect(f"{db_file.as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM enterprise").fetchone()[0])
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def backup_file(db_path: Path, tmp_path: Path) -> Path:
    """A backup of the test database holding three enterprises, outside the backup folder."""
    with open_database(db_path) as opened:
        add_enterprises(opened.db, ["杭州甲科技有限公司", "杭州乙科技有限公司", "杭州丙科技有限公司"])
        return backup_database(opened.db, dest=tmp_path / "备份.sqlite").path


# --- backup and restore ---------------------------------------------------------------------------------------


def test_backup_then_restore_brings_back_exactly_the_backed_up_data(db_path: Path) -> None:
    with open_database(db_path) as opened:
        add_enterprises(opened.db, ["杭州甲科技有限公司", "杭州乙科技有限公司", "杭州丙科技有限公司"])
        info = backup_database(opened.db)
        with unit_of_work(opened.db, source="test") as session:
            first, second = session.scalars(select(Enterprise).order_by(Enterprise.id).limit(2)).all()
            first.name = "改名后的企业"
            session.delete(second)
            session.add(Enterprise(name="备份后新增的企业", name_norm="备份后新增的企业"))
    at_backup = {table: table_rows(info.path, table) for table in ("enterprise", "audit_log")}
    assert [row[1] for row in at_backup["enterprise"]] == ["杭州甲科技有限公司", "杭州乙科技有限公司",
                                                          "杭州丙科技有限公司"]

    assert info.path.parent == backup_dir_for(db_path)
    assert info.path.name == backup_file_name(db_path.stem, info.created_at.replace(tzinfo=None), "manual")
    assert (info.reason, info.revision, info.size_bytes) == ("manual", head_revision(), info.path.stat().st_size)
    assert info.created_at.tzinfo is not None
    assert not Path(f"{info.path}-wal").exists()

    result = restore_database(info.path, db_path)

    assert {table: table_rows(db_path, table) for table in at_backup} == at_backup
    assert result.safety_backup is not None and not result.safety_backup_damaged
    assert [b.reason for b in list_backups(db_path)] == ["before-restore", "manual"]
    assert "改名后的企业" in [row[1] for row in table_rows(result.safety_backup, "enterprise")]
    assert (result.enterprises, result.revision, result.migrated_to) == (3, head_revision(), None)
    assert "已从备份" in result.describe() and str(result.safety_backup) in result.describe()
    assert [b.path for b in list_backups(db_path)] == [result.safety_backup, info.path]  # newest first
    with open_database(db_path) as opened:
        assert check_database(opened.db).ok


def test_restore_into_a_missing_file_creates_the_database(backup_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "新电脑" / "techledger.sqlite"
    result = restore_database(backup_file, target)
    assert result.safety_backup is None and "恢复前没有数据库文件" in result.describe()
    assert enterprise_count(target) == 3


def test_restore_over_a_damaged_database_keeps_the_damaged_file(backup_file: Path, db_path: Path) -> None:
    db_path.write_bytes(b"\x00garbage" * 1000)
    result = restore_database(backup_file, db_path)
    assert result.safety_backup_damaged and result.safety_backup is not None
    assert result.safety_backup.read_bytes() == b"\x00garbage" * 1000
    assert "已损坏" in result.describe()
    assert enterprise_count(db_path) == 3


def test_restore_upgrades_an_older_backup(backup_file: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An older backup is upgraded after the restore.

    There is one migration so far, so an older revision is simulated: the backup is stamped ``0000``, which is made
    a known revision, and the upgrade only re-stamps it.
    """
    conn = sqlite3.connect(backup_file)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '0000'")
    conn.close()
    known = ["0000", *all_revisions()]
    monkeypatch.setattr("services.backup.all_revisions", lambda: known)
    monkeypatch.setattr("services.database.all_revisions", lambda: known)
    monkeypatch.setattr("services.database.upgrade", _stamp_head)
    result = restore_database(backup_file, db_path)
    assert (result.revision, result.migrated_to) == ("0000", head_revision())
    assert "已升级" in result.describe()
    reasons = {b.reason for b in list_backups(db_path)}
    assert {"before-restore", "before-migration"} <= reasons


def _stamp_head(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head_revision()})


def _garbage(path: Path, source: Path) -> Path:
    path.write_bytes(b"PK\x03\x04 this is a spreadsheet, not a database " * 200)
    return path


def _truncated(path: Path, source: Path) -> Path:
    path.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    return path


def _empty(path: Path, source: Path) -> Path:
    path.write_bytes(b"")
    return path


def _foreign(path: Path, source: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    return path


def _newer(path: Path, source: Path) -> Path:
    shutil.copyfile(source, path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    conn.close()
    return path


@pytest.mark.parametrize(("make", "expected"), [
    (_garbage, "不是 SQLite 数据库文件"),
    (_truncated, "已损坏"),
    (_empty, "不是 SQLite 数据库文件"),
    (_foreign, "不是科创台账的数据库"),
    (_newer, "更新版本"),
])
def test_restore_refuses_an_unusable_backup_and_changes_nothing(
    make: Callable[[Path, Path], Path], expected: str, backup_file: Path, db_path: Path, tmp_path: Path
) -> None:
    bad = make(tmp_path / "坏备份.sqlite", backup_file)
    before = digest(db_path)
    with pytest.raises(DatabaseError) as caught:
        restore_database(bad, db_path)
    message = str(caught.value)
    assert expected in message and str(bad) in message and "未作任何修改" in message
    assert digest(db_path) == before
    assert list(backup_dir_for(db_path).iterdir()) == []


def test_restore_refuses_the_database_itself(db_path: Path) -> None:
    with pytest.raises(UserFacingError, match="就是要恢复的数据库本身"):
        restore_database(db_path, db_path)


# --- consistency while the application writes ------------------------------------------------------------------


def test_backup_leaves_out_a_transaction_still_open_in_another_connection(db_path: Path) -> None:
    with open_database(db_path) as opened:
        bulk_enterprises(opened.db, 1000)
        with opened.db.engine.connect() as writer:
            writer.execute(update(Enterprise).values(name="未提交的改名"))
            writer.execute(delete(Enterprise).where(Enterprise.id > 500))
            writer.execute(insert(Enterprise), [{"name": f"未提交{i}", "name_norm": f"未提交{i}",
                                                           "name_initials": ""} for i in range(300)])
            info = backup_database(opened.db)
            writer.commit()
        assert enterprise_count(db_path) == 800
    assert enterprise_count(info.path) == 1000
    assert "未提交的改名" not in {row[1] for row in table_rows(info.path, "enterprise")}


class CommitBetweenSteps(Progress):
    """Commits two rows through another connection after every step of the backup."""

    def __init__(self, db_file: Path) -> None:
        super().__init__()
        self.conn = sqlite3.connect(db_file, isolation_level=None)
        self.conn.execute("PRAGMA busy_timeout=10000")
        self.commits = 0

    def update(self, label: str | None = None, value: int | None = None, maximum: int | None = None) -> None:
        super().update(label, value, maximum)
        if maximum:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.executemany("INSERT INTO enterprise (name, name_norm, name_initials, uscc_check_override, "
                                  "created_at, updated_at, version) VALUES (?, ?, '', 0, '2025-01-01', "
                                  "'2025-01-01', 1)", [("并发", "并发")] * 2)
            self.conn.execute("COMMIT")
            self.commits += 1


def test_backup_is_one_consistent_state_while_another_connection_commits(db_path: Path) -> None:
    with open_database(db_path) as opened:
        bulk_enterprises(opened.db, 20_000)
        progress = CommitBetweenSteps(db_path)
        try:
            info = backup_database(opened.db, progress=progress)
        finally:
            progress.conn.close()
        assert progress.commits >= 3, "the backup should have taken several steps"
        assert enterprise_count(db_path) == 20_000 + 2 * progress.commits
    assert enterprise_count(info.path) == 20_000
    conn = sqlite3.connect(info.path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()


# --- backup options --------------------------------------------------------------------------------------------


def test_backup_to_a_chosen_file_or_folder(opened: OpenDatabase, db_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "U盘" / "台账备份.sqlite"
    target.parent.mkdir()
    target.write_bytes(b"old contents")
    info = backup_database(opened.db, dest=target)
    assert info.path == target and enterprise_count(target) == 0
    into_folder = backup_database(opened.db, dest=target.parent, reason="on-exit")
    assert into_folder.path.parent == target.parent and into_folder.path.name.endswith("-on-exit.sqlite")
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(".")] == []
    assert list(backup_dir_for(db_path).iterdir()) == []


def test_cancelled_backup_leaves_no_file(opened: OpenDatabase, db_path: Path) -> None:
    bulk_enterprises(opened.db, 20_000)
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        backup_database(opened.db, progress=progress)
    assert list(backup_dir_for(db_path).iterdir()) == []


def test_server_database_is_not_backed_up_here(tmp_path: Path) -> None:
    # No PostgreSQL driver is needed: only the URL decides, and nothing is connected.
    server = dataclasses.replace(Database.connect(tmp_path / "unused.sqlite"),
                                 url=make_url("postgresql+psycopg://clerk:secret@db.example/ledger"))
    with pytest.raises(UserFacingError, match="pg_dump") as caught:
        backup_database(server)
    assert "secret" not in str(caught.value) and "db.example" in str(caught.value)
    server.dispose()


# --- rotation --------------------------------------------------------------------------------------------------


def _name(stamp: str, reason: str = "manual", seq: int = 1, stem: str = "techledger") -> str:
    return backup_file_name(stem, dt.datetime.strptime(stamp, "%Y-%m-%d %H:%M"), reason, seq)


def test_rotation_keeps_exactly_the_policy_files(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    now = dt.datetime(2025, 6, 15, 12, 0)
    names: list[str] = []
    day = dt.date(2023, 6, 16)
    while day <= now.date():
        names += [_name(f"{day} 09:00")] + ([_name(f"{day} 18:00")] if day < now.date() else [])
        day += dt.timedelta(days=1)
    names += [_name("2025-06-15 09:00", seq=2), _name("2024-01-10 12:00", "before-migration"),
              _name("2023-12-01 12:00", "before-restore"), _name("2024-03-05 12:00", "before-restore"),
              _name("2023-01-01 00:00", stem="other")]
    for name in names:
        (folder / name).write_bytes(b"")
    (folder / f"{_name('2023-07-01 09:00')}-wal").write_bytes(b"")  # beside a file that goes
    (folder / "说明.txt").write_text("not a backup", encoding="utf-8")
    stale, fresh = folder / ".old.sqlite-tmp", folder / ".running.sqlite-tmp"
    stale.write_bytes(b"")
    fresh.write_bytes(b"")
    old = (now - dt.timedelta(days=2)).timestamp()
    os.utime(stale, (old, old))
    os.utime(fresh, (now.timestamp(), now.timestamp()))

    removed = rotate_backups(folder, now=now)

    expected = {
        # the 10 newest
        _name("2025-06-15 09:00", seq=2), _name("2025-06-15 09:00"), _name("2025-06-14 18:00"),
        _name("2025-06-14 09:00"), _name("2025-06-13 18:00"), _name("2025-06-13 09:00"), _name("2025-06-12 18:00"),
        _name("2025-06-12 09:00"), _name("2025-06-11 18:00"), _name("2025-06-11 09:00"),
        # the newest of each of the last 14 days (06-02 … 06-15)
        *(_name(f"2025-06-{d:02d} 18:00") for d in range(2, 11)),
        # the newest of each of the last 12 months (2024-07 … 2025-06)
        _name("2025-05-31 18:00"), _name("2025-04-30 18:00"), _name("2025-03-31 18:00"), _name("2025-02-28 18:00"),
        _name("2025-01-31 18:00"), _name("2024-12-31 18:00"), _name("2024-11-30 18:00"), _name("2024-10-31 18:00"),
        _name("2024-09-30 18:00"), _name("2024-08-31 18:00"), _name("2024-07-31 18:00"),
        # the newest before-migration and before-restore backups, however old
        _name("2024-01-10 12:00", "before-migration"), _name("2024-03-05 12:00", "before-restore"),
        # another database's backup, a file that is not a backup, a temporary file still being written
        _name("2023-01-01 00:00", stem="other"), "说明.txt", fresh.name,
    }
    assert {p.name for p in folder.iterdir()} == expected
    assert set(removed) == {folder / n for n in names if n not in expected} | {stale}
    assert len(names) > 1400


def test_automatic_backup_rotates_and_lists_newest_first(opened: OpenDatabase, db_path: Path) -> None:
    folder = backup_dir_for(db_path)
    for month in range(1, 13):
        (folder / _name(f"2020-{month:02d}-01 08:00", stem=db_path.stem)).write_bytes(b"not really a backup")
    info = backup_database(opened.db)
    listed = list_backups(db_path)
    assert len(listed) == 10
    assert listed[0] == info and listed[1].created_at.month == 12 and listed[-1].created_at.month == 4
    assert [b.revision for b in listed[1:]] == [None] * 9


# --- check -----------------------------------------------------------------------------------------------------


def test_check_reports_facts_of_a_sound_database(db: Database) -> None:
    add_enterprises(db, ["杭州甲科技有限公司"])
    report = check_database(db)
    assert report.ok and report.problems == []
    assert report.facts["revision"] == head_revision() and report.facts["journal_mode"] == "wal"
    assert report.facts["rows.enterprise"] == 1 and int(report.facts["rows.district"]) > 0
    assert "未发现问题" in report.describe() and "企业 1" in report.describe()


def test_check_finds_a_broken_foreign_key(db: Database, db_path: Path) -> None:
    add_enterprises(db, ["杭州甲科技有限公司"])
    conn = sqlite3.connect(db_path)  # foreign keys are off on a plain connection
    with conn:
        conn.execute("UPDATE enterprise SET district_id = 9999")
    conn.close()
    report = check_database(db)
    assert report.problems == ["表 enterprise 中有 1 行引用了表 district 中不存在的记录（外键检查）。"]
    assert "发现 1 个问题" in report.describe()


def test_check_finds_missing_reference_data(db: Database) -> None:
    with db.engine.begin() as conn:
        for table in ("subdistrict_alias", "subdistrict", "district_alias", "district"):
            conn.exec_driver_sql(f"DELETE FROM {table}")
    report = check_database(db)
    assert report.problems == ["缺少参考数据：区县表为空。重新打开数据库会自动补齐。"]


def break_an_index(db_file: Path) -> None:
    """Change one byte of a row's ``name_norm`` in the table page only: the index no longer matches the table."""
    marker = b"MARKER-0123456789"
    with open_database(db_file) as opened:
        with unit_of_work(opened.db, source="test") as session:
            session.add(Enterprise(name="索引损坏测试", name_norm=marker.decode()))
    assert not Path(f"{db_file}-wal").exists(), "closing the last connection checkpoints the WAL"
    conn = sqlite3.connect(db_file)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'enterprise'").fetchone()[0]
    conn.close()
    data = bytearray(db_file.read_bytes())
    offset = data.find(marker)
    while offset // page_size + 1 != root:
        offset = data.find(marker, offset + 1)
        assert offset >= 0
    data[offset] = ord("N")
    db_file.write_bytes(bytes(data))


def test_check_finds_a_damaged_index(db_path: Path) -> None:
    break_an_index(db_path)
    with open_database(db_path, lock=False, create=False) as opened:
        report = check_database(opened.db)
    assert not report.ok
    assert "完整性检查未通过" in report.problems[0] and "ix_enterprise_name_norm" in report.problems[0]


# --- the commands ----------------------------------------------------------------------------------------------


def run_main(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, timeout=120, check=False)


def test_backup_restore_and_check_commands(db_path: Path, tmp_path: Path, data_dir: Path) -> None:
    with open_database(db_path) as opened:
        add_enterprises(opened.db, ["杭州甲科技有限公司", "杭州乙科技有限公司"])
    chosen = tmp_path / "手动备份.sqlite"

    auto = run_main("backup", "--db", str(db_path))
    assert auto.returncode == 0, auto.stderr
    assert len(list(backup_dir_for(db_path).glob("*-manual.sqlite"))) == 1
    to = run_main("backup", "--db", str(db_path), "--to", str(chosen))
    assert to.returncode == 0 and str(chosen) in to.stdout and enterprise_count(chosen) == 2

    with open_database(db_path) as opened:
        add_enterprises(opened.db, ["备份后新增的企业"])
    restored = run_main("restore", str(chosen), "--db", str(db_path))
    assert restored.returncode == 0, restored.stderr
    assert "已从备份" in restored.stdout and enterprise_count(db_path) == 2

    checked = run_main("check", "--db", str(db_path))
    assert checked.returncode == 0 and "未发现问题" in checked.stdout and "企业 2" in checked.stdout

    damaged = tmp_path / "损坏副本.sqlite"
    shutil.copyfile(db_path, damaged)
    break_an_index(damaged)
    broken = run_main("check", "--db", str(damaged))
    assert broken.returncode == 1 and "完整性检查未通过" in broken.stdout


def test_commands_refuse_a_file_that_is_not_a_database(db_path: Path, tmp_path: Path) -> None:
    not_db = tmp_path / "名单.xlsx"
    not_db.write_bytes(b"PK\x03\x04" + b"\x00" * 4000)
    before = digest(db_path)

    checked = run_main("check", "--db", str(not_db))
    assert checked.returncode == 2 and str(not_db) in checked.stderr and "不是科创台账的数据库" in checked.stderr

    restored = run_main("restore", str(not_db), "--db", str(db_path))
    assert restored.returncode == 2 and str(not_db) in restored.stderr and "不是 SQLite 数据库文件" in restored.stderr
    assert digest(db_path) == before
