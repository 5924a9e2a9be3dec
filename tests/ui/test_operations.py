"""Operations: work off the GUI thread, outcomes on it, progress shown late, cancel as a flag, changes broadcast."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from services.errors import DatabaseLockedError
from services.progress import Cancelled, Progress
from ui.errors import MessageKind, inform, show_error
from ui.operations import Changes, Op, OperationRunner, run_and_wait


def on_gui_thread() -> bool:
    return QThread.currentThread() is QApplication.instance().thread()


def test_fn_runs_off_the_gui_thread_and_success_arrives_on_it(qtbot: QtBot, runner: OperationRunner) -> None:
    seen: dict[str, object] = {}

    def work(progress: Progress) -> int:
        seen["worker"] = threading.get_ident()
        seen["worker_on_gui"] = on_gui_thread()
        return 42

    def done(result: int) -> None:
        seen["result"] = result
        seen["callback"] = threading.get_ident()
        seen["callback_on_gui"] = on_gui_thread()

    with qtbot.waitSignal(runner.op_finished, timeout=5000):
        Op(None, work).success(done).run(runner)
    assert seen["result"] == 42
    assert seen["worker"] != threading.get_ident() and seen["worker_on_gui"] is False
    assert seen["callback"] == threading.get_ident() and seen["callback_on_gui"] is True


def test_operations_run_one_at_a_time_in_order(qtbot: QtBot, runner: OperationRunner) -> None:
    active: list[int] = []
    order: list[int] = []
    overlap: list[bool] = []

    def work(n: int) -> None:
        active.append(n)
        overlap.append(len(active) > 1)
        time.sleep(0.01)
        order.append(n)
        active.remove(n)

    for n in range(5):
        Op(None, lambda _p, n=n: work(n)).run(runner)
    qtbot.waitUntil(runner.is_idle, timeout=5000)
    assert order == [0, 1, 2, 3, 4] and not any(overlap)


def test_failure_arrives_on_the_gui_thread_with_the_exception(qtbot: QtBot, runner: OperationRunner) -> None:
    failures: list[tuple[BaseException, bool]] = []

    def work(progress: Progress) -> None:
        raise DatabaseLockedError("数据库已被占用。")

    with qtbot.waitSignal(runner.op_finished, timeout=5000):
        Op(None, work).success(lambda _r: pytest.fail("no success expected")) \
            .failure(lambda exc: failures.append((exc, on_gui_thread()))).run(runner)
    assert len(failures) == 1
    exc, gui = failures[0]
    assert isinstance(exc, DatabaseLockedError) and str(exc) == "数据库已被占用。" and gui


def test_changes_are_broadcast_with_the_initiator(qtbot: QtBot, runner: OperationRunner) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    with qtbot.waitSignal(runner.operation_did_execute, timeout=5000) as blocker:
        Op(widget, lambda _p: 3).changes(lambda n: Changes(enterprise=n > 0)).run(runner)
    changes, initiator = blocker.args
    assert changes == Changes(enterprise=True) and initiator is widget
    with qtbot.assertNotEmitted(runner.operation_did_execute):
        Op(widget, lambda _p: 0).changes(lambda n: Changes(enterprise=n > 0)).run(runner)
        qtbot.waitUntil(runner.is_idle, timeout=5000)


def test_changes_flags_combine() -> None:
    assert not Changes()
    assert Changes(carrier=True) | Changes(voucher=True) == Changes(carrier=True, voucher=True)
    assert not (Changes(carrier=True) & Changes(voucher=True))
    assert all(vars(Changes.everything()).values())


def test_outcome_is_dropped_when_the_parent_is_gone(qtbot: QtBot, runner: OperationRunner) -> None:
    widget = QWidget()
    gate = threading.Event()
    called: list[str] = []
    Op(widget, lambda _p: gate.wait(5)).success(lambda _r: called.append("success")).run(runner)
    widget.deleteLater()
    qtbot.waitUntil(lambda: not _alive(widget))
    gate.set()
    qtbot.waitUntil(runner.is_idle, timeout=5000)
    assert called == []


def _alive(widget: QWidget) -> bool:
    from shiboken6 import isValid

    return isValid(widget)


def test_progress_dialog_appears_late_and_cancel_stops_the_work(qtbot: QtBot, runner: OperationRunner) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    failures: list[BaseException] = []

    def work(progress: Progress) -> None:
        for i in range(1000):
            progress.update(f"正在处理第 {i} 行", i, 1000)
            time.sleep(0.01)

    op = Op(parent, work).with_progress("正在导入…").failure(failures.append).run(runner)
    assert op.watcher is not None and op.watcher.dialog is None
    qtbot.waitUntil(lambda: op.watcher is not None and op.watcher.dialog is not None, timeout=3000)
    dialog = op.watcher.dialog
    assert isinstance(dialog, QProgressDialog) and dialog.isVisible()
    assert QApplication.overrideCursor() is not None
    qtbot.waitUntil(lambda: dialog.value() > 0 and "正在处理第" in dialog.labelText(), timeout=3000)
    cancel = dialog.findChild(QPushButton)
    assert cancel.text() == "取消"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(runner.is_idle, timeout=5000)
    assert len(failures) == 1 and isinstance(failures[0], Cancelled)
    assert op.watcher.dialog is None
    assert QApplication.overrideCursor() is None


def test_quick_operation_shows_no_progress(qtbot: QtBot, runner: OperationRunner) -> None:
    op = Op(None, lambda _p: "ok").with_progress("正在读取…").run(runner)
    qtbot.waitUntil(runner.is_idle, timeout=5000)
    assert op.watcher is not None and op.watcher.dialog is None
    assert QApplication.overrideCursor() is None


def test_synchronous_mode_runs_inline(qtbot: QtBot, runner: OperationRunner) -> None:
    runner.synchronous = True
    threads: list[int] = []
    results: list[int] = []
    Op(None, lambda _p: threads.append(threading.get_ident()) or 7).success(results.append).run(runner)
    assert threads == [threading.get_ident()]
    qtbot.waitUntil(runner.is_idle, timeout=5000)
    assert results == [7]


def test_run_and_wait_returns_or_raises(runner: OperationRunner) -> None:
    assert run_and_wait(Op(None, lambda _p: 5), runner) == 5
    with pytest.raises(DatabaseLockedError):
        run_and_wait(Op(None, lambda _p: (_ for _ in ()).throw(DatabaseLockedError("占用"))), runner)


def test_show_error_shows_user_facing_text_as_is(recorder: Any) -> None:
    show_error(None, DatabaseLockedError("数据库“a.sqlite”已被另一个科创台账程序打开。"), sink=recorder)
    show_error(None, Cancelled(), sink=recorder)
    inform(None, "已备份。", sink=recorder)
    assert recorder.messages == [
        ("科创台账", "数据库“a.sqlite”已被另一个科创台账程序打开。", MessageKind.WARNING.name),
        ("科创台账", "已备份。", MessageKind.INFO.name),
    ]
