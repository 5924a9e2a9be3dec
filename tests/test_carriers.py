"""Carriers over a real database: create and validate, save conflicts, soft delete and restore, the list's filters
and search, and a recognition's life cycle 认定 → 整改 → 摘牌 with its events."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from models.db import Database
from services.carrier_recognitions import (
    RecognitionInput,
    add_recognition,
    change_status,
    list_recognitions,
    remove_recognition,
    undo_last_change,
)
from services.carrier_stats import StatInput, save_stat
from services.carriers import (
    CarrierFilter,
    CarrierInput,
    carrier_history,
    carrier_options,
    carrier_rows,
    create_carrier,
    get_carrier,
    restore_carrier,
    search_rows,
    soft_delete_carrier,
    update_carrier,
)
from services.dto import EnterpriseInput
from services.enterprise_list import NO_SUBDISTRICT
from services.errors import ConflictError, ValidationError
from services.register import create_enterprise
from services.reports.compute import compute_quarterly
from services.reports.period import Period
from services.tenancies import TenancyInput, add_tenancy

D = dt.date


def incubator(db: Database, name: str = "运河汽车互联网孵化器", **kw: object) -> int:
    return create_carrier(db, CarrierInput(name=name, kind_code=kw.pop("kind_code", "incubator"),  # type: ignore[arg-type]
                                           **kw)).id  # type: ignore[arg-type]


def test_create_validates_by_field_and_links_the_operator(db: Database) -> None:
    options = carrier_options(db)
    sub_id, sub_name = options.subdistricts[0]
    operator = create_enterprise(db, EnterpriseInput(name="杭州运河汽车互联网有限公司"))
    with pytest.raises(ValidationError) as bad:
        create_carrier(db, CarrierInput(name=" ", kind_code="nonsense", area_m2=Decimal(-5),
                                        established_on=dt.date.today() + dt.timedelta(days=1)))
    assert bad.value.problems == {"name": "载体名称不能为空", "kind_code": "请选择载体类型",
                                  "area_m2": "面积应大于0（单位：平方米）", "established_on": "成立日期不能晚于今天"}
    made = create_carrier(db, CarrierInput(name="运河 汽车互联网孵化器（专业）", kind_code="incubator",
                                           operator_name="杭州运河汽车互联网有限公司 ", subdistrict_id=sub_id,
                                           area_m2=Decimal("12000.5"), specialization=" 汽车互联网 "))
    assert (made.name, made.kind, made.subdistrict, made.district) == \
        ("运河汽车互联网孵化器（专业）", "科技企业孵化器", sub_name, options.district)
    assert made.operator_enterprise_id == operator.id and made.specialization == "汽车互联网"
    assert made.incubation_months == 48 and made.area_m2 == Decimal("12000.5")
    with pytest.raises(ValidationError, match="载体名称与已登记的“运河汽车互联网孵化器（专业）”相同"):
        create_carrier(db, CarrierInput(name="运河汽车互联网孵化器(专业)", kind_code="maker_space"))


def test_a_save_over_someone_elses_is_refused_and_delete_restores(db: Database) -> None:
    cid = incubator(db, address="湖墅南路1号")
    opened = get_carrier(db, cid).as_input()
    update_carrier(db, cid, replace(opened, address="湖墅南路2号"), expected=opened)  # a colleague saves first
    with pytest.raises(ConflictError, match="地址：湖墅南路1号 → 湖墅南路2号"):
        update_carrier(db, cid, replace(opened, notes="我的修改"), expected=opened)
    assert get_carrier(db, cid).notes is None

    soft_delete_carrier(db, cid)
    assert carrier_rows(db) == [] and [r.deleted for r in carrier_rows(db, CarrierFilter(include_deleted=True))] \
        == [True]
    with pytest.raises(ValidationError, match="已删除"):
        update_carrier(db, cid, opened)
    twin = incubator(db)  # the name is free again while the first one is removed
    with pytest.raises(ValidationError, match="已有同名载体"):
        restore_carrier(db, cid)
    soft_delete_carrier(db, twin)
    assert restore_carrier(db, cid).deleted_at is None


def test_list_filters_and_search(db: Database) -> None:
    options = carrier_options(db)
    sub_id = options.subdistricts[0][0]
    a = incubator(db, "运河汽车互联网孵化器", operator_name="杭州运河汽车互联网有限公司", subdistrict_id=sub_id)
    b = incubator(db, "北部软件园众创空间", kind_code="maker_space")
    c = incubator(db, "大运河双创客厅", kind_code="maker_lounge")
    d = incubator(db, "莱克孵化器")
    rec_a = add_recognition(db, a, RecognitionInput(level="国家", recognized_on=D(2019, 5, 1)))
    add_recognition(db, b, RecognitionInput(level="市", subtype="标准化", recognized_on=D(2020, 3, 1)))
    rec_d = add_recognition(db, d, RecognitionInput(level="市", recognized_on=D(2018, 3, 1)))
    change_status(db, rec_d.id, "整改", D(2020, 6, 1))
    rec_c = add_recognition(db, c, RecognitionInput(level="区", recognized_on=D(2019, 6, 13)))
    change_status(db, rec_c.id, "摘牌", D(2022, 1, 1))
    save_stat(db, a, StatInput(year=2025, quarter=2, incubating_count=10))
    save_stat(db, a, StatInput(year=2024, incubating_count=9))
    firm = create_enterprise(db, EnterpriseInput(name="杭州甲科技有限公司"))
    add_tenancy(db, a, TenancyInput(enterprise_id=firm.id, entered_on=D(2020, 1, 2)))

    def names(f: CarrierFilter = CarrierFilter(), query: str = "") -> list[str]:  # noqa: B008
        return [r.name for r in search_rows(carrier_rows(db, f), query)]

    rows = {r.id: r for r in carrier_rows(db)}
    assert (rows[a].recognitions, rows[a].status, rows[a].latest_period) == ("国家级", "认定有效", "2025年第2季度")
    assert (rows[a].incubating, rows[a].over_period) == (1, 1)  # 48 months from 2020-01-02 ended 2024-01-01
    assert rows[b].recognitions == "市级（标准化）" and rows[d].recognitions == "市级［整改］"
    assert rows[c].status == "已摘牌" and rows[c].recognitions == ""
    assert names(CarrierFilter(kind_code="maker_space")) == ["北部软件园众创空间"]
    assert set(names(CarrierFilter(level="市"))) == {"北部软件园众创空间", "莱克孵化器"}
    assert names(CarrierFilter(status="rectifying")) == ["莱克孵化器"]
    assert names(CarrierFilter(status="delisted")) == ["大运河双创客厅"]
    assert names(CarrierFilter(subdistrict_id=sub_id)) == ["运河汽车互联网孵化器"]
    assert len(names(CarrierFilter(subdistrict_id=NO_SUBDISTRICT))) == 3
    assert names(query="yhqc") == ["运河汽车互联网孵化器"]  # pinyin initials of the name
    assert names(query="hzyhqc") == ["运河汽车互联网孵化器"]  # … and of the operator
    assert names(query="汽车 互联网") == ["运河汽车互联网孵化器"] and names(query="bbrjy") == ["北部软件园众创空间"]
    assert add_recognition(db, b, RecognitionInput(level="省", recognized_on=D(2021, 1, 1))).title == "省级众创空间"
    assert rec_a.title == "国家级科技企业孵化器"


def test_recognition_life_cycle_with_events(db: Database) -> None:
    cid = incubator(db, "莱克孵化器")
    rec = add_recognition(db, cid, RecognitionInput(level="市", recognized_on=D(2018, 3, 1),
                                                    doc_no="杭科高〔2018〕12号"))
    assert (rec.status, rec.in_force, rec.next_statuses) == ("认定", True, ("整改", "摘牌"))
    with pytest.raises(ValidationError) as wrong:
        change_status(db, rec.id, "验收", D(2020, 1, 1))
    assert wrong.value.problems == {"status": "“认定”之后只能变更为：整改、摘牌"}
    with pytest.raises(ValidationError, match="不能早于上一次状态变更（2018-03-01）"):
        change_status(db, rec.id, "整改", D(2017, 1, 1))
    change_status(db, rec.id, "整改", D(2020, 6, 1), doc_no="拱科〔2020〕31号", notes="年度评价不合格，限期整改")
    ended = change_status(db, rec.id, "摘牌", D(2021, 6, 1), doc_no="拱科〔2021〕9号", notes="连续两年评价不合格")
    assert (ended.status, ended.ended_on, ended.in_force) == ("摘牌", D(2021, 6, 1), False)
    assert [(e.status, e.changed_on, e.doc_no) for e in ended.events] == [
        ("认定", D(2018, 3, 1), "杭科高〔2018〕12号"), ("整改", D(2020, 6, 1), "拱科〔2020〕31号"),
        ("摘牌", D(2021, 6, 1), "拱科〔2021〕9号")]
    with pytest.raises(ValidationError, match="摘牌后如重新认定，请新增认定记录"):
        change_status(db, rec.id, "认定", D(2022, 1, 1))

    # The reports count it while in force and not after 摘牌.
    def counted(year: int) -> object:
        return compute_quarterly(db, Period.of(year, 4)).current.district.get("carrier.incubator.city.count_end")

    assert counted(2020) == 1 and not counted(2021)

    back = undo_last_change(db, rec.id)  # the 摘牌 was entered by mistake
    assert (back.status, back.ended_on, len(back.events)) == ("整改", None, 2) and back.in_force
    _total, history = carrier_history(db, cid)
    assert any(r.table == "载体认定变更" and r.action == "删除" for r in history)
    assert ("载体认定", "状态", "摘牌", "整改") in {(r.table, r.field, r.old, r.new) for r in history}
    assert ("载体认定", "终止日期", "2021-06-01", "") in {(r.table, r.field, r.old, r.new) for r in history}
    remove_recognition(db, rec.id)
    assert list_recognitions(db, cid) == []
    with pytest.raises(ValidationError) as bad:
        add_recognition(db, cid, RecognitionInput(level="县", status="整改", subtype="金牌",
                                                  recognized_on=dt.date.today() + dt.timedelta(days=3)))
    assert set(bad.value.problems) == {"level", "status", "subtype", "recognized_on"}
