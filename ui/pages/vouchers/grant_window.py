"""The grant window: one grant with its figures, the rule of its year, its uses with their evidence, its redemptions,
and a button for each next step — enabled exactly when the service would allow it, its tooltip saying why not.

One window per session shows one grant at a time (:func:`show_grant`); every step is a small form that saves at once
and the window reloads after it.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from services.attachments import AttachmentInfo, attachment_file, list_attachments, remove_attachment
from services.progress import Progress
from services.voucher_records import HOLDER_KINDS, GrantDetail, RedemptionRecord, UseRecord
from services.voucher_rules import wan_text
from services.voucher_uses import OWNER_TABLE, delete_use
from services.vouchers import get_grant
from ui.context import AppContext
from ui.errors import show_error
from ui.operations import Changes, Op
from ui.pages.enterprises.attachments_tab import open_file
from ui.pages.style import TITLE_SCALE, scaled_font
from ui.pages.vouchers.fields import VOUCHERS, button_row, money, open_dialog
from ui.pages.vouchers.grant_forms import IssueDialog, NotesDialog, VoidDialog
from ui.pages.vouchers.use_forms import AuditDialog, EvidenceDialog, RedeemDialog, UseDialog
from ui.widgets.form_dialog import FormDialog
from ui.widgets.form_field import HINT_COLOR
from ui.widgets.questions import confirm
from ui.widgets.record_window import show_single
from ui.widgets.records import Column, Record, RecordView

_windows: weakref.WeakKeyDictionary[AppContext, GrantWindow] = weakref.WeakKeyDictionary()


def show_grant(ctx: AppContext, parent: QWidget, grant_id: int) -> GrantWindow:
    """Show grant ``grant_id`` in the window of this session, creating it if needed."""
    return show_single(_windows, ctx, parent, GrantWindow, lambda w: w.open_grant(grant_id))


def _amount(value: Any) -> str:
    return wan_text(value) if value is not None else "—"


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    return button


class GrantWindow(QDialog):
    """The grant window.

    Attributes:
        detail: The grant shown, as last loaded.
        uses, redemptions, evidence: The tables.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("grant_window")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint)
        self.detail: GrantDetail | None = None
        self.grant_id: int | None = None
        self.attachments: list[AttachmentInfo] = []
        self.confirm: Callable[..., bool] = confirm
        self.title = QLabel()
        self.title.setObjectName("grant_title")
        self.title.setFont(scaled_font(self.title, TITLE_SCALE * 0.8, bold=True))
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle, self.figures, self.rule = QLabel(), QLabel(), QLabel()
        self.figures.setObjectName("grant_figures")
        for label in (self.subtitle, self.rule):
            label.setStyleSheet(f"color: {HINT_COLOR};")
            label.setWordWrap(True)
        self.issue_button = _button("发放…", "issue_button")
        self.use_button = _button("登记使用…", "use_button")
        self.void_button = _button("作废…", "void_button")
        self.notes_button = _button("备注…", "notes_button")
        self.edit_use_button = _button("修改…", "edit_use_button")
        self.evidence_button = _button("添加凭证…", "evidence_button")
        self.delete_use_button = _button("删除使用记录", "delete_use_button")
        self.redeem_button = _button("申请兑现…", "redeem_button")
        self.audit_button = _button("审核…", "audit_button")
        self.open_file_button = _button("打开凭证", "open_file_button")
        self.remove_file_button = _button("删除凭证", "remove_file_button")
        self.uses = RecordView([Column("使用日期"), Column("服务机构"), Column("服务类型"), Column("合同登记号"),
                                money("合同金额(万元)"), money("实际支付(万元)"),
                                money("创新券(万元)"), Column("凭证", numeric=True), Column("兑现")])
        self.uses.setObjectName("uses_table")
        self.evidence = RecordView([Column("凭证文件"), Column("类别"), Column("说明")])
        self.evidence.setObjectName("evidence_table")
        self.redemptions = RecordView([
            Column("申请日期"), Column("服务机构"), Column("合同登记号"), money("兑现(万元)"),
            Column("状态"), Column("审核日期"), money("市级(万元)"), money("区级(万元)"),
            Column("批次"), Column("拨付日期")])
        self.redemptions.setObjectName("redemptions_table")
        self.close_button = QPushButton("关闭")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        for widget in (self.title, self.subtitle, self.figures, self.rule):
            layout.addWidget(widget)
        layout.addLayout(button_row(self.issue_button, self.use_button, self.void_button, self.notes_button))
        uses_box = QGroupBox("使用记录")
        uses_layout = QVBoxLayout(uses_box)
        uses_layout.addWidget(self.uses, 3)
        uses_layout.addLayout(button_row(self.edit_use_button, self.evidence_button,
                                        self.open_file_button, self.remove_file_button,
                                        self.delete_use_button, self.redeem_button))
        uses_layout.addWidget(self.evidence, 1)
        redemptions_box = QGroupBox("兑现")
        redemptions_layout = QVBoxLayout(redemptions_box)
        redemptions_layout.addWidget(self.redemptions)
        redemptions_layout.addLayout(button_row(self.audit_button))
        layout.addWidget(uses_box, 3)
        layout.addWidget(redemptions_box, 2)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)
        char = self.fontMetrics().horizontalAdvance("字")
        self.resize(char * 76, char * 50)

        self.issue_button.clicked.connect(lambda: self._form(IssueDialog(ctx, self._shown(), self)))
        self.use_button.clicked.connect(lambda: self._form(UseDialog(ctx, self._shown(), self)))
        self.void_button.clicked.connect(lambda: self._form(VoidDialog(ctx, self._shown(), self)))
        self.notes_button.clicked.connect(lambda: self._form(NotesDialog(ctx, self._shown(), self)))
        self.edit_use_button.clicked.connect(self.edit_use)
        self.evidence_button.clicked.connect(self.add_evidence)
        self.redeem_button.clicked.connect(self.redeem)
        self.audit_button.clicked.connect(self.audit)
        self.delete_use_button.clicked.connect(self.delete_use)
        self.open_file_button.clicked.connect(self.open_file)
        self.evidence.opened.connect(lambda _key: self.open_file())
        self.remove_file_button.clicked.connect(self.remove_file)
        self.close_button.clicked.connect(self.close)
        self.uses.selectionModel().selectionChanged.connect(lambda *_a: self._use_selected())
        self.redemptions.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.evidence.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        ctx.runner.operation_did_execute.connect(self._changed)

    def _shown(self) -> GrantDetail:
        assert self.detail is not None
        return self.detail

    # -- loading ------------------------------------------------------------------------------------------------------

    def open_grant(self, grant_id: int) -> None:
        self.grant_id = grant_id
        self.reload()

    def reload(self) -> Op[GrantDetail] | None:
        if self.grant_id is None:
            return None
        db, grant_id = self.ctx.opened.db, self.grant_id
        return Op(self, lambda _p: get_grant(db, grant_id)).success(self.show_detail) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)

    def _changed(self, changes: Changes, initiator: object) -> None:
        if changes.voucher and self.isVisible() and initiator is not self:
            self.reload()

    def show_detail(self, detail: GrantDetail) -> None:
        if detail.id != self.grant_id:
            return
        self.detail = detail
        self.setWindowTitle(f"创新券 {detail.voucher_no}")
        self.title.setText(f"{detail.voucher_no}　{detail.holder_name}")
        holder = HOLDER_KINDS[detail.holder_kind] + (f"（{detail.carrier}）" if detail.carrier else "")
        self.subtitle.setText("　".join(p for p in (holder, detail.subdistrict or "", f"{detail.year}年",
                                                     f"状态：{detail.status}", detail.notes or "") if p))
        self.figures.setText(
            f"申领 {_amount(detail.amount_applied_wan)}（{detail.applied_on.isoformat()}）　发放 "
            f"{_amount(detail.amount_issued_wan)}　已使用 {wan_text(detail.used_wan)}　余额 "
            f"{wan_text(detail.balance_wan) if detail.amount_issued_wan is not None else '—'}　已兑现 "
            f"{wan_text(detail.redeemed_wan)}　有效期至 {detail.expires_on.isoformat() if detail.expires_on else '—'}")
        self.rule.setText(detail.rule.describe() if detail.rule else f"{detail.year}年尚无创新券规则。")
        self.uses.set_records([Record(u.id, (u.used_on, u.provider, u.service_type, u.contract_no,
                                             u.contract_amount_wan, u.paid_amount_wan, u.voucher_amount_wan,
                                             u.evidence, u.redemption_status or "未申请"), tooltip=u.notes or "")
                               for u in detail.uses])
        self.redemptions.set_records([Record(r.id, (r.applied_on, r.provider, r.contract_no, r.subsidy_wan, r.status,
                                                    r.audited_on, r.city_share_wan, r.district_share_wan,
                                                    f"第{r.batch_no}批" if r.batch_no else "", r.paid_on),
                                             tone="muted" if r.status == "不通过" else None,
                                             tooltip=r.notice_title or "")
                                      for r in detail.redemptions])
        self._use_selected()

    # -- selection and buttons ----------------------------------------------------------------------------------------

    def selected_use(self) -> UseRecord | None:
        key = self.uses.current_key()
        return next((u for u in self.detail.uses if u.id == key), None) if self.detail else None

    def selected_redemption(self) -> RedemptionRecord | None:
        key = self.redemptions.current_key()
        return next((r for r in self.detail.redemptions if r.id == key), None) if self.detail else None

    def selected_file(self) -> AttachmentInfo | None:
        key = self.evidence.current_key()
        return next((a for a in self.attachments if a.id == key), None)

    def _use_selected(self) -> None:
        use = self.selected_use()
        self.attachments = []
        self.evidence.set_records([])
        if use is not None:
            db = self.ctx.opened.db
            Op(self, lambda _p: list_attachments(db, OWNER_TABLE, use.id)).success(self._files) \
                .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)
        self._update_buttons()

    def _files(self, files: list[AttachmentInfo]) -> None:
        self.attachments = files
        self.evidence.set_records([Record(a.id, (a.file_name, a.category, a.description)) for a in files])
        self._update_buttons()

    def _enable(self, button: QPushButton, reason: str) -> None:
        button.setEnabled(not reason)
        button.setToolTip(reason)

    def _update_buttons(self) -> None:
        detail, use, redemption = self.detail, self.selected_use(), self.selected_redemption()
        if detail is None:
            return
        for button, action in ((self.issue_button, "issue"), (self.use_button, "use"), (self.void_button, "void")):
            self._enable(button, detail.refusal(action))
        pick = "请先在上面的列表中选择一条使用记录"
        self._enable(self.evidence_button, "" if use else pick)
        editable = "" if use is None or use.redemption_status is None else "已申请兑现的使用记录不能修改或删除"
        if not editable and detail.status in ("作废", "过期"):
            editable = f"创新券已{detail.status}，其使用记录不能再修改"
        self._enable(self.delete_use_button, editable if use else pick)
        self._enable(self.edit_use_button, editable if use else pick)
        redeem = detail.refusal("redeem") if use else pick
        if use and not redeem and use.redemption_status not in (None, "不通过"):
            redeem = f"该使用记录已申请兑现（{use.redemption_status}）"
        self._enable(self.redeem_button, redeem)
        audit = "请先选择一条兑现申请" if redemption is None else \
            "" if redemption.status == "申请" else f"该兑现申请已审核（{redemption.status}）"
        self._enable(self.audit_button, audit)
        chosen = "" if self.selected_file() else "请先选择一份凭证"
        self._enable(self.open_file_button, chosen)
        self._enable(self.remove_file_button, chosen)

    # -- steps --------------------------------------------------------------------------------------------------------

    def _form(self, dialog: FormDialog) -> FormDialog:
        dialog.saved.connect(self._saved)
        return open_dialog(dialog)

    def _saved(self, result: Any) -> None:
        if isinstance(result, GrantDetail):
            self.show_detail(result)
        else:
            self.reload()

    def edit_use(self) -> None:
        use = self.selected_use()
        if use is not None:
            self._form(UseDialog(self.ctx, self._shown(), self, use=use))

    def add_evidence(self) -> None:
        use = self.selected_use()
        if use is not None:
            self._form(EvidenceDialog(self.ctx, use, self))

    def redeem(self) -> None:
        use = self.selected_use()
        if use is not None:
            self._form(RedeemDialog(self.ctx, self._shown(), use, self))

    def audit(self) -> None:
        redemption = self.selected_redemption()
        if redemption is not None:
            self._form(AuditDialog(self.ctx, self._shown(), redemption, self))

    def delete_use(self) -> None:
        use = self.selected_use()
        if use is None or not self.confirm(self, f"删除 {use.used_on.isoformat()} 在“{use.provider}”的使用记录？",
                                      action="删除"):
            return
        db = self.ctx.opened.db
        Op(self, lambda _p: delete_use(db, use.id)).changes(VOUCHERS).success(self.show_detail) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)

    def open_file(self) -> None:
        info = self.selected_file()
        if info is None:
            return
        db, target = self.ctx.opened.db, Path(tempfile.mkdtemp(prefix="techledger-")) / info.file_name

        def copy(_p: Progress) -> Path:
            shutil.copyfile(attachment_file(db, info.id), target)
            return target

        Op(self, copy).with_progress("正在读取凭证…") \
            .success(open_file) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)

    def remove_file(self) -> None:
        info = self.selected_file()
        if info is None or not self.confirm(self, f"删除凭证“{info.file_name}”？", action="删除"):
            return
        db = self.ctx.opened.db
        Op(self, lambda _p: remove_attachment(db, info.id)).changes(VOUCHERS).success(self._saved) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)
