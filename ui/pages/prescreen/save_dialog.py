"""保存为预审记录: who reviewed, on which day, and the advice (proposed from the result for a single enterprise).

保存 runs the save on the database worker; the service's problems (a missing reviewer …) are shown in the dialog,
which stays open with what was typed. On success the dialog closes and :attr:`SaveReviewDialog.saved` carries the
new pre-review ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from services.audit import default_user
from services.errors import UserFacingError
from services.prescreen.results import Evaluation
from services.prescreen.service import save_pre_reviews
from services.prescreen.text import advice_text
from ui.context import AppContext
from ui.errors import show_error
from ui.operations import Changes, Op
from ui.pages.prescreen.evaluation_view import RED


class SaveReviewDialog(QDialog):
    """Saves ``evaluations`` as pre-reviews.

    Attributes:
        reviewer, reviewed_on, advice: The fields.
        message: Problems the save ran into.

    Signals:
        saved(object): the list of new pre-review ids.
    """

    saved = Signal(object)

    def __init__(self, ctx: AppContext, evaluations: Sequence[Evaluation], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.evaluations = list(evaluations)
        count = len(self.evaluations)
        self.setWindowTitle("保存为预审记录" if count == 1 else f"保存为预审记录（{count} 家）")
        self.reviewer = QLineEdit(default_user())
        self.reviewed_on = QDateEdit(QDate.currentDate())
        self.reviewed_on.setCalendarPopup(True)
        self.reviewed_on.setDisplayFormat("yyyy-MM-dd")
        self.advice = QPlainTextEdit(advice_text(self.evaluations[0]) if count == 1 else "")
        self.advice.setPlaceholderText("留空时按每家企业的预审结果自动生成")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {RED};")
        self.message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("预审人 *", self.reviewer)
        form.addRow("预审日期 *", self.reviewed_on)
        form.addRow("建议", self.advice)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(self.fontMetrics().horizontalAdvance("M") * 44, self.sizeHint().height())

    def submit(self) -> None:
        """保存: record the pre-reviews on the database worker; close when done."""
        self.message.hide()
        self.buttons.setEnabled(False)
        db, evaluations = self.ctx.opened.db, self.evaluations
        chosen = self.reviewed_on.date()
        reviewer, day = self.reviewer.text(), dt.date(chosen.year(), chosen.month(), chosen.day())
        advice = self.advice.toPlainText().strip() or None
        Op(self, lambda _progress: save_pre_reviews(db, evaluations, reviewer=reviewer, advice=advice,
                                                    reviewed_on=day)) \
            .changes(Changes(enterprise=True)).success(self._succeeded).failure(self._failed) \
            .on_done(lambda: self.buttons.setEnabled(True)).run(self.ctx.runner)

    def _succeeded(self, ids: list[int]) -> None:
        self.saved.emit(ids)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserFacingError):
            self.message.setText(str(exc))
            self.message.show()
        else:
            show_error(self, exc, sink=self.ctx.sink)
