"""The import wizard: file and sheet → header and data range → column mapping → dry run preview → commit.

Every step that reads the file or the database runs as an :class:`ui.operations.Op` on the database worker; the
commit shows progress and can be cancelled (the transaction is rolled back). The preview lists every data row:
errors in red with their reasons, updates as old → new, and rows that only resemble a registered enterprise side
by side with it, to be accepted as that enterprise or as a new one (the dry run is then made again).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.importing.commit import ImportResult, run_import
from services.importing.export import export_errors
from services.importing.header import cell_text
from services.importing.kinds import KIND_LABELS, KINDS, kind_for
from services.importing.mapping import ColumnMap, default_year, save_mapping
from services.importing.plan import ACTION_LABELS, ImportOptions, Plan, RowPlan, prepare
from services.importing.readers import SheetData, sheet_names
from services.importing.references import source_names
from services.progress import Progress
from ui.context import AppContext
from ui.errors import inform, show_error
from ui.operations import Changes, Op

T = TypeVar("T")
PREVIEW_ROWS = 40
MODES = (("upsert", "新增并更新"), ("create", "仅新增"), ("update", "仅更新"))
#: What a committed import of each kind changed, so that the pages showing it refresh.
CHANGES = {"enterprises": Changes(enterprise=True, qualification=True), "carrier_stats": Changes(carrier=True),
           "vouchers": Changes(voucher=True, enterprise=True), "targets": Changes(target=True)}
RED = QColor("#C00000")
ORANGE = QColor("#B35C00")


def _item(text: str, color: QColor | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if color is not None:
        item.setForeground(color)
    return item


class ImportWizard(QWidget):
    """The four steps of an import.

    Attributes:
        path_edit, sheet_box, source_box, mode_box, year_spin: Step 1 inputs.
        sheet_table: Step 2 preview of the sheet's first rows; header_spin/header_rows_spin/first_spin/last_spin
            override the detected header and data range.
        mapping_table: Step 3 column → field (a combo box per column); save_mapping_box saves it for the source.
        preview_table: Step 4 one line per data row; summary_label the counts.
        plan: The latest dry run; result: the latest commit.

    Signals:
        committed(): a batch was committed (the history refreshes).
    """

    committed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.sheet: SheetData | None = None
        self.columns: tuple[ColumnMap, ...] = ()
        self.plan: Plan | None = None
        self.result: ImportResult | None = None
        self.decisions: dict[int, int | None] = {}
        self.commit_op: Op[ImportResult] | None = None
        self.stack = QStackedWidget()
        self.stack.addWidget(self._file_step())
        self.stack.addWidget(self._layout_step())
        self.stack.addWidget(self._mapping_step())
        self.stack.addWidget(self._preview_step())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def _op(self, fn: Callable[[Progress], T]) -> Op[T]:
        """An operation of this page whose errors go to the context's message sink."""
        return Op(self, fn).failure(lambda exc: show_error(self, exc, sink=self.ctx.sink))

    # Step 1: file, sheet, source, mode, year.
    def _file_step(self) -> QWidget:
        page = QWidget()
        self.kind_box = QComboBox()
        for key in KINDS:
            self.kind_box.addItem(self.tr(KIND_LABELS.get(key, key)), key)
        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("选择街道、园区报送的 .xlsx / .xls / .ods / .csv 表格"))
        browse = QPushButton(self.tr("浏览…"))
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.sheet_box = QComboBox()
        self.source_box = QComboBox()
        self.source_box.addItem(self.tr("（不指定）"), None)
        db = self.ctx.opened.db
        self._op(lambda _p: source_names(db)).success(self._fill_sources).run(self.ctx.runner)
        self.mode_box = QComboBox()
        for key, label in MODES:
            self.mode_box.addItem(self.tr(label), key)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(1990, 2200)
        self.year_spin.setValue(default_year())
        form = QFormLayout()
        form.addRow(self.tr("导入内容"), self.kind_box)
        form.addRow(self.tr("文件"), row)
        form.addRow(self.tr("工作表"), self.sheet_box)
        form.addRow(self.tr("来源属地（未填属地的行归入此处，映射按来源保存）"), self.source_box)
        form.addRow(self.tr("导入方式"), self.mode_box)
        form.addRow(self.tr("年度数据默认年份（表头未写年份时）"), self.year_spin)
        self.read_button = QPushButton(self.tr("读取表格"))
        self.read_button.clicked.connect(self.read_file)
        self.path_edit.editingFinished.connect(self.load_sheet_names)
        box = QVBoxLayout(page)
        box.addLayout(form)
        box.addWidget(self.read_button, 0, Qt.AlignmentFlag.AlignRight)
        box.addStretch(1)
        return page

    def kind(self) -> str:
        """The ``--kind`` the wizard imports."""
        return str(self.kind_box.currentData())

    def start(self, kind: str) -> None:
        """Begin an import of ``kind`` (other pages open the wizard this way)."""
        self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(kind)))
        self.go(0)

    def _kind_changed(self) -> None:
        # Another kind maps other fields: what was read and planned for the previous kind no longer applies.
        self.sheet, self.columns, self.plan, self.decisions = None, (), None, {}
        self.go(0)

    def _fill_sources(self, names: list[str]) -> None:
        for name in names:
            self.source_box.addItem(name, name)

    def browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("选择表格"), "",
                                              self.tr("表格 (*.xlsx *.xlsm *.xls *.ods *.csv)"))
        if name:
            self.path_edit.setText(name)
            self.load_sheet_names()

    def load_sheet_names(self) -> None:
        path = Path(self.path_edit.text().strip())
        if not path.is_file():
            return
        self._op(lambda _p: sheet_names(path)).success(self._show_sheets).run(self.ctx.runner)

    def _show_sheets(self, names: list[str]) -> None:
        self.sheet_box.clear()
        for name in names:
            self.sheet_box.addItem(name, name)

    def options(self, **overrides: object) -> ImportOptions:
        """The options the wizard's inputs say (and the corrections made on later steps)."""
        base = ImportOptions(kind=self.kind(), sheet=self.sheet_box.currentData(), source=self.source_box.currentData(),
                             mode=self.mode_box.currentData(), year=self.year_spin.value(),
                             decisions=dict(self.decisions))
        return replace(base, **overrides)  # type: ignore[arg-type]

    def read_file(self, *, header_rows: tuple[int, ...] | None = None, data_start: int | None = None,
                  data_end: int | None = None) -> None:
        """Read the sheet and detect (or apply) the header and data range, then show step 2."""
        path = Path(self.path_edit.text().strip())
        db = self.ctx.opened.db
        options = self.options(header_rows=header_rows, data_start=data_start, data_end=data_end)
        self._op(lambda _p: prepare(db, path, options)).success(self._show_layout) \
            .with_progress(self.tr("正在读取表格…")).run(self.ctx.runner)

    # Step 2: header and data range.
    def _layout_step(self) -> QWidget:
        page = QWidget()
        self.layout_label = QLabel()
        self.layout_label.setWordWrap(True)
        self.sheet_table = QTableWidget()
        self.header_spin = QSpinBox()
        self.header_rows_spin = QSpinBox()
        self.header_rows_spin.setRange(1, 2)
        self.first_spin = QSpinBox()
        self.last_spin = QSpinBox()
        for spin in (self.header_spin, self.first_spin, self.last_spin):
            spin.setRange(1, 1_000_000)
        apply = QPushButton(self.tr("按此范围重新读取"))
        apply.clicked.connect(self.apply_range)
        controls = QGridLayout()
        for i, (label, widget) in enumerate(((self.tr("表头起始行"), self.header_spin),
                                             (self.tr("表头行数"), self.header_rows_spin),
                                             (self.tr("数据首行"), self.first_spin),
                                             (self.tr("数据末行"), self.last_spin))):
            controls.addWidget(QLabel(label), i // 2, (i % 2) * 2)
            controls.addWidget(widget, i // 2, (i % 2) * 2 + 1)
        controls.addWidget(apply, 1, 4)
        controls.setColumnStretch(5, 1)
        box = QVBoxLayout(page)
        box.addWidget(self.layout_label)
        box.addLayout(controls)
        box.addWidget(self.sheet_table, 1)
        box.addLayout(self._nav(back=0, forward=self.tr("下一步：列映射"), on_forward=lambda: self.go(2)))
        return page

    def _show_layout(self, prepared: tuple[object, SheetData, object, tuple[ColumnMap, ...]]) -> None:
        _kind, sheet, layout, columns = prepared
        self.sheet, self.columns = sheet, columns
        header_rows = layout.header_rows  # type: ignore[attr-defined]
        start, end = layout.data_start, layout.data_end  # type: ignore[attr-defined]
        self.header_spin.setValue(header_rows[0] + 1)
        self.header_rows_spin.setValue(len(header_rows))
        self.first_spin.setValue(start + 1)
        self.last_spin.setValue(end + 1)
        self.layout_label.setText(self.tr("工作表“{0}”：表头在第 {1} 行，数据从第 {2} 行到第 {3} 行"
                                          "（空行和合计、填表人等行不计入）。如识别有误，请修改后重新读取。").format(
            sheet.name, "、".join(str(r + 1) for r in header_rows), start + 1, end + 1))
        shown = sheet.rows[:PREVIEW_ROWS]
        self.sheet_table.clear()
        self.sheet_table.setRowCount(len(shown))
        self.sheet_table.setColumnCount(sheet.width)
        for r, row in enumerate(shown):
            for c, value in enumerate(row):
                item = _item(cell_text(value))
                if r in header_rows:
                    item.setBackground(QColor("#DDEBF7"))
                self.sheet_table.setItem(r, c, item)
        self._fill_mapping()
        self.go(1)

    def apply_range(self) -> None:
        first = self.header_spin.value() - 1
        rows = tuple(range(first, first + self.header_rows_spin.value()))
        self.read_file(header_rows=rows, data_start=self.first_spin.value() - 1, data_end=self.last_spin.value() - 1)

    # Step 3: mapping.
    def _mapping_step(self) -> QWidget:
        page = QWidget()
        self.mapping_table = QTableWidget(0, 4)
        self.mapping_table.setHorizontalHeaderLabels([self.tr("列"), self.tr("表头"), self.tr("导入为"),
                                                      self.tr("年份 / 单位")])
        self.mapping_table.horizontalHeader().setStretchLastSection(True)
        self.save_mapping_box = QCheckBox(self.tr("为该来源保存此映射，下次自动使用"))
        box = QVBoxLayout(page)
        box.addWidget(QLabel(self.tr("每一列导入为哪个字段（按同义词自动识别，可修改）：")))
        box.addWidget(self.mapping_table, 1)
        box.addWidget(self.save_mapping_box)
        box.addLayout(self._nav(back=1, forward=self.tr("预演"), on_forward=self.dry_run))
        return page

    def _fill_mapping(self) -> None:
        kind = kind_for(self.kind(), "")
        self.mapping_table.setRowCount(len(self.columns))
        for r, column in enumerate(self.columns):
            self.mapping_table.setItem(r, 0, _item(column.letter))
            self.mapping_table.setItem(r, 1, _item(column.header))
            combo = QComboBox()
            combo.addItem(self.tr("（不导入）"), "")
            for spec in kind.fields:
                combo.addItem(spec.label, spec.key)
            combo.setCurrentIndex(max(0, combo.findData(column.field or "")))
            self.mapping_table.setCellWidget(r, 2, combo)
            notes = []
            if column.year is not None:
                notes.append(self.tr("{0}年").format(column.year))
            if column.factor is not None:
                notes.append(self.tr("×{0} 换算为万元").format(column.factor.normalize()))
            self.mapping_table.setItem(r, 3, _item("，".join(notes)))

    def mapping(self) -> dict[int, str]:
        """Column index → field key as the combo boxes say."""
        result = {}
        for r, column in enumerate(self.columns):
            combo = self.mapping_table.cellWidget(r, 2)
            assert isinstance(combo, QComboBox)
            result[column.index] = combo.currentData()
        return result

    # Step 4: dry run, preview and commit.
    def _preview_step(self) -> QWidget:
        page = QWidget()
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.preview_table = QTableWidget(0, 5)
        self.preview_table.setHorizontalHeaderLabels([self.tr("行号"), self.tr("结果"), self.tr("名称"),
                                                      self.tr("说明"), self.tr("操作")])
        self.preview_table.horizontalHeader().setStretchLastSection(False)
        self.preview_table.setColumnWidth(3, 520)
        self.export_button = QPushButton(self.tr("导出错误行…"))
        self.export_button.clicked.connect(self.export_errors)
        self.commit_button = QPushButton(self.tr("提交导入"))
        self.commit_button.clicked.connect(self.commit)
        box = QVBoxLayout(page)
        box.addWidget(self.summary_label)
        box.addWidget(self.preview_table, 1)
        nav = self._nav(back=2)
        nav.addWidget(self.export_button)
        nav.addWidget(self.commit_button)
        box.addLayout(nav)
        return page

    def _nav(self, back: int, forward: str | None = None, on_forward: object = None) -> QHBoxLayout:
        row = QHBoxLayout()
        back_button = QPushButton(self.tr("上一步"))
        back_button.clicked.connect(lambda: self.go(back))
        row.addWidget(back_button)
        row.addStretch(1)
        if forward is not None:
            button = QPushButton(forward)
            button.clicked.connect(on_forward)  # type: ignore[arg-type]
            row.addWidget(button)
        return row

    def go(self, step: int) -> None:
        self.stack.setCurrentIndex(step)

    def _current_options(self) -> ImportOptions:
        first = self.header_spin.value() - 1
        return self.options(header_rows=tuple(range(first, first + self.header_rows_spin.value())),
                            data_start=self.first_spin.value() - 1, data_end=self.last_spin.value() - 1,
                            columns=self.mapping())

    def dry_run(self) -> None:
        """Save the mapping if asked, then make the plan and show it."""
        path = Path(self.path_edit.text().strip())
        db = self.ctx.opened.db
        options = self._current_options()
        columns = tuple(replace(c, field=options.columns[c.index] or None)  # type: ignore[index]
                        for c in self.columns)
        save = self.save_mapping_box.isChecked() and options.source

        def work(progress: Progress) -> ImportResult:
            if save:
                save_mapping(db, options.kind, options.source, columns)  # type: ignore[arg-type]
            return run_import(db, path, options, dry_run=True, progress=progress, sheet=self.sheet)

        self._op(work).success(self._show_plan).with_progress(self.tr("正在预演…")).run(self.ctx.runner)

    def _show_plan(self, result: ImportResult) -> None:
        plan = self.plan = result.plan
        counts = plan.counts
        self.summary_label.setText(self.tr("预演结果（尚未写入）：数据 {0} 行——").format(len(plan.rows)) + "，".join(
            f"{ACTION_LABELS[a]} {n}" for a, n in counts.items()) + "。")
        table = self.preview_table
        table.setRowCount(len(plan.rows))
        for r, row in enumerate(plan.rows):
            color = RED if row.action == "skipped" else ORANGE if row.action == "review" else None
            table.setItem(r, 0, _item(str(row.row)))
            table.setItem(r, 1, _item(ACTION_LABELS[row.action], color))
            table.setItem(r, 2, _item(row.name))
            table.setItem(r, 3, _item(self._details(row), color))
            table.removeCellWidget(r, 4)
            if row.action == "review" or row.row in self.decisions:
                table.setCellWidget(r, 4, self._decision_buttons(row))
        table.resizeRowsToContents()
        self.export_button.setEnabled(counts["skipped"] > 0)
        self.commit_button.setEnabled(plan.writes)
        self.go(3)

    def _details(self, row: RowPlan) -> str:
        if row.action == "skipped":
            return "；".join(f"{i.column}列：{i.message}" if i.column else i.message for i in row.issues)
        if row.action == "update":
            changes = [f"{c.label}：{c.old_text or '（空）'} → {c.new_text}" for c in row.changes]
            return "；".join([*changes, row.note] if row.note else changes)
        if row.action == "review" and row.candidate is not None:
            c = row.candidate
            return self.tr("文件：{0} ｜ 企业库：{1}（信用代码 {2}，属地 {3}，相似度 {4:.0f}）").format(
                row.name, c.name, c.uscc or "—", c.subdistrict or "—", c.score)
        if row.row in self.decisions:
            return self.tr("已人工确认")
        return row.note

    def _decision_buttons(self, row: RowPlan) -> QWidget:
        box = QWidget()
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        if row.candidate is not None:
            same = QPushButton(self.tr("是同一企业"))
            same.setObjectName(f"same_{row.row}")
            same.clicked.connect(lambda: self.decide(row.row, row.candidate.id))  # type: ignore[union-attr]
            layout.addWidget(same)
        new = QPushButton(self.tr("作为新企业"))
        new.setObjectName(f"new_{row.row}")
        new.clicked.connect(lambda: self.decide(row.row, None))
        layout.addWidget(new)
        return box

    def decide(self, row: int, enterprise_id: int | None) -> None:
        """Record the clerk's decision on a row held for review and make the dry run again."""
        self.decisions[row] = enterprise_id
        self.dry_run()

    def export_errors(self) -> None:
        if self.plan is None:
            return
        default = str(self.plan.path.with_name(self.plan.path.stem + "-错误行.xlsx"))
        name, _ = QFileDialog.getSaveFileName(self, self.tr("导出错误行"), default, self.tr("Excel 工作簿 (*.xlsx)"))
        if name:
            self.write_errors(Path(name))

    def write_errors(self, dest: Path) -> None:
        plan = self.plan
        assert plan is not None
        self._op(lambda _p: export_errors(plan, dest)).success(
            lambda n: inform(self, self.tr("已导出 {0} 行到“{1}”。").format(n, dest), sink=self.ctx.sink)) \
            .run(self.ctx.runner)

    def commit(self) -> None:
        """Back up and commit what the preview showed, with progress and cancel."""
        plan = self.plan
        if plan is None:
            return
        db = self.ctx.opened.db
        path, options = plan.path, plan.options
        sheet = self.sheet
        self.commit_op = self._op(
            lambda progress: run_import(db, path, options, expected=plan, progress=progress, sheet=sheet)) \
            .success(self._committed).with_progress(self.tr("正在导入…")) \
            .changes(CHANGES.get(options.kind, Changes.everything()))
        self.commit_op.run(self.ctx.runner)

    def _committed(self, result: ImportResult) -> None:
        self.result = result
        self.commit_button.setEnabled(False)
        counts = result.plan.counts
        if result.batch_no:
            text = self.tr("导入完成，批次 {0}：新增 {1}，更新 {2}。可在“导入批次”中撤销。").format(
                result.batch_no, counts["create"], counts["update"])
        else:
            text = self.tr("没有需要写入的变化，数据未改动。")
        self.summary_label.setText(text)
        self.decisions.clear()
        self.committed.emit()
        inform(self, text, sink=self.ctx.sink)
