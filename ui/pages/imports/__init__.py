"""数据导入: the import wizard and the history of import batches, as two tabs."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ui.context import AppContext
from ui.pages.imports.history import BatchHistory
from ui.pages.imports.wizard import ImportWizard
from ui.pages.style import page_title


class ImportsPage(QWidget):
    """The 数据导入 page.

    Attributes:
        wizard: The import wizard tab.
        history: The batch history tab.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.wizard = ImportWizard(ctx)
        self.history = BatchHistory(ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.wizard, self.tr("导入向导"))
        self.tabs.addTab(self.history, self.tr("导入批次"))
        self.wizard.committed.connect(self.history.reload)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(page_title(self.tr("数据导入")))
        layout.addWidget(self.tabs, 1)
