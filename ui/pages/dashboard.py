"""工作台, the start page: headline numbers (services.overview), the reminders waiting, certifications per type
(valid now, new this year, expiring within 90 days), and the 国高企 new this year per 属地 against the targets as
a bar chart. Everything is counted on the database worker; the page shows it when it arrives."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
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

# Loaded with the start page, not on the first visit to 企业库: the register's search brings in pypinyin, whose
# dictionaries take about half a second to load, which would otherwise push opening the list past its 300 ms budget
# (startup has the room: well under its 2 s).
import services.register  # noqa: F401
from services.overview import Overview, UnitProgress, database_overview
from services.reminders import ReminderList, collect_reminders
from ui.context import AppContext
from ui.errors import show_error
from ui.operations import Changes, Op
from ui.pages.style import NumberCard, page_title
from ui.widgets.auto_reload import AutoReload
from ui.widgets.badge import show_badge
from ui.widgets.bar_chart import BarChart, BarItem
from ui.widgets.form_field import HINT_COLOR

log = logging.getLogger("app.ui")

#: What the overview counts; other changes leave it as it is.
RELEVANT = Changes(enterprise=True, qualification=True, carrier=True, voucher=True, payout=True, target=True)


class LinkCard(NumberCard):
    """A headline number that opens the page it summarises when clicked."""

    def __init__(self, caption: str, on_click: Callable[[], None], tip: str, parent: QWidget | None = None) -> None:
        super().__init__(caption, parent)
        self._on_click = on_click
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(tip)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self._on_click()
        super().mouseReleaseEvent(event)


def progress_text(total: UnitProgress | None, year: int) -> str:
    """One line on the district's 国高企 progress against its target."""
    if total is None:
        return "未设置所属区县，无法统计各属地进度。"
    text = f"{year}年全区国高企新增 {total.new:,} 家"
    if total.required:
        text += f"，目标 {total.required:,} 家，完成率 {total.completion_pct}%"
        if total.stretch:
            text += f"（力争 {total.stretch:,} 家）"
    else:
        text += "（尚未录入本年度目标）"
    return text + "。"


