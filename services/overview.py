"""The workbench overview (工作台): a few headline numbers about the open database, read in one go.

Counting follows PRODUCT.md "Counting rules": an enterprise counts while it is not removed, and a qualification
counts when it is valid today by :func:`services.counting.valid_at`, the one definition that reports use too; new
this year are the certifications dated from 1 January to the day (:func:`services.counting.certified_within`), and
expiring soon are the valid ones ending within 90 days (the ``expiring_90d`` rule). The 国高企 progress of each 属地
against its target of the year is the report's and the 目标考核 page's (:mod:`services.targets_progress`). No Qt
here; the GUI calls :func:`database_overview` on its database worker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from models import (
    Carrier,
    Enterprise,
    EnterpriseQualification,
    ImportBatch,
    PaymentNotice,
    QualificationType,
    VoucherGrant,
)
from models.db import Database
from services.backup import BackupInfo, list_backups
from services.counting import certified_within, valid_at
from services.session import read_session

#: Valid qualifications ending within this many days count as expiring soon (``qual.<type>.expiring_90d``).
EXPIRING_DAYS = 90
#: The target indicator of new 国高企.
HTE_TARGET = "qual.national_hte.new"


@dataclass(frozen=True)
class QualificationCount:
    """Enterprises holding a valid qualification of one type.

    Attributes:
        code: Type code, e.g. ``national_hte``.
        name: Full name, e.g. 国家高新技术企业.
        short_name: Short name, e.g. 国高企.
        valid: Distinct (not removed) enterprises holding a valid qualification of this type.
        new_this_year: Certifications of this type dated from 1 January to the day (not removed enterprises).
        expiring_soon: Distinct enterprises whose valid qualification of this type ends within 90 days and that
            hold no valid one lasting longer.
    """

    code: str
    name: str
    short_name: str
    valid: int
    new_this_year: int = 0
    expiring_soon: int = 0


@dataclass(frozen=True)
class UnitProgress:
    """New 国高企 of one 属地 (or the whole district) this year against the target.

    Attributes:
        subdistrict_id: The 属地; None for the whole district.
        name: Its name (全区 for the district).
        new: Certifications this year.
        required: The target's 新增数, when one is set.
        stretch: The target's 力争数, when one is set.
    """

    subdistrict_id: int | None
    name: str
    new: int
    required: int | None = None
    stretch: int | None = None

    @property
    def completion_pct(self) -> Decimal | None:
        """``new`` ÷ ``required`` × 100, one decimal (PRODUCT.md ``completion.<type>.pct``)."""
        if not self.required:
            return None
        return (Decimal(self.new) * 100 / self.required).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ImportSummary:
    """The latest committed, not reverted, import batch."""

    batch_no: str
    file_name: str
    #: Timezone-aware (UTC).
    committed_at: dt.datetime
    rows: int
    created: int
    updated: int


@dataclass(frozen=True)
class Overview:
    """Headline numbers of a database as of one day.

    Attributes:
        as_of: The day the qualifications were counted for.
        enterprises: Enterprises in the register (not removed).
        qualifications: One entry per active qualification type, in catalogue order.
        carriers: Carriers (not removed).
        voucher_grants: Innovation vouchers applied for or issued, all years.
        payment_notices: Pay-out notices, all years.
        latest_import: The latest import batch still in effect, if any.
        latest_backup: The newest backup file, if any (SQLite databases only).
        hte_progress: New 国高企 this year per 属地 of the district, with targets.
        hte_total: The same for the whole district.
    """

    as_of: dt.date
    enterprises: int
    qualifications: tuple[QualificationCount, ...]
    carriers: int
    voucher_grants: int
    payment_notices: int
    latest_import: ImportSummary | None
    latest_backup: BackupInfo | None
    hte_progress: tuple[UnitProgress, ...] = ()
    hte_total: UnitProgress | None = None


def database_overview(db: Database, *, as_of: dt.date | None = None) -> Overview:
    """Count the workbench's headline numbers.

    Args:
        db: The open database.
        as_of: Day to count valid qualifications for; today when omitted.

    Returns:
        The overview, a frozen record safe to hand to the GUI thread.
    """
    day = as_of or dt.date.today()
    progress, total = _hte_progress(db, day)
    with read_session(db) as session:
        overview = Overview(
            as_of=day,
            enterprises=session.scalar(
                select(func.count()).select_from(Enterprise).where(Enterprise.deleted_at.is_(None))
            ) or 0,
            qualifications=_qualification_counts(session, day),
            carriers=session.scalar(
                select(func.count()).select_from(Carrier).where(Carrier.deleted_at.is_(None))
            ) or 0,
            voucher_grants=session.scalar(select(func.count()).select_from(VoucherGrant)) or 0,
            payment_notices=session.scalar(select(func.count()).select_from(PaymentNotice)) or 0,
            latest_import=_latest_import(session),
            latest_backup=_latest_backup(db.path) if db.path is not None else None,
            hte_progress=progress,
            hte_total=total,
        )
    return overview


def _counts(session: Session, condition: ColumnElement[bool], *, distinct: bool = True) -> dict[str, int]:
    q = EnterpriseQualification
    counted = func.count(func.distinct(q.enterprise_id)) if distinct else func.count(q.id)
    return dict(session.execute(
        select(q.type_code, counted)
        .join(Enterprise, Enterprise.id == q.enterprise_id)
        .where(Enterprise.deleted_at.is_(None), condition)
        .group_by(q.type_code)
    ).tuples().all())


def _qualification_counts(session: Session, day: dt.date) -> tuple[QualificationCount, ...]:
    q = EnterpriseQualification
    valid = _counts(session, valid_at(day))
    new = _counts(session, certified_within(dt.date(day.year, 1, 1), day), distinct=False)
    # Per type and enterprise, the latest end of the valid ones (open-ended counts as never) within 90 days.
    holders = (
        select(q.type_code, q.enterprise_id)
        .join(Enterprise, Enterprise.id == q.enterprise_id)
        .where(Enterprise.deleted_at.is_(None), valid_at(day))
        .group_by(q.type_code, q.enterprise_id)
        .having(func.max(func.coalesce(q.valid_to, dt.date.max)) <= day + dt.timedelta(days=EXPIRING_DAYS))
        .subquery()
    )
    expiring = dict(session.execute(
        select(holders.c.type_code, func.count()).group_by(holders.c.type_code)).tuples().all())
    types = session.execute(
        select(QualificationType.code, QualificationType.name, QualificationType.short_name)
        .where(QualificationType.active.is_(True))
        .order_by(QualificationType.sort_order, QualificationType.code)
    ).tuples()
    return tuple(QualificationCount(code, name, short, valid.get(code, 0), new.get(code, 0), expiring.get(code, 0))
                 for code, name, short in types)


def _hte_progress(db: Database, day: dt.date) -> tuple[tuple[UnitProgress, ...], UnitProgress]:
    """Per 属地 (and 未填属地 when some new ones have none) and the district as a whole, counted and assessed
    exactly as the quarterly report and the 目标考核 page do (:func:`services.targets_progress.target_progress`)."""
    from services.targets_progress import target_progress  # the report's modules, loaded when first counted

    progress = target_progress(db, day.year, as_of=day)
    units = tuple(UnitProgress(u.subdistrict_id, u.unit, u.actual or 0, u.required, u.stretch)
                  for u in progress.units)
    whole = progress.whole
    return units, UnitProgress(None, whole.unit, whole.actual or 0, whole.required, whole.stretch)


def _latest_import(session: Session) -> ImportSummary | None:
    batch = session.execute(
        select(ImportBatch.batch_no, ImportBatch.file_name, ImportBatch.committed_at, ImportBatch.rows,
               ImportBatch.created, ImportBatch.updated)
        .where(ImportBatch.committed_at.is_not(None), ImportBatch.reverted_at.is_(None))
        .order_by(ImportBatch.committed_at.desc(), ImportBatch.id.desc())
        .limit(1)
    ).first()
    if batch is None:
        return None
    batch_no, file_name, committed_at, rows, created, updated = batch
    return ImportSummary(batch_no, file_name, committed_at, rows, created, updated)


def _latest_backup(db_path: Path) -> BackupInfo | None:
    backups = list_backups(db_path)
    return backups[0] if backups else None
