"""审计日志: every change, filterable by record, user, date, table and import batch; pages of 200 fetched on demand."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from services.audit_query import AuditFilter, AuditPage, AuditRow, audit_users, audited_tables, query_audit
from ui.context import AppContext
from ui.operations import Changes, Op
from ui.pages.style import page_title

PAGE_SIZE = 200
COLUMNS = (
    ("时间", lambda r: r.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")),
    ("操作人", lambda r: r.user),
    ("操作", lambda r: r.action),
    ("数据", lambda r: r.table),
    ("所属记录", lambda r: r.subject),
    ("字段", lambda r: r.field),
    ("原值", lambda r: r.old),
    ("新值", lambda r: r.new),
    ("来源", lambda r: r.source + (f" #{r.batch_id}" if r.batch_id else "")),
)
Index = QModelIndex | QPersistentModelIndex


class AuditModel(QAbstractTableModel):
    """The loaded entries of the current filter; asks its page for more when the view scrolls to the end."""

    def __init__(self, page: AuditPageWidget) -> None:
        super().__init__(page)
        self._page = page
        self.rows: list[AuditRow] = []
        self.total = 0
        self._fetching = False

    def reset(self, result: AuditPage) -> None:
        self.beginResetModel()
        self.rows = list(result.rows)
        self.total = result.total
        self._fetching = False
        self.endResetModel()

    def append(self, result: AuditPage) -> None:
        self._fetching = False
        if not result.rows:
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(result.rows) - 1)
        self.rows.extend(result.rows)
        self.total = result.total
        self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return COLUMNS[index.column()][1](row)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(COLUMNS[section][0])
        return None

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._fetching and len(self.rows) < self.total

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent):
            self._fetching = True
            self._page.load(offset=len(self.rows))


class AuditPageWidget(QWidget):
    """The audit page.

    Attributes:
        model: The entries shown.
        count_label: "共 N 条" for the current filter.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._subject: tuple[str, int] | None = None
        self._subject_text = ""
        self._generation = 0

        self.user = QComboBox()
        self.table = QComboBox()
        self.use_dates = QCheckBox(self.tr("按日期"))
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addMonths(-1))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.batch = QSpinBox()
        self.batch.setRange(0, 10**9)
        self.batch.setSpecialValueText(self.tr("全部"))
        self.subject_label = QLabel()
        self.clear_subject = QPushButton(self.tr("显示全部记录"))
        self.clear_subject.clicked.connect(self.show_all_records)
        apply = QPushButton(self.tr("查询"))
        apply.setDefault(True)
        apply.clicked.connect(self.reload)

        filters = QFormLayout()
        dates = QHBoxLayout()
        dates.addWidget(self.use_dates)
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("—"))
        dates.addWidget(self.date_to)
        dates.addStretch(1)
        filters.addRow(self.tr("操作人"), self.user)
        filters.addRow(self.tr("数据"), self.table)
        filters.addRow(self.tr("日期"), dates)
        filters.addRow(self.tr("导入批次"), self.batch)
        subject_row = QHBoxLayout()
        subject_row.addWidget(self.subject_label, 1)
        subject_row.addWidget(self.clear_subject)
        filters.addRow(self.tr("记录"), subject_row)

        self.model = AuditModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.count_label = QLabel()

        header = QHBoxLayout()
        header.addWidget(page_title(self.tr("审计日志")))
        header.addStretch(1)
        header.addWidget(apply)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)
        self._show_subject()
        ctx.runner.operation_did_execute.connect(self._on_changes)
        self.reload_choices()
        self.reload()

    def current_filter(self) -> AuditFilter:
        dates: tuple[dt.date | None, dt.date | None] = (None, None)
        if self.use_dates.isChecked():
            dates = (self.date_from.date().toPython(), self.date_to.date().toPython())  # type: ignore[assignment]
        return AuditFilter(
            subject_table=self._subject[0] if self._subject else None,
            subject_id=self._subject[1] if self._subject else None,
            table_name=self.table.currentData() or None,
            user=self.user.currentData() or None,
            date_from=dates[0], date_to=dates[1],
            batch_id=self.batch.value() or None,
        )

    def show_record(self, subject_table: str, subject_id: int, label: str) -> None:
        """Show only the history of one enterprise or carrier (other pages call this)."""
        self._subject = (subject_table, subject_id)
        self._subject_text = label
        self._show_subject()
        self.reload()

    def show_all_records(self) -> None:
        self._subject = None
        self._show_subject()
        self.reload()

    def _show_subject(self) -> None:
        self.subject_label.setText(self._subject_text if self._subject else self.tr("全部"))
        self.clear_subject.setEnabled(self._subject is not None)

    def reload_choices(self) -> None:
        db = self.ctx.opened.db

        def fill(result: tuple[list[str], list[tuple[str, str]]]) -> None:
            users, tables = result
            for combo, items in ((self.user, [(u, u) for u in users]), (self.table, tables)):
                chosen = combo.currentData()
                combo.clear()
                combo.addItem(self.tr("全部"), "")
                for key, label in items:
                    combo.addItem(label, key)
                combo.setCurrentIndex(max(0, combo.findData(chosen)))

        Op(self, lambda _p: (audit_users(db), audited_tables(db))).success(fill).run(self.ctx.runner)

    def reload(self) -> None:
        self.load(offset=0)

    def load(self, offset: int) -> None:
        db = self.ctx.opened.db
        flt = self.current_filter()
        if offset == 0:
            self._generation += 1
        generation = self._generation

        def done(result: AuditPage) -> None:
            if generation != self._generation:
                return  # a newer query replaced this one
            if offset == 0:
                self.model.reset(result)
            else:
                self.model.append(result)
            self.count_label.setText(self.tr("共 {0} 条，已显示 {1} 条").format(result.total, len(self.model.rows)))

        Op(self, lambda _p: query_audit(db, flt, offset=offset, limit=PAGE_SIZE)).success(done).run(
            self.ctx.runner)

    def _on_changes(self, changes: Changes, _initiator: object) -> None:
        if changes:
            self.reload_choices()
            self.reload()
