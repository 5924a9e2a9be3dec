"""备份与设置: back up, restore from the GUI (the app keeps working on the restored data), check, settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from services.backup import backup_database, list_backups
from services.database import OpenDatabase
from services.dto import EnterpriseInput
from services.register import create_enterprise, search_enterprises
from services.settings import get_settings
from ui.main_window import MainWindow
from ui.pages.settings import SettingsPage


@pytest.fixture(autouse=True)
def close_reopened(window: MainWindow, opened: OpenDatabase) -> Iterator[None]:
    """A restore reopens the database; the fixture only closes the one it opened."""
    yield
    if window.ctx.opened is not opened:
        window.ctx.opened.close()


def settings_page(window: MainWindow, qtbot: QtBot) -> SettingsPage:
    window.show_page("settings")
    page = window.page("settings")
    assert isinstance(page, SettingsPage)
    qtbot.waitUntil(window.ctx.runner.is_idle, timeout=10_000)
    return page


def names(window: MainWindow) -> list[str]:
    return [r.name for r in search_enterprises(window.ctx.opened.db)]


def test_restore_from_the_gui_brings_back_the_data(window: MainWindow, qtbot: QtBot, recorder) -> None:  # type: ignore[no-untyped-def]
    db = window.ctx.opened.db
    create_enterprise(db, EnterpriseInput(name="备份前的企业"))
    backup_database(db, reason="manual")
    create_enterprise(db, EnterpriseInput(name="备份后新增的企业"))
    page = settings_page(window, qtbot)
    assert page.backup_table.rowCount() == 1
    assert page.backup_table.item(0, 1).text() == "手动备份"

    page.restore_selected()
    qtbot.waitUntil(lambda: names(window) == ["备份前的企业"], timeout=15_000)
    qtbot.waitUntil(window.ctx.runner.is_idle, timeout=10_000)
    texts = [text for _title, text, _kind in recorder.messages]
    assert any("替换当前数据库" in t for t in texts)  # the question asked first
    assert any("已从备份" in t for t in texts)  # then what was done
    reasons = [b.reason for b in list_backups(window.ctx.opened.db.path)]
    assert "before-restore" in reasons  # the replaced data is kept
    # The app goes on working with the restored database.
    create_enterprise(window.ctx.opened.db, EnterpriseInput(name="恢复后新增的企业"))
    assert len(names(window)) == 2


def test_unusable_backup_is_refused_and_the_database_stays_open(window: MainWindow, qtbot: QtBot,  # type: ignore[no-untyped-def]
                                                               recorder, tmp_path: Path) -> None:
    create_enterprise(window.ctx.opened.db, EnterpriseInput(name="原有企业"))
    page = settings_page(window, qtbot)
    junk = tmp_path / "不是备份.sqlite"
    junk.write_bytes(b"not a database" * 100)
    page.restore(junk)
    qtbot.waitUntil(lambda: any("未作任何修改" in t for _a, t, _k in recorder.messages), timeout=15_000)
    qtbot.waitUntil(window.ctx.runner.is_idle, timeout=10_000)
    assert names(window) == ["原有企业"]


def test_backup_check_and_settings(window: MainWindow, qtbot: QtBot, recorder) -> None:  # type: ignore[no-untyped-def]
    page = settings_page(window, qtbot)
    page.backup_now()
    qtbot.waitUntil(lambda: page.backup_table.rowCount() == 1, timeout=10_000)
    page.run_check()
    qtbot.waitUntil(lambda: "正在检查" not in page.check_output.toPlainText(), timeout=10_000)
    assert page.check_output.toPlainText().startswith("数据库检查：未发现问题。")
    page.district.setCurrentText("临安区")
    page.bureau.setText("杭州市临安区科学技术局")
    page.save()
    qtbot.waitUntil(lambda: any(t == "设置已保存。" for _a, t, _k in recorder.messages), timeout=10_000)
    assert get_settings(window.ctx.opened.db)["bureau_name"] == "杭州市临安区科学技术局"
