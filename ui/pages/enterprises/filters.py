"""The enterprise list's search field and filters: 属地, qualification and its state, pool, industry field."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from services.enterprise_list import NO_SUBDISTRICT, QUALIFICATION_STATES, ListFilter, ListOptions
from ui.widgets.filter_combo import filter_combo, refill, select_value


class FilterBar(QWidget):
    """Search and filter widgets in one row.

    Attributes:
        search: The search field (name, former names, credit code, pinyin initials).
        subdistrict, qualification, state, pool, industry: The filter combos.
        include_deleted: Also show removed enterprises.

    Signals:
        changed(): a filter other than the search text changed.
        text_changed(str): the search text changed.
    """

    changed = Signal()
    text_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("搜索名称、信用代码、拼音首字母")
        self.search.setToolTip("按名称、曾用名、统一社会信用代码或拼音首字母（如 hzjk）搜索，边输边搜；"
                               "空格分隔的几个词须同时匹配（Ctrl+F）")
        self.search.setMinimumWidth(self.fontMetrics().horizontalAdvance("搜索名称、信用代码、拼音首字母") + 48)
        self.subdistrict = filter_combo("filter_subdistrict", "属地（街道、园区）")
        self.qualification = filter_combo("filter_qualification", "资质类型")
        self.state = filter_combo("filter_state", "资质状态")
        self.pool = filter_combo("filter_pool", "培育库")
        self.industry = filter_combo("filter_field", "行业领域")
        self.include_deleted = QCheckBox("含已删除")
        self.clear_button = QPushButton("清除筛选")
        for key, label in QUALIFICATION_STATES.items():
            self.state.addItem(label, key)
        self.state.setEnabled(False)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.search, 3)
        for caption, combo in (("属地", self.subdistrict), ("资质", self.qualification), (None, self.state),
                               ("培育库", self.pool), ("领域", self.industry)):
            if caption:
                caption_label = QLabel(caption)
                caption_label.setBuddy(combo)
                layout.addSpacing(4)
                layout.addWidget(caption_label)
            layout.addWidget(combo)
        layout.addWidget(self.include_deleted)
        layout.addWidget(self.clear_button)
        layout.addStretch(1)

        self.search.textChanged.connect(self.text_changed)
        for combo in (self.subdistrict, self.state, self.pool, self.industry):
            combo.currentIndexChanged.connect(self._changed)
        self.qualification.currentIndexChanged.connect(self._qualification_changed)
        self.include_deleted.toggled.connect(self._changed)
        self.clear_button.clicked.connect(self.clear)
        self._quiet = False
        self.set_options(ListOptions((), (), ()))

    def set_options(self, options: ListOptions) -> None:
        """Fill the combos (keeping what is selected where it is still offered)."""
        self._quiet = True
        try:
            refill(self.subdistrict, [(sid, name) for sid, name in options.subdistricts]
                       + [(NO_SUBDISTRICT, "（未填属地）")])
            refill(self.qualification, list(options.qualification_types))
            refill(self.pool, [(kind, kind) for kind in options.pool_kinds])
            refill(self.industry, list(options.industry_fields))
        finally:
            self._quiet = False

    def filter(self) -> ListFilter:
        """The filters chosen, without the search text (matched in memory)."""
        return ListFilter(
            subdistrict_id=self.subdistrict.currentData(),
            qualification=self.qualification.currentData(),
            state=self.state.currentData() or "valid",
            pool_kind=self.pool.currentData(),
            industry_field_code=self.industry.currentData(),
            include_deleted=self.include_deleted.isChecked(),
        )

    def text(self) -> str:
        return self.search.text()

    def select(self, combo: QComboBox, value: Any) -> None:
        """Choose ``value`` in one of the combos (what a click would do)."""
        select_value(combo, value)

    def clear(self) -> None:
        """Every filter back to 全部 and the search emptied (one reload)."""
        self._quiet = True
        try:
            for combo in (self.subdistrict, self.qualification, self.pool, self.industry):
                combo.setCurrentIndex(0)
            self.state.setCurrentIndex(0)
            self.state.setEnabled(False)
            self.include_deleted.setChecked(False)
        finally:
            self._quiet = False
        self.search.clear()
        self.changed.emit()

    def _qualification_changed(self) -> None:
        self.state.setEnabled(self.qualification.currentData() is not None)
        self._changed()

    def _changed(self) -> None:
        if not self._quiet:
            self.changed.emit()
