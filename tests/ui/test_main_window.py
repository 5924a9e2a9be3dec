"""The main window over a real database file: navigation, status bar, menus, remembered geometry and page."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from services.backup import list_backups
from services.database import OpenDatabase
from services.lock import InstanceLock
from services.logs import configure_logging
from services.version import __version__
from ui.context import AppContext
from ui.dialogs.about import about_text
from ui.dialogs.log_viewer import LogDialog
from ui.main_window import MainWindow
from ui.pages import PAGES
from ui.settings import UiSettings

AREAS = ["工作台", "企业库", "提醒", "载体", "创新券", "政策兑现", "目标考核", "数据导入", "报表", "预审", "审计日志",
         "备份与设置"]


def test_every_area_has_a_navigation_entry_in_order(window: MainWindow) -> None:
    titles = [window.navigation.item(row).text() for row in range(window.navigation.count())]
    assert titles == AREAS


def test_each_navigation_entry_shows_its_page(qtbot: QtBot, window: MainWindow) -> None:
    for row, spec in enumerate(PAGES):
        rect = window.navigation.visualItemRect(window.navigation.item(row))
        qtbot.mouseClick(window.navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        page = window.stack.currentWidget()
        assert page.objectName() == f"page_{spec.key}"
        assert window.current_page_key() == spec.key
        assert page.isVisible()
        title = page.findChild(QLabel, "page_title")
        assert title is not None and title.text() == AREAS[row]


def test_every_area_has_its_page_and_says_what_it_offers(window: MainWindow) -> None:
    for row, key in enumerate(window.page_keys()):
        item = window.navigation.item(row)
        assert item.data(Qt.ItemDataRole.UserRole) == key
        assert item.toolTip().count("•") == len(next(p for p in PAGES if p.key == key).bullets)
    assert "技术合同登记号" in window.navigation.item(window.page_keys().index("vouchers")).toolTip()
    window.show_page("vouchers")
    assert window.stack.currentWidget().objectName() == "page_vouchers"


@pytest.mark.sqlite_only
def test_status_bar_shows_database_and_version(window: MainWindow, db_path: Path) -> None:
    texts = [label.text() for label in window.statusBar().findChildren(QLabel)]
    assert any(db_path.name in text for text in texts)
    assert any(__version__ in text for text in texts)
    assert db_path.name in window.windowTitle()


@pytest.mark.sqlite_only
def test_menus_are_chinese_with_quit_shortcut(window: MainWindow) -> None:
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["文件(&F)", "帮助(&H)"]
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    assert window.backup_action.isEnabled()
    assert "打开数据库" in window.open_action.text()


def test_about_names_version_and_licences() -> None:
    text = about_text()
    assert __version__ in text and "LGPL" in text and "PySide6" in text and "Apache" in text


def test_geometry_and_last_page_are_restored(qtbot: QtBot, opened: OpenDatabase, ctx: AppContext) -> None:
    first = MainWindow(ctx)
    qtbot.addWidget(first)
    first.show()
    first.resize(QSize(710, 490))
    first.move(QPoint(40, 30))
    first.show_page("reports")
    first.close()
    assert not first.isVisible()

    again = AppContext(opened=opened, runner=ctx.runner, settings=UiSettings(), backup_on_exit=False)
    second = MainWindow(again)
    qtbot.addWidget(second)
    second.show()
    assert second.size() == QSize(710, 490)
    assert second.current_page_key() == "reports"
    assert second.stack.currentWidget().objectName() == "page_reports"
    second.close()


def test_first_start_opens_on_the_workbench(window: MainWindow) -> None:
    assert window.current_page_key() == "dashboard"
    available = window.screen().availableGeometry()
    assert window.width() <= available.width() and window.height() <= available.height()
    assert window.width() >= available.width() * 0.8


@pytest.mark.sqlite_only
def test_closing_takes_an_exit_backup_first(qtbot: QtBot, ctx: AppContext, db_path: Path) -> None:
    ctx.backup_on_exit = True
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    win.close()
    qtbot.waitUntil(lambda: not win.isVisible(), timeout=10_000)
    assert [info.reason for info in list_backups(db_path)] == ["exit"]


@pytest.mark.sqlite_only
def test_backup_menu_reports_where_the_copy_went(qtbot: QtBot, window: MainWindow, db_path: Path,
                                                 recorder: Any) -> None:
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: bool(recorder.messages), timeout=10_000)
    (backup,) = list_backups(db_path)
    assert backup.reason == "manual"
    assert recorder.messages == [("科创台账", recorder.messages[0][1], "INFO")]
    assert str(backup.path) in recorder.messages[0][1]


def test_opening_another_database_switches_and_releases_the_first(
        qtbot: QtBot, window: MainWindow, db_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "第二个台账.sqlite"
    shutil.copyfile(db_path, other)
    window.switch_database(str(other))
    qtbot.waitUntil(lambda: window.ctx.opened.db.path == other.resolve(), timeout=10_000)
    qtbot.waitUntil(window.ctx.runner.is_idle, timeout=10_000)
    try:
        assert other.name in window.db_label.text() and other.name in window.windowTitle()
        with InstanceLock(db_path):  # the first database was closed and unlocked
            pass
    finally:
        window.ctx.opened.close()


@pytest.mark.sqlite_only
def test_opening_a_locked_database_keeps_the_current_one(
        qtbot: QtBot, window: MainWindow, db_path: Path, tmp_path: Path, recorder: Any) -> None:
    other = tmp_path / "别人打开的.sqlite"
    shutil.copyfile(db_path, other)
    with InstanceLock(other):
        window.switch_database(str(other))
        qtbot.waitUntil(lambda: bool(recorder.messages), timeout=10_000)
    assert "已被另一个科创台账程序打开" in recorder.messages[0][1]
    assert window.ctx.opened.db.path == db_path.resolve()


def test_log_dialog_shows_the_recent_log(qtbot: QtBot, window: MainWindow) -> None:
    configure_logging()
    logging.getLogger("app.test").info("日志查看测试行")
    dialog = LogDialog(window)
    qtbot.addWidget(dialog)
    assert "日志查看测试行" in dialog.text.toPlainText()
    assert dialog.windowTitle() == "日志"


def test_switching_to_a_server_database(window, qtbot, pg_admin_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """File ▸ 连接服务器数据库…: the address is remembered and the window works on the server's data."""
    import uuid

    from PySide6.QtWidgets import QInputDialog
    from sqlalchemy.engine import make_url

    from services.register import search_enterprises
    from tests.conftest import _pg_execute

    name = f"gui_{uuid.uuid4().hex[:8]}"
    _pg_execute(pg_admin_url, f'CREATE DATABASE "{name}"')
    url = make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (url, True))
    original = window.ctx.opened
    window.open_server_dialog()
    qtbot.waitUntil(lambda: window.ctx.opened is not original, timeout=20_000)
    qtbot.waitUntil(window.ctx.runner.is_idle, timeout=10_000)
    try:
        assert window.ctx.opened.db.path is None
        assert "postgresql" in window.db_label.text()
        assert window.ctx.settings.server_url == url
        assert search_enterprises(window.ctx.opened.db) == []
    finally:
        window.ctx.opened.close()
