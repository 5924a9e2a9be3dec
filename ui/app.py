"""The GUI's entry point: ``run_gui(args)`` sets up logging, the crash handler, Qt, the database and the window.

One line is logged per startup step. The exit status is 0 after a normal close, 2 when the database cannot be used
(the user was shown why), 1 after an unexpected failure during startup.
"""

from __future__ import annotations

import argparse
import logging
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from services.logs import configure_logging
from services.paths import resources_dir
from services.version import APP_NAME, APP_NAME_CN, ORG_NAME, __version__
from ui.context import AppContext
from ui.crash import CrashHandler, dialog_wanted
from ui.errors import MessageSink, inform
from ui.fonts import apply_ui_font
from ui.i18n import install_translators
from ui.operations import OperationRunner
from ui.settings import UiSettings
from ui.startup import open_for_gui

log = logging.getLogger("app.init")

EXIT_OK, EXIT_FAILURE, EXIT_UNUSABLE = 0, 1, 2
APP_ICON = "icons/techledger.svg"


def create_application() -> QApplication:
    """The QApplication, created with names and High-DPI policy (or the existing one, e.g. in tests)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # Fractional scaling (125 %, 150 % are common on office laptops) without rounding to whole factors.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(resources_dir() / APP_ICON)))
    return app


def run_gui(args: argparse.Namespace, *, sink: MessageSink | None = None) -> int:
    """Run the GUI until the main window is closed.

    Args:
        args: The parsed command line: ``.db``, ``.demo``, ``.no_crash_dialog``, ``.debug``.
        sink: Where startup messages go (tests pass a recorder); modal message boxes when omitted.

    Returns:
        The process exit status.
    """
    configure_logging(debug=args.debug)
    log.info("starting %s %s (Python %s)", APP_NAME_CN, __version__, sys.version.split()[0])
    crash = CrashHandler(dialog_enabled=dialog_wanted(args.no_crash_dialog))
    with crash.installed():
        try:
            return _run(args, crash, sink)
        except Exception:  # noqa: BLE001 - startup bug: logged and shown by the crash handler, then a clean exit
            crash.excepthook(*sys.exc_info())
            return EXIT_FAILURE


def _run(args: argparse.Namespace, crash: CrashHandler, sink: MessageSink | None) -> int:
    app = create_application()
    crash.attach_gui()
    log.info("Qt application ready")
    install_translators(app)
    apply_ui_font(app)
    runner = OperationRunner.instance()
    opened = open_for_gui(args, sink=sink, runner=runner)
    if opened is None:
        return EXIT_UNUSABLE
    log.info("database %s open", opened.db.display_name())
    from ui.dialogs.first_run import signed_in_at_first_run
    from ui.dialogs.login import sign_in_for_gui

    if not signed_in_at_first_run(opened) and not sign_in_for_gui(opened, runner):
        opened.close()
        log.info("sign-in cancelled")
        return EXIT_OK
    ctx = AppContext(opened=opened, runner=runner, settings=UiSettings(), demo=bool(args.demo), sink=sink)
    try:
        from ui.main_window import MainWindow

        window = MainWindow(ctx)
        window.show()
        log.info("main window shown")
        notes = ([crash.previous_crash_note] if crash.previous_crash_note else []) + list(opened.notes)

        def show_notes() -> None:
            for note in notes:
                inform(window, note, sink=sink)

        QTimer.singleShot(0, window, show_notes)
        status = app.exec()
    finally:
        runner.shutdown()
        ctx.opened.close()
        log.info("database closed")
    return status
