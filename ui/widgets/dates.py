"""Entering an optional date the way clerks write them: 2019-03-01, 2019/3/1, 2019.3.1 or 2019年3月1日."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtWidgets import QLineEdit, QWidget

from services.errors import ValidationError

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def parse_date(text: str) -> dt.date | None:
    """The date written in ``text``; None for blank text. Raises ValueError with a Chinese reason when unusable."""
    if not text.strip():
        return None
    match = _DATE.match(text)
    if match is None:
        raise ValueError("日期格式应为 2019-03-01、2019/3/1 或 2019年3月1日")
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{year}年{month}月{day}日不是有效的日期") from None


class DateEdit(QLineEdit):
    """A line edit for an optional date; :meth:`date` reads it, :meth:`problem` says why it cannot be read."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("如 2019-03-01")
        self.setMaxLength(20)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("2019-03-01") * 2)

    def date(self) -> dt.date | None:
        """The date entered, or None when blank or unreadable (see :meth:`problem`)."""
        try:
            return parse_date(self.text())
        except ValueError:
            return None

    def problem(self) -> str:
        try:
            parse_date(self.text())
        except ValueError as exc:
            return str(exc)
        return ""

    def required(self, key: str, missing: str = "请填写日期") -> dt.date:
        """The date entered; ValidationError for field ``key`` when it cannot be read, or ``missing`` when blank."""
        day = self.date()
        if day is None:
            raise ValidationError({key: self.problem() or missing})
        return day

    def set_date(self, value: dt.date | None) -> None:
        self.setText(value.isoformat() if value else "")
