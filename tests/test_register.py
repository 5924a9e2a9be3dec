"""Register services: create, validate, update, soft delete, restore, search."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from models import Subdistrict
from models.db import Database
from services.dto import EnterpriseInput
from services.errors import ConflictError, NotFoundError, ValidationError
from services.register import (
    create_enterprise,
    get_enterprise,
    restore_enterprise,
    search_enterprise_ids,
    search_enterprises,
    soft_delete_enterprise,
    update_enterprise,
)
from services.session import read_session
from services.uscc import make_uscc

CODE = make_uscc("91330105MA2B00001")


def subdistrict_id(db: Database, name: str) -> int:
    with read_session(db) as s:
        return s.scalar(select(Subdistrict.id).where(Subdistrict.name == name))


def test_invalid_credit_code_is_refused_with_the_reason_then_fixed(db: Database) -> None:
    wrong = CODE[:17] + ("0" if CODE[17] != "0" else "1")
    with pytest.raises(ValidationError) as info:
        create_enterprise(db, EnterpriseInput(name="杭州匠控科技有限公司", uscc=wrong))
    assert set(info.value.problems) == {"uscc"}
    assert f"第18位应为“{CODE[17]}”" in info.value.problems["uscc"]
    assert search_enterprises(db) == []  # nothing written

    created = create_enterprise(db, EnterpriseInput(name="杭州匠控科技有限公司", uscc=CODE.lower()))
    assert created.uscc == CODE
    assert created.uscc_region == "拱墅区"
    assert not created.uscc_check_override


def test_clerk_may_override_a_failing_check_digit_and_it_is_recorded(db: Database) -> None:
    detail = create_enterprise(db, EnterpriseInput(name="厦门某某公司", uscc="91350203M0001QAY9B",
                                                   allow_invalid_uscc=True))
    assert detail.uscc_check_override
    # A wrong length is never accepted, override or not.
    with pytest.raises(ValidationError, match="18位"):
        create_enterprise(db, EnterpriseInput(name="短码公司", uscc="9135020", allow_invalid_uscc=True))


def test_name_is_cleaned_and_required(db: Database) -> None:
    with pytest.raises(ValidationError) as info:
        create_enterprise(db, EnterpriseInput(name="  \u3000 "))
    assert info.value.problems == {"name": "企业名称不能为空"}
    detail = create_enterprise(db, EnterpriseInput(name=" 杭州 匠控(科技) 有限公司\u3000"))
    assert detail.name == "杭州匠控（科技）有限公司"


def test_duplicate_name_and_code_are_refused_naming_the_existing_one(db: Database) -> None:
    first = create_enterprise(db, EnterpriseInput(name="杭州匠控科技有限公司", uscc=CODE))
    with pytest.raises(ValidationError) as info:
        create_enterprise(db, EnterpriseInput(name="杭州匠控科技有限公司 ", uscc=make_uscc("91330105MA2B00002")))
    assert f"编号 {first.id}" in info.value.problems["name"]
    with pytest.raises(ValidationError) as info:
        create_enterprise(db, EnterpriseInput(name="另一家公司", uscc=CODE))
    assert "已被“杭州匠控科技有限公司”" in info.value.problems["uscc"]


def test_field_rules_are_explained_in_chinese(db: Database) -> None:
    data = EnterpriseInput(
        name="杭州未来公司", registered_on=dt.date.today() + dt.timedelta(days=1),
        registered_capital_wan=Decimal("-1"), contact_phone="call me", contact_email="nobody",
        industry_field_code="astrology", subdistrict_id=987654,
    )
    with pytest.raises(ValidationError) as info:
        create_enterprise(db, data)
    assert info.value.problems == {
        "registered_on": "注册日期不能晚于今天",
        "registered_capital_wan": "注册资本不能为负数",
        "contact_phone": "联系电话只能包含数字、空格、“-”、“+”和括号",
        "contact_email": "电子邮箱格式不正确",
        "industry_field_code": "行业领域应为八大高新技术领域之一",
        "subdistrict_id": "属地不存在，请从列表中选择",
    }


def test_district_follows_the_subdistrict(db: Database) -> None:
    detail = create_enterprise(db, EnterpriseInput(name="甲公司", subdistrict_id=subdistrict_id(db, "湖墅街道"),
                                                   industry_field_code="electronics"))
    assert (detail.district, detail.subdistrict, detail.industry_field) == ("拱墅区", "湖墅街道", "电子信息")


def test_update_with_stale_version_is_refused_and_changes_nothing(db: Database) -> None:
    detail = create_enterprise(db, EnterpriseInput(name="甲公司"))
    updated = update_enterprise(db, detail.id, EnterpriseInput(name="甲公司", address="莫干山路1号"),
                                expected_version=detail.version)
    assert updated.version == detail.version + 1
    with pytest.raises(ConflictError, match="已被他人修改") as info:
        update_enterprise(db, detail.id, EnterpriseInput(name="甲公司", address="湖墅南路2号"),
                          expected_version=detail.version)
    assert get_enterprise(db, detail.id).address == "莫干山路1号"
    # The refusal says what the other clerk changed.
    assert "对方修改了：地址：（空） → 莫干山路1号（" in str(info.value)


def test_soft_delete_hides_and_restore_brings_back(db: Database) -> None:
    detail = create_enterprise(db, EnterpriseInput(name="甲公司"))
    soft_delete_enterprise(db, detail.id)
    assert search_enterprise_ids(db, "甲") == []
    assert search_enterprise_ids(db, "甲", include_deleted=True) == [detail.id]
    assert get_enterprise(db, detail.id).deleted_at is not None
    # Its name is free again while it is deleted …
    other = create_enterprise(db, EnterpriseInput(name="甲公司"))
    # … so restoring it would make two of the same name.
    with pytest.raises(ValidationError, match="已有同名企业"):
        restore_enterprise(db, detail.id)
    soft_delete_enterprise(db, other.id)
    assert restore_enterprise(db, detail.id).deleted_at is None
    with pytest.raises(NotFoundError):
        get_enterprise(db, 424242)


def test_search_by_name_code_initials_and_former_name(db: Database) -> None:
    a = create_enterprise(db, EnterpriseInput(name="杭州匠控科技有限公司", uscc=CODE,
                                              former_names=("杭州老字号贸易有限公司",)))
    b = create_enterprise(db, EnterpriseInput(name="浙江运河数据服务有限公司",
                                              subdistrict_id=subdistrict_id(db, "大关街道")))
    assert search_enterprise_ids(db, "匠控") == [a.id]
    assert search_enterprise_ids(db, "hzjk") == [a.id]  # pinyin initials
    assert search_enterprise_ids(db, "HZJK") == [a.id]
    assert search_enterprise_ids(db, "zjyh") == [b.id]
    assert search_enterprise_ids(db, CODE[-6:].lower()) == [a.id]  # part of the credit code
    assert search_enterprise_ids(db, "老字号") == [a.id]  # former name
    assert search_enterprise_ids(db, "lzh") == [a.id]  # initials of the former name
    assert sorted(search_enterprise_ids(db, "有限公司")) == sorted([a.id, b.id])
    assert search_enterprise_ids(db, "浙江 数据") == [b.id]  # every term must match
    assert search_enterprise_ids(db, "", subdistrict_id=subdistrict_id(db, "大关街道")) == [b.id]
    rows = search_enterprises(db, "运河")
    assert [(r.name, r.subdistrict) for r in rows] == [("浙江运河数据服务有限公司", "大关街道")]


def test_two_clerks_racing_on_the_same_enterprise_exactly_one_wins(db: Database) -> None:
    """Both read version 1 and save at the same moment: one save lands, the other is refused, none is lost."""
    import threading

    detail = create_enterprise(db, EnterpriseInput(name="甲公司"))
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(address: str) -> None:
        barrier.wait()
        try:
            update_enterprise(db, detail.id, EnterpriseInput(name="甲公司", address=address),
                              expected_version=detail.version)
            outcomes[address] = "saved"
        except ConflictError as exc:
            outcomes[address] = str(exc)

    threads = [threading.Thread(target=save, args=(a,)) for a in ("莫干山路1号", "湖墅南路2号")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [a for a, o in outcomes.items() if o == "saved"]
    assert len(winners) == 1, outcomes
    loser = next(o for o in outcomes.values() if o != "saved")
    assert "已被他人修改" in loser
    final = get_enterprise(db, detail.id)
    assert (final.address, final.version) == (winners[0], detail.version + 1)
