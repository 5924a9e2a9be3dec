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


@pytest.mark.sqlite_only
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


@pytest.mark.sqlite_only
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


@pytest.mark.sqlite_only
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


def test_user_management_and_login(window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from services.users import authenticate, current_actor, sign_in
    from ui.dialogs.login import LoginDialog
    from ui.dialogs.user_dialog import UserDialog

    page = settings_page(window, qtbot)
    assert page.user_note.isVisibleTo(page)  # single-user mode is explained

    def fill(values: dict[str, str]):  # type: ignore[no-untyped-def]
        def ask(dialog: UserDialog) -> bool:
            dialog.username.setText(values["username"])
            dialog.display_name.setText(values["name"])
            dialog.role.setCurrentIndex(dialog.role.findData(values["role"]))
            dialog.password.setText(values["password"])
            dialog.repeat.setText(values["password"])
            return True
        return ask

    monkeypatch.setattr(page, "_ask", fill({"username": "admin", "name": "管理员", "role": "admin",
                                            "password": "s3cret-pass"}))
    page.new_user()
    qtbot.waitUntil(lambda: page.user_table.rowCount() == 1, timeout=10_000)
    monkeypatch.setattr(page, "_ask", fill({"username": "wangfang", "name": "王芳", "role": "clerk",
                                            "password": "password1"}))
    page.new_user()
    qtbot.waitUntil(lambda: page.user_table.rowCount() == 2, timeout=10_000)
    assert page.user_table.item(1, 2).text() == "办事员"
    assert not page.user_note.isVisibleTo(page)

    dialog = LoginDialog(window.ctx.opened, window.ctx.runner)
    qtbot.addWidget(dialog)
    dialog.username.setText("wangfang")
    dialog.password.setText("wrong-password")
    dialog.try_login()
    assert dialog.message.text() == "用户名或密码不正确。再输错 4 次，账户将锁定 15 分钟。" and dialog.result() == 0
    dialog.password.setText("password1")
    try:
        dialog.try_login()
        assert dialog.result() == LoginDialog.DialogCode.Accepted
        assert current_actor().display_name == "王芳"
        # A clerk may not change the bureau's settings: the service refuses, the page shows why.
        page.bureau.setText("别的局")
        page.save()
        qtbot.waitUntil(lambda: any("需要管理员权限" in t for _a, t, _k in window.ctx.sink.messages),
                        timeout=10_000)
        assert authenticate(window.ctx.opened.db, "admin", "s3cret-pass").role == "admin"
    finally:
        sign_in(None)

    # Five wrong passwords lock the account; the administrator sees it and unlocks it.
    for _ in range(5):
        dialog.password.setText("wrong-password")
        dialog.try_login()
    assert "账户已锁定" in dialog.message.text()
    page.reload()
    qtbot.waitUntil(lambda: page.user_table.item(1, 3).text().startswith("已锁定"), timeout=10_000)
    page.user_table.selectRow(1)
    page.unlock_selected()
    qtbot.waitUntil(lambda: page.user_table.item(1, 3).text() == "启用", timeout=10_000)
    dialog.password.setText("password1")
    try:
        dialog.try_login()
        assert current_actor().display_name == "王芳"
    finally:
        sign_in(None)
