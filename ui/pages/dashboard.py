"""工作台: headline numbers of the open database (services.overview), loaded on the database worker."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from services.overview import Overview, database_overview
from ui.context import AppContext
from ui.operations import Changes, Op
from ui.pages.style import NumberCard, page_title

log = logging.getLogger("app.ui")

#: What the overview counts; other changes leave it as it is.
RELEVANT = Changes(enterprise=True, qualification=True, carrier=True, voucher=True, payout=True)


class DashboardPage(QWidget):
    """The workbench page.

    Attributes:
        overview: The numbers on display, once loaded.
        cards: Headline cards by key: enterprises, carriers, voucher_grants, payment_notices.
        qualification_labels: Count labels by qualification type code.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.overview: Overview | None = None
        self._stale = True
        self._loading = False
        self.qualification_labels: dict[str, QLabel] = {}

        header = QHBoxLayout()
        header.addWidget(page_title(self.tr("工作台")))
        header.addStretch(1)
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.refresh_button.clicked.connect(self.reload)
        header.addWidget(self.refresh_button)

        self.status = QLabel(self.tr("正在统计…"))
        self.status.setObjectName("overview_status")

        self.cards = {
            "enterprises": NumberCard(self.tr("在册企业")),
            "carriers": NumberCard(self.tr("载体")),
            "voucher_grants": NumberCard(self.tr("创新券")),
            "payment_notices": NumberCard(self.tr("兑现通知")),
        }
        cards_row = QHBoxLayout()
        cards_row.setSpacing(12)
        for card in self.cards.values():
            cards_row.addWidget(card)
        cards_row.addStretch(1)

        self.qualification_box = QGroupBox(self.tr("有效资质（截至今日，按企业计）"))
        self.qualification_grid = QGridLayout(self.qualification_box)
        self.qualification_grid.setHorizontalSpacing(16)
        self.qualification_grid.setVerticalSpacing(6)

        self.activity_box = QGroupBox(self.tr("最近动态"))
        self.latest_import = QLabel()
        self.latest_backup = QLabel()
        for label in (self.latest_import, self.latest_backup):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        activity = QVBoxLayout(self.activity_box)
        activity.addWidget(self.latest_import)
        activity.addWidget(self.latest_backup)

        content = QWidget()
        body = QVBoxLayout(content)
        body.setContentsMargins(24, 20, 24, 20)
        body.setSpacing(16)
        body.addLayout(header)
        body.addWidget(self.status)
        body.addLayout(cards_row)
        body.addWidget(self.qualification_box)
        body.addWidget(self.activity_box)
        body.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        # Disconnected automatically when the page is destroyed (PySide drops connections of a deleted receiver).
        ctx.runner.operation_did_execute.connect(self.on_operation_did_execute)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.reload()

    def on_operation_did_execute(self, changes: Changes, initiator: object) -> None:
        """Refresh when something the overview counts has changed."""
        if changes & RELEVANT:
            self._stale = True
            if self.isVisible():
                self.reload()

    def reload(self) -> None:
        """Count again on the database worker (once more after the running count, if one is under way)."""
        if self._loading:
            self._stale = True
            return
        self._loading = True
        self._stale = False
        self.refresh_button.setEnabled(False)
        db = self.ctx.opened.db
        Op(self, lambda _progress: database_overview(db)) \
            .success(self.show_overview).on_done(self._loaded).run(self.ctx.runner)

    def _loaded(self) -> None:
        self._loading = False
        self.refresh_button.setEnabled(True)
        if self._stale and self.isVisible():
            self.reload()

    def show_overview(self, overview: Overview) -> None:
        self.overview = overview
        self.status.setText(self.tr("统计日期：{0}").format(overview.as_of.isoformat()))
        self.cards["enterprises"].set_value(overview.enterprises)
        self.cards["carriers"].set_value(overview.carriers)
        self.cards["voucher_grants"].set_value(overview.voucher_grants)
        self.cards["payment_notices"].set_value(overview.payment_notices)
        self._fill_qualifications(overview)
        self._fill_activity(overview)

    def _fill_qualifications(self, overview: Overview) -> None:
        while (item := self.qualification_grid.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        self.qualification_labels.clear()
        columns = 2
        # Per column pair: name, number, then an empty gap column that keeps the pairs apart.
        for index, count in enumerate(overview.qualifications):
            row, col = divmod(index, columns)
            name = QLabel(count.name)
            number = QLabel(f"{count.valid:,}")
            number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            number.setObjectName(f"qualification_{count.code}")
            self.qualification_grid.addWidget(name, row, col * 3)
            self.qualification_grid.addWidget(number, row, col * 3 + 1)
            self.qualification_labels[count.code] = number
        gap = self.fontMetrics().horizontalAdvance("M") * 3
        for col in range(columns - 1):
            self.qualification_grid.setColumnMinimumWidth(col * 3 + 2, gap)
        self.qualification_grid.setColumnStretch(columns * 3, 1)

    def _fill_activity(self, overview: Overview) -> None:
        batch = overview.latest_import
        if batch is None:
            self.latest_import.setText(self.tr("最近导入：尚无"))
        else:
            self.latest_import.setText(self.tr("最近导入：{0}（{1}，{2}，{3} 行，新增 {4}，更新 {5}）").format(
                batch.batch_no, batch.file_name, batch.committed_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                batch.rows, batch.created, batch.updated))
        backup = overview.latest_backup
        if backup is None:
            self.latest_backup.setText(self.tr("最近备份：尚无"))
        else:
            self.latest_backup.setText(self.tr("最近备份：{0}（{1}，{2:.1f} MB）").format(
                backup.created_at.strftime("%Y-%m-%d %H:%M"), backup.path.name, backup.size_bytes / 1_048_576))
