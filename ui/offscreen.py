"""The real GUI driven without a screen, for the benchmarks (bench/ may not import Qt itself) and screenshots.

    with offscreen_app(db_path) as new_window:
        window = new_window()          # a MainWindow on the database, shown, its start page loaded
        run_until(lambda: ...)         # turn the event loop until a condition holds

    watch_startup(ready, filled)       # before the real entry point: say when its main window is usable

The application is set up as :func:`ui.app.run_gui` sets it up (names, translations, the UI font), on Qt's
``offscreen`` platform unless another is chosen.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from services.database import open_database
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.settings import UiSettings


def run_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Run the event loop until ``condition`` holds; TimeoutError after ``timeout`` seconds.

    The loop sleeps between events (no busy polling, which would compete with the database worker for the
    interpreter) and checks the condition every couple of milliseconds.
    """
    if condition():
        return
    loop = QEventLoop()
    check = QTimer()
    check.setInterval(2)
    check.timeout.connect(lambda: loop.quit() if condition() else None)
    expired: list[bool] = []

    def expire() -> None:
        expired.append(True)
        loop.quit()

    limit = QTimer()
    limit.setSingleShot(True)
    limit.timeout.connect(expire)
    check.start()
    limit.start(int(timeout * 1000))
    loop.exec()
    check.stop()
    limit.stop()
    if expired and not condition():
        raise TimeoutError("the window did not get there in time")


def press(widget: QWidget, key: str) -> None:
    """One keystroke into ``widget``: a Latin character or digit, " ", or "Backspace"; other text arrives the way
    an input method commits a Chinese word."""
    if key == "Backspace":
        QTest.keyClick(widget, Qt.Key.Key_Backspace)
    elif key.isascii() and len(key) == 1:
        QTest.keyClicks(widget, key)
    else:
        event = QInputMethodEvent()
        event.setCommitString(key)
        QApplication.sendEvent(widget, event)


def start_application() -> QApplication:
    """The QApplication as the GUI sets it up, on the offscreen platform unless QT_QPA_PLATFORM says otherwise."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.app import create_application
    from ui.fonts import apply_ui_font
    from ui.i18n import install_translators

    app = create_application()
    install_translators(app)
    apply_ui_font(app)
    return app


@contextmanager
def offscreen_app(db_path: Path) -> Iterator[Callable[[], MainWindow]]:
    """The application with ``db_path`` open; yields a factory of main windows shown on the start page, with its
    loading done (no exit backup)."""
    from ui.operations import OperationRunner

    start_application()
    runner = OperationRunner.instance()
    with open_database(db_path) as opened:

        def new_window() -> MainWindow:
            settings = UiSettings()
            settings.last_page = "dashboard"  # the start page, whatever the previous window showed last
            ctx = AppContext(opened=opened, runner=runner, settings=settings, backup_on_exit=False,
                             sink=lambda *_args: None)
            window = MainWindow(ctx)
            window.resize(1280, 800)
            window.show()
            run_until(lambda: runner.is_idle() and window.isVisible())
            return window

        try:
            yield new_window
        finally:
            runner.shutdown()


def watch_startup(ready: Callable[[], None], filled: Callable[[], None]) -> QTimer:
    """Before :func:`ui.app.run_gui` runs: call ``ready()`` once its main window is shown and the event loop turns
    again (the window answers input), ``filled()`` once the start page shows its figures, then end the event loop.

    The application object is created here the way ``run_gui`` creates it (it reuses it).
    """
    from ui.app import create_application
    from ui.pages.dashboard import DashboardPage

    app = create_application()
    timer = QTimer(app)
    timer.setInterval(5)
    state = {"ready": False}

    def poll() -> None:
        window = next((w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()), None)
        if window is None:
            return
        if not state["ready"]:
            state["ready"] = True
            QTimer.singleShot(0, ready)
            return
        dashboard = window.findChild(DashboardPage)
        if dashboard is None or dashboard.overview is not None:
            timer.stop()
            filled()
            app.exit(0)

    timer.timeout.connect(poll)
    timer.start()
    return timer
