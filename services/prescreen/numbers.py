"""Exact figures and how pre-screening writes them: percentages, 万元 and head counts, in Chinese.

Every comparison against a threshold is done on :class:`~decimal.Decimal` values by cross-multiplication (never on
a rounded ratio), so that an R&D share of exactly 5% passes a "≥ 5%" rule and 4.99% does not. Formatting then
takes care never to print a failing figure as if it met the threshold ("5%" for 4.999%).
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
#: Money gaps are rounded up to 0.01 万元 (100 元): a shortfall is never understated.
MONEY_QUANTUM = Decimal("0.01")


def to_decimal(value: object) -> Decimal:
    """A Decimal from an int, a Decimal, a numeric string or a float (through its shortest repr, 0.05 → 0.05)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a yes/no value is not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        return Decimal(value.strip().replace(",", ""))
    raise TypeError(f"not a number: {value!r}")


def trim(value: Decimal) -> str:
    """Plain notation without trailing zeros: 35.50 → '35.5', 40.00 → '40'."""
    text = f"{value.normalize():f}"
    return "0" if text == "-0" else text


_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(10)}


def rounded(value: Decimal, places: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    return value.quantize(_QUANTA[places], rounding=rounding)


def percent_number(ratio: Decimal, places: int = 2) -> str:
    """A ratio as a percentage number without the sign: 0.043 → '4.3'."""
    return trim(rounded(ratio * HUNDRED, places))


def pct(ratio: Decimal, *, against: Decimal | None = None) -> str:
    """A ratio as a percentage: 0.043 → '4.3%'.

    Args:
        ratio: The fraction to show.
        against: A threshold the figure is compared with; when given, more places are shown until the figure no
            longer prints like the threshold (0.04999 against 0.05 → '4.999%', not '5%').
    """
    places = 2
    if against is not None and ratio != against:
        while places < 8 and rounded(ratio * HUNDRED, places) == rounded(against * HUNDRED, places):
            places += 1
    return f"{percent_number(ratio, places)}%"


def points_gap(gap: Decimal) -> str:
    """A gap in percentage points, never printed as zero when it is not: 0.0001 → '0.01'."""
    hundred = gap * HUNDRED
    places = 2
    while places < 8 and hundred != 0 and rounded(hundred, places) == 0:
        places += 1
    return trim(rounded(hundred, places, ROUND_CEILING) if hundred > 0 else rounded(hundred, places))


def money_up(amount: Decimal) -> Decimal:
    """A shortfall in 万元 rounded up to 0.01 万元."""
    return rounded(amount, 2, ROUND_CEILING)


def wan(amount: Decimal, places: int = 2) -> str:
    """万元 with thousands separators and no trailing zeros: 12345.60 → '12,345.6万元'."""
    value = rounded(amount, places)
    return f"{value.normalize():,f}万元" if value else "0万元"


def number(value: Decimal | int) -> str:
    """A count or a score without trailing zeros: 7 → '7', Decimal('70.50') → '70.5'."""
    return f"{value:,}" if isinstance(value, int) else trim(value)


def span(low: Decimal | int, high: Decimal | int) -> str:
    """A band of points: '7' or '7–8'."""
    return number(low) if low == high else f"{number(low)}–{number(high)}"


def years_text(years: tuple[int, ...]) -> str:
    """'2023–2025年' for a run of years, '2025年' for one."""
    if not years:
        return ""
    return f"{years[0]}年" if len(years) == 1 else f"{years[0]}–{years[-1]}年"
