"""企业库: the enterprise list with search-as-you-type, filters, sorting, column choice, copy and export.

The filters and the sort order go to the database (:func:`services.enterprise_list.list_ids`); the search text is
matched in memory against the search index (:mod:`ui.pages.enterprises.search`), and in SQL only until the index
has loaded. Rows are fetched a page at a time as they are painted (:mod:`ui.pages.enterprises.model`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from services.enterprise_list import COLUMNS, ListFilter, ListOptions, ListRow, list_ids, list_options, list_rows
from services.progress import Progress
from ui.context import AppContext
from ui.errors import inform, show_error
from ui.operations import Changes, Op
from ui.pages.enterprises.detail import show_enterprise
from ui.pages.enterprises.filters import FilterBar
from ui.pages.enterprises.model import EnterpriseTableModel, cell_text
from ui.pages.enterprises.search import IndexLoader
from ui.pages.style import page_title
from ui.widgets.clipboard import copy_table
from ui.widgets.records import read_only_table
from ui.widgets.state import WidgetState

log = logging.getLogger("app.ui")
T = TypeVar("T")

#: Columns shown until the user chooses others.
DEFAULT_COLUMNS = ("name", "uscc", "subdistrict", "industry_field", "qualifications", "registered_on",
                   "registered_capital_wan")
RELEVANT = Changes(enterprise=True, qualification=True)
#: The SQL search (before the index is loaded) waits for a pause in typing.
SQL_SEARCH_DELAY_MS = 250
#: The search index starts loading this long after the first rows arrived.
INDEX_DELAY_MS = 100


class EnterprisesPage(QWidget):
    """The enterprise list page.

    Attributes:
        model: The lazy table model.
        view: The table.
        filters: Search field and filters.
        search_index: Loads and holds the in-memory search index.
        as_of: The day qualifications are judged on (today when None; tests set it).
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.as_of: dt.date | None = None
        self.state = WidgetState(ctx.settings, "enterprise_list")
        self._base: list[int] = []
        self._generation = 0
        self._loaded_once = False
        self._stale = True
        self._index_stale = True
        self._index_after_rows = False

        self.model = EnterpriseTableModel(self._fetch, self)
        self.view = QTableView()
        self.view.setObjectName("enterprise_table")
        self.view.setModel(self.model)
        self._setup_view()
        self.filters = FilterBar()
        self.search_index = IndexLoader(ctx, self, lambda: self._base)
        self.status = QLabel()
        self.status.setObjectName("list_status")

        self.new_button = QPushButton("新增企业")
        self.new_button.setToolTip("新增企业（Ctrl+N）")
        self.open_button = QPushButton("打开")
        self.open_button.setToolTip("打开所选企业（Enter）")
        self.copy_button = QPushButton("复制")
        self.copy_button.setToolTip("复制所选行，可直接粘贴到 Excel（Ctrl+C）")
        self.export_button = QPushButton("导出 Excel…")
        self.export_button.setToolTip("把当前列表（按现在的筛选、排序和列）导出为 xlsx 文件")
        self.columns_button = QPushButton("列…")
        self.columns_button.setToolTip("选择显示哪些列")
        header_row = QHBoxLayout()
        header_row.setSpacing(8)
        header_row.addWidget(page_title(self.tr("企业库")))
        header_row.addStretch(1)
        for button in (self.new_button, self.open_button, self.copy_button, self.export_button,
                       self.columns_button):
            header_row.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 12)
        layout.setSpacing(10)
        layout.addLayout(header_row)
        layout.addWidget(self.filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)

        self._sql_search_timer = QTimer(self)
        self._sql_search_timer.setSingleShot(True)
        self._sql_search_timer.setInterval(SQL_SEARCH_DELAY_MS)
        self._sql_search_timer.timeout.connect(self._search_in_database)
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(400)
        self._save_timer.timeout.connect(self.save_state)

        self._connect()
        self.setTabOrder(self.filters.search, self.view)
        ctx.runner.operation_did_execute.connect(self.on_operation_did_execute)

    # -- building -----------------------------------------------------------------------------------------------------

    def _setup_view(self) -> None:
        view = self.view
        read_only_table(view, QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setSortingEnabled(True)
        header = view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        char = self.fontMetrics().horizontalAdvance("字")
        widths = {"name": 18, "uscc": 13, "subdistrict": 6, "industry_field": 8, "qualifications": 12,
                  "registered_on": 7, "registered_capital_wan": 8, "address": 20, "former_names": 14}
        for section, column in enumerate(COLUMNS):
            header.resizeSection(section, char * widths.get(column.key, 7) + 16)
            header.setSectionHidden(section, column.key not in DEFAULT_COLUMNS)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        saved = self.state.bytes("header")
        if saved is not None:
            header.restoreState(saved)
        header.setSectionHidden(0, False)
        section, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        if 0 <= section < len(COLUMNS) and COLUMNS[section].sortable:
            self.model.sort_key, self.model.descending = COLUMNS[section].key, order == Qt.SortOrder.DescendingOrder
        else:
            header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)

    def _connect(self) -> None:
        header = self.view.horizontalHeader()
        header.customContextMenuRequested.connect(self._columns_menu_at)
        header.sectionMoved.connect(self._save_soon)
        header.sectionResized.connect(self._save_soon)
        header.sortIndicatorChanged.connect(self._save_soon)
        self.model.sort_requested.connect(lambda _key, _desc: self.reload())
        self.filters.changed.connect(self.reload)
        self.filters.text_changed.connect(self.apply_text)
        self.search_index.ready.connect(self._index_ready)
        self.model.rows_loaded.connect(self._rows_loaded)
        self.view.activated.connect(self._open_index)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.new_button.clicked.connect(self.new_enterprise)
        self.open_button.clicked.connect(self.open_current)
        self.copy_button.clicked.connect(self.copy_selection)
        self.export_button.clicked.connect(self.export_dialog)
        self.columns_button.clicked.connect(
            lambda: self._columns_menu().exec(self.columns_button.mapToGlobal(QPoint(0, self.columns_button.height()))))
        for keys, slot in ((QKeySequence.StandardKey.New, self.new_enterprise),
                           (QKeySequence.StandardKey.Find, self.focus_search),
                           (QKeySequence.StandardKey.Copy, self.copy_selection)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._update_buttons()

    def _columns_menu(self) -> QMenu:
        menu = QMenu(self)
        header = self.view.horizontalHeader()
        for section, column in enumerate(COLUMNS):
            action = QAction(column.label, menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(section))
            action.setEnabled(section != 0)
            action.toggled.connect(lambda shown, s=section: self.show_column(s, shown))
            menu.addAction(action)
        return menu

    def _columns_menu_at(self, pos: QPoint) -> None:
        self._columns_menu().exec(self.view.horizontalHeader().mapToGlobal(pos))

    def show_column(self, section: int, shown: bool) -> None:
        """Show or hide a column (the name always stays); remembered."""
        if section != 0:
            self.view.horizontalHeader().setSectionHidden(section, not shown)
            self.save_state()

    def visible_keys(self) -> list[str]:
        """The keys of the shown columns, in the order they are shown."""
        header = self.view.horizontalHeader()
        sections = sorted((header.visualIndex(s), s) for s in range(len(COLUMNS)) if not header.isSectionHidden(s))
        return [COLUMNS[s].key for _visual, s in sections]

    def _save_soon(self) -> None:
        self._save_timer.start()

    def save_state(self) -> None:
        self.state.set_bytes("header", self.view.horizontalHeader().saveState())

    # -- loading ------------------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._loaded_once:
            self._loaded_once = True
            db = self.ctx.opened.db
            self._op(lambda _p: list_options(db)).success(self._options_loaded).run(self.ctx.runner)
            self.reload()
        elif self._stale:
            self.reload()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self.save_state()
        super().hideEvent(event)

    def _op(self, fn: Callable[[Progress], T]) -> Op[T]:
        """An operation of this page; its errors are shown through the session's message sink."""
        return Op(self, fn).failure(lambda exc: show_error(self, exc, sink=self.ctx.sink))

    def _options_loaded(self, options: ListOptions) -> None:
        self.filters.set_options(options)

    def reload(self) -> None:
        """Ask the database for the ids the filters select, in the chosen order."""
        self._stale = False
        self._generation += 1
        generation = self._generation
        db, query, as_of = self.ctx.opened.db, self.filters.filter(), self.as_of
        sort, descending = self.model.sort_key, self.model.descending
        self.status.setText("正在读取…")
        self._op(lambda _p: list_ids(db, query, sort=sort, descending=descending, as_of=as_of)) \
            .success(lambda ids: self._ids_loaded(generation, ids)).run(self.ctx.runner)

    def _ids_loaded(self, generation: int, ids: list[int]) -> None:
        if generation != self._generation:
            return
        self._base = ids
        self.apply_text()
        self.search_index.prepare(ids)
        if self._index_stale:
            self._index_stale = False
            if self.model.rowCount():
                self._index_after_rows = True  # once the rows in view have had their turn on the worker
            else:
                self.search_index.load()

    def apply_text(self, _text: str | None = None) -> None:
        """Narrow the loaded ids to the search text (in memory when the index is there)."""
        text = self.filters.text()
        index = self.search_index.index
        if not text.strip():
            self._sql_search_timer.stop()
            self._show(self._base)
        elif index is not None:
            self._sql_search_timer.stop()
            self._show(index.filter(self._base, text))
        else:
            self._sql_search_timer.start()

    def _search_in_database(self) -> None:
        self._generation += 1
        generation = self._generation
        db, as_of = self.ctx.opened.db, self.as_of
        query = ListFilter(**{**vars(self.filters.filter()), "text": self.filters.text()})
        sort, descending = self.model.sort_key, self.model.descending
        self._op(lambda _p: list_ids(db, query, sort=sort, descending=descending, as_of=as_of)) \
            .success(lambda ids: self._searched(generation, ids)).run(self.ctx.runner)

    def _searched(self, generation: int, ids: list[int]) -> None:
        if generation == self._generation:
            self._show(ids)

    def _rows_loaded(self) -> None:
        if self._index_after_rows:
            self._index_after_rows = False
            # A moment later, so that the rows are painted before the index takes the worker.
            QTimer.singleShot(INDEX_DELAY_MS, self, self.search_index.load)

    def _index_ready(self) -> None:
        """The search (if any) is answered from the index from now on."""
        if self.filters.text().strip():
            self.apply_text()
        self._update_status()

    def _show(self, ids: list[int]) -> None:
        keep = self.current_id()
        self.model.set_ids(ids)
        if keep is not None and (row := self.model.row_of(keep)) is not None:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
        self._update_status()
        self._update_buttons()

    def _update_status(self) -> None:
        count = self.model.rowCount()
        filtered = self.filters.text().strip() or not self.filters.filter().is_default()
        text = f"筛选出 {count:,} 家企业" if filtered else f"共 {count:,} 家企业"
        if self.filters.text().strip() and self.search_index.index is None:
            text += "（搜索索引加载中，暂按数据库查询）"
        self.status.setText(text)

    def _fetch(self, ids: list[int], deliver: object) -> None:
        db, as_of = self.ctx.opened.db, self.as_of
        self._op(lambda _p: list_rows(db, ids, as_of=as_of)).success(deliver).run(self.ctx.runner)  # type: ignore[arg-type]

    def on_operation_did_execute(self, changes: Changes, initiator: object) -> None:
        """Reload after enterprises or certifications changed (the index too, when enterprises did)."""
        if not changes & RELEVANT:
            return
        self.model.invalidate()
        if changes.enterprise:
            self._index_stale = True
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    # -- actions ------------------------------------------------------------------------------------------------------

    def current_id(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() and index.row() < self.model.rowCount() else None

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.view.selectionModel().selectedRows()})

    def _update_buttons(self) -> None:
        has = bool(self.view.selectionModel().selectedRows())
        self.open_button.setEnabled(has)
        self.copy_button.setEnabled(has)
        self.export_button.setEnabled(self.model.rowCount() > 0)

    def focus_search(self) -> None:
        self.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search.selectAll()

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_enterprise(self.model.id_at(index.row()))

    def open_current(self) -> None:
        enterprise_id = self.current_id()
        if enterprise_id is not None:
            self.open_enterprise(enterprise_id)

    def open_enterprise(self, enterprise_id: int) -> None:
        show_enterprise(self.ctx, self, enterprise_id)

    def new_enterprise(self) -> None:
        show_enterprise(self.ctx, self, None)

    def copy_selection(self) -> None:
        """Copy the selected rows, with the shown columns in their order, as a table for Excel."""
        rows = self.selected_rows()
        if not rows:
            return
        keys = self.visible_keys()
        loaded = self.model.rows_for(rows)
        if loaded is not None:
            self._copy(keys, loaded)
            return
        ids = [self.model.id_at(r) for r in rows]
        db, as_of = self.ctx.opened.db, self.as_of
        self._op(lambda _p: list_rows(db, ids, as_of=as_of)).with_progress("正在复制…") \
            .success(lambda found: self._copy(keys, found)).run(self.ctx.runner)

    def _copy(self, keys: list[str], rows: list[ListRow]) -> None:
        labels = {c.key: c.label for c in COLUMNS}
        copy_table([labels[k] for k in keys], [[cell_text(r, k) for k in keys] for r in rows])
        self.status.setText(f"已复制 {len(rows):,} 行，可粘贴到 Excel")

    def export_dialog(self) -> None:
        folder = self.state.text("export_folder", str(Path.home()))
        name = f"企业名单_{dt.date.today().isoformat()}.xlsx"
        path, _filter = QFileDialog.getSaveFileName(self, "导出企业名单", str(Path(folder) / name),
                                                    "Excel 工作簿 (*.xlsx)")
        if path:
            target = Path(path) if path.lower().endswith(".xlsx") else Path(f"{path}.xlsx")
            self.state.set_text("export_folder", str(target.parent))
            self.export_to(target)

    def export_to(self, path: Path) -> Op[int]:
        """Export the list as it is shown (rows, order, columns) to ``path`` in the background."""
        # Imported here: the workbook writer (xlsxwriter) is not needed to show the list.
        from services.enterprise_export import export_rows

        ids, keys = list(self.model.ids()), self.visible_keys()
        db, as_of = self.ctx.opened.db, self.as_of
        return self._op(lambda progress: export_rows(db, path, ids, keys, as_of=as_of, progress=progress)) \
            .with_progress("正在导出企业名单…") \
            .success(lambda n: inform(self, f"已导出 {n:,} 家企业到：\n{path}", sink=self.ctx.sink)) \
            .run(self.ctx.runner)
