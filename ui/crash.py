"""The crash handler (STYLE practice 15): log first, then show one dialog; faulthandler output kept for next start.

Installed as early as possible by :func:`ui.app.run_gui`. ``sys.excepthook`` catches exceptions on the GUI thread
(PySide6 passes exceptions raised in slots there), ``threading.excepthook`` those of other threads, which are
logged at once and shown on the GUI thread through a queued signal. While a crash dialog is open, further crashes
are only logged. With ``--no-crash-dialog`` or ``TECHLEDGER_NO_CRASH_DIALOG=1`` nothing is shown: the traceback
goes to the log file and stderr. Hard crashes (segfaults in Qt, say) are written by :mod:`faulthandler` to a file in
the log folder; the next start moves it aside and tells the user where it is. The crash path imports its dialog
lazily, so a broken import elsewhere cannot stop it from logging.
"""

from __future__ import annotations

import datetime as dt
import faulthandler
import logging
import os
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import IO

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal

from services.paths import log_dir
from ui.i18n import tr

log = logging.getLogger("app.crash")

ENV_NO_CRASH_DIALOG = "TECHLEDGER_NO_CRASH_DIALOG"
FAULT_FILE = "faulthandler.log"


def dialog_wanted(no_crash_dialog_flag: bool) -> bool:
    """False when the flag or the environment variable turns the crash dialog off (CI, tests, scripts)."""
    return not no_crash_dialog_flag and os.environ.get(ENV_NO_CRASH_DIALOG, "") not in ("1", "true", "yes")


def format_exception(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    return "".join(traceback.format_exception(exc_type, exc, tb))


class _Bridge(QObject):
    """Carries a crash report from any thread to the GUI thread."""

    crashed = Signal(str)


class CrashHandler:
    """Global exception hooks and the faulthandler file for one run of the GUI.

    Attributes:
        dialog_enabled: Show the crash dialog (False: log only).
        previous_crash_note: A Chinese note about the previous run's hard crash, or None; shown once at startup.
    """

    def __init__(self, *, dialog_enabled: bool) -> None:
        self.dialog_enabled = dialog_enabled
        self.previous_crash_note: str | None = None
        self._showing = False
        self._bridge: _Bridge | None = None
        self._saved_hooks: tuple[object, object] | None = None
        self._fault_file: IO[str] | None = None
        self._fault_was_enabled = False

    # -- installation -----------------------------------------------------------------------------------------

    @contextmanager
    def installed(self) -> Iterator[CrashHandler]:
        """Install the hooks and faulthandler for the duration of the ``with`` block, then restore the old ones."""
        self.install()
        try:
            yield self
        finally:
            self.uninstall()

    def install(self) -> None:
        self._saved_hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook
        self._enable_faulthandler()
        log.info("crash handler installed (dialog %s)", "on" if self.dialog_enabled else "off")

    def uninstall(self) -> None:
        if self._saved_hooks is not None:
            sys.excepthook, threading.excepthook = self._saved_hooks  # type: ignore[assignment]
            self._saved_hooks = None
        self._disable_faulthandler()

    def attach_gui(self) -> None:
        """Called once the QApplication exists, on the GUI thread: crashes of other threads can now be shown."""
        bridge = _Bridge()
        bridge.crashed.connect(self._show)
        self._bridge = bridge

    # -- faulthandler -----------------------------------------------------------------------------------------

    def fault_file_path(self) -> Path:
        return log_dir() / FAULT_FILE

    def _enable_faulthandler(self) -> None:
        path = self.fault_file_path()
        if path.exists() and path.stat().st_size > 0:
            kept = path.with_name(f"crash-{dt.datetime.now():%Y%m%d-%H%M%S}.log")
            path.replace(kept)
            log.warning("the previous run ended in a hard crash; faulthandler output kept in %s", kept)
            self.previous_crash_note = tr(
                "上次运行时程序意外终止。诊断信息已保存到：\n{0}\n如果问题反复出现，请将该文件和日志文件夹一并发给技术支持。"
            ).format(kept)
        self._fault_was_enabled = faulthandler.is_enabled()
        self._fault_file = path.open("w", encoding="utf-8")
        faulthandler.enable(self._fault_file, all_threads=True)

    def _disable_faulthandler(self) -> None:
        if self._fault_file is None:
            return
        faulthandler.disable()
        if self._fault_was_enabled and sys.__stderr__ is not None:
            faulthandler.enable(sys.__stderr__)
        self._fault_file.close()
        self._fault_file = None
        path = self.fault_file_path()
        if path.exists() and path.stat().st_size == 0:
            path.unlink()

    # -- hooks ------------------------------------------------------------------------------------------------

    def excepthook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        """``sys.excepthook``: log, then show the crash dialog (on the GUI thread) unless turned off."""
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.critical("unhandled exception", exc_info=(exc_type, exc, tb))
        self._report(format_exception(exc_type, exc, tb))

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        """``threading.excepthook``: log with the thread's name, then show the dialog on the GUI thread."""
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "?"
        log.critical("unhandled exception in thread %s", name, exc_info=(args.exc_type, args.exc_value,
                                                                        args.exc_traceback))
        self._report(format_exception(args.exc_type, args.exc_value, args.exc_traceback))

    def _report(self, text: str) -> None:
        if not self.dialog_enabled:
            print(text, file=sys.stderr)
            return
        app = QCoreApplication.instance()
        if app is None:
            print(text, file=sys.stderr)
        elif QThread.currentThread() is app.thread():
            self._show(text)
        elif self._bridge is not None:
            self._bridge.crashed.emit(text)

    def _show(self, text: str) -> None:
        """Show one crash dialog; crashes while it is open are logged only (re-entry guard)."""
        if self._showing:
            return
        self._showing = True
        try:
            from services.logs import log_file, ram_handler
            from ui.dialogs.crash_dialog import CrashDialog

            dialog = CrashDialog(text, log_file(), ram_handler.tail())
            if dialog.exec() == CrashDialog.QUIT:
                QCoreApplication.exit(1)
        except BaseException:  # noqa: BLE001 - the crash path must never raise; the original is already logged
            log.exception("the crash dialog itself failed")
        finally:
            self._showing = False
