"""The GUI entry point: translations, font, the locked-database exit, a whole run with its exit backup."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QFontDatabase, QFontMetricsF
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from services.backup import list_backups
from services.database import open_database
from services.demo import build_demo
from services.lock import InstanceLock
from services.overview import database_overview
from services.paths import demo_db_path, log_dir
from ui import startup
from ui.app import EXIT_OK, EXIT_UNUSABLE, run_gui
from ui.crash import FAULT_FILE
from ui.fonts import apply_ui_font, bundled_font_path
from ui.i18n import install_translators
from ui.main_window import MainWindow
from ui.operations import OperationRunner


def gui_args(db: Path | str | None, **kw: Any) -> argparse.Namespace:
    values = {"db": str(db) if db is not None else None, "demo": False, "no_crash_dialog": True, "debug": False}
    values.update(kw)
    return argparse.Namespace(**values)


def test_qt_standard_buttons_read_chinese(qapp: QApplication) -> None:
    loaded = install_translators(qapp)
    assert "qtbase_zh_CN" in loaded
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    assert box.button(QDialogButtonBox.StandardButton.Ok).text() == "确定"


def test_ui_font_covers_chinese(qapp: QApplication) -> None:
    assert bundled_font_path().read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType outlines, embeddable by reportlab
    family = apply_ui_font(qapp)
    assert QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)
    metrics = QFontMetricsF(qapp.font())
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "科创台账企业库")
    assert qapp.font().pointSizeF() >= 10


def test_locked_database_shows_one_chinese_message_and_exits_2(db_path: Path, recorder: Any) -> None:
    with InstanceLock(db_path):
        status = run_gui(gui_args(db_path), sink=recorder)
    assert status == EXIT_UNUSABLE
    assert len(recorder.messages) == 1
    title, text, kind = recorder.messages[0]
    assert title == "科创台账" and kind == "WARNING"
    assert "已被另一个科创台账程序打开" in text and db_path.name in text


def test_a_file_that_is_no_database_exits_2(tmp_path: Path, recorder: Any) -> None:
    bogus = tmp_path / "报表.sqlite"
    bogus.write_bytes(b"PK\x03\x04 not a database" * 100)
    assert run_gui(gui_args(bogus), sink=recorder) == EXIT_UNUSABLE
    assert len(recorder.messages) == 1 and "数据库" in recorder.messages[0][1]


def test_whole_run_shows_notes_takes_exit_backup_and_releases_the_database(
        qtbot: QtBot, db_path: Path, recorder: Any) -> None:
    (log_dir() / FAULT_FILE).write_text("Fatal Python error: Segmentation fault\n", encoding="utf-8")
    seen: dict[str, Any] = {}

    def close_when_shown() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows or not recorder.messages:
            QTimer.singleShot(20, close_when_shown)
            return
        seen["title"] = windows[0].windowTitle()
        windows[0].close()

    QTimer.singleShot(0, close_when_shown)
    status = run_gui(gui_args(db_path), sink=recorder)

    assert status == EXIT_OK
    assert db_path.name in seen["title"]
    assert any("上次运行时程序意外终止" in text for _title, text, _kind in recorder.messages)
    assert [info.reason for info in list_backups(db_path)] == ["exit"]
    with InstanceLock(db_path):  # released by the run
        pass


def test_demo_database_is_built_on_first_use_then_reused(
        monkeypatch: pytest.MonkeyPatch, runner: OperationRunner, recorder: Any) -> None:
    monkeypatch.setattr(startup, "DEMO_ENTERPRISES", 60)
    opened = startup.open_for_gui(gui_args(None, demo=True), sink=recorder, runner=runner)
    assert opened is not None and recorder.messages == []
    try:
        assert opened.db.path == demo_db_path().resolve()
        assert database_overview(opened.db).enterprises == 60
    finally:
        opened.close()

    def no_second_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("the demo database exists and must not be built again")

    monkeypatch.setattr("services.demo.build_demo", no_second_build)
    again = startup.open_for_gui(gui_args(None, demo=True), sink=recorder, runner=runner)
    assert again is not None and recorder.messages == []
    again.close()


def test_workbench_numbers_agree_with_the_demo_generator(tmp_path: Path) -> None:
    summary = build_demo(tmp_path / "demo.sqlite", enterprises=60, seed=3)
    with open_database(summary.path) as opened:
        overview = database_overview(opened.db, as_of=summary.as_of)
    assert overview.enterprises == 60
    assert {q.code: q.valid for q in overview.qualifications if q.valid} == \
        {code: n for code, n in summary.holders.items() if n}
