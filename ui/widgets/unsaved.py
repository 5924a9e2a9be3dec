"""Unsaved edits of a page that keeps them (a grid, a form): ask before they could be lost, also on closing.

    def unless_unsaved(self, then):
        return unless_unsaved(self, "“…”有尚未保存的修改。要保存吗？", then)

    self.close_guard = CloseGuard(self, self.dirty, self.unless_unsaved)

:func:`unless_unsaved` runs ``then`` at once when nothing is unsaved, else after the user chose to save (once the
save succeeded) or to discard; cancelling runs nothing. :class:`CloseGuard` makes the page's window wait when it is
asked to close while the page is dirty: cancelled, the window stays; saved or discarded, the window closes afterwards
(a close the window itself postpones, such as the exit backup, follows as usual).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from ui.widgets.questions import Unsaved


class KeepsEdits(Protocol):
    """A page with edits: how it asks (tests answer instead), whether it has unsaved edits, save and discard."""

    ask: Callable[[QWidget, str], Unsaved]

    def dirty(self) -> bool: ...

    def save(self, after: Callable[[], None] | None = None) -> None: ...

    def discard(self) -> None: ...


def unless_unsaved(page: KeepsEdits, question: str, then: Callable[[], None]) -> bool:
    """Run ``then`` now, or after saving or discarding ``page``'s edits as the user chooses; False if cancelled."""
    if not page.dirty():
        then()
        return True
    answer = page.ask(page, question)  # type: ignore[arg-type]
    if answer is Unsaved.CANCEL:
        return False
    if answer is Unsaved.SAVE:
        page.save(after=then)
        return True
    page.discard()
    then()
    return True


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
