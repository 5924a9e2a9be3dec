"""兑现批次: audited redemptions of a year put into a batch notice 第N批, and each notice taken through the pay-out
workflow (审核 → 公示 → 批准 by a manager → 拨付), which records the payment on the notice and the redemptions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from services.errors import ValidationError
from services.payouts import APPROVED, AUDITED, DRAFT, PUBLICIZED, notice_options, suggest_title
from services.payouts_workflow import approve_notice, audit_notice, publicize_notice
from services.progress import Progress
from services.voucher_redemptions import (
    PROGRAMME,
    BatchCandidate,
    VoucherBatch,
    awaiting_batch,
    create_batch,
    describe_batch,
    list_batches,
    next_batch_no,
    pay_batch,
)
from services.voucher_rules import wan_text
from ui.context import AppContext
from ui.errors import show_error
from ui.operations import Op
from ui.pages.vouchers.fields import (
    BATCHES,
    button_row,
    entry_problems,
    explain,
    explanation,
    money,
    open_dialog,
    show_above_buttons,
    year_spin,
)
from ui.widgets.auto_reload import AutoReload
from ui.widgets.dates import DateEdit
from ui.widgets.form_dialog import FormDialog
from ui.widgets.records import Column, Record, RecordView


class BatchDialog(FormDialog):
    """下达第N批: the batch number (the next one by default), the notice's date, 文号 and title."""

    def __init__(self, ctx: AppContext, year: int, chosen: list[BatchCandidate], number: int, district: str,
                 parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(ctx, f"下达{year}年度创新券兑现批次", parent, changes=BATCHES)
        self.year, self.chosen, self.today = year, chosen, today or dt.date.today()
        self.number = QSpinBox()
        self.number.setRange(1, 99)
        self.number.setValue(number)
        self.number.setPrefix("第 ")
        self.number.setSuffix(" 批")
        self.issued_on = DateEdit()
        self.issued_on.set_date(self.today)
        self.doc_no = QLineEdit()
        self.doc_no.setPlaceholderText("如：拱科〔2025〕18号")
        self.title = QLineEdit(suggest_title(PROGRAMME, year, district=district, batch_no=number))
        self.title.setObjectName("batch_title")
        self.number.valueChanged.connect(
            lambda n: self.title.setText(suggest_title(PROGRAMME, year, district=district, batch_no=n)))
        form = self.form
        form.add("batch_no", "批次", self.number, required=True)
        form.add("issued_on", "发文日期", self.issued_on, required=True)
        form.add("doc_no", "文号", self.doc_no)
        form.add("title", "通知标题", self.title, required=True)
        total = sum((c.subsidy_wan for c in chosen), Decimal(0))
        city = sum((c.city_share_wan for c in chosen), Decimal(0))
        note = explanation()
        explain(note, f"共 {len(chosen)} 笔，{len({c.holder_name for c in chosen})} 家，兑现 {wan_text(total)}"
                      f"（市级 {wan_text(city)}，区级 {wan_text(total - city)}）；"
                      "通知生成后按政策兑现流程审核、公示、批准。")
        show_above_buttons(self, note)
        self.resize(self.sizeHint().width() + 240, self.sizeHint().height())

    def work(self) -> Callable[[Progress], Any]:
        problems = entry_problems(issued_on=self.issued_on)
        if problems:
            raise ValidationError(problems)
        db, year, ids = self.ctx.opened.db, self.year, [c.id for c in self.chosen]
        number, day, doc_no, title = self.number.value(), self.issued_on.date(), self.doc_no.text(), self.title.text()
        return lambda _p: create_batch(db, year, ids, day, batch_no=number, doc_no=doc_no or None,  # type: ignore[arg-type]
                                       title=title, today=self.today)


class DateDialog(FormDialog):
    """One date for a step of a batch notice (公示, 拨付)."""

    def __init__(self, ctx: AppContext, title: str, label: str, step: Callable[[dt.date], Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, title, parent, changes=BATCHES)
        self.step = step
        self.day = DateEdit()
        self.day.setObjectName("step_date")
        self.day.set_date(dt.date.today())
        self.form.add("day", label, self.day, required=True)

    def work(self) -> Callable[[Progress], Any]:
        problems = entry_problems(day=self.day)
        day = self.day.date()
        if problems or day is None:
            raise ValidationError(problems or {"day": "请填写日期"})
        step = self.step
        return lambda _p: step(day)


class BatchesTab(QWidget):
    """Redemptions awaiting a batch, and the batch notices of the year with their workflow buttons."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.district = ""
        self.candidates: list[BatchCandidate] = []
        self.batches: list[VoucherBatch] = []
        self.next_number = 1
        self.year = year_spin()
        self.year.setObjectName("batch_year")
        self.waiting = RecordView([Column("券号"), Column("申领单位"), Column("服务机构"), Column("审核日期"),
                                   money("兑现(万元)"), money("市级(万元)"),
                                   money("区级(万元)")])
        self.waiting.setObjectName("waiting_table")
        self.waiting.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.notices = RecordView([Column("批次"), Column("通知标题"), Column("文号"), Column("发文日期"),
                                   Column("状态"), Column("笔数", numeric=True), Column("家数", numeric=True),
                                   money("兑现(万元)"), Column("拨付日期")])
        self.notices.setObjectName("batch_table")
        self.batch_button = QPushButton("下达批次…")
        self.batch_button.setObjectName("batch_button")
        self.audit_button, self.publicize_button = QPushButton("审核"), QPushButton("公示…")
        self.approve_button, self.pay_button = QPushButton("批准"), QPushButton("登记拨付…")
        self.approve_button.setToolTip("须科长/局领导批准")
        self.note = QLabel()
        self.note.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        top.addWidget(self.year)
        top.addStretch(1)
        waiting_box = QGroupBox("已审核通过、待下达批次的兑现")
        waiting_layout = QVBoxLayout(waiting_box)
        waiting_layout.addWidget(self.waiting)
        waiting_layout.addLayout(button_row(self.batch_button))
        notices_box = QGroupBox("兑现批次通知")
        notices_layout = QVBoxLayout(notices_box)
        notices_layout.addWidget(self.notices)
        notices_layout.addLayout(button_row(self.audit_button, self.publicize_button, self.approve_button,
                                           self.pay_button))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.addLayout(top)
        layout.addWidget(waiting_box, 1)
        layout.addWidget(notices_box, 1)
        layout.addWidget(self.note)
        self.batch_button.clicked.connect(self.new_batch)
        self.audit_button.clicked.connect(lambda: self._step(lambda db, n: audit_notice(db, n)))
        self.approve_button.clicked.connect(lambda: self._step(lambda db, n: approve_notice(db, n)))
        self.publicize_button.clicked.connect(self.publicize)
        self.pay_button.clicked.connect(self.pay)
        self.waiting.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.notices.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.refresh = AutoReload(self, ctx.runner, BATCHES, self._start)
        self.year.valueChanged.connect(lambda _y: self.refresh.reload())

    def _start(self) -> Op[Any]:
        db, year = self.ctx.opened.db, self.year.value()

        def load(_p: Progress) -> tuple[list[BatchCandidate], list[VoucherBatch], int, str]:
            return awaiting_batch(db, year), list_batches(db, year), next_batch_no(db, year), \
                notice_options(db).district

        return Op(self, load).success(self._loaded).failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)) \
            .run(self.ctx.runner)

    def _loaded(self, loaded: tuple[list[BatchCandidate], list[VoucherBatch], int, str]) -> None:
        self.candidates, self.batches, self.next_number, self.district = loaded
        self.waiting.set_records([Record(c.id, (c.voucher_no, c.holder_name, c.provider, c.audited_on, c.subsidy_wan,
                                                c.city_share_wan, c.district_share_wan)) for c in self.candidates])
        self.notices.set_records([Record(b.notice_id, (f"第{b.batch_no}批" if b.batch_no else "", b.title, b.doc_no,
                                                       b.issued_on, b.status, b.redemptions, b.holders, b.subsidy_wan,
                                                       b.paid_on), tooltip=describe_batch(b)) for b in self.batches])
        self.note.setText("；".join(describe_batch(b) for b in self.batches) or f"{self.year.value()}年尚无兑现批次。")
        self._update_buttons()

    def chosen(self) -> list[BatchCandidate]:
        """The redemptions selected in the waiting list."""
        keys = {self.waiting.records.records[i.row()].key for i in self.waiting.selectionModel().selectedRows()}
        return [c for c in self.candidates if c.id in keys]

    def selected_batch(self) -> VoucherBatch | None:
        return next((b for b in self.batches if b.notice_id == self.notices.current_key()), None)

    def _update_buttons(self) -> None:
        self.batch_button.setEnabled(bool(self.chosen()))
        status = (batch := self.selected_batch()) and batch.status
        for button, allowed in ((self.audit_button, DRAFT), (self.publicize_button, AUDITED),
                                (self.approve_button, PUBLICIZED), (self.pay_button, APPROVED)):
            button.setEnabled(status == allowed)

    def new_batch(self) -> BatchDialog | None:
        chosen = self.chosen()
        if not chosen:
            return None
        dialog = BatchDialog(self.ctx, self.year.value(), chosen, self.next_number, self.district, self)
        return open_dialog(dialog)

    def _step(self, step: Callable[[Any, int], Any]) -> None:
        batch = self.selected_batch()
        if batch is None:
            return
        db = self.ctx.opened.db
        Op(self, lambda _p: step(db, batch.notice_id)).changes(BATCHES) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)

    def publicize(self) -> DateDialog | None:
        return self._dated("公示", "公示日期", publicize_notice)

    def pay(self) -> DateDialog | None:
        return self._dated("登记拨付", "拨付日期", pay_batch)

    def _dated(self, step: str, label: str, fn: Callable[[Any, int, dt.date], Any]) -> DateDialog | None:
        """A step of the selected batch that records a date: ``fn(db, notice_id, day)`` once the date is given."""
        batch = self.selected_batch()
        if batch is None:
            return None
        db = self.ctx.opened.db
        dialog = DateDialog(self.ctx, f"{step} {batch.title}", label, lambda day: fn(db, batch.notice_id, day), self)
        return open_dialog(dialog)
