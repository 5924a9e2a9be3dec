"""The grant list: filters (year, status, holder kind, 属地), search as you type (holder name, pinyin initials, credit
code, voucher number), sorting, copy for Excel, 申领, and opening a grant in its window."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from services.progress import Progress
from services.voucher_list import NO_SUBDISTRICT, GrantFilter, GrantOptions, grant_ids, grant_options, grant_rows
from services.voucher_records import GRANT_STATUSES, HOLDER_KINDS, GrantDetail, GrantRow
from ui.context import AppContext
from ui.errors import show_error
from ui.operations import Changes, Op
from ui.pages.vouchers.fields import open_dialog
from ui.pages.vouchers.grant_forms import ApplyDialog
from ui.pages.vouchers.grant_window import show_grant
from ui.pages.vouchers.model import COLUMNS, GrantTableModel, cell_text
from ui.widgets.clipboard import copy_table
from ui.widgets.filter_combo import ANY, filter_combo, refill, select_value
from ui.widgets.records import read_only_table

T = TypeVar("T")
SEARCH_DELAY_MS = 200
RELEVANT = Changes(voucher=True, enterprise=True)


class GrantsTab(QWidget):
    """The grant list.

    Attributes:
        model: The lazy table model.
        view: The table.
        options: What the filters offer, once loaded.

    Signals:
        loaded(): the ids were (re)loaded and shown.
    """

    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.options: GrantOptions | None = None
        self._generation = 0
        self._stale = True
        self.search = QLineEdit()
        self.search.setObjectName("grant_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("搜索单位名称、拼音首字母、信用代码、券号")
        self.year = filter_combo("filter_year", "年度")
        self.status = filter_combo("filter_status", "状态")
        self.holder = filter_combo("filter_holder", "申领对象")
        self.subdistrict = filter_combo("filter_subdistrict", "属地（企业的街道、园区；创客团队的众创空间所在地）")
        for combo, items in ((self.status, [(s, s) for s in GRANT_STATUSES]),
                             (self.holder, list(HOLDER_KINDS.items()))):
            combo.addItem(ANY, None)
            for value, label in items:
                combo.addItem(label, value)
        self.year.addItem(ANY, None)
        self.subdistrict.addItem(ANY, None)
        self.model = GrantTableModel(self._fetch, self)
        self.view = QTableView()
        self.view.setObjectName("grant_table")
        self.view.setModel(self.model)
        read_only_table(self.view, QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(COLUMNS.index(next(c for c in COLUMNS
                                                                         if c.sort == "applied_on")),
                                                      Qt.SortOrder.DescendingOrder)
        char = self.fontMetrics().horizontalAdvance("字")
        for section, width in enumerate((9, 16, 5, 6, 4, 4, 6, 6, 6, 6, 6, 7, 7)):
            self.view.setColumnWidth(section, char * width + 12)
        self.new_button = QPushButton("申领…")
        self.new_button.setObjectName("apply_button")
        self.new_button.setToolTip("登记一张新的创新券申领（Ctrl+N）")
        self.open_button = QPushButton("打开")
        self.copy_button = QPushButton("复制")
        self.copy_button.setToolTip("复制所选行，可直接粘贴到 Excel（Ctrl+C）")
        self.status_label = QLabel()
        self.status_label.setObjectName("grant_status")

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for caption, combo in (("年度", self.year), ("状态", self.status), ("对象", self.holder),
                               ("属地", self.subdistrict)):
            filters.addWidget(QLabel(caption))
            filters.addWidget(combo)
        filters.addStretch(1)
        for button in (self.new_button, self.open_button, self.copy_button):
            filters.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status_label)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        for combo in (self.year, self.status, self.holder, self.subdistrict):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.model.sort_requested.connect(lambda _k, _d: self.reload())
        self.view.activated.connect(self._open_index)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.new_button.clicked.connect(self.new_grant)
        self.open_button.clicked.connect(self.open_current)
        self.copy_button.clicked.connect(self.copy_selection)
        for keys, slot in ((QKeySequence.StandardKey.New, self.new_grant),
                           (QKeySequence.StandardKey.Copy, self.copy_selection)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        ctx.runner.operation_did_execute.connect(self._changed)
        self._update_buttons()

    def _op(self, fn: Callable[[Progress], T]) -> Op[T]:
        return Op(self, fn).failure(lambda exc: show_error(self, exc, sink=self.ctx.sink))

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.load_options()
            self.reload()

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if not changes & RELEVANT:
            return
        self.model.invalidate()
        if self.isVisible():
            self.load_options()
            self.reload()
        else:
            self._stale = True

    def load_options(self) -> Op[GrantOptions]:
        db = self.ctx.opened.db
        return self._op(lambda _p: grant_options(db)).success(self._options_loaded).run(self.ctx.runner)

    def _options_loaded(self, options: GrantOptions) -> None:
        self.options = options
        for combo, items in ((self.year, [(y, f"{y}年") for y in options.years]),
                             (self.subdistrict, [*options.subdistricts, (NO_SUBDISTRICT, "（未填属地）")])):
            refill(combo, items, quiet=True)

    def grant_filter(self) -> GrantFilter:
        return GrantFilter(self.year.currentData(), self.status.currentData(), self.holder.currentData(),
                           self.subdistrict.currentData(), self.search.text())

    def reload(self) -> Op[list[int]]:
        """Ask the database for the ids the filters and the search select, in the chosen order."""
        self._stale = False
        self._generation += 1
        generation = self._generation
        db, query = self.ctx.opened.db, self.grant_filter()
        sort, descending = self.model.sort_key, self.model.descending
        self.status_label.setText("正在读取…")
        return self._op(lambda _p: grant_ids(db, query, sort=sort, descending=descending)) \
            .success(lambda ids: self._ids_loaded(generation, ids)).run(self.ctx.runner)

    def _ids_loaded(self, generation: int, ids: list[int]) -> None:
        if generation != self._generation:
            return
        keep = self.current_id()
        self.model.set_ids(ids)
        if keep is not None and (row := self.model.row_of(keep)) is not None:
            self.view.selectRow(row)
        filtered = self.search.text().strip() or any(c.currentData() is not None for c in
                                                     (self.year, self.status, self.holder, self.subdistrict))
        self.status_label.setText(f"{'筛选出' if filtered else '共'} {len(ids):,} 张创新券")
        self._update_buttons()
        self.loaded.emit()

    def _fetch(self, ids: list[int], deliver: Callable[[list[GrantRow]], None]) -> None:
        db = self.ctx.opened.db
        self._op(lambda _p: grant_rows(db, ids)).success(deliver).run(self.ctx.runner)

    def current_id(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() and index.row() < self.model.rowCount() else None

    def _update_buttons(self) -> None:
        has = bool(self.view.selectionModel().selectedRows())
        self.open_button.setEnabled(has)
        self.copy_button.setEnabled(has)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            show_grant(self.ctx, self, self.model.id_at(index.row()))

    def open_current(self) -> None:
        grant_id = self.current_id()
        if grant_id is not None:
            show_grant(self.ctx, self, grant_id)

    def new_grant(self) -> ApplyDialog | None:
        if self.options is None:
            return None
        dialog = ApplyDialog(self.ctx, self.options, self)
        dialog.saved.connect(lambda detail: self._applied(detail))
        return open_dialog(dialog)

    def _applied(self, detail: GrantDetail) -> None:
        show_grant(self.ctx, self, detail.id)

    def copy_selection(self) -> None:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        loaded = [self.model.loaded(r) for r in rows]
        if not rows or any(r is None for r in loaded):
            self.status_label.setText("所选行尚未读取完，请稍候再复制")
            return
        copy_table([c.label for c in COLUMNS], [[cell_text(r, c.attr) for c in COLUMNS]  # type: ignore[arg-type]
                                                for r in loaded])
        self.status_label.setText(f"已复制 {len(rows):,} 行，可粘贴到 Excel")

    def select_filter(self, combo: QComboBox, value: Any) -> None:
        """Choose ``value`` in one of the filter combos (what a click would do)."""
        select_value(combo, value)
