"""统计数据: the carrier's quarterly and annual figures in a grid, one row per period, newest first.

A figure not reported reads 未填 (never 0). A figure a reviewer would question is coloured — red when it is almost
certainly wrong (新增 > 在孵, a thousand times out of line, an investment impossible for the area), yellow when it is
unusual — with the reason as its tooltip and in the row's last column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from services.carrier_plausibility import COUNT_FIELDS, STAT_FIELDS, show_number
from services.carrier_stats import StatInput, StatRecord, list_stats, remove_stat, save_stat
from services.errors import ValidationError
from services.progress import Progress
from ui.context import AppContext
from ui.pages.carriers.tabs import CHANGES, CarrierTab
from ui.widgets.dates import DateEdit
from ui.widgets.form_dialog import FormDialog
from ui.widgets.numbers import typed_number
from ui.widgets.records import TONES, Column, Record, RecordModel, read_only_table

Index = QModelIndex | QPersistentModelIndex
BLANK = "未填"
#: Cell colours of findings: (background, text).
SEVERITY_COLORS = {"red": ("#fdecea", TONES["overdue"]), "yellow": ("#fff4ce", TONES["urgent"])}
KEYS = tuple(STAT_FIELDS)


def _figure_format(key: str) -> Callable[[Any], str]:
    """How one figure reads: 未填 when blank, amounts in 万元 to the 分, the rest as they are."""
    money = STAT_FIELDS[key][1] == "万元"
    return lambda v: BLANK if v is None else f"{v:,.2f}" if money else show_number(v)


COLUMNS = (Column("统计期"), *(Column(f"{label}({unit})", _figure_format(key), numeric=True)
                              for key, (label, unit) in STAT_FIELDS.items()),
           Column("报送日期"), Column("合理性提示"))


class StatsModel(RecordModel):
    """Periods × figures, with each finding's colour and reason on its cell."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(COLUMNS, parent)
        self.stats: dict[int, StatRecord] = {}

    def set_stats(self, stats: list[StatRecord]) -> None:
        self.stats = {s.id: s for s in stats}
        self.set_records([Record(s.id, (s.period, *(s.figures[k] for k in KEYS), s.submitted_on,
                                        "；".join(f.message for f in s.findings))) for s in stats])

    def stat(self, row: int) -> StatRecord:
        return self.stats[self.records[row].key]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.BackgroundRole,
                                               Qt.ItemDataRole.ForegroundRole):
            return super().data(index, role)
        record, column = self.stat(index.row()), index.column()
        key = KEYS[column - 1] if 1 <= column <= len(KEYS) else None
        if key is None:
            finding = min(record.findings, key=lambda f: f.severity != "red") \
                if column == len(COLUMNS) - 1 and record.findings else None
        else:
            finding = record.finding(key)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key is None:
                return super().data(index, Qt.ItemDataRole.DisplayRole) if finding else None
            reasons = [f.message for f in record.findings if f.field == key]
            return "\n".join(reasons) or ("未填（不按0计）" if record.figures[key] is None else None)
        if finding is not None:
            background, text = SEVERITY_COLORS[finding.severity]
            return QBrush(QColor(background if role == Qt.ItemDataRole.BackgroundRole else text))
        if role == Qt.ItemDataRole.ForegroundRole and key is not None and record.figures[key] is None:
            return QBrush(QColor(TONES["muted"]))
        return None

    def severity(self, row: int, key: str) -> str | None:
        """The colour of one figure's cell: red, yellow or None."""
        finding = self.stat(row).finding(key)
        return finding.severity if finding else None


