"""预审 page: pre-screen a pool or a filtered part of the register against one rule set, in the background.

The results table gives each enterprise's verdict, score band, near-miss flag and the reason in one line; the
selected one is explained criterion by criterion beside it. 假设分析 opens the enterprise's own panel (what-if and
saving one pre-review); the shown rows can be exported to xlsx and PDF for the pre-review meeting, and the selected
ones saved as pre-reviews.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from services.prescreen.export import write_pdf, write_xlsx
from services.prescreen.results import Evaluation, Verdict
from services.prescreen.rules import load_library
from services.prescreen.service import BatchResult, prescreen_batch
from services.prescreen.store import Selection, SelectionChoices, selection_choices
from ui.context import AppContext
from ui.errors import inform
from ui.operations import Changes, Op
from ui.pages.prescreen.enterprise_panel import DEFAULT_RULES, PrescreenPanel
from ui.pages.prescreen.evaluation_view import HINT, RED, EvaluationView
from ui.pages.prescreen.model import BatchModel
from ui.pages.prescreen.save_dialog import SaveReviewDialog
from ui.pages.style import page_title

#: What the 显示 filter offers: label → test on an evaluation.
SHOWN = {
    "全部": lambda e: True,
    "符合": lambda e: e.verdict is Verdict.QUALIFIES,
    "不符合": lambda e: e.verdict is Verdict.DOES_NOT_QUALIFY,
    "临界": lambda e: e.near_miss,
    "待定": lambda e: e.verdict is Verdict.CANNOT_TELL,
}


@dataclass(frozen=True)
class PageChoices:
    codes: tuple[tuple[str, str], ...]
    selection: SelectionChoices


def load_choices(db: Any) -> PageChoices:
    return PageChoices(tuple(load_library().codes()), selection_choices(db))


class PrescreenPage(QWidget):
    """The batch pre-screening page.

    Attributes:
        results: One row per enterprise shown (key: enterprise id).
        detail: The selected enterprise explained.
        batch: The last batch, once run.
        shown: The evaluations the filter lets through, in table order at the time of filtering.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.batch: BatchResult | None = None
        self.shown: list[Evaluation] = []
        self._loaded = False

        self.rules = QComboBox()
        self.rules.setObjectName("batch_rules")
        self.rules.addItem(DEFAULT_RULES, DEFAULT_RULES)
        self.year = QSpinBox()
        self.year.setRange(1990, dt.date.today().year + 5)
        self.year.setValue(dt.date.today().year)
        self.year.setSuffix(" 年")
        self.scope = QComboBox()
        self.scope.addItem("全部企业", None)
        self.subdistrict = QComboBox()
        self.subdistrict.addItem("全部属地", None)
        self.query = QLineEdit()
        self.query.setPlaceholderText("名称、信用代码或拼音首字母")
        self.run_button = QPushButton("开始预审")
        self.run_button.setDefault(True)
        row1 = QHBoxLayout()
        for label, widget in (("对照规则", self.rules), ("申报年度", self.year), ("范围", self.scope),
                              ("属地", self.subdistrict)):
            row1.addWidget(QLabel(label))
            row1.addWidget(widget)
        row1.addWidget(self.query, 1)
        row1.addWidget(self.run_button)

        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(f"color: {RED};")
        self.problems.hide()
        self.summary = QLabel("选择规则与范围后按“开始预审”。")
        self.summary.setObjectName("batch_summary")
        self.summary.setWordWrap(True)
        self.filter = QComboBox()
        self.filter.addItems(list(SHOWN))
        self.export_xlsx_button = QPushButton("导出 Excel…")
        self.export_pdf_button = QPushButton("导出 PDF…")
        self.save_button = QPushButton("所选保存为预审记录…")
        self.what_if_button = QPushButton("假设分析…")
        row2 = QHBoxLayout()
        row2.addWidget(QLabel("显示"))
        row2.addWidget(self.filter)
        row2.addStretch(1)
        for button in (self.what_if_button, self.save_button, self.export_xlsx_button, self.export_pdf_button):
            button.setEnabled(False)
            row2.addWidget(button)

        self.model = BatchModel(self)
        self.results = QTableView()
        self.results.setObjectName("batch_results")
        self.results.setModel(self.model)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setAlternatingRowColors(True)
        self.results.setWordWrap(False)
        self.results.verticalHeader().hide()
        self.results.horizontalHeader().setStretchLastSection(True)
        self.results.setSortingEnabled(True)
        self.detail = EvaluationView()
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.results)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(page_title("预审"))
        layout.addLayout(row1)
        layout.addWidget(self.problems)
        layout.addWidget(self.summary)
        layout.addLayout(row2)
        layout.addWidget(split, 1)

        self.run_button.clicked.connect(self.run)
        self.query.returnPressed.connect(self.run)
        self.filter.currentTextChanged.connect(lambda _text: self.apply_filter())
        self.results.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.export_xlsx_button.clicked.connect(lambda: self._ask_path("xlsx"))
        self.export_pdf_button.clicked.connect(lambda: self._ask_path("pdf"))
        self.save_button.clicked.connect(self.open_save_dialog)
        self.what_if_button.clicked.connect(self.open_what_if)
        ctx.runner.operation_did_execute.connect(self._on_changes)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            db = self.ctx.opened.db
            Op(self, lambda _progress: load_choices(db)).success(self._show_choices).run(self.ctx.runner)

    def _show_choices(self, choices: PageChoices) -> None:
        current = self.rules.currentData()
        self.rules.clear()
        for code, name in choices.codes:
            self.rules.addItem(name, code)
        self.rules.setCurrentIndex(max(self.rules.findData(current), 0))
        for pool in choices.selection.pools:
            self.scope.addItem(f"{pool.year}年{pool.kind}（{pool.members:,} 家）", f"{pool.kind}|{pool.year}")
        for sub_id, name in choices.selection.subdistricts:
            self.subdistrict.addItem(name, sub_id)

    def selection(self) -> Selection:
        pool = self.scope.currentData()
        kind, year = pool.split("|") if pool else (None, None)
        return Selection(query=self.query.text().strip(), subdistrict_id=self.subdistrict.currentData(),
                         pool_kind=kind, pool_year=int(year) if year else None)

    def run(self) -> None:
        """Pre-screen the chosen enterprises on the database worker, with progress and cancel."""
        db, code, year, selection = self.ctx.opened.db, str(self.rules.currentData()), self.year.value(), \
            self.selection()
        self.run_button.setEnabled(False)
        Op(self, lambda progress: prescreen_batch(db, code, year, selection, progress=progress)) \
            .with_progress("正在预审…").success(self.show_batch) \
            .on_done(lambda: self.run_button.setEnabled(True)).run(self.ctx.runner)

    def show_batch(self, batch: BatchResult) -> None:
        self.batch = batch
        self.problems.setText("\n".join(batch.problems))
        self.problems.setVisible(bool(batch.problems))
        rs = batch.rule_set
        self.summary.setStyleSheet("")
        self.summary.setText(
            f"{rs.name}（{rs.version} 版），申报年度 {batch.year}，申报日期 {batch.as_of.isoformat()}："
            f"共 {len(batch.evaluations):,} 家，符合 {batch.count(Verdict.QUALIFIES):,}，"
            f"不符合 {batch.count(Verdict.DOES_NOT_QUALIFY):,}（其中临界 {len(batch.near_misses):,}），"
            f"待定 {batch.count(Verdict.CANNOT_TELL):,}")
        self.apply_filter()

    def apply_filter(self) -> None:
        """Show the evaluations the 显示 filter lets through."""
        test = SHOWN[self.filter.currentText()]
        self.shown = [e for e in (self.batch.evaluations if self.batch else ()) if test(e)]
        self.model.set_evaluations(self.shown)
        if self.shown:
            width = self.fontMetrics().horizontalAdvance("M")
            for column, chars in enumerate((24, 14, 8, 9, 8, 4)):
                self.results.setColumnWidth(column, width * chars)
        for button in (self.export_xlsx_button, self.export_pdf_button):
            button.setEnabled(bool(self.shown))
        self._selection_changed()

    def selected(self) -> list[Evaluation]:
        rows = sorted(index.row() for index in self.results.selectionModel().selectedRows())
        return [self.model.evaluations[row] for row in rows]

    def _selection_changed(self) -> None:
        chosen = self.selected()
        self.detail.show_evaluation(chosen[0] if len(chosen) == 1 else None)
        self.save_button.setEnabled(bool(chosen))
        self.what_if_button.setEnabled(len(chosen) == 1)

    def _ask_path(self, kind: str) -> None:
        if self.batch is None:
            return
        name = f"{self.batch.rule_set.name}预审名单{self.batch.year}.{kind}"
        filters = "Excel 工作簿 (*.xlsx)" if kind == "xlsx" else "PDF 文件 (*.pdf)"
        path, _ = QFileDialog.getSaveFileName(self, "导出预审名单", str(Path.home() / name), filters)
        if path:
            self.export(Path(path), kind)

    def export(self, path: Path, kind: str) -> None:
        """Write the shown rows to ``path`` (xlsx or pdf) on the worker, then say where it is."""
        batch, shown = self.batch, list(self.shown)
        if batch is None:
            return
        writer = write_xlsx if kind == "xlsx" else write_pdf
        Op(self, lambda _progress: writer(path, batch, shown)).with_progress("正在导出…") \
            .success(lambda written: inform(self, f"已导出 {len(shown):,} 家企业的预审结果：{written}",
                                            sink=self.ctx.sink)).run(self.ctx.runner)

    def open_save_dialog(self) -> SaveReviewDialog | None:
        chosen = self.selected()
        if not chosen:
            return None
        dialog = SaveReviewDialog(self.ctx, chosen, self)
        dialog.saved.connect(lambda ids: inform(self, f"已保存 {len(ids):,} 条预审记录。", sink=self.ctx.sink))
        dialog.open()
        return dialog

    def open_what_if(self) -> QDialog | None:
        """The selected enterprise's own panel in a window: what-if, and saving its pre-review."""
        chosen = self.selected()
        if len(chosen) != 1 or chosen[0].enterprise_id is None:
            return None
        ev, enterprise_id = chosen[0], chosen[0].enterprise_id
        window = QDialog(self)
        window.setWindowTitle(f"假设分析 — {ev.name}")
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        panel = PrescreenPanel(self.ctx, enterprise_id, window, rule_code=ev.rule_code, year=ev.year)
        panel.what_if_button.setChecked(True)
        QVBoxLayout(window).addWidget(panel)
        width = self.fontMetrics().horizontalAdvance("M") * 90
        window.resize(width, width * 3 // 4)
        window.show()
        return window

    def _on_changes(self, changes: Changes, initiator: object) -> None:
        if self.batch is not None and (changes.enterprise or changes.qualification):
            self.summary.setStyleSheet(f"color: {HINT};")
            if "数据已有变动" not in self.summary.text():
                self.summary.setText(f"{self.summary.text()}（数据已有变动，重新预审可看到最新结果）")

