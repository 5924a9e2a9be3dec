"""Pay-out notices: shares by district kind exact to the 分, the workflow and its refusals, duplicates, titles."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select

from models import AppSetting, Carrier, Payment
from models.db import Database
from services.dto import EnterpriseInput
from services.errors import ConflictError, UserFacingError, ValidationError
from services.payouts import (
    APPROVED,
    AUDITED,
    CARRIER,
    DRAFT,
    PAID,
    PUBLICIZED,
    NoticeFilter,
    NoticeInput,
    PaymentInput,
    list_notices,
    notice_detail,
    notice_options,
    search_payees,
    split_shares,
    suggest_title,
)
from services.payouts_edit import create_notice, delete_notice, update_notice
from services.payouts_workflow import approve_notice, audit_notice, mark_paid, publicize_notice, return_to_draft
from services.register import create_enterprise
from services.session import unit_of_work
from services.users import Actor, PermissionDenied

D = dt.date
W = Decimal
CLERK = Actor("xiaowang", "小王", "clerk")
MANAGER = Actor("zhangke", "张科长", "manager")
TODAY = D(2019, 6, 30)


@pytest.mark.parametrize(("total", "pct", "city", "district"), [
    ("40", 50, "20", "20"),
    ("40", 25, "10", "30"),
    ("0.01", 25, "0.0025", "0.0075"),  # 100 元: 25 元 and 75 元
    ("0.000001", 25, "0", "0.000001"),  # 1 分: the city's 0.25 分 rounds to nothing
    ("0.000002", 25, "0.000001", "0.000001"),  # 0.5 分 rounds half up
    ("0.000003", 25, "0.000001", "0.000002"),
    ("0.000001", 50, "0.000001", "0"),
    ("0.000003", 50, "0.000002", "0.000001"),
    ("123.456789", 25, "30.864197", "92.592592"),
])
def test_shares_add_up_to_the_fen(total: str, pct: int, city: str, district: str) -> None:
    c, d = split_shares(W(total), pct)
    assert (c, d) == (W(city), W(district))
    assert c + d == W(total)


def test_suggested_titles_follow_the_district_pattern() -> None:
    assert suggest_title("研发投入补助", 2018, district="拱墅区", batch_no=1) \
        == "关于兑现拱墅区2018年度第一批研发投入补助资金的通知"
    assert suggest_title("市级高新技术企业奖励经费", 2018, district="拱墅区") \
        == "关于兑现拱墅区2018年度市级高新技术企业奖励经费的通知"
    assert suggest_title("创新券补助", 2019, district="拱墅区", batch_no=12) \
        == "关于下达拱墅区2019年度第十二批创新券补助资金的通知"


@pytest.fixture
def firms(db: Database) -> list[int]:
    return [create_enterprise(db, EnterpriseInput(name=name)).id
            for name in ("杭州匠控科技有限公司", "杭州云栖数据有限公司", "浙江运河智造有限公司")]


def _set_district(db: Database, name: str) -> None:
    with unit_of_work(db) as session:
        row = session.get(AppSetting, "district")
        if row is None:
            session.add(AppSetting(key="district", value=name))
        else:
            row.value = name


def _notice(programme: str = "国高企认定奖励", cohort: int = 2018, batch: int | None = None) -> NoticeInput:
    return NoticeInput(title=suggest_title(programme, cohort, district="拱墅区", batch_no=batch),
                       programme=programme, cohort_year=cohort, issued_on=D(2019, 4, 20), doc_no="拱科发〔2019〕12号",
                       batch_no=batch)


@pytest.mark.parametrize(("district", "city", "rest"), [("拱墅区", "20.000000", "20.000000"),
                                                        ("萧山区", "10.000000", "30.000000")])
def test_shares_follow_the_district_kind(db: Database, firms: list[int], district: str, city: str,
                                         rest: str) -> None:
    _set_district(db, district)
    detail = create_notice(db, _notice(), [PaymentInput(W(40), enterprise_id=firms[0]),
                                           PaymentInput(W("0.01"), enterprise_id=firms[1])],
                           actor=CLERK, today=TODAY)
    big, small = detail.payments
    assert (big.amount_city_wan, big.amount_district_wan) == (W(city), W(rest))
    assert small.amount_city_wan + small.amount_district_wan == W("0.01")
    assert detail.city_share_pct == (50 if district == "拱墅区" else 25)
    assert detail.total_wan == W("40.01") and detail.status == DRAFT


def test_a_given_city_share_is_kept_and_the_district_gets_the_rest(db: Database, firms: list[int]) -> None:
    detail = create_notice(db, _notice("创新券补助"), [PaymentInput(W("12.5"), enterprise_id=firms[0],
                                                                 amount_city_wan=W(5))], actor=CLERK, today=TODAY)
    assert (detail.payments[0].amount_city_wan, detail.payments[0].amount_district_wan) == (W(5), W("7.5"))


def test_bad_fields_and_payments_are_named(db: Database, firms: list[int]) -> None:
    bad = NoticeInput(title=" ", programme="研发投入补助", cohort_year=2019, issued_on=D(2018, 12, 1), batch_no=0)
    with pytest.raises(ValidationError) as info:
        create_notice(db, bad, actor=CLERK, today=TODAY)
    assert info.value.problems == {"title": "通知标题不能为空", "issued_on": "发文日期不能早于认定年度（2019年）",
                                   "batch_no": "批次应为1至99"}
    with pytest.raises(ValidationError) as info:
        create_notice(db, _notice(), [PaymentInput(W(0), enterprise_id=firms[0]),
                                      PaymentInput(W("1.0000001"), enterprise_id=firms[1]),
                                      PaymentInput(W(5), enterprise_id=firms[2], amount_city_wan=W(6)),
                                      PaymentInput(W(5)),
                                      PaymentInput(W(5), enterprise_id=firms[2], amount_city_wan=W(1))],
                      actor=CLERK, today=TODAY)
    assert info.value.problems == {
        "payments.1": "第1行（杭州匠控科技有限公司）：兑现金额应大于0",
        "payments.2": "第2行（杭州云栖数据有限公司）：兑现金额最多精确到分（万元小数点后6位）",
        "payments.3": "第3行（浙江运河智造有限公司）：市级资金不能大于兑现金额",
        "payments.4": "第4行：兑现对象应为一家企业或一个载体",
        "payments.5": "第5行（浙江运河智造有限公司）：与第3行是同一对象的同一项目",
    }
    assert list_notices(db) == []  # nothing was saved


def _through_publicity(db: Database, notice_id: int) -> None:
    audit_notice(db, notice_id, actor=CLERK)
    publicize_notice(db, notice_id, D(2019, 4, 25), actor=CLERK, today=TODAY)


def test_the_workflow_from_draft_to_paid(db: Database, firms: list[int]) -> None:
    detail = create_notice(db, _notice(), [PaymentInput(W(40), enterprise_id=f) for f in firms[:2]],
                           actor=CLERK, today=TODAY)
    assert audit_notice(db, detail.id, actor=CLERK).status == AUDITED
    assert publicize_notice(db, detail.id, D(2019, 4, 25), actor=CLERK, today=TODAY).status == PUBLICIZED
    with pytest.raises(PermissionDenied, match="批准兑现通知.*需要科长/局领导权限.*小王"):
        approve_notice(db, detail.id, actor=CLERK)
    assert notice_detail(db, detail.id).status == PUBLICIZED
    approved = approve_notice(db, detail.id, actor=MANAGER)
    assert approved.status == APPROVED and approved.approved_by == "张科长" and approved.approved_at is not None
    first = approved.payments[0].id
    part = mark_paid(db, detail.id, dt.date.today(), [first], actor=CLERK)
    assert [p.paid_on is not None for p in part.payments] == [True, False] and part.status == APPROVED
    with pytest.raises(UserFacingError, match="已登记兑付"):
        mark_paid(db, detail.id, dt.date.today(), [first], actor=CLERK)
    assert mark_paid(db, detail.id, dt.date.today(), actor=CLERK).status == PAID
    assert [r.status for r in list_notices(db, NoticeFilter(status=PAID))] == [PAID]


def test_paid_before_approval_is_refused(db: Database, firms: list[int]) -> None:
    detail = create_notice(db, _notice(), [PaymentInput(W(40), enterprise_id=firms[0])], actor=CLERK, today=TODAY)
    with pytest.raises(UserFacingError, match="当前为“草稿”，不能登记兑付（须先经科长/局领导批准）"):
        mark_paid(db, detail.id, D(2019, 5, 1), actor=CLERK, today=TODAY)
    _through_publicity(db, detail.id)
    with pytest.raises(UserFacingError, match="当前为“已公示”，不能登记兑付"):
        mark_paid(db, detail.id, D(2019, 5, 1), actor=MANAGER, today=TODAY)
    with pytest.raises(UserFacingError, match="不能批准"):
        approve_notice(db, create_notice(db, _notice("研发投入补助"), actor=CLERK, today=TODAY).id, actor=MANAGER)
    approve_notice(db, detail.id, actor=MANAGER)
    with pytest.raises(ValidationError, match="兑付日期不能早于批准日期"):
        mark_paid(db, detail.id, D(2019, 5, 1), actor=CLERK)
    assert all(p.paid_on is None for p in notice_detail(db, detail.id).payments)


def test_edits_after_approval_are_refused_with_the_reason(db: Database, firms: list[int]) -> None:
    detail = create_notice(db, _notice(), [PaymentInput(W(40), enterprise_id=firms[0])], actor=CLERK, today=TODAY)
    _through_publicity(db, detail.id)
    with pytest.raises(UserFacingError, match="已公示，不能直接修改；请先“退回草稿”再修改"):
        update_notice(db, detail.id, detail.as_input(), actor=CLERK, today=TODAY)
    approve_notice(db, detail.id, actor=MANAGER)
    changed = NoticeInput(**{**detail.as_input().__dict__, "title": "改过的标题"})
    with pytest.raises(UserFacingError, match=r"已于\d{4}年\d\d月\d\d日由张科长批准，不能再修改"):
        update_notice(db, detail.id, changed, [p.as_input() for p in detail.payments], actor=MANAGER, today=TODAY)
    with pytest.raises(UserFacingError, match="不能再修改"):
        delete_notice(db, detail.id, actor=MANAGER)
    with pytest.raises(UserFacingError, match="不能退回草稿"):
        return_to_draft(db, detail.id, actor=MANAGER)
    assert notice_detail(db, detail.id).title == detail.title


def test_a_returned_draft_can_be_corrected_and_payments_replaced(db: Database, firms: list[int]) -> None:
    detail = create_notice(db, _notice(), [PaymentInput(W(40), enterprise_id=f) for f in firms[:2]],
                           actor=CLERK, today=TODAY)
    _through_publicity(db, detail.id)
    assert return_to_draft(db, detail.id, actor=CLERK).status == DRAFT
    keep = detail.payments[0]
    edited = update_notice(db, detail.id, detail.as_input(), [
        PaymentInput(W(20), enterprise_id=keep.payee_id, id=keep.id),
        PaymentInput(W(40), enterprise_id=firms[2])], actor=CLERK, today=TODAY)
    assert [(p.name, p.amount_total_wan, p.amount_city_wan) for p in edited.payments] == [
        ("杭州匠控科技有限公司", W(20), W(10)), ("浙江运河智造有限公司", W(40), W(20))]
    assert edited.payments[0].id == keep.id
    delete_notice(db, detail.id, actor=CLERK)
    assert list_notices(db) == []
    with unit_of_work(db) as session:
        assert session.scalars(select(Payment)).all() == []


def test_a_save_over_a_colleagues_save_is_refused_naming_the_change(db: Database, firms: list[int]) -> None:
    opened = create_notice(db, _notice(), [PaymentInput(W(40), enterprise_id=firms[0])], actor=CLERK, today=TODAY)
    mine = update_notice(db, opened.id, replace(opened.as_input(), doc_no="拱科发〔2019〕15号"),
                         [p.as_input() for p in opened.payments], expected=opened, actor=CLERK, today=TODAY)
    assert mine.doc_no == "拱科发〔2019〕15号"
    # A colleague still has the first version open and changes the amount: refused, naming what changed since.
    raised = replace(opened.payments[0].as_input(), amount_total_wan=W(50))
    with pytest.raises(ConflictError, match="已被他人修改：文号：拱科发〔2019〕12号 → 拱科发〔2019〕15号"):
        update_notice(db, opened.id, opened.as_input(), [raised], expected=opened, actor=MANAGER, today=TODAY)
    colleague = notice_detail(db, opened.id)
    assert colleague.doc_no == "拱科发〔2019〕15号" and colleague.payments[0].amount_total_wan == W(40)
    with pytest.raises(ConflictError, match="兑现明细"):
        update_notice(db, opened.id, mine.as_input(), [], expected=replace(mine, payments=()), actor=CLERK,
                      today=TODAY)


def test_the_same_payee_paid_twice_for_a_programme_and_cohort_is_warned(db: Database, firms: list[int]) -> None:
    first = create_notice(db, _notice(batch=1), [PaymentInput(W(40), enterprise_id=firms[0])],
                          actor=CLERK, today=TODAY)
    second = create_notice(db, _notice(batch=2), [PaymentInput(W(40), enterprise_id=firms[0]),
                                                  PaymentInput(W(40), enterprise_id=firms[1])],
                           actor=CLERK, today=TODAY)
    assert second.warnings == (f"“杭州匠控科技有限公司”已在《{first.title}》（拱科发〔2019〕12号）中兑现过2018年度"
                               "“国高企认定奖励”，请核实是否重复兑现。",)
    assert len(notice_detail(db, first.id).warnings) == 1
    other_year = create_notice(db, _notice(cohort=2017), [PaymentInput(W(40), enterprise_id=firms[0])],
                               actor=CLERK, today=TODAY)
    assert other_year.warnings == ()


def test_list_filters_search_and_payees(db: Database, firms: list[int]) -> None:
    with unit_of_work(db) as session:
        session.add(Carrier(name="运河创客空间", name_norm="运河创客空间", kind_code="maker_space"))
    carrier = search_payees(db, "yhck")
    assert [(p.kind, p.name) for p in carrier] == [(CARRIER, "运河创客空间")]
    assert [p.name for p in search_payees(db, "hzjk")] == ["杭州匠控科技有限公司"]
    assert [p.name for p in search_payees(db, "运河")] == ["浙江运河智造有限公司", "运河创客空间"]
    hte = create_notice(db, _notice(), [PaymentInput(W(40), enterprise_id=firms[0])], actor=CLERK, today=TODAY)
    create_notice(db, _notice("众创空间房租补贴"), [PaymentInput(W(12), carrier_id=carrier[0].id)], actor=CLERK,
                  today=TODAY)
    assert [r.programme for r in list_notices(db, NoticeFilter(query="ycck"))] == []
    assert [r.programme for r in list_notices(db, NoticeFilter(query="运河创客"))] == ["众创空间房租补贴"]
    assert [r.id for r in list_notices(db, NoticeFilter(query="hzjk"))] == [hte.id]
    assert [r.id for r in list_notices(db, NoticeFilter(programme="国高企认定奖励", year=2019,
                                                        status=DRAFT))] == [hte.id]
    assert list_notices(db, NoticeFilter(year=2018)) == []
    row = list_notices(db, NoticeFilter(query="12号 认定"))[0]
    assert (row.payments, row.paid, row.total_wan, row.city_wan, row.district_wan) == (1, 0, W(40), W(20), W(20))
    options = notice_options(db)
    assert options.years == (2019,) and options.programmes == ("众创空间房租补贴", "国高企认定奖励")
    assert (options.district, options.city_share_pct) == ("拱墅区", 50)
