"""Local user accounts and roles; the actor every protected service call names.

Roles, from least to most: 办事员 ``clerk`` (edits the register), 科长/局领导 ``manager`` (also approves pay-outs, signs
reports, reverts imports), 管理员 ``admin`` (also users, settings, restore). Checks live here and in the services
that need them (:func:`require`), not only in hidden buttons.

Passwords are hashed with scrypt (a memory-hard KDF from the standard library; ``n=2**14, r=8, p=1``, a 16-byte
random salt) and stored as ``scrypt$n$r$p$salt$hash`` so the parameters can be raised later without breaking old
hashes. A database without any account runs in single-user mode: the person at the PC is the administrator.
"""

from __future__ import annotations

import base64
import datetime as dt
import getpass
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select

from models import AppUser
from models.db import Database
from models.types import utcnow
from services.audit import set_session_user
from services.errors import UserFacingError, ValidationError
from services.session import read_session, unit_of_work

ROLES = {"clerk": "办事员", "manager": "科长/局领导", "admin": "管理员"}
_RANK = {"clerk": 0, "manager": 1, "admin": 2}
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 8
#: Wrong passwords in a row that lock an account, and for how long.
MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15


class PermissionDenied(UserFacingError):
    """The actor's role does not allow the action."""


@dataclass(frozen=True)
class Actor:
    """Who is working: shown in the title bar and written into every audit entry."""

    username: str
    display_name: str
    role: str

    @property
    def role_label(self) -> str:
        return ROLES[self.role]


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: str
    active: bool
    has_password: bool
    #: Set while the account is locked after wrong passwords.
    locked_until: dt.datetime | None = None


#: Who signed in to this process (the GUI's login); None in single-user mode.
_current: Actor | None = None


def sign_in(actor: Actor | None) -> None:
    """Make ``actor`` the user of this process: the default actor of role checks and author of changes."""
    global _current
    _current = actor
    set_session_user(actor.username if actor else None)


def current_actor() -> Actor:
    """The signed-in user, or in single-user mode the person at the PC (an administrator)."""
    return _current if _current is not None else local_actor()


def require(actor: Actor, role: str, action: str) -> None:
    """Refuse ``action`` (Chinese, e.g. "恢复数据库") unless ``actor`` has at least ``role``."""
    if _RANK[actor.role] < _RANK[role]:
        raise PermissionDenied(f"“{action}”需要{ROLES[role]}权限，当前用户“{actor.display_name}”是{actor.role_label}。")


