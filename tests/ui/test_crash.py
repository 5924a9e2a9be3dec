"""The crash handler: log first, one dialog at a time, thread exceptions, faulthandler output kept for next start."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from services.logs import configure_logging, log_file
from services.paths import log_dir
from ui.crash import ENV_NO_CRASH_DIALOG, FAULT_FILE, CrashHandler, dialog_wanted
from ui.dialogs.crash_dialog import CrashDialog


def raise_and_report(handler: CrashHandler, message: str) -> None:
    try:
        raise ValueError(message)
    except ValueError:
        handler.excepthook(*sys.exc_info())  # type: ignore[arg-type]


def log_text() -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    path = log_file()
    assert path is not None
    return path.read_text(encoding="utf-8")


def test_dialog_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_NO_CRASH_DIALOG, raising=False)
    assert dialog_wanted(False) and not dialog_wanted(True)
    monkeypatch.setenv(ENV_NO_CRASH_DIALOG, "1")
    assert not dialog_wanted(False)


def test_without_dialog_the_traceback_goes_to_the_log_file(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging()
    handler = CrashHandler(dialog_enabled=False)
    raise_and_report(handler, "账本计算出错-1")
    text = log_text()
    assert "unhandled exception" in text and "Traceback" in text and "ValueError: 账本计算出错-1" in text
    assert "ValueError: 账本计算出错-1" in capsys.readouterr().err


def test_exceptions_of_other_threads_are_logged(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging()
    handler = CrashHandler(dialog_enabled=False)
    with handler.installed():
        worker = threading.Thread(target=lambda: 1 / 0, name="导入线程")
        worker.start()
        worker.join()
    text = log_text()
    assert "unhandled exception in thread 导入线程" in text and "ZeroDivisionError" in text
    capsys.readouterr()


def test_one_dialog_at_a_time_with_copyable_report(qtbot: QtBot, qapp: QApplication) -> None:
    configure_logging()
    handler = CrashHandler(dialog_enabled=True)
    shown: list[CrashDialog] = []

    def answer() -> None:
        dialogs = [w for w in qapp.topLevelWidgets() if isinstance(w, CrashDialog) and w.isVisible()]
        if not dialogs:
            QTimer.singleShot(10, answer)
            return
        shown.extend(dialogs)
        raise_and_report(handler, "第二个错误")  # while the dialog is open: logged, no second dialog
        dialogs[0].copy_report()
        dialogs[0].done(CrashDialog.CONTINUE)

    QTimer.singleShot(0, answer)
    raise_and_report(handler, "第一个错误")
    assert len(shown) == 1
    report = shown[0].report
    assert "ValueError: 第一个错误" in report and "科创台账" in report and str(log_file()) in report
    assert QApplication.clipboard().text() == report
    assert "ValueError: 第二个错误" in log_text()


def test_hard_crash_output_is_kept_and_mentioned_next_start() -> None:
    leftover = log_dir() / FAULT_FILE
    leftover.write_text("Fatal Python error: Segmentation fault\n", encoding="utf-8")
    handler = CrashHandler(dialog_enabled=False)
    with handler.installed():
        assert handler.previous_crash_note is not None and "上次运行时程序意外终止" in handler.previous_crash_note
        kept = [p for p in log_dir().glob("crash-*.log")]
        assert len(kept) == 1 and "Segmentation fault" in kept[0].read_text(encoding="utf-8")
        assert str(kept[0]) in handler.previous_crash_note
        assert leftover.exists() and leftover.stat().st_size == 0
    assert not leftover.exists()  # a clean end leaves nothing to report next time


def test_hooks_are_restored(tmp_path: Path) -> None:
    before = (sys.excepthook, threading.excepthook)
    with CrashHandler(dialog_enabled=False).installed() as handler:
        assert sys.excepthook == handler.excepthook
    assert (sys.excepthook, threading.excepthook) == before
