"""The one place that shows errors to the user (STYLE practices 9 and 14).

A :class:`services.errors.UserFacingError` is shown as it is, in a message box; a cancelled operation is not an
error and shows nothing; anything else is a bug and goes to ``sys.excepthook`` — the crash handler once the app
runs (ui/crash.py), pytest-qt's capture in tests.

Message boxes go through a :data:`MessageSink`, so that code paths which would block on a modal box (startup,
tests) can be given another sink that records instead.
"""

from __future__ import annotations

import enum
import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from services.errors import UserFacingError
from services.progress import Cancelled
from services.version import APP_NAME_CN

log = logging.getLogger("app.ui")


class MessageKind(enum.Enum):
    INFO = QMessageBox.Icon.Information
    WARNING = QMessageBox.Icon.Warning
    CRITICAL = QMessageBox.Icon.Critical


#: Shows ``text`` under ``title`` to the user: ``sink(parent, title, text, kind)``.
MessageSink = Callable[[QWidget | None, str, str, MessageKind], None]


def message_box(parent: QWidget | None, title: str, text: str, kind: MessageKind) -> None:
    """The default sink: a modal QMessageBox with one 确定 button; the text can be selected and copied."""
    box = QMessageBox(kind.value, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()


def show_error(parent: QWidget | None, exc: BaseException, *, sink: MessageSink | None = None) -> None:
    """Tell the user about ``exc``: its own message if it is user-facing, the crash dialog if it is a bug.

    Args:
        parent: Widget the message box belongs to (None at startup).
        exc: The exception, with its traceback.
        sink: Where the message goes; a modal message box when omitted.
    """
    if isinstance(exc, Cancelled):
        log.info("operation cancelled by the user")
        return
    if isinstance(exc, UserFacingError):
        log.info("user-facing error shown: %s", exc)
        (sink or message_box)(parent, APP_NAME_CN, str(exc), MessageKind.WARNING)
        return
    sys.excepthook(type(exc), exc, exc.__traceback__)


def inform(parent: QWidget | None, text: str, *, sink: MessageSink | None = None) -> None:
    """Show a notice (a migration backup, a finished backup) that the user should read once."""
    (sink or message_box)(parent, APP_NAME_CN, text, MessageKind.INFO)
