"""The enterprise list's table model: ordered ids, rows fetched a page at a time when first painted (STYLE 8).

The model holds only ids. When the view paints a row whose data is not there yet, the model asks its ``fetch``
function for that row's page (200 ids) and shows a placeholder meanwhile; the rows arrive later on the GUI thread
and repaint. Requests made during one paint are gathered and sent together after it. Sorting is asked of the owner
(:attr:`EnterpriseTableModel.sort_requested`), which reloads the ids from the database in the new order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from services.enterprise_list import COLUMNS, ListRow
from ui.widgets.records import show_value

Index = QModelIndex | QPersistentModelIndex
#: ``fetch(ids, deliver)``: load the rows of ``ids`` (in the background) and call ``deliver(rows)`` on the GUI thread.
Fetch = Callable[[list[int], Callable[[list[ListRow]], None]], None]

PAGE = 200
LOADING = "正在读取…"
GONE = "（该企业已不在数据库中）"
MUTED = QColor("#8a8f98")
NUMERIC = frozenset({"registered_capital_wan", "id"})


def cell_text(row: ListRow, key: str) -> str:
    """A row's value in column ``key`` as the list shows it (and copies it)."""
    return show_value(row.value(key))


class EnterpriseTableModel(QAbstractTableModel):
    """Enterprises by id, with rows loaded on demand.

    Signals:
        sort_requested(str, bool): the user asked to sort by a column key, descending or not.
        rows_loaded(): rows arrived and were painted in.
    """

    sort_requested = Signal(str, bool)
    rows_loaded = Signal()

    def __init__(self, fetch: Fetch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._ids: list[int] = []
        self._rows: dict[int, ListRow] = {}
        self._gone: set[int] = set()
        self._row_of: dict[int, int] | None = None
        self._wanted: set[int] = set()
        self._pending: set[int] = set()
        self._generation = 0
        self.sort_key = "name"
        self.descending = False
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(0)
        self._flush_timer.timeout.connect(self._flush)

    # -- ids ----------------------------------------------------------------------------------------------------------

    def set_ids(self, ids: Sequence[int]) -> None:
        """Show these enterprises in this order (rows already loaded are kept)."""
        self.beginResetModel()
        self._ids = list(ids)
        self._row_of = None
        self._generation += 1
        self._wanted.clear()
        self._pending.clear()
        self.endResetModel()

    def ids(self) -> list[int]:
        return self._ids

    def id_at(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, enterprise_id: int) -> int | None:
        if self._row_of is None:
            self._row_of = {i: n for n, i in enumerate(self._ids)}
        return self._row_of.get(enterprise_id)

    def loaded(self, row: int) -> ListRow | None:
        """The row's data if it has been fetched."""
        return self._rows.get(self._ids[row]) if 0 <= row < len(self._ids) else None

    def invalidate(self) -> None:
        """Forget fetched rows (they changed); visible ones are fetched again."""
        self._rows.clear()
        self._gone.clear()
        self._generation += 1
        self._pending.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    # -- Qt model -----------------------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

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
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if key in NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole):
            return None
        row = self._rows.get(self._ids[index.row()])
        if row is None:
            if self._ids[index.row()] in self._gone:
                return GONE if role == Qt.ItemDataRole.DisplayRole and key == "name" else None
            self._want(index.row())
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

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or not COLUMNS[column].sortable:
            return
        key, descending = COLUMNS[column].key, order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self.sort_key, self.descending):
            self.sort_key, self.descending = key, descending
            self.sort_requested.emit(key, descending)

    # -- paging -------------------------------------------------------------------------------------------------------

    def _want(self, row: int) -> None:
        page = row // PAGE
        if page not in self._pending and page not in self._wanted:
            self._wanted.add(page)
            if not self._flush_timer.isActive():
                self._flush_timer.start()

    def _flush(self) -> None:
        for page in sorted(self._wanted):
            self._pending.add(page)
            ids = self._ids[page * PAGE:(page + 1) * PAGE]
            self._fetch(ids, self._deliverer(page, self._generation))
        self._wanted.clear()

    def _deliverer(self, page: int, generation: int) -> Callable[[list[ListRow]], None]:
        return lambda rows: self._deliver(page, generation, rows)

    def _deliver(self, page: int, generation: int, rows: list[ListRow]) -> None:
        for row in rows:
            self._rows[row.id] = row
        if generation != self._generation:
            return
        self._pending.discard(page)
        first, last = page * PAGE, min((page + 1) * PAGE, len(self._ids)) - 1
        if first <= last:
            # Ids removed from the database meanwhile have no row: shown as gone instead of asked for again.
            self._gone.update(i for i in self._ids[first:last + 1] if i not in self._rows)
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        self.rows_loaded.emit()

    def rows_for(self, rows: Sequence[int]) -> list[ListRow] | None:
        """The data of ``rows`` when all are loaded, else None."""
        found = [self._rows.get(self._ids[r]) for r in rows]
        return None if any(f is None for f in found) else [f for f in found if f is not None]
