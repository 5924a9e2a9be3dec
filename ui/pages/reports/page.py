"""报表: the quarterly package for the city bureau, the 属地 league table and the voucher and carrier summaries.

The clerk chooses the period, the report and (for the package) its sections and formats, fills in the sign-off
names (kept in the database settings, so they are there next quarter and on every PC), and generates; the work runs
on the database worker with progress and cancel. The PDF then shows in the preview, can be printed through the
system's print dialog, and the output folder opens in the file manager.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPageSize, QShowEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from services.errors import ValidationError
from services.paths import data_dir
from services.progress import Progress
from services.reports.compute import compute_quarterly
from services.reports.package import (
    FORMATS,
    PackageResult,
    write_placeholders,
    write_quarterly,
    write_summary,
    write_template,
)
from services.reports.period import Period
from services.reports.sections import SECTIONS, SUMMARIES
from services.settings import SPECS, get_settings, save_settings
from services.users import PermissionDenied, current_actor, require
from ui.context import AppContext
from ui.errors import show_error
from ui.operations import Changes, Op
from ui.pages.reports.pdf_pages import print_pages
from ui.pages.reports.preview import PdfPreview
from ui.pages.reports.signoff_panel import SignoffPanel
from ui.pages.style import page_title

#: The reports on offer: key → name; "quarterly" is the package, the others are services.reports.sections.SUMMARIES.
KINDS = {"quarterly": "季度报送包（Excel + PDF + JSON）", **{k: name for k, (name, _) in SUMMARIES.items()}}
SIGNOFF_KEYS = ("report.unit_head", "report.stats_head", "report.preparer", "report.phone")
MARK_KEYS = ("report.unit_uscc", "report.marks.issuer", "report.marks.approval_no", "report.marks.valid_until",
             *(s.key for s in SPECS if s.key.startswith("report.form_no.")))
#: The output folder last used on this PC (paths differ between PCs, so it is a window setting, not a database one).
OUT_DIR_KEY = "reports/out_dir"
TEMPLATE_KEY = "reports/city_template"
LABELS = {s.key: s.label for s in SPECS}


class ReportsPage(QWidget):
    """The reports page.

    Attributes:
        result: What the last generation wrote, or None.
        preview: The PDF preview.
        section_boxes: Section key → its check box.
        format_boxes: Format → its check box.
        fields: Setting key → its line edit (sign-off names and statutory marks).
        open_url: Opens a folder in the file manager (QDesktopServices; replaceable in tests).
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result: PackageResult | None = None
        self.stored: dict[str, str] = {}
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self._loaded = False

        period = Period.last_finished(dt.date.today())
        self.kind = QComboBox()
        for key, name in KINDS.items():
            self.kind.addItem(self.tr(name), key)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.year = QSpinBox()
        self.year.setRange(2000, dt.date.today().year + 1)
        self.year.setValue(period.year)
        self.quarter = QComboBox()
        for q in range(1, 5):
            self.quarter.addItem(self.tr("第{0}季度").format("一二三四"[q - 1]), q)
        self.quarter.setCurrentIndex(period.quarter - 1)
        self.reported_on = QDateEdit(QDate.currentDate())
        self.reported_on.setCalendarPopup(True)
        self.reported_on.setDisplayFormat("yyyy-MM-dd")
        self.fill_date = QCheckBox(self.tr("填写"))
        self.fill_date.setChecked(True)
        self.fill_date.setToolTip(self.tr("不勾选则打印空白的“年 月 日”，由人工填写"))
        self.fill_date.toggled.connect(self.reported_on.setEnabled)
        self.out_dir = QLineEdit(str(self.ctx.settings.store.value(OUT_DIR_KEY, str(data_dir() / "reports"))))
        choose = QPushButton(self.tr("选择…"))
        choose.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.out_dir, 1)
        folder_row.addWidget(choose)
        self.template = QLineEdit(str(self.ctx.settings.store.value(TEMPLATE_KEY, "")))
        self.template.setPlaceholderText(self.tr("不使用（可选市局提供的 .xlsx 表样）"))
        self.template.setToolTip(self.tr(
            "市局提供的表样中，在要填数的单元格写占位符，如 {{qual.national_hte.new_ytd}}（全区）、"
            "{{qual.national_hte.new_ytd@上塘街道}}（属地）、{{上年同期:ent.count_end}}、{{填报单位}}、{{报告期}}；"
            "生成季度报送包时另存一份填好的表样，原表样不变。"))
        choose_template = QPushButton(self.tr("选择…"))
        choose_template.clicked.connect(self.choose_template)
        self.placeholders_button = QPushButton(self.tr("占位符清单"))
        self.placeholders_button.setToolTip(self.tr("把本报告期可用的全部占位符及其数值写成一个工作簿，供制作表样时复制"))
        self.placeholders_button.clicked.connect(self.write_placeholders)
        template_row = QHBoxLayout()
        template_row.addWidget(self.template, 1)
        template_row.addWidget(choose_template)
        template_row.addWidget(self.placeholders_button)

        what = QFormLayout()
        what.addRow(self.tr("报表"), self.kind)
        when = QHBoxLayout()
        when.addWidget(self.year)
        when.addWidget(QLabel(self.tr("年")))
        when.addWidget(self.quarter)
        when.addStretch(1)
        what.addRow(self.tr("报告期"), when)
        date_row = QHBoxLayout()
        date_row.addWidget(self.reported_on)
        date_row.addWidget(self.fill_date)
        date_row.addStretch(1)
        what.addRow(self.tr("报出日期"), date_row)
        what.addRow(self.tr("输出文件夹"), folder_row)
        what.addRow(self.tr("市局表样"), template_row)

        self.section_boxes = {key: QCheckBox(self.tr(name)) for key, (name, _) in SECTIONS.items()}
        self.sections_box = QGroupBox(self.tr("报送包包含"))
        grid = QGridLayout(self.sections_box)
        for index, box in enumerate(self.section_boxes.values()):
            box.setChecked(True)
            grid.addWidget(box, index // 2, index % 2)
        self.format_boxes = {fmt: QCheckBox(fmt.upper()) for fmt in FORMATS}
        formats_row = QHBoxLayout()
        for box in self.format_boxes.values():
            box.setChecked(True)
            formats_row.addWidget(box)
        formats_row.addStretch(1)
        what.addRow(self.tr("格式"), formats_row)

        self.fields = {key: QLineEdit() for key in (*SIGNOFF_KEYS, *MARK_KEYS)}
        signoff_box = QGroupBox(self.tr("签署（保存在数据库中，下次自动填入）"))
        signoff_form = QFormLayout(signoff_box)
        for key in SIGNOFF_KEYS:
            signoff_form.addRow(self.tr(LABELS[key]), self.fields[key])
        marks_box = QGroupBox(self.tr("法定标识（未填写的打印为空白横线）"))
        marks_form = QFormLayout(marks_box)
        for key in MARK_KEYS:
            self.fields[key].setPlaceholderText(self.tr("未填写"))
            marks_form.addRow(self.tr(LABELS[key]), self.fields[key])

        self.generate_button = QPushButton(self.tr("生成"))
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(self.generate)
        self.print_button = QPushButton(self.tr("打印…"))
        self.print_button.clicked.connect(self.print_dialog)
        self.folder_button = QPushButton(self.tr("打开输出文件夹"))
        self.folder_button.clicked.connect(self.open_folder)
        buttons = QHBoxLayout()
        for button in (self.generate_button, self.print_button, self.folder_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.signoff = SignoffPanel(ctx)
        self.status = QLabel(self.tr("选择报告期后点击“生成”。"))
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        controls = QWidget()
        left = QVBoxLayout(controls)
        left.addLayout(what)
        left.addWidget(self.sections_box)
        left.addWidget(signoff_box)
        left.addWidget(marks_box)
        left.addLayout(buttons)
        left.addWidget(self.status)
        left.addWidget(self.signoff)
        left.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(controls)
        scroll.setWidgetResizable(True)
        self.preview = PdfPreview()
        splitter = QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 1)
        # Room for the controls first; both sides shrink (with scroll bars) so the page fits small windows too.
        splitter.setSizes([controls.sizeHint().width() + 24, 800])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("报表")))
        layout.addWidget(splitter, 1)
        self._update_buttons()
        ctx.runner.operation_did_execute.connect(self._on_changes)

    # -- settings -------------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._loaded:
            self.reload_settings()
            self.year.valueChanged.connect(self.refresh_signoffs)
            self.quarter.currentIndexChanged.connect(self.refresh_signoffs)
            self.kind.currentIndexChanged.connect(self.refresh_signoffs)
            self.refresh_signoffs()

    def reload_settings(self) -> None:
        """Fill the sign-off and marks fields from the database settings."""
        self._loaded = True
        db = self.ctx.opened.db
        Op(self, lambda _p: get_settings(db)).success(self._show_settings).run(self.ctx.runner)

    def _show_settings(self, values: dict[str, str]) -> None:
        self.stored = values
        for key, edit in self.fields.items():
            edit.setText(values.get(key, ""))
        try:  # the statutory marks are the managers' to set (services.settings.SPECS)
            require(current_actor(), "manager", "修改法定标识")
            marks_editable = True
        except PermissionDenied:
            marks_editable = False
        for key in MARK_KEYS:
            self.fields[key].setReadOnly(not marks_editable)
            self.fields[key].setToolTip("" if marks_editable else self.tr("法定标识由科长或管理员设置"))

    def _on_changes(self, changes: Changes, initiator: object) -> None:
        if changes.settings and initiator is not self:
            self.reload_settings()

    def changed_settings(self) -> dict[str, str]:
        """Fields whose text differs from what the database holds."""
        return {key: edit.text().strip() for key, edit in self.fields.items()
                if edit.text().strip() != self.stored.get(key, "")}

    # -- generating -----------------------------------------------------------------------------------------------

    def _kind_changed(self) -> None:
        quarterly = self.kind.currentData() == "quarterly"
        self.sections_box.setEnabled(quarterly)
        self.format_boxes["json"].setEnabled(quarterly)

    def output_folder(self) -> Path:
        return Path(self.out_dir.text().strip() or data_dir() / "reports")

    def refresh_signoffs(self) -> None:
        """Show the sign-offs of the chosen report and period."""
        self.signoff.show_for(str(self.kind.currentData()), self.period(), self.output_folder(), self.result)

    def period(self) -> Period:
        return Period.of(self.year.value(), int(self.quarter.currentData()))

    def chosen_formats(self) -> tuple[str, ...]:
        quarterly = self.kind.currentData() == "quarterly"
        return tuple(f for f, box in self.format_boxes.items() if box.isChecked() and (quarterly or f != "json"))

    def generate(self) -> None:
        """Save changed sign-off names and marks, then count and write the chosen report in the background."""
        kind, formats = str(self.kind.currentData()), self.chosen_formats()
        sections = [k for k, box in self.section_boxes.items() if box.isChecked()]
        if not formats:
            self._error(ValidationError({"format": "请至少选择一种格式（Excel 或 PDF）"}))
            return
        db, period = self.ctx.opened.db, self.period()
        day = self.reported_on.date()
        reported_on = dt.date(day.year(), day.month(), day.day()) if self.fill_date.isChecked() else None
        out, changed = self.output_folder(), self.changed_settings()
        template = Path(self.template.text().strip()) if self.template.text().strip() and kind == "quarterly" else None

        def work(progress: Progress) -> PackageResult:
            if changed:
                save_settings(db, changed)
            report = compute_quarterly(db, period, reported_on=reported_on, progress=progress)
            if kind != "quarterly":
                return write_summary(report, kind, out, formats=formats, progress=progress)
            # The bureau's form first: one that cannot be filled is refused before anything is written.
            filled = write_template(report, template, out) if template is not None else None
            result = write_quarterly(report, out, formats=formats, sections=sections, progress=progress)
            return replace(result, files=(*result.files, filled.path)) if filled is not None else result

        self.ctx.settings.store.setValue(OUT_DIR_KEY, str(out))
        self.ctx.settings.store.setValue(TEMPLATE_KEY, self.template.text().strip())
        self.generate_button.setEnabled(False)
        self.status.setText(self.tr("正在生成…"))
        Op(self, work).with_progress(self.tr("正在生成报表…")).changes(Changes(settings=bool(changed))) \
            .success(lambda result: self._generated(result, changed)).failure(self._error) \
            .on_done(lambda: self.generate_button.setEnabled(True)).run(self.ctx.runner)

    def _generated(self, result: PackageResult, changed: dict[str, str]) -> None:
        self.result = result
        self.stored.update(changed)
        lines = [self.tr("已生成 {0}：").format(result.report.period.label), *(str(p) for p in result.files)]
        if result.missing_glyphs:
            lines.append(self.tr("注意：PDF 中以下字符没有可用字形，打印为方框：{0}").format(
                "".join(sorted(result.missing_glyphs))))
        self.status.setText("\n".join(lines))
        pdf = result.file("pdf")
        if pdf is None:
            self.preview.clear(self.tr("本次未生成 PDF，无法预览。"))
        else:
            self.preview.load(pdf)
        self._update_buttons()
        self.signoff.show_for(str(self.kind.currentData()), result.report.period, result.files[0].parent, result)

    def _error(self, exc: BaseException) -> None:
        self.status.setText(self.tr("未能生成：{0}").format(exc) if str(exc) else self.tr("已取消。"))
        show_error(self, exc, sink=self.ctx.sink)

    def _update_buttons(self) -> None:
        self.print_button.setEnabled(self.result is not None and self.result.file("pdf") is not None)
        self.folder_button.setEnabled(self.result is not None)

    # -- printing and the folder ----------------------------------------------------------------------------------

    def print_dialog(self) -> None:
        """Ask the system's print dialog for a printer, then print in the background."""
        if self.result is None or self.preview.pages is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setDocName(self.result.files[0].stem)
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, len(self.preview.pages))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Send the PDF of the last generation to ``printer`` on the worker, with progress and cancel."""
        pdf = self.result.file("pdf") if self.result else None
        if pdf is None:
            return
        Op(self, lambda progress: print_pages(pdf, printer, progress)).with_progress(self.tr("正在打印…")) \
            .success(lambda pages: self.status.setText(self.tr("已发送 {0} 页到打印机。").format(pages))) \
            .failure(self._error).run(self.ctx.runner)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择输出文件夹"), self.out_dir.text())
        if folder:
            self.out_dir.setText(folder)

    def write_placeholders(self) -> None:
        """Write the placeholder list of the chosen period into the output folder, in the background."""
        db, period, out = self.ctx.opened.db, self.period(), self.output_folder()

        def work(progress: Progress) -> Path:
            return write_placeholders(compute_quarterly(db, period, progress=progress), out)

        Op(self, work).with_progress(self.tr("正在统计…")) \
            .success(lambda path: self.status.setText(self.tr("已写出占位符清单：{0}").format(path))) \
            .failure(self._error).run(self.ctx.runner)

    def choose_template(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择市局表样"), self.template.text() or str(Path.home()),
                                              self.tr("Excel 工作簿 (*.xlsx *.xlsm)"))
        if path:
            self.template.setText(path)

    def open_folder(self) -> None:
        """Show the folder the files were written to in the system's file manager."""
        if self.result is not None:
            self.open_url(QUrl.fromLocalFile(str(self.result.files[0].parent)))
