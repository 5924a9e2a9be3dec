"""Targets (目标任务) per 属地 and year: the grid a clerk enters or imports, and the check that the 属地 add up.

A target belongs to one 属地 — or to the whole district (全区, ``subdistrict_id`` NULL) — for a year and an indicator
(``qual.<type>.new``: new certifications of that type), set by an issuer: 区 (the district's own table) or 市 (the
city's table for the district). Both may exist for the same unit and year (DOMAIN §8.1(c): the district set its own
2019/2020 numbers above the city's), so the grid has 新增数 (required) and 力争数 (stretch) per issuer.

The 属地 rows should add up to the 全区 row; when they do not, :func:`sum_warnings` says where, as a warning only
(the city's and the district's sets are made differently, and a clerk may enter the 全区 row first).
Progress against the targets is in :mod:`services.targets_progress`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import QualificationType, Subdistrict, Target
from models.db import Database
from services.errors import ValidationError
from services.payouts import home_district
from services.session import read_session, unit_of_work
from services.users import Actor, current_actor

#: New 国家高新技术企业 — the indicator of the district's target tables.
HTE_INDICATOR = "qual.national_hte.new"
#: Who sets targets: the district (its own table) and the city.
ISSUERS = ("区", "市")
ISSUER_LABELS = {"区": "区下达", "市": "市下达"}
WHOLE_DISTRICT = "全区"
MEASURES = {"required": "新增数", "stretch": "力争数", "base_value": "基数"}
MAX_TARGET = 100_000
MANUAL_SOURCE = "手工录入"


def type_of(indicator: str) -> str | None:
    """The qualification type code of a ``qual.<type>.new`` indicator, else None."""
    parts = indicator.split(".")
    return parts[1] if len(parts) == 3 and parts[0] == "qual" and parts[2] == "new" else None


@dataclass(frozen=True)
class TargetValues:
    """One issuer's target for a unit: 新增数, 力争数, the base (existing count), and where it came from."""

    required: int | None = None
    stretch: int | None = None
    base_value: int | None = None
    source: str | None = None

    @property
    def empty(self) -> bool:
        return self.required is None and self.stretch is None and self.base_value is None


@dataclass(frozen=True)
class TargetCell:
    """A unit's target by one issuer as entered (all three None removes it)."""

    subdistrict_id: int | None
    issuer: str
    required: int | None = None
    stretch: int | None = None
    base_value: int | None = None


@dataclass(frozen=True)
class TargetRow:
    """A line of the grid: the unit (None and 全区 for the whole district) and its targets by issuer."""

    subdistrict_id: int | None
    unit: str
    targets: Mapping[str, TargetValues]

    def value(self, issuer: str, measure: str) -> int | None:
        values = self.targets.get(issuer)
        return getattr(values, measure) if values is not None else None


