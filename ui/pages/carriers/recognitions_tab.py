"""认定与级别: the carrier's recognitions over time and, for the selected one, its status history (认定 → 整改 → 摘牌),
each change with its date and document number."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QGroupBox, QLineEdit, QPushButton, QVBoxLayout, QWidget

from services.carrier_recognitions import (
    LEVEL_LABELS,
    LEVELS,
    START_STATUSES,
    SUBTYPES,
    RecognitionInput,
    RecognitionRecord,
    add_recognition,
    change_status,
    list_recognitions,
    remove_recognition,
    undo_last_change,
)
from services.carriers import CarrierOptions
from services.progress import Progress
from ui.context import AppContext
from ui.pages.carriers.tabs import CHANGES, CarrierTab
from ui.widgets.dates import DateEdit
from ui.widgets.form_dialog import FormDialog
from ui.widgets.records import Column, Record, RecordView


class RecognitionDialog(FormDialog):
    """新增认定: level, kind, subtype, date, initial status and the document."""

    def __init__(self, ctx: AppContext, options: CarrierOptions, carrier_id: int, kind_code: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "新增认定", parent, changes=CHANGES)
        self.carrier_id = carrier_id
        self.level = QComboBox()
        for level in LEVELS:
            self.level.addItem(LEVEL_LABELS[level], level)
        self.level.setCurrentIndex(self.level.findData("市"))
        self.kind = QComboBox()
        for kind in options.kinds:
            self.kind.addItem(kind.name, kind.code)
        self.kind.setCurrentIndex(max(self.kind.findData(kind_code), 0))
        self.subtype = QComboBox()
        self.subtype.addItem("（无）", None)
        for subtype in SUBTYPES:
            self.subtype.addItem(subtype, subtype)
        self.recognized_on = DateEdit()
        self.status = QComboBox()
        self.status.addItems(START_STATUSES)
        self.doc_no = QLineEdit()
        self.doc_no.setPlaceholderText("如 杭科高〔2019〕8号")
        self.notes = QLineEdit()
        f = self.form
        f.add("level", "级别", self.level, required=True)
        f.add("kind_code", "认定类型", self.kind, hint="与载体本身类型不同时选择（如孵化器另备案为众创空间）")
        f.add("subtype", "类别", self.subtype, hint="众创空间：标准化/专业化示范/国际化示范；综合体：创建/培育")
        f.add("recognized_on", "认定日期", self.recognized_on, required=True)
        f.add("status", "状态", self.status)
        f.add("doc_no", "文号", self.doc_no)
        f.add("notes", "备注", self.notes)
        self.resize(self.sizeHint().width() + 160, self.sizeHint().height())

    def work(self) -> Callable[[Progress], Any]:
        data = RecognitionInput(level=self.level.currentData(),
                                recognized_on=self.recognized_on.required("recognized_on"),
                                status=self.status.currentText(), subtype=self.subtype.currentData(),
                                kind_code=self.kind.currentData(), doc_no=self.doc_no.text(),
                                notes=self.notes.text())
        db, cid = self.ctx.opened.db, self.carrier_id
        return lambda _p: add_recognition(db, cid, data)


class StatusDialog(FormDialog):
    """变更状态: the new status, its date and the document that said so."""

    def __init__(self, ctx: AppContext, record: RecognitionRecord, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"变更状态：{record.title}（现为{record.status}）", parent, changes=CHANGES)
        self.record = record
        self.status = QComboBox()
        self.status.addItems(record.next_statuses)
        self.changed_on = DateEdit()
        self.changed_on.set_date(dt.date.today())
        self.doc_no = QLineEdit()
        self.notes = QLineEdit()
        self.notes.setPlaceholderText("如 年度评价不合格，限期整改")
        self.form.add("status", "新状态", self.status, required=True, hint="摘牌后认定终止，不再计入统计")
        self.form.add("changed_on", "变更日期", self.changed_on, required=True)
        self.form.add("doc_no", "文号", self.doc_no)
        self.form.add("notes", "说明", self.notes)
        self.resize(self.sizeHint().width() + 120, self.sizeHint().height())

    def work(self) -> Callable[[Progress], Any]:
        day = self.changed_on.required("changed_on")
        db, rid, status = self.ctx.opened.db, self.record.id, self.status.currentText()
        doc, notes = self.doc_no.text(), self.notes.text()
        return lambda _p: change_status(db, rid, status, day, doc_no=doc, notes=notes)


class RecognitionsTab(CarrierTab):
    """The recognitions table, the selected one's status history, and their actions.

    Attributes:
        kind_code: The carrier's own kind (the default of a new recognition).
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.kind_code = "incubator"
        self.table = RecordView([Column("认定"), Column("认定日期"), Column("当前状态"), Column("文号"),
                                 Column("终止日期"), Column("是否有效")])
        self.table.setObjectName("recognitions_table")
        self.events = RecordView([Column("日期"), Column("状态"), Column("文号"), Column("说明")])
        self.events.setObjectName("events_table")
        self.add_button = QPushButton("新增认定…")
        self.status_button = QPushButton("变更状态…")
        self.undo_button = QPushButton("撤回上次变更")
        self.remove_button = QPushButton("删除认定…")
        self.events_box = QGroupBox("状态变更记录")
        box = QVBoxLayout(self.events_box)
        box.addWidget(self.events)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        layout.addLayout(self.button_row(self.add_button, self.status_button, self.undo_button, self.remove_button))
        layout.addWidget(self.table, 3)
        layout.addWidget(self.events_box, 2)
        self.add_button.clicked.connect(self.new_recognition)
        self.status_button.clicked.connect(self.change_status)
        self.undo_button.clicked.connect(self.undo)
        self.remove_button.clicked.connect(self.remove)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        self._selection_changed()

    def fetch(self, db: Any, carrier_id: int) -> list[RecognitionRecord]:
        return list_recognitions(db, carrier_id)

    def show_data(self, data: list[RecognitionRecord]) -> None:
        self.table.set_records([
            Record(r.id, (r.title, r.recognized_on, r.status, r.doc_no, r.ended_on, "有效" if r.in_force else "已终止"),
                   "muted" if not r.in_force else "urgent" if r.status == "整改" else None)
            for r in data])
        if self.table.current_key() is None and data:
            self.table.select_key(data[-1].id)
        self._selection_changed()

    def selected(self) -> RecognitionRecord | None:
        key = self.table.current_key()
        return next((r for r in self.data or () if r.id == key), None)

    def _selection_changed(self) -> None:
        record = self.selected()
        self.status_button.setEnabled(record is not None and bool(record.next_statuses))
        self.undo_button.setEnabled(record is not None and len(record.events) > 1)
        self.remove_button.setEnabled(record is not None)
        self.events_box.setTitle(f"状态变更记录（{record.title}）" if record else "状态变更记录")
        self.events.set_records([Record(e.id, (e.changed_on, e.status, e.doc_no, e.notes),
                                        "overdue" if e.status == "摘牌" else "urgent" if e.status == "整改" else None)
                                 for e in (record.events if record else ())])

    def new_recognition(self) -> RecognitionDialog | None:
        if self.options is None or self.carrier_id is None:
            return None
        dialog = RecognitionDialog(self.ctx, self.options, self.carrier_id, self.kind_code, self)
        self.open_form(dialog)
        return dialog

    def change_status(self) -> StatusDialog | None:
        record = self.selected()
        if record is None or not record.next_statuses:
            return None
        dialog = StatusDialog(self.ctx, record, self)
        self.open_form(dialog)
        return dialog

    def undo(self) -> None:
        record, db = self.selected(), self.ctx.opened.db
        if record is not None and len(record.events) > 1:
            last = record.events[-1]
            self.confirm_and_run(f"撤回“{record.title}”于 {last.changed_on.isoformat()} 的“{last.status}”？", "撤回",
                                 lambda _p: undo_last_change(db, record.id))

    def remove(self) -> None:
        record, db = self.selected(), self.ctx.opened.db
        if record is not None:
            self.confirm_and_run(f"删除认定“{record.title}”及其全部状态记录？（录入有误时使用）", "删除",
                                 lambda _p: remove_recognition(db, record.id))
