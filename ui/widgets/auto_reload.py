"""Keeping a page's figures fresh: load when it is shown and something it shows has changed (STYLE practice 7).

    self.refresh = AutoReload(self, ctx.runner, Changes(enterprise=True), self._start_loading)

``_start_loading()`` starts the page's operation and returns it. A change broadcast while the page is hidden only
marks it stale; it loads when shown again. One load runs at a time; asked again meanwhile, it loads once more after.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from ui.operations import Changes, Op, OperationRunner


class AutoReload(QObject):
    """Reloads a page's data when needed.

    Attributes:
        stale: The data shown may be out of date.
        loading: A load is under way.
    """

    def __init__(self, page: QWidget, runner: OperationRunner, relevant: Changes,
                 start: Callable[[], Op[Any]]) -> None:
        super().__init__(page)
        self._page = page
        self._relevant = relevant
        self._start = start
        self.stale = True
        self.loading = False
        page.installEventFilter(self)
        # Disconnected when the page (and with it this object) is destroyed.
        runner.operation_did_execute.connect(self._changed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self._page and event.type() == QEvent.Type.Show and self.stale:
            self.reload()
        return False

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if changes & self._relevant:
            self.stale = True
            if self._page.isVisible():
                self.reload()

    def reload(self) -> None:
        """Load now (or once more after the load under way)."""
        if self.loading:
            self.stale = True
            return
        self.loading, self.stale = True, False
        self._start().on_done(self._done)

    def _done(self) -> None:
        self.loading = False
        if self.stale and self._page.isVisible():
            self.reload()
