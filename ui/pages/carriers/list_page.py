"""载体: the carrier list with search-as-you-type (name, operator, pinyin initials), filters by kind, level, 属地
and status, copy to Excel, and the carrier window.

A district has tens to a few hundred carriers: the filters go to the database once
(:func:`services.carriers.carrier_rows`) and the search narrows the rows in memory on every keystroke.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from services.carrier_recognitions import LEVEL_LABELS
from services.carriers import (
    STATUS_FILTERS,
    CarrierFilter,
    CarrierOptions,
    CarrierRow,
    carrier_options,
    carrier_rows,
    search_rows,
)
from services.enterprise_list import NO_SUBDISTRICT
from services.progress import Progress
from ui.context import AppContext
from ui.errors import show_error
from ui.operations import Changes, Op
from ui.pages.carriers.detail import show_carrier
from ui.pages.style import page_title
from ui.widgets.auto_reload import AutoReload
from ui.widgets.clipboard import copy_table
from ui.widgets.filter_combo import ANY, filter_combo
from ui.widgets.records import Column, Record, RecordView

T = TypeVar("T")
RELEVANT = Changes(carrier=True, enterprise=True)
COLUMNS = (Column("载体名称"), Column("类型"), Column("认定级别"), Column("状态"), Column("运营机构"), Column("属地"),
           Column("面积(㎡)", numeric=True), Column("在孵企业", numeric=True), Column("超孵化期", numeric=True),
           Column("最新统计"))


def _combo(name: str, tip: str) -> QComboBox:
    combo = filter_combo(name, tip)
    combo.addItem(ANY, None)
    return combo


def _record(row: CarrierRow) -> Record:
    tone = "muted" if row.deleted or row.status == "已摘牌" else "overdue" if row.status == "整改中" else \
        "urgent" if row.over_period else None
    area = f"{row.area_m2.normalize():,f}" if row.area_m2 is not None else ""
    tip = "；".join(p for p in ("已删除" if row.deleted else "", f"{row.over_period} 家在孵企业超过孵化期"
                                if row.over_period else "") if p)
    return Record(row.id, (row.name, row.kind, row.recognitions, row.status, row.operator_name, row.subdistrict,
                           area, row.incubating, row.over_period or None, row.latest_period), tone, tip)


class CarriersPage(QWidget):
    """The carrier list page.

    Attributes:
        rows: The rows the filters selected (before the search).
        table: The list.
        search, kind, level, subdistrict, status_filter, include_deleted: Search and filters.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[CarrierRow] = []
        self.search = QLineEdit()
        self.search.setObjectName("carrier_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("搜索名称、运营机构、拼音首字母")
        self.search.setToolTip("按载体名称、运营机构或它们的拼音首字母（如 yhqc）搜索，边输边搜（Ctrl+F）")
        self.search.setMinimumWidth(self.fontMetrics().horizontalAdvance("搜索名称、运营机构、拼音首字母") + 48)
        self.kind = _combo("filter_kind", "载体类型")
        self.level = _combo("filter_level", "认定级别（有效的认定）")
        for level, label in LEVEL_LABELS.items():
            self.level.addItem(label, level)
        self.subdistrict = _combo("filter_subdistrict", "属地")
        self.status_filter = _combo("filter_status", "认定状态")
        for key, label in STATUS_FILTERS.items():
            self.status_filter.addItem(label, key)
        self.include_deleted = QCheckBox("含已删除")
        self.table = RecordView(COLUMNS)
        self.table.setObjectName("carrier_table")
        self.table.setSortingEnabled(True)
        self.status = QLabel("正在读取…")
        self.status.setObjectName("list_status")
        self.new_button = QPushButton("新增载体")
        self.new_button.setToolTip("新增载体（Ctrl+N）")
        self.open_button = QPushButton("打开")
        self.copy_button = QPushButton("复制")
        self.copy_button.setToolTip("复制列表，可直接粘贴到 Excel")

        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(page_title(self.tr("载体")))
        header.addStretch(1)
        for button in (self.new_button, self.open_button, self.copy_button):
            header.addWidget(button)
        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(self.search, 3)
        for caption, combo in (("类型", self.kind), ("级别", self.level), ("属地", self.subdistrict),
                               ("状态", self.status_filter)):
            caption_label = QLabel(caption)
            caption_label.setBuddy(combo)
            filters.addSpacing(4)
            filters.addWidget(caption_label)
            filters.addWidget(combo)
        filters.addWidget(self.include_deleted)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 12)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

        self.search.textChanged.connect(lambda _t: self._show())
        for combo in (self.kind, self.level, self.subdistrict, self.status_filter):
            combo.currentIndexChanged.connect(self.reload)
        self.include_deleted.toggled.connect(self.reload)
        self.table.opened.connect(self.open_carrier)
        self.new_button.clicked.connect(self.new_carrier)
        self.open_button.clicked.connect(self.open_current)
        self.copy_button.clicked.connect(self.copy_list)
        for keys, slot in ((QKeySequence.StandardKey.New, self.new_carrier),
                           (QKeySequence.StandardKey.Find, self.focus_search)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.setTabOrder(self.search, self.table)
        self._filling = False
        self.refresh = AutoReload(self, ctx.runner, RELEVANT, self._start_loading)
        db = ctx.opened.db
        self._op(lambda _p: carrier_options(db)).success(self._options_loaded).run(ctx.runner)

    def _op(self, fn: Callable[[Progress], T]) -> Op[T]:
        return Op(self, fn).failure(lambda exc: show_error(self, exc, sink=self.ctx.sink))

    def _options_loaded(self, options: CarrierOptions) -> None:
        self._filling = True
        try:
            for kind in options.kinds:
                self.kind.addItem(kind.name, kind.code)
            for sid, name in options.subdistricts:
                self.subdistrict.addItem(name, sid)
            self.subdistrict.addItem("（未填属地）", NO_SUBDISTRICT)
        finally:
            self._filling = False

    def filter(self) -> CarrierFilter:
        return CarrierFilter(kind_code=self.kind.currentData(), level=self.level.currentData(),
                             subdistrict_id=self.subdistrict.currentData(), status=self.status_filter.currentData(),
                             include_deleted=self.include_deleted.isChecked())

    def reload(self) -> None:
        if not self._filling:
            self.refresh.reload()

    def _start_loading(self) -> Op[list[CarrierRow]]:
        db, f = self.ctx.opened.db, self.filter()
        return self._op(lambda _p: carrier_rows(db, f)).success(self._loaded).run(self.ctx.runner)

    def _loaded(self, rows: list[CarrierRow]) -> None:
        self.rows = rows
        self._show()

    def shown(self) -> list[CarrierRow]:
        """The rows that match the search."""
        return search_rows(self.rows, self.search.text())

    def _show(self) -> None:
        rows = self.shown()
        self.table.set_records([_record(r) for r in rows])
        over = sum(r.over_period for r in rows)
        filtered = bool(self.search.text().strip()) or self.filter() != CarrierFilter()
        text = f"{'筛选出' if filtered else '共'} {len(rows):,} 个载体，在孵企业 {sum(r.incubating for r in rows):,} 家"
        self.status.setText(text + (f"，其中 {over:,} 家超过孵化期" if over else ""))
        self.open_button.setEnabled(bool(rows))
        self.copy_button.setEnabled(bool(rows))

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def open_carrier(self, carrier_id: Any) -> None:
        show_carrier(self.ctx, self, carrier_id)

    def open_current(self) -> None:
        key = self.table.current_key()
        if key is not None:
            self.open_carrier(key)

    def new_carrier(self) -> None:
        show_carrier(self.ctx, self, None)

    def copy_list(self) -> None:
        """Copy the list as shown (search applied) for Excel."""
        model = self.table.records
        rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
        copy_table([c.label for c in COLUMNS], rows)
        self.status.setText(f"已复制 {len(rows):,} 行，可粘贴到 Excel")
