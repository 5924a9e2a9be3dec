"""Periodic statistics of a carrier (the Torch indicator set): one record per quarter, or per year (quarter None).

Blank is not 0: a figure not reported stays NULL, is shown as 未填, and totals say how many carriers left it
blank instead of counting them as 0 (:func:`totals`). Each record comes with the plausibility findings of
:mod:`services.carrier_plausibility`, judged against the carrier's other periods and its area.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Carrier, CarrierPeriodStat
from models.db import Database
from services.carrier_plausibility import COUNT_FIELDS, STAT_FIELDS, Finding, check, negatives
from services.errors import NotFoundError, ValidationError
from services.session import read_session, unit_of_work

_QUARTER_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PERIOD = re.compile(r"^(?:(\d{4})\s*(?:年度?|[-/.]?))?\s*(?:第?([一二三四1-4])\s*(?:季度?)?|Q([1-4]))?$",
                     re.IGNORECASE)
_ANNUAL_WORDS = ("全年", "年度", "年报", "年")
_PLACES = {key: Decimal("0.000001") if unit == "万元" else Decimal("0.0001")
           for key, (_label, unit) in STAT_FIELDS.items() if key not in COUNT_FIELDS}


def period_label(year: int, quarter: int | None) -> str:
    """"2025年第3季度", or "2025年度" for the whole year."""
    return f"{year}年第{quarter}季度" if quarter else f"{year}年度"


@dataclass(frozen=True)
class Period:
    """What a 季度 cell says: the year (None when it does not say) and the quarter (None: the whole year)."""

    year: int | None
    quarter: int | None


def parse_period(value: Any) -> Period:
    """"2025年第3季度", "2025Q3", "第三季度", "Q3", "3" (a quarter), "2025", "2025年度", "全年" (a year).

    Raises:
        ValueError: with a Chinese reason.
    """
    if isinstance(value, bool):
        raise ValueError(f"“{value}”不是统计期")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        if 1 <= value <= 4:
            return Period(None, value)
        if 1990 <= value <= 2200:
            return Period(value, None)
        raise ValueError(f"“{value}”不是统计期（季度应为1–4，年份如2025）")
    text = "".join(unicodedata.normalize("NFKC", str(value)).split())
    if text in _ANNUAL_WORDS:
        return Period(None, None)
    found = _PERIOD.match(text)
    if not text or found is None or not any(found.groups()):
        raise ValueError(f"“{value}”不是可识别的统计期（应如 2025年第3季度、第3季度、Q3 或 2025年度）")
    year = int(found.group(1)) if found.group(1) else None
    quarter_text = found.group(2) or found.group(3)
    return Period(year, _QUARTER_DIGITS[quarter_text] if quarter_text else None)


@dataclass(frozen=True)
class StatInput:
    """One period's figures; None means not reported (未填), never 0."""

    year: int
    quarter: int | None = None
    investment_total_wan: Decimal | None = None
    floor_area_m2: Decimal | None = None
    incubating_count: int | None = None
    new_count: int | None = None
    graduated_count: int | None = None
    exited_count: int | None = None
    employees: int | None = None
    ip_count: int | None = None
    revenue_wan: Decimal | None = None
    financing_wan: Decimal | None = None
    events_count: int | None = None
    mentors: int | None = None
    vacancy_m2: Decimal | None = None
    submitted_on: dt.date | None = None

    def figures(self) -> dict[str, Decimal | int | None]:
        return {key: getattr(self, key) for key in STAT_FIELDS}


@dataclass(frozen=True)
class StatRecord:
    """A stored period with the reviewer's findings on it."""

    id: int
    carrier_id: int
    year: int
    quarter: int | None
    period: str
    figures: dict[str, Decimal | int | None]
    submitted_on: dt.date | None
    findings: tuple[Finding, ...] = field(default=())

    def finding(self, key: str) -> Finding | None:
        """The most serious finding on one figure."""
        return next((f for f in sorted(self.findings, key=lambda f: f.severity != "red") if f.field == key), None)


def figures_of(stat: CarrierPeriodStat) -> dict[str, Decimal | int | None]:
    return {key: getattr(stat, key) for key in STAT_FIELDS}


