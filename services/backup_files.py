"""Backup file names and the rotation policy of the backup folder.

A backup made into the backup folder is named ``<stem>-YYYYMMDD-HHMMSS-<reason>.sqlite`` (local time), with ``-2``,
``-3`` … before ``.sqlite`` when more than one is taken in the same second. The name is the record of when and why a
backup was taken: file times change when files are copied, names do not.
"""

from __future__ import annotations

import datetime as dt
import glob
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from services.sqlite_copy import TEMP_SUFFIX, remove_with_sidecars

log = logging.getLogger(__name__)

#: Why a backup was taken: lower-case words joined by hyphens ("manual", "before-migration", "exit").
REASON_PATTERN = re.compile(r"[a-z]+(?:-[a-z]+)*")
_NAME = re.compile(r"(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<reason>[a-z]+(?:-[a-z]+)*)(?:-(?P<seq>\d+))?\.sqlite")
_STAMP = "%Y%m%d-%H%M%S"

KEEP_NEWEST = 10
KEEP_DAILY_DAYS = 14
KEEP_MONTHLY_MONTHS = 12
#: The newest backup of each of these reasons is never rotated away: it is the way back from that step.
PROTECTED_REASONS = ("before-migration", "before-restore")
#: A temporary file older than this is left over from a killed backup and is removed by the rotation.
STALE_TEMP_AGE = dt.timedelta(days=1)


@dataclass(frozen=True)
class BackupName:
    """What a backup file's name says.

    Attributes:
        path: The file.
        stem: Stem of the database file it was taken from.
        taken_at: Local time the backup was taken (naive, to the second).
        reason: Why it was taken.
        seq: 1, or 2, 3 … for further backups within the same second.
    """

    path: Path
    stem: str
    taken_at: dt.datetime
    reason: str
    seq: int

    @property
    def order(self) -> tuple[dt.datetime, int]:
        """Sort key: later backups sort higher."""
        return self.taken_at, self.seq


def parse_backup_name(path: Path) -> BackupName | None:
    """Read a backup file name; None for any other file."""
    match = _NAME.fullmatch(path.name)
    if match is None:
        return None
    try:
        taken_at = dt.datetime.strptime(match["stamp"], _STAMP)
    except ValueError:
        return None
    return BackupName(path, match["stem"], taken_at, match["reason"], int(match["seq"] or 1))


def backup_file_name(stem: str, taken_at: dt.datetime, reason: str, seq: int = 1) -> str:
    """The file name of a backup (the inverse of :func:`parse_backup_name`)."""
    if not REASON_PATTERN.fullmatch(reason):
        raise ValueError(f"invalid backup reason {reason!r}")
    suffix = f"-{seq}" if seq > 1 else ""
    return f"{stem}-{taken_at.strftime(_STAMP)}-{reason}{suffix}.sqlite"


def unique_backup_path(folder: Path, stem: str, taken_at: dt.datetime, reason: str) -> Path:
    """A path in ``folder`` for a new backup, numbered after any other backup of ``stem`` in the same second.

    The sequence number runs across reasons, so that backups taken within one second still sort in the order
    they were taken.
    """
    pattern = f"{glob.escape(stem)}-{taken_at.strftime(_STAMP)}-*.sqlite"
    same_second = [name.seq for path in folder.glob(pattern)
                   if (name := parse_backup_name(path)) is not None and name.stem == stem]
    return folder / backup_file_name(stem, taken_at, reason, max(same_second, default=0) + 1)


def backup_names(folder: Path) -> list[BackupName]:
    """The backups in ``folder``, newest first; files with other names are not listed."""
    names = [name for path in folder.glob("*.sqlite") if (name := parse_backup_name(path)) is not None]
    return sorted(names, key=lambda name: name.order, reverse=True)


def _to_local_naive(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo is not None else moment


def _months_between(later: dt.date, earlier: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def backups_to_keep(names: list[BackupName], now: dt.datetime) -> set[Path]:
    """The files :func:`rotate_backups` keeps among ``names`` (backups of one database); see there."""
    newest_first = sorted(names, key=lambda name: name.order, reverse=True)
    keep = {name.path for name in newest_first[:KEEP_NEWEST]}
    today = now.date()
    days_seen: set[dt.date] = set()
    months_seen: set[tuple[int, int]] = set()
    reasons_seen: set[str] = set()
    for name in newest_first:
        day = name.taken_at.date()
        if 0 <= (today - day).days < KEEP_DAILY_DAYS and day not in days_seen:
            days_seen.add(day)
            keep.add(name.path)
        month = (day.year, day.month)
        if 0 <= _months_between(today, day) < KEEP_MONTHLY_MONTHS and month not in months_seen:
            months_seen.add(month)
            keep.add(name.path)
        if name.reason in PROTECTED_REASONS and name.reason not in reasons_seen:
            reasons_seen.add(name.reason)
            keep.add(name.path)
    return keep


def rotate_backups(folder: Path, now: dt.datetime | None = None) -> list[Path]:
    """Delete the backups in ``folder`` that the rotation policy no longer needs; return the deleted files.

    Policy, applied to the backups of each database (file stem) separately, with times read from the file names:

    * the 10 newest backups are kept;
    * so is the newest backup of each of the last 14 days (today and the 13 days before);
    * so is the newest backup of each of the last 12 months (this month and the 11 before);
    * the newest ``before-migration`` and the newest ``before-restore`` backup are never deleted, however old;
    * everything else is deleted, together with any ``-wal``/``-shm``/``-journal`` file beside it.

    Files whose names are not backup names are never touched, except temporary files of a backup that was killed
    (``.*.sqlite-tmp``) once they are more than a day old. A file that cannot be deleted (open elsewhere) is
    logged and left for the next rotation.

    Args:
        folder: A backup folder (``services.paths.backup_dir_for``).
        now: The time to rotate for; default now. A naive time is local time.
    """
    moment = _to_local_naive(now if now is not None else dt.datetime.now())
    by_stem: dict[str, list[BackupName]] = {}
    for name in backup_names(folder):
        by_stem.setdefault(name.stem, []).append(name)
    removed: list[Path] = []
    for names in by_stem.values():
        keep = backups_to_keep(names, moment)
        for name in names:
            if name.path not in keep and _remove(name.path):
                removed.append(name.path)
    stale_before = (moment - STALE_TEMP_AGE).timestamp()
    for tmp in folder.glob(f".*{TEMP_SUFFIX}"):
        try:
            stale = tmp.stat().st_mtime < stale_before
        except FileNotFoundError:  # the backup that was writing it has just finished
            continue
        if stale and _remove(tmp):
            removed.append(tmp)
    return removed


def _remove(path: Path) -> bool:
    try:
        remove_with_sidecars(path)
    except OSError as exc:
        log.warning("could not delete old backup %s: %s", path, exc)
        return False
    log.info("rotated away %s", path)
    return True
