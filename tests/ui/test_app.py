"""The GUI entry point: translations, font, the locked-database exit, a whole run with its exit backup."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QFontDatabase, QFontMetricsF
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from services.backup import list_backups
from services.lock import InstanceLock
from services.paths import log_dir
from ui.app import EXIT_OK, EXIT_UNUSABLE, run_gui
from ui.crash import FAULT_FILE
from ui.fonts import apply_ui_font, bundled_font_path
from ui.i18n import install_translators
from ui.main_window import MainWindow


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