def validate_stat(data: StatInput, today: dt.date | None = None) -> dict[str, str]:
    """Problems that refuse a save: the period, negative values, fractions of people."""
    today = today or dt.date.today()
    problems = negatives(data.figures())
    if not 1990 <= data.year <= today.year:
        problems["year"] = f"年度应在1990年至{today.year}年之间"
    elif data.quarter is not None and data.quarter not in (1, 2, 3, 4):
        problems["quarter"] = "季度应为1–4（全年数据不填季度）"
    elif dt.date(data.year, 3 * (data.quarter or 1) - 2, 1) > today:
        problems["quarter"] = f"{period_label(data.year, data.quarter)}尚未开始，不能填报"
    for key in COUNT_FIELDS:
        value = getattr(data, key)
        if value is not None and not isinstance(value, int):
            problems[key] = f"{STAT_FIELDS[key][0]}应为整数"
    if data.submitted_on is not None and data.submitted_on > today:
        problems["submitted_on"] = "报送日期不能晚于今天"
    return problems


def _rounded(data: StatInput) -> dict[str, Any]:
    values: dict[str, Any] = data.figures()
    for key, places in _PLACES.items():
        if values[key] is not None:
            values[key] = Decimal(values[key]).quantize(places)
    return values


def save_stat(db: Database, carrier_id: int, data: StatInput, *, user: str | None = None,
              today: dt.date | None = None) -> StatRecord:
    """Store a period's figures (replacing that period's earlier ones) and return them with their findings."""
    problems = validate_stat(data, today)
    if problems:
        raise ValidationError(problems)
    with unit_of_work(db, user=user) as session:
        carrier = session.get(Carrier, carrier_id)
        if carrier is None:
            raise NotFoundError(f"找不到编号为 {carrier_id} 的载体")
        stat = session.scalar(select(CarrierPeriodStat).where(
            CarrierPeriodStat.carrier_id == carrier_id, CarrierPeriodStat.year == data.year,
            CarrierPeriodStat.quarter.is_(None) if data.quarter is None else CarrierPeriodStat.quarter == data.quarter))
        if stat is None:
            stat = CarrierPeriodStat(carrier_id=carrier_id, year=data.year, quarter=data.quarter)
            session.add(stat)
        for key, value in _rounded(data).items():
            setattr(stat, key, value)
        stat.submitted_on = data.submitted_on
        session.flush()
        return next(r for r in _records(session, carrier_id) if r.id == stat.id)


def remove_stat(db: Database, stat_id: int, *, user: str | None = None) -> None:
    with unit_of_work(db, user=user) as session:
        stat = session.get(CarrierPeriodStat, stat_id)
        if stat is None:
            raise NotFoundError(f"找不到编号为 {stat_id} 的统计记录")
        session.delete(stat)


def review(stats: Iterable[tuple[Any, Mapping[str, Any]]], area_m2: Decimal | None) -> dict[Any, list[Finding]]:
    """Findings per record (by its key): each period's figures against the carrier's other periods and its area."""
    stats = list(stats)
    return {key: check(figures, [f for other, f in stats if other != key], area_m2=area_m2)
            for key, figures in stats}


def _records(session: Session, carrier_id: int) -> list[StatRecord]:
    carrier = session.get(Carrier, carrier_id)
    if carrier is None:
        raise NotFoundError(f"找不到编号为 {carrier_id} 的载体")
    stats = list(session.scalars(select(CarrierPeriodStat).where(CarrierPeriodStat.carrier_id == carrier_id)))
    stats.sort(key=lambda s: (s.year, s.quarter or 5), reverse=True)
    findings = review(((s.id, figures_of(s)) for s in stats), carrier.area_m2)
    return [StatRecord(s.id, carrier_id, s.year, s.quarter, period_label(s.year, s.quarter), figures_of(s),
                       s.submitted_on, tuple(findings[s.id])) for s in stats]


def list_stats(db: Database, carrier_id: int) -> list[StatRecord]:
    """The carrier's statistics, newest period first (a year's annual record after its fourth quarter)."""
    with read_session(db) as session:
        return _records(session, carrier_id)


@dataclass(frozen=True)
class Total:
    """A figure summed over records: the sum of the reported values, how many reported it, how many left it blank."""

    key: str
    total: Decimal | int | None
    reported: int
    blank: int

    def text(self) -> str:
        """"7,153（2 家未填）", or "未填" when nobody reported it."""
        if self.total is None:
            return "未填"
        shown = f"{self.total:,}" if isinstance(self.total, int) else f"{self.total:,.2f}"
        return shown + (f"（{self.blank} 家未填）" if self.blank else "")


def totals(records: Iterable[Mapping[str, Any]]) -> dict[str, Total]:
    """Per figure, the sum over the non-blank values, with the counts of reported and blank ones."""
    rows = list(records)
    out = {}
    for key in STAT_FIELDS:
        values = [r[key] for r in rows if r.get(key) is not None]
        zero: Decimal | int = 0 if key in COUNT_FIELDS else Decimal(0)
        out[key] = Total(key, sum(values, zero) if values else None, len(values), len(rows) - len(values))
    return out
