"""基本信息: the enterprise's identity, with the credit code checked as it is typed.

The check (GB 32100 check character) and the registering area (positions 3–8) come from :mod:`services.uscc`,
which needs no database. A wrong check character is not blocked outright (RULES.md: warn, don't block): the clerk
may confirm the code as printed on the licence, and the override is audited.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from services.dto import EnterpriseDetail, EnterpriseInput
from services.enterprise_list import ListOptions
from services.errors import ValidationError
from services.uscc import check_uscc
from ui.widgets.dates import DateEdit
from ui.widgets.form_field import ERROR_COLOR, HINT_COLOR, FieldForm
from ui.widgets.numbers import typed_number

OK_COLOR = "#2e7d32"
WARN_COLOR = "#b25e00"


def _line(max_length: int = 200) -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(max_length)
    return edit


def _text_box(lines: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


class IdentityTab(QWidget):
    """The identity form.

    Attributes:
        form: The fields, named as :class:`services.dto.EnterpriseInput` names them.
        uscc_status: The live verdict on the credit code and its registering area.
        allow_invalid: Save a code whose check character is wrong (shown only then).

    Signals:
        edited(): the user changed something.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._district = ""
        self._loaded: tuple[Any, ...] | None = None
        self.name = _line()
        self.former_names = _text_box(2)
        self.former_names.setPlaceholderText("每行一个")
        self.uscc = _line(24)
        self.uscc.setPlaceholderText("18 位，如 91330105MA2XXXXXXX")
        self.uscc_status = QLabel()
        self.uscc_status.setObjectName("uscc_status")
        self.uscc_status.setWordWrap(True)
        self.allow_invalid = QCheckBox("校验位不符，但与营业执照核对无误，照此保存（记入修改记录）")
        self.allow_invalid.hide()
        self.subdistrict = QComboBox()
        self.address = _line()
        self.registered_on = DateEdit()
        self.capital = _line(20)
        self.capital.setPlaceholderText("万元")
        self.industry = QComboBox()
        self.legal_person = _line(40)
        self.contact_person = _line(40)
        self.contact_phone = _line(40)
        self.contact_email = _line(80)
        self.notes = _text_box(3)

        self.form = FieldForm()
        f = self.form
        f.add("name", "企业名称", self.name, required=True)
        f.add("former_names", "曾用名", self.former_names)
        uscc_box = QWidget()
        uscc_layout = QVBoxLayout(uscc_box)
        uscc_layout.setContentsMargins(0, 0, 0, 0)
        uscc_layout.setSpacing(2)
        uscc_layout.addWidget(self.uscc)
        uscc_layout.addWidget(self.uscc_status)
        uscc_layout.addWidget(self.allow_invalid)
        f.add("uscc", "统一社会信用代码", uscc_box)
        f.add("subdistrict_id", "属地", self.subdistrict)
        f.add("address", "地址", self.address)
        f.add("registered_on", "注册日期", self.registered_on)
        f.add("registered_capital_wan", "注册资本(万元)", self.capital)
        f.add("industry_field_code", "行业领域", self.industry)
        f.add("legal_person", "法定代表人", self.legal_person)
        f.add("contact_person", "联系人", self.contact_person)
        f.add("contact_phone", "联系电话", self.contact_phone)
        f.add("contact_email", "电子邮箱", self.contact_email)
        f.add("notes", "备注", self.notes)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(self.form)
        layout.addStretch(1)

        for edit in (self.name, self.uscc, self.address, self.registered_on, self.capital, self.legal_person,
                     self.contact_person, self.contact_phone, self.contact_email):
            edit.textChanged.connect(self.edited)
        for box in (self.former_names, self.notes):
            box.textChanged.connect(self.edited)
        for combo in (self.subdistrict, self.industry):
            combo.currentIndexChanged.connect(self.edited)
        self.allow_invalid.toggled.connect(self.edited)
        self.uscc.textChanged.connect(self.check_uscc)
        self.check_uscc()

    def set_options(self, options: ListOptions) -> None:
        self._district = options.district
        for combo, items in ((self.subdistrict, options.subdistricts), (self.industry, options.industry_fields)):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("（未填）", None)
            for value, label in items:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.blockSignals(False)
        self.check_uscc()

    # -- the credit code --------------------------------------------------------------------------------------------

    def check_uscc(self) -> None:
        """Say what is wrong with the code, or where it was registered."""
        text = self.uscc.text().strip()
        if not text:
            self._status("选填；填写后自动校验，并显示登记机关所在地", HINT_COLOR)
            self.allow_invalid.hide()
            return
        check = check_uscc(text)
        if check.ok:
            self.allow_invalid.hide()
            self.allow_invalid.setChecked(False)
            self._status(f"✓ 校验通过。{self._region(check.region_code, check.region_name)}", OK_COLOR)
            return
        region = self._region(check.region_code, check.region_name) if len(check.code) >= 8 else ""
        self._status(f"✗ {check.reason}。{region}", ERROR_COLOR)
        self.allow_invalid.setVisible(len(check.code) == 18 and "校验位" in check.reason)

    def _region(self, code: str, name: str) -> str:
        if not name:
            return f"登记机关行政区划代码 {code}（非杭州市）。" if code else ""
        elsewhere = f"，不在{self._district}" if self._district and name != self._district else ""
        return f"登记机关所在地：{name}（{code}）{elsewhere}。"

    def _status(self, text: str, color: str) -> None:
        self.uscc_status.setText(text)
        self.uscc_status.setStyleSheet(f"color: {color};")

    # -- values -----------------------------------------------------------------------------------------------------

    def fill(self, detail: EnterpriseDetail | None) -> None:
        """Show ``detail`` (an empty form for a new enterprise) and take it as the unchanged state."""
        self.blockSignals(True)
        try:
            self.name.setText(detail.name if detail else "")
            self.former_names.setPlainText("\n".join(detail.former_names) if detail else "")
            self.uscc.setText(detail.uscc or "" if detail else "")
            self.allow_invalid.setChecked(bool(detail and detail.uscc_check_override))
            self.subdistrict.setCurrentIndex(max(self.subdistrict.findData(detail.subdistrict_id if detail else None),
                                                 0))
            self.address.setText(detail.address or "" if detail else "")
            self.registered_on.set_date(detail.registered_on if detail else None)
            capital = detail.registered_capital_wan if detail else None
            self.capital.setText("" if capital is None else f"{capital.normalize():f}")
            self.industry.setCurrentIndex(max(self.industry.findData(detail.industry_field_code if detail else None),
                                              0))
            for edit, value in ((self.legal_person, detail.legal_person if detail else None),
                                (self.contact_person, detail.contact_person if detail else None),
                                (self.contact_phone, detail.contact_phone if detail else None),
                                (self.contact_email, detail.contact_email if detail else None)):
                edit.setText(value or "")
            self.notes.setPlainText(detail.notes or "" if detail else "")
        finally:
            self.blockSignals(False)
        self.form.clear_problems()
        self.check_uscc()
        self._loaded = self._raw()

    def _raw(self) -> tuple[Any, ...]:
        return (self.name.text(), self.former_names.toPlainText(), self.uscc.text(), self.allow_invalid.isChecked(),
                self.subdistrict.currentData(), self.address.text(), self.registered_on.text(), self.capital.text(),
                self.industry.currentData(), self.legal_person.text(), self.contact_person.text(),
                self.contact_phone.text(), self.contact_email.text(), self.notes.toPlainText())

    def dirty(self) -> bool:
        return self._loaded is not None and self._raw() != self._loaded

    def input(self) -> EnterpriseInput:
        """What the form holds; raises ValidationError for dates and amounts that cannot be read."""
        problems: dict[str, str] = {}
        if self.registered_on.problem():
            problems["registered_on"] = self.registered_on.problem()
        capital: Decimal | None = None
        try:
            capital = typed_number(self.capital.text())
        except ValueError:
            problems["registered_capital_wan"] = "注册资本应为数字（单位：万元）"
        if problems:
            raise ValidationError(problems)
        return EnterpriseInput(
            name=self.name.text(), uscc=self.uscc.text() or None,
            allow_invalid_uscc=not self.allow_invalid.isHidden() and self.allow_invalid.isChecked(),
            subdistrict_id=self.subdistrict.currentData(), address=self.address.text(),
            registered_on=self.registered_on.date(), registered_capital_wan=capital,
            industry_field_code=self.industry.currentData(), legal_person=self.legal_person.text(),
            contact_person=self.contact_person.text(), contact_phone=self.contact_phone.text(),
            contact_email=self.contact_email.text(), notes=self.notes.toPlainText(),
            former_names=tuple(line for line in self.former_names.toPlainText().splitlines() if line.strip()),
        )

    def show_problems(self, problems: dict[str, str]) -> dict[str, str]:
        """Show problems by their fields; returns those this form has no field for."""
        return self.form.set_problems(problems)
