"""Signing a report off (签发): a manager binds their name to the exact files that go to the city bureau.

A sign-off records who, when, which report and period, and the SHA-256 of every file as it was signed. Later anyone
can check whether the files in the folder are still the signed ones: a workbook edited after signing, or a PDF
regenerated with other figures, shows as changed. Only managers (and administrators) may sign
(:func:`services.users.require`); the check is here, not only in the page.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from models import ReportSignoff
from models.db import Database
from services.errors import ValidationError
from services.file_digest import file_sha256
from services.reports.period import Period
from services.session import read_session, unit_of_work
from services.users import Actor, require

#: What a file's check says.
SAME, CHANGED, MISSING = "一致", "已改动", "不存在"


@dataclass(frozen=True)
class SignedFile:
    """One signed file and whether the file now at its place is still the one signed."""

    name: str
    sha256: str
    state: str


@dataclass(frozen=True)
class Signoff:
    """A sign-off as the reports page lists it (files checked against ``folder`` when one was given)."""

    id: int
    report_kind: str
    year: int
    quarter: int | None
    signed_by: str
    signed_at: dt.datetime
    files: tuple[SignedFile, ...]
    notes: str | None

    @property
    def intact(self) -> bool:
        return all(f.state == SAME for f in self.files)


def sign_report(db: Database, actor: Actor, report_kind: str, period: Period, files: Sequence[Path],
                notes: str | None = None) -> Signoff:
    """Record that ``actor`` signs ``files`` off as the ``report_kind`` report of ``period``.

    Raises:
        PermissionDenied: the actor is a clerk.
        ValidationError: no files, or a file that is not there any more.
    """
    require(actor, "manager", "签发报表")
    if not files:
        raise ValidationError({"files": "没有可签发的文件：请先生成报表"})
    missing = [p.name for p in files if not p.is_file()]
    if missing:
        raise ValidationError({"files": f"文件已不存在，无法签发：{'、'.join(missing)}"})
    fingerprints = {p.name: file_sha256(p) for p in files}
    with unit_of_work(db, user=actor.username, source="report") as session:
        row = ReportSignoff(report_kind=report_kind, year=period.year, quarter=period.quarter,
                            signed_by=actor.display_name, files_json=json.dumps(fingerprints, ensure_ascii=False),
                            notes=(notes or "").strip() or None)
        session.add(row)
        session.flush()
        return _info(row, files[0].parent)


def signoffs(db: Database, report_kind: str, period: Period, folder: Path | None = None) -> list[Signoff]:
    """The sign-offs of a report and period, newest first, each file checked against ``folder`` when given."""
    with read_session(db) as session:
        rows = session.scalars(select(ReportSignoff).where(
            ReportSignoff.report_kind == report_kind, ReportSignoff.year == period.year,
            ReportSignoff.quarter == period.quarter).order_by(ReportSignoff.signed_at.desc(), ReportSignoff.id.desc()))
        return [_info(row, folder) for row in rows]


def _info(row: ReportSignoff, folder: Path | None) -> Signoff:
    fingerprints: dict[str, str] = json.loads(row.files_json)
    files = tuple(SignedFile(name, digest, _state(folder / name, digest) if folder is not None else "")
                  for name, digest in fingerprints.items())
    return Signoff(row.id, row.report_kind, row.year, row.quarter, row.signed_by, row.signed_at, files, row.notes)


def _state(path: Path, digest: str) -> str:
    if not path.is_file():
        return MISSING
    return SAME if file_sha256(path) == digest else CHANGED
