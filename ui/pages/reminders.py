"""提醒: what falls due in the next 180 days, and — on a tab of its own — what is overdue.

The reminders come from :func:`services.reminders.collect_reminders` (certificates expiring within 180/90/30 days,
年报 due, year-end lapses of 科小 registrations, visit issues; other areas add kinds there). Nothing is reminded
after its date; items whose date passed with work still open are listed apart as overdue. Enter or a double-click
opens the enterprise (a tenant's incubation period: its carrier, on the tenants tab).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from services.reminders import BANDS, KINDS, Reminder, ReminderList, collect_reminders
from ui.context import AppContext
from ui.errors import show_error
from ui.operations import Changes, Op
from ui.pages.carriers.detail import show_carrier
from ui.pages.enterprises.detail import show_enterprise
from ui.pages.style import page_title
from ui.widgets.auto_reload import AutoReload
from ui.widgets.badge import show_badge
from ui.widgets.records import Column, Record, RecordView
from ui.widgets.state import WidgetState

RELEVANT = Changes(enterprise=True, qualification=True, carrier=True, voucher=True)


def _record(reminder: Reminder, labels: dict[str, str]) -> Record:
    tone: str | None
    if reminder.overdue:
        tone, days = "overdue", f"逾期 {-reminder.days_left} 天"
    else:
        tone = "urgent" if reminder.days_left <= BANDS[0] else None
        days = "今天到期" if reminder.days_left == 0 else f"{reminder.days_left} 天"
    return Record((reminder.subject_table, reminder.subject_id),
                  (reminder.due_on, days, labels.get(reminder.kind, reminder.kind), reminder.title,
                   reminder.subject_name, reminder.detail), tone, reminder.detail)


class RemindersPage(QWidget):
    """The reminders page.

    Attributes:
        result: The reminders on display, once loaded.
        upcoming, overdue: The two tables.
        as_of: The day reminders are computed for (today when None; tests set it).
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.as_of: dt.date | None = None
        self.result: ReminderList | None = None
        self.state = WidgetState(ctx.settings, "reminders")

        self.kind = QComboBox()
        self.kind.setObjectName("reminder_kind")
        self.kind.addItem("全部类别", None)
        for kind in KINDS:
            self.kind.addItem(kind.label, kind.code)
        self.band = QComboBox()
        self.band.setObjectName("reminder_band")
        self.band.addItem("180 天内", 180)
        self.band.addItem("90 天内", 90)
        self.band.addItem("30 天内", 30)
        self.refresh_button = QPushButton("刷新")
        self.summary = QLabel("正在统计…")
        self.summary.setObjectName("reminder_summary")
        columns = [Column("到期日"), Column("剩余"), Column("类别"), Column("事项"), Column("企业"), Column("说明")]
        self.upcoming = RecordView(columns)
        self.upcoming.setObjectName("upcoming_table")
        self.overdue = RecordView([Column("到期日"), Column("逾期"), *columns[2:]])
        self.overdue.setObjectName("overdue_table")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.upcoming, "即将到期")
        self.tabs.addTab(self.overdue, "已逾期")

        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(page_title(self.tr("提醒")))
        header.addStretch(1)
        header.addWidget(QLabel("类别"))
        header.addWidget(self.kind)
        header.addWidget(QLabel("范围"))
        header.addWidget(self.band)
        header.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 12)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)

        self.kind.setCurrentIndex(max(self.kind.findData(self.state.text("kind") or None), 0))
        self.band.setCurrentIndex(max(self.band.findData(self.state.integer("band", 180)), 0))
        self.kind.currentIndexChanged.connect(self._show)
        self.band.currentIndexChanged.connect(self._show)
        self.refresh_button.clicked.connect(self.reload)
        self.upcoming.opened.connect(self.open_subject)
        self.overdue.opened.connect(self.open_subject)
        self.refresh = AutoReload(self, ctx.runner, RELEVANT, self._start_loading)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self.state.set_text("kind", self.kind.currentData() or "")
        self.state.set_integer("band", self.band.currentData())
        super().hideEvent(event)

    def reload(self) -> None:
        """Compute the reminders again on the database worker."""
        self.refresh.reload()

    def _start_loading(self) -> Op[ReminderList]:
        self.refresh_button.setEnabled(False)
        db, as_of = self.ctx.opened.db, self.as_of
        return Op(self, lambda _p: collect_reminders(db, as_of=as_of)).success(self._loaded) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)) \
            .on_done(lambda: self.refresh_button.setEnabled(True)).run(self.ctx.runner)

    def _loaded(self, result: ReminderList) -> None:
        self.result = result
        if self.as_of is None:  # today's: the navigation's count too
            show_badge(self, result)
        self._show()

    def _show(self) -> None:
        result = self.result
        if result is None:
            return
        kind, band = self.kind.currentData(), self.band.currentData()
        upcoming = [r for r in result.upcoming if (kind is None or r.kind == kind) and r.days_left <= band]
        overdue = [r for r in result.overdue if kind is None or r.kind == kind]
        self.upcoming.set_records([_record(r, result.labels) for r in upcoming])
        self.overdue.set_records([_record(r, result.labels) for r in overdue])
        self.tabs.setTabText(0, f"即将到期（{len(upcoming):,}）")
        self.tabs.setTabText(1, f"已逾期（{len(overdue):,}）")
        within = {b: sum(1 for r in result.upcoming if r.days_left <= b) for b in BANDS}
        self.summary.setText(
            f"截至 {result.as_of.isoformat()}：30 天内 {within[30]:,} 项，90 天内 {within[90]:,} 项，"
            f"180 天内 {within[180]:,} 项；已逾期 {len(result.overdue):,} 项（单独列出，不再作为提醒）。")

    def open_subject(self, key: tuple[str, int]) -> None:
        table, subject_id = key
        if table == "enterprise":
            show_enterprise(self.ctx, self, subject_id)
        elif table == "carrier":
            show_carrier(self.ctx, self, subject_id, tab="tenants")
