"""Numbers as typed into forms (ui.widgets.numbers)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ui.widgets.numbers import typed_number


def test_typed_numbers_with_commas_blank_and_unreadable() -> None:
    assert typed_number(" 1,234.5 ") == Decimal("1234.5")
    assert typed_number("2，000") == Decimal("2000")
    assert typed_number("  ") is None
    with pytest.raises(ValueError):
        typed_number("一千")
