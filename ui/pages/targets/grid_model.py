"""The editable target grid: one line per unit (全区 first), 新增数 / 力争数 / 基数 for each issuer (区, 市).

Cells take whole numbers as clerks type them ("12", "１２", "12家"); an empty cell means no target. A cell that
cannot be read is shown in red with the reason and blocks saving.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from services.importing.normalize import CellError, parse_count
from services.targets import ISSUER_LABELS, ISSUERS, MEASURES, TargetCell, TargetGrid, TargetRow, TargetValues

Index = QModelIndex | QPersistentModelIndex
#: (issuer, measure) of each column after the unit's.
COLUMNS = tuple((issuer, measure) for issuer in ISSUERS for measure in MEASURES)
PROBLEM = QColor("#c62828")


class TargetGridModel(QAbstractTableModel):
    """The grid of one year and indicator.

    Attributes:
        units: (subdistrict id or None, name) per line.
        values: Per line, (issuer, measure) → the number entered.
        problems: (line, column) → why the text typed cannot be used.
        changed: Called after every edit.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.units: list[tuple[int | None, str]] = []
        self.values: list[dict[tuple[str, str], int | None]] = []
        self.texts: dict[tuple[int, int], str] = {}
        self.problems: dict[tuple[int, int], str] = {}
        self.changed: Any = None

    def set_grid(self, grid: TargetGrid) -> None:
        self.beginResetModel()
        self.units = [(r.subdistrict_id, r.unit) for r in grid.rows]
        self.values = [{(i, m): r.value(i, m) for i, m in COLUMNS} for r in grid.rows]
        self.texts, self.problems = {}, {}
        self.endResetModel()

    def rows(self) -> list[TargetRow]:
        """The grid as entered, as :class:`services.targets.TargetRow` (for the 属地-sum check)."""
        return [TargetRow(sub_id, name, {issuer: TargetValues(values[(issuer, "required")], values[(issuer, "stretch")],
                                                              values[(issuer, "base_value")])
                                         for issuer in ISSUERS})
                for (sub_id, name), values in zip(self.units, self.values, strict=True)]

    def cells(self) -> list[TargetCell]:
        """Every unit's targets by every issuer, for :func:`services.targets.save_targets`."""
        return [TargetCell(sub_id, issuer, *(values[(issuer, m)] for m in MEASURES))
                for (sub_id, _name), values in zip(self.units, self.values, strict=True) for issuer in ISSUERS]

    # -- Qt -----------------------------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.units)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS) + 1

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section == 0:
            return "属地"
        if 0 < section <= len(COLUMNS):
            issuer, measure = COLUMNS[section - 1]
            return f"{ISSUER_LABELS[issuer]}\n{MEASURES[measure]}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() and index.column() > 0 else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == 0:
                return self.units[row][1]
            if (row, col) in self.texts:
                return self.texts[(row, col)]
            value = self.values[row][COLUMNS[col - 1]]
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self.units[row][0] is None:
            font = QFont()
            font.setBold(True)
            return font
        if (row, col) in self.problems:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(PROBLEM)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.problems[(row, col)]
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or index.column() == 0 or role != Qt.ItemDataRole.EditRole:
            return False
        row, col = index.row(), index.column()
        text = str(value).strip().removesuffix("家")
        self.texts.pop((row, col), None)
        self.problems.pop((row, col), None)
        try:
            number = parse_count(text)
            if number is not None and number < 0:
                raise CellError("number_invalid", "不能为负数")
        except CellError as exc:
            issuer, measure = COLUMNS[col - 1]
            self.texts[(row, col)] = str(value)
            self.problems[(row, col)] = f"{self.units[row][1]}{ISSUER_LABELS[issuer]}{MEASURES[measure]}：{exc.message}"
            number = None
        self.values[row][COLUMNS[col - 1]] = number
        self.dataChanged.emit(index, index)
        if self.changed is not None:
            self.changed()
        return True
