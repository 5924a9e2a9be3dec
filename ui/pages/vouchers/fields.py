"""Entry helpers the voucher forms share: amounts in 万元, a year, and the explanation line under a form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget

from services.prescreen.numbers import trim
from ui.operations import Changes
from ui.widgets.dates import DateEdit
from ui.widgets.form_dialog import FormDialog
from ui.widgets.form_field import ERROR_COLOR, HINT_COLOR
from ui.widgets.records import Column

D = TypeVar("D", bound=QDialog)
#: What voucher operations change (the reminders and dashboard listen to ``voucher``).
VOUCHERS = Changes(voucher=True)
#: Batches also change pay-out notices.
BATCHES = Changes(voucher=True, payout=True)


def show_wan(value: Decimal | None) -> str:
    """An amount in a table, exact to the 分 without trailing zeros: 2.984200 → '2.9842', 1065 → '1,065'."""
    return "" if value is None else f"{value.normalize():,f}"


def money(label: str) -> Column:
    """A table column of amounts in 万元."""
    return Column(label, show_wan, numeric=True)


class MoneyEdit(QLineEdit):
    """An amount in 万元, exact to the 分 (six decimals)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("万元")
        self.setMaxLength(20)

    def set_amount(self, value: Decimal | None) -> None:
        self.setText("" if value is None else trim(value))

    def amount(self) -> Decimal | None:
        """The amount typed, or None when blank or unreadable (see :meth:`problem`)."""
        try:
            return read_wan(self.text())
        except ValueError:
            return None

    def problem(self) -> str:
        try:
            read_wan(self.text())
        except ValueError as exc:
            return str(exc)
        return ""


def read_wan(text: str) -> Decimal | None:
    """万元 typed as a clerk writes it ("1,234.5"); raises ValueError with the reason in Chinese."""
    text = text.strip().replace(",", "").replace("，", "").removesuffix("万元").removesuffix("万").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError("应为数字（单位：万元）") from None
    if not value.is_finite():
        raise ValueError("应为数字（单位：万元）")
    if value != value.quantize(Decimal("0.000001")):
        raise ValueError("最多保留六位小数（精确到分）")
    return value


def entry_problems(**editors: MoneyEdit | DateEdit) -> dict[str, str]:
    """The unreadable entries among ``editors``, by field name."""
    return {key: editor.problem() for key, editor in editors.items() if editor.problem()}


def open_dialog(dialog: D) -> D:
    """Open ``dialog`` window-modal; it is deleted once closed (each step opens a fresh one)."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def button_row(*buttons: QPushButton) -> QHBoxLayout:
    """Buttons in a row, left-aligned."""
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


def year_spin(year: int | None = None) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(2000, 2200)
    spin.setValue(year or dt.date.today().year)
    spin.setSuffix(" 年")
    return spin


def explanation() -> QLabel:
    """The line a form shows its cap or limit on, before saving."""
    label = QLabel()
    label.setObjectName("explanation")
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {HINT_COLOR};")
    return label


def show_above_buttons(dialog: FormDialog, label: QLabel) -> None:
    """Put ``label`` between a form dialog's fields and its messages."""
    layout = dialog.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.insertWidget(1, label)


def explain(label: QLabel, text: str, *, warning: bool = False) -> None:
    label.setText(text)
    label.setStyleSheet(f"color: {ERROR_COLOR if warning else HINT_COLOR};")
