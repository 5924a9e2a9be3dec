"""A table model over ordered ids whose rows are fetched a page at a time when first painted (STYLE 8).

The model holds the ids its owner gave, in their order. When the view paints a row whose data is not there yet
(:meth:`LazyTableModel.row_data` returns None), the model asks its ``fetch`` function for that row's page (200 ids);
requests made during one paint are gathered and sent together after it, and the rows arrive later on the GUI thread
and repaint. An id the database no longer has is not asked for again (:meth:`LazyTableModel.is_gone`). Sorting is
asked of the owner (:attr:`LazyTableModel.sort_requested`), which reloads the ids in the new order. A subclass
gives the columns' count, and implements ``data`` and ``headerData``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

Index = QModelIndex | QPersistentModelIndex
PAGE = 200
LOADING = "正在读取…"


class HasId(Protocol):
    """A fetched row: it knows its id."""

    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=HasId)
#: ``fetch(ids, deliver)``: load the rows of ``ids`` (in the background) and call ``deliver(rows)`` on the GUI thread.
Fetch = Callable[[list[int], Callable[[list[R]], None]], None]


class LazyTableModel(QAbstractTableModel, Generic[R]):
    """Rows by id, loaded on demand.

    Attributes:
        sort_key, descending: The order the owner loaded the ids in.

    Signals:
        sort_requested(str, bool): the user asked to sort by a key, descending or not.
        rows_loaded(): rows arrived and were painted in.
    """

    sort_requested = Signal(str, bool)
    rows_loaded = Signal()

    def __init__(self, fetch: Fetch[R], columns: int, parent: QWidget | None = None, *, sort_key: str,
                 descending: bool = False) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._columns = columns
        self._ids: list[int] = []
        self._rows: dict[int, R] = {}
        self._gone: set[int] = set()
        self._row_of: dict[int, int] | None = None
        self._wanted: set[int] = set()
        self._pending: set[int] = set()
        self._generation = 0  # the ids' order, or the rows, changed: a page's delivery no longer fits
        self._fresh = 0  # the rows changed: what a delivery fetched before is out of date
        self.sort_key = sort_key
        self.descending = descending
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(0)
        self._flush_timer.timeout.connect(self._flush)

    # -- ids ----------------------------------------------------------------------------------------------------------

    def set_ids(self, ids: Sequence[int]) -> None:
        """Show these ids in this order (rows already loaded are kept)."""
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

    def row_of(self, record_id: int) -> int | None:
        if self._row_of is None:
            self._row_of = {i: n for n, i in enumerate(self._ids)}
        return self._row_of.get(record_id)

    def loaded(self, row: int) -> R | None:
        """The row's data if it has been fetched."""
        return self._rows.get(self._ids[row]) if 0 <= row < len(self._ids) else None

    def invalidate(self) -> None:
        """Forget fetched rows (they changed); visible ones are fetched again."""
        self._rows.clear()
        self._gone.clear()
        self._generation += 1
        self._fresh += 1
        self._pending.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, self._columns - 1))

    def rows_for(self, rows: Sequence[int]) -> list[R] | None:
        """The data of ``rows`` when all are loaded, else None."""
        found = [self._rows.get(self._ids[r]) for r in rows]
        return None if any(f is None for f in found) else [f for f in found if f is not None]

    def row_data(self, row: int) -> R | None:
        """The data of ``row`` (a valid row); None while it is being fetched (asked for here) or gone."""
        found = self._rows.get(self._ids[row])
        if found is None and self._ids[row] not in self._gone:
            self._want(row)
        return found

    def is_gone(self, row: int) -> bool:
        """Whether the database no longer had ``row``'s id when its page was fetched."""
        return self._ids[row] in self._gone

    # -- Qt model -----------------------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else self._columns

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def valid_row(self, index: Index) -> bool:
        """Whether ``index`` stands for one of the rows."""
        return index.isValid() and 0 <= index.row() < len(self._ids)

    def request_sort(self, key: str, descending: bool) -> None:
        """Ask the owner to reload the ids in this order, unless they are in it already."""
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
            self._fetch(ids, self._deliverer(page, self._generation, self._fresh))
        self._wanted.clear()

    def _deliverer(self, page: int, generation: int, fresh: int) -> Callable[[list[R]], None]:
        return lambda rows: self._deliver(page, generation, fresh, rows)

    def _deliver(self, page: int, generation: int, fresh: int, rows: list[R]) -> None:
        if fresh == self._fresh:  # still as stored, whatever the ids' order is now
            for row in rows:
                self._rows[row.id] = row
        if generation != self._generation:
            return
        self._pending.discard(page)
        first, last = page * PAGE, min((page + 1) * PAGE, len(self._ids)) - 1
        if first <= last:
            # Ids removed from the database meanwhile have no row: shown as gone instead of asked for again.
            self._gone.update(i for i in self._ids[first:last + 1] if i not in self._rows)
            self.dataChanged.emit(self.index(first, 0), self.index(last, self._columns - 1))
        self.rows_loaded.emit()

