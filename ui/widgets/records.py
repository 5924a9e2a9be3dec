"""A read-only table of records for short lists (certifications, visits, reminders …): a model over Python rows that
sorts by the values themselves (dates as dates, numbers as numbers), and a view with the project's look that says
which record was opened (Enter or double-click).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

Index = QModelIndex | QPersistentModelIndex

#: Row tones: text colours for rows that need attention or are done with.
TONES = {"overdue": "#c62828", "urgent": "#b25e00", "muted": "#8a8f98", "ok": "#2e7d32"}


@dataclass(frozen=True)
class Record:
    """One row: its key (a record id), the values in column order, an optional tone and tooltip."""

    key: Any
    values: tuple[Any, ...]
    tone: str | None = None
    tooltip: str = ""


@dataclass(frozen=True)
class Column:
    """A column: its header, and how its values are shown (``format``) and aligned."""

    label: str
    format: Callable[[Any], str] | None = None
    numeric: bool = False


def show_value(value: Any) -> str:
    """How a value reads in a table: dates ISO, amounts with separators, nothing for None (years stay 2026)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (1, "")
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return (0, float(value))
    if isinstance(value, dt.datetime | dt.date):
        return (0, value.isoformat())
    return (0, str(value))


class RecordModel(QAbstractTableModel):
    """Rows of :class:`Record` under :class:`Column` headers."""

    def __init__(self, columns: Sequence[Column], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.records: list[Record] = []

    def set_records(self, records: Sequence[Record]) -> None:
        self.beginResetModel()
        self.records = list(records)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.records[index.row()]
        column = self.columns[index.column()]
        value = record.values[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column.format is not None:
                return column.format(value)
            if column.numeric and isinstance(value, int) and not isinstance(value, bool):
                return f"{value:,}"
            return show_value(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return record.tooltip or None
        if role == Qt.ItemDataRole.ForegroundRole and record.tone in TONES:
            return QBrush(QColor(TONES[record.tone]))
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.columns):
            return self.columns[section].label
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        old = list(self.records)
        self.records.sort(key=lambda r: _sort_key(r.values[column]),
                          reverse=order == Qt.SortOrder.DescendingOrder)
        moved = {id(r): n for n, r in enumerate(self.records)}
        for persistent in self.persistentIndexList():
            row = moved[id(old[persistent.row()])]
            self.changePersistentIndex(persistent, self.index(row, persistent.column()))
        self.layoutChanged.emit()


def read_only_table(view: QTableView, selection: QAbstractItemView.SelectionMode) -> None:
    """The project's look of a record table: whole rows selected, nothing edited in place, alternating rows,
    one line per row sized to the font, no row numbers, headers left-aligned, the last column filling the width."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(selection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class RecordView(QTableView):
    """A read-only, row-selecting table over a :class:`RecordModel`.

    Signals:
        opened(object): the key of the record opened with Enter or a double-click.
    """

    opened = Signal(object)

    def __init__(self, columns: Sequence[Column], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.records = RecordModel(columns, self)
        self.setModel(self.records)
        read_only_table(self, QAbstractItemView.SelectionMode.SingleSelection)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.activated.connect(self._on_activated)

    def set_records(self, records: Sequence[Record], *, fit: bool = True) -> None:
        """Show ``records``, keeping the selected one selected when it is still there."""
        keep = self.current_key()
        self.records.set_records(records)
        if fit and records:
            self.resizeColumnsToContents()
            limit = self.fontMetrics().horizontalAdvance("M") * 30
            for col in range(self.records.columnCount() - 1):
                self.setColumnWidth(col, min(self.columnWidth(col) + 12, limit))
        if keep is not None:
            self.select_key(keep)

    def current_key(self) -> Any:
        index = self.currentIndex()
        return self.records.records[index.row()].key if index.isValid() else None

    def select_key(self, key: Any) -> bool:
        for row, record in enumerate(self.records.records):
            if record.key == key:
                self.selectRow(row)
                self.setCurrentIndex(self.records.index(row, 0))
                return True
        return False

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.opened.emit(self.records.records[index.row()].key)
