"""What-if editing: the enterprise's figures of the three accounting years (changed cells highlighted) and the
clerk's answers to the rule set's questions. Nothing here is saved: the panel evaluates with what the editor holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.errors import ValidationError
from services.prescreen.facts import MONEY_FIELDS, YEAR_FIELDS, WhatIf, unit_of
from services.prescreen.inputs import InputSpec
from services.prescreen.numbers import to_decimal, trim
from services.qualifications import FACT_LABELS, YearFacts

#: Background of a figure changed for the what-if.
CHANGED = QColor("#fff3c4")
UNANSWERED = "未确认"
#: Rows of the figures table, in the register's order.
FIELDS = tuple(name for name in FACT_LABELS if name in YEAR_FIELDS)


def cell_text(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    return trim(value) if isinstance(value, Decimal) else str(value)


class WhatIfEditor(QWidget):
    """Figures by year and answers.

    Attributes:
        figures: Rows = fields, columns = years (oldest first).
        editors: One editor per question of the rule set, by question key.

    Signals:
        edited(): a figure or an answer changed.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.years: tuple[int, ...] = ()
        self._stored: dict[tuple[int, str], str] = {}
        self._specs: tuple[InputSpec, ...] = ()
        self.figures = QTableWidget(len(FIELDS), 0)
        self.figures.setObjectName("whatif_figures")
        self.figures.setVerticalHeaderLabels([f"{FACT_LABELS[f]}（{unit_of(f)}）" for f in FIELDS])
        self.figures.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.figures.itemChanged.connect(self._on_item_changed)
        self.editors: dict[str, QWidget] = {}
        self.answers_box = QWidget()
        self._form = QFormLayout(self.answers_box)
        self._form.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.figures, 1)
        layout.addWidget(self.answers_box)

    def load(self, year: int, stored: Sequence[YearFacts], specs: Sequence[InputSpec],
             answers: Mapping[str, Any]) -> None:
        """Show the stored figures of the three years before ``year`` and the current answers."""
        self.years = (year - 3, year - 2, year - 1)
        by_year = {f.year: f for f in stored}
        self._stored = {(y, name): cell_text(getattr(by_year[y], name) if y in by_year else None)
                        for y in self.years for name in FIELDS}
        self.figures.blockSignals(True)
        self.figures.setColumnCount(len(self.years))
        self.figures.setHorizontalHeaderLabels([f"{y}年" for y in self.years])
        for col, y in enumerate(self.years):
            for row, name in enumerate(FIELDS):
                self.figures.setItem(row, col, QTableWidgetItem(self._stored[y, name]))
        self.figures.blockSignals(False)
        self._load_answers(specs, answers)

    def _load_answers(self, specs: Sequence[InputSpec], answers: Mapping[str, Any]) -> None:
        if tuple(specs) != self._specs:
            self._specs = tuple(specs)
            while self._form.rowCount():
                self._form.removeRow(0)
            self.editors = {spec.key: self._editor(spec) for spec in self._specs}
            for spec in self._specs:
                label = QLabel(spec.label)
                label.setWordWrap(True)
                label.setToolTip(spec.help)
                self._form.addRow(label, self.editors[spec.key])
        for spec in self._specs:
            self.set_answer(spec.key, answers.get(spec.key))

    def _editor(self, spec: InputSpec) -> QWidget:
        if spec.kind in ("yes_no", "choice"):
            combo = QComboBox()
            combo.addItem(UNANSWERED, None)
            options = (("是", True), ("否", False)) if spec.kind == "yes_no" else \
                tuple((label, value) for value, label in spec.options)
            for label, value in options:
                combo.addItem(label, value)
            combo.currentIndexChanged.connect(self.edited)
            return combo
        edit = QLineEdit()
        edit.setPlaceholderText("未填" if spec.maximum is None else f"0–{trim(spec.maximum)} 分，未填")
        edit.textEdited.connect(self.edited)
        return edit

    def set_answer(self, key: str, value: Any) -> None:
        editor = self.editors[key]
        if isinstance(editor, QComboBox):
            index = editor.findData(value) if value is not None else 0
            editor.setCurrentIndex(max(index, 0))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else cell_text(value))

    def answers(self) -> dict[str, Any]:
        """The answers given (unanswered questions left out); checked by the evaluation."""
        given: dict[str, Any] = {}
        for spec in self._specs:
            editor = self.editors[spec.key]
            value = editor.currentData() if isinstance(editor, QComboBox) else \
                editor.text().strip() if isinstance(editor, QLineEdit) else None
            if value is not None and value != "":
                given[spec.key] = value
        return given

    def set_figure(self, year: int, name: str, text: str) -> None:
        """Put ``text`` into the cell of ``name`` in ``year`` (as if typed)."""
        self._cell(FIELDS.index(name), self.years.index(year)).setText(text)

    def _cell(self, row: int, col: int) -> QTableWidgetItem:
        item = self.figures.item(row, col)
        assert item is not None, "every cell gets an item in load()"
        return item

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        key = (self.years[item.column()], FIELDS[item.row()])
        changed = item.text().strip() != self._stored[key]
        item.setBackground(QBrush(CHANGED) if changed else QBrush())
        self.edited.emit()

    def reset(self) -> None:
        """Back to the stored figures."""
        for col, y in enumerate(self.years):
            for row, name in enumerate(FIELDS):
                self._cell(row, col).setText(self._stored[y, name])

    def what_if(self) -> WhatIf:
        """The changed figures; raises ValidationError naming each cell that is not a number."""
        figures: dict[tuple[int, str], Decimal | int | None] = {}
        problems: dict[str, str] = {}
        for col, y in enumerate(self.years):
            for row, name in enumerate(FIELDS):
                text = self._cell(row, col).text().strip().replace(",", "")
                if text == self._stored[y, name]:
                    continue
                label = f"{y}年{FACT_LABELS[name]}"
                try:
                    value = None if not text else to_decimal(text)
                except (ValueError, InvalidOperation):
                    value = Decimal("NaN")
                if value is not None and not value.is_finite():
                    problems[f"{y}:{name}"] = f"{label}应为数字"
                    continue
                if value is not None and value < 0 and name != "net_assets_wan":
                    problems[f"{y}:{name}"] = f"{label}不能为负数"
                elif value is not None and name not in MONEY_FIELDS and value != value.to_integral_value():
                    problems[f"{y}:{name}"] = f"{label}应为整数"
                else:
                    figures[y, name] = value if value is None or name in MONEY_FIELDS else int(value)
        if problems:
            raise ValidationError(problems)
        return WhatIf(figures)