def local_actor() -> Actor:
    """The person at the PC in single-user mode (no accounts yet)."""
    try:
        name = getpass.getuser()
    except Exception:  # noqa: BLE001 - getuser raises several kinds when no name is set
        name = "本机用户"
    return Actor(name, name, "admin")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    enc = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${enc(salt).decode()}${enc(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                                p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def accounts_exist(db: Database) -> bool:
    with read_session(db) as session:
        return bool(session.scalar(select(func.count()).select_from(AppUser).where(AppUser.active.is_(True))))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError({"password": f"密码至少 {MIN_PASSWORD} 位"})


def create_user(db: Database, actor: Actor, username: str, display_name: str, role: str, password: str) -> UserInfo:
    """Create an account (administrators only; in single-user mode the first account must be an administrator)."""
    require(actor, "admin", "新建用户")
    username = username.strip()
    problems: dict[str, str] = {}
    if not username or len(username) > 40:
        problems["username"] = "用户名不能为空，且不超过40个字符"
    if role not in ROLES:
        problems["role"] = "角色应为办事员、科长/局领导或管理员"
    if len(password) < MIN_PASSWORD:
        problems["password"] = f"密码至少 {MIN_PASSWORD} 位"
    if problems:
        raise ValidationError(problems)
    first = not accounts_exist(db)
    if first and role != "admin":
        raise ValidationError({"role": "第一个账户必须是管理员，否则将无人能管理用户"})
    with unit_of_work(db, user=actor.username, source="users") as session:
        if session.scalar(select(AppUser.id).where(AppUser.username == username)) is not None:
            raise ValidationError({"username": f"用户名“{username}”已存在"})
        user = AppUser(username=username, display_name=display_name.strip() or username, role=role,
                       password_hash=hash_password(password), active=True)
        session.add(user)
        session.flush()
        return _info(user)


def set_password(db: Database, actor: Actor, username: str, new_password: str) -> None:
    """Change a password: one's own, or anybody's for an administrator."""
    if username != actor.username:
        require(actor, "admin", "修改他人密码")
    _check_password(new_password)
    with unit_of_work(db, user=actor.username, source="users") as session:
        user = session.scalar(select(AppUser).where(AppUser.username == username))
        if user is None:
            raise ValidationError({"username": f"用户“{username}”不存在"})
        user.password_hash = hash_password(new_password)
        if username != actor.username:  # an administrator's reset also lifts a lock-out
            user.failed_logins, user.locked_until = 0, None


def set_role(db: Database, actor: Actor, username: str, role: str, active: bool = True) -> UserInfo:
    require(actor, "admin", "修改用户角色")
    if role not in ROLES:
        raise ValidationError({"role": "角色应为办事员、科长/局领导或管理员"})
    with unit_of_work(db, user=actor.username, source="users") as session:
        user = session.scalar(select(AppUser).where(AppUser.username == username))
        if user is None:
            raise ValidationError({"username": f"用户“{username}”不存在"})
        user.role, user.active = role, active
        session.flush()
        admins = session.scalar(select(func.count()).select_from(AppUser).where(
            AppUser.role == "admin", AppUser.active.is_(True)))
        if not admins:
            raise ValidationError({"role": "至少要保留一个启用的管理员"})
        return _info(user)


def authenticate(db: Database, username: str, password: str, *, now: dt.datetime | None = None) -> Actor:
    """The account's actor when the password is right.

    After :data:`MAX_FAILED_LOGINS` wrong passwords in a row the account is locked for :data:`LOCK_MINUTES`
    minutes (a right password does not open it early); an administrator can unlock it sooner
    (:func:`unlock_user`, or by setting a new password). Unknown names and wrong passwords get the same message.

    Raises:
        UserFacingError: wrong name or password, a disabled account, or a locked one (saying until when).
    """
    now = now or utcnow()
    name = username.strip()
    with unit_of_work(db, user=name or "?", source="login") as session:
        user = session.scalar(select(AppUser).where(AppUser.username == name))
        if user is None or not user.active or not user.password_hash:
            refused: str | None = "用户名或密码不正确。"
        elif user.locked_until is not None and user.locked_until > now:
            refused = _locked_message(user.locked_until)
        elif not verify_password(password, user.password_hash):
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                user.failed_logins = 0
                refused = f"密码连续输错 {MAX_FAILED_LOGINS} 次。" + _locked_message(user.locked_until)
            else:
                left = MAX_FAILED_LOGINS - user.failed_logins
                refused = f"用户名或密码不正确。再输错 {left} 次，账户将锁定 {LOCK_MINUTES} 分钟。"
        else:
            refused = None
            if user.failed_logins or user.locked_until is not None:
                user.failed_logins, user.locked_until = 0, None
            actor = Actor(user.username, user.display_name, user.role)
    # The unit of work has committed: the count of wrong passwords is kept even though the sign-in is refused.
    if refused is not None:
        raise UserFacingError(refused)
    return actor


def _locked_message(until: dt.datetime) -> str:
    local = until.astimezone()  # the PC's clock
    return f"账户已锁定，请于 {local:%H:%M} 后再试，或请管理员解锁。"


def unlock_user(db: Database, actor: Actor, username: str) -> None:
    """Lift a lock-out now (administrators)."""
    require(actor, "admin", "解锁账户")
    with unit_of_work(db, user=actor.username, source="users") as session:
        user = session.scalar(select(AppUser).where(AppUser.username == username))
        if user is None:
            raise ValidationError({"username": f"用户“{username}”不存在"})
        user.failed_logins, user.locked_until = 0, None


def list_users(db: Database) -> list[UserInfo]:
    with read_session(db) as session:
        return [_info(u) for u in session.scalars(select(AppUser).order_by(AppUser.username))]


def _info(user: AppUser) -> UserInfo:
    locked = user.locked_until if user.locked_until is not None and user.locked_until > utcnow() else None
    return UserInfo(user.id, user.username, user.display_name, user.role, user.active, bool(user.password_hash),
                    locked)
