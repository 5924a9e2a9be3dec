"""The grant list's table model: ordered ids, rows fetched a page at a time when first painted (STYLE 8).

The model holds the ids :func:`services.voucher_list.grant_ids` gave, in their order; a row is asked of its owner's
``fetch`` the first time the view paints it (a page of 200 at a time) and shows 正在读取… meanwhile. Sorting is asked
of the owner (:attr:`GrantTableModel.sort_requested`), which reloads the ids in the new order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from services.voucher_records import HOLDER_KINDS, GrantRow
from ui.pages.vouchers.fields import show_wan
from ui.widgets.records import TONES, show_value

Index = QModelIndex | QPersistentModelIndex
#: ``fetch(ids, deliver)``: load the rows of ``ids`` in the background and call ``deliver(rows)`` on the GUI thread.
Fetch = Callable[[list[int], Callable[[list[GrantRow]], None]], None]
PAGE = 200
LOADING = "正在读取…"
#: Row tones by status: done with (muted), lapsed (overdue red).
STATUS_TONES = {"作废": "muted", "过期": "overdue", "兑现": "ok"}


@dataclass(frozen=True)
class GrantColumn:
    """A column: the row attribute it shows, its header, and the service's sort key (None: not sortable)."""

    attr: str
    label: str
    sort: str | None
    numeric: bool = False


COLUMNS = (
    GrantColumn("voucher_no", "券号", "voucher_no"),
    GrantColumn("holder_name", "申领单位", "holder"),
    GrantColumn("holder_kind", "类别", None),
    GrantColumn("subdistrict", "属地", "subdistrict"),
    GrantColumn("year", "年度", "year"),
    GrantColumn("status", "状态", "status"),
    GrantColumn("amount_applied_wan", "申领(万元)", "applied", True),
    GrantColumn("amount_issued_wan", "发放(万元)", "issued", True),
    GrantColumn("used_wan", "已使用(万元)", "used", True),
    GrantColumn("balance_wan", "余额(万元)", "balance", True),
    GrantColumn("redeemed_wan", "已兑现(万元)", "redeemed", True),
    GrantColumn("applied_on", "申领日期", "applied_on"),
    GrantColumn("issued_on", "发放日期", "issued_on"),
)


def cell_text(row: GrantRow, attr: str) -> str:
    """A row's value in a column as the list shows it (and copies it)."""
    value: Any = getattr(row, attr)
    if attr == "holder_kind":
        return HOLDER_KINDS[value]
    if attr == "balance_wan" and row.amount_issued_wan is None:
        return ""
    return show_wan(value) if isinstance(value, Decimal) else show_value(value)


class GrantTableModel(QAbstractTableModel):
    """Grants by id, with rows loaded on demand.

    Signals:
        sort_requested(str, bool): the user asked to sort by a service sort key, descending or not.
    """

    sort_requested = Signal(str, bool)

    def __init__(self, fetch: Fetch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._ids: list[int] = []
        self._rows: dict[int, GrantRow] = {}
        self._asked: set[int] = set()
        self._wanted: set[int] = set()
        self._generation = 0
        self.sort_key, self.descending = "applied_on", True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._flush)

    def set_ids(self, ids: list[int]) -> None:
        self.beginResetModel()
        self._ids = list(ids)
        self._asked.clear()
        self._wanted.clear()
        self._generation += 1
        self.endResetModel()

    def invalidate(self) -> None:
        """Forget the fetched rows (they changed); the painted ones are fetched again."""
        self._rows.clear()
        self._asked.clear()
        self._generation += 1
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    def ids(self) -> list[int]:
        return self._ids

    def id_at(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, grant_id: int) -> int | None:
        return self._ids.index(grant_id) if grant_id in self._ids else None

    def loaded(self, row: int) -> GrantRow | None:
        return self._rows.get(self._ids[row]) if 0 <= row < len(self._ids) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section].label
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole):
            return None
        row = self._rows.get(self._ids[index.row()])
        if row is None:
            self._want(index.row())
            if role == Qt.ItemDataRole.DisplayRole:
                return LOADING if index.column() == 0 else ""
            return QBrush(QColor(TONES["muted"]))
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row, column.attr)
        tone = STATUS_TONES.get(row.status)
        return QBrush(QColor(TONES[tone])) if tone else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column].sort is None:
            return
        key, descending = COLUMNS[column].sort, order == Qt.SortOrder.DescendingOrder
        assert key is not None
        if (key, descending) != (self.sort_key, self.descending):
            self.sort_key, self.descending = key, descending
            self.sort_requested.emit(key, descending)

    def _want(self, row: int) -> None:
        page = row // PAGE
        if page not in self._asked:
            self._asked.add(page)
            self._wanted.add(page)
            self._timer.start()

    def _flush(self) -> None:
        for page in sorted(self._wanted):
            ids = self._ids[page * PAGE:(page + 1) * PAGE]
            generation = self._generation
            self._fetch(ids, lambda rows, p=page, g=generation: self._deliver(p, g, rows))  # type: ignore[misc]
        self._wanted.clear()

    def _deliver(self, page: int, generation: int, rows: list[GrantRow]) -> None:
        if generation != self._generation:
            return
        for row in rows:
            self._rows[row.id] = row
        first, last = page * PAGE, min((page + 1) * PAGE, len(self._ids)) - 1
        if first <= last:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
