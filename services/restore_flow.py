"""Restore into the database the application has open: close it, restore, open it again.

The application's own lock would refuse a restore into its open file, so the GUI hands its open database here; the
database is closed, restored, and reopened — and when the restore is refused or fails, the unchanged original is
reopened, so the application always ends with a usable database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from services.backup import RestoreResult, restore_database
from services.database import OpenDatabase, open_database
from services.errors import UserFacingError
from services.progress import Cancelled, Progress
from services.users import Actor, current_actor, require

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RestoreOutcome:
    """The database to use from now on, and what happened (``error`` is the reason a restore was refused)."""

    opened: OpenDatabase
    result: RestoreResult | None
    error: UserFacingError | None


def restore_open_database(opened: OpenDatabase, backup_file: Path, progress: Progress | None = None, *,
                          actor: Actor | None = None) -> RestoreOutcome:
    """Restore ``backup_file`` into the open database (administrators only; default: the signed-in user)."""
    require(actor or current_actor(), "admin", "从备份恢复数据库")
    path = opened.db.path
    if path is None:
        raise UserFacingError("服务器数据库请用服务器自带的工具恢复。")
    opened.close()
    try:
        result = restore_database(backup_file, path, progress)
    except Cancelled:
        log.info("restore cancelled")
        return RestoreOutcome(open_database(path), None, None)
    except UserFacingError as exc:
        log.info("restore refused: %s", exc)
        return RestoreOutcome(open_database(path), None, exc)
    except Exception:
        # A bug, not a refusal: logged with its traceback; the application carries on with what is on disk.
        log.exception("restore failed; reopening %s", path)
        return RestoreOutcome(open_database(path), None,
                              UserFacingError("恢复时发生意外错误，未能完成恢复；已重新打开数据库。详情见日志。"))
    return RestoreOutcome(open_database(path), result, None)
