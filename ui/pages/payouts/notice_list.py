"""The list of notices with its filters (issue year, programme, status) and search (title, 文号, payees' names,
credit codes or pinyin initials); filtering and search run in the database."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from services.payouts import PAID, STATUSES, NoticeFilter, NoticeOptions, NoticeRow, list_notices, notice_options
from ui.context import AppContext
from ui.errors import show_error
from ui.operations import Changes, Op
from ui.pages.payouts.payments_model import wan_text
from ui.widgets.auto_reload import AutoReload
from ui.widgets.records import Column, Record, RecordView

SEARCH_DELAY_MS = 250
TONES = {"草稿": "muted", PAID: "ok"}


def _record(row: NoticeRow) -> Record:
    return Record(row.id, (row.issued_on, row.doc_no, row.title, row.programme, row.cohort_year, row.status,
                           row.payments, row.total_wan), TONES.get(row.status),
                  f"市级 {wan_text(row.city_wan)} 万元，区级 {wan_text(row.district_wan)} 万元；"
                  f"已兑付 {row.paid}/{row.payments} 笔")


class NoticeList(QWidget):
    """Filters over a table of notices.

    Attributes:
        options: What the filters offer (years, programmes), from the latest load.
        rows: The notices shown.

    Signals:
        chosen(int): the user moved to a notice.
        options_loaded(object): :class:`services.payouts.NoticeOptions` of the latest load.
    """

    chosen = Signal(int)
    options_loaded = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.options: NoticeOptions | None = None
        self.rows: list[NoticeRow] = []
        self.year = QComboBox()
        self.year.setObjectName("filter_year")
        self.year.addItem("全部年度", None)
        self.programme = QComboBox()
        self.programme.setObjectName("filter_programme")
        self.programme.addItem("全部项目", None)
        self.status = QComboBox()
        self.status.setObjectName("filter_status")
        self.status.addItem("全部状态", None)
        for status in STATUSES:
            self.status.addItem(status, status)
        self.search = QLineEdit()
        self.search.setObjectName("notice_search")
        self.search.setPlaceholderText("搜索标题、文号、企业名称或拼音首字母")
        self.search.setClearButtonEnabled(True)
        self.view = RecordView([Column("发文日期"), Column("文号"), Column("通知标题"), Column("政策项目"),
                                Column("年度"), Column("状态"), Column("笔数", numeric=True),
                                Column("金额（万元）", wan_text, numeric=True)])
        self.view.setObjectName("notice_table")
        self.view.setSortingEnabled(False)
        self.count = QLabel()
        filters = QHBoxLayout()
        for widget in (self.year, self.programme, self.status):
            filters.addWidget(widget)
        filters.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        for box in (self.year, self.programme, self.status):
            box.activated.connect(lambda _index: self.reload())
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.refresh = AutoReload(self, ctx.runner, Changes(payout=True, enterprise=True, carrier=True),
                                  self._start_loading)

    def current_filter(self) -> NoticeFilter:
        return NoticeFilter(self.year.currentData(), self.programme.currentData(), self.status.currentData(),
                            self.search.text())

    def reload(self) -> None:
        self.refresh.reload()

    def _start_loading(self) -> Op[tuple[NoticeOptions, list[NoticeRow]]]:
        db, flt = self.ctx.opened.db, self.current_filter()
        return Op(self, lambda _p: (notice_options(db), list_notices(db, flt))).success(self._loaded) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)

    def _loaded(self, result: tuple[NoticeOptions, list[NoticeRow]]) -> None:
        options, rows = result
        self.options, self.rows = options, rows
        self._offer(self.year, [(f"{y}年", y) for y in options.years])
        self._offer(self.programme, [(p, p) for p in options.programmes])
        self.view.blockSignals(True)
        self.view.selectionModel().blockSignals(True)
        self.view.set_records([_record(r) for r in rows])
        self.view.selectionModel().blockSignals(False)
        self.view.blockSignals(False)
        total = sum((r.total_wan for r in rows), Decimal(0))
        self.count.setText(f"共 {len(rows)} 份通知，合计 {wan_text(total)} 万元")
        self.options_loaded.emit(options)

    @staticmethod
    def _offer(box: QComboBox, items: list[tuple[str, object]]) -> None:
        """Replace a filter's choices, keeping the chosen one (and "全部")."""
        keep = box.currentData()
        box.blockSignals(True)
        while box.count() > 1:
            box.removeItem(1)
        for text, data in items:
            box.addItem(text, data)
        found = box.findData(keep) if keep is not None else 0
        if found < 0:
            box.addItem(str(keep), keep)
            found = box.count() - 1
        box.setCurrentIndex(found)
        box.blockSignals(False)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.chosen.emit(self.view.records.records[current.row()].key)

    def select(self, notice_id: int | None) -> None:
        """Show ``notice_id`` as the current row without announcing it (None clears the selection)."""
        self.view.selectionModel().blockSignals(True)
        if notice_id is None or not self.view.select_key(notice_id):
            self.view.clearSelection()
            self.view.setCurrentIndex(QModelIndex())
        self.view.selectionModel().blockSignals(False)
