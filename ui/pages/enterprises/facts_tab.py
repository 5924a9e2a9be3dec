"""年度数据: the yearly figures as a grid — one row per figure, one column per year — edited in place.

Cells are checked as they are typed (numbers; 万元 amounts to the 分) and with the service's plausibility rules
(:func:`services.qualifications.check_facts`) before saving; a problem colours its cell and is named below the
grid ("2024年 境内研发费用：不能大于研发费用"). Only the years that were edited are saved.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.errors import ValidationError
from services.qualifications import FACT_LABELS, YearFacts, check_facts
from ui.widgets.form_field import ERROR_COLOR, HINT_COLOR

#: Rows of the grid: field name and label (amounts in 万元).
ROWS: tuple[tuple[str, str], ...] = tuple(
    (name, f"{label}{'(万元)' if name.endswith('_wan') else ''}") for name, label in FACT_LABELS.items()
) + (("size_class", "规模类别(规上/规下/限上/限下)"),)
BAD = QColor("#fde7e7")


def show_fact(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        cents = value.quantize(Decimal("0.01"))
        return f"{cents:f}" if cents == value else f"{value.normalize():f}"
    return str(value)


def read_fact(name: str, text: str) -> Any:
    """A typed cell as the field's value; raises ValueError with a Chinese reason."""
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    if name == "size_class":
        return text
    if name.endswith("_wan"):
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError("应为数字（万元）") from None
        if value != value.quantize(Decimal("0.000001")):
            raise ValueError("最多保留六位小数（精确到分）")
        return value
    if not text.lstrip("-").isdigit():
        raise ValueError("应为整数")
    return int(text)


class FactsTab(QWidget):
    """The yearly figures grid.

    Attributes:
        table: Rows are :data:`ROWS`, columns are years in ascending order.
        problems: Problems found by the last :meth:`collect` ("2024年 营业收入：…").

    Signals:
        edited(): a cell was changed.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._years: list[int] = []
        self._edited: set[int] = set()
        self._filling = False
        self.table = QTableWidget(len(ROWS), 0)
        self.table.setObjectName("facts_table")
        self.table.setVerticalHeaderLabels([label for _name, label in ROWS])
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.horizontalHeader().setDefaultSectionSize(self.fontMetrics().horizontalAdvance("0") * 14)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.table.itemChanged.connect(self._changed)
        self.year = QSpinBox()
        self.year.setRange(1990, dt.date.today().year)
        self.year.setValue(dt.date.today().year - 1)
        self.year.setSuffix(" 年")
        self.add_button = QPushButton("添加年度")
        self.add_button.clicked.connect(lambda: self.add_year(self.year.value()))
        hint = QLabel("直接在格中输入；金额单位为万元，空白表示未知（不是零）。保存时一并保存所有改过的年度。")
        hint.setStyleSheet(f"color: {HINT_COLOR};")
        hint.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("facts_message")
        self.message.setStyleSheet(f"color: {ERROR_COLOR};")
        self.message.setWordWrap(True)
        self.problems: list[str] = []
        bar = QHBoxLayout()
        bar.addWidget(hint, 1)
        bar.addWidget(self.year)
        bar.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

    def fill(self, facts: list[YearFacts]) -> None:
        """Show the stored figures (any year's order) as unchanged."""
        self._filling = True
        try:
            self._years = sorted(f.year for f in facts)
            by_year = {f.year: f for f in facts}
            self.table.setColumnCount(len(self._years))
            self.table.setHorizontalHeaderLabels([f"{y}年" for y in self._years])
            for col, year in enumerate(self._years):
                for row, (name, _label) in enumerate(ROWS):
                    self.table.setItem(row, col, self._item(show_fact(getattr(by_year[year], name))))
        finally:
            self._filling = False
        self._edited.clear()
        self._mark({})

    @staticmethod
    def _item(text: str) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    def add_year(self, year: int) -> int:
        """Add an empty column for ``year`` (or go to it); returns its column."""
        if year in self._years:
            col = self._years.index(year)
        else:
            self._years.append(year)
            self._years.sort()
            col = self._years.index(year)
            self._filling = True
            try:
                self.table.insertColumn(col)
                self.table.setHorizontalHeaderLabels([f"{y}年" for y in self._years])
                for row in range(len(ROWS)):
                    self.table.setItem(row, col, self._item(""))
            finally:
                self._filling = False
        self.table.setCurrentCell(0, col)
        self.table.setFocus()
        return col

    def set_cell(self, year: int, name: str, text: str) -> None:
        """Type ``text`` into the cell of ``name`` in ``year`` (adding the year if needed)."""
        col = self.add_year(year)
        row = [n for n, _label in ROWS].index(name)
        item = self.table.item(row, col)
        assert item is not None
        item.setText(text)

    def _changed(self, item: QTableWidgetItem) -> None:
        if not self._filling:
            self._edited.add(self._years[item.column()])
            self.edited.emit()

    def dirty(self) -> bool:
        return bool(self._edited)

    def collect(self) -> list[YearFacts]:
        """The edited years' figures; raises ValidationError (``facts``) and marks the cells when any is wrong."""
        found: list[YearFacts] = []
        bad: dict[tuple[int, int], str] = {}
        for year in sorted(self._edited):
            col = self._years.index(year)
            values: dict[str, Any] = {"year": year}
            for row, (name, _label) in enumerate(ROWS):
                item = self.table.item(row, col)
                try:
                    values[name] = read_fact(name, item.text() if item else "")
                except ValueError as exc:
                    bad[(row, col)] = str(exc)
            if any(c == col for _r, c in bad):
                continue
            facts = YearFacts(**values)
            names = [n for n, _label in ROWS]
            for name, problem in check_facts(facts).items():
                bad[(names.index(name) if name in names else 0, col)] = problem
            found.append(facts)
        self._mark(bad)
        if bad:
            raise ValidationError({"facts": "；".join(self.problems)})
        return found

    def _mark(self, bad: dict[tuple[int, int], str]) -> None:
        self.problems = [f"{self._years[c]}年 {ROWS[r][1]}：{text}" for (r, c), text in sorted(bad.items())]
        self._filling = True
        try:
            for row in range(self.table.rowCount()):
                for col in range(self.table.columnCount()):
                    item = self.table.item(row, col)
                    if item is not None:
                        problem = bad.get((row, col))
                        item.setBackground(QBrush(BAD) if problem else QBrush())
                        item.setToolTip(problem or "")
        finally:
            self._filling = False
        self.message.setText("\n".join(self.problems))
        self.message.setVisible(bool(self.problems))

    def saved(self) -> None:
        """The edited years were saved."""
        self._edited.clear()

    def discard(self) -> None:
        """Forget the edits (the grid is filled again on the next load)."""
        self._edited.clear()

