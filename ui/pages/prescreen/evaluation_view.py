"""One enterprise's evaluation explained: the verdict with its score band, every criterion (result, figure,
requirement, margin, what is missing), the score item by item, and the 直通车 routes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from services.prescreen.numbers import number, span
from services.prescreen.results import SCORE_BASIS_TEXT, STATUS_TEXT, Evaluation, Status, Verdict
from services.prescreen.text import advice_text, verdict_label
from ui.pages.style import scaled_font
from ui.widgets.form_field import HINT_COLOR
from ui.widgets.records import TONES, Column, Record, RecordView

STATUS_TONES = {Status.PASS: "ok", Status.FAIL: "overdue", Status.UNKNOWN: "urgent"}
VERDICT_TONES = {Verdict.QUALIFIES: "ok", Verdict.DOES_NOT_QUALIFY: "overdue", Verdict.CANNOT_TELL: "urgent"}


class EvaluationView(QWidget):
    """Shows an :class:`Evaluation` (or nothing).

    Attributes:
        verdict: The verdict line (结论, 得分, rule version, date).
        notes: What-if changes, carried-over answers, the advice.
        criteria: One row per criterion; the tooltip is the full explanation.
        score: One row per score item (group, points, how they were found).
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
        self.notes.setStyleSheet(f"color: {HINT_COLOR};")
        self.criteria = RecordView([Column("条件"), Column("结果"), Column("企业情况"), Column("要求"), Column("差距"),
                                    Column("缺少或待确认")])
        self.criteria.setObjectName("prescreen_criteria")
        self.criteria.setWordWrap(True)
        self.score = RecordView([Column("评分项"), Column("分组"), Column("得分", numeric=True),
                                 Column("满分", numeric=True), Column("依据"), Column("说明")])
        self.score.setObjectName("prescreen_score")
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
            self.criteria.set_records([])
            self.score.set_records([])
            return
        score = f"    评价得分 {ev.score.text}" if ev.score else ""
        self.verdict.setText(f"{ev.name}：{verdict_label(ev)}{score}")
        self.verdict.setStyleSheet(f"color: {TONES[VERDICT_TONES[ev.verdict]]};")
        lines = [f"{ev.rule_name}（{ev.rule_version} 版），申报年度 {ev.year}，申报日期 {ev.as_of.isoformat()}"]
        if ev.overrides:
            lines.append(f"假设（未保存）：{'；'.join(ev.overrides)}")
        if ev.inputs_from:
            lines.append(f"确认事项沿用 {ev.inputs_from.isoformat()} 的预审记录")
        lines += [f"直通车：{r.label} — {STATUS_TEXT[r.status]}（{r.explanation}）" for r in ev.routes]
        lines.append(f"建议：{advice_text(ev)}")
        self.notes.setText("\n".join(lines))
        self.criteria.set_records([
            Record(c.key, (c.label, STATUS_TEXT[c.status], c.value_text, c.threshold,
                           c.margin.text if c.margin else "", "；".join(c.missing)),
                   STATUS_TONES[c.status], "\n".join(t for t in (c.explanation, c.basis, c.note) if t))
            for c in ev.criteria])
        groups = {g.key: g.label for g in ev.score.groups} if ev.score else {}
        self.score.set_records([
            Record(i.key, (i.label, groups.get(i.group, ""), span(i.low, i.high), number(i.maximum),
                           SCORE_BASIS_TEXT[i.basis], i.explanation), None, i.explanation)
            for i in (ev.score.items if ev.score else ())])
