"""预审: the pre-reviews saved for the enterprise, each with its criteria as they were judged.

The pre-screening module builds the evaluation itself. It adds its panel here with :func:`set_evaluation_panel`:
the panel is placed above the saved list, and the list reloads whenever the panel emits a ``saved`` signal (if it
has one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from services.enterprise_records import PreReviewRecord, list_pre_reviews
from ui.context import AppContext
from ui.pages.enterprises.tab_base import RecordTab
from ui.widgets.form_field import HINT_COLOR
from ui.widgets.records import Column, Record, RecordView

RESULT_LABELS = {"pass": "符合", "fail": "不符合", "unknown": "缺少数据"}
RESULT_TONES = {"pass": "ok", "fail": "overdue", "unknown": "urgent"}
VERDICT_TONES = {"符合": "ok", "不符合": "overdue", "待定": "urgent"}

PanelFactory = Callable[[AppContext, int], QWidget]
_panel_factory: PanelFactory | None = None


def set_evaluation_panel(factory: PanelFactory | None) -> None:
    """Show ``factory(ctx, enterprise_id)`` above the saved pre-reviews of every enterprise window opened later."""
    global _panel_factory
    _panel_factory = factory


class PreReviewTab(RecordTab):
    """Saved pre-reviews above, the selected one's criteria below.

    Attributes:
        panel: The evaluation panel of the pre-screening module (:func:`set_evaluation_panel`), if any.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.panel: QWidget | None = None
        self.reviews = RecordView([Column("预审日期"), Column("对照"), Column("结论"), Column("得分", numeric=True),
                                   Column("预审人"), Column("建议")])
        self.criteria = RecordView([Column("条件"), Column("判断"), Column("企业情况"), Column("要求")])
        self.empty = QLabel("尚无预审记录。")
        self.empty.setStyleSheet(f"color: {HINT_COLOR};")
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(self.reviews)
        self.split.addWidget(self.criteria)
        self.split.setChildrenCollapsible(False)
        self.main = QVBoxLayout(self)
        self.main.setContentsMargins(16, 16, 16, 16)
        self.main.addWidget(self.empty)
        self.main.addWidget(self.split, 1)
        self.reviews.selectionModel().currentRowChanged.connect(lambda *_: self._show_criteria())

    def set_enterprise(self, enterprise_id: int | None) -> None:
        if enterprise_id is not None and _panel_factory is not None and self.panel is None:
            self.panel = _panel_factory(self.ctx, enterprise_id)
            self.main.insertWidget(0, self.panel)
            saved = getattr(self.panel, "saved", None)
            if saved is not None:
                saved.connect(lambda *_: self.reload())
        super().set_enterprise(enterprise_id)

    def fetch(self, db: Any, enterprise_id: int) -> list[PreReviewRecord]:
        return list_pre_reviews(db, enterprise_id)

    def show_data(self, data: list[PreReviewRecord]) -> None:
        self.empty.setVisible(not data)
        self.reviews.set_records([
            Record(r.id, (r.reviewed_on, r.rule_set_name, r.verdict, r.score, r.reviewer, r.advice),
                   VERDICT_TONES.get(r.verdict), r.advice or "")
            for r in data])
        if self.reviews.current_key() is None and data:
            self.reviews.select_key(data[0].id)
        self._show_criteria()

    def _show_criteria(self) -> None:
        review = next((r for r in self.data or () if r.id == self.reviews.current_key()), None)
        self.criteria.set_records([
            Record(n, (c.criterion, RESULT_LABELS.get(c.result, c.result), c.value, c.requirement),
                   RESULT_TONES.get(c.result))
            for n, c in enumerate(review.criteria if review else ())])
