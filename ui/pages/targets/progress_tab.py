"""完成进度: per 属地 the target, what was achieved, completion rate, rank and stretch attainment, with a bar chart.

The figures come from :func:`services.targets_progress.target_progress` — the quarterly report's counting rules and
its choice of target (a 属地's own district target before the city's) unless one issuer is chosen.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget

from services.targets_progress import TargetProgress, UnitResult
from ui.widgets.bar_chart import BarChart, BarItem
from ui.widgets.records import Column, Record, RecordView

#: Choices of whose targets to assess against.
ISSUER_CHOICES = (("按报表口径（属地以区下达为准，全区以市下达为准）", None), ("只看区下达的目标", "区"),
                  ("只看市下达的目标", "市"))


def _pct(value: Decimal | None) -> str:
    return "" if value is None else f"{value}%"


def _reached(value: bool | None) -> str:
    return "" if value is None else ("已达到" if value else "未达到")


def _record(result: UnitResult) -> Record:
    tone = None
    if result.completion_pct is not None:
        tone = "ok" if result.completion_pct >= 100 else ("urgent" if result.completion_pct < 50 else None)
    return Record(result.unit, (result.unit, result.issuer, result.required, result.stretch, result.actual,
                                result.completion_pct, result.rank, result.stretch_reached, result.shortfall), tone)


class ProgressTab(QWidget):
    """The progress table and chart of one year.

    Attributes:
        issuer: Whose targets are assessed.
        table: One line for 全区, then each 属地.
        chart: Achieved against target per 属地.
        summary: The district's line in words.
        progress: The figures shown.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress: TargetProgress | None = None
        self.issuer = QComboBox()
        self.issuer.setObjectName("progress_issuer")
        for text, key in ISSUER_CHOICES:
            self.issuer.addItem(text, key)
        self.summary = QLabel()
        self.summary.setObjectName("progress_summary")
        self.summary.setWordWrap(True)
        self.table = RecordView([Column("属地"), Column("目标来源"), Column("新增数目标", numeric=True),
                                 Column("力争数", numeric=True), Column("已完成", numeric=True),
                                 Column("完成率", _pct, numeric=True), Column("排名", numeric=True),
                                 Column("力争目标", _reached), Column("尚差", numeric=True)])
        self.table.setObjectName("progress_table")
        self.chart = BarChart(value_label="已完成")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(scroll)
        row = QHBoxLayout()
        row.addWidget(QLabel("考核口径"))
        row.addWidget(self.issuer)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)

    def show_progress(self, progress: TargetProgress) -> None:
        self.progress = progress
        whole = progress.whole
        self.table.set_records([_record(whole), *(_record(u) for u in progress.units)])
        self.chart.set_items([BarItem(u.unit, u.actual or 0, u.required, u.stretch) for u in progress.units
                              if u.actual is not None])
        counted = "截至" + progress.as_of.isoformat() if progress.as_of < dt.date(progress.year, 12, 31) \
            else "全年"
        if whole.actual is None:
            self.summary.setText("该指标不是资质认定数，无法按认定记录统计完成情况。")
        elif whole.required is None:
            self.summary.setText(f"{progress.year}年{progress.type_name}（{counted}）全区新增 {whole.actual} 家；"
                                 "尚未设定全区目标。")
        else:
            self.summary.setText(
                f"{progress.year}年{progress.type_name}（{counted}）全区新增 {whole.actual} 家，"
                f"目标 {whole.required} 家（{whole.issuer or '各属地合计'}），完成率 {_pct(whole.completion_pct)}"
                + (f"，力争 {whole.stretch} 家{_reached(whole.stretch_reached)}" if whole.stretch is not None else "")
                + "。")
