"""The results table of a batch: one row per evaluation, sortable by any column (verdict and score by rank)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from services.prescreen.results import Evaluation, Verdict
from services.prescreen.text import reason, verdict_label
from ui.pages.prescreen.evaluation_view import VERDICT_COLORS

Index = QModelIndex | QPersistentModelIndex
VERDICT_RANK = {Verdict.QUALIFIES: 0, Verdict.CANNOT_TELL: 1, Verdict.DOES_NOT_QUALIFY: 2}

#: (header, text of a row, sort key of a row).
COLUMNS: tuple[tuple[str, Callable[[Evaluation], str], Callable[[Evaluation], Any]], ...] = (
    ("企业名称", lambda e: e.name, lambda e: e.name),
    ("信用代码", lambda e: e.uscc or "", lambda e: e.uscc or ""),
    ("属地", lambda e: e.subdistrict or "", lambda e: e.subdistrict or ""),
    ("结论", verdict_label, lambda e: (VERDICT_RANK[e.verdict], not e.near_miss)),
    ("得分", lambda e: e.score.text if e.score else "", lambda e: (e.score.low, e.score.high) if e.score else (0, 0)),
    ("临界", lambda e: "是" if e.near_miss else "", lambda e: not e.near_miss),
    ("未达标或待补事项", reason, reason),
)


class BatchModel(QAbstractTableModel):
    """Evaluations under :data:`COLUMNS`; the reason is also the tooltip, the verdict colours the row.

    Attributes:
        evaluations: The rows, in display order.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.evaluations: list[Evaluation] = []

    def set_evaluations(self, evaluations: Sequence[Evaluation]) -> None:
        self.beginResetModel()
        self.evaluations = list(evaluations)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.evaluations)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        ev = self.evaluations[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()][1](ev)
        if role == Qt.ItemDataRole.ToolTipRole:
            return reason(ev)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(VERDICT_COLORS[ev.verdict]))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section][0]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old = list(self.evaluations)
        self.evaluations.sort(key=COLUMNS[column][2], reverse=order == Qt.SortOrder.DescendingOrder)
        moved = {id(e): n for n, e in enumerate(self.evaluations)}
        for persistent in self.persistentIndexList():
            self.changePersistentIndex(persistent, self.index(moved[id(old[persistent.row()])], persistent.column()))
        self.layoutChanged.emit()
