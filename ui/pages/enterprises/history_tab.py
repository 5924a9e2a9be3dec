"""修改记录: every change of the enterprise and of what belongs to it, from the audit log, newest first."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from services.audit_query import AuditFilter, AuditRow, query_audit
from services.qualifications import fact_years
from ui.context import AppContext
from ui.pages.enterprises.tab_base import RecordTab
from ui.widgets.form_field import HINT_COLOR
from ui.widgets.records import Column, Record, RecordView

LIMIT = 1000
SOURCE_LABELS = {"gui": "界面", "import": "导入", "cli": "命令行", "demo": "演示数据", "restore": "恢复",
                 "system": "系统", "settings": "设置", "test": "测试"}


def show_amount(text: str) -> str:
    """A logged amount ("120.500000" or "120.5", exact to the 分) as people write it: 120.50."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    if not value.is_finite():
        return text
    cents = value.quantize(Decimal("0.01"))
    return f"{cents:f}" if cents == value else f"{value.normalize():f}"


#: Amounts are logged exact to the 分 with six places (万元): "120.500000".
_AMOUNT = re.compile(r"-?\d+\.\d{6}(?!\d)")


def show_amounts(text: str) -> str:
    """Every logged amount in ``text`` (a value, or a whole record) as people write it."""
    return _AMOUNT.sub(lambda m: show_amount(m.group()), text)


def fetch_history(db: Any, enterprise_id: int) -> tuple[int, list[tuple[AuditRow, str]]]:
    """(total entries, the newest :data:`LIMIT` with what each concerns, e.g. 年度数据 2024年)."""
    page = query_audit(db, AuditFilter(subject_table="enterprise", subject_id=enterprise_id), limit=LIMIT)
    years = fact_years(db, [r.row_id for r in page.rows if r.table == "年度数据"])
    return page.total, [(r, f"{r.table} {years[r.row_id]}年" if r.row_id in years else r.table) for r in page.rows]


class HistoryTab(RecordTab):
    """The change history table."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.table = RecordView([Column("时间"), Column("操作人"), Column("操作"), Column("内容"), Column("字段"),
                                 Column("原值"), Column("新值"), Column("来源")])
        self.table.setObjectName("history_table")
        self.note = QLabel()
        self.note.setStyleSheet(f"color: {HINT_COLOR};")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(self.table)
        layout.addWidget(self.note)

    def fetch(self, db: Any, enterprise_id: int) -> tuple[int, list[tuple[AuditRow, str]]]:
        return fetch_history(db, enterprise_id)

    def show_data(self, data: tuple[int, list[tuple[AuditRow, str]]]) -> None:
        total, rows = data
        records = []
        for r, what in rows:
            readable = show_amount if "万元" in r.field else show_amounts
            old, new = readable(r.old), readable(r.new)
            records.append(Record(r.id, (r.at, r.user, r.action, what, r.field, old, new,
                                         SOURCE_LABELS.get(r.source, r.source)),
                                  tooltip=f"原值：{old}\n新值：{new}" if old or new else ""))
        self.table.set_records(records)
        shown = f"共 {total:,} 条修改记录" + (f"，显示最近 {LIMIT:,} 条；全部记录见“审计日志”" if total > LIMIT else "")
        self.note.setText(shown)

    def lines(self) -> list[tuple[str, ...]]:
        """The rows as shown (for reading in tests and copying)."""
        model = self.table.records
        return [tuple(str(model.index(r, c).data() or "") for c in range(model.columnCount()))
                for r in range(model.rowCount())]
