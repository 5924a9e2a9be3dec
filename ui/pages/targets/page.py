"""目标考核: one year's target grid (entered or imported) and the progress of each 属地 against it.

The grid is edited in place and saved as a whole; the 属地-sum check is shown as it is typed (a warning: the city's
and the district's sets are made differently). Changing the year or the indicator asks first about unsaved edits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from services.errors import ValidationError
from services.progress import Progress
from services.targets import (
    HTE_INDICATOR,
    IndicatorOption,
    TargetGrid,
    indicator_options,
    save_targets,
    sum_warnings,
    target_grid,
)
from services.targets_progress import TargetProgress, target_progress
from ui.context import AppContext
from ui.errors import show_error
from ui.operations import Changes, Op
from ui.pages.style import page_title
from ui.pages.targets.grid_model import TargetGridModel
from ui.pages.targets.import_dialog import TargetImportDialog
from ui.pages.targets.progress_tab import ProgressTab
from ui.widgets.auto_reload import AutoReload
from ui.widgets.form_field import ERROR_COLOR
from ui.widgets.questions import Unsaved, ask_unsaved
from ui.widgets.unsaved import CloseGuard, unless_unsaved

RELEVANT = Changes(target=True, qualification=True, enterprise=True, settings=True)
WARNING_COLOR = "#b25e00"


class TargetsPage(QWidget):
    """The page.

    Attributes:
        year, indicator: Which targets.
        grid_model / grid: The editable grid; warnings: the 属地-sum check; message: why a save failed.
        progress_tab: Completion and rank.
        as_of: The day progress is counted to (today when None; tests set it).
        ask: Asks about unsaved changes (tests replace it); open_import: opens the import (tests replace it).
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.as_of: dt.date | None = None
        self.grid_data: TargetGrid | None = None
        self._dirty = False
        self._shown = (dt.date.today().year, HTE_INDICATOR)
        self.ask: Callable[[QWidget, str], Unsaved] = ask_unsaved
        self.open_import: Callable[[], None] = self._import_dialog

        self.year = QSpinBox()
        self.year.setObjectName("target_year")
        self.year.setRange(1990, 2200)
        self.year.setValue(self._shown[0])
        self.year.setSuffix(" 年")
        self.year.setKeyboardTracking(False)
        self.indicator = QComboBox()
        self.indicator.setObjectName("target_indicator")
        self.indicator.addItem("国高企新增数", HTE_INDICATOR)
        self.import_button = QPushButton("从表格导入…")
        self.import_button.setToolTip("导入目标分解表（如拱墅区国高企三年目标表），先预演再导入")
        header = QHBoxLayout()
        header.addWidget(page_title(self.tr("目标考核")))
        header.addStretch(1)
        header.addWidget(QLabel("年度"))
        header.addWidget(self.year)
        header.addWidget(QLabel("指标"))
        header.addWidget(self.indicator)
        header.addWidget(self.import_button)

        self.grid_model = TargetGridModel(self)
        self.grid_model.changed = self._edited
        self.grid = QTableView()
        self.grid.setObjectName("target_grid")
        self.grid.setModel(self.grid_model)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.verticalHeader().hide()
        self.warnings = QLabel()
        self.warnings.setObjectName("target_warnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(f"color: {WARNING_COLOR};")
        self.message = QLabel()
        self.message.setObjectName("target_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOR};")
        self.status = QLabel()
        self.save_button = QPushButton("保存目标")
        self.save_button.setToolTip("保存本年度目标表（Ctrl+S）")
        grid_page = QWidget()
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.save_button)
        box = QVBoxLayout(grid_page)
        box.addWidget(QLabel("直接在表格中填写；留空表示未设定。全区一行为区（或市）下达给全区的总目标。"))
        box.addWidget(self.grid, 1)
        box.addWidget(self.warnings)
        box.addWidget(self.message)
        box.addLayout(bottom)
        self.progress_tab = ProgressTab()
        self.tabs = QTabWidget()
        self.tabs.addTab(grid_page, "目标表")
        self.tabs.addTab(self.progress_tab, "完成进度")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 12)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)

        self.year.valueChanged.connect(lambda _v: self._selection_changed())
        self.indicator.activated.connect(lambda _i: self._selection_changed())
        self.progress_tab.issuer.activated.connect(lambda _i: self.reload())
        self.save_button.clicked.connect(lambda: self.save())
        self.import_button.clicked.connect(lambda: self.open_import())
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self).activated.connect(lambda: self.save())
        self.refresh = AutoReload(self, ctx.runner, RELEVANT, self._start_loading)
        self.close_guard = CloseGuard(self, self.dirty, self.unless_unsaved)

    # -- loading ------------------------------------------------------------------------------------------------------

    def reload(self) -> None:
        self.refresh.reload()

    def _start_loading(self) -> Op[tuple[list[IndicatorOption], TargetGrid | None, TargetProgress]]:
        db, (year, indicator), as_of = self.ctx.opened.db, self._shown, self.as_of
        issuer, keep_grid = self.progress_tab.issuer.currentData(), self._dirty

        def work(_p: Progress) -> tuple[list[IndicatorOption], TargetGrid | None, TargetProgress]:
            grid = None if keep_grid else target_grid(db, year, indicator)
            return indicator_options(db), grid, target_progress(db, year, indicator, as_of=as_of, issuer=issuer)

        return Op(self, work).success(self._loaded).failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)) \
            .run(self.ctx.runner)

    def _loaded(self, result: tuple[list[IndicatorOption], TargetGrid | None, TargetProgress]) -> None:
        options, grid, progress = result
        if (progress.year, progress.indicator) != self._shown:
            return
        self._offer(options)
        if grid is not None and not self._dirty:
            self.grid_data = grid
            self.grid_model.set_grid(grid)
            self._show_warnings()
            self.status.setText(f"{grid.year}年 {grid.district}")
        self.progress_tab.show_progress(progress)

    def _offer(self, options: list[IndicatorOption]) -> None:
        keep = self.indicator.currentData()
        self.indicator.blockSignals(True)
        self.indicator.clear()
        for option in options:
            self.indicator.addItem(option.label, option.code)
        self.indicator.setCurrentIndex(max(self.indicator.findData(keep), 0))
        self.indicator.blockSignals(False)

    def _selection_changed(self) -> None:
        wanted = (self.year.value(), self.indicator.currentData() or HTE_INDICATOR)
        if wanted == self._shown:
            return

        def switch() -> None:
            self._shown, self._dirty = wanted, False
            self.reload()

        if not self.unless_unsaved(switch):
            self.year.blockSignals(True)
            self.year.setValue(self._shown[0])
            self.year.blockSignals(False)
            self.indicator.setCurrentIndex(max(self.indicator.findData(self._shown[1]), 0))

    # -- editing ------------------------------------------------------------------------------------------------------

    def _edited(self) -> None:
        self._dirty = True
        self.status.setText("有未保存的修改")
        self._show_warnings()

    def _show_warnings(self) -> None:
        warnings = sum_warnings(self.grid_model.rows())
        self.warnings.setText(("属地合计与全区不一致（仅提示）：\n" + "\n".join(warnings)) if warnings else "")
        self.warnings.setVisible(bool(warnings))

    def dirty(self) -> bool:
        return self._dirty

    def unless_unsaved(self, then: Callable[[], None]) -> bool:
        """Run ``then`` now, or after saving or discarding the grid's edits; False when the user cancels."""
        return unless_unsaved(self, f"{self._shown[0]}年目标表有尚未保存的修改。要保存吗？", then)

    def discard(self) -> None:
        """Forget the grid's edits (the next load replaces them)."""
        self._dirty = False

    def save(self, after: Callable[[], None] | None = None) -> None:
        """Save the grid (every unit and issuer of the year); then run ``after``."""
        problems = list(self.grid_model.problems.values())
        if problems:
            self.message.setText("；".join(problems))
            return
        db, (year, indicator), cells = self.ctx.opened.db, self._shown, self.grid_model.cells()
        self.message.clear()

        def saved(grid: TargetGrid) -> None:
            self._dirty = False
            self.grid_data = grid
            self.grid_model.set_grid(grid)
            self._show_warnings()
            self.status.setText("已保存")
            if after is not None:
                after()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ValidationError):
                self.message.setText("\n".join(exc.problems.values()))
            else:
                show_error(self, exc, sink=self.ctx.sink)

        Op(self, lambda _p: save_targets(db, year, cells, indicator)).changes(Changes(target=True)) \
            .success(saved).failure(failed).run(self.ctx.runner)

    def _import_dialog(self) -> None:
        TargetImportDialog(self.ctx, self).exec()
