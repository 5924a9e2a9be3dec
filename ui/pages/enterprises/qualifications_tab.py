"""资质认定: the enterprise's certifications over time, new and re-certifications, revocation, and 年报 per year.

The validity shown while a certification is entered is computed from its type exactly as the service will store
it (:func:`services.qualifications.validity`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QGroupBox, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget

from services.errors import ValidationError
from services.progress import Progress
from services.qualifications import (
    ANNUAL_REPORT_STATUSES,
    AnnualReport,
    QualificationInput,
    QualificationRecord,
    add_qualification,
    list_annual_reports,
    list_qualifications,
    record_annual_report,
    revoke_qualification,
    validity,
)
from ui.context import AppContext
from ui.operations import Changes, Op
from ui.pages.enterprises.tab_base import Catalog, RecordTab
from ui.widgets.dates import DateEdit
from ui.widgets.form_dialog import FormDialog
from ui.widgets.form_field import HINT_COLOR
from ui.widgets.records import Column, Record, RecordView

CHANGES = Changes(enterprise=True, qualification=True)
APPLICATION_KINDS = ("新申报", "重新认定")
STATUSES = ("认定", "拟申报", "已申报", "评审通过", "公示", "未通过", "到期")


def _tone(record: QualificationRecord, today: dt.date) -> str | None:
    if record.status in ("撤销", "淘汰", "未通过", "到期") or (record.valid_to and record.valid_to < today):
        return "muted"
    if record.valid_to and (record.valid_to - today).days <= 90:
        return "urgent"
    return None


class QualificationDialog(FormDialog):
    """新增认定 / 重新认定: one certification with its batch and dates; validity computed from the type."""

    def __init__(self, ctx: AppContext, catalog: Catalog, enterprise_id: int, parent: QWidget | None = None, *,
                 renew: QualificationRecord | None = None) -> None:
        super().__init__(ctx, "重新认定" if renew else "新增资质认定", parent, changes=CHANGES)
        self.catalog, self.enterprise_id = catalog, enterprise_id
        self.type = QComboBox()
        for info in catalog.types:
            self.type.addItem(f"{info.short_name}（{info.name}）", info.code)
        self.year = QSpinBox()
        self.year.setRange(1990, dt.date.today().year + 1)
        self.year.setValue(dt.date.today().year)
        self.kind = QComboBox()
        self.kind.addItems(APPLICATION_KINDS)
        self.batch = QLineEdit()
        self.batch.setPlaceholderText("如 第一批")
        self.recommended_by = QComboBox()
        self.recommended_by.addItem("（未填）", None)
        for sid, name in catalog.options.subdistricts:
            self.recommended_by.addItem(name, sid)
        self.applied_on, self.reviewed_on, self.publicized_on, self.certified_on = (DateEdit() for _ in range(4))
        self.certificate_no = QLineEdit()
        self.status = QComboBox()
        self.status.addItems(STATUSES)
        self.tier = QLineEdit()
        self.tier.setPlaceholderText("如 第一梯队")
        self.notes = QLineEdit()
        self.validity = QLabel()
        self.validity.setObjectName("validity_hint")
        self.validity.setStyleSheet(f"color: {HINT_COLOR};")
        f = self.form
        f.add("type_code", "资质类型", self.type, required=True)
        f.add("year", "认定年度", self.year, required=True)
        f.add("application_kind", "申报类别", self.kind)
        f.add("batch", "批次", self.batch)
        f.add("recommended_by_id", "推荐单位", self.recommended_by)
        f.add("applied_on", "申报日期", self.applied_on)
        f.add("reviewed_on", "评审日期", self.reviewed_on)
        f.add("publicized_on", "公示日期", self.publicized_on)
        f.add("certified_on", "认定日期", self.certified_on, hint=self.validity)
        f.add("certificate_no", "证书编号", self.certificate_no)
        f.add("status", "状态", self.status)
        f.add("tier", "梯队", self.tier)
        f.add("notes", "备注", self.notes)
        if renew is not None:
            self.type.setCurrentIndex(max(self.type.findData(renew.type_code), 0))
            self.kind.setCurrentText("重新认定")
            if renew.valid_to:
                self.year.setValue(min(renew.valid_to.year, self.year.maximum()))
        for signal in (self.type.currentIndexChanged, self.year.valueChanged, self.certified_on.textChanged):
            signal.connect(self.update_validity)
        self.update_validity()
        self.resize(self.sizeHint().width() + 120, self.sizeHint().height())

    def update_validity(self) -> None:
        """Show the validity the type gives, and offer 梯队 only for types with tiers."""
        info = self.catalog.type(self.type.currentData())
        if info is None:
            return
        self.tier.setEnabled(info.has_tiers)
        start, end = validity(info, self.year.value(), self.certified_on.date())
        if start is None:
            self.validity.setText(f"有效期：{info.describe_validity()}，填写认定日期后计算")
        else:
            until = end.isoformat() if end else "长期"
            self.validity.setText(f"有效期：{start.isoformat()} 至 {until}（{info.describe_validity()}）")

    def work(self) -> Callable[[Progress], Any]:
        problems = {name: edit.problem() for name, edit in (
            ("applied_on", self.applied_on), ("reviewed_on", self.reviewed_on),
            ("publicized_on", self.publicized_on), ("certified_on", self.certified_on)) if edit.problem()}
        if problems:
            raise ValidationError(problems)
        data = QualificationInput(
            type_code=self.type.currentData(), year=self.year.value(), application_kind=self.kind.currentText(),
            batch=self.batch.text().strip() or None, recommended_by_id=self.recommended_by.currentData(),
            applied_on=self.applied_on.date(), reviewed_on=self.reviewed_on.date(),
            publicized_on=self.publicized_on.date(), certified_on=self.certified_on.date(),
            certificate_no=self.certificate_no.text().strip() or None, status=self.status.currentText(),
            tier=self.tier.text().strip() or None if self.tier.isEnabled() else None,
            notes=self.notes.text().strip() or None)
        db, enterprise_id = self.ctx.opened.db, self.enterprise_id
        return lambda _p: add_qualification(db, enterprise_id, data)


class RevokeDialog(FormDialog):
    """撤销 or 淘汰 a certification from a date, with the reason."""

    def __init__(self, ctx: AppContext, record: QualificationRecord, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"撤销{record.type_name}（{record.year}年）", parent, changes=CHANGES)
        self.record = record
        self.status = QComboBox()
        self.status.addItems(("撤销", "淘汰"))
        self.on = DateEdit()
        self.on.set_date(dt.date.today())
        self.reason = QLineEdit()
        self.form.add("status", "处理", self.status)
        self.form.add("revoked_on", "日期", self.on, required=True)
        self.form.add("reason", "原因", self.reason)

    def work(self) -> Callable[[Progress], Any]:
        day = self.on.required("revoked_on")
        db, qid, status, reason = self.ctx.opened.db, self.record.id, self.status.currentText(), self.reason.text()
        return lambda _p: revoke_qualification(db, qid, day, status=status, reason=reason.strip() or None)


class AnnualReportDialog(FormDialog):
    """登记年报: the 年报 of one year, filed (with the day) or not."""

    def __init__(self, ctx: AppContext, record: QualificationRecord, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"登记{record.type_name}年报", parent, changes=CHANGES)
        self.record = record
        self.year = QSpinBox()
        self.year.setRange(max(record.year, 1990), dt.date.today().year)
        self.year.setValue(max(dt.date.today().year - 1, self.year.minimum()))
        self.year.setSuffix(" 年度")
        self.status = QComboBox()
        self.status.addItems(ANNUAL_REPORT_STATUSES)
        self.status.setCurrentText("已报")
        self.submitted_on = DateEdit()
        self.submitted_on.set_date(dt.date.today())
        self.form.add("year", "年报年度", self.year)
        self.form.add("status", "状态", self.status)
        self.form.add("submitted_on", "报送日期", self.submitted_on)

    def work(self) -> Callable[[Progress], Any]:
        if self.submitted_on.problem():
            raise ValidationError({"submitted_on": self.submitted_on.problem()})
        db, qid, year = self.ctx.opened.db, self.record.id, self.year.value()
        status, day = self.status.currentText(), self.submitted_on.date()
        return lambda _p: record_annual_report(db, qid, year, submitted_on=day, status=status)


class QualificationsTab(RecordTab):
    """The certifications table, its actions, and the 年报 of the selected certification."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.table = RecordView([Column("资质"), Column("年度"), Column("批次"), Column("申报类别"),
                                 Column("认定日期"), Column("有效期至"), Column("状态"), Column("证书编号")])
        self.table.setObjectName("qualifications_table")
        self.add_button = QPushButton("新增认定…")
        self.renew_button = QPushButton("重新认定…")
        self.revoke_button = QPushButton("撤销…")
        self.reports = RecordView([Column("年报年度"), Column("状态"), Column("截止日期"), Column("报送日期")])
        self.reports.setObjectName("annual_reports_table")
        self.report_button = QPushButton("登记年报…")
        self.report_box = QGroupBox("年报（所选资质）")
        box = QVBoxLayout(self.report_box)
        box.addWidget(self.reports)
        box.addLayout(self.button_row(self.report_button))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        layout.addLayout(self.button_row(self.add_button, self.renew_button, self.revoke_button))
        layout.addWidget(self.table, 3)
        layout.addWidget(self.report_box, 2)
        self.add_button.clicked.connect(lambda: self.new_qualification())
        self.renew_button.clicked.connect(lambda: self.new_qualification(renew=self.selected()))
        self.revoke_button.clicked.connect(self.revoke)
        self.report_button.clicked.connect(self.record_report)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        self._selection_changed()

    def fetch(self, db: Any, enterprise_id: int) -> list[QualificationRecord]:
        return list_qualifications(db, enterprise_id)

    def show_data(self, data: list[QualificationRecord]) -> None:
        today = dt.date.today()
        self.table.set_records([
            Record(q.id, (q.type_name, q.year, q.batch, q.application_kind, q.certified_on, q.valid_to, q.status,
                          q.certificate_no), _tone(q, today), q.notes or "")
            for q in data])
        self._selection_changed()

    def selected(self) -> QualificationRecord | None:
        key = self.table.current_key()
        return next((q for q in self.data or () if q.id == key), None)

    def _selection_changed(self) -> None:
        record = self.selected()
        info = self.catalog.type(record.type_code) if record and self.catalog else None
        self.renew_button.setEnabled(record is not None)
        self.revoke_button.setEnabled(record is not None and record.status == "认定" and not record.revoked_on)
        has_reports = bool(info and info.has_annual_report)
        self.report_button.setEnabled(has_reports)
        self.report_box.setTitle(f"年报（{record.type_name} {record.year}年）" if has_reports and record
                                 else "年报（所选资质须为有年报的类型，如省科小）")
        self.reports.set_records([])
        if has_reports and record is not None:
            db, qid = self.ctx.opened.db, record.id
            Op(self, lambda _p: list_annual_reports(db, qid)).success(self._show_reports) \
                .failure(self.show_error).run(self.ctx.runner)

    def _show_reports(self, reports: list[AnnualReport]) -> None:
        self.reports.set_records([
            Record(r.id, (f"{r.year}年度", r.status, r.due_on, r.submitted_on),
                   "overdue" if r.status != "已报" and r.due_on and r.due_on < dt.date.today() else None)
            for r in reports])

    def new_qualification(self, renew: QualificationRecord | None = None) -> QualificationDialog | None:
        if self.catalog is None or self.enterprise_id is None:
            return None
        dialog = QualificationDialog(self.ctx, self.catalog, self.enterprise_id, self, renew=renew)
        self.open_form(dialog)
        return dialog

    def revoke(self) -> None:
        record = self.selected()
        if record is not None:
            self.open_form(RevokeDialog(self.ctx, record, self))

    def record_report(self) -> None:
        record = self.selected()
        if record is not None:
            dialog = AnnualReportDialog(self.ctx, record, self)
            dialog.saved.connect(lambda _r: self._selection_changed())
            dialog.open()
