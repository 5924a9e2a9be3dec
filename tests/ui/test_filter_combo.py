"""The shared filter combo helpers (ui.widgets.filter_combo): refilled keeping the choice, quietly if asked, and
chosen by value."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from ui.widgets.filter_combo import ANY, filter_combo, refill, select_value


def test_refill_keeps_the_choice_where_it_is_still_offered(qtbot: QtBot) -> None:
    combo = filter_combo("filter_year", "年度")
    qtbot.addWidget(combo)
    refill(combo, [(2025, "2025年"), (2026, "2026年")])
    assert [combo.itemText(i) for i in range(combo.count())] == [ANY, "2025年", "2026年"]
    select_value(combo, 2026)
    changes: list[int] = []
    combo.currentIndexChanged.connect(changes.append)
    refill(combo, [(2026, "2026年"), (2027, "2027年")], quiet=True)
    assert combo.currentData() == 2026 and changes == []
    refill(combo, [(2027, "2027年")])
    assert combo.currentData() is None and combo.currentText() == ANY and changes
    with pytest.raises(ValueError, match="filter_year"):
        select_value(combo, 2030)
