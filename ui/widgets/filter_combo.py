"""The combo boxes of a list's filter row: made alike, filled again keeping the choice, chosen by value.

    self.year = filter_combo("filter_year", "年度")
    refill(self.year, [(2025, "2025年"), (2026, "2026年")])  # 全部 first; the year chosen stays chosen
    select_value(self.year, 2026)  # what a click would do
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QComboBox

#: The first item of every filter: no filtering (its value is None).
ANY = "全部"


def filter_combo(name: str, tip: str) -> QComboBox:
    """An empty filter combo named ``name`` (for tests and remembered state), ``tip`` its tooltip."""
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setToolTip(tip)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def refill(combo: QComboBox, items: Iterable[tuple[Any, str]], *, quiet: bool = False) -> None:
    """Offer 全部 and then ``items`` (value, label), keeping the value chosen where it is still offered (else 全部).

    ``quiet``: the combo signals nothing meanwhile (not even a change of the choice).
    """
    blocker = QSignalBlocker(combo) if quiet else None
    current = combo.currentData()
    combo.clear()
    combo.addItem(ANY, None)
    for value, label in items:
        combo.addItem(label, value)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    if blocker is not None:
        blocker.unblock()


def select_value(combo: QComboBox, value: Any) -> None:
    """Choose ``value`` in ``combo`` (what a click would do); ValueError if it is not offered."""
    found = combo.findData(value)
    if found < 0:
        raise ValueError(f"{value!r} is not offered by {combo.objectName()}")
    combo.setCurrentIndex(found)
