"""基本信息: the carrier's name, kind, operator, 属地, address, area and the rest, saved with 保存 (Ctrl+S)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from services.carriers import CarrierDetail, CarrierInput, CarrierOptions
from services.errors import ValidationError
from ui.widgets.dates import DateEdit
from ui.widgets.form_field import FieldForm
from ui.widgets.numbers import typed_number


def _line(max_length: int = 200, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(max_length)
    edit.setPlaceholderText(placeholder)
    return edit


class BasicTab(QWidget):
    """The carrier's own fields, named as :class:`services.carriers.CarrierInput` names them.

    Signals:
        edited(): the user changed something.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loaded: tuple[Any, ...] | None = None
        self.options: CarrierOptions | None = None
        self.name = _line()
        self.kind = QComboBox()
        self.kind_hint = QLabel()
        self.operator = _line(placeholder="运营主体的全称，如 杭州某某孵化器有限公司")
        self.subdistrict = QComboBox()
        self.district = QComboBox()
        self.address = _line()
        self.area = _line(20, "平方米")
        self.specialization = _line(80, "如 汽车互联网、生物医药、集成电路（决定在孵企业的孵化期）")
        self.established_on = DateEdit()
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 3 + 14)
        self.form = FieldForm()
        f = self.form
        f.add("name", "载体名称", self.name, required=True)
        f.add("kind_code", "载体类型", self.kind, required=True, hint=self.kind_hint)
        f.add("operator_name", "运营机构", self.operator)
        f.add("subdistrict_id", "属地", self.subdistrict)
        f.add("district_id", "所属区县", self.district, hint="不在本区属地时填写")
        f.add("address", "地址", self.address)
        f.add("area_m2", "面积(㎡)", self.area)
        f.add("specialization", "专业方向", self.specialization)
        f.add("established_on", "成立日期", self.established_on)
        f.add("notes", "备注", self.notes)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(self.form)
        layout.addStretch(1)
        for edit in (self.name, self.operator, self.address, self.area, self.specialization, self.established_on):
            edit.textChanged.connect(self.edited)
        self.notes.textChanged.connect(self.edited)
        for combo in (self.kind, self.subdistrict, self.district):
            combo.currentIndexChanged.connect(self.edited)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.subdistrict.currentIndexChanged.connect(self._subdistrict_changed)

    def set_options(self, options: CarrierOptions) -> None:
        self.options = options
        for combo, items, blank in ((self.kind, [(k.code, f"{k.name}（{k.category}）") for k in options.kinds], None),
                                    (self.subdistrict, list(options.subdistricts), "（未填）"),
                                    (self.district, list(options.districts), "（未填）")):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            if blank:
                combo.addItem(blank, None)
            for value, label in items:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.blockSignals(False)
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.options.kind(self.kind.currentData()) if self.options else None
        if kind is None:
            self.kind_hint.setText("")
        elif kind.incubation_months is None:
            self.kind_hint.setText("不开展孵化（无在孵企业）")
        else:
            self.kind_hint.setText(f"在孵企业孵化期一般 {kind.incubation_months} 个月"
                                   "（生物医药、集成电路、农业 72 个月）")

    def _subdistrict_changed(self) -> None:
        self.district.setEnabled(self.subdistrict.currentData() is None)

    def fill(self, detail: CarrierDetail | None) -> None:
        """Show ``detail`` (an empty form for a new carrier) and take it as the unchanged state."""
        self.blockSignals(True)
        try:
            self.name.setText(detail.name if detail else "")
            self.kind.setCurrentIndex(max(self.kind.findData(detail.kind_code if detail else "incubator"), 0))
            self.operator.setText(detail.operator_name or "" if detail else "")
            self.subdistrict.setCurrentIndex(max(self.subdistrict.findData(detail.subdistrict_id if detail else None),
                                                 0))
            self.district.setCurrentIndex(max(self.district.findData(detail.district_id if detail else None), 0))
            self.address.setText(detail.address or "" if detail else "")
            area = detail.area_m2 if detail else None
            self.area.setText("" if area is None else f"{area.normalize():f}")
            self.specialization.setText(detail.specialization or "" if detail else "")
            self.established_on.set_date(detail.established_on if detail else None)
            self.notes.setPlainText(detail.notes or "" if detail else "")
        finally:
            self.blockSignals(False)
        self._subdistrict_changed()
        self.form.clear_problems()
        self._loaded = self._raw()

    def _raw(self) -> tuple[Any, ...]:
        return (self.name.text(), self.kind.currentData(), self.operator.text(), self.subdistrict.currentData(),
                self.district.currentData(), self.address.text(), self.area.text(), self.specialization.text(),
                self.established_on.text(), self.notes.toPlainText())

    def dirty(self) -> bool:
        return self._loaded is not None and self._raw() != self._loaded

    def input(self) -> CarrierInput:
        """What the form holds; raises ValidationError for a date or an area that cannot be read."""
        problems: dict[str, str] = {}
        if self.established_on.problem():
            problems["established_on"] = self.established_on.problem()
        area: Decimal | None = None
        try:
            area = typed_number(self.area.text())
        except ValueError:
            problems["area_m2"] = "面积应为数字（单位：平方米）"
        if problems:
            raise ValidationError(problems)
        sub = self.subdistrict.currentData()
        return CarrierInput(name=self.name.text(), kind_code=self.kind.currentData() or "",
                            operator_name=self.operator.text(), subdistrict_id=sub,
                            district_id=None if sub is not None else self.district.currentData(),
                            address=self.address.text(), area_m2=area, specialization=self.specialization.text(),
                            established_on=self.established_on.date(), notes=self.notes.toPlainText())
