"""The workbench overview (工作台): a few headline numbers about the open database, read in one go.

Counting follows PRODUCT.md "Counting rules": an enterprise counts while it is not removed, and a qualification
counts when it is valid today by :func:`services.counting.valid_at`, the one definition that reports use too. No Qt
here; the GUI calls :func:`database_overview` on its database worker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
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
from services.counting import valid_at
from services.session import read_session


@dataclass(frozen=True)
class QualificationCount:
    """Enterprises holding a valid qualification of one type.

    Attributes:
        code: Type code, e.g. ``national_hte``.
        name: Full name, e.g. 国家高新技术企业.
        short_name: Short name, e.g. 国高企.
        valid: Distinct (not removed) enterprises holding a valid qualification of this type.
    """

    code: str
    name: str
    short_name: str
    valid: int


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
    """

    as_of: dt.date
    enterprises: int
    qualifications: tuple[QualificationCount, ...]
    carriers: int
    voucher_grants: int
    payment_notices: int
    latest_import: ImportSummary | None
    latest_backup: BackupInfo | None


def database_overview(db: Database, *, as_of: dt.date | None = None) -> Overview:
    """Count the workbench's headline numbers.

    Args:
        db: The open database.
        as_of: Day to count valid qualifications for; today when omitted.

    Returns:
        The overview, a frozen record safe to hand to the GUI thread.
    """
    day = as_of or dt.date.today()
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
        )
    return overview


def _qualification_counts(session: Session, day: dt.date) -> tuple[QualificationCount, ...]:
    q = EnterpriseQualification
    counts = {
        code: n
        for code, n in session.execute(
            select(q.type_code, func.count(func.distinct(q.enterprise_id)))
            .join(Enterprise, Enterprise.id == q.enterprise_id)
            .where(Enterprise.deleted_at.is_(None), valid_at(day))
            .group_by(q.type_code)
        ).tuples()
    }
    types = session.execute(
        select(QualificationType.code, QualificationType.name, QualificationType.short_name)
        .where(QualificationType.active.is_(True))
        .order_by(QualificationType.sort_order, QualificationType.code)
    ).tuples()
    return tuple(QualificationCount(code, name, short, counts.get(code, 0)) for code, name, short in types)


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
