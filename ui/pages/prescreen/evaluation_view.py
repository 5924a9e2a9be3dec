"""One enterprise's evaluation explained: the verdict with its score band, every criterion (result, figure,
requirement, margin, what is missing), the score item by item, and the 直通车 routes."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.prescreen.numbers import number, span
from services.prescreen.results import SCORE_BASIS_TEXT, STATUS_TEXT, Evaluation, Status, Verdict
from services.prescreen.text import advice_text, verdict_label
from ui.pages.style import scaled_font

#: Text colours: met, not met, open.
GREEN, RED, ORANGE = "#2e7d32", "#c62828", "#b25e00"
HINT = "#5f6b7a"
STATUS_COLORS = {Status.PASS: GREEN, Status.FAIL: RED, Status.UNKNOWN: ORANGE}
VERDICT_COLORS = {Verdict.QUALIFIES: GREEN, Verdict.DOES_NOT_QUALIFY: RED, Verdict.CANNOT_TELL: ORANGE}
CRITERIA_HEADERS = ("条件", "结果", "企业情况", "要求", "差距", "缺少或待确认")
SCORE_HEADERS = ("评分项", "分组", "得分", "满分", "依据", "说明")


def read_only_table(headers: Sequence[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


def fill(table: QTableWidget, rows: Sequence[tuple[Sequence[str], str | None, str]]) -> None:
    """Put ``rows`` — (cells, colour or None, tooltip) — into ``table`` and fit the columns."""
    table.setRowCount(len(rows))
    for r, (cells, color, tip) in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if color:
                item.setForeground(QBrush(QColor(color)))
            item.setToolTip(tip)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    limit = table.fontMetrics().horizontalAdvance("M") * 28
    for c in range(table.columnCount() - 1):
        table.setColumnWidth(c, min(table.columnWidth(c) + 8, limit))


class EvaluationView(QWidget):
    """Shows an :class:`Evaluation` (or nothing).

    Attributes:
        verdict: The verdict line (name, 结论, 得分).
        notes: Rule version and date, what-if changes, carried-over answers, routes, the advice.
        criteria: One row per criterion (columns :data:`CRITERIA_HEADERS`); the tooltip is the full explanation.
        score: One row per score item (columns :data:`SCORE_HEADERS`).
        evaluation: What is shown.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.evaluation: Evaluation | None = None
        self.verdict = QLabel("尚未预审。")
        self.verdict.setObjectName("prescreen_verdict")
        self.verdict.setFont(scaled_font(self.verdict, 1.2, bold=True))
        self.verdict.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes.setStyleSheet(f"color: {HINT};")
        self.criteria = read_only_table(CRITERIA_HEADERS, "prescreen_criteria")
        self.score = read_only_table(SCORE_HEADERS, "prescreen_score")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.criteria)
        split.addWidget(self.score)
        split.setChildrenCollapsible(False)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.verdict)
        layout.addWidget(self.notes)
        layout.addWidget(split, 1)

    def show_evaluation(self, ev: Evaluation | None) -> None:
        self.evaluation = ev
        if ev is None:
            self.verdict.setText("尚未预审。")
            self.verdict.setStyleSheet("")
            self.notes.clear()
            fill(self.criteria, [])
            fill(self.score, [])
            return
        score = f"    评价得分 {ev.score.text}" if ev.score else ""
        self.verdict.setText(f"{ev.name}：{verdict_label(ev)}{score}")
        self.verdict.setStyleSheet(f"color: {VERDICT_COLORS[ev.verdict]};")
        lines = [f"{ev.rule_name}（{ev.rule_version} 版），申报年度 {ev.year}，申报日期 {ev.as_of.isoformat()}"]
        if ev.overrides:
            lines.append(f"假设（未保存）：{'；'.join(ev.overrides)}")
        if ev.inputs_from:
            lines.append(f"确认事项沿用 {ev.inputs_from.isoformat()} 的预审记录")
        lines += [f"直通车：{r.label} — {STATUS_TEXT[r.status]}（{r.explanation}）" for r in ev.routes]
        lines.append(f"建议：{advice_text(ev)}")
        self.notes.setText("\n".join(lines))
        fill(self.criteria, [
            ((c.label, STATUS_TEXT[c.status], c.value_text, c.threshold, c.margin.text if c.margin else "",
              "；".join(c.missing)), STATUS_COLORS[c.status],
             "\n".join(t for t in (c.explanation, c.basis, c.note) if t))
            for c in ev.criteria])
        groups = {g.key: g.label for g in ev.score.groups} if ev.score else {}
        fill(self.score, [
            ((i.label, groups.get(i.group, ""), span(i.low, i.high), number(i.maximum), SCORE_BASIS_TEXT[i.basis],
              i.explanation), None, i.explanation)
            for i in (ev.score.items if ev.score else ())])

    def criterion_row(self, key: str) -> list[str]:
        """The cells of the criterion ``key`` as shown."""
        assert self.evaluation is not None
        row = [c.key for c in self.evaluation.criteria].index(key)
        return [self.criteria.item(row, col).text() for col in range(self.criteria.columnCount())]  # type: ignore[union-attr]
