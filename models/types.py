"""Shared column types for the models.

Money is kept exactly: amounts are shown and entered in 万元 but stored as whole 分 (1 万元 = 1,000,000 分) in a
BIGINT column, so that sums in SQL are exact on SQLite and PostgreSQL alike and no float ever touches a figure
that goes into a report. SQLite has no DECIMAL type, which is why ``Numeric`` is not used.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from sqlalchemy import BigInteger, DateTime, Integer, String, func
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import mapped_column
from sqlalchemy.types import TypeDecorator


class FixedDecimal(TypeDecorator[Decimal]):
    """A decimal with a fixed number of places, stored as a scaled integer."""

    impl = BigInteger
    cache_ok = True

    def __init__(self, places: int) -> None:
        super().__init__()
        self.places = places
        self.factor = 10**places
        self.quantum = Decimal(1).scaleb(-places)

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if isinstance(value, float):
            value = Decimal(repr(value))
        elif not isinstance(value, Decimal):
            value = Decimal(value)
        return int((value * self.factor).to_integral_value(rounding=ROUND_HALF_UP))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / self.factor).quantize(self.quantum)

    def to_stored(self, value: Any) -> int | None:
        """:meth:`process_bind_param` for bulk inserts: a Decimal (what they hold) without the checks' detour;
        the stored integer is the same (the integer column itself needs no conversion on any engine)."""
        if value.__class__ is Decimal:
            return int((value * self.factor).to_integral_value(rounding=ROUND_HALF_UP))
        return self.process_bind_param(value, None)  # type: ignore[arg-type]


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on every engine (SQLite drops tzinfo otherwise)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


#: 万元, exact to the 分.
Wan = FixedDecimal(6)
#: Ratios and areas, four places (0.0001).
Dec4 = FixedDecimal(4)

intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
name200 = Annotated[str, mapped_column(String(200))]
created_at = Annotated[dt.datetime, mapped_column(UTCDateTime, default=utcnow, server_default=func.now())]
updated_at = Annotated[
    dt.datetime, mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, server_default=func.now())
]
