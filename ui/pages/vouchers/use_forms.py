"""The forms of a grant's later steps: 登记使用 (with the balance and ratio limit explained before saving), evidence,
申请兑现 and its audit (with the city's and the district's share shown before saving)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from services.errors import UserFacingError, ValidationError
from services.progress import Progress
from services.providers import ProviderInfo, list_providers
from services.voucher_records import GrantDetail, RedemptionRecord, UseRecord
from services.voucher_redemptions import apply_redemption, audit_redemption
from services.voucher_rules import SERVICE_TYPES, percent_text, split_cofund, wan_text
from services.voucher_uses import UseInput, UseLimit, add_evidence, add_use, update_use, use_limit
from ui.context import AppContext
from ui.operations import Op
from ui.pages.enterprises.attachments_tab import AttachmentDialog
from ui.pages.vouchers.fields import VOUCHERS, MoneyEdit, entry_problems, explain, explanation, show_above_buttons
from ui.widgets.dates import DateEdit
from ui.widgets.form_dialog import FormDialog


class UseDialog(FormDialog):
    """登记使用 (or 修改 a use not yet put forward for redemption): the provider, service, contract and amounts; the
    most the voucher may cover is shown as it is typed."""

    def __init__(self, ctx: AppContext, detail: GrantDetail, parent: QWidget | None = None, *,
                 use: UseRecord | None = None, today: dt.date | None = None) -> None:
        super().__init__(ctx, f"{'修改' if use else '登记'}创新券 {detail.voucher_no} 的使用", parent,
                         changes=VOUCHERS)
        self.detail, self.use, self.today = detail, use, today or dt.date.today()
        self.limit: UseLimit | None = None
        self.provider = QComboBox()
        self.provider.setObjectName("provider")
        self.service = QComboBox()
        self.service.addItems(SERVICE_TYPES)
        self.contract_no = QLineEdit()
        self.contract_no.setObjectName("contract_no")
        self.contract_no.setPlaceholderText("技术合同登记编号；1000元以下的服务和专利代理可不填")
        self.contract_amount, self.paid_amount, self.voucher_amount = MoneyEdit(), MoneyEdit(), MoneyEdit()
        self.voucher_amount.setObjectName("voucher_amount")
        self.paid_amount.setObjectName("paid_amount")
        self.used_on = DateEdit()
        self.used_on.set_date(min(self.today, detail.expires_on or self.today))
        self.notes = QLineEdit()
        self.explanation = explanation()
        form = self.form
        form.add("provider_id", "服务机构", self.provider, required=True)
        form.add("service_type", "服务类型", self.service, required=True)
        form.add("contract_no", "合同登记号", self.contract_no)
        form.add("contract_amount_wan", "合同金额（万元）", self.contract_amount, required=True)
        form.add("paid_amount_wan", "实际支付（万元）", self.paid_amount, required=True)
        form.add("voucher_amount_wan", "使用创新券（万元）", self.voucher_amount, required=True)
        form.add("used_on", "使用日期", self.used_on, required=True)
        form.add("related_party", "关联关系", QWidget(), hint="与服务机构存在关联关系的，不得使用创新券")
        form.add("notes", "备注", self.notes)
        show_above_buttons(self, self.explanation)
        for edit in (self.paid_amount, self.voucher_amount):
            edit.textChanged.connect(lambda _t: self.show_limit())
        self.contract_amount.editingFinished.connect(self._paid_from_contract)
        if use is not None:
            self.service.setCurrentText(use.service_type)
            self.contract_no.setText(use.contract_no or "")
            self.contract_amount.set_amount(use.contract_amount_wan)
            self.paid_amount.set_amount(use.paid_amount_wan)
            self.voucher_amount.set_amount(use.voucher_amount_wan)
            self.used_on.set_date(use.used_on)
            self.notes.setText(use.notes or "")
        db, grant_id, use_id = ctx.opened.db, detail.id, use.id if use else None
        explain(self.explanation, "正在读取余额和补助比例…")
        Op(self, lambda _p: (use_limit(db, grant_id, exclude_use_id=use_id), list_providers(db, active_only=True))) \
            .success(self._loaded).failure(self._load_failed).run(ctx.runner)
        self.resize(self.sizeHint().width() + 240, self.sizeHint().height())

    def _loaded(self, loaded: tuple[UseLimit, list[ProviderInfo]]) -> None:
        self.limit, providers = loaded
        for provider in providers:
            self.provider.addItem(f"{provider.name}（{provider.kind}）", provider.id)
        if self.use is not None:
            self.provider.setCurrentIndex(max(self.provider.findData(self.use.provider_id), 0))
        self.show_limit()

    def _load_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserFacingError):
            raise exc
        explain(self.explanation, str(exc), warning=True)

    def _paid_from_contract(self) -> None:
        if not self.paid_amount.text().strip():
            self.paid_amount.setText(self.contract_amount.text())

    def show_limit(self) -> None:
        """余额 and ratio × paid: the most this use may take, and a warning when the amount typed is over it."""
        if self.limit is None:
            return
        paid, amount = self.paid_amount.amount(), self.voucher_amount.amount()
        over = self.limit.refusal(amount, paid) if amount is not None and paid is not None else ""
        explain(self.explanation, over or self.limit.text(paid), warning=bool(over))

    def work(self) -> Callable[[Progress], Any]:
        problems = entry_problems(contract_amount_wan=self.contract_amount, paid_amount_wan=self.paid_amount,
                                  voucher_amount_wan=self.voucher_amount, used_on=self.used_on)
        if problems:
            raise ValidationError(problems)
        data = UseInput(self.provider.currentData(), self.service.currentText(), self.contract_amount.amount(),
                        self.paid_amount.amount(), self.voucher_amount.amount(), self.used_on.date(),
                        self.contract_no.text(), notes=self.notes.text())
        db, grant_id, today = self.ctx.opened.db, self.detail.id, self.today
        if self.use is not None:
            use_id = self.use.id
            return lambda _p: update_use(db, use_id, data, today=today)
        return lambda _p: add_use(db, grant_id, data, today=today)


class EvidenceDialog(AttachmentDialog):
    """添加凭证: the enterprise window's attachment form, for a contract, a service result or a payment proof of a
    use."""

    def __init__(self, ctx: AppContext, use: UseRecord, parent: QWidget | None = None) -> None:
        super().__init__(ctx, use.id, parent)
        self.use, self.changes = use, VOUCHERS
        self.setWindowTitle("添加使用凭证")
        self.path.setObjectName("evidence_path")
        self.path.setPlaceholderText("技术合同、检测报告等服务结果、付款凭证")

    def work(self) -> Callable[[Progress], Any]:
        if not self.path.text().strip():
            raise ValidationError({"file": "请选择要附加的文件"})
        db, use_id, source = self.ctx.opened.db, self.use.id, Path(self.path.text().strip())
        category, description = self.category.currentText(), self.description.text().strip() or None
        return lambda _p: add_evidence(db, use_id, source, category=category, description=description)


class RedeemDialog(FormDialog):
    """申请兑现 of one use: the day; the subsidy asked for and the evidence on file are shown first."""

    def __init__(self, ctx: AppContext, detail: GrantDetail, use: UseRecord, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(ctx, f"申请兑现 {detail.voucher_no}", parent, changes=VOUCHERS)
        self.use, self.today = use, today or dt.date.today()
        self.applied_on = DateEdit()
        self.applied_on.set_date(min(self.today, detail.expires_on or self.today))
        self.form.add("applied_on", "申请日期", self.applied_on, required=True)
        note = explanation()
        text = (f"{use.provider}，{use.service_type}，合同 {use.contract_no or '（无登记号）'}：申请兑现 "
                f"{wan_text(use.voucher_amount_wan)}。")
        if use.evidence:
            explain(note, f"{text}已上传凭证 {use.evidence} 份。")
        else:
            explain(note, f"{text}尚未上传技术合同、服务结果和付款凭证，审核时需要这些材料。", warning=True)
        show_above_buttons(self, note)

    def work(self) -> Callable[[Progress], Any]:
        problems = entry_problems(applied_on=self.applied_on)
        if problems:
            raise ValidationError(problems)
        db, use_id, day, today = self.ctx.opened.db, self.use.id, self.applied_on.date(), self.today
        return lambda _p: apply_redemption(db, use_id, day, today=today)  # type: ignore[arg-type]


class AuditDialog(FormDialog):
    """审核: pass, with the city's and the district's share computed from the rule, or refuse with a reason."""

    def __init__(self, ctx: AppContext, detail: GrantDetail, redemption: RedemptionRecord,
                 parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(ctx, f"兑现审核 {detail.voucher_no}", parent, changes=VOUCHERS)
        self.redemption, self.today = redemption, today or dt.date.today()
        self.passed, self.refused = QRadioButton("审核通过"), QRadioButton("不通过")
        self.passed.setChecked(True)
        group = QButtonGroup(self)
        choice = QWidget()
        row = QHBoxLayout(choice)
        row.setContentsMargins(0, 0, 0, 0)
        for button in (self.passed, self.refused):
            group.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        self.audited_on = DateEdit()
        self.audited_on.set_date(self.today)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.form.add("decision", "审核结果", choice)
        self.form.add("audited_on", "审核日期", self.audited_on, required=True)
        self.form.add("reason", "不通过原因", self.reason)
        shares = explanation()
        if detail.rule is not None:
            city, district = split_cofund(redemption.subsidy_wan, detail.rule.city_cofund_max_ratio)
            explain(shares, f"兑现 {wan_text(redemption.subsidy_wan)}：市级配套 "
                            f"{percent_text(detail.rule.city_cofund_max_ratio)} = {wan_text(city)}，区级 "
                            f"{wan_text(district)}。")
        show_above_buttons(self, shares)

    def work(self) -> Callable[[Progress], Any]:
        problems = entry_problems(audited_on=self.audited_on)
        if problems:
            raise ValidationError(problems)
        db, redemption_id, passed = self.ctx.opened.db, self.redemption.id, self.passed.isChecked()
        day, reason, today = self.audited_on.date(), self.reason.text(), self.today
        return lambda _p: audit_redemption(db, redemption_id, passed, day, reason=reason,  # type: ignore[arg-type]
                                           today=today)
