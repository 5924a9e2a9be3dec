"""Progress against targets per 属地: what was achieved, completion rate, rank and stretch attainment.

"Achieved" for a ``qual.<type>.new`` target is the report's ``qual.<type>.new_ytd`` (PRODUCT.md "Counting rules"):
certifications of the type dated from 1 January of the year to the day counted (:func:`services.counting.
certified_within`), of enterprises in the register at that day (:func:`services.counting.in_register_at`), per 属地
of the enterprise. The target assessed is chosen as the quarterly report chooses it: a 属地's is the district's
(else the city's), the district's is the city's (else the district's own, else the sum of the 属地) — unless the
caller asks for one issuer's set. Completion is achieved ÷ 新增数 × 100 to one decimal (half up); 属地 are ranked
by it, ties sharing a rank (1, 2, 2, 4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Enterprise, EnterpriseQualification, QualificationType
from models.db import Database
from services.counting import certified_within, in_register_at
from services.reports.compute import TARGET_ISSUERS_DISTRICT, TARGET_ISSUERS_UNIT
from services.reports.figures import UNASSIGNED, percent
from services.session import read_session
from services.targets import HTE_INDICATOR, ISSUERS, WHOLE_DISTRICT, TargetRow, read_grid, type_of


@dataclass(frozen=True)
class UnitResult:
    """One unit's progress.

    Attributes:
        subdistrict_id: The 属地 (None for 全区 and for :data:`UNASSIGNED`).
        unit: Its name.
        actual: Achieved so far (None when the indicator cannot be counted).
        required / stretch: The targets assessed (None when none is set); ``issuer`` who set them.
        completion_pct: ``actual`` ÷ ``required`` × 100, one decimal; None without a target.
        rank: Among the 属地 with a completion rate (None for the others and for 全区).
        stretch_reached: ``actual`` ≥ ``stretch`` (None without a stretch target).
    """

    subdistrict_id: int | None
    unit: str
    actual: int | None
    required: int | None
    stretch: int | None
    issuer: str | None
    completion_pct: Decimal | None
    rank: int | None = None
    stretch_reached: bool | None = None

    @property
    def shortfall(self) -> int | None:
        """How many are still missing to the 新增数 (0 when reached)."""
        if self.required is None or self.actual is None:
            return None
        return max(self.required - self.actual, 0)


@dataclass(frozen=True)
class TargetProgress:
    """Progress of one year and indicator, counted up to ``as_of``.

    Attributes:
        whole: The district as a whole.
        units: The 属地 in the district's order (plus :data:`UNASSIGNED` when new ones have no 属地).
        type_name: The qualification type's name (国家高新技术企业), "" when the indicator is not one.
    """

    year: int
    indicator: str
    type_name: str
    as_of: dt.date
    whole: UnitResult
    units: tuple[UnitResult, ...]


def rank_by(rates: Mapping[str, Decimal]) -> dict[str, int]:
    """Rank by rate, highest first; equal rates share a rank and the next rank skips (1, 2, 2, 4)."""
    ordered = sorted(rates.values(), reverse=True)
    return {unit: ordered.index(rate) + 1 for unit, rate in rates.items()}


def achieved(session: Session, type_code: str, start: dt.date, end: dt.date) -> dict[int | None, int]:
    """Certifications of ``type_code`` from ``start`` to ``end`` per 属地 (the report's ``new_ytd``)."""
    q, e = EnterpriseQualification, Enterprise
    rows = session.execute(select(e.subdistrict_id, func.count()).select_from(q).join(e, e.id == q.enterprise_id)
                           .where(q.type_code == type_code, certified_within(start, end), in_register_at(end))
                           .group_by(e.subdistrict_id)).tuples().all()
    return dict(rows)


def _chosen(row: TargetRow, order: tuple[str, ...]) -> tuple[str | None, int | None, int | None]:
    """(issuer, required, stretch) of the first issuer in ``order`` with a 新增数 or 力争数."""
    for issuer in order:
        values = row.targets.get(issuer)
        if values is not None and (values.required is not None or values.stretch is not None):
            return issuer, values.required, values.stretch
    return None, None, None


def _result(sub_id: int | None, unit: str, actual: int | None, issuer: str | None, required: int | None,
            stretch: int | None) -> UnitResult:
    return UnitResult(sub_id, unit, actual, required, stretch, issuer, percent(actual, required),
                      stretch_reached=None if stretch is None or actual is None else actual >= stretch)


def target_progress(db: Database, year: int, indicator: str = HTE_INDICATOR, *, as_of: dt.date | None = None,
                    issuer: str | None = None) -> TargetProgress:
    """Progress of ``year`` counted up to ``as_of`` (today; for a past year its 31 December).

    Args:
        issuer: Assess against this issuer's targets only ("区" or "市"); None chooses as the report does.
    """
    end = min(as_of or dt.date.today(), dt.date(year, 12, 31))
    type_code = type_of(indicator)
    with read_session(db) as session:
        grid = read_grid(session, year, indicator)
        counted = achieved(session, type_code, dt.date(year, 1, 1), end) if type_code else None
        type_name = session.scalar(select(QualificationType.name).where(QualificationType.code == type_code)) \
            if type_code else None
    unit_order = (issuer,) if issuer in ISSUERS else TARGET_ISSUERS_UNIT
    whole_order = (issuer,) if issuer in ISSUERS else TARGET_ISSUERS_DISTRICT
    results = []
    for row in grid.rows[1:]:
        actual = counted.get(row.subdistrict_id, 0) if counted is not None else None
        results.append(_result(row.subdistrict_id, row.unit, actual, *_chosen(row, unit_order)))
    ranks = rank_by({r.unit: r.completion_pct for r in results if r.completion_pct is not None})
    results = [UnitResult(**{**r.__dict__, "rank": ranks.get(r.unit)}) for r in results]
    if counted and counted.get(None):
        results.append(_result(None, UNASSIGNED, counted[None], None, None, None))
    total = sum(counted.values()) if counted is not None else None
    chosen_issuer, required, stretch = _chosen(grid.rows[0], whole_order)
    if chosen_issuer is None:
        parts = [r for r in results if r.issuer is not None]
        required = sum(r.required for r in parts if r.required is not None) if parts else None
        stretch = sum(r.stretch for r in parts if r.stretch is not None) if parts else None
    whole = _result(None, WHOLE_DISTRICT, total, chosen_issuer, required, stretch)
    return TargetProgress(year, indicator, type_name or "", end, whole, tuple(results))
