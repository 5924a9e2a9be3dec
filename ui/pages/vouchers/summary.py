"""The voucher page's figures: the strip of this year's issued / used / redeemed amounts, the 汇总 tab (by batch and
by provider, for a year up to a quarter), and the year-end expiry dialog with its preview."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.voucher_expiry import ExpiryResult, expire_year, expiry_preview
from services.voucher_summary import VoucherSummary, VoucherTotals, voucher_summary
from ui.context import AppContext
from ui.errors import inform, show_error
from ui.operations import Op
from ui.pages.style import NumberCard
from ui.pages.vouchers.fields import VOUCHERS, money, year_spin
from ui.widgets.auto_reload import AutoReload
from ui.widgets.questions import confirm
from ui.widgets.records import Column, Record, RecordView

QUARTERS = ((4, "全年"), (1, "1-3月"), (2, "1-6月"), (3, "1-9月"))


class SummaryStrip(QWidget):
    """This year's 发放 / 使用 / 兑现, in 万元 with their counts (the report's own figures)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.year = dt.date.today().year
        self.totals: VoucherTotals | None = None
        self.cards = {key: NumberCard(caption) for key, caption in (
            ("issued", f"{self.year}年发放（万元）"), ("used", f"{self.year}年使用（万元）"),
            ("redeemed", f"{self.year}年兑现（万元）"))}
        self.detail = QLabel()
        self.detail.setObjectName("summary_detail")
        self.detail.setWordWrap(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for card in self.cards.values():
            row.addWidget(card)
        row.addWidget(self.detail, 1)
        self.refresh = AutoReload(self, ctx.runner, VOUCHERS, self._start)

    def _start(self) -> Op[VoucherSummary]:
        db, year = self.ctx.opened.db, self.year
        return Op(self, lambda _p: voucher_summary(db, year)).success(self._loaded) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)

    def _loaded(self, summary: VoucherSummary) -> None:
        totals = self.totals = summary.totals
        for key, amount in (("issued", totals.issued_wan), ("used", totals.used_wan),
                            ("redeemed", totals.redeemed_wan)):
            self.cards[key].value.setText(f"{amount:,.2f}")
        self.detail.setText(f"{self.year}年：{totals.describe()}。")


class SummaryTab(QWidget):
    """汇总: a year's figures up to a quarter, by batch notice and by provider."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.summary: VoucherSummary | None = None
        self.year = year_spin()
        self.quarter = QComboBox()
        for value, label in QUARTERS:
            self.quarter.addItem(label, value)
        self.totals = QLabel()
        self.totals.setObjectName("summary_totals")
        self.totals.setWordWrap(True)
        self.by_batch = RecordView([Column("批次"), Column("通知"), money("兑现(万元)"),
                                    money("市级(万元)"), money("区级(万元)"),
                                    Column("家次", numeric=True), Column("企业数", numeric=True)])
        self.by_batch.setObjectName("by_batch")
        self.by_provider = RecordView([Column("服务机构"), Column("类别"), Column("使用笔数", numeric=True),
                                       money("使用(万元)"), Column("服务单位数", numeric=True),
                                       money("兑现(万元)")])
        self.by_provider.setObjectName("by_provider")
        top = QHBoxLayout()
        for widget in (QLabel("年度"), self.year, QLabel("期间"), self.quarter):
            top.addWidget(widget)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.totals)
        layout.addWidget(QLabel("按兑现批次（期内拨付）"))
        layout.addWidget(self.by_batch, 1)
        layout.addWidget(QLabel("按服务机构（期内使用与兑现）"))
        layout.addWidget(self.by_provider, 2)
        self.refresh = AutoReload(self, ctx.runner, VOUCHERS, self._start)
        self.year.valueChanged.connect(lambda _v: self.refresh.reload())
        self.quarter.currentIndexChanged.connect(lambda _i: self.refresh.reload())

    def _start(self) -> Op[VoucherSummary]:
        db, year, quarter = self.ctx.opened.db, self.year.value(), self.quarter.currentData()
        return Op(self, lambda _p: voucher_summary(db, year, quarter)).success(self._loaded) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)

    def _loaded(self, summary: VoucherSummary) -> None:
        self.summary = summary
        self.totals.setText(f"{summary.period.label}：{summary.totals.describe()}")
        self.by_batch.set_records([Record(b.notice_id, (f"第{b.batch_no}批" if b.batch_no else "", b.title,
                                                        b.redeemed_wan, b.city_wan, b.district_wan, b.times,
                                                        b.enterprises)) for b in summary.by_batch])
        self.by_provider.set_records([Record(p.provider_id, (p.name, p.kind, p.uses, p.used_wan, p.holders,
                                                             p.redeemed_wan)) for p in summary.by_provider])


class ExpiryDialog(QDialog):
    """年末作废: the grants of a year that lapse, previewed first; 办理作废 once the year is over (managers)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or dt.date.today()
        self.result_shown: ExpiryResult | None = None
        self.confirm: Callable[..., bool] = confirm
        self.setWindowTitle("创新券年末作废")
        self.year = year_spin(self.today.year - 1)
        self.year.setObjectName("expiry_year")
        self.preview_button = QPushButton("预览")
        self.expire_button = QPushButton("办理年末作废")
        self.expire_button.setObjectName("expire_button")
        self.summary = QLabel()
        self.summary.setObjectName("expiry_summary")
        self.summary.setWordWrap(True)
        self.table = RecordView([Column("券号"), Column("申领单位"), Column("原状态"), Column("作废后"),
                                 Column("情况")])
        self.table.setObjectName("expiry_table")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        for widget in (QLabel("年度"), self.year, self.preview_button, self.expire_button):
            top.addWidget(widget)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        rule = QLabel("申领、发放、使用和申请兑现应在同一年度内完成，逾期作废。年末之后，未使用的余额和"
                      "未申请兑现的使用一并作废；兑现仍在办理中的创新券待办结后再作废。")
        rule.setWordWrap(True)
        layout.addWidget(rule)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        char = self.fontMetrics().horizontalAdvance("字")
        self.resize(char * 60, char * 36)
        self.preview_button.clicked.connect(self.preview)
        self.expire_button.clicked.connect(self.expire)
        self.year.valueChanged.connect(lambda _y: self.preview())
        self.preview()

    def preview(self) -> Op[ExpiryResult]:
        db, year = self.ctx.opened.db, self.year.value()
        self.expire_button.setEnabled(False)
        return Op(self, lambda _p: expiry_preview(db, year)).success(self._show) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)

    def _show(self, result: ExpiryResult) -> None:
        self.result_shown = result
        self.summary.setText(result.describe())
        self.table.set_records([Record(g.id, (g.voucher_no, g.holder_name, g.status, g.new_status, g.describe()))
                                for g in result.grants])
        ended = self.today > dt.date(result.year, 12, 31)
        self.expire_button.setEnabled(bool(result.grants) and not result.done and ended)
        self.expire_button.setToolTip("" if ended else f"{result.year}年尚未结束，年末之后才能办理作废")

    def expire(self) -> Op[Any] | None:
        shown = self.result_shown
        if shown is None or not self.confirm(self, f"{shown.describe()}确定办理作废？", action="作废"):
            return None
        db, year, today = self.ctx.opened.db, shown.year, self.today
        return Op(self, lambda _p: expire_year(db, year, today=today)).changes(VOUCHERS).success(self._done) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)

    def _done(self, result: ExpiryResult) -> None:
        self._show(result)
        inform(self, result.describe(), sink=self.ctx.sink)