class DashboardPage(QWidget):
    """The workbench page.

    Attributes:
        overview: The numbers on display, once loaded.
        reminders: The reminders counted for the badge, once loaded.
        cards: Headline cards by key: enterprises, carriers, voucher_grants, payment_notices, reminders, overdue.
        qualification_labels: Count labels (valid now) by qualification type code.
        new_labels: Count labels (new this year) by qualification type code.
        expiring_labels: Count labels (expiring within 90 days) by qualification type code.
        chart: 国高企 new this year per 属地 against the targets.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.overview: Overview | None = None
        self.reminders: ReminderList | None = None
        self.qualification_labels: dict[str, QLabel] = {}
        self.new_labels: dict[str, QLabel] = {}
        self.expiring_labels: dict[str, QLabel] = {}

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
            "reminders": LinkCard(self.tr("待办提醒（180 天内）"), self.open_reminders,
                                  self.tr("证书到期、年报、年末失效、走访问题；点击查看")),
            "overdue": LinkCard(self.tr("已逾期事项"), self.open_reminders, self.tr("点击查看已逾期事项")),
        }
        self.cards["overdue"].value.setStyleSheet("color: #c62828;")
        cards_row = QHBoxLayout()
        cards_row.setSpacing(12)
        for card in self.cards.values():
            cards_row.addWidget(card)
        cards_row.addStretch(1)

        self.qualification_box = QGroupBox(self.tr("资质（截至今日）"))
        self.qualification_grid = QGridLayout(self.qualification_box)
        self.qualification_grid.setHorizontalSpacing(16)
        self.qualification_grid.setVerticalSpacing(6)

        self.progress_box = QGroupBox(self.tr("国高企今年新增（按属地，对照目标）"))
        self.chart = BarChart(value_label=self.tr("今年新增"))
        self.chart.setObjectName("hte_chart")
        self.progress_label = QLabel()
        self.progress_label.setObjectName("hte_progress")
        self.progress_label.setWordWrap(True)
        progress_layout = QVBoxLayout(self.progress_box)
        progress_layout.addWidget(self.progress_label)
        progress_layout.addWidget(self.chart)
        progress_layout.addStretch(1)
        figures = QHBoxLayout()
        figures.setSpacing(16)
        figures.addWidget(self.qualification_box, 1)
        figures.addWidget(self.progress_box, 1)

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
        body.addLayout(figures)
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
        self.refresh = AutoReload(self, ctx.runner, RELEVANT, self._start_loading)

    def reload(self) -> None:
        """Count again on the database worker (once more after the running count, if one is under way)."""
        self.refresh.reload()

    def _start_loading(self) -> Op[Overview]:
        self.refresh_button.setEnabled(False)
        db = self.ctx.opened.db
        overview = Op(self, lambda _progress: database_overview(db)).success(self.show_overview) \
            .on_done(lambda: self.refresh_button.setEnabled(True)).run(self.ctx.runner)
        # Queued behind the overview, so that the headline numbers come first.
        Op(self, lambda _progress: collect_reminders(db)).success(self.show_reminders) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)
        return overview

    def show_overview(self, overview: Overview) -> None:
        self.overview = overview
        self.status.setText(self.tr("统计日期：{0}").format(overview.as_of.isoformat()))
        self.cards["enterprises"].set_value(overview.enterprises)
        self.cards["carriers"].set_value(overview.carriers)
        self.cards["voucher_grants"].set_value(overview.voucher_grants)
        self.cards["payment_notices"].set_value(overview.payment_notices)
        self._fill_qualifications(overview)
        self._fill_progress(overview)
        self._fill_activity(overview)

    def show_reminders(self, reminders: ReminderList) -> None:
        self.reminders = reminders
        self.cards["reminders"].set_value(len(reminders.upcoming))
        self.cards["overdue"].set_value(len(reminders.overdue))
        show_badge(self, reminders)

    def open_reminders(self) -> None:
        """Go to the reminders page (the main window's navigation)."""
        show_page = getattr(self.window(), "show_page", None)
        if callable(show_page):
            show_page("reminders")

    def _fill_qualifications(self, overview: Overview) -> None:
        while (item := self.qualification_grid.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        for labels in (self.qualification_labels, self.new_labels, self.expiring_labels):
            labels.clear()
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for col, caption in enumerate((self.tr("资质类型"), self.tr("有效（家）"), self.tr("今年新增"),
                                       self.tr("90 天内到期")), start=0):
            head = QLabel(caption)
            head.setStyleSheet(f"color: {HINT_COLOR};")
            if col:
                head.setAlignment(right)
            self.qualification_grid.addWidget(head, 0, col)
        for row, count in enumerate(overview.qualifications, start=1):
            name = QLabel(count.short_name)
            name.setToolTip(count.name)
            self.qualification_grid.addWidget(name, row, 0)
            for col, (labels, value, key) in enumerate(
                    ((self.qualification_labels, count.valid, "qualification"),
                     (self.new_labels, count.new_this_year, "new"),
                     (self.expiring_labels, count.expiring_soon, "expiring")), start=1):
                number = QLabel(f"{value:,}")
                number.setAlignment(right)
                number.setObjectName(f"{key}_{count.code}")
                if key == "expiring" and value:
                    number.setStyleSheet("color: #b25e00;")
                self.qualification_grid.addWidget(number, row, col)
                labels[count.code] = number
        self.qualification_grid.setColumnStretch(0, 1)

    def _fill_progress(self, overview: Overview) -> None:
        self.progress_label.setText(progress_text(overview.hte_total, overview.as_of.year))
        self.chart.set_items([BarItem(u.name, u.new, u.required, u.stretch) for u in overview.hte_progress])

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
