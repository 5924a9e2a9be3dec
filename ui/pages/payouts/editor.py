"""One notice: its fields, its payments grid with live shares and totals, the workflow steps, export and delete.

A draft is edited here and saved as a whole (fields and payments in one unit of work); an audited, publicised or
approved notice is shown read-only with the reason. 批准 is shown to managers only — the service refuses clerks
anyway. The questions the editor asks (unsaved changes, a date, a file, payees) are attributes so that tests can
answer them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from services.errors import ValidationError
from services.payouts import (
    DRAFT,
    PROGRAMMES,
    PUBLICIZED,
    NoticeDetail,
    NoticeInput,
    NoticeOptions,
    PayeeRow,
    PaymentInput,
    notice_detail,
)
from services.payouts_edit import create_notice, delete_notice, update_notice
from services.payouts_export import default_file_name, export_notice
from services.payouts_workflow import (
    NEXT_STEPS,
    approve_notice,
    audit_notice,
    mark_paid,
    publicize_notice,
    return_to_draft,
)
from services.progress import Progress
from services.users import current_actor
from ui.context import AppContext
from ui.errors import inform, show_error
from ui.operations import Changes, Op
from ui.pages.payouts.notice_form import NoticeForm
from ui.pages.payouts.payee_dialog import PayeeDialog
from ui.pages.payouts.payments_model import GridRow, PaymentsModel, grid_row, wan_text
from ui.pages.style import scaled_font
from ui.widgets.dates import parse_date
from ui.widgets.form_field import ERROR_COLOR
from ui.widgets.questions import Unsaved, ask_unsaved, confirm
from ui.widgets.unsaved import CloseGuard, unless_unsaved

CHANGES = Changes(payout=True)
WARNING_COLOR = "#b25e00"


def _ask_date(parent: QWidget, title: str, label: str) -> dt.date | None:
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, dt.date.today().isoformat())
    if not ok:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        show_error(parent, ValidationError({"date": str(exc)}))
        return None


def _banner(detail: NoticeDetail | None, status: str, manager: bool) -> str:
    """Why the notice cannot be edited (nothing for a draft)."""
    if detail is None or detail.editable:
        return ""
    if detail.approved_by or detail.approved_at:
        when = f"于 {detail.approved_at.astimezone():%Y-%m-%d} " if detail.approved_at else ""
        return f"已{when}由{detail.approved_by or '领导'}批准，不能再修改。"
    waiting = "等待科长/局领导批准。" if status == PUBLICIZED and not manager else ""
    return f"{status}，不能直接修改；如需更正，请先“退回草稿”。{waiting}"


def _choose_path(parent: QWidget, suggested: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, "导出兑现名单", suggested, "Excel 工作簿 (*.xlsx)")
    return Path(name) if name else None


class NoticeEditor(QWidget):
    """The notice on the right of the page.

    Attributes:
        notice_id: The notice shown (None: a new one not yet saved).
        detail: It as last read.
        form: The fields; payments: the grid's model; grid: its view.
        ask / confirm / ask_date / choose_path / choose_payees: The questions asked (tests replace them).

    Signals:
        changed(int): a notice was saved or moved on a step (its id).
        removed(): the notice shown was deleted.
    """

    changed = Signal(int)
    removed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.notice_id: int | None = None
        self.detail: NoticeDetail | None = None
        self.options: NoticeOptions | None = None
        self._dirty = False
        self._busy = False
        self.ask: Callable[[QWidget, str], Unsaved] = ask_unsaved
        self.confirm: Callable[[QWidget, str], bool] = confirm
        self.ask_date: Callable[[QWidget, str, str], dt.date | None] = _ask_date
        self.choose_path: Callable[[QWidget, str], Path | None] = _choose_path
        self.choose_payees: Callable[[], tuple[list[PayeeRow], Decimal | None]] = self._payee_dialog

        self.heading = QLabel("新建兑现通知")
        self.heading.setFont(scaled_font(self.heading, 1.2, bold=True))
        self.heading.setWordWrap(True)
        self.banner = QLabel()
        self.banner.setObjectName("notice_banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.form = NoticeForm()
        self.form.edited.connect(self._edited)
        self._build_steps()
        self._build_grid()
        self.save_button = QPushButton("保存")
        self.save_button.setToolTip("保存通知和兑现名单（Ctrl+S）")
        self.export_button = QPushButton("导出名单…")
        self.delete_button = QPushButton("删除通知…")
        self.status = QLabel()
        self.status.setObjectName("editor_status")
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        for button in (self.delete_button, self.export_button, self.save_button):
            bottom.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.banner)
        layout.addWidget(self.form)
        layout.addLayout(self.steps_row)
        layout.addLayout(self.grid_buttons)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.warnings)
        layout.addWidget(self.message)
        layout.addLayout(bottom)
        self.save_button.clicked.connect(lambda: self.save())
        self.export_button.clicked.connect(self.export)
        self.delete_button.clicked.connect(self.delete)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self).activated.connect(lambda: self.save())
        self.close_guard = CloseGuard(self, self.dirty, self.unless_unsaved)
        self.new_notice()

    # -- building -----------------------------------------------------------------------------------------------------

    def _build_steps(self) -> None:
        self.status_label = QLabel()
        self.status_label.setObjectName("notice_status")
        self.audit_button = QPushButton("审核通过")
        self.publicize_button = QPushButton("登记公示…")
        self.approve_button = QPushButton("批准")
        self.approve_button.setToolTip("科长/局领导批准后方可兑付")
        self.pay_button = QPushButton("登记兑付…")
        self.pay_button.setToolTip("登记所选（未选则全部未兑付）兑现记录的兑付日期")
        self.return_button = QPushButton("退回草稿")
        self.steps_row = QHBoxLayout()
        self.steps_row.addWidget(QLabel("状态："))
        self.steps_row.addWidget(self.status_label)
        self.steps_row.addStretch(1)
        self.step_buttons = {"audit": self.audit_button, "publicize": self.publicize_button,
                             "approve": self.approve_button, "pay": self.pay_button, "return": self.return_button}
        for button in self.step_buttons.values():
            self.steps_row.addWidget(button)
        self.audit_button.clicked.connect(self.audit)
        self.publicize_button.clicked.connect(self.publicize)
        self.approve_button.clicked.connect(self.approve)
        self.pay_button.clicked.connect(self.pay)
        self.return_button.clicked.connect(self.return_to_draft)

    def _build_grid(self) -> None:
        self.payments = PaymentsModel(self)
        self.payments.changed = self._payments_edited
        self.grid = QTableView()
        self.grid.setObjectName("payments_grid")
        self.grid.setModel(self.payments)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.grid.setAlternatingRowColors(True)
        self.grid.horizontalHeader().setStretchLastSection(True)
        self.add_button = QPushButton("添加兑现对象…")
        self.remove_button = QPushButton("删除所选行")
        self.grid_buttons = QHBoxLayout()
        self.grid_buttons.addWidget(QLabel("兑现名单"))
        self.grid_buttons.addStretch(1)
        self.grid_buttons.addWidget(self.add_button)
        self.grid_buttons.addWidget(self.remove_button)
        self.add_button.clicked.connect(self.add_payees)
        self.remove_button.clicked.connect(self.remove_selected)
        self.totals = QLabel()
        self.totals.setObjectName("payments_totals")
        self.warnings = QLabel()
        self.warnings.setObjectName("notice_warnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(f"color: {WARNING_COLOR};")
        self.message = QLabel()
        self.message.setObjectName("notice_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOR};")

    # -- showing ------------------------------------------------------------------------------------------------------

    def set_options(self, options: NoticeOptions) -> None:
        """The programmes offered and the district's share (from the list's load)."""
        self.options = options
        self.form.district = options.district
        self.form.set_programmes((*options.programmes, *PROGRAMMES))
        if self.notice_id is None:
            self.payments.city_pct = options.city_share_pct

    def dirty(self) -> bool:
        return self._dirty

    def new_notice(self) -> None:
        """An empty draft: cohort last year, issued today."""
        self.notice_id, self.detail = None, None
        self._fill_fields(NoticeForm.blank(dt.date.today()))
        pct = self.options.city_share_pct if self.options is not None else 50
        self.payments.set_rows([], pct, True)
        self._show_state(None)
        self.form.title_edit.setFocus()

    def open_notice(self, notice_id: int) -> None:
        """Read the notice and show it (unsaved changes must have been dealt with)."""
        self.notice_id = notice_id
        db = self.ctx.opened.db
        Op(self, lambda _p: notice_detail(db, notice_id)).success(self.show_detail) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)

    def show_detail(self, detail: NoticeDetail) -> None:
        if detail.id != self.notice_id and self.notice_id is not None:
            return
        self.notice_id, self.detail = detail.id, detail
        self._fill_fields(detail.as_input())
        self.payments.set_rows([grid_row(p, detail.city_share_pct) for p in detail.payments], detail.city_share_pct,
                               detail.editable)
        self._fit_columns()
        self._show_state(detail)

    def _fill_fields(self, data: NoticeInput) -> None:
        self.form.fill(data)
        self._dirty = False
        self.message.clear()

    def _show_state(self, detail: NoticeDetail | None) -> None:
        editable = detail is None or detail.editable
        self.heading.setText(detail.title if detail is not None else "新建兑现通知")
        self.form.set_editable(editable)
        for button in (self.add_button, self.remove_button, self.save_button):
            button.setEnabled(editable)
        self.delete_button.setEnabled(detail is not None and editable)
        self.export_button.setEnabled(detail is not None)
        status = detail.status if detail is not None else DRAFT
        self.status_label.setText(status if detail is not None else "草稿（未保存）")
        allowed = NEXT_STEPS[status] if detail is not None else ()
        manager = current_actor().role in ("manager", "admin")
        for key, button in self.step_buttons.items():
            button.setVisible(key in allowed and (key != "approve" or manager))
        banner = _banner(detail, status, manager)
        self.banner.setText(banner)
        self.banner.setVisible(bool(banner))
        self.warnings.setText("\n".join(detail.warnings) if detail is not None else "")
        self.warnings.setVisible(bool(detail is not None and detail.warnings))
        self._show_totals()
        self.status.setText("")

    def _fit_columns(self) -> None:
        """Columns as wide as their contents, names at most about 20 characters."""
        self.grid.resizeColumnsToContents()
        limit = self.fontMetrics().horizontalAdvance("M") * 20
        for col in range(self.payments.columnCount()):
            self.grid.setColumnWidth(col, min(self.grid.columnWidth(col) + 8, limit))

    def _show_totals(self) -> None:
        total, city, district = self.payments.totals()
        self.totals.setText(f"合计：{len(self.payments.rows)} 笔，兑现金额 {wan_text(total)} 万元"
                            f"（市级资金 {wan_text(city)} 万元，区级资金 {wan_text(district)} 万元；"
                            f"市级分担 {self.payments.city_pct}%）")

    # -- editing ------------------------------------------------------------------------------------------------------

    def _edited(self) -> None:
        self._dirty = True
        self.status.setText("有未保存的修改")

    def _payments_edited(self) -> None:
        self._show_totals()
        self._edited()

    def add_payees(self) -> None:
        payees, amount = self.choose_payees()
        programme = self.form.programme.currentText().strip()
        self.payments.add_rows([GridRow(None, p.kind, p.id, p.name, p.uscc, p.subdistrict, programme, amount, None)
                                for p in payees])
        self._fit_columns()

    def _payee_dialog(self) -> tuple[list[PayeeRow], Decimal | None]:
        dialog = PayeeDialog(self.ctx, self)
        if not dialog.exec():
            return [], None
        return dialog.chosen(), dialog.amount_wan()

    def remove_selected(self) -> None:
        self.payments.remove_rows([index.row() for index in self.grid.selectionModel().selectedRows()])

    def collect(self) -> tuple[NoticeInput, list[PaymentInput]]:
        """The notice and payments as entered; raises ValidationError for what can be told here."""
        unreadable = [f"第{n}行：{r.problem}" for n, r in enumerate(self.payments.rows, start=1) if r.problem]
        if unreadable:
            raise ValidationError({"payments": "；".join(unreadable)})
        data = self.form.input(self.detail.district_id if self.detail is not None else None)
        return data, [r.as_input() for r in self.payments.rows]

    def save(self, after: Callable[[], None] | None = None) -> None:
        """Save the draft (fields and payments together); then run ``after``."""
        if self._busy or (self.detail is not None and not self.detail.editable):
            return
        try:
            data, payments = self.collect()
        except ValidationError as exc:
            self._invalid(exc)
            return
        db, notice_id, opened = self.ctx.opened.db, self.notice_id, self.detail

        def work(_progress: Progress) -> NoticeDetail:
            if notice_id is None:
                return create_notice(db, data, payments)
            return update_notice(db, notice_id, data, payments, expected=opened)

        self._run(work, "已保存", after)

    def _invalid(self, exc: ValidationError) -> None:
        rest = self.form.set_problems(exc.problems)
        self.message.setText("\n".join(rest.values()))
        self.status.setText("有错误，未保存")

    def _run(self, work: Callable[[Progress], NoticeDetail], done: str,
             after: Callable[[], None] | None = None) -> None:
        self._busy = True
        self.message.clear()

        def succeeded(detail: NoticeDetail) -> None:
            self.notice_id = detail.id
            self.show_detail(detail)
            self.status.setText(done)
            self.changed.emit(detail.id)
            if after is not None:
                after()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ValidationError):
                self._invalid(exc)
            else:
                show_error(self, exc, sink=self.ctx.sink)

        Op(self, work).changes(CHANGES).success(succeeded).failure(failed) \
            .on_done(lambda: setattr(self, "_busy", False)).run(self.ctx.runner)

    def unless_unsaved(self, then: Callable[[], None]) -> bool:
        """Run ``then`` now, or after saving or discarding unsaved changes; False when the user cancels."""
        name = self.form.title_edit.text().strip() or "新通知"
        return unless_unsaved(self, f"“{name}”有尚未保存的修改。要保存吗？", then)

    def discard(self) -> None:
        """Forget the unsaved edits (the next notice shown replaces them)."""
        self._dirty = False

    # -- workflow -----------------------------------------------------------------------------------------------------

    def _step(self, fn: Callable[[Any, int], NoticeDetail], done: str) -> None:
        if self.notice_id is None:
            return
        if self._dirty:
            self.status.setText("请先保存修改")
            return
        db, notice_id = self.ctx.opened.db, self.notice_id
        self._run(lambda _p: fn(db, notice_id), done)

    def audit(self) -> None:
        self._step(audit_notice, "已审核")

    def publicize(self) -> None:
        day = self.ask_date(self, "登记公示", "公示日期（如 2019-04-25）：")
        if day is not None:
            self._step(lambda db, i: publicize_notice(db, i, day), "已登记公示")

    def approve(self) -> None:
        self._step(approve_notice, "已批准")

    def return_to_draft(self) -> None:
        self._step(return_to_draft, "已退回草稿，可修改")

    def pay(self) -> None:
        chosen = {self.payments.rows[i.row()].payment_id for i in self.grid.selectionModel().selectedRows()}
        ids = [i for i in chosen if i is not None] or None
        which = f"所选 {len(ids)} 笔" if ids else "全部未兑付"
        day = self.ask_date(self, "登记兑付", f"兑付日期（{which}）：")
        if day is not None:
            self._step(lambda db, i: mark_paid(db, i, day, ids), "已登记兑付")

    def export(self) -> None:
        if self.detail is None:
            return
        path = self.choose_path(self, default_file_name(self.detail))
        if path is None:
            return
        db, notice_id = self.ctx.opened.db, self.detail.id
        Op(self, lambda _p: export_notice(db, notice_id, path)) \
            .success(lambda written: inform(self, f"已导出兑现名单：{written}", sink=self.ctx.sink)) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)

    def delete(self) -> None:
        if self.detail is None or not self.confirm(self, f"删除《{self.detail.title}》及其兑现名单？"):
            return
        db, notice_id = self.ctx.opened.db, self.detail.id

        def deleted(_result: object) -> None:
            self.new_notice()
            self.removed.emit()

        Op(self, lambda _p: delete_notice(db, notice_id)).changes(CHANGES).success(deleted) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)
