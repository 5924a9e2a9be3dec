"""A small dialog that edits one record: a :class:`ui.widgets.form_field.FieldForm`, 保存 and 取消.

保存 asks :meth:`FormDialogBase.work` for the operation to run (raising :class:`services.errors.ValidationError`
for what can be told before asking the database), runs it on the database worker, and closes when it succeeded. The
service's validation problems are shown next to their fields and the dialog stays open with everything the user
typed; problems without a field, and other errors, are shown above the buttons.

:class:`FormDialogBase` needs only the database worker and where messages go (the first-run dialog has no session
yet); :class:`FormDialog`, the record dialogs' base, takes them from the session's :class:`ui.context.AppContext`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from services.errors import UserFacingError, ValidationError
from services.progress import Progress
from ui.context import AppContext
from ui.errors import MessageSink, show_error
from ui.operations import Changes, Op, OperationRunner
from ui.widgets.form_field import ERROR_COLOR, FieldForm


class FormDialogBase(QDialog):
    """A form saved on the database worker; subclasses add fields to :attr:`form` and implement :meth:`work`.

    Attributes:
        form: The fields.
        message: Problems that belong to no field.
        buttons: 保存 and 取消.
        changes: What a successful save changed (broadcast to the open screens).
        progress_label: Shown in a progress dialog while a slow save runs (None: no progress dialog).
        result_value: What the operation returned, after a successful save.

    Signals:
        saved(object): the operation succeeded; its result.
    """

    saved = Signal(object)

    def __init__(self, runner: OperationRunner | None, sink: MessageSink | None, title: str,
                 parent: QWidget | None = None, *, changes: Changes = Changes()) -> None:  # noqa: B008 - frozen
        super().__init__(parent)
        self._runner = runner
        self._sink = sink
        self.changes = changes
        self.progress_label: str | None = None
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
        op = Op(self, fn).changes(self.changes).success(self._succeeded).failure(self._failed) \
            .on_done(self._finished)
        if self.progress_label is not None:
            op.with_progress(self.progress_label)
        op.run(self._runner)

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
            show_error(self, exc, sink=self._sink)

    def show_problems(self, problems: dict[str, str]) -> None:
        rest = self.form.set_problems(problems)
        self.message.setText("；".join(rest.values()))
        self.message.setVisible(bool(rest))


class FormDialog(FormDialogBase):
    """Base of the record dialogs of a session.

    Attributes:
        ctx: The session (its database, worker and message sink).
    """

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None, *,
                 changes: Changes = Changes(enterprise=True)) -> None:  # noqa: B008 - frozen, never mutated
        super().__init__(ctx.runner, ctx.sink, title, parent, changes=changes)
        self.ctx = ctx
