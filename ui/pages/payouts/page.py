"""The 政策兑现 page: notices on the left, the chosen notice on the right; totals on a second tab.

Moving to another notice (or starting a new one) asks first about unsaved changes of the one shown.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSplitter, QTabWidget, QVBoxLayout, QWidget

from services.payouts import NoticeOptions
from ui.context import AppContext
from ui.pages.payouts.editor import NoticeEditor
from ui.pages.payouts.notice_list import NoticeList
from ui.pages.payouts.summary import SummaryTab
from ui.pages.style import page_title


class PayoutsPage(QWidget):
    """The page.

    Attributes:
        notices: The list with its filters.
        editor: The notice shown.
        summary: The totals tab.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.notices = NoticeList(ctx)
        self.editor = NoticeEditor(ctx)
        self.summary = SummaryTab(ctx)
        self.new_button = QPushButton("新建通知")
        self.new_button.setToolTip("新建兑现通知（Ctrl+N）")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.notices)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        self.tabs = QTabWidget()
        self.tabs.addTab(splitter, "兑现通知")
        self.tabs.addTab(self.summary, "兑现汇总")
        header = QHBoxLayout()
        header.addWidget(page_title(self.tr("政策兑现")))
        header.addStretch(1)
        header.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 12)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        self.new_button.clicked.connect(self.new_notice)
        QShortcut(QKeySequence(QKeySequence.StandardKey.New), self).activated.connect(self.new_notice)
        self.notices.chosen.connect(self.open_notice)
        self.notices.options_loaded.connect(self._options)
        self.editor.removed.connect(lambda: self.notices.select(None))

    def _options(self, options: NoticeOptions) -> None:
        """After each load of the list: the editor's programmes, the summary's years, the notice shown selected."""
        self.editor.set_options(options)
        self.summary.set_years(options.years)
        self.notices.select(self.editor.notice_id)

    def open_notice(self, notice_id: int) -> None:
        """Show ``notice_id`` in the editor, unless the user keeps the unsaved notice shown."""
        if notice_id == self.editor.notice_id:
            return
        if not self.editor.unless_unsaved(lambda: self.editor.open_notice(notice_id)):
            self.notices.select(self.editor.notice_id)

    def new_notice(self) -> None:
        self.tabs.setCurrentIndex(0)
        if self.editor.unless_unsaved(self.editor.new_notice):
            self.notices.select(None)
