"""Voucher rules per year, the provider register, year-end expiry with its December reminder, and the grant list."""

from __future__ import annotations

import datetime as dt

import pytest

from models.db import Database
from services.dto import EnterpriseInput
from services.errors import UserFacingError, ValidationError
from services.providers import ProviderInput, create_provider, delete_provider, list_providers, update_provider
from services.register import create_enterprise
from services.reminders import collect_reminders
from services.users import Actor, PermissionDenied
from services.voucher_expiry import (
    REMINDER_KIND,
    expire_year,
    expiry_preview,
    voucher_reminders,
)
from services.voucher_list import GrantFilter, grant_ids, grant_options, grant_rows
from services.voucher_redemptions import apply_redemption, audit_redemption
from services.voucher_rules import VoucherRuleInput, delete_rule, list_rules, save_rule
from services.vouchers import GrantInput, apply_grant, cap_status, get_grant, void_grant
from tests.helpers.vouchers import TODAY, YEAR, D, build, issued, use

CLERK = Actor("bsy", "李办事员", "clerk")


def test_rules_are_data_per_year_with_an_explanation_when_missing(db: Database) -> None:
    firm = create_enterprise(db, EnterpriseInput(name="杭州甲科技有限公司")).id
    with pytest.raises(UserFacingError) as missing:
        cap_status(db, 2027, enterprise_id=firm)
    assert str(missing.value).startswith("拱墅区2027年尚无创新券规则（尚未设置任何年度），无法核定额度和补助比例。")
    assert "企业每年 20 万元、创客团队每年 10 万元，市级配套不超过 40%" in str(missing.value)
    save_rule(db, VoucherRuleInput(2026, subsidy_ratio=D("0.5")))
    save_rule(db, VoucherRuleInput(2025))
    assert [r.year for r in list_rules(db)] == [2026, 2025]
    assert list_rules(db)[0].describe() == ("2026年：企业每年最多 20 万元，创客团队每年最多 10 万元；"
                                                 "创新券最多抵实际支付额的 50%；市级配套不超过兑现额的 40%")
    with pytest.raises(UserFacingError, match="（已有：2025年、2026年）"):
        apply_grant(db, GrantInput(2027, D(1), dt.date(2027, 1, 5), enterprise_id=firm), today=dt.date(2027, 2, 1))
    with pytest.raises(ValidationError) as wrong:
        save_rule(db, VoucherRuleInput(2026, enterprise_cap_wan=D(0), subsidy_ratio=D("1.2"),
                                       city_cofund_max_ratio=D("0.41")))
    assert set(wrong.value.problems) == {"enterprise_cap_wan", "subsidy_ratio", "city_cofund_max_ratio"}
    assert "不超过区县年度兑现总额的40%" in wrong.value.problems["city_cofund_max_ratio"]
    with pytest.raises(PermissionDenied, match="“修改创新券规则”需要科长/局领导权限"):
        save_rule(db, VoucherRuleInput(2026), actor=CLERK)
    updated = save_rule(db, VoucherRuleInput(2026, maker_team_cap_wan=D(8), subsidy_ratio=D("0.35")))
    assert (updated.maker_team_cap_wan, updated.subsidy_ratio, len(list_rules(db))) == (D(8), D("0.35"), 2)
    delete_rule(db, 2026)
    assert [r.year for r in list_rules(db)] == [2025]


def test_a_rule_in_use_cannot_be_deleted(db: Database) -> None:
    world = build(db)
    issued(db, world.firms["甲"], "3")
    with pytest.raises(UserFacingError, match="2025年已有 1 张创新券按该规则核定，不能删除规则"):
        delete_rule(db, YEAR)


