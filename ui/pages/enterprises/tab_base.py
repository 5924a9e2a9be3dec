"""What the record tabs of the enterprise dialog share: load on the database worker when shown (again when the
enterprise changes), reload after a form saved, forms opened window-modal so the event loop never blocks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from services.enterprise_list import ListOptions, list_options
from services.qualifications import QualificationTypeInfo, qualification_types
from ui.context import AppContext
from ui.errors import show_error
from ui.operations import Op
from ui.widgets.form_dialog import FormDialog


@dataclass(frozen=True)
class Catalog:
    """The choices the enterprise forms offer: 属地, fields, pool kinds, and the qualification types."""

    options: ListOptions
    types: tuple[QualificationTypeInfo, ...]

    def type(self, code: str) -> QualificationTypeInfo | None:
        return next((t for t in self.types if t.code == code), None)


def load_catalog(db: Any) -> Catalog:
    """Read the catalogue (on the database worker)."""
    return Catalog(list_options(db), tuple(qualification_types(db)))


class RecordTab(QWidget):
    """A tab showing records of one enterprise; subclasses implement :meth:`fetch` and :meth:`show_data`.

    Attributes:
        ctx: The session context.
        enterprise_id: The enterprise shown (None before one is set).
        data: What :meth:`fetch` returned last.

    Signals:
        loaded(): the records were (re)loaded and shown.
    """

    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.enterprise_id: int | None = None
        self.data: Any = None
        self.catalog: Catalog | None = None
        self._stale = True
        self._loading = False

    def fetch(self, db: Any, enterprise_id: int) -> Any:
        """Read the records (on the database worker); ``db`` is the open database (``ctx.opened.db``)."""
        raise NotImplementedError

    def show_data(self, data: Any) -> None:
        """Show what :meth:`fetch` returned (on the GUI thread)."""
        raise NotImplementedError

    def set_enterprise(self, enterprise_id: int | None) -> None:
        self.enterprise_id = enterprise_id
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        if self.enterprise_id is None:
            return
        self._stale = False
        db, enterprise_id = self.ctx.opened.db, self.enterprise_id
        Op(self, lambda _p: self.fetch(db, enterprise_id)).success(self._fetched).failure(self.show_error) \
            .run(self.ctx.runner)

    def _fetched(self, data: Any) -> None:
        self.data = data
        self.show_data(data)
        self.loaded.emit()

    def show_error(self, exc: BaseException) -> None:
        show_error(self, exc, sink=self.ctx.sink)

    def open_form(self, dialog: FormDialog) -> FormDialog:
        """Open a record form over this tab; the tab reloads when it saved."""
        dialog.saved.connect(lambda _result: self.reload())
        dialog.open()
        return dialog

    @staticmethod
    def button_row(*buttons: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        return row
