"""兑现汇总: totals per programme, per year or per 属地, for one year of notices or all of them."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from services.payouts_summary import DIMENSIONS, TotalsRow, payout_totals
from ui.context import AppContext
from ui.errors import show_error
from ui.operations import Changes, Op
from ui.pages.payouts.payments_model import wan_text
from ui.widgets.auto_reload import AutoReload
from ui.widgets.records import Column, Record, RecordView


class SummaryTab(QWidget):
    """The totals table.

    Attributes:
        year: Notices of which year (发文年度), or all.
        dimension: Group by programme, year or 属地.
        table: The totals.
        rows: The rows shown.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[TotalsRow] = []
        self.year = QComboBox()
        self.year.setObjectName("summary_year")
        self.year.addItem("全部年度", None)
        self.dimension = QComboBox()
        self.dimension.setObjectName("summary_dimension")
        for key, label in DIMENSIONS.items():
            self.dimension.addItem(f"按{label}", key)
        self.table = RecordView([Column("分组"), Column("通知数", numeric=True), Column("笔数", numeric=True),
                                 Column("兑现对象数", numeric=True),
                                 *(Column(f"{label}（万元）", wan_text, numeric=True)
                                   for label in ("兑现金额", "市级资金", "区级资金", "已兑付"))])
        self.table.setObjectName("summary_table")
        self.note = QLabel("统计全部兑现记录（含尚未兑付的）；季度报表只计兑付日期在报告期内的。")
        row = QHBoxLayout()
        row.addWidget(QLabel("发文年度"))
        row.addWidget(self.year)
        row.addWidget(self.dimension)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        self.year.activated.connect(lambda _i: self.reload())
        self.dimension.activated.connect(lambda _i: self.reload())
        self.refresh = AutoReload(self, ctx.runner, Changes(payout=True, enterprise=True, carrier=True),
                                  self._start_loading)

    def set_years(self, years: tuple[int, ...]) -> None:
        """Offer these years (keeping the one chosen)."""
        keep = self.year.currentData()
        self.year.blockSignals(True)
        while self.year.count() > 1:
            self.year.removeItem(1)
        for year in years:
            self.year.addItem(f"{year}年", year)
        self.year.setCurrentIndex(max(self.year.findData(keep), 0) if keep is not None else 0)
        self.year.blockSignals(False)

    def reload(self) -> None:
        self.refresh.reload()

    def _start_loading(self) -> Op[list[TotalsRow]]:
        db, by, year = self.ctx.opened.db, self.dimension.currentData(), self.year.currentData()
        return Op(self, lambda _p: payout_totals(db, by, year=year)).success(self._loaded) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)

    def _loaded(self, rows: list[TotalsRow]) -> None:
        self.rows = rows
        self.table.set_records([Record(r.label, (r.label, r.notices, r.payments, r.payees, r.total_wan, r.city_wan,
                                                 r.district_wan, r.paid_wan)) for r in rows])
