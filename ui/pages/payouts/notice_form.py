"""The fields of a notice, with its title kept after the district's pattern while the clerk has not written one.

While the title is empty or still the suggestion, changing the programme, the cohort year or the batch changes the
title with them (关于兑现[区名][年度][第N批][项目]资金的通知, :func:`services.payouts.suggest_title`); a title
the clerk typed is left alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QSpinBox, QWidget

from services.errors import ValidationError
from services.payouts import NoticeInput, suggest_title
from ui.widgets.dates import DateEdit
from ui.widgets.form_field import FieldForm

KEYS = ("programme", "cohort_year", "batch_no", "title", "doc_no", "issued_on", "notes")


class NoticeForm(FieldForm):
    """政策项目, 认定年度, 批次, 通知标题, 文号, 发文日期, 备注.

    Attributes:
        district: The district named in suggested titles.

    Signals:
        edited(): the clerk changed a field.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.district = ""
        self._filling = False
        self._suggested = ""
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("notice_title")
        self.suggest_button = QPushButton("按格式生成")
        self.suggest_button.setToolTip("关于兑现[区名][年度][第N批][项目]资金的通知")
        title_row = QWidget()
        row = QHBoxLayout(title_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.title_edit, 1)
        row.addWidget(self.suggest_button)
        self.programme = QComboBox()
        self.programme.setObjectName("notice_programme")
        self.programme.setEditable(True)
        self.doc_no = QLineEdit()
        self.doc_no.setPlaceholderText("如 拱科发〔2019〕12号")
        self.cohort = QSpinBox()
        self.cohort.setRange(1990, 2200)
        self.batch = QSpinBox()
        self.batch.setRange(0, 99)
        self.batch.setSpecialValueText("不分批")
        self.issued = DateEdit()
        self.notes = QLineEdit()
        self.add("programme", "政策项目", self.programme, required=True)
        self.add("cohort_year", "认定年度", self.cohort, required=True, hint="通常为发文的上一年")
        self.add("batch_no", "批次", self.batch)
        self.add("title", "通知标题", title_row, required=True)
        self.add("doc_no", "文号", self.doc_no)
        self.add("issued_on", "发文日期", self.issued, required=True)
        self.add("notes", "备注", self.notes)
        self.suggest_button.clicked.connect(self.suggest)
        for signal in (self.title_edit.textEdited, self.doc_no.textEdited, self.issued.textEdited,
                       self.notes.textEdited):
            signal.connect(self._edited)
        for signal in (self.programme.currentTextChanged, self.cohort.valueChanged, self.batch.valueChanged):
            signal.connect(self._key_field_edited)

    def set_programmes(self, names: Sequence[str]) -> None:
        """Offer ``names`` (the typed programme stays)."""
        current = self.programme.currentText()
        self._filling = True
        self.programme.clear()
        self.programme.addItems(list(dict.fromkeys(names)))
        self.programme.setEditText(current)
        self._filling = False

    def fill(self, data: NoticeInput) -> None:
        """Show ``data`` (not an edit)."""
        self._filling = True
        self.title_edit.setText(data.title)
        self.programme.setEditText(data.programme)
        self.cohort.setValue(data.cohort_year)
        self.batch.setValue(data.batch_no or 0)
        self.doc_no.setText(data.doc_no or "")
        self.issued.set_date(data.issued_on)
        self.notes.setText(data.notes or "")
        self._filling = False
        self._suggested = data.title if data.title == self._suggestion() else ""
        self.clear_problems()

    def set_editable(self, editable: bool) -> None:
        for key in KEYS:
            self.editor(key).setEnabled(editable)

    def input(self, district_id: int | None) -> NoticeInput:
        """The notice as entered; raises ValidationError when the date cannot be read or is missing."""
        issued = self.issued.date()
        if issued is None:
            raise ValidationError({"issued_on": self.issued.problem() or "发文日期不能为空"})
        return NoticeInput(self.title_edit.text(), self.programme.currentText(), self.cohort.value(), issued,
                           self.doc_no.text(), self.batch.value() or None, self.notes.text(), district_id)

    def _edited(self) -> None:
        if not self._filling:
            self.edited.emit()

    def _suggestion(self) -> str:
        programme = self.programme.currentText().strip()
        if not programme:
            return ""
        return suggest_title(programme, self.cohort.value(), district=self.district,
                             batch_no=self.batch.value() or None)

    def _key_field_edited(self) -> None:
        """Programme, year or batch changed: keep a title that was the suggestion in step with it."""
        if self._filling:
            return
        title = self.title_edit.text().strip()
        if not title or title == self._suggested:
            self.suggest()
        self._edited()

    def suggest(self) -> None:
        """Fill the title after the pattern of the district's notices."""
        self._suggested = self._suggestion()
        self.title_edit.setText(self._suggested)
        self._edited()

    @staticmethod
    def blank(today: dt.date) -> NoticeInput:
        """What a new notice starts with: cohort last year, issued today."""
        return NoticeInput("", "", today.year - 1, today)
