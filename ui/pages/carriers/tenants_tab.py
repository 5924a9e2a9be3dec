"""在孵企业: the carrier's tenants — entry, graduation with the criteria met, exit — with tenants over their
incubation period in red and those within 90 days of it in orange. A double-click opens the enterprise in the
enterprise window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget

from services.errors import ValidationError
from services.progress import Progress
from services.register import search_enterprises
from services.reminders import INCUBATION_LEAD_DAYS
from services.tenancies import (
    GRADUATION_CRITERIA,
    TenancyInput,
    TenancyRecord,
    add_tenancy,
    default_months_for,
    exit_tenancy,
    graduate,
    graduation_evidence,
    list_tenancies,
    remove_tenancy,
    reopen_tenancy,
    update_tenancy,
)
from ui.context import AppContext
from ui.operations import Changes, Op
from ui.pages.carriers.tabs import CarrierTab
from ui.pages.enterprises.detail import show_enterprise
from ui.widgets.dates import DateEdit
from ui.widgets.form_dialog import FormDialog
from ui.widgets.form_field import HINT_COLOR
from ui.widgets.records import Column, Record, RecordView

#: A tenancy belongs to its carrier and its enterprise: both screens refresh.
CHANGES = Changes(carrier=True, enterprise=True)
SEARCH_DELAY_MS = 250


def _hint() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {HINT_COLOR};")
    return label


class TenantDialog(FormDialog):
    """登记入驻: the enterprise (searched in the register), the entry day and the incubation period."""

    def __init__(self, ctx: AppContext, carrier_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "登记入驻企业", parent, changes=CHANGES)
        self.carrier_id = carrier_id
        self.search = QLineEdit()
        self.search.setPlaceholderText("输入名称、信用代码或拼音首字母查找企业库")
        self.enterprise = QComboBox()
        self.enterprise.setObjectName("tenant_enterprise")
        self.entered_on = DateEdit()
        self.entered_on.set_date(dt.date.today())
        self.months = QSpinBox()
        self.months.setRange(1, 120)
        self.months.setValue(48)
        self.months.setSuffix(" 个月")
        self.months_hint = _hint()
        self.notes = QLineEdit()
        self.notes.setPlaceholderText("如 入驻楼层、房号")
        f = self.form
        f.add("search", "查找企业", self.search)
        f.add("enterprise_id", "企业", self.enterprise, required=True)
        f.add("entered_on", "入驻日期", self.entered_on, required=True)
        f.add("incubation_months", "孵化期", self.months, hint=self.months_hint)
        f.add("notes", "备注", self.notes)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.enterprise.currentIndexChanged.connect(self._enterprise_chosen)
        self.resize(self.sizeHint().width() + 240, self.sizeHint().height())

    def run_search(self) -> None:
        text, db = self.search.text().strip(), self.ctx.opened.db
        if text:
            Op(self, lambda _p: search_enterprises(db, text, limit=50)).success(self._found).run(self.ctx.runner)

    def _found(self, rows: list[Any]) -> None:
        self.enterprise.clear()
        for row in rows:
            self.enterprise.addItem(f"{row.name}（{row.uscc or '未填信用代码'}）", row.id)
        if not rows:
            self.months_hint.setText("企业库中没有找到；请先在企业库中新增该企业")

    def _enterprise_chosen(self) -> None:
        enterprise_id, db, cid = self.enterprise.currentData(), self.ctx.opened.db, self.carrier_id
        if enterprise_id is not None:
            Op(self, lambda _p: default_months_for(db, cid, enterprise_id)).success(self._months).run(self.ctx.runner)

    def _months(self, result: tuple[int | None, str]) -> None:
        months, reason = result
        if months is not None:
            self.months.setValue(months)
        self.months_hint.setText(f"按规则 {months} 个月：{reason}" if months else reason)

    def work(self) -> Callable[[Progress], Any]:
        enterprise_id = self.enterprise.currentData()
        if enterprise_id is None:
            raise ValidationError({"enterprise_id": "请先查找并选择企业"})
        data = TenancyInput(enterprise_id=enterprise_id, entered_on=self.entered_on.required("entered_on"),
                            incubation_months=self.months.value(), notes=self.notes.text())
        db, cid = self.ctx.opened.db, self.carrier_id
        return lambda _p: add_tenancy(db, cid, data)


class GraduateDialog(FormDialog):
    """毕业: the day and the criteria met; what the register shows is ticked and named."""

    def __init__(self, ctx: AppContext, record: TenancyRecord, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"登记毕业：{record.enterprise_name}", parent, changes=CHANGES)
        self.record = record
        self.left_on = DateEdit()
        self.left_on.set_date(dt.date.today())
        self.form.add("left_on", "毕业日期", self.left_on, required=True)
        self.criteria: dict[str, QCheckBox] = {}
        self.evidence: dict[str, QLabel] = {}
        for code, text in GRADUATION_CRITERIA.items():
            box = QCheckBox(text)
            box.setObjectName(f"criterion_{code}")
            self.criteria[code] = box
            self.evidence[code] = _hint()
            self.form.add(f"criterion_{code}", code, box, hint=self.evidence[code])
        self.form.add("criteria", "", QLabel("满足任一项即可毕业（国科发区〔2018〕300号）"))
        self.notes = QLineEdit()
        self.form.add("notes", "说明", self.notes)
        db, tid, day = ctx.opened.db, record.id, dt.date.today()
        Op(self, lambda _p: graduation_evidence(db, tid, day)).success(self._evidence).run(ctx.runner)

    def _evidence(self, found: dict[str, str]) -> None:
        for code, text in found.items():
            self.evidence[code].setText(f"企业库显示：{text}")
            self.criteria[code].setChecked(True)

    def work(self) -> Callable[[Progress], Any]:
        day = self.left_on.required("left_on")
        chosen = tuple(code for code, box in self.criteria.items() if box.isChecked())
        db, tid, notes = self.ctx.opened.db, self.record.id, self.notes.text()
        return lambda _p: graduate(db, tid, day, chosen, notes=notes)


class ExitDialog(FormDialog):
    """退出: the day and the reason."""

    def __init__(self, ctx: AppContext, record: TenancyRecord, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"登记退出：{record.enterprise_name}", parent, changes=CHANGES)
        self.record = record
        self.left_on = DateEdit()
        self.left_on.set_date(dt.date.today())
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如 迁出、注销、未达在孵条件")
        self.form.add("left_on", "退出日期", self.left_on, required=True)
        self.form.add("reason", "退出原因", self.reason)

    def work(self) -> Callable[[Progress], Any]:
        day = self.left_on.required("left_on")
        db, tid, reason = self.ctx.opened.db, self.record.id, self.reason.text()
        return lambda _p: exit_tenancy(db, tid, day, reason=reason)


class EditTenancyDialog(FormDialog):
    """修改: correct the entry day, the incubation period and the notes."""

    def __init__(self, ctx: AppContext, record: TenancyRecord, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"修改在孵记录：{record.enterprise_name}", parent, changes=CHANGES)
        self.record = record
        self.entered_on = DateEdit()
        self.entered_on.set_date(record.entered_on)
        self.months = QSpinBox()
        self.months.setRange(1, 120)
        self.months.setValue(record.incubation_months)
        self.months.setSuffix(" 个月")
        self.notes = QLineEdit(record.notes or "")
        self.form.add("entered_on", "入驻日期", self.entered_on, required=True)
        self.form.add("incubation_months", "孵化期", self.months)
        self.form.add("notes", "备注", self.notes)

    def work(self) -> Callable[[Progress], Any]:
        day = self.entered_on.required("entered_on")
        db, tid, months, notes = self.ctx.opened.db, self.record.id, self.months.value(), self.notes.text()
        return lambda _p: update_tenancy(db, tid, entered_on=day, incubation_months=months, notes=notes)


def _tone(t: TenancyRecord) -> str | None:
    if t.status != "在孵":
        return "muted"
    if t.over_period:
        return "overdue"
    return "urgent" if t.days_left <= INCUBATION_LEAD_DAYS else None


class TenantsTab(CarrierTab):
    """The tenants table with its actions."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.table = RecordView([Column("企业名称"), Column("统一社会信用代码"), Column("行业领域"), Column("入驻日期"),
                                 Column("孵化期(月)", numeric=True), Column("孵化期至"), Column("状态"),
                                 Column("离开日期"), Column("毕业条件"), Column("提示")])
        self.table.setObjectName("tenants_table")
        self.add_button = QPushButton("登记入驻…")
        self.graduate_button = QPushButton("毕业…")
        self.exit_button = QPushButton("退出…")
        self.edit_button = QPushButton("修改…")
        self.reopen_button = QPushButton("撤销毕业/退出")
        self.remove_button = QPushButton("删除…")
        self.open_button = QPushButton("打开企业")
        self.summary = QLabel()
        self.summary.setObjectName("tenants_summary")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        layout.addLayout(self.button_row(self.add_button, self.graduate_button, self.exit_button, self.edit_button,
                                         self.reopen_button, self.remove_button, self.open_button))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.add_button.clicked.connect(self.new_tenant)
        self.graduate_button.clicked.connect(lambda: self._form(GraduateDialog))
        self.exit_button.clicked.connect(lambda: self._form(ExitDialog))
        self.edit_button.clicked.connect(lambda: self._form(EditTenancyDialog))
        self.reopen_button.clicked.connect(self.reopen)
        self.remove_button.clicked.connect(self.remove)
        self.open_button.clicked.connect(self.open_enterprise)
        self.table.opened.connect(lambda _key: self.open_enterprise())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        self._selection_changed()

    def fetch(self, db: Any, carrier_id: int) -> list[TenancyRecord]:
        return list_tenancies(db, carrier_id)

    def show_data(self, data: list[TenancyRecord]) -> None:
        records = []
        for t in data:
            remark = f"超过孵化期 {-t.days_left} 天" if t.over_period else (
                f"{t.days_left} 天后孵化期满" if t.status == "在孵" and t.days_left <= INCUBATION_LEAD_DAYS else "")
            tip = "\n".join(p for p in (remark, *t.warnings, t.notes or "") if p)
            records.append(Record(t.id, (t.enterprise_name, t.uscc, t.industry_field, t.entered_on,
                                         t.incubation_months, t.period_end, t.status, t.left_on,
                                         "、".join(t.criteria), "；".join(p for p in (remark, *t.warnings) if p)),
                                  _tone(t), tip))
        self.table.set_records(records)
        incubating = [t for t in data if t.status == "在孵"]
        over = sum(1 for t in incubating if t.over_period)
        near = sum(1 for t in incubating if not t.over_period and t.days_left <= INCUBATION_LEAD_DAYS)
        self.summary.setText(f"在孵 {len(incubating)} 家（超过孵化期 {over} 家，"
                             f"{INCUBATION_LEAD_DAYS} 天内期满 {near} 家）；"
                             f"已毕业 {sum(1 for t in data if t.status == '毕业')} 家，"
                             f"退出 {sum(1 for t in data if t.status == '退出')} 家。双击打开企业。")
        self._selection_changed()

    def selected(self) -> TenancyRecord | None:
        key = self.table.current_key()
        return next((t for t in self.data or () if t.id == key), None)

    def _selection_changed(self) -> None:
        record = self.selected()
        incubating = record is not None and record.status == "在孵"
        for button in (self.graduate_button, self.exit_button):
            button.setEnabled(incubating)
        self.reopen_button.setEnabled(record is not None and not incubating)
        for button in (self.edit_button, self.remove_button, self.open_button):
            button.setEnabled(record is not None)

    def new_tenant(self) -> TenantDialog | None:
        if self.carrier_id is None:
            return None
        dialog = TenantDialog(self.ctx, self.carrier_id, self)
        self.open_form(dialog)
        return dialog

    def _form(self, kind: Callable[[AppContext, TenancyRecord, QWidget], FormDialog]) -> FormDialog | None:
        record = self.selected()
        if record is None:
            return None
        return self.open_form(kind(self.ctx, record, self))

    def reopen(self) -> None:
        record, db = self.selected(), self.ctx.opened.db
        if record is not None:
            self.confirm_and_run(f"撤销“{record.enterprise_name}”的{record.status}登记，恢复为在孵？", "撤销",
                                 lambda _p: reopen_tenancy(db, record.id), CHANGES)

    def remove(self) -> None:
        record, db = self.selected(), self.ctx.opened.db
        if record is not None:
            self.confirm_and_run(f"删除“{record.enterprise_name}”的在孵记录？（录入有误时使用）", "删除",
                                 lambda _p: remove_tenancy(db, record.id), CHANGES)

    def open_enterprise(self) -> None:
        record = self.selected()
        if record is not None:
            show_enterprise(self.ctx, self, record.enterprise_id)
