"""The payments grid of a notice: payee, item and amounts in 万元, the shares computed as the amount is typed.

The city's share follows the district's percentage (:func:`services.payouts.split_shares`) until the clerk types
one; clearing it goes back to the computed share. The district's share is always the amount less the city's, so
the two add up to the amount exactly. Amounts are read as clerks write them ("12.5", "1,234", "5000元").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from services.importing.normalize import CellError, parse_number
from services.payouts import PaymentInput, PaymentRow, split_shares

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("兑现对象", "类型", "统一社会信用代码", "属地", "兑现项目", "兑现金额（万元）", "市级资金（万元）",
           "区级资金（万元）", "兑付日期")
ITEM, TOTAL, CITY, DISTRICT = 4, 5, 6, 7
EDITABLE = (ITEM, TOTAL, CITY)
PROBLEM = QColor("#c62828")
COMPUTED = QColor("#5f6b7a")


def wan_text(value: Decimal | None) -> str:
    """万元 with separators, at least two places and every 分 that is there: 1,234.50 · 0.0025 · 0.000001."""
    if value is None:
        return ""
    text = f"{value:,.6f}".rstrip("0")
    whole, _, places = text.partition(".")
    return f"{whole}.{places:0<2}"


@dataclass(frozen=True)
class GridRow:
    """One line of the grid as edited.

    Attributes:
        payment_id: The stored payment (None for a new line).
        city_given: The clerk typed the city's share (else it is computed).
        problem: Why the amount cannot be read ("" when it can).
    """

    payment_id: int | None
    payee_kind: str
    payee_id: int
    name: str
    uscc: str | None
    subdistrict: str | None
    item: str
    total: Decimal | None
    city: Decimal | None
    city_given: bool = False
    paid_on: dt.date | None = None
    problem: str = ""

    @property
    def district(self) -> Decimal | None:
        return None if self.total is None or self.city is None else self.total - self.city

    def as_input(self) -> PaymentInput:
        return PaymentInput.to_payee(self.payee_kind, self.payee_id,
                                     self.total if self.total is not None else Decimal(0), item=self.item,
                                     amount_city_wan=self.city if self.city_given else None,
                                     payment_id=self.payment_id)


def grid_row(row: PaymentRow, city_pct: int) -> GridRow:
    """A stored payment as a grid line; its city share counts as typed when it is not the computed one."""
    computed, _ = split_shares(row.amount_total_wan, city_pct)
    return GridRow(row.id, row.payee_kind, row.payee_id, row.name, row.uscc, row.subdistrict, row.item,
                   row.amount_total_wan, row.amount_city_wan, row.amount_city_wan != computed, row.paid_on)


class PaymentsModel(QAbstractTableModel):
    """The editable grid.

    Attributes:
        rows: The lines shown.
        city_pct: The district's city share in percent.
        editable: Whether the notice is a draft.
        changed: Called after every edit (the editor marks itself dirty).
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[GridRow] = []
        self.city_pct = 50
        self.editable = True
        self.changed: Any = None

    def set_rows(self, rows: list[GridRow], city_pct: int, editable: bool) -> None:
        self.beginResetModel()
        self.rows, self.city_pct, self.editable = list(rows), city_pct, editable
        self.endResetModel()

    def add_rows(self, rows: list[GridRow]) -> None:
        if not rows:
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(rows) - 1)
        self.rows += [self._computed(r) for r in rows]
        self.endInsertRows()
        self._changed()

    def remove_rows(self, numbers: list[int]) -> None:
        for number in sorted(set(numbers), reverse=True):
            self.beginRemoveRows(QModelIndex(), number, number)
            del self.rows[number]
            self.endRemoveRows()
        if numbers:
            self._changed()

    def _changed(self) -> None:
        if self.changed is not None:
            self.changed()

    def _computed(self, row: GridRow) -> GridRow:
        if row.city_given or row.total is None:
            return row
        return replace(row, city=split_shares(row.total, self.city_pct)[0])

    def totals(self) -> tuple[Decimal, Decimal, Decimal]:
        """(amount, city, district) over the lines whose amounts are known."""
        rows = [r for r in self.rows if r.total is not None and r.city is not None]
        total = sum((r.total for r in rows if r.total is not None), Decimal(0))
        city = sum((r.city for r in rows if r.city is not None), Decimal(0))
        return total, city, total - city

    # -- Qt -----------------------------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and self.editable and index.column() in EDITABLE:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def _values(self, row: GridRow) -> tuple[Any, ...]:
        return (row.name, row.payee_kind, row.uscc or "", row.subdistrict or "", row.item, wan_text(row.total),
                wan_text(row.city), wan_text(row.district), row.paid_on.isoformat() if row.paid_on else "")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if role == Qt.ItemDataRole.EditRole and col == TOTAL and row.total is None:
                return ""
            return self._values(row)[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (TOTAL, CITY, DISTRICT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == TOTAL and row.problem:
                return QBrush(PROBLEM)
            if col in (CITY, DISTRICT) and not row.city_given:
                return QBrush(COMPUTED)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == TOTAL and row.problem:
                return row.problem
            if col == CITY:
                return "手工填写的市级资金（清空后按区县分担比例重新计算）" if row.city_given \
                    else f"按市级分担 {self.city_pct}% 计算，精确到分；可改写"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or not self.editable:
            return False
        number, col = index.row(), index.column()
        row = self.rows[number]
        text = str(value).strip()
        if col == ITEM:
            row = replace(row, item=text)
        else:
            try:
                amount = parse_number(text, Decimal(1))
            except CellError as exc:
                amount, problem = None, exc.message
            else:
                problem = "" if amount is not None or col == CITY else "兑现金额不能为空"
            if col == TOTAL:
                row = self._computed(replace(row, total=amount, problem=problem))
            elif amount is None and not problem:
                row = self._computed(replace(row, city_given=False))
            elif amount is not None:
                row = replace(row, city=amount, city_given=True)
            else:
                return False
        self.rows[number] = row
        self.dataChanged.emit(self.index(number, 0), self.index(number, len(HEADERS) - 1))
        self._changed()
        return True
