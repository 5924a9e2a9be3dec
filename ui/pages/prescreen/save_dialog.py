"""保存为预审记录: who reviewed, the advice (proposed from the result for a single enterprise), the date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from services.audit import default_user
from services.errors import ValidationError
from services.prescreen.results import Evaluation
from services.prescreen.service import save_pre_reviews
from services.prescreen.text import advice_text
from services.progress import Progress
from ui.context import AppContext
from ui.widgets.dates import DateEdit
from ui.widgets.form_dialog import FormDialog


class SaveReviewDialog(FormDialog):
    """Saves ``evaluations`` as pre-reviews; ``saved`` carries the new ids.

    Attributes:
        reviewer, advice, reviewed_on: The fields.
    """

    def __init__(self, ctx: AppContext, evaluations: Sequence[Evaluation], parent: QWidget | None = None) -> None:
        count = len(evaluations)
        super().__init__(ctx, "保存为预审记录" if count == 1 else f"保存为预审记录（{count} 家）", parent)
        self.evaluations = list(evaluations)
        self.reviewer = QLineEdit(default_user())
        self.reviewed_on = DateEdit()
        self.reviewed_on.set_date(dt.date.today())
        self.advice = QPlainTextEdit(advice_text(self.evaluations[0]) if count == 1 else "")
        self.advice.setPlaceholderText("留空时按每家企业的预审结果自动生成" if count > 1 else "")
        self.form.add("reviewer", "预审人", self.reviewer, required=True)
        self.form.add("reviewed_on", "预审日期", self.reviewed_on, required=True)
        self.form.add("advice", "建议", self.advice)
        self.resize(self.fontMetrics().horizontalAdvance("M") * 44, self.sizeHint().height())

    def work(self) -> Callable[[Progress], Any]:
        problem = self.reviewed_on.problem()
        if problem or self.reviewed_on.date() is None:
            raise ValidationError({"reviewed_on": problem or "请填写预审日期"})
        day, reviewer = self.reviewed_on.date(), self.reviewer.text()
        advice = self.advice.toPlainText().strip() or None
        db, evaluations = self.ctx.opened.db, self.evaluations
        return lambda _progress: save_pre_reviews(db, evaluations, reviewer=reviewer, advice=advice, reviewed_on=day)