@dataclass(frozen=True)
class TargetGrid:
    """The targets of one year and indicator: 全区 first, then the 属地 in the district's order."""

    year: int
    indicator: str
    district: str
    rows: tuple[TargetRow, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorOption:
    code: str
    label: str


def indicator_options(db: Database) -> list[IndicatorOption]:
    """The indicators targets can be set for: new certifications of each active qualification type."""
    with read_session(db) as session:
        types = session.execute(select(QualificationType.code, QualificationType.short_name)
                                .where(QualificationType.active.is_(True))
                                .order_by(QualificationType.sort_order, QualificationType.code)).tuples().all()
    return [IndicatorOption(f"qual.{code}.new", f"{short}新增数") for code, short in types]


def target_years(db: Database, indicator: str = HTE_INDICATOR) -> list[int]:
    """Years with targets for ``indicator``, newest first."""
    with read_session(db) as session:
        return list(session.scalars(select(Target.year).distinct().where(Target.indicator == indicator)
                                    .order_by(Target.year.desc())))


def units(session: Session, district_id: int, year: int, indicator: str) -> list[tuple[int, str]]:
    """The district's active 属地, and inactive ones that have targets in the year, in the district's order."""
    with_targets = select(Target.subdistrict_id).where(Target.year == year, Target.indicator == indicator,
                                                       Target.subdistrict_id.is_not(None))
    rows = session.execute(select(Subdistrict.id, Subdistrict.name)
                           .where(Subdistrict.district_id == district_id,
                                  Subdistrict.active.is_(True) | Subdistrict.id.in_(with_targets))
                           .order_by(Subdistrict.sort_order, Subdistrict.id)).tuples().all()
    return list(rows)


def read_grid(session: Session, year: int, indicator: str = HTE_INDICATOR) -> TargetGrid:
    """:func:`target_grid` within a session."""
    district = home_district(session)
    found: dict[int | None, dict[str, TargetValues]] = {}
    for target in session.scalars(select(Target).where(Target.district_id == district.id, Target.year == year,
                                                       Target.indicator == indicator)):
        found.setdefault(target.subdistrict_id, {})[target.issuer] = TargetValues(
            target.required, target.stretch, target.base_value, target.source)
    rows = [TargetRow(None, WHOLE_DISTRICT, found.get(None, {}))]
    rows += [TargetRow(sub_id, name, found.get(sub_id, {})) for sub_id, name in
             units(session, district.id, year, indicator)]
    return TargetGrid(year, indicator, district.name, tuple(rows), tuple(sum_warnings(rows)))


def target_grid(db: Database, year: int, indicator: str = HTE_INDICATOR) -> TargetGrid:
    """Every unit's targets for the year and indicator, with the 属地-sum warnings."""
    with read_session(db) as session:
        return read_grid(session, year, indicator)


def sum_warnings(rows: Sequence[TargetRow]) -> list[str]:
    """Where the 属地 rows do not add up to the 全区 row (per issuer and measure, over the 属地 that have a value)."""
    whole = next((r for r in rows if r.subdistrict_id is None), None)
    if whole is None:
        return []
    warnings = []
    for issuer in ISSUERS:
        for measure, label in MEASURES.items():
            total = whole.value(issuer, measure)
            parts = [v for r in rows if r.subdistrict_id is not None
                     and (v := r.value(issuer, measure)) is not None]
            if total is None or not parts or sum(parts) == total:
                continue
            warnings.append(f"{ISSUER_LABELS[issuer]}{label}：各属地合计 {sum(parts)}，全区 {total}"
                            f"（相差 {sum(parts) - total:+d}）")
    return warnings


def check_cells(cells: Sequence[TargetCell], names: Mapping[int | None, str]) -> dict[str, str]:
    """Problems of the cells, keyed ``<subdistrict id or 'all'>.<issuer>.<measure>``."""
    problems: dict[str, str] = {}
    for cell in cells:
        where = f"{names.get(cell.subdistrict_id, '?')}（{ISSUER_LABELS.get(cell.issuer, cell.issuer)}）"
        key = f"{cell.subdistrict_id if cell.subdistrict_id is not None else 'all'}.{cell.issuer}"
        if cell.issuer not in ISSUERS:
            problems[f"{key}.issuer"] = f"{where}：下达单位应为“区”或“市”"
            continue
        if cell.subdistrict_id not in names:
            problems[f"{key}.unit"] = "属地不存在或不属于本区"
            continue
        for measure, label in MEASURES.items():
            value = getattr(cell, measure)
            if value is not None and not 0 <= value <= MAX_TARGET:
                problems[f"{key}.{measure}"] = f"{where}{label}应为0至{MAX_TARGET}之间的整数"
        if cell.required is not None and cell.stretch is not None and cell.stretch < cell.required:
            problems[f"{key}.stretch"] = f"{where}力争数（{cell.stretch}）不能小于新增数（{cell.required}）"
    return problems


def save_targets(db: Database, year: int, cells: Sequence[TargetCell], indicator: str = HTE_INDICATOR, *,
                 actor: Actor | None = None, source: str = MANUAL_SOURCE) -> TargetGrid:
    """Store the cells of one year's grid (a cell with nothing in it removes that target); returns the grid.

    Raises:
        ValidationError: a value is negative or too large, or a 力争数 is below its 新增数; nothing is saved.
    """
    actor = actor or current_actor()
    if not 1990 <= year <= 2200:
        raise ValidationError({"year": "年度应在1990年至2200年之间"})
    with unit_of_work(db, user=actor.username) as session:
        district = home_district(session)
        names: dict[int | None, str] = {None: WHOLE_DISTRICT, **dict(units(session, district.id, year, indicator))}
        problems = check_cells(cells, names)
        if problems:
            raise ValidationError(problems)
        stored = {(t.subdistrict_id, t.issuer): t for t in session.scalars(
            select(Target).where(Target.district_id == district.id, Target.year == year,
                                 Target.indicator == indicator))}
        for cell in cells:
            target = stored.get((cell.subdistrict_id, cell.issuer))
            values = TargetValues(cell.required, cell.stretch, cell.base_value)
            if values.empty:
                if target is not None:
                    session.delete(target)
                continue
            if target is None:
                target = Target(district_id=district.id, subdistrict_id=cell.subdistrict_id, year=year,
                                indicator=indicator, issuer=cell.issuer, source=source)
                session.add(target)
            target.required, target.stretch, target.base_value = cell.required, cell.stretch, cell.base_value
        session.flush()
        return read_grid(session, year, indicator)
