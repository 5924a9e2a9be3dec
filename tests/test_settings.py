from __future__ import annotations

import pytest
from sqlalchemy import select

from models import AuditLog
from models.db import Database
from services.errors import ValidationError
from services.session import read_session
from services.settings import get_settings, save_settings
from services.users import Actor, PermissionDenied

ADMIN = Actor("admin", "管理员", "admin")


def test_defaults_then_saved_values_with_audit(db: Database) -> None:
    assert get_settings(db)["bureau_name"] == "杭州市拱墅区科学技术局"
    save_settings(db, {"report.preparer": " 王芳 ", "district": "临安区"}, actor=ADMIN)
    values = get_settings(db)
    assert (values["report.preparer"], values["district"]) == ("王芳", "临安区")
    save_settings(db, {"report.preparer": "李强"}, actor=ADMIN)
    with read_session(db) as s:
        fields = list(s.scalars(select(AuditLog.new_value).where(AuditLog.table_name == "app_setting")))
    assert '"李强"' in fields


def test_unknown_key_and_district_are_refused(db: Database) -> None:
    with pytest.raises(ValidationError, match="未知的设置项"):
        save_settings(db, {"colour": "red"}, actor=ADMIN)
    with pytest.raises(ValidationError, match="不是已知的区县"):
        save_settings(db, {"district": "火星区"}, actor=ADMIN)
    assert get_settings(db)["district"] == "拱墅区"


def test_only_an_administrator_changes_settings(db: Database) -> None:
    manager = Actor("wf", "王芳", "manager")
    with pytest.raises(PermissionDenied, match="需要管理员权限"):
        save_settings(db, {"bureau_name": "某局", "report.preparer": "王芳"}, actor=manager)
    assert get_settings(db)["report.preparer"] == ""  # nothing of a refused save is stored
    save_settings(db, {"report.preparer": "王芳"}, actor=Actor("lq", "李强", "clerk"))  # sign-off: anyone
    assert get_settings(db)["report.preparer"] == "王芳"
