"""Accounts, roles and the checks the services enforce."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from models import AppUser, AuditLog
from models.db import Database
from services.database import OpenDatabase
from services.dto import EnterpriseInput
from services.errors import UserFacingError, ValidationError
from services.register import create_enterprise, search_enterprises
from services.restore_flow import restore_open_database
from services.session import read_session
from services.users import (
    Actor,
    PermissionDenied,
    accounts_exist,
    authenticate,
    create_user,
    current_actor,
    hash_password,
    list_users,
    set_password,
    set_role,
    sign_in,
    unlock_user,
    verify_password,
)

ADMIN = Actor("admin", "管理员", "admin")


@pytest.fixture(autouse=True)
def signed_out() -> Iterator[None]:
    yield
    sign_in(None)


def test_password_hashes_are_salted_scrypt_and_verify() -> None:
    a, b = hash_password("correct horse"), hash_password("correct horse")
    assert a != b and a.startswith("scrypt$16384$8$1$")
    assert verify_password("correct horse", a)
    assert not verify_password("correct hors", a)
    assert not verify_password("x", "md5$abc")
    assert not verify_password("x", "garbage")


def test_accounts_roles_and_login(db: Database) -> None:
    assert not accounts_exist(db)
    assert current_actor().role == "admin"  # single-user mode: the person at the PC
    with pytest.raises(ValidationError, match="第一个账户必须是管理员"):
        create_user(db, ADMIN, "wangfang", "王芳", "clerk", "password1")
    create_user(db, ADMIN, "admin", "管理员", "admin", "s3cret-pass")
    create_user(db, ADMIN, "wangfang", "王芳", "clerk", "password1")
    assert accounts_exist(db)
    with pytest.raises(ValidationError) as info:
        create_user(db, ADMIN, "wangfang", "又一个", "boss", "short")
    assert set(info.value.problems) == {"role", "password"}
    with pytest.raises(ValidationError, match="已存在"):
        create_user(db, ADMIN, "wangfang", "王芳", "clerk", "password2")

    clerk = authenticate(db, "wangfang", "password1")
    assert (clerk.display_name, clerk.role_label) == ("王芳", "办事员")
    with pytest.raises(UserFacingError, match="用户名或密码不正确"):
        authenticate(db, "wangfang", "password2")
    with pytest.raises(UserFacingError, match="用户名或密码不正确"):
        authenticate(db, "nobody", "password1")

    with pytest.raises(PermissionDenied, match="需要管理员权限"):
        create_user(db, clerk, "lq", "李强", "clerk", "password3")
    with pytest.raises(PermissionDenied):
        set_password(db, clerk, "admin", "taken-over!")
    set_password(db, clerk, "wangfang", "new-password")  # one's own password
    assert authenticate(db, "wangfang", "new-password").username == "wangfang"

    set_role(db, ADMIN, "wangfang", "manager")
    assert authenticate(db, "wangfang", "new-password").role == "manager"
    with pytest.raises(ValidationError, match="至少要保留一个启用的管理员"):
        set_role(db, ADMIN, "admin", "clerk")
    set_role(db, ADMIN, "wangfang", "manager", active=False)
    with pytest.raises(UserFacingError):
        authenticate(db, "wangfang", "new-password")
    assert [u.username for u in list_users(db)] == ["admin", "wangfang"]
    with read_session(db) as s:  # passwords are never stored in the clear
        assert all("password" not in (u.password_hash or "") for u in s.scalars(select(AppUser)))


def test_signed_in_user_authors_changes_and_is_checked(opened: OpenDatabase, tmp_path: Path) -> None:
    db = opened.db
    create_user(db, ADMIN, "admin", "管理员", "admin", "s3cret-pass")
    create_user(db, ADMIN, "lq", "李强", "clerk", "password1")
    sign_in(authenticate(db, "lq", "password1"))
    ent = create_enterprise(db, EnterpriseInput(name="杭州匠控科技有限公司"))
    with read_session(db) as s:
        author = s.scalar(select(AuditLog.user).where(AuditLog.table_name == "enterprise",
                                                      AuditLog.row_id == str(ent.id)))
    assert author == "lq"
    with pytest.raises(PermissionDenied, match="从备份恢复数据库"):
        restore_open_database(opened, tmp_path / "whatever.sqlite")
    assert len(search_enterprises(db)) == 1  # refused before anything was closed: the database still works


def test_wrong_passwords_lock_the_account_until_an_admin_unlocks_it(db: Database) -> None:
    create_user(db, ADMIN, "admin", "管理员", "admin", "s3cret-pass")
    create_user(db, ADMIN, "wangfang", "王芳", "clerk", "password1")
    start = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
    for left in (4, 3, 2, 1):
        with pytest.raises(UserFacingError, match=f"再输错 {left} 次"):
            authenticate(db, "wangfang", "nope-nope", now=start)
    with pytest.raises(UserFacingError, match="连续输错 5 次。账户已锁定"):
        authenticate(db, "wangfang", "nope-nope", now=start)
    # Locked: even the right password is refused until the time is up, and the list says so.
    with pytest.raises(UserFacingError, match="账户已锁定"):
        authenticate(db, "wangfang", "password1", now=start + dt.timedelta(minutes=14))
    assert authenticate(db, "wangfang", "password1", now=start + dt.timedelta(minutes=15, seconds=1)).role == "clerk"
    # A right password resets the count: four more wrong ones do not lock.
    for _ in range(4):
        with pytest.raises(UserFacingError, match="用户名或密码不正确"):
            authenticate(db, "wangfang", "nope-nope")
    assert authenticate(db, "wangfang", "password1").username == "wangfang"

    for _ in range(5):
        with pytest.raises(UserFacingError):
            authenticate(db, "wangfang", "nope-nope")
    assert next(u for u in list_users(db) if u.username == "wangfang").locked_until is not None
    clerk = Actor("lq", "李强", "clerk")
    with pytest.raises(PermissionDenied):
        unlock_user(db, clerk, "wangfang")
    unlock_user(db, ADMIN, "wangfang")
    assert next(u for u in list_users(db) if u.username == "wangfang").locked_until is None
    assert authenticate(db, "wangfang", "password1").username == "wangfang"


def test_password_changes_are_audited_without_the_hash(db: Database) -> None:
    create_user(db, ADMIN, "admin", "管理员", "admin", "s3cret-pass")
    set_password(db, ADMIN, "admin", "another-pass")
    with read_session(db) as session:
        rows = session.execute(select(AuditLog.action, AuditLog.field, AuditLog.old_value, AuditLog.new_value)
                               .where(AuditLog.table_name == "app_user")).all()
        stored = session.scalar(select(AppUser.password_hash))
    assert stored is not None and stored.startswith("scrypt$")
    assert ("update", "password_hash", '"******"', '"（已更改）"') in rows
    assert not any(stored.split("$")[-1] in (old or "") + (new or "") for _a, _f, old, new in rows)
    assert not any("scrypt$" in (old or "") + (new or "") for _a, _f, old, new in rows)