def test_provider_register(db: Database) -> None:
    world = build(db)
    with pytest.raises(ValidationError) as wrong:
        create_provider(db, ProviderInput(" 浙江方圆检测集团股份有限公司 ", "", level="县", uscc="91330105MA2CDEF013"))
    assert set(wrong.value.problems) == {"name", "kind", "level", "uscc"}
    assert wrong.value.problems["name"].startswith("已有同名服务机构“浙江方圆检测集团股份有限公司”")
    made = create_provider(db, ProviderInput("杭州电子科技大学技术转移中心", "高校技术转移中心", "市",
                                             district="拱墅区", contact="陈老师 0571-86919000"))
    assert (made.district, made.uses, made.active) == ("拱墅区", 0, True)
    assert [p.name for p in list_providers(db, "hzdz")] == ["杭州电子科技大学技术转移中心"]
    assert [p.name for p in list_providers(db, "方圆")] == ["浙江方圆检测集团股份有限公司"]
    grant = issued(db, world.firms["甲"], "5")
    use(db, grant.id, world.lab_id, "2", "10", contract_no="2025330105000200")
    lab = next(p for p in list_providers(db) if p.id == world.lab_id)
    assert (lab.uses, lab.voucher_wan) == (1, D(2))
    with pytest.raises(UserFacingError, match="已有 1 笔创新券使用记录，不能删除；如不再受理，请改为停用"):
        delete_provider(db, world.lab_id)
    update_provider(db, world.lab_id, ProviderInput(lab.name, lab.kind, lab.level, active=False))
    assert [p.id for p in list_providers(db, active_only=True)] == [world.agency_id, made.id]
    with pytest.raises(ValidationError, match="已停用"):
        use(db, grant.id, world.lab_id, "1", "10", contract_no="2025330105000201")
    delete_provider(db, made.id)
    assert made.id not in {p.id for p in list_providers(db)}


def _year_end_world(db: Database) -> dict[str, int]:
    """Four grants of 2025: pending, issued unused, used with a redemption on its way, used and never redeemed."""
    world = build(db)
    pending = apply_grant(db, GrantInput(YEAR, D(2), dt.date(YEAR, 11, 1), enterprise_id=world.firms["丙"]),
                          today=TODAY)
    unused = issued(db, world.firms["甲"], "5")
    on_its_way = use(db, issued(db, world.firms["乙"], "6").id, world.lab_id, "3", "10",
                     contract_no="2025330105000300")
    apply_redemption(db, on_its_way.uses[0].id, dt.date(YEAR, 12, 1), today=TODAY)
    never = use(db, issued(db, None, "4", team="张三创客团队", space_id=world.space_id).id, world.agency_id, "1",
                "5", service="专利代理")
    return {"pending": pending.id, "unused": unused.id, "on_its_way": on_its_way.id, "never": never.id}


def test_year_end_expiry_lists_what_lapses_and_is_idempotent(db: Database) -> None:
    grants = _year_end_world(db)
    preview = expiry_preview(db, YEAR)
    assert [(g.voucher_no, g.describe()) for g in preview.grants] == [
        ("GSCXQ202500001", "申领 2 万元 未发放"),
        ("GSCXQ202500002", "余额 5 万元 未使用"),
        ("GSCXQ202500004", "余额 3 万元 未使用，已使用 1 万元 未申请兑现"),
    ]
    assert preview.describe() == "2025年末将作废 3 张创新券，未使用余额合计 8 万元。"
    with pytest.raises(UserFacingError, match="2025年尚未结束，年末（2025-12-31）之后才能办理作废"):
        expire_year(db, YEAR, today=dt.date(YEAR, 12, 31))
    with pytest.raises(PermissionDenied):
        expire_year(db, YEAR, actor=CLERK, today=TODAY)
    done = expire_year(db, YEAR, today=TODAY)
    assert done.done and [g.id for g in done.grants] == [grants["pending"], grants["unused"], grants["never"]]
    assert {r.id: r.status for r in grant_rows(db, list(grants.values()))} == {
        grants["pending"]: "过期", grants["unused"]: "过期", grants["on_its_way"]: "使用", grants["never"]: "过期"}
    assert expire_year(db, YEAR, today=TODAY).grants == ()
    with pytest.raises(UserFacingError, match="已过期，不能申请兑现"):
        apply_redemption(db, get_grant(db, grants["never"]).uses[0].id, dt.date(YEAR, 12, 20), today=TODAY)
    # The redemption still on its way is handled after the year: refused at audit, the grant lapses next run.
    pending_redemption = get_grant(db, grants["on_its_way"]).redemptions[0].id
    audit_redemption(db, pending_redemption, False, dt.date(YEAR + 1, 1, 10), reason="合同未登记", today=TODAY)
    assert [g.id for g in expire_year(db, YEAR, today=TODAY).grants] == [grants["on_its_way"]]


