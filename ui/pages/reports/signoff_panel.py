"""The sign-off box of the reports page: sign the generated files off (managers) and see who signed what.

The list checks the files in the output folder against the fingerprints taken at signing, so a workbook edited after
signing shows as changed. The service refuses clerks (:func:`services.reports.signoff.sign_report`); the button is
only a convenience.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from services.reports.package import PackageResult
from services.reports.period import Period
from services.reports.signoff import SAME, Signoff, sign_report, signoffs
from services.users import current_actor
from ui.context import AppContext
from ui.errors import show_error
from ui.operations import Op


class SignoffPanel(QGroupBox):
    """Sign-offs of the report and period chosen on the page.

    Attributes:
        records: The sign-offs last shown, newest first.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("签发（科长或局领导）"), parent)
        self.ctx = ctx
        self.records: list[Signoff] = []
        self._kind = "quarterly"
        self._period: Period | None = None
        self._folder: Path | None = None
        self._result: PackageResult | None = None
        self.sign_button = QPushButton(self.tr("签发本次生成的文件…"))
        self.sign_button.setToolTip(self.tr("记录签发人、时间和每个文件的指纹；之后文件若被改动，这里会显示"))
        self.sign_button.clicked.connect(self.sign)
        self.list_label = QLabel()
        self.list_label.setWordWrap(True)
        self.list_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.sign_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.list_label)
        self._update_button()

    def show_for(self, kind: str, period: Period, folder: Path, result: PackageResult | None) -> None:
        """Show the sign-offs of ``kind`` and ``period``, checking files in ``folder``; ``result`` can be signed."""
        self._kind, self._period, self._folder = kind, period, folder
        matches = result is not None and result.files and result.files[0].stem == f"{kind}_{period.tag}"
        self._result = result if matches else None
        self._update_button()
        db = self.ctx.opened.db
        Op(self, lambda _p: signoffs(db, kind, period, folder)).success(self._show).run(self.ctx.runner)

    def _show(self, records: list[Signoff]) -> None:
        self.records = records
        if not records:
            self.list_label.setText(self.tr("本期尚未签发。"))
            return
        lines = []
        for record in records:
            when = f"{record.signed_at.astimezone():%Y-%m-%d %H:%M}"
            state = self.tr("文件与签发时一致") if record.intact else self.tr("文件有变化：") + "、".join(
                f"{f.name}{f.state}" for f in record.files if f.state != SAME)
            note = f"（{record.notes}）" if record.notes else ""
            lines.append(self.tr("{who} 于 {when} 签发{note}；{state}").format(
                who=record.signed_by, when=when, note=note, state=state))
        self.list_label.setText("\n".join(lines))

    def _update_button(self) -> None:
        self.sign_button.setEnabled(self._result is not None)

    def sign(self) -> None:
        """Ask, then record the sign-off of the last generated files."""
        if self._result is None or self._period is None:
            return
        files, period, kind = self._result.files, self._period, self._kind
        question = self.tr("以“{who}”的名义签发以下文件？\n{files}").format(
            who=current_actor().display_name, files="\n".join(p.name for p in files))
        if not self._confirm(question):
            return
        db, actor = self.ctx.opened.db, current_actor()
        Op(self, lambda _p: sign_report(db, actor, kind, period, files)) \
            .success(lambda _s: self.show_for(kind, period, files[0].parent, self._result)) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)

    def _confirm(self, question: str) -> bool:
        if self.ctx.sink is not None:  # tests and scripted runs: record the question and go ahead
            self.ctx.sink(self, self.tr("签发"), question, None)  # type: ignore[arg-type]
            return True
        answer = QMessageBox.question(self, self.tr("签发"), question)
        return answer == QMessageBox.StandardButton.Yes
