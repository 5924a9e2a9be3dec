"""A required date in a form (ui.widgets.dates.DateEdit.required): read, or named by its field."""

from __future__ import annotations

import datetime as dt

import pytest
from pytestqt.qtbot import QtBot

from services.errors import ValidationError
from ui.widgets.dates import DateEdit


def test_a_required_date_is_read_or_its_problem_named_by_field(qtbot: QtBot) -> None:
    edit = DateEdit()
    qtbot.addWidget(edit)
    edit.setText("2026年3月1日")
    assert edit.required("left_on") == dt.date(2026, 3, 1)
    edit.setText("")
    with pytest.raises(ValidationError) as blank:
        edit.required("left_on", "请填写出库日期")
    assert blank.value.problems == {"left_on": "请填写出库日期"}
    edit.setText("2026-02-30")
    with pytest.raises(ValidationError) as wrong:
        edit.required("left_on")
    assert wrong.value.problems == {"left_on": "2026年2月30日不是有效的日期"}
