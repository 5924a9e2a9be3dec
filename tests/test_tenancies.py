"""Tenants over a real database: entry, graduation with its criteria (and the register's evidence), exit, the
carrier's statistics in the quarterly report, the incubation period chosen by rule, and the over-period warning and
reminder exactly at the 48- and 72-month boundaries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from models.db import Database
from services.carriers import CarrierInput, carrier_history, create_carrier
from services.dto import EnterpriseInput
from services.errors import ValidationError
from services.qualifications import QualificationInput, YearFacts, add_qualification, set_year_facts
from services.register import create_enterprise
from services.reminders import collect_reminders
from services.reports.compute import compute_quarterly
from services.reports.period import Period
from services.tenancies import (
    TenancyInput,
    add_months,
    add_tenancy,
    default_months_for,
    exit_tenancy,
    graduate,
    graduation_evidence,
    list_tenancies,
    period_end,
    remove_tenancy,
    reopen_tenancy,
    update_tenancy,
)

D = dt.date


def carrier(db: Database, name: str = "运河汽车互联网孵化器", kind: str = "incubator", **kw: str) -> int:
    return create_carrier(db, CarrierInput(name=name, kind_code=kind, **kw)).id  # type: ignore[arg-type]


def firm(db: Database, name: str, field: str | None = None, founded: dt.date | None = None) -> int:
    return create_enterprise(db, EnterpriseInput(name=name, industry_field_code=field, registered_on=founded)).id


def test_entry_graduation_and_the_carriers_statistics(db: Database) -> None:
    cid, other = carrier(db), carrier(db, "北部软件园众创空间", "maker_space")
    bio = firm(db, "杭州甲生物医药科技有限公司", "biomed", D(2020, 6, 1))
    soft = firm(db, "杭州乙软件有限公司", "electronics", D(2015, 1, 1))
    a = add_tenancy(db, cid, TenancyInput(enterprise_id=bio, entered_on=D(2021, 3, 1)))
    b = add_tenancy(db, cid, TenancyInput(enterprise_id=soft, entered_on=D(2020, 1, 15), notes="A座301"))
    assert (a.incubation_months, a.period_end, a.warnings) == (72, D(2027, 2, 28), ())
    assert (b.incubation_months, b.period_end, b.status) == (48, D(2024, 1, 14), "在孵")
    assert b.warnings == ("入驻时企业已成立超过24个月（成立于 2015-01-01）",)
    with pytest.raises(ValidationError, match="该企业已在“运河汽车互联网孵化器”孵化（2020-01-15 入驻）"):
        add_tenancy(db, other, TenancyInput(enterprise_id=soft, entered_on=D(2022, 1, 1)))

    add_qualification(db, soft, QualificationInput(type_code="national_hte", year=2023, certified_on=D(2023, 12, 1),
                                                   certificate_no="GR202333001234"))
    set_year_facts(db, soft, YearFacts(year=2022, revenue_wan=Decimal(600)))
    set_year_facts(db, soft, YearFacts(year=2023, revenue_wan=Decimal("450.5")))
    assert graduation_evidence(db, b.id, D(2024, 1, 10)) == {
        "高企": "2023年认定国家高新技术企业（证书 GR202333001234）", "收入": "2022—2023年营业收入合计 1,050.50 万元"}
    assert graduation_evidence(db, a.id, D(2024, 1, 10)) == {}
    with pytest.raises(ValidationError) as bad:
        graduate(db, b.id, D(2019, 1, 1), ())
    assert bad.value.problems == {"criteria": "毕业须至少满足一项毕业条件",
                                  "left_on": "离开日期不能早于入驻日期（2020-01-15）"}
    done = graduate(db, b.id, D(2024, 1, 10), ("收入", "高企"), notes="提前毕业")
    assert (done.status, done.left_on, done.criteria, done.over_period) == ("毕业", D(2024, 1, 10), ("高企", "收入"),
                                                                             False)
    assert done.notes == "A座301\n提前毕业"
    with pytest.raises(ValidationError, match="该企业已于 2024-01-10 毕业"):
        exit_tenancy(db, b.id, D(2024, 2, 1))

    def figures(year: int) -> tuple[object, object]:
        district = compute_quarterly(db, Period.of(year, 4)).current.district
        return district.get("carrier.incubating_end"), district.get("carrier.graduated_ytd")

    assert figures(2023) == (2, 0) and figures(2024) == (1, 1)
    assert [(t.enterprise_name, t.status) for t in list_tenancies(db, cid, as_of=D(2024, 6, 1))] == [
        ("杭州甲生物医药科技有限公司", "在孵"), ("杭州乙软件有限公司", "毕业")]

    left = exit_tenancy(db, a.id, D(2024, 5, 1), reason="迁出拱墅区")
    assert (left.status, left.notes, left.criteria) == ("退出", "退出原因：迁出拱墅区", ())
    assert reopen_tenancy(db, a.id).status == "在孵"
    moved = update_tenancy(db, a.id, entered_on=D(2021, 4, 1), incubation_months=60, notes="")
    assert (moved.period_end, moved.notes) == (D(2026, 3, 31), None)
    remove_tenancy(db, a.id)
    assert [t.enterprise_id for t in list_tenancies(db, cid)] == [soft]


def test_the_incubation_period_follows_the_rule(db: Database) -> None:
    plain = firm(db, "杭州丙科技有限公司", "electronics")
    bio = firm(db, "杭州丁医药有限公司", "biomed")
    expected = {
        carrier(db, "运河孵化器"): (48, "按载体类型"),
        carrier(db, "运河众创空间", "maker_space"): (18, "按载体类型"),
        carrier(db, "九重天星创天地", "agri_maker"): (72, "星创天地（现代农业）"),
        carrier(db, "杭州国家集成电路设计企业孵化器"): (72, "载体专业方向为集成电路"),
        carrier(db, "生命港孵化器", specialization="生物医药"): (72, "载体专业方向为生物医药"),
    }
    for cid, months in expected.items():
        assert default_months_for(db, cid, plain) == months
    assert default_months_for(db, carrier(db, "另一孵化器"), bio) == (72, "企业行业领域为生物与新医药")
    town = carrier(db, "运河财富小镇", "town")
    with pytest.raises(ValidationError, match="特色小镇不开展孵化，不能登记在孵企业"):
        add_tenancy(db, town, TenancyInput(enterprise_id=plain, entered_on=D(2024, 1, 1)))
    with pytest.raises(ValidationError, match="孵化期应为1–120个月"):
        add_tenancy(db, next(iter(expected)), TenancyInput(enterprise_id=plain, entered_on=D(2024, 1, 1),
                                                           incubation_months=0))
    given = add_tenancy(db, next(iter(expected)), TenancyInput(enterprise_id=plain, entered_on=D(2024, 1, 1),
                                                               incubation_months=36))
    assert given.incubation_months == 36


def test_month_arithmetic() -> None:
    assert add_months(D(2020, 1, 31), 1) == D(2020, 2, 29) and add_months(D(2019, 11, 30), 3) == D(2020, 2, 29)
    assert period_end(D(2020, 1, 15), 48) == D(2024, 1, 14) and period_end(D(2020, 2, 29), 72) == D(2026, 2, 27)


def reminders(db: Database, day: dt.date) -> tuple[list[tuple[str, int, int]], list[tuple[str, int, int]]]:
    found = collect_reminders(db, as_of=day, kinds=["incubation_period"])
    return ([(r.subject_name, r.subject_id, r.days_left) for r in found.upcoming],
            [(r.subject_name, r.subject_id, r.days_left) for r in found.overdue])


def test_over_period_exactly_at_48_and_72_months(db: Database) -> None:
    cid = carrier(db)
    plain = add_tenancy(db, cid, TenancyInput(enterprise_id=firm(db, "杭州戊科技有限公司"), entered_on=D(2020, 1, 15)))
    bio = add_tenancy(db, cid, TenancyInput(enterprise_id=firm(db, "杭州己生物有限公司", "biomed"),
                                            entered_on=D(2019, 7, 1)))
    assert (plain.period_end, bio.period_end) == (D(2024, 1, 14), D(2025, 6, 30))

    def over(day: dt.date) -> dict[str, bool]:
        return {t.enterprise_name: t.over_period for t in list_tenancies(db, cid, as_of=day)}

    assert over(D(2024, 1, 14)) == {"杭州戊科技有限公司": False, "杭州己生物有限公司": False}  # the last day: 48 months
    assert over(D(2024, 1, 15)) == {"杭州戊科技有限公司": True, "杭州己生物有限公司": False}
    assert over(D(2025, 6, 30))["杭州己生物有限公司"] is False and over(D(2025, 7, 1))["杭州己生物有限公司"] is True

    assert reminders(db, D(2023, 10, 15)) == ([], [])  # 91 days before: not yet
    assert reminders(db, D(2023, 10, 16)) == ([("杭州戊科技有限公司", cid, 90)], [])
    assert reminders(db, D(2024, 1, 14)) == ([("杭州戊科技有限公司", cid, 0)], [])
    assert reminders(db, D(2024, 1, 15)) == ([], [("杭州戊科技有限公司", cid, -1)])  # never reminded after the day
    assert reminders(db, D(2025, 6, 30)) == ([("杭州己生物有限公司", cid, 0)], [("杭州戊科技有限公司", cid, -533)])
    far = reminders(db, D(2027, 7, 1))[1]  # over for years and still incubating: still listed
    assert [name for name, _cid, _days in far] == ["杭州戊科技有限公司", "杭州己生物有限公司"]
    (reminder,) = collect_reminders(db, as_of=D(2024, 1, 1), kinds=["incubation_period"]).upcoming
    assert (reminder.subject_table, reminder.title, reminder.band) == ("carrier", "在孵企业孵化期满", 30)
    assert reminder.detail == ("在“运河汽车互联网孵化器”孵化，2020-01-15 入驻，孵化期 48 个月至 2024-01-14；"
                               "请登记毕业或退出")

    graduate(db, plain.id, D(2024, 3, 1), ("融资",))
    assert reminders(db, D(2025, 6, 30)) == ([("杭州己生物有限公司", cid, 0)], [])


def test_tenancy_changes_show_in_the_carriers_history_and_the_enterprises(db: Database) -> None:
    """The log files a tenancy under its enterprise; the carrier's history shows it too, removed ones included, and
    another carrier's tenancies stay out of it."""
    cid, other = carrier(db), carrier(db, "北部软件园众创空间", "maker_space")
    bio, soft = firm(db, "杭州甲生物医药科技有限公司", "biomed"), firm(db, "杭州乙软件有限公司", "electronics")
    kept = add_tenancy(db, cid, TenancyInput(enterprise_id=bio, entered_on=D(2021, 3, 1)))
    gone = add_tenancy(db, cid, TenancyInput(enterprise_id=soft, entered_on=D(2020, 1, 15)))
    exit_tenancy(db, kept.id, D(2024, 5, 1), reason="迁出拱墅区")
    remove_tenancy(db, gone.id)
    elsewhere = add_tenancy(db, other, TenancyInput(enterprise_id=soft, entered_on=D(2022, 1, 1)))

    _total, history = carrier_history(db, cid)
    ours = [r for r in history if r.table == "在孵企业"]
    assert sorted(r.action for r in ours if r.row_id == str(gone.id)) == ["删除", "新增"]
    assert any(r.row_id == str(kept.id) and r.action == "新增" for r in ours)
    assert any(r.row_id == str(kept.id) and r.field != "（整条记录）" for r in ours)  # the exit
    assert {r.subject for r in ours} == {"杭州甲生物医药科技有限公司", "杭州乙软件有限公司"}
    # SQLite gives the removed tenancy's id to the next one (another carrier's): its entries stay out of this
    # history, and that carrier's history has exactly its own.
    _total, theirs = carrier_history(db, other)
    tenants = [r for r in theirs if r.table == "在孵企业"]
    assert [(r.row_id, r.action) for r in tenants] == [(str(elsewhere.id), "新增")]
    assert not {r.id for r in tenants} & {r.id for r in ours}
