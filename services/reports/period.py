"""The period a report covers (PRODUCT.md "Counting rules for reports").

Year Y, quarter Q: the period runs from 1 January of Y to the last day of Q (year-to-date); the quarter alone from
its first day. "The same period last year" is the same quarter of Y − 1.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from services.errors import ValidationError

QUARTER_MONTHS = {1: "1-3月", 2: "1-6月", 3: "1-9月", 4: "1-12月"}
CN_QUARTERS = {1: "一", 2: "二", 3: "三", 4: "四"}


@dataclass(frozen=True)
class Period:
    """Year-to-date up to the end of one quarter.

    Attributes:
        year: Y.
        quarter: Q, 1–4.
    """

    year: int
    quarter: int

    @classmethod
    def of(cls, year: int, quarter: int) -> Period:
        """A checked period (the years the database accepts, quarters 1–4)."""
        problems = {}
        if not 1949 < year <= 2200:
            problems["year"] = "年份应在1950年至2200年之间"
        if quarter not in QUARTER_MONTHS:
            problems["quarter"] = "季度应为1至4"
        if problems:
            raise ValidationError(problems)
        return cls(year, quarter)

    @classmethod
    def last_finished(cls, today: dt.date) -> Period:
        """The latest quarter that has ended by ``today`` (a quarterly report is made after its quarter)."""
        quarter = (today.month - 1) // 3
        return cls(today.year, quarter) if quarter else cls(today.year - 1, 4)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        """Last day of the quarter."""
        if self.quarter == 4:
            return dt.date(self.year, 12, 31)
        first_of_next = dt.date(self.year, 3 * self.quarter + 1, 1)
        return first_of_next - dt.timedelta(days=1)

    @property
    def quarter_start(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def previous(self) -> Period:
        """The same period last year."""
        return Period(self.year - 1, self.quarter)

    @property
    def tag(self) -> str:
        """Short form for file names: 2026Q3."""
        return f"{self.year}Q{self.quarter}"

    @property
    def label(self) -> str:
        """As forms print it: 2026年第三季度（1-9月）."""
        return f"{self.year}年第{CN_QUARTERS[self.quarter]}季度（{QUARTER_MONTHS[self.quarter]}）"

    def as_json(self) -> dict[str, object]:
        return {"year": self.year, "quarter": self.quarter, "start": self.start.isoformat(),
                "end": self.end.isoformat(), "quarter_start": self.quarter_start.isoformat()}
