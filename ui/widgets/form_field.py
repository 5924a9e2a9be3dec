"""A form whose fields show their own problem: label, editor, and the rule broken right under the editor.

Services raise :class:`services.errors.ValidationError` with ``problems`` ``{field: 中文规则}``; a form built with
:class:`FieldForm` under the same field names shows each message next to its field with :meth:`FieldForm.set_problems`
and says which problems it has no field for (to show them elsewhere).
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

ERROR_COLOR = "#c62828"
HINT_COLOR = "#5f6b7a"


class FieldForm(QWidget):
    """Rows of label, editor, hint and error, in a grid that keeps labels aligned.

    Attributes:
        grid: The layout (columns: label, editor, hint).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(1, 1)
        self._labels: dict[str, QLabel] = {}
        self._editors: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        self._row = 0

    def add(self, key: str, label: str, editor: QWidget, *, hint: QLabel | str | None = None,
            required: bool = False) -> QWidget:
        """Add a field; ``hint`` (text or a label to update later) stands beside the editor."""
        caption = QLabel(f"{label}{' *' if required else ''}")
        caption.setBuddy(editor)
        caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.grid.addWidget(caption, self._row, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        self.grid.addWidget(editor, self._row, 1)
        if hint is not None:
            hint_label = hint if isinstance(hint, QLabel) else QLabel(hint)
            hint_label.setStyleSheet(f"color: {HINT_COLOR};")
            hint_label.setWordWrap(True)
            self.grid.addWidget(hint_label, self._row, 2)
        error = QLabel()
        error.setObjectName(f"error_{key}")
        error.setStyleSheet(f"color: {ERROR_COLOR};")
        error.setWordWrap(True)
        error.hide()
        self.grid.addWidget(error, self._row + 1, 1, 1, 2)
        self._labels[key], self._editors[key], self._errors[key] = caption, editor, error
        self._row += 2
        return editor

    def editor(self, key: str) -> QWidget:
        return self._editors[key]

    def keys(self) -> list[str]:
        return list(self._editors)

    def problem(self, key: str) -> str:
        """The message shown under field ``key`` ("" when none)."""
        error = self._errors[key]
        return error.text() if not error.isHidden() else ""

    def set_problem(self, key: str, message: str) -> None:
        """Show (or with "" clear) the problem of one field."""
        error, caption = self._errors[key], self._labels[key]
        error.setText(message)
        error.setVisible(bool(message))
        caption.setStyleSheet(f"color: {ERROR_COLOR};" if message else "")

    def set_problems(self, problems: Mapping[str, str]) -> dict[str, str]:
        """Show ``problems`` by their fields (clearing the others); returns those without a field here."""
        for key in self._errors:
            self.set_problem(key, problems.get(key, ""))
        first = next((self._editors[k] for k in self._editors if k in problems), None)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        return {k: v for k, v in problems.items() if k not in self._errors}

    def clear_problems(self) -> None:
        self.set_problems({})
