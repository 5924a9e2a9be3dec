"""The facts an evaluation reads (no database here), what-if changes to them, and the evaluation context.

Years: an evaluation is for an application year Y (申报年度). "Last year" is Y−1, the last accounting year, and a
three-year period is Y−3 … Y−1, shortened to the years the enterprise has operated (RULES.md: "if the company has
operated under 3 years, use the actual period") — an enterprise registered in 2024 has 2024 as its first year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import Any

from services.prescreen.numbers import number, wan
from services.qualifications import FACT_LABELS, YearFacts

#: Year-fact fields that hold 万元; the others are counts.
MONEY_FIELDS = frozenset(name for name in FACT_LABELS if name.endswith("_wan"))
#: Units of the count fields.
COUNT_UNITS = {"staff_avg": "人", "st_staff_avg": "人", "ip_class1": "件", "ip_class2": "件",
               "invention_patents_granted": "件"}

Value = Decimal | int | None


def unit_of(name: str) -> str:
    return "万元" if name in MONEY_FIELDS else COUNT_UNITS.get(name, "")


def value_text(name: str, value: Decimal | int) -> str:
    """A stored figure as shown: '3,000万元', '45人'."""
    if name in MONEY_FIELDS:
        return wan(Decimal(value))
    return f"{number(value)}{unit_of(name)}"


@dataclass(frozen=True)
class EnterpriseFacts:
    """What is known about one enterprise, read in bulk by :mod:`services.prescreen.store`.

    Attributes:
        years: Yearly figures by year (a missing year or a None field means unknown).
        valid_qualifications: Qualification type codes valid at the evaluation date.
        rd_institution_levels: Levels (国家/省/市/区) of its recognised R&D institutions.
        saved_inputs: The clerk's answers from the latest saved pre-review of this rule set and year.
        saved_inputs_on: The date of that pre-review.
    """

    enterprise_id: int | None
    name: str
    uscc: str | None = None
    subdistrict: str | None = None
    registered_on: dt.date | None = None
    industry_field_code: str | None = None
    #: Name of the technology field (电子信息 …).
    industry_field: str | None = None
    years: Mapping[int, YearFacts] = field(default_factory=dict)
    valid_qualifications: frozenset[str] = frozenset()
    rd_institution_levels: frozenset[str] = frozenset()
    saved_inputs: Mapping[str, Any] = field(default_factory=dict)
    saved_inputs_on: dt.date | None = None


@dataclass(frozen=True)
class WhatIf:
    """Figures to evaluate with instead of the stored ones; nothing is saved.

    Attributes:
        figures: (year, field) → value; None makes a figure unknown.
        registered_on: Another registration date, when given.
    """

    figures: Mapping[tuple[int, str], Value] = field(default_factory=dict)
    registered_on: dt.date | None = None

    def __bool__(self) -> bool:
        return bool(self.figures) or self.registered_on is not None


YEAR_FIELDS = frozenset(f.name for f in fields(YearFacts)) - {"year", "size_class"}


def apply_what_if(facts: EnterpriseFacts, what_if: WhatIf | None) -> tuple[EnterpriseFacts, tuple[str, ...]]:
    """The facts with the what-if figures put in, and a line per change ("2025年研发费用：200万元 → 300万元")."""
    if not what_if:
        return facts, ()
    years = dict(facts.years)
    changes: list[str] = []
    for (year, name), value in sorted(what_if.figures.items()):
        if name not in YEAR_FIELDS:
            raise ValueError(f"not a year-fact field: {name}")
        current = years.get(year, YearFacts(year=year))
        old = getattr(current, name)
        if old == value:
            continue
        change: dict[str, Any] = {name: value}
        years[year] = replace(current, **change)
        before = "未填" if old is None else value_text(name, old)
        after = "未填" if value is None else value_text(name, value)
        changes.append(f"{year}年{FACT_LABELS[name]}：{before} → {after}")
    updated = replace(facts, years=years)
    if what_if.registered_on is not None and what_if.registered_on != facts.registered_on:
        before = facts.registered_on.isoformat() if facts.registered_on else "未填"
        changes.append(f"注册日期：{before} → {what_if.registered_on.isoformat()}")
        updated = replace(updated, registered_on=what_if.registered_on)
    return updated, tuple(changes)


@dataclass
class Context:
    """What criteria and score items read while one enterprise is evaluated.

    Attributes:
        year: The application year.
        as_of: The application date.
        inputs: The clerk's answers by input key (absent: not answered).
    """

    facts: EnterpriseFacts
    year: int
    as_of: dt.date
    inputs: Mapping[str, Any]
    _periods: dict[int, tuple[int, ...]] = field(default_factory=dict)
    _totals: dict[tuple[str, tuple[int, ...]], tuple[Value, tuple[str, ...]]] = field(default_factory=dict)

    @property
    def last_year(self) -> int:
        return self.year - 1

    def period(self, length: int) -> tuple[int, ...]:
        """The last ``length`` accounting years, without those before the enterprise was registered."""
        years = self._periods.get(length)
        if years is None:
            registered = self.facts.registered_on
            first = self.last_year - length + 1 if registered is None else max(self.last_year - length + 1,
                                                                                registered.year)
            years = self._periods[length] = tuple(range(first, self.last_year + 1))
        return years

    def value(self, year: int, name: str) -> Value:
        facts = self.facts.years.get(year)
        return None if facts is None else getattr(facts, name)

    def missing_label(self, year: int, name: str) -> str:
        return f"{year}年{FACT_LABELS[name]}"

    def total(self, name: str, years: tuple[int, ...]) -> tuple[Value, tuple[str, ...]]:
        """The sum of a field over ``years``, or None with the missing figures named (worked out once)."""
        key = (name, years)
        known = self._totals.get(key)
        if known is not None:
            return known
        values = [self.value(y, name) for y in years]
        missing = tuple(self.missing_label(y, name) for y, v in zip(years, values, strict=True) if v is None)
        if missing or not years:
            result: tuple[Value, tuple[str, ...]] = (None, missing)
        else:
            result = (sum(values[1:], start=values[0]), ())  # type: ignore[arg-type]
        self._totals[key] = result
        return result
