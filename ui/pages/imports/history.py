"""导入批次: the committed import batches, newest first, with revert."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.importing.revert import BatchInfo, RevertResult, list_batches, revert_batch
from services.progress import Progress
from ui.context import AppContext
from ui.errors import inform, show_error
from ui.operations import Changes, Op

T = TypeVar("T")
COLUMNS = ("批次", "文件", "工作表", "导入人", "提交时间", "数据行", "新增", "更新", "不变", "跳过", "待核", "状态")


def ask(parent: QWidget, text: str) -> bool:
    """Ask the clerk to confirm (a modal Yes/No box)."""
    answer = QMessageBox.question(parent, parent.tr("撤销导入"), text)
    return answer == QMessageBox.StandardButton.Yes


class BatchHistory(QWidget):
    """The batch list.

    Attributes:
        table: One row per batch.
        batches: The batches shown.
        confirm: Asks before a revert; tests replace it.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.batches: list[BatchInfo] = []
        self.confirm: Callable[[QWidget, str], bool] = ask
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.revert_button = QPushButton(self.tr("撤销所选批次…"))
        self.revert_button.clicked.connect(self.revert_selected)
        refresh = QPushButton(self.tr("刷新"))
        refresh.clicked.connect(self.reload)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(refresh)
        buttons.addWidget(self.revert_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        ctx.runner.operation_did_execute.connect(self._changed)

    def _op(self, fn: Callable[[Progress], T]) -> Op[T]:
        """An operation of this page whose errors go to the context's message sink."""
        return Op(self, fn).failure(lambda exc: show_error(self, exc, sink=self.ctx.sink))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.reload()

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if changes.enterprise and self.isVisible():
            self.reload()

    def reload(self) -> None:
        db = self.ctx.opened.db
        self._op(lambda _p: list_batches(db)).success(self._show).run(self.ctx.runner)

    def _show(self, batches: list[BatchInfo]) -> None:
        self.batches = batches
        self.table.setRowCount(len(batches))
        for r, b in enumerate(batches):
            committed = b.committed_at.astimezone().strftime("%Y-%m-%d %H:%M") if b.committed_at else ""
            state = self.tr("已撤销") if b.reverted_at else self.tr("有效")
            values = (b.batch_no, b.file_name, b.sheet or "", b.user, committed, b.rows, b.created, b.updated,
                      b.unchanged, b.skipped, b.review, state)
            for c, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if isinstance(value, int):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()

    def revert_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            inform(self, self.tr("请先选择要撤销的批次。"), sink=self.ctx.sink)
            return
        batch = self.batches[rows[0].row()]
        text = self.tr("撤销批次 {0}（{1}）？将删除该批次新增的 {2} 家企业及其数据，并恢复被更新字段的原值。"
                       "撤销前会先备份数据库。").format(batch.batch_no, batch.file_name, batch.created)
        if not self.confirm(self, text):
            return
        db = self.ctx.opened.db
        self._op(lambda progress: revert_batch(db, batch.id, progress=progress)).success(self._reverted) \
            .with_progress(self.tr("正在撤销导入…")).changes(Changes(enterprise=True, qualification=True)) \
            .run(self.ctx.runner)

    def _reverted(self, result: RevertResult) -> None:
        self.reload()
        inform(self, result.describe(), sink=self.ctx.sink)
