"""从表格导入目标: the ``targets`` import kind in two steps — 预演 (what each row will do, the 合计 checks) and 导入.

The table is read as printed (属地 | 2017年国高企数 | 2018年新增数 | 2018年力争数 | … | 合计倍增数 | 合计力争数,
see :mod:`services.importing.targets`); the issuer chosen here applies to the whole table. The commit goes through
the import machinery: a backup first, one transaction, an import batch the 数据导入 page can revert.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.importing.commit import ImportResult, run_import
from services.importing.plan import ACTION_LABELS, ImportOptions, Plan, RowPlan
from ui.context import AppContext
from ui.errors import show_error
from ui.operations import Changes, Op
from ui.widgets.records import Column, Record, RecordView

TONES = {"skipped": "overdue", "create": "ok", "update": "urgent", "unchanged": "muted"}


def _describe(row: RowPlan) -> str:
    if row.issues:
        return "；".join(f"{i.column + '列：' if i.column else ''}{i.message}" for i in row.issues)
    parts = [f"{c.label} {c.old_text + '→' if c.old_text else ''}{c.new_text}" for c in row.changes]
    return "；".join(p for p in ("，".join(parts), row.note) if p)


def _choose_file(parent: QWidget) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "选择目标表", "", "表格 (*.xlsx *.xlsm *.xls *.ods *.csv)")
    return Path(name) if name else None


class TargetImportDialog(QDialog):
    """Import a target table.

    Attributes:
        path_edit: The file; issuer: 区 or 市.
        preview: One line per data row with its fate and why.
        plan: The latest dry run; outcome: the commit.
        choose_file: Asks for the file (tests replace it).
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan: Plan | None = None
        self.outcome: ImportResult | None = None
        self.choose_file: Callable[[QWidget], Path | None] = _choose_file
        self.setWindowTitle("从表格导入目标")
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("target_file")
        self.path_edit.setPlaceholderText("如：属地 | 2017年国高企数 | 2018年新增数 | 2018年力争数 | … | 合计倍增数")
        browse = QPushButton("浏览…")
        self.issuer = QComboBox()
        self.issuer.setObjectName("target_issuer")
        self.issuer.addItem("区下达（本区的分解表）", "区")
        self.issuer.addItem("市下达（市科技局下达本区的目标）", "市")
        self.dry_button = QPushButton("预演")
        self.commit_button = QPushButton("导入")
        self.commit_button.setEnabled(False)
        close = QPushButton("关闭")
        self.summary = QLabel("选择文件后先“预演”：看每一行将如何导入，合计数是否核对无误；确认后再“导入”。")
        self.summary.setObjectName("target_import_summary")
        self.summary.setWordWrap(True)
        self.preview = RecordView([Column("行", numeric=True), Column("属地"), Column("结果"), Column("说明")])
        self.preview.setObjectName("target_preview")
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("文件", file_row)
        form.addRow("下达单位", self.issuer)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.dry_button, self.commit_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)
        self.resize(self.fontMetrics().horizontalAdvance("M") * 80, self.fontMetrics().height() * 32)
        browse.clicked.connect(self.browse)
        self.dry_button.clicked.connect(self.dry_run)
        self.commit_button.clicked.connect(self.commit)
        close.clicked.connect(self.reject)
        self.path_edit.textChanged.connect(lambda _t: self.commit_button.setEnabled(False))
        self.issuer.currentIndexChanged.connect(lambda _i: self.commit_button.setEnabled(False))

    def browse(self) -> None:
        path = self.choose_file(self)
        if path is not None:
            self.path_edit.setText(str(path))
            self.dry_run()

    def options(self) -> ImportOptions:
        return ImportOptions(kind="targets", source=self.issuer.currentData())

    def dry_run(self) -> None:
        """Plan the import and show it; nothing is written."""
        path, options, db = Path(self.path_edit.text().strip()), self.options(), self.ctx.opened.db
        Op(self, lambda p: run_import(db, path, options, dry_run=True, progress=p)).success(self._planned) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).with_progress("正在读取目标表…") \
            .run(self.ctx.runner)

    def _planned(self, result: ImportResult) -> None:
        self.plan = result.plan
        self._show(result.plan)
        counts = result.plan.counts
        self.summary.setText(f"预演：数据 {len(result.plan.rows)} 行——" + "，".join(
            f"{ACTION_LABELS[a]} {n}" for a, n in counts.items() if n) + "。"
            + ("确认无误后点“导入”。" if result.plan.writes else "没有需要写入的变化。"))
        self.commit_button.setEnabled(result.plan.writes)

    def _show(self, plan: Plan) -> None:
        self.preview.set_records([Record(r.row, (r.row, r.name, ACTION_LABELS[r.action], _describe(r)),
                                         TONES.get(r.action), _describe(r)) for r in plan.rows])

    def commit(self) -> None:
        """Write what the dry run showed (refused when the data changed since)."""
        if self.plan is None:
            return
        path, options, db, expected = Path(self.path_edit.text().strip()), self.options(), self.ctx.opened.db, \
            self.plan
        self.commit_button.setEnabled(False)
        Op(self, lambda p: run_import(db, path, options, expected=expected, progress=p)) \
            .changes(Changes(target=True)).success(self._committed) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).with_progress("正在导入目标…") \
            .run(self.ctx.runner)

    def _committed(self, result: ImportResult) -> None:
        self.outcome = result
        self._show(result.plan)
        counts = result.plan.counts
        self.summary.setText(f"已导入：新增 {counts['create']} 行，更新 {counts['update']} 行，"
                             f"跳过 {counts['skipped']} 行。导入批次 {result.batch_no}，"
                             "可在“数据导入 ▸ 导入批次”中撤销。")
