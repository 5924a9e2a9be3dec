"""First run: the bureau's own database created with its district, its name and the first (administrator) account.

Used by the GUI's first-run dialog (``ui/dialogs/first_run.py``) when the data folder has no database yet. Creating
is all or nothing: a problem with the account or the settings removes the half-made file again, so the next start
asks again instead of opening a database nobody can sign in to.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from services.database import OpenDatabase, open_database
from services.errors import UserFacingError, ValidationError
from services.paths import default_db_path
from services.reference import DEFAULT_DISTRICT, reference_rows

__all__ = ["DEFAULT_DISTRICT", "FirstRunResult", "NewDatabase", "create_first_database", "default_bureau_name",
           "district_choices", "needs_first_run"]
from services.settings import save_settings
from services.users import Actor, create_user, local_actor

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewDatabase:
    """What the first-run dialog asks for an empty database.

    Attributes:
        district: 所属区县, one of :func:`district_choices`.
        bureau_name: 单位名称 as printed on reports.
        username: The administrator's user name.
        display_name: The administrator's name as shown and audited (the user name when blank).
        password: The administrator's password.
        password_again: The same password typed again.
    """

    district: str
    bureau_name: str
    username: str
    display_name: str
    password: str
    password_again: str


@dataclass(frozen=True)
class FirstRunResult:
    """The created database, open, and its administrator (to be signed in)."""

    opened: OpenDatabase
    actor: Actor


def needs_first_run(db_arg: str | None, demo: bool) -> bool:
    """True when the GUI starts on the default database and there is none yet."""
    return db_arg is None and not demo and not default_db_path().exists()


def district_choices() -> list[str]:
    """The districts a database can be set up for, in the reference order (from the bundled reference data)."""
    return [row[0] for row in reference_rows("districts.tsv")]


def default_bureau_name(district: str) -> str:
    """The usual name of a district's bureau, e.g. 杭州市拱墅区科学技术局."""
    return f"杭州市{district}科学技术局"


def create_first_database(choice: NewDatabase, path: Path | None = None) -> FirstRunResult:
    """Create the database at ``path`` (the default database) with the settings and the administrator of ``choice``.

    Raises:
        ValidationError: by field (``district``, ``bureau_name``, ``username``, ``password``, ``password_again``);
            nothing is left behind.
        UserFacingError: the file exists already.
    """
    path = path or default_db_path()
    problems = {}
    if choice.district not in district_choices():
        problems["district"] = "请选择所属区县"
    if not choice.bureau_name.strip():
        problems["bureau_name"] = "请填写单位名称（打印在报表上）"
    if choice.password != choice.password_again:
        problems["password_again"] = "两次输入的密码不一致"
    if problems:
        raise ValidationError(problems)
    if path.exists():
        raise UserFacingError(f"数据库“{path}”已经存在，未作任何修改。")
    opened = open_database(path)
    try:
        user = create_user(opened.db, local_actor(), choice.username, choice.display_name, "admin", choice.password)
        actor = Actor(user.username, user.display_name, user.role)
        save_settings(opened.db, {"district": choice.district, "bureau_name": choice.bureau_name}, actor=actor)
    except BaseException:
        opened.close()
        _remove(path)
        raise
    log.info("first database created at %s for %s, administrator %s", path, choice.district, actor.username)
    return FirstRunResult(opened, actor)


def _remove(path: Path) -> None:
    """Delete a database file made moments ago and its SQLite companions."""
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm", f"{path.name}.lock"):
        path.with_name(name).unlink(missing_ok=True)
