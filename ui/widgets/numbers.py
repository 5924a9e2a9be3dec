"""A number as a clerk types it into a field or a grid cell: "1,234.5", also with a full-width comma."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def typed_number(text: str) -> Decimal | None:
    """The number typed; None when blank; ValueError when it is not a number (the caller says why, by field)."""
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
