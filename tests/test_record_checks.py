"""The shared register record checks (services.record_checks): optional text tidied, founding days bounded, names
unique among the records in the register."""

from __future__ import annotations

import datetime as dt

import pytest

from models import Enterprise
from models.db import Database
from services.dto import EnterpriseInput
from services.errors import ValidationError
from services.record_checks import founding_problem, name_problem, optional_text
from services.register import create_enterprise, restore_enterprise, soft_delete_enterprise
from services.session import read_session


def test_optional_text_and_founding_day() -> None:
    assert optional_text("  拱墅区  ") == "拱墅区" and optional_text(" ") is None and optional_text(None) is None
    today = dt.date(2026, 3, 1)
    assert founding_problem(None, "成立日期", today) is None
    assert founding_problem(dt.date(2026, 3, 2), "成立日期", today) == "成立日期不能晚于今天"
    assert founding_problem(dt.date(1948, 12, 31), "注册日期", today) == "注册日期不能早于1949年"
    assert founding_problem(dt.date(1949, 1, 1), "注册日期", today) is None


def test_name_is_unique_among_the_records_in_the_register(db: Database) -> None:
    saved = create_enterprise(db, EnterpriseInput(name="杭州匠控科技有限公司"))
    with read_session(db) as session:
        assert name_problem(session, Enterprise, "", "企业名称") == "企业名称不能为空"
        assert name_problem(session, Enterprise, "杭" * 201, "企业名称") == "企业名称不能超过200个字"
        assert name_problem(session, Enterprise, "杭州匠控科技有限公司", "企业名称") == \
            f"企业名称与已登记的“杭州匠控科技有限公司”相同（编号 {saved.id}）"
        assert name_problem(session, Enterprise, "杭州匠控科技有限公司", "企业名称", record_id=saved.id) is None
    soft_delete_enterprise(db, saved.id)
    with read_session(db) as session:
        assert name_problem(session, Enterprise, "杭州匠控科技有限公司", "企业名称") is None


def test_restoring_is_refused_while_another_in_the_register_has_the_name(db: Database) -> None:
    first = create_enterprise(db, EnterpriseInput(name="杭州匠控科技有限公司"))
    soft_delete_enterprise(db, first.id)
    soft_delete_enterprise(db, first.id)  # out already: nothing happens
    second = create_enterprise(db, EnterpriseInput(name="杭州匠控科技有限公司"))
    with pytest.raises(ValidationError) as refused:
        restore_enterprise(db, first.id)
    assert refused.value.problems == {"name": "已有同名企业“杭州匠控科技有限公司”在册，不能恢复"}
    soft_delete_enterprise(db, second.id)
    assert restore_enterprise(db, first.id).deleted_at is None
