"""Progress shown late and polled (STYLE practice 12): busy cursor after 300 ms, modal dialog after 600 ms.

The worker only writes into a :class:`services.progress.Progress`; a 100 ms timer on the GUI thread reads it. The
dialog's 取消 button sets the cancel flag, which the worker notices at its next ``update()``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget

from services.progress import Progress
from services.version import APP_NAME_CN

BUSY_CURSOR_DELAY_MS = 300
DIALOG_DELAY_MS = 600
POLL_INTERVAL_MS = 100


class ProgressWatcher(QObject):
    """Shows the progress of one operation while it runs.

    Attributes:
        dialog: The progress dialog, once shown.
    """

    def __init__(self, parent: QWidget | None, progress: Progress, label: str) -> None:
        super().__init__()
        self._parent = parent.window() if parent is not None else None
        self._progress = progress
        self._label = label
        self._busy = False
        self._stopped = False
        self.dialog: QProgressDialog | None = None
        self._cursor_timer = self._timer(BUSY_CURSOR_DELAY_MS, self._set_busy, single=True)
        self._dialog_timer = self._timer(DIALOG_DELAY_MS, self._show_dialog, single=True)
        self._poll_timer = self._timer(POLL_INTERVAL_MS, self._poll, single=False)

    def _timer(self, msecs: int, slot: object, *, single: bool) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(msecs)
        timer.setSingleShot(single)
        timer.timeout.connect(slot)
        return timer

    def start(self) -> None:
        self._cursor_timer.start()
        self._dialog_timer.start()

    def stop(self) -> None:
        """The operation is over: restore the cursor and close the dialog."""
        self._stopped = True
        for timer in (self._cursor_timer, self._dialog_timer, self._poll_timer):
            timer.stop()
        if self._busy:
            QApplication.restoreOverrideCursor()
            self._busy = False
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None

    def _set_busy(self) -> None:
        if not self._stopped and not self._busy:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            self._busy = True

    def _show_dialog(self) -> None:
        if self._stopped:
            return
        dialog = QProgressDialog(self._label, self.tr("取消"), 0, 0, self._parent)
        dialog.setWindowTitle(APP_NAME_CN)
        dialog.setWindowModality(Qt.WindowModality.WindowModal if self._parent else Qt.WindowModality.ApplicationModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.setMinimumWidth(360)
        # Keep the dialog up after 取消 ("正在取消…") until the worker has stopped, instead of Qt's hide-on-cancel.
        dialog.canceled.disconnect(dialog.cancel)
        dialog.canceled.connect(self._on_cancel)
        self.dialog = dialog
        dialog.show()
        self._poll_timer.start()

    def _on_cancel(self) -> None:
        self._progress.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText(self.tr("正在取消…"))
            for button in self.dialog.findChildren(QPushButton):
                button.setEnabled(False)

    def _poll(self) -> None:
        if self.dialog is None:
            return
        state = self._progress.snapshot()
        if state.cancelled:
            return
        if state.label and state.label != self.dialog.labelText():
            self.dialog.setLabelText(state.label)
        if state.maximum > 0:
            if self.dialog.maximum() != state.maximum:
                self.dialog.setMaximum(state.maximum)
            if self.dialog.value() != state.value:
                # Qt processes events inside setValue for a modal dialog; stop() may run in there, hence the check.
                self.dialog.setValue(min(state.value, state.maximum))
