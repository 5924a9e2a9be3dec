"""走访: visits to the enterprise and the issues raised, closed one by one (销号)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QPushButton, QSplitter, QVBoxLayout, QWidget

from services.enterprise_records import (
    ISSUE_CLOSED,
    VISIT_KINDS,
    IssueInput,
    IssueRecord,
    VisitInput,
    VisitRecord,
    add_visit,
    close_issue,
    list_visits,
)
from services.progress import Progress
from ui.context import AppContext
from ui.operations import Changes
from ui.pages.enterprises.tab_base import RecordTab
from ui.widgets.dates import DateEdit, parse_date
from ui.widgets.form_dialog import FormDialog
from ui.widgets.records import Column, Record, RecordView


class VisitDialog(FormDialog):
    """新增走访: date, way, who went, what was talked about, and the issues raised (one per line)."""

    def __init__(self, ctx: AppContext, enterprise_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "新增走访记录", parent)
        self.enterprise_id = enterprise_id
        self.visited_on = DateEdit()
        self.visited_on.set_date(dt.date.today())
        self.kind = QComboBox()
        self.kind.addItems(VISIT_KINDS)
        self.visitors = QLineEdit()
        self.visitors.setPlaceholderText("如 蒋明伟、俞卫")
        self.summary = QPlainTextEdit()
        self.summary.setTabChangesFocus(True)
        self.issues = QPlainTextEdit()
        self.issues.setTabChangesFocus(True)
        self.issues.setPlaceholderText("每行一个问题；可在行末写办理期限，如：用地需求 2026-06-30")
        f = self.form
        f.add("visited_on", "走访日期", self.visited_on, required=True)
        f.add("kind", "方式", self.kind)
        f.add("visitors", "走访人员", self.visitors)
        f.add("summary", "走访情况", self.summary)
        f.add("issues", "企业反映的问题", self.issues)
        self.resize(self.sizeHint().width() + 200, self.sizeHint().height())

    def parsed_issues(self) -> tuple[IssueInput, ...]:
        """One issue per line, with a due date when the line ends with one."""
        found = []
        for line in self.issues.toPlainText().splitlines():
            text = line.strip()
            if not text:
                continue
            head, _sep, tail = text.rpartition(" ")
            try:
                due = parse_date(tail) if head else None
            except ValueError:
                due = None
            found.append(IssueInput(head.strip() if due else text, due_on=due))
        return tuple(found)

    def work(self) -> Callable[[Progress], Any]:
        day = self.visited_on.required("visited_on", "请填写走访日期")
        data = VisitInput(visited_on=day, kind=self.kind.currentText(), visitors=self.visitors.text() or None,
                          summary=self.summary.toPlainText() or None, issues=self.parsed_issues())
        db, eid = self.ctx.opened.db, self.enterprise_id
        return lambda _p: add_visit(db, eid, data)


class CloseIssueDialog(FormDialog):
    """办结: how an issue ended, when, and what was done."""

    def __init__(self, ctx: AppContext, issue: IssueRecord, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "问题办结（销号）", parent, changes=Changes(enterprise=True))
        self.issue = issue
        self.status = QComboBox()
        self.status.addItems(ISSUE_CLOSED)
        self.closed_on = DateEdit()
        self.closed_on.set_date(dt.date.today())
        self.resolution = QPlainTextEdit()
        self.resolution.setTabChangesFocus(True)
        self.form.add("description", "问题", QLineEdit(issue.description, readOnly=True))
        self.form.add("status", "办结情况", self.status)
        self.form.add("closed_on", "办结日期", self.closed_on, required=True)
        self.form.add("resolution", "办理结果", self.resolution, required=True)

    def work(self) -> Callable[[Progress], Any]:
        day = self.closed_on.required("closed_on", "请填写办结日期")
        db, iid = self.ctx.opened.db, self.issue.id
        status, resolution = self.status.currentText(), self.resolution.toPlainText()
        return lambda _p: close_issue(db, iid, status=status, closed_on=day, resolution=resolution)


class VisitsTab(RecordTab):
    """Visits above, the selected visit's issues below."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.visits = RecordView([Column("走访日期"), Column("方式"), Column("走访人员"),
                                  Column("未办结问题", numeric=True), Column("走访情况")])
        self.issues = RecordView([Column("问题"), Column("状态"), Column("办理期限"), Column("办结日期"),
                                  Column("办理结果")])
        self.add_button = QPushButton("新增走访…")
        self.close_button = QPushButton("问题办结…")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.visits)
        split.addWidget(self.issues)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(self.button_row(self.add_button, self.close_button))
        layout.addWidget(split)
        self.add_button.clicked.connect(self.add)
        self.close_button.clicked.connect(self.close_selected)
        self.issues.opened.connect(lambda _key: self.close_selected())
        self.visits.selectionModel().currentRowChanged.connect(lambda *_: self._show_issues())
        self.issues.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    def fetch(self, db: Any, enterprise_id: int) -> list[VisitRecord]:
        return list_visits(db, enterprise_id)

    def show_data(self, data: list[VisitRecord]) -> None:
        self.visits.set_records([
            Record(v.id, (v.visited_on, v.kind, v.visitors, v.open_issues or None, v.summary),
                   "urgent" if v.open_issues else None, v.summary or "")
            for v in data])
        if self.visits.current_key() is None and data:
            self.visits.select_key(data[0].id)
        self._show_issues()

    def _visit(self) -> VisitRecord | None:
        return next((v for v in self.data or () if v.id == self.visits.current_key()), None)

    def _show_issues(self) -> None:
        visit = self._visit()
        today = dt.date.today()
        self.issues.set_records([
            Record(i.id, (i.description, i.status, i.due_on, i.closed_on, i.resolution),
                   ("overdue" if i.due_on and i.due_on < today else None) if i.open else "muted", i.description)
            for i in (visit.issues if visit else ())])
        self._update_buttons()

    def selected_issue(self) -> IssueRecord | None:
        visit = self._visit()
        return next((i for i in (visit.issues if visit else ()) if i.id == self.issues.current_key()), None)

    def _update_buttons(self) -> None:
        issue = self.selected_issue()
        self.close_button.setEnabled(issue is not None and issue.open)

    def add(self) -> None:
        if self.enterprise_id is not None:
            self.open_form(VisitDialog(self.ctx, self.enterprise_id, self))

    def close_selected(self) -> None:
        issue = self.selected_issue()
        if issue is not None and issue.open:
            self.open_form(CloseIssueDialog(self.ctx, issue, self))
