"""Committing an import: backup, then one transaction that plans under the write lock, writes and records a batch.

What is written is exactly what the data says at that moment: inside the commit's transaction (``BEGIN IMMEDIATE``
holds SQLite's write lock) the previewed plan is carried out as it is when nothing changed since the preview — the
same file (SHA-256), the same options, and the same :func:`~services.importing.plan.register_stamp` — and is made
again otherwise; a new plan that differs from the previewed one is refused (someone changed the register in
between). Without a preview (the command line) the plan is made inside the transaction. A cancel or any error rolls
the whole transaction back: all accepted rows or none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from models import ImportBatch
from models.db import Database
from models.types import utcnow
from services.audit import AuditContext, default_user
from services.backup import backup_database
from services.bulk import cycle_collection_paused
from services.errors import ConflictError
from services.file_digest import file_sha256
from services.importing.kinds import kind_for
from services.importing.plan import ImportOptions, Plan, build_plan, register_stamp
from services.importing.readers import SheetData
from services.importing.references import References
from services.progress import Progress
from services.session import unit_of_work


@dataclass(frozen=True)
class ImportResult:
    """What an import did.

    Attributes:
        plan: The plan that was carried out (or only shown, on a dry run).
        batch_id: The import batch, or None when nothing was written (dry run, or nothing to change).
        batch_no: Its reference (IMP-2026-0007).
        backup_file: The backup taken before the commit.
    """

    plan: Plan
    batch_id: int | None = None
    batch_no: str | None = None
    backup_file: Path | None = None

    def summary(self) -> dict[str, Any]:
        """The ``import --json`` object."""
        return self.plan.summary(self.batch_id)


#: Key of the PostgreSQL advisory lock that serialises batch numbering (any constant unique to this purpose).
BATCH_NUMBER_LOCK = 0x7EC4_0001


def next_batch_no(session: Session, year: int) -> str:
    """IMP-<year>-<number>, numbered from 1 within the year; unique under concurrency.

    On SQLite the unit of work already holds the write lock. On PostgreSQL two clerks' imports could both read the
    same maximum, so a transaction-scoped advisory lock makes them number one after the other.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": BATCH_NUMBER_LOCK})
    prefix = f"IMP-{year}-"
    numbers = [int(m.group(1)) for no in session.scalars(select(ImportBatch.batch_no)
                                                          .where(ImportBatch.batch_no.like(prefix + "%")))
               if (m := re.fullmatch(r"IMP-\d{4}-(\d+)", no))]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _comparable(plan: Plan) -> list[tuple[Any, ...]]:
    """Each row's fate and the cells it came from (a new row's values are only in its cells)."""
    return [(r.row, r.action, r.target_id, tuple((c.field, c.year, c.new) for c in r.changes),
             tuple(plan.raw_rows.get(r.row, ()))) for r in plan.rows]


def _still_valid(session: Session, path: Path, options: ImportOptions, plan: Plan) -> bool:
    """Whether ``plan`` is what planning again would give: same file, same options, register unchanged since."""
    return (plan.register_stamp is not None and plan.path == path and plan.options == options
            and plan.register_stamp == register_stamp(session) and plan.file_sha256 == file_sha256(path))


def run_import(db: Database, path: Path, options: ImportOptions, *, dry_run: bool = False,
               expected: Plan | None = None, user: str | None = None, progress: Progress | None = None,
               sheet: SheetData | None = None) -> ImportResult:
    """Import ``path``: the plan only on a dry run; otherwise back up, then plan and write in one transaction.

    Args:
        expected: The plan the clerk previewed; the commit is refused when the data no longer gives the same plan.
        sheet: The sheet, when the caller read it already.

    Raises:
        ImportFileError: the file cannot be used (nothing written).
        ConflictError: the register changed since the preview (nothing written).
        Cancelled: cancelled through ``progress`` (the transaction is rolled back).
    """
    with cycle_collection_paused():
        if dry_run:
            return ImportResult(build_plan(db, path, options, progress, sheet=sheet))
        return _commit(db, path, options, expected, user, progress, sheet)


def _commit(db: Database, path: Path, options: ImportOptions, expected: Plan | None, user: str | None,
            progress: Progress | None, sheet: SheetData | None) -> ImportResult:
    kind = kind_for(options.kind, path.name)
    backup = None
    if db.path is not None:
        if progress is not None:
            progress.update("正在备份数据库…")
        backup = backup_database(db, reason="before-import").path
    user = user or default_user()
    with unit_of_work(db, source="import", user=user) as session:
        if expected is not None and _still_valid(session, path, options, expected):
            plan = expected
        else:
            plan = build_plan(db, path, options, progress, session=session, sheet=sheet)
        if expected is not None and plan is not expected and _comparable(plan) != _comparable(expected):
            raise ConflictError("预演之后企业库已有变化，导入结果会与预演不同。未写入任何数据，请重新预演后再提交。")
        if not plan.writes:
            return ImportResult(plan, backup_file=backup)
        counts = plan.counts
        source_id = References(session).subdistrict(options.source) if options.source else None
        batch = ImportBatch(
            batch_no=next_batch_no(session, options.day.year), kind=kind.key, file_name=path.name[:260],
            file_sha256=plan.file_sha256, sheet=plan.sheet[:100], mode=options.mode, user=user,
            source_subdistrict_id=source_id, rows=len(plan.rows), created=counts["create"], updated=counts["update"],
            unchanged=counts["unchanged"], skipped=counts["skipped"], review=counts["review"],
            backup_file=str(backup)[:260] if backup else None)
        session.add(batch)
        session.flush()
        ctx = AuditContext(user, "import", batch.id)
        session.info["audit"] = ctx
        kind.write(session, ctx, plan, progress)
        if progress is not None:
            progress.update("正在提交…")
        batch.committed_at = utcnow()
        session.flush()
        return ImportResult(plan, batch.id, batch.batch_no, backup)
