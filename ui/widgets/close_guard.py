"""Asking about a page's unsaved edits when its window is closed, so that closing the application loses nothing.

    self.close_guard = CloseGuard(self, self.dirty, self.unless_unsaved)

A page that keeps edits (a grid, a form) hands over how to tell whether it has unsaved changes and its
``unless_unsaved(then)`` — save, discard or cancel as the user chooses, then run ``then``. When the page's window is
asked to close while the page is dirty, the close waits: cancelled, the window stays; saved or discarded, the window
closes afterwards (a close the window itself postpones, such as the exit backup, follows as usual).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class CloseGuard(QObject):
    """Watches the window of ``page`` (from the page's first showing on) for close requests."""

    def __init__(self, page: QWidget, dirty: Callable[[], bool],
                 unless_unsaved: Callable[[Callable[[], None]], bool]) -> None:
        super().__init__(page)
        self._page = page
        self._dirty = dirty
        self._unless_unsaved = unless_unsaved
        self._window: QWidget | None = None
        page.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self._page and event.type() == QEvent.Type.Show:
            window = self._page.window()
            if window is not self._window and window is not self._page:
                if self._window is not None:
                    self._window.removeEventFilter(self)
                self._window = window
                window.installEventFilter(self)
        elif watched is self._window and event.type() == QEvent.Type.Close and self._dirty():
            window = self._window
            event.ignore()
            self._unless_unsaved(lambda: QTimer.singleShot(0, window.close))
            return True
        return False