class StatDialog(FormDialog):
    """登记统计 / 修改统计: one period's figures; a blank field is 未填."""

    def __init__(self, ctx: AppContext, carrier_id: int, parent: QWidget | None = None, *,
                 record: StatRecord | None = None) -> None:
        super().__init__(ctx, f"修改统计：{record.period}" if record else "登记统计", parent, changes=CHANGES)
        self.carrier_id = carrier_id
        today = dt.date.today()
        self.year = QSpinBox()
        self.year.setRange(1990, today.year)
        self.year.setValue(record.year if record else (today - dt.timedelta(days=92)).year)
        self.quarter = QComboBox()
        self.quarter.addItem("全年", None)
        for q in range(1, 5):
            self.quarter.addItem(f"第{q}季度", q)
        if record is not None:
            self.quarter.setCurrentIndex(self.quarter.findData(record.quarter))
            self.year.setEnabled(False)
            self.quarter.setEnabled(False)
        else:
            self.quarter.setCurrentIndex((today.month - 1) // 3 or 4)  # the last quarter that has ended
        self.form.add("year", "年度", self.year, required=True, hint="留空表示“未填”，不按 0 计算；金额单位为万元")
        self.form.add("quarter", "统计期", self.quarter, required=True)
        self.fields: dict[str, QLineEdit] = {}
        for key, (label, unit) in STAT_FIELDS.items():
            edit = QLineEdit()
            edit.setPlaceholderText(BLANK)
            value = record.figures[key] if record else None
            edit.setText("" if value is None else f"{value}" if isinstance(value, int) else f"{value.normalize():f}")
            self.fields[key] = edit
            self.form.add(key, f"{label}({unit})", edit)
        self.submitted_on = DateEdit()
        self.submitted_on.set_date(record.submitted_on if record else today)
        self.form.add("submitted_on", "报送日期", self.submitted_on)

    def figures(self) -> dict[str, Decimal | int | None]:
        """The fields as figures; raises ValidationError for what cannot be read."""
        values: dict[str, Decimal | int | None] = {}
        problems: dict[str, str] = {}
        for key, edit in self.fields.items():
            try:
                number = typed_number(edit.text())
            except ValueError:
                problems[key] = f"{STAT_FIELDS[key][0]}应为数字"
                continue
            if number is None:
                values[key] = None
                continue
            if key in COUNT_FIELDS and number != number.to_integral_value():
                problems[key] = f"{STAT_FIELDS[key][0]}应为整数"
                continue
            values[key] = int(number) if key in COUNT_FIELDS else number
        if self.submitted_on.problem():
            problems["submitted_on"] = self.submitted_on.problem()
        if problems:
            raise ValidationError(problems)
        return values

    def work(self) -> Callable[[Progress], Any]:
        data = StatInput(year=self.year.value(), quarter=self.quarter.currentData(),
                         submitted_on=self.submitted_on.date(), **self.figures())  # type: ignore[arg-type]
        db, cid = self.ctx.opened.db, self.carrier_id
        return lambda _p: save_stat(db, cid, data)


class StatsTab(CarrierTab):
    """The statistics grid with 登记, 修改 and 删除."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = StatsModel(self)
        self.grid = QTableView()
        self.grid.setObjectName("stats_grid")
        self.grid.setModel(self.model)
        read_only_table(self.grid, QAbstractItemView.SelectionMode.SingleSelection)
        self.add_button = QPushButton("登记统计…")
        self.edit_button = QPushButton("修改…")
        self.remove_button = QPushButton("删除…")
        self.summary = QLabel()
        self.summary.setObjectName("stats_summary")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        layout.addLayout(self.button_row(self.add_button, self.edit_button, self.remove_button))
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.summary)
        self.add_button.clicked.connect(lambda: self.edit(None))
        self.edit_button.clicked.connect(lambda: self.edit(self.selected()))
        self.remove_button.clicked.connect(self.remove)
        self.grid.activated.connect(lambda _index: self.edit(self.selected()))

    def fetch(self, db: Any, carrier_id: int) -> list[StatRecord]:
        return list_stats(db, carrier_id)

    def show_data(self, data: list[StatRecord]) -> None:
        self.model.set_stats(data)
        self.grid.resizeColumnsToContents()
        red = sum(1 for r in data for f in r.findings if f.severity == "red")
        yellow = sum(1 for r in data for f in r.findings if f.severity == "yellow")
        blank = sum(1 for r in data for v in r.figures.values() if v is None)
        parts = [f"共 {len(data)} 期"]
        if red or yellow:
            parts.append(f"需核对：红色 {red} 项（基本可以确定有误），黄色 {yellow} 项（异常，请确认）")
        if blank:
            parts.append(f"未填 {blank} 项（不按 0 计）")
        self.summary.setText("；".join(parts) + "。鼠标停在标色的数字上可看原因。")

    def selected(self) -> StatRecord | None:
        index = self.grid.currentIndex()
        return self.model.stat(index.row()) if index.isValid() else None

    def edit(self, record: StatRecord | None) -> StatDialog | None:
        if self.carrier_id is None:
            return None
        dialog = StatDialog(self.ctx, self.carrier_id, self, record=record)
        self.open_form(dialog)
        return dialog

    def remove(self) -> None:
        record, db = self.selected(), self.ctx.opened.db
        if record is not None:
            self.confirm_and_run(f"删除{record.period}的统计数据？", "删除", lambda _p: remove_stat(db, record.id))
