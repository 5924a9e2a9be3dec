"""研发机构 and 培育库: the enterprise's R&D institutions and its cultivation-pool memberships."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget

from services.enterprise_records import (
    POOL_EXIT_REASONS,
    POOL_SOURCES,
    RD_KINDS,
    RD_STATUSES,
    PoolInput,
    PoolRecord,
    RDInstitutionInput,
    RDInstitutionRecord,
    add_pool_entry,
    leave_pool,
    list_pool_entries,
    list_rd_institutions,
    save_rd_institution,
)
from services.errors import ValidationError
from services.progress import Progress
from ui.context import AppContext
from ui.pages.enterprises.tab_base import Catalog, RecordTab
from ui.widgets.dates import DateEdit
from ui.widgets.form_dialog import FormDialog
from ui.widgets.records import Column, Record, RecordView

LEVELS = ("国家", "省", "市", "区")


def _year_box(value: int | None, *, optional: bool) -> QSpinBox:
    box = QSpinBox()
    box.setRange(1989 if optional else 1990, dt.date.today().year + 1)
    if optional:
        box.setSpecialValueText("（未填）")
    box.setValue(value if value is not None else (box.minimum() if optional else dt.date.today().year))
    return box


def _year(box: QSpinBox) -> int | None:
    return None if box.specialValueText() and box.value() == box.minimum() else box.value()


class RDInstitutionDialog(FormDialog):
    """Add or change an R&D institution."""

    def __init__(self, ctx: AppContext, enterprise_id: int, parent: QWidget | None = None, *,
                 record: RDInstitutionRecord | None = None) -> None:
        super().__init__(ctx, "修改研发机构" if record else "新增研发机构", parent)
        self.enterprise_id, self.record = enterprise_id, record
        self.name = QLineEdit(record.name if record else "")
        self.kind = QComboBox()
        self.kind.setEditable(True)
        self.kind.addItems(RD_KINDS)
        self.kind.setCurrentText(record.kind if record else RD_KINDS[3])
        self.level = QComboBox()
        self.level.addItems(LEVELS)
        self.level.setCurrentText(record.level if record else "市")
        self.approved_year = _year_box(record.approved_year if record else None, optional=True)
        self.approved_on = DateEdit()
        self.approved_on.set_date(record.approved_on if record else None)
        self.status = QComboBox()
        self.status.addItems(RD_STATUSES)
        self.status.setCurrentText(record.status if record else "认定")
        self.evaluated = _year_box(record.last_evaluated_year if record else None, optional=True)
        self.evaluation = QLineEdit(record.evaluation_result or "" if record else "")
        self.notes = QLineEdit(record.notes or "" if record else "")
        f = self.form
        f.add("name", "名称", self.name, required=True)
        f.add("kind", "类别", self.kind, required=True)
        f.add("level", "级别", self.level)
        f.add("approved_year", "认定年度", self.approved_year)
        f.add("approved_on", "认定日期", self.approved_on)
        f.add("status", "状态", self.status)
        f.add("last_evaluated_year", "绩效评价年度", self.evaluated)
        f.add("evaluation_result", "评价结果", self.evaluation)
        f.add("notes", "备注", self.notes)
        self.resize(self.sizeHint().width() + 160, self.sizeHint().height())

    def work(self) -> Callable[[Progress], Any]:
        if self.approved_on.problem():
            raise ValidationError({"approved_on": self.approved_on.problem()})
        data = RDInstitutionInput(
            name=self.name.text(), kind=self.kind.currentText(), level=self.level.currentText(),
            approved_year=_year(self.approved_year), approved_on=self.approved_on.date(),
            status=self.status.currentText(), last_evaluated_year=_year(self.evaluated),
            evaluation_result=self.evaluation.text() or None, notes=self.notes.text() or None)
        db, eid, rid = self.ctx.opened.db, self.enterprise_id, self.record.id if self.record else None
        return lambda _p: save_rd_institution(db, eid, data, record_id=rid)


class RDTab(RecordTab):
    """研发机构 of the enterprise."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.table = RecordView([Column("名称"), Column("类别"), Column("级别"), Column("认定年度"),
                                 Column("状态"), Column("绩效评价")])
        self.add_button = QPushButton("新增研发机构…")
        self.edit_button = QPushButton("修改…")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(self.button_row(self.add_button, self.edit_button))
        layout.addWidget(self.table)
        self.add_button.clicked.connect(lambda: self.edit(None))
        self.edit_button.clicked.connect(lambda: self.edit(self.table.current_key()))
        self.table.opened.connect(self.edit)

    def fetch(self, db: Any, enterprise_id: int) -> list[RDInstitutionRecord]:
        return list_rd_institutions(db, enterprise_id)

    def show_data(self, data: list[RDInstitutionRecord]) -> None:
        self.table.set_records([
            Record(r.id, (r.name, r.kind, r.level, r.approved_year, r.status,
                          f"{r.last_evaluated_year}年 {r.evaluation_result or ''}" if r.last_evaluated_year else ""),
                   "muted" if r.status == "撤销" else None)
            for r in data])

    def edit(self, key: Any) -> None:
        if self.enterprise_id is None:
            return
        record = next((r for r in self.data or () if r.id == key), None)
        self.open_form(RDInstitutionDialog(self.ctx, self.enterprise_id, self, record=record))


