"""The pre-screening panel of one enterprise — self-contained, for the 预审 tab of the enterprise dialog (and the
pre-screening page's what-if window).

Pick a rule set and an application year and the enterprise is evaluated on the database worker: every criterion
explained, the score band, the 直通车 routes. 假设分析 opens the figures of the three accounting years and the
clerk's answers for editing; 按修改后的数据计算 evaluates again without saving anything. 保存为预审记录 records the
result (not a what-if one) as a pre-review and emits :attr:`PrescreenPanel.saved`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from services.errors import ValidationError
from services.prescreen.facts import WhatIf
from services.prescreen.inputs import InputSpec
from services.prescreen.results import Evaluation
from services.prescreen.rules import load_library
from services.prescreen.service import prescreen_enterprise
from services.qualifications import YearFacts, list_year_facts
from ui.context import AppContext
from ui.errors import show_error
from ui.operations import Changes, Op
from ui.pages.prescreen.evaluation_view import RED, EvaluationView
from ui.pages.prescreen.save_dialog import SaveReviewDialog
from ui.pages.prescreen.what_if import WhatIfEditor

DEFAULT_RULES = "national_hte"


@dataclass(frozen=True)
class PanelData:
    """What one evaluation run brings back from the database worker."""

    codes: tuple[tuple[str, str], ...]
    problems: tuple[str, ...]
    evaluation: Evaluation
    stored: tuple[YearFacts, ...]
    specs: tuple[InputSpec, ...]


def evaluate_enterprise(db: Any, enterprise_id: int, code: str, year: int, inputs: dict[str, Any] | None,
                        what_if: WhatIf | None) -> PanelData:
    """On the database worker: the rule sets, the evaluation and the stored figures."""
    library = load_library()
    ev = prescreen_enterprise(db, enterprise_id, code, year, inputs=inputs, what_if=what_if, library=library)
    rule_set = next(r for r in library.versions(code) if r.version == ev.rule_version)
    return PanelData(tuple(library.codes()), library.problems, ev, tuple(list_year_facts(db, enterprise_id)),
                     rule_set.inputs)


class PrescreenPanel(QWidget):
    """Pre-screening of one enterprise.

    Attributes:
        enterprise_id: The enterprise.
        rules, year: The rule set and the application year.
        view: The evaluation shown.
        editor: The what-if figures and answers (shown by 假设分析).
        evaluation: The evaluation shown, once there is one.

    Signals:
        saved(): a pre-review was recorded.
        evaluated(object): an evaluation arrived (the :class:`Evaluation`).
    """

    saved = Signal()
    evaluated = Signal(object)

    def __init__(self, ctx: AppContext, enterprise_id: int, parent: QWidget | None = None, *,
                 rule_code: str = DEFAULT_RULES, year: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.enterprise_id = enterprise_id
        self.evaluation: Evaluation | None = None
        self._stale = True
        self._busy = False

        self.rules = QComboBox()
        self.rules.setObjectName("prescreen_rules")
        self.rules.addItem(rule_code, rule_code)
        self.year = QSpinBox()
        self.year.setObjectName("prescreen_year")
        self.year.setRange(1990, dt.date.today().year + 5)
        self.year.setValue(year or dt.date.today().year)
        self.year.setSuffix(" 年")
        self.run_button = QPushButton("重新预审")
        self.what_if_button = QPushButton("假设分析")
        self.what_if_button.setCheckable(True)
        self.save_button = QPushButton("保存为预审记录")
        self.save_button.setEnabled(False)
        top = QHBoxLayout()
        for widget in (QLabel("对照规则"), self.rules, QLabel("申报年度"), self.year, self.run_button):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.what_if_button)
        top.addWidget(self.save_button)

        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(f"color: {RED};")
        self.problems.hide()
        self.view = EvaluationView()
        self.editor = WhatIfEditor()
        self.apply_button = QPushButton("按修改后的数据计算（不保存）")
        self.reset_button = QPushButton("恢复原数据")
        self.what_if_box = QWidget()
        box = QVBoxLayout(self.what_if_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel("假设分析：修改下面的数据或确认事项，再按“按修改后的数据计算”。台账中的数据不会改变。"))
        box.addWidget(self.editor, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.apply_button)
        box.addLayout(buttons)
        self.what_if_box.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.problems)
        layout.addWidget(self.view, 3)
        layout.addWidget(self.what_if_box, 2)

        self.run_button.clicked.connect(self.refresh)
        self.rules.activated.connect(lambda _index: self.refresh())
        self.year.editingFinished.connect(self._year_changed)
        self.what_if_button.toggled.connect(self.what_if_box.setVisible)
        self.apply_button.clicked.connect(self.apply_what_if)
        self.reset_button.clicked.connect(self.reset_what_if)
        self.save_button.clicked.connect(self.open_save_dialog)
        ctx.runner.operation_did_execute.connect(self._on_changes)

    @property
    def rule_code(self) -> str:
        return str(self.rules.currentData())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _on_changes(self, changes: Changes, initiator: object) -> None:
        if (changes.enterprise or changes.qualification) and initiator is not self:
            self._stale = True
            if self.isVisible():
                self.refresh()

    def _year_changed(self) -> None:
        if self.evaluation is None or self.evaluation.year != self.year.value():
            self.refresh()

    def refresh(self) -> None:
        """Evaluate on the stored figures with the saved answers (what-if edits are dropped)."""
        self._run(None, None, reload_editor=True)

    def apply_what_if(self) -> None:
        """Evaluate with the editor's figures and answers, saving nothing."""
        try:
            what_if = self.editor.what_if()
        except ValidationError as exc:
            show_error(self, exc, sink=self.ctx.sink)
            return
        self._run(self.editor.answers(), what_if, reload_editor=False)

    def reset_what_if(self) -> None:
        self.editor.reset()
        self._run(self.editor.answers(), None, reload_editor=False)

    def _run(self, inputs: dict[str, Any] | None, what_if: WhatIf | None, *, reload_editor: bool) -> None:
        if self._busy:
            return
        self._busy = True
        self._stale = False
        self.save_button.setEnabled(False)
        db, eid, code, year = self.ctx.opened.db, self.enterprise_id, self.rule_code, self.year.value()
        Op(self, lambda _progress: evaluate_enterprise(db, eid, code, year, inputs, what_if)) \
            .success(lambda data: self._show(data, reload_editor)) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)) \
            .on_done(self._done).run(self.ctx.runner)

    def _done(self) -> None:
        self._busy = False

    def _show(self, data: PanelData, reload_editor: bool) -> None:
        if [self.rules.itemData(i) for i in range(self.rules.count())] != [c for c, _ in data.codes]:
            current = self.rule_code
            self.rules.clear()
            for code, name in data.codes:
                self.rules.addItem(name, code)
            self.rules.setCurrentIndex(max(self.rules.findData(current), 0))
        self.problems.setText("\n".join(data.problems))
        self.problems.setVisible(bool(data.problems))
        ev = data.evaluation
        self.evaluation = ev
        self.view.show_evaluation(ev)
        if reload_editor:
            self.editor.load(ev.year, data.stored, data.specs, dict(ev.inputs))
        self.save_button.setEnabled(not ev.overrides)
        self.save_button.setToolTip("假设分析的结果不能保存；恢复原数据后再保存。" if ev.overrides else "")
        self.evaluated.emit(ev)

    def open_save_dialog(self) -> SaveReviewDialog | None:
        """Ask who reviewed and the advice, then record the shown evaluation as a pre-review."""
        if self.evaluation is None or self.evaluation.overrides:
            return None
        dialog = SaveReviewDialog(self.ctx, [self.evaluation], self)
        dialog.saved.connect(lambda _ids: self.saved.emit())
        dialog.open()
        return dialog
