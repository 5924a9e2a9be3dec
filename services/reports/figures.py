"""The computed figures of a quarterly report: one frozen record that the workbook, the PDF and the JSON all read.

Values are ``int`` (counts), ``Decimal`` (万元, exact; percentages to one decimal) or ``None`` (not applicable, such
as a completion rate without a target). Indicator codes are those of PRODUCT.md ("Counting rules for reports");
the further codes used here (the application steps ``qual.<type>.applied_ytd`` / ``reviewed_ytd`` /
``publicized_ytd``, pools, pre-reviews, visits, counts of vouchers) follow the same form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from services.reports.period import Period

Value = int | Decimal | None

#: The 属地 bucket for records without one (maker teams' vouchers, enterprises whose 属地 is not filled in).
UNASSIGNED = "未落属地"
ONE_PLACE = Decimal("0.1")


def percent(part: Value, whole: Value) -> Decimal | None:
    """``part`` ÷ ``whole`` × 100 to one decimal (half up); None when either is missing or ``whole`` is 0."""
    if part is None or whole is None or whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def change_pct(current: Value, previous: Value) -> Decimal | None:
    """Change over the same period last year in percent, one decimal; None without a base to compare with."""
    if current is None or previous is None or previous == 0:
        return None
    return percent(Decimal(current) - Decimal(previous), previous)


@dataclass(frozen=True)
class TypeInfo:
    """A qualification type or carrier kind as the forms name it."""

    code: str
    name: str
    short_name: str


@dataclass(frozen=True)
class PeriodFigures:
    """Every indicator for one period.

    Attributes:
        period: The period counted.
        district: Indicator code → value for the whole district.
        by_unit: 属地 name → indicator code → value.
    """

    period: Period
    district: Mapping[str, Value]
    by_unit: Mapping[str, Mapping[str, Value]]

    def get(self, code: str, unit: str | None = None) -> Value:
        """The value of ``code`` for the district (``unit`` None) or one 属地; None when not counted."""
        values = self.district if unit is None else self.by_unit.get(unit, {})
        return values.get(code)


@dataclass(frozen=True)
class ProgrammeRow:
    """Pay-outs of one programme within a period."""

    programme: str
    payments: int
    total_wan: Decimal
    city_wan: Decimal
    district_wan: Decimal


@dataclass(frozen=True)
class CertifiedRow:
    """A certification within the period, for the list attached to the report."""

    name: str
    uscc: str | None
    unit: str
    certified_on: dt.date
    application_kind: str
    batch: str | None
    certificate_no: str | None


@dataclass(frozen=True)
class ReportMeta:
    """What the forms print besides the figures: the reporting unit, statutory marks and the sign-off.

    Attributes:
        unit_name: 填报单位.
        unit_uscc: The reporting unit's 统一社会信用代码 ("" when unknown).
        district: The district the bureau serves.
        marks: 制定机关, 批准文号, 有效期至 ("" when unknown: printed as a blank line).
        form_numbers: Form key → 表号 ("" when unknown).
        signoff: 单位负责人, 统计负责人, 填表人, 联系电话 by setting key.
        reported_on: 报出日期; None leaves the date to be written by hand.
    """

    unit_name: str
    unit_uscc: str
    district: str
    marks: Mapping[str, str]
    form_numbers: Mapping[str, str]
    signoff: Mapping[str, str]
    reported_on: dt.date | None = None


@dataclass(frozen=True)
class QuarterlyReport:
    """The figures of one quarterly report, computed in one consistent read of the database.

    Attributes:
        period: Year-to-date up to the quarter.
        current: Figures of the period.
        previous: Figures of the same period last year.
        units: 属地 names in the district's order (plus :data:`UNASSIGNED` when anything has no 属地).
        qualification_types: Types counted, in catalogue order.
        target_types: Codes of the types that have targets in the year (or the year before).
        carrier_kinds: Carrier kinds, in catalogue order.
        carrier_codes: ``carrier.<kind>.<level>.count_end`` codes counted in either period, in catalogue order.
        programmes: Pay-outs by programme in the period; ``programmes_previous`` the same period last year.
        new_hte: 国高企 certified within the period (the list attached to the report).
        meta: Unit, statutory marks and sign-off.
    """

    period: Period
    current: PeriodFigures
    previous: PeriodFigures
    units: tuple[str, ...]
    qualification_types: tuple[TypeInfo, ...]
    target_types: tuple[str, ...]
    carrier_kinds: tuple[TypeInfo, ...]
    carrier_codes: tuple[str, ...]
    programmes: tuple[ProgrammeRow, ...]
    programmes_previous: tuple[ProgrammeRow, ...]
    new_hte: tuple[CertifiedRow, ...]
    meta: ReportMeta

    def change(self, code: str, unit: str | None = None) -> Decimal | None:
        """Change of ``code`` over the same period last year, in percent."""
        return change_pct(self.current.get(code, unit), self.previous.get(code, unit))

    def ranks(self, type_code: str) -> dict[str, int]:
        """属地 with a target ranked by completion rate of ``type_code`` (ties share a rank: 1, 2, 2, 4)."""
        code = f"completion.{type_code}.pct"
        rates = {u: r for u in self.units if isinstance(r := self.current.get(code, u), Decimal)}
        ordered = sorted(rates.values(), reverse=True)
        return {unit: ordered.index(rate) + 1 for unit, rate in rates.items()}

    def type_name(self, code: str) -> str:
        return next((t.name for t in self.qualification_types if t.code == code), code)
