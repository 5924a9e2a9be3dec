"""The enterprise list's table model: ordered ids, rows fetched a page at a time when first painted (STYLE 8).

The model holds only ids (:class:`ui.widgets.lazy_model.LazyTableModel`): a row not fetched yet shows a placeholder
until its page arrives; an enterprise gone from the database meanwhile says so. Sorting is asked of the owner
(:attr:`EnterpriseTableModel.sort_requested`), which reloads the ids from the database in the new order.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from services.enterprise_list import COLUMNS, ListRow
from ui.widgets.lazy_model import LOADING, PAGE, Fetch, Index, LazyTableModel
from ui.widgets.records import show_value

__all__ = ["LOADING", "PAGE", "EnterpriseTableModel", "cell_text"]

GONE = "（该企业已不在数据库中）"
MUTED = QColor("#8a8f98")
NUMERIC = frozenset({"registered_capital_wan", "id"})


def cell_text(row: ListRow, key: str) -> str:
    """A row's value in column ``key`` as the list shows it (and copies it)."""
    return show_value(row.value(key))


class EnterpriseTableModel(LazyTableModel[ListRow]):
    """Enterprises by id, with rows loaded on demand."""

    def __init__(self, fetch: Fetch[ListRow], parent: QWidget | None = None) -> None:
        super().__init__(fetch, len(COLUMNS), parent, sort_key="name")

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        column = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return None if column.sortable else "此列不能排序"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.valid_row(index):
            return None
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.UserRole:
            return self.id_at(index.row())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if key in NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole):
            return None
        row = self.row_data(index.row())
        if row is None:
            if self.is_gone(index.row()):
                return GONE if role == Qt.ItemDataRole.DisplayRole and key == "name" else None
            if role == Qt.ItemDataRole.DisplayRole:
                return LOADING if key == "name" else ""
            return QBrush(MUTED) if role == Qt.ItemDataRole.ForegroundRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            text = cell_text(row, key)
            return f"{text}（已删除）" if key == "name" and row.deleted else text
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(MUTED) if row.deleted else None
        if key == "name" and row.former_names:
            return f"曾用名：{row.former_names}"
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(COLUMNS) and COLUMNS[column].sortable:
            self.request_sort(COLUMNS[column].key, order == Qt.SortOrder.DescendingOrder)
