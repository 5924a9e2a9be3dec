"""Compute a quarterly report: every indicator of the period and of the same period last year, per 属地 and for the
district, in one read transaction (one snapshot of the database), into a :class:`QuarterlyReport`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import CarrierKind, District, Enterprise, EnterpriseQualification, QualificationType, Subdistrict, Target
from models.db import Database
from services.counting import certified_within, in_register_at
from services.progress import Progress
from services.reports import queries
from services.reports.figures import (
    UNASSIGNED,
    CertifiedRow,
    PeriodFigures,
    QuarterlyReport,
    ReportMeta,
    TypeInfo,
    Value,
    percent,
)
from services.reports.period import Period
from services.session import read_session
from services.settings import get_settings

#: Codes counted for every report, besides those per qualification type and carrier kind.
FIXED_CODES = (
    "ent.count_end",
    "voucher.issued_ytd_wan", "voucher.issued_count_ytd", "voucher.used_ytd_wan", "voucher.used_count_ytd",
    "voucher.redeemed_ytd_wan", "voucher.enterprises_redeemed_ytd",
    "carrier.count_end", "carrier.incubating_end", "carrier.graduated_ytd",
    "payout.total_ytd_wan", "payout.city_ytd_wan", "payout.district_ytd_wan", "payout.count_ytd",
    *(f"pool.{code}.count_end" for code in queries.POOL_CODES.values()), "pool.entered_ytd",
    "prereview.count_ytd", *(f"prereview.{code}_ytd" for code in queries.VERDICT_CODES.values()),
    "visit.count_ytd", "visit.enterprises_ytd", "visit.issues_ytd", "visit.issues_closed_ytd",
)
QUAL_MEASURES = ("valid_end", "new_ytd", "new_q", "expiring_90d", "applied_ytd", "reviewed_ytd", "publicized_ytd")
TARGET_ISSUERS_DISTRICT = ("市", "区")
TARGET_ISSUERS_UNIT = ("区", "市")
#: The type whose new certifications are listed with the report.
LISTED_TYPE = "national_hte"


def report_meta(db: Database, *, reported_on: dt.date | None = None) -> ReportMeta:
    """The unit, statutory marks and sign-off as stored in the database settings."""
    s = get_settings(db)
    return ReportMeta(
        unit_name=s["bureau_name"], unit_uscc=s.get("report.unit_uscc", ""), district=s["district"],
        marks=MappingProxyType({k.removeprefix("report.marks."): v for k, v in s.items()
                                if k.startswith("report.marks.")}),
        form_numbers=MappingProxyType({k.removeprefix("report.form_no."): v for k, v in s.items()
                                       if k.startswith("report.form_no.")}),
        signoff=MappingProxyType({k: s[k] for k in ("report.unit_head", "report.stats_head", "report.preparer",
                                                    "report.phone")}),
        reported_on=reported_on,
    )


def compute_quarterly(db: Database, period: Period, *, reported_on: dt.date | None = None,
                      progress: Progress | None = None) -> QuarterlyReport:
    """Count every indicator of ``period`` and of the same period last year.

    Args:
        db: The open database.
        period: Year and quarter.
        reported_on: 报出日期 to print; None leaves it blank for the pen.
        progress: Receives the steps; cancelling stops between them.
    """
    meta = report_meta(db, reported_on=reported_on)
    with read_session(db) as session:
        if not db.is_sqlite:
            # One snapshot for every query (SQLite's read transaction in WAL mode is one already).
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        qual_types = tuple(TypeInfo(t.code, t.name, t.short_name) for t in session.scalars(
            select(QualificationType).where(QualificationType.active).order_by(QualificationType.sort_order,
                                                                                 QualificationType.code)))
        kinds = tuple(TypeInfo(k.code, k.name, k.name) for k in session.scalars(
            select(CarrierKind).order_by(CarrierKind.sort_order, CarrierKind.code)))
        names, own = _unit_names(session, meta.district)
        grouped: dict[Period, queries.Grouped] = {}
        for step, p in enumerate((period, period.previous)):
            if progress is not None:
                progress.update(f"统计{p.year}年1-{p.end.month}月数据", step, 3)
            grouped[p] = _grouped(session, p)
        units = _units(names, own, grouped.values())
        codes = _codes(qual_types, kinds)
        current, previous = (_figures(session, p, grouped[p], names, units, codes) for p in (period, period.previous))
        target_types = tuple(t.code for t in qual_types
                             if any(f"target.{t.code}.required" in f.district for f in (current, previous)))
        if progress is not None:
            progress.update("汇总", 2, 3)
        return QuarterlyReport(
            period=period, current=current, previous=previous, units=units, qualification_types=qual_types,
            target_types=target_types, carrier_kinds=kinds,
            carrier_codes=tuple(c for c in codes if c.startswith("carrier.") and c.count(".") == 3
                                and any(f.district.get(c) for f in (current, previous))),
            programmes=queries.programmes(session, period),
            programmes_previous=queries.programmes(session, period.previous),
            new_hte=_certified(session, period, names), meta=meta,
        )


def _unit_names(session: Session, district: str) -> tuple[dict[int, str], set[int]]:
    """Subdistrict id → name (the district's own first, in their order), and the ids of the district's active ones."""
    rows = session.execute(select(Subdistrict.id, Subdistrict.name, District.name == district, Subdistrict.active)
                           .join(District, District.id == Subdistrict.district_id)
                           .order_by(District.name != district, Subdistrict.sort_order, Subdistrict.id))
    names, own = {}, set()
    for sid, name, is_own, active in rows:
        names[sid] = name
        if is_own and active:
            own.add(sid)
    return names, own


def _grouped(session: Session, p: Period) -> queries.Grouped:
    out: queries.Grouped = {}
    for part in (queries.enterprises, queries.qualifications, queries.vouchers, queries.carriers, queries.payouts,
                 queries.cultivation):
        out.update(part(session, p))
    return out


def _units(names: Mapping[int, str], own: set[int], periods: Iterable[queries.Grouped]) -> tuple[str, ...]:
    """The district's active 属地, any other 属地 with figures, and :data:`UNASSIGNED` when a figure has none."""
    used = {sub for grouped in periods for values in grouped.values() for sub in values}
    return (*(name for sid, name in names.items() if sid in own or sid in used),
            *((UNASSIGNED,) if None in used else ()))


def _codes(qual_types: tuple[TypeInfo, ...], kinds: tuple[TypeInfo, ...]) -> tuple[str, ...]:
    per_type = [f"qual.{t.code}.{m}" for t in qual_types for m in QUAL_MEASURES]
    per_kind = [f"carrier.{k.code}.{level}.count_end" for k in kinds for level in queries.LEVEL_CODES.values()]
    return (*FIXED_CODES[:1], *per_type, *FIXED_CODES[1:], *per_kind)


def _zero(code: str) -> Value:
    return Decimal(0) if code.endswith("_wan") else 0


def _figures(session: Session, p: Period, grouped: queries.Grouped, names: Mapping[int, str],
             units: tuple[str, ...], codes: tuple[str, ...]) -> PeriodFigures:
    by_unit: dict[str, dict[str, Value]] = {u: {c: _zero(c) for c in codes} for u in units}
    district: dict[str, Value] = {c: _zero(c) for c in codes}
    for code, values in grouped.items():
        for sub, value in values.items():
            unit = UNASSIGNED if sub is None else names[sub]
            by_unit[unit][code] = value
            district[code] = district.setdefault(code, _zero(code)) + value  # type: ignore[operator]
    _targets(session, p, district, by_unit, names)
    return PeriodFigures(p, MappingProxyType(district),
                         MappingProxyType({u: MappingProxyType(v) for u, v in by_unit.items()}))


def _targets(session: Session, p: Period, district: dict[str, Value], by_unit: dict[str, dict[str, Value]],
             names: Mapping[int, str]) -> None:
    """target.<type>.required/stretch and completion.<type>.pct for the types with targets in the year.

    The district's target is the one the city set (else the district's own total, else the sum of the 属地
    targets); a 属地's is the one the district set (else the city's).
    """
    chosen: dict[tuple[int | None, str], Target] = {}
    rows = session.scalars(select(Target).where(Target.year == p.year, Target.indicator.like("qual.%.new")))
    for target in rows:
        key = (target.subdistrict_id, target.indicator.split(".")[1])
        order = TARGET_ISSUERS_DISTRICT if target.subdistrict_id is None else TARGET_ISSUERS_UNIT
        if key not in chosen or order.index(target.issuer) < order.index(chosen[key].issuer):
            chosen[key] = target
    for type_code in sorted({t for _, t in chosen}):
        for unit in by_unit:
            by_unit[unit].update({f"target.{type_code}.required": None, f"target.{type_code}.stretch": None})
        for (sub, t), target in chosen.items():
            if t == type_code and sub is not None and names.get(sub) in by_unit:
                by_unit[names[sub]].update({f"target.{t}.required": target.required,
                                            f"target.{t}.stretch": target.stretch})
        own = chosen.get((None, type_code))
        for measure in ("required", "stretch"):
            parts = [v for u in by_unit.values() if isinstance(v := u[f"target.{type_code}.{measure}"], int)]
            district[f"target.{type_code}.{measure}"] = (getattr(own, measure) if own is not None
                                                        else sum(parts) if parts else None)
        for values in (district, *by_unit.values()):
            values[f"completion.{type_code}.pct"] = percent(values.get(f"qual.{type_code}.new_ytd"),
                                                            values[f"target.{type_code}.required"])


def _certified(session: Session, p: Period, names: Mapping[int, str]) -> tuple[CertifiedRow, ...]:
    """Certifications of the listed type within the period, by date and name."""
    e, q = Enterprise, EnterpriseQualification
    rows = session.execute(
        select(e.name, e.uscc, e.subdistrict_id, q.certified_on, q.application_kind, q.batch, q.certificate_no)
        .join(e, e.id == q.enterprise_id)
        .where(q.type_code == LISTED_TYPE, certified_within(p.start, p.end), in_register_at(p.end))
        .order_by(q.certified_on, e.name_norm, q.id))
    return tuple(CertifiedRow(name, uscc, UNASSIGNED if sub is None else names.get(sub, UNASSIGNED), day, kind,
                              batch, number)
                 for name, uscc, sub, day, kind, batch, number in rows)
