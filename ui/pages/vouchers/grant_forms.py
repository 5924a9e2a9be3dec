"""The forms of a grant's first steps: 申领 (with the holder's cap explained before saving), 发放 and 作废."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QButtonGroup, QComboBox, QHBoxLayout, QLineEdit, QPlainTextEdit, QRadioButton, QWidget

from services.errors import UserFacingError, ValidationError
from services.progress import Progress
from services.register import search_enterprises
from services.voucher_list import GrantOptions
from services.voucher_records import CapStatus, GrantDetail
from services.voucher_rules import wan_text
from services.vouchers import GrantInput, apply_grant, cap_status, issue_grant, set_grant_notes, void_grant
from ui.context import AppContext
from ui.operations import Op
from ui.pages.vouchers.fields import (
    VOUCHERS,
    MoneyEdit,
    entry_problems,
    explain,
    explanation,
    show_above_buttons,
    year_spin,
)
from ui.widgets.dates import DateEdit
from ui.widgets.form_dialog import FormDialog

SEARCH_DELAY_MS = 250


class CapExplained(FormDialog):
    """A form that shows the holder's cap of the year under its fields and warns when the amount exceeds it."""

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None) -> None:
        super().__init__(ctx, title, parent, changes=VOUCHERS)
        self.cap: CapStatus | None = None
        self.explanation = explanation()
        show_above_buttons(self, self.explanation)

    def amount_edit(self) -> MoneyEdit:
        raise NotImplementedError

    def load_cap(self, fn: Callable[[], CapStatus]) -> Op[CapStatus]:
        """Ask the service for the cap (on the database worker) and explain it."""
        self.cap = None
        explain(self.explanation, "正在核对年度额度…")
        return Op(self, lambda _p: fn()).success(self._cap_loaded).failure(self._cap_failed).run(self.ctx.runner)

    def _cap_loaded(self, cap: CapStatus) -> None:
        self.cap = cap
        self.show_cap()

    def _cap_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserFacingError):
            raise exc
        problems = exc.problems if isinstance(exc, ValidationError) else {}
        explain(self.explanation, "；".join(problems.values()) or str(exc), warning=True)

    def show_cap(self) -> None:
        if self.cap is None:
            return
        amount = self.amount_edit().amount()
        over = self.cap.refusal(amount) if amount is not None else ""
        explain(self.explanation, over or self.cap.text(), warning=bool(over))


class ApplyDialog(CapExplained):
    """申领: an enterprise of the register, or a maker team with its 众创空间; the year, amount and day."""

    def __init__(self, ctx: AppContext, options: GrantOptions, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(ctx, "创新券申领", parent)
        self.today = today or dt.date.today()
        self.kind_group = QButtonGroup(self)
        self.as_enterprise, self.as_team = QRadioButton("企业"), QRadioButton("创客团队")
        self.as_enterprise.setChecked(True)
        kinds = QWidget()
        kinds_row = QHBoxLayout(kinds)
        kinds_row.setContentsMargins(0, 0, 0, 0)
        for button in (self.as_enterprise, self.as_team):
            self.kind_group.addButton(button)
            kinds_row.addWidget(button)
        kinds_row.addStretch(1)
        self.search = QLineEdit()
        self.search.setObjectName("enterprise_search")
        self.search.setPlaceholderText("输入企业名称、信用代码或拼音首字母")
        self.enterprise = QComboBox()
        self.enterprise.setObjectName("enterprise_choice")
        self.team = QLineEdit()
        self.team.setObjectName("team_name")
        self.space = QComboBox()
        for space_id, name in options.maker_spaces:
            self.space.addItem(name, space_id)
        self.year = year_spin(self.today.year)
        self.applied_on = DateEdit()
        self.applied_on.set_date(self.today)
        self.amount = MoneyEdit()
        self.amount.setObjectName("amount")
        self.voucher_no = QLineEdit()
        self.voucher_no.setPlaceholderText("留空则自动编号")
        self.notes = QLineEdit()
        form = self.form
        form.add("holder", "申领对象", kinds)
        form.add("enterprise_search", "查找企业", self.search)
        form.add("enterprise_id", "企业", self.enterprise, required=True)
        form.add("maker_team_name", "创客团队", self.team, required=True)
        form.add("carrier_id", "所在众创空间", self.space, required=True)
        form.add("year", "年度", self.year, required=True)
        form.add("applied_on", "申领日期", self.applied_on, required=True)
        form.add("amount_applied_wan", "申领金额（万元）", self.amount, required=True)
        form.add("voucher_no", "券号", self.voucher_no)
        form.add("notes", "备注", self.notes)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.find_enterprises)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.kind_group.buttonToggled.connect(lambda _b, _on: self._kind_changed())
        for signal in (self.enterprise.currentIndexChanged, self.space.currentIndexChanged, self.year.valueChanged):
            signal.connect(lambda *_a: self.refresh_cap())
        self.team.editingFinished.connect(self.refresh_cap)
        self.amount.textChanged.connect(lambda _t: self.show_cap())
        self._kind_changed()
        self.resize(self.sizeHint().width() + 200, self.sizeHint().height())

    def amount_edit(self) -> MoneyEdit:
        return self.amount

    def _kind_changed(self) -> None:
        team = self.as_team.isChecked()
        for key, shown in (("enterprise_search", not team), ("enterprise_id", not team), ("maker_team_name", team),
                           ("carrier_id", team)):
            self.form.editor(key).setVisible(shown)
            item = self.form.grid.itemAtPosition(self.form.keys().index(key) * 2, 0)  # the label left of the editor
            caption = item.widget() if item is not None else None
            if caption is not None:
                caption.setVisible(shown)
        self.refresh_cap()

    def find_enterprises(self) -> Op[list[Any]]:
        db, text = self.ctx.opened.db, self.search.text().strip()
        return Op(self, lambda _p: search_enterprises(db, text, limit=30)).success(self._found) \
            .run(self.ctx.runner)

    def _found(self, rows: list[Any]) -> None:
        self.enterprise.clear()
        for row in rows:
            self.enterprise.addItem(f"{row.name}（{row.uscc or '无信用代码'}）", row.id)
        if not rows:
            explain(self.explanation, "没有找到该企业；创新券只能发给企业库中的企业，请先在企业库登记。", warning=True)

    def _holder(self) -> dict[str, Any]:
        if self.as_team.isChecked():
            return {"maker_team_name": self.team.text().strip() or None, "carrier_id": self.space.currentData()}
        return {"enterprise_id": self.enterprise.currentData()}

    def refresh_cap(self) -> None:
        holder = self._holder()
        if not any(v for v in holder.values()) or (self.as_team.isChecked() and not holder["maker_team_name"]):
            self.cap = None
            explain(self.explanation, "选择申领对象后，这里显示其本年度已申领金额和上限。")
            return
        db, year = self.ctx.opened.db, self.year.value()
        self.load_cap(lambda: cap_status(db, year, **holder))

    def work(self) -> Callable[[Progress], Any]:
        problems = entry_problems(applied_on=self.applied_on, amount_applied_wan=self.amount)
        if problems:
            raise ValidationError(problems)
        data = GrantInput(self.year.value(), self.amount.amount(), self.applied_on.date(),  # type: ignore[arg-type]
                          voucher_no=self.voucher_no.text().strip() or None, notes=self.notes.text(),
                          **self._holder())
        db, today = self.ctx.opened.db, self.today
        return lambda _p: apply_grant(db, data, today=today)


