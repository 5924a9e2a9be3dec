"""The 创新券 page: this year's figures on top; tabs for the grants, the redemption batches, the summaries, the
service providers and the rules of each year; the year-end expiry behind its own button."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from ui.context import AppContext
from ui.pages.style import page_title
from ui.pages.vouchers.admin_tabs import ProvidersTab, RulesTab
from ui.pages.vouchers.batches_tab import BatchesTab
from ui.pages.vouchers.fields import open_dialog
from ui.pages.vouchers.grants_tab import GrantsTab
from ui.pages.vouchers.summary import ExpiryDialog, SummaryStrip, SummaryTab
from ui.widgets.state import WidgetState


class VouchersPage(QWidget):
    """The page.

    Attributes:
        strip: This year's issued / used / redeemed.
        grants, batches, summary, providers, rules: The tabs.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.state = WidgetState(ctx.settings, "vouchers")
        self.strip = SummaryStrip(ctx)
        self.grants = GrantsTab(ctx)
        self.batches = BatchesTab(ctx)
        self.summary = SummaryTab(ctx)
        self.providers = ProvidersTab(ctx)
        self.rules = RulesTab(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("voucher_tabs")
        for widget, label in ((self.grants, "创新券"), (self.batches, "兑现批次"), (self.summary, "汇总"),
                              (self.providers, "服务机构"), (self.rules, "规则")):
            self.tabs.addTab(widget, label)
        self.expiry_button = QPushButton("年末作废…")
        self.expiry_button.setObjectName("expiry_button")
        self.expiry_button.setToolTip("预览并办理上一年度未使用创新券的逾期作废")
        header = QHBoxLayout()
        header.addWidget(page_title(self.tr("创新券")))
        header.addStretch(1)
        header.addWidget(self.expiry_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 12)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addWidget(self.strip)
        layout.addWidget(self.tabs, 1)
        self.tabs.setCurrentIndex(self.state.integer("tab", 0))
        self.tabs.currentChanged.connect(lambda index: self.state.set_integer("tab", index))
        self.expiry_button.clicked.connect(self.open_expiry)

    def open_expiry(self) -> ExpiryDialog:
        dialog = ExpiryDialog(self.ctx, self)
        return open_dialog(dialog)