def test_december_reminders_of_grants_about_to_lapse(db: Database) -> None:
    _year_end_world(db)
    assert voucher_reminders(db, dt.date(YEAR, 11, 30)) == []
    found = voucher_reminders(db, dt.date(YEAR, 12, 1))
    assert [(r.subject_table, r.subject_name, r.due_on, r.days_left) for r in found] == [
        ("enterprise", "杭州丙生物医药有限公司", dt.date(YEAR, 12, 31), 30),
        ("enterprise", "杭州甲科技有限公司", dt.date(YEAR, 12, 31), 30),
        ("carrier", "张三创客团队（运河众创空间）", dt.date(YEAR, 12, 31), 30)]
    assert found[2].detail == "GSCXQ202500004：余额 3 万元 未使用，已使用 1 万元 未申请兑现，2025-12-31 后作废"
    # The reminders page lists them (the kind is one of the built-in ones).
    listed = collect_reminders(db, as_of=dt.date(YEAR, 12, 20), kinds=[REMINDER_KIND[0]])
    assert listed.count(REMINDER_KIND[0]) == 3 and listed.labels == {"voucher_expiry": "创新券年末失效"}
    assert collect_reminders(db, as_of=dt.date(YEAR, 11, 30), kinds=[REMINDER_KIND[0]]).count(REMINDER_KIND[0]) == 0


def test_grant_list_filters_searches_and_sorts(db: Database) -> None:
    world = build(db)
    a = issued(db, world.firms["甲"], "5")
    b = apply_grant(db, GrantInput(YEAR, D(8), dt.date(YEAR, 4, 1), enterprise_id=world.firms["乙"]), today=TODAY)
    c = issued(db, None, "3", team="张三创客团队", space_id=world.space_id, applied=dt.date(YEAR, 5, 1),
               issued_on=dt.date(YEAR, 5, 5))
    use(db, a.id, world.lab_id, "1.5", "5", contract_no="2025330105000400")
    void_grant(db, b.id, "撤回")
    assert grant_ids(db) == [c.id, b.id, a.id]  # newest application first
    assert grant_ids(db, GrantFilter(status="作废")) == [b.id]
    assert grant_ids(db, GrantFilter(holder_kind="maker_team")) == [c.id]
    assert grant_ids(db, GrantFilter(holder_kind="enterprise"), sort="holder", descending=False) == [b.id, a.id]
    assert grant_ids(db, GrantFilter(year=YEAR + 1)) == []
    assert grant_ids(db, GrantFilter(text="hzj")) == [a.id]  # pinyin initials of 杭州甲科技
    assert grant_ids(db, GrantFilter(text="zsck")) == [c.id]  # of 张三创客团队
    assert grant_ids(db, GrantFilter(text="gscxq202500002")) == [b.id]
    assert grant_ids(db, GrantFilter(text="智能")) == [b.id]
    assert grant_ids(db, sort="used") == [a.id, b.id, c.id]  # ties by voucher number
    assert grant_ids(db, sort="balance", descending=False) == [b.id, c.id, a.id]
    row = grant_rows(db, [a.id])[0]
    assert (row.holder_name, row.status, row.used_wan, row.balance_wan) == ("杭州甲科技有限公司", "使用", D("1.5"),
                                                                            D("3.5"))
    options = grant_options(db)
    assert options.years == (YEAR,) and options.maker_spaces == ((world.space_id, "运河众创空间"),)