class PoolDialog(FormDialog):
    """入库: put the enterprise into a cultivation pool."""

    def __init__(self, ctx: AppContext, catalog: Catalog, enterprise_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "加入培育库", parent)
        self.enterprise_id = enterprise_id
        self.kind = QComboBox()
        self.kind.addItems(catalog.options.pool_kinds)
        self.target = QComboBox()
        for code, short in catalog.options.qualification_types:
            self.target.addItem(short, code)
        self.year = _year_box(None, optional=False)
        self.entered_on = DateEdit()
        self.entered_on.set_date(dt.date.today())
        self.source = QComboBox()
        self.source.setEditable(True)
        self.source.addItems(POOL_SOURCES)
        self.subdistrict = QComboBox()
        self.subdistrict.addItem("（未填）", None)
        for sid, name in catalog.options.subdistricts:
            self.subdistrict.addItem(name, sid)
        f = self.form
        f.add("pool_kind", "培育库", self.kind, required=True)
        f.add("target_type_code", "目标资质", self.target)
        f.add("year", "年度", self.year)
        f.add("entered_on", "入库日期", self.entered_on, required=True)
        f.add("source", "来源", self.source)
        f.add("subdistrict_id", "推荐属地", self.subdistrict)

    def work(self) -> Callable[[Progress], Any]:
        day = self.entered_on.required("entered_on", "请填写入库日期")
        data = PoolInput(pool_kind=self.kind.currentText(), year=self.year.value(), entered_on=day,
                         target_type_code=self.target.currentData(), source=self.source.currentText() or None,
                         subdistrict_id=self.subdistrict.currentData())
        db, eid = self.ctx.opened.db, self.enterprise_id
        return lambda _p: add_pool_entry(db, eid, data)


class LeavePoolDialog(FormDialog):
    """出库: the day and the reason the enterprise left the pool."""

    def __init__(self, ctx: AppContext, entry: PoolRecord, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"移出{entry.year}年{entry.pool_kind}", parent)
        self.entry = entry
        self.left_on = DateEdit()
        self.left_on.set_date(dt.date.today())
        self.reason = QComboBox()
        self.reason.addItems(POOL_EXIT_REASONS)
        self.form.add("left_on", "出库日期", self.left_on, required=True)
        self.form.add("exit_reason", "原因", self.reason)

    def work(self) -> Callable[[Progress], Any]:
        day = self.left_on.required("left_on", "请填写出库日期")
        db, eid, reason = self.ctx.opened.db, self.entry.id, self.reason.currentText()
        return lambda _p: leave_pool(db, eid, left_on=day, exit_reason=reason)


class PoolsTab(RecordTab):
    """培育库 memberships, current and past."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.table = RecordView([Column("培育库"), Column("年度"), Column("目标资质"), Column("来源"),
                                 Column("推荐属地"), Column("入库日期"), Column("出库日期"), Column("出库原因")])
        self.add_button = QPushButton("加入培育库…")
        self.leave_button = QPushButton("移出…")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(self.button_row(self.add_button, self.leave_button))
        layout.addWidget(self.table)
        self.add_button.clicked.connect(self.add)
        self.leave_button.clicked.connect(self.leave)

    def fetch(self, db: Any, enterprise_id: int) -> list[PoolRecord]:
        return list_pool_entries(db, enterprise_id)

    def show_data(self, data: list[PoolRecord]) -> None:
        today = dt.date.today()
        self.table.set_records([
            Record(p.id, (p.pool_kind, p.year, p.target_type, p.source, p.subdistrict, p.entered_on, p.left_on,
                          p.exit_reason), None if p.current(today) else "muted")
            for p in data])

    def add(self) -> None:
        if self.catalog is not None and self.enterprise_id is not None:
            self.open_form(PoolDialog(self.ctx, self.catalog, self.enterprise_id, self))

    def leave(self) -> None:
        entry = next((p for p in self.data or () if p.id == self.table.current_key()), None)
        if entry is not None and entry.left_on is None:
            self.open_form(LeavePoolDialog(self.ctx, entry, self))
