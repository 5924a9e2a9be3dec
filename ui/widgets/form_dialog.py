"""A small dialog that edits one record: a :class:`ui.widgets.form_field.FieldForm`, 保存 and 取消.

保存 asks :meth:`FormDialog.work` for the operation to run (raising :class:`services.errors.ValidationError` for
what can be told before asking the database), runs it on the database worker, and closes when it succeeded. The
service's validation problems are shown next to their fields and the dialog stays open with everything the user
typed; problems without a field, and other errors, are shown above the buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from services.errors import UserFacingError, ValidationError
from services.progress import Progress
from ui.context import AppContext
from ui.errors import show_error
from ui.operations import Changes, Op
from ui.widgets.form_field import ERROR_COLOR, FieldForm


class FormDialog(QDialog):
    """Base of the record dialogs; subclasses add fields to :attr:`form` and implement :meth:`work`.

    Attributes:
        form: The fields.
        message: Problems that belong to no field.
        changes: What a successful save changed (broadcast to the open screens).
        result_value: What the operation returned, after a successful save.

    Signals:
        saved(object): the operation succeeded; its result.
    """

    saved = Signal(object)

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None, *,
                 changes: Changes = Changes(enterprise=True)) -> None:  # noqa: B008 - frozen, never mutated
        super().__init__(parent)
        self.ctx = ctx
        self.changes = changes
        self.result_value: Any = None
        self._running = False
        self.setWindowTitle(title)
        self.form = FieldForm()
        self.message = QLabel()
        self.message.setObjectName("form_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOR};")
        self.message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def work(self) -> Callable[[Progress], Any]:
        """The operation that saves what the form holds; raises ValidationError for problems found here."""
        raise NotImplementedError

    def submit(self) -> None:
        """保存: check, run the operation, close when it succeeded."""
        if self._running:
            return
        self.show_problems({})
        try:
            fn = self.work()
        except ValidationError as exc:
            self.show_problems(exc.problems)
            return
        self._running = True
        self.buttons.setEnabled(False)
        Op(self, fn).changes(self.changes).success(self._succeeded).failure(self._failed) \
            .on_done(self._finished).run(self.ctx.runner)

    def _finished(self) -> None:
        self._running = False
        self.buttons.setEnabled(True)

    def _succeeded(self, result: Any) -> None:
        self.result_value = result
        self.saved.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self.show_problems(exc.problems)
        elif isinstance(exc, UserFacingError):
            self.message.setText(str(exc))
            self.message.show()
        else:
            show_error(self, exc, sink=self.ctx.sink)

    def show_problems(self, problems: dict[str, str]) -> None:
        rest = self.form.set_problems(problems)
        self.message.setText("；".join(rest.values()))
        self.message.setVisible(bool(rest))
