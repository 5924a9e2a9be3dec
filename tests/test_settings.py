from __future__ import annotations

import pytest
from sqlalchemy import select

from models import AuditLog
from models.db import Database
from services.errors import ValidationError
from services.session import read_session
from services.settings import get_settings, save_settings


def test_defaults_then_saved_values_with_audit(db: Database) -> None:
    assert get_settings(db)["bureau_name"] == "杭州市拱墅区科学技术局"
    save_settings(db, {"report.preparer": " 王芳 ", "district": "临安区"}, user="admin")
    values = get_settings(db)
    assert (values["report.preparer"], values["district"]) == ("王芳", "临安区")
    save_settings(db, {"report.preparer": "李强"})
    with read_session(db) as s:
        fields = list(s.scalars(select(AuditLog.new_value).where(AuditLog.table_name == "app_setting")))
    assert '"李强"' in fields


def test_unknown_key_and_district_are_refused(db: Database) -> None:
    with pytest.raises(ValidationError, match="未知的设置项"):
        save_settings(db, {"colour": "red"})
    with pytest.raises(ValidationError, match="不是已知的区县"):
        save_settings(db, {"district": "火星区"})
    assert get_settings(db)["district"] == "拱墅区"
