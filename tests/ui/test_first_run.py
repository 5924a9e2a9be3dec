"""First run: the bureau's database with district, bureau and administrator; the demo instead; an upgrade that says
where its backup went."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from services.backup import list_backups
from services.database import open_database
from services.overview import database_overview
from services.paths import default_db_path, demo_db_path
from services.settings import get_settings
from services.users import accounts_exist, authenticate, current_actor, list_users, sign_in
from tests.ui.test_app import gui_args
from ui import startup
from ui.app import EXIT_OK, run_gui
from ui.dialogs.first_run import FirstRunDialog, signed_in_at_first_run
from ui.main_window import MainWindow
from ui.operations import OperationRunner

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "db"


@pytest.fixture(autouse=True)
def signed_out() -> Iterator[None]:
    """The dialog signs its administrator in to the process: every test starts and ends signed out."""
    sign_in(None)
    yield
    sign_in(None)


def fill(dialog: FirstRunDialog, *, district: str = "西湖区", username: str = "zhang",
         password: str = "kj-2026-xh", again: str | None = None) -> None:
    dialog.district.setCurrentText(district)
    dialog.username.setText(username)
    dialog.display_name.setText("张敏")
    dialog.password.setText(password)
    dialog.password_again.setText(password if again is None else again)


def when_shown(kind: type[QWidget], act: Callable[[Any], None]) -> None:
    """Call ``act`` with the first visible top-level ``kind`` widget once there is one (drives modal dialogs)."""
    def poll() -> None:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
        if found:
            act(found[0])
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def test_empty_database_gets_the_district_the_bureau_and_a_signed_in_administrator(
        qtbot: QtBot, runner: OperationRunner, recorder: Any) -> None:
    dialog = FirstRunDialog(runner, recorder)
    qtbot.addWidget(dialog)
    assert dialog.district.currentText() == "拱墅区" and dialog.bureau_name.text() == "杭州市拱墅区科学技术局"
    fill(dialog)
    assert dialog.bureau_name.text() == "杭州市西湖区科学技术局"  # the suggestion follows the district
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=10_000)

    result = dialog.result_value
    assert result is not None and signed_in_at_first_run(result.opened)
    try:
        assert result.opened.db.path == default_db_path().resolve()
        settings = get_settings(result.opened.db)
        assert (settings["district"], settings["bureau_name"]) == ("西湖区", "杭州市西湖区科学技术局")
        [user] = list_users(result.opened.db)
        assert (user.username, user.display_name, user.role) == ("zhang", "张敏", "admin")
        assert current_actor().username == "zhang"
        assert authenticate(result.opened.db, "zhang", "kj-2026-xh").role == "admin"
    finally:
        result.opened.close()


def test_problems_are_shown_by_field_nothing_typed_is_lost_and_no_file_is_left(
        qtbot: QtBot, runner: OperationRunner, recorder: Any) -> None:
    dialog = FirstRunDialog(runner, recorder)
    qtbot.addWidget(dialog)
    fill(dialog, again="kj-2026-xx")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.form.problem("password_again") != "", timeout=10_000)
    assert dialog.form.problem("password_again") == "两次输入的密码不一致"

    fill(dialog, password="short")  # refused by the account rules after the file was made: the file goes again
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.form.problem("password") != "", timeout=10_000)
    qtbot.waitUntil(runner.is_idle, timeout=10_000)
    assert "至少 8 位" in dialog.form.problem("password") and dialog.form.problem("password_again") == ""
    assert not default_db_path().exists() and dialog.result() != QDialog.DialogCode.Accepted
    assert (dialog.username.text(), dialog.display_name.text(), dialog.password.text()) == ("zhang", "张敏", "short")

    fill(dialog)
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=10_000)
    assert dialog.result_value is not None
    dialog.result_value.opened.close()


def test_choosing_the_demo_opens_it_as_demo_would(monkeypatch: pytest.MonkeyPatch, qtbot: QtBot,
                                                  runner: OperationRunner, recorder: Any) -> None:
    monkeypatch.setattr(startup, "DEMO_ENTERPRISES", 40)

    def choose_demo(dialog: FirstRunDialog) -> None:
        dialog.demo_choice.click()
        assert not dialog.settings_box.isEnabled() and dialog.ok_button.text() == "打开演示数据库"
        dialog.submit()

    when_shown(FirstRunDialog, choose_demo)
    args = gui_args(None)
    opened = startup.open_for_gui(args, sink=recorder, runner=runner)
    assert opened is not None and args.demo and recorder.messages == []
    try:
        assert opened.db.path == demo_db_path().resolve() and not default_db_path().exists()
        assert database_overview(opened.db).enterprises == 40
        assert not accounts_exist(opened.db) and not signed_in_at_first_run(opened)
    finally:
        opened.close()


def test_cancelling_the_first_run_opens_nothing(runner: OperationRunner, recorder: Any) -> None:
    when_shown(FirstRunDialog, lambda dialog: dialog.reject())
    assert startup.open_for_gui(gui_args(None), sink=recorder, runner=runner) is None
    assert not default_db_path().exists() and recorder.messages == []


def test_a_whole_first_start_goes_from_the_dialog_to_the_main_window_without_a_second_log_in(
        qtbot: QtBot, recorder: Any) -> None:
    seen: dict[str, str] = {}

    def in_window(window: MainWindow) -> None:
        seen["user"] = window.user_label.text()
        window.close()

    def in_dialog(dialog: FirstRunDialog) -> None:
        fill(dialog, district="余杭区", username="li")
        when_shown(MainWindow, in_window)
        dialog.submit()

    when_shown(FirstRunDialog, in_dialog)
    assert run_gui(gui_args(None), sink=recorder) == EXIT_OK
    assert seen["user"] == "当前用户：张敏（管理员）"
    assert [info.reason for info in list_backups(default_db_path())] == ["exit"]
    with open_database(default_db_path()) as opened:
        assert get_settings(opened.db)["bureau_name"] == "杭州市余杭区科学技术局"


def test_an_older_database_is_upgraded_after_a_backup_and_the_user_is_told_where_it_is(
        db_path: Path, recorder: Any) -> None:
    old = db_path.with_name("old.sqlite")
    shutil.copyfile(FIXTURES / "rev_0001.sqlite", old)

    when_shown(MainWindow, lambda window: QTimer.singleShot(50, window.close))
    assert run_gui(gui_args(old), sink=recorder) == EXIT_OK
    notes = [text for _title, text, _kind in recorder.messages if "升级前的备份" in text]
    assert len(notes) == 1
    backups = list_backups(old)
    assert sorted(info.reason for info in backups) == ["before-migration", "exit"]
    before = next(info for info in backups if info.reason == "before-migration")
    assert str(before.path) in notes[0]