class IssueDialog(CapExplained):
    """发放: the amount granted (at most the amount applied for) and the day, with the cap explained."""

    def __init__(self, ctx: AppContext, detail: GrantDetail, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(ctx, f"发放创新券 {detail.voucher_no}", parent)
        self.detail, self.today = detail, today or dt.date.today()
        self.amount = MoneyEdit()
        self.amount.set_amount(detail.amount_applied_wan)
        self.issued_on = DateEdit()
        self.issued_on.set_date(min(self.today, dt.date(detail.year, 12, 31)))
        self.form.add("amount_issued_wan", "发放金额（万元）", self.amount, required=True,
                      hint=f"申领 {wan_text(detail.amount_applied_wan)}")
        self.form.add("issued_on", "发放日期", self.issued_on, required=True)
        self.amount.textChanged.connect(lambda _t: self.show_cap())
        db = ctx.opened.db
        holder = ({"enterprise_id": detail.enterprise_id} if detail.enterprise_id is not None else
                  {"maker_team_name": detail.holder_name, "carrier_id": detail.carrier_id})
        self.load_cap(lambda: cap_status(db, detail.year, exclude_id=detail.id, **holder))

    def amount_edit(self) -> MoneyEdit:
        return self.amount

    def work(self) -> Callable[[Progress], Any]:
        problems = entry_problems(amount_issued_wan=self.amount, issued_on=self.issued_on)
        if problems:
            raise ValidationError(problems)
        db, grant_id, today = self.ctx.opened.db, self.detail.id, self.today
        amount, day = self.amount.amount(), self.issued_on.date()
        return lambda _p: issue_grant(db, grant_id, amount, day, today=today)  # type: ignore[arg-type]


class VoidDialog(FormDialog):
    """作废: withdraw an application or void an unused grant, with the reason."""

    def __init__(self, ctx: AppContext, detail: GrantDetail, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"作废创新券 {detail.voucher_no}", parent, changes=VOUCHERS)
        self.detail = detail
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("如：企业撤回申请、重复申领")
        self.on = DateEdit()
        self.on.set_date(dt.date.today())
        self.form.add("reason", "作废原因", self.reason, required=True)
        self.form.add("on", "作废日期", self.on)

    def work(self) -> Callable[[Progress], Any]:
        problems = entry_problems(on=self.on)
        if problems:
            raise ValidationError(problems)
        db, grant_id, reason, on = self.ctx.opened.db, self.detail.id, self.reason.text(), self.on.date()
        return lambda _p: void_grant(db, grant_id, reason, on=on)


class NotesDialog(FormDialog):
    """备注 of a grant (kept as typed; a void's reason is kept there too)."""

    def __init__(self, ctx: AppContext, detail: GrantDetail, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"创新券 {detail.voucher_no} 的备注", parent, changes=VOUCHERS)
        self.detail = detail
        self.notes = QPlainTextEdit(detail.notes or "")
        self.notes.setObjectName("notes")
        self.form.add("notes", "备注", self.notes)
        self.resize(self.sizeHint().width() + 200, self.sizeHint().height())

    def work(self) -> Callable[[Progress], Any]:
        db, grant_id, notes = self.ctx.opened.db, self.detail.id, self.notes.toPlainText()
        return lambda _p: set_grant_notes(db, grant_id, notes)
