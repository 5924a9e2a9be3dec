"""Innovation vouchers over a real database: the whole life from 申领 to a paid batch, the caps at and around their
limits across several grants, the ratio and co-funding arithmetic to the 分, and every refused transition."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from models import Payment, PaymentNotice
from models.db import Database
from services.attachments import list_attachments
from services.errors import UserFacingError, ValidationError
from services.payouts_workflow import approve_notice, audit_notice, publicize_notice
from services.reports.period import Period
from services.reports.queries import vouchers as report_vouchers
from services.session import read_session
from services.users import Actor, PermissionDenied
from services.voucher_redemptions import (
    PROGRAMME,
    apply_redemption,
    audit_redemption,
    awaiting_batch,
    create_batch,
    list_batches,
    next_batch_no,
    pay_batch,
)
from services.voucher_rules import ratio_limit, split_cofund
from services.voucher_summary import voucher_summary
from services.voucher_uses import UseInput, add_evidence, add_use, delete_use, update_use, use_limit
from services.vouchers import GrantInput, apply_grant, cap_status, get_grant, issue_grant, set_grant_notes, void_grant
from tests.helpers.vouchers import TODAY, YEAR, D, build, issued, use

MANAGER = Actor("kz", "王科长", "manager")
CLERK = Actor("bsy", "李办事员", "clerk")


def test_a_voucher_from_application_to_paid_redemption(db: Database, tmp_path: Path) -> None:
    world = build(db)
    firm = world.firms["甲"]
    grant = apply_grant(db, GrantInput(YEAR, D(15), dt.date(YEAR, 3, 1), enterprise_id=firm), today=TODAY)
    assert (grant.status, grant.voucher_no, grant.expires_on) == ("申领", "GSCXQ202500001", dt.date(YEAR, 12, 31))
    assert grant.refusal("use") == "创新券 GSCXQ202500001 尚未发放，不能登记使用。"

    grant = issue_grant(db, grant.id, D(12), dt.date(YEAR, 3, 20), today=TODAY)
    assert (grant.status, grant.amount_issued_wan, grant.balance_wan) == ("发放", D(12), D(12))

    grant = use(db, grant.id, world.lab_id, "9", "30", contract_no="2025330105000123")
    assert (grant.status, grant.used_wan, grant.balance_wan) == ("使用", D(9), D(3))
    contract = tmp_path / "技术合同.pdf"
    contract.write_bytes(b"%PDF-1.4 contract")
    add_evidence(db, grant.uses[0].id, contract, category="合同")
    assert [a.file_name for a in list_attachments(db, "voucher_use", grant.uses[0].id)] == ["技术合同.pdf"]
    assert get_grant(db, grant.id).uses[0].evidence == 1

    grant = apply_redemption(db, grant.uses[0].id, dt.date(YEAR, 5, 6), today=TODAY)
    assert grant.redemptions[0].status == "申请" and grant.redemptions[0].subsidy_wan == D(9)
    grant = audit_redemption(db, grant.redemptions[0].id, True, dt.date(YEAR, 5, 20), today=TODAY)
    redemption = grant.redemptions[0]
    assert (redemption.status, redemption.city_share_wan, redemption.district_share_wan) == \
        ("审核通过", D("3.6"), D("5.4"))
    assert [c.voucher_no for c in awaiting_batch(db, YEAR)] == ["GSCXQ202500001"]

    batch = create_batch(db, YEAR, [redemption.id], dt.date(YEAR, 6, 10), doc_no="拱科〔2025〕18号", today=TODAY)
    assert (batch.batch_no, batch.status, batch.subsidy_wan, batch.city_wan, batch.district_wan) == \
        (1, "草稿", D(9), D("3.6"), D("5.4"))
    assert batch.title == "关于下达拱墅区2025年度第一批创新券补助资金的通知"
    assert awaiting_batch(db, YEAR) == [] and next_batch_no(db, YEAR) == 2
    with read_session(db) as session:
        notice = session.scalars(select(PaymentNotice)).one()
        payment = session.scalars(select(Payment)).one()
        assert (notice.programme, notice.cohort_year, notice.batch_no) == (PROGRAMME, YEAR, 1)
        assert (payment.enterprise_id, payment.amount_total_wan, payment.amount_city_wan,
                payment.amount_district_wan) == (firm, D(9), D("3.6"), D("5.4"))

    with pytest.raises(UserFacingError, match="须经审核、公示并由科长/局领导批准"):
        pay_batch(db, batch.notice_id, dt.date(YEAR, 7, 1), today=TODAY)
    audit_notice(db, batch.notice_id)
    publicize_notice(db, batch.notice_id, dt.date(YEAR, 6, 12), today=TODAY)
    approve_notice(db, batch.notice_id, actor=MANAGER)
    paid_on = dt.date.today()
    batch = pay_batch(db, batch.notice_id, paid_on)
    assert (batch.status, batch.paid_on) == ("已兑付", paid_on)
    grant = get_grant(db, grant.id)
    assert grant.status == "兑现" and grant.redeemed_wan == D(9)
    assert (grant.redemptions[0].status, grant.redemptions[0].batch_no, grant.redemptions[0].paid_on) == \
        ("已兑付", 1, paid_on)
    assert [b.status for b in list_batches(db, YEAR)] == ["已兑付"]

    totals = voucher_summary(db, YEAR).totals
    assert (totals.issued_wan, totals.issued_count, totals.used_wan, totals.used_count) == (D(12), 1, D(9), 1)
    summary = voucher_summary(db, paid_on.year)
    assert (summary.totals.redeemed_wan, summary.totals.redeemed_times, summary.totals.enterprises_redeemed) == \
        (D(9), 1, 1)
    assert [(b.batch_no, b.redeemed_wan, b.city_wan) for b in summary.by_batch] == [(1, D(9), D("3.6"))]
    assert [(p.name, p.redeemed_wan) for p in summary.by_provider] == [("浙江方圆检测集团股份有限公司", D(9))]
    with read_session(db) as session:  # the report's figures are the same
        figures = report_vouchers(session, Period(paid_on.year, 4))
    assert sum(figures["voucher.redeemed_ytd_wan"].values()) == D(9)


def test_a_voucher_batch_paid_on_the_payouts_page_settles_its_redemptions(db: Database) -> None:
    from services.payouts import notice_detail
    from services.payouts_edit import delete_notice
    from services.payouts_workflow import mark_paid

    world = build(db)
    grants = []
    for firm in ("甲", "乙"):
        grant = issued(db, world.firms[firm], "10")
        grant = use(db, grant.id, world.lab_id, "3", "10", contract_no=f"20253301050001{len(grants)}")
        grant = apply_redemption(db, grant.uses[0].id, dt.date(YEAR, 5, 6), today=TODAY)
        grants.append(audit_redemption(db, grant.redemptions[0].id, True, dt.date(YEAR, 5, 20), today=TODAY))
    batch = create_batch(db, YEAR, [g.redemptions[0].id for g in grants], dt.date(YEAR, 6, 10), today=TODAY)
    with pytest.raises(UserFacingError, match="创新券兑现批次"):
        delete_notice(db, batch.notice_id)  # its payments come from the redemptions
    assert notice_detail(db, batch.notice_id).warnings == ()  # a holder in two batches is not a double payment
    audit_notice(db, batch.notice_id)
    publicize_notice(db, batch.notice_id, dt.date(YEAR, 6, 12), today=TODAY)
    approve_notice(db, batch.notice_id, actor=MANAGER)
    first = notice_detail(db, batch.notice_id).payments[0].id
    with pytest.raises(UserFacingError, match="整批"):
        mark_paid(db, batch.notice_id, dt.date.today(), [first])
    mark_paid(db, batch.notice_id, dt.date.today())
    for grant in grants:
        settled = get_grant(db, grant.id)
        assert settled.status == "兑现" and settled.redemptions[0].status == "已兑付"
        assert settled.redemptions[0].paid_on == dt.date.today()
    assert [b.status for b in list_batches(db, YEAR)] == ["已兑付"]


def test_enterprise_cap_holds_across_grants_at_and_around_20(db: Database) -> None:
    world = build(db)
    firm = world.firms["甲"]
    issued(db, firm, "8")
    apply_grant(db, GrantInput(YEAR, D(7), dt.date(YEAR, 4, 1), enterprise_id=firm), today=TODAY)
    assert cap_status(db, YEAR, enterprise_id=firm).text() == \
        "该企业2025年已申领 15 万元，上限 20 万元，本次最多 5 万元"
    with pytest.raises(ValidationError) as refused:
        apply_grant(db, GrantInput(YEAR, D("5.01"), dt.date(YEAR, 5, 1), enterprise_id=firm), today=TODAY)
    assert refused.value.problems["amount_applied_wan"] == \
        "该企业2025年已申领 15 万元，上限 20 万元，本次最多 5 万元；本次 5.01 万元 超出上限"
    last = apply_grant(db, GrantInput(YEAR, D(5), dt.date(YEAR, 5, 1), enterprise_id=firm), today=TODAY)
    assert cap_status(db, YEAR, enterprise_id=firm).remaining_wan == 0  # exactly 20 passes
    with pytest.raises(ValidationError, match="本次最多 0 万元；本次 0.000001 万元 超出上限"):
        apply_grant(db, GrantInput(YEAR, D("0.000001"), dt.date(YEAR, 5, 2), enterprise_id=firm), today=TODAY)
    # A voided grant and an amount issued below the application free their share of the cap.
    void_grant(db, last.id, "企业撤回申请", on=dt.date(YEAR, 5, 3))
    assert cap_status(db, YEAR, enterprise_id=firm).committed_wan == D(15)
    other = get_grant(db, last.id - 1)
    issue_grant(db, other.id, D(4), dt.date(YEAR, 4, 10), today=TODAY)
    assert cap_status(db, YEAR, enterprise_id=firm).text() == \
        "该企业2025年已申领 12 万元，上限 20 万元，本次最多 8 万元"
    # Another enterprise, and another year, have caps of their own.
    assert cap_status(db, YEAR, enterprise_id=world.firms["乙"]).remaining_wan == D(20)


def test_maker_team_cap_is_10_and_needs_a_maker_space(db: Database) -> None:
    world = build(db)
    team = dict(maker_team_name="张三创客团队", carrier_id=world.space_id)
    apply_grant(db, GrantInput(YEAR, D(6), dt.date(YEAR, 3, 1), **team), today=TODAY)
    grant = apply_grant(db, GrantInput(YEAR, D(4), dt.date(YEAR, 3, 2), **team), today=TODAY)  # exactly 10
    assert grant.holder_kind == "maker_team" and grant.carrier == "运河众创空间"
    with pytest.raises(ValidationError, match="该创客团队2025年已申领 10 万元，上限 10 万元，本次最多 0 万元"):
        apply_grant(db, GrantInput(YEAR, D("0.01"), dt.date(YEAR, 3, 3), **team), today=TODAY)
    apply_grant(db, GrantInput(YEAR, D(10), dt.date(YEAR, 3, 3), maker_team_name="李四创客团队",
                               carrier_id=world.space_id), today=TODAY)
    with pytest.raises(ValidationError) as refused:
        apply_grant(db, GrantInput(YEAR, D(1), dt.date(YEAR, 3, 3), maker_team_name="王五团队"), today=TODAY)
    assert refused.value.problems == {"carrier_id": "创客团队须入驻众创空间：请选择其所在的众创空间"}
    with pytest.raises(ValidationError, match="二者选一"):
        apply_grant(db, GrantInput(YEAR, D(1), dt.date(YEAR, 3, 3), enterprise_id=world.firms["甲"],
                                   maker_team_name="王五团队", carrier_id=world.space_id), today=TODAY)


def test_ratio_and_balance_limits_are_exact_to_the_fen(db: Database) -> None:
    world = build(db)
    grant = issued(db, world.firms["甲"], "5")
    limit = use_limit(db, grant.id)
    assert limit.max_for(D("10.000003")) == D("3.000000")  # 3.0000009 rounded down to the 分
    assert limit.text(D(10)) == "本次最多 3 万元（余额 5 万元；实际支付 10 万元 × 补助比例 30% = 3 万元）"
    with pytest.raises(ValidationError) as refused:
        use(db, grant.id, world.lab_id, "3.000001", "10.000003", contract_no="2025330105000001")
    assert refused.value.problems["voucher_amount_wan"].startswith("使用创新券 3.000001 万元 超过上限：本次最多 3 万元")
    grant = use(db, grant.id, world.lab_id, "3", "10.000003", contract_no="2025330105000001")
    assert grant.balance_wan == D(2)
    assert use_limit(db, grant.id).text(D(100)).startswith("本次最多 2 万元（余额 2 万元")
    with pytest.raises(ValidationError, match="本次最多 2 万元"):
        use(db, grant.id, world.agency_id, "2.000001", "100", service="专利代理")
    grant = use(db, grant.id, world.agency_id, "2", "100", service="专利代理")  # no contract number needed
    assert grant.balance_wan == 0
    assert grant.refusal("use") == "创新券 GSCXQ202500001 已用完（余额 0 万元），不能再登记使用。"


@pytest.mark.parametrize(("subsidy", "ratio", "city", "district"), [
    ("9", "0.4", "3.6", "5.4"),
    ("0.000001", "0.4", "0", "0.000001"),  # 0.0000004 rounds to nothing
    ("0.000002", "0.25", "0.000001", "0.000001"),  # 0.0000005 rounds half up
    ("12.345678", "0.4", "4.938271", "7.407407"),  # 4.9382712
    ("7.5", "0", "0", "7.5"),
])
def test_cofunding_shares_add_up_to_the_fen(subsidy: str, ratio: str, city: str, district: str) -> None:
    shares = split_cofund(D(subsidy), D(ratio))
    assert shares == (D(city), D(district)) and sum(shares) == D(subsidy)
    assert ratio_limit(D("0.000003"), D("0.3")) == D(0)


def test_a_use_is_corrected_until_it_is_put_forward_and_notes_are_kept(db: Database) -> None:
    world = build(db)
    grant = use(db, issued(db, world.firms["甲"], "5").id, world.lab_id, "3", "10", contract_no="2025330105000900")
    data = UseInput(world.lab_id, "测试分析", D(12), D(12), D("3.6"), dt.date(YEAR, 4, 12), "2025330105000900")
    grant = update_use(db, grant.uses[0].id, data, today=TODAY)  # its own contract number is no clash
    assert (grant.uses[0].voucher_amount_wan, grant.uses[0].used_on, grant.balance_wan) == \
        (D("3.6"), dt.date(YEAR, 4, 12), D("1.4"))
    with pytest.raises(ValidationError, match="本次最多 3.6 万元"):
        update_use(db, grant.uses[0].id, UseInput(**{**vars(data), "voucher_amount_wan": D("3.61")}), today=TODAY)
    apply_redemption(db, grant.uses[0].id, dt.date(YEAR, 5, 1), today=TODAY)
    with pytest.raises(UserFacingError, match="已申请兑现，不能再修改或删除"):
        update_use(db, grant.uses[0].id, data, today=TODAY)
    assert set_grant_notes(db, grant.id, "  企业已补交付款凭证 ").notes == "企业已补交付款凭证"


def test_audit_refusal_keeps_the_reason_and_allows_a_new_application(db: Database) -> None:
    world = build(db, cofund="0.25")
    grant = issued(db, world.firms["乙"], "10")
    grant = use(db, grant.id, world.lab_id, "0.000002", "0.00001")  # under 1,000 元: no contract number needed
    grant = apply_redemption(db, grant.uses[0].id, dt.date(YEAR, 5, 1), today=TODAY)
    with pytest.raises(ValidationError, match="请填写不通过的原因"):
        audit_redemption(db, grant.redemptions[0].id, False, dt.date(YEAR, 5, 2), today=TODAY)
    grant = audit_redemption(db, grant.redemptions[0].id, False, dt.date(YEAR, 5, 2), reason="付款凭证缺失",
                             today=TODAY)
    assert grant.redemptions[0].status == "不通过" and grant.redemptions[0].city_share_wan is None
    assert grant.uses[0].notes == "2025-05-02 兑现审核不通过：付款凭证缺失"
    with pytest.raises(UserFacingError, match="已申请兑现，不能再修改或删除"):
        delete_use(db, grant.uses[0].id)
    grant = apply_redemption(db, grant.uses[0].id, dt.date(YEAR, 5, 10), today=TODAY)
    grant = audit_redemption(db, grant.redemptions[-1].id, True, dt.date(YEAR, 5, 12), today=TODAY)
    assert (grant.redemptions[-1].city_share_wan, grant.redemptions[-1].district_share_wan) == \
        (D("0.000001"), D("0.000001"))


def test_each_step_out_of_order_is_refused_with_its_reason(db: Database) -> None:
    world = build(db)
    firm = world.firms["甲"]
    pending = apply_grant(db, GrantInput(YEAR, D(2), dt.date(YEAR, 3, 1), enterprise_id=firm), today=TODAY)
    with pytest.raises(UserFacingError, match="尚未发放，不能登记使用"):
        add_use(db, pending.id, UseInput(world.lab_id, "测试分析", D(1), D(1), D("0.1"), dt.date(YEAR, 4, 1),
                                         "2025330105000009"), today=TODAY)
    with pytest.raises(ValidationError, match="发放金额 3 万元 不能超过申领金额 2 万元"):
        issue_grant(db, pending.id, D(3), dt.date(YEAR, 3, 5), today=TODAY)
    with pytest.raises(ValidationError, match="发放日期应在申领日期"):
        issue_grant(db, pending.id, D(2), dt.date(YEAR, 2, 5), today=TODAY)
    grant = issue_grant(db, pending.id, D(2), dt.date(YEAR, 3, 5), today=TODAY)
    with pytest.raises(UserFacingError, match="已发放，不能重复发放"):
        issue_grant(db, grant.id, D(2), dt.date(YEAR, 3, 6), today=TODAY)
    with pytest.raises(ValidationError, match="晚于今天"):
        apply_grant(db, GrantInput(TODAY.year, D(1), TODAY + dt.timedelta(days=1), enterprise_id=firm), today=TODAY)

    def refused(data: UseInput) -> dict[str, str]:
        with pytest.raises(ValidationError) as caught:
            add_use(db, grant.id, data, today=TODAY)
        return caught.value.problems

    base = dict(provider_id=world.lab_id, service_type="测试分析", contract_amount_wan=D(4), paid_amount_wan=D(4),
                voucher_amount_wan=D(1), used_on=dt.date(YEAR, 4, 1), contract_no="2025330105000010")
    assert "非关联" in refused(UseInput(**{**base, "related_party": True}))["related_party"]
    assert refused(UseInput(**{**base, "service_type": "强制检测"}))["service_type"].startswith("服务类型应为")
    assert refused(UseInput(**{**base, "contract_no": None}))["contract_no"].startswith("请填写技术合同登记编号")
    assert refused(UseInput(**{**base, "paid_amount_wan": D(5)}))["paid_amount_wan"] == "实际支付金额不能超过合同金额"
    assert refused(UseInput(**{**base, "used_on": dt.date(YEAR, 3, 1)}))["used_on"] == \
        "使用日期不能早于发放日期（2025-03-05）"
    with pytest.raises(UserFacingError, match="有效期至 2025-12-31，2026-01-05 已过期"):
        add_use(db, grant.id, UseInput(**{**base, "used_on": dt.date(YEAR + 1, 1, 5)}), today=TODAY)
    grant = add_use(db, grant.id, UseInput(**base), today=TODAY)
    other = issued(db, world.firms["乙"], "5")
    with pytest.raises(ValidationError, match="合同登记号 2025330105000010 已用于创新券 GSCXQ202500001"):
        add_use(db, other.id, UseInput(**base), today=TODAY)
    with pytest.raises(UserFacingError, match="已登记使用，不能作废"):
        void_grant(db, grant.id, "重复申领")
    with pytest.raises(ValidationError, match="申请日期不能早于使用日期"):
        apply_redemption(db, grant.uses[0].id, dt.date(YEAR, 3, 30), today=TODAY)
    with pytest.raises(UserFacingError, match="已过期，不能申请兑现"):
        apply_redemption(db, grant.uses[0].id, dt.date(YEAR + 1, 1, 10), today=TODAY)
    grant = apply_redemption(db, grant.uses[0].id, dt.date(YEAR, 4, 20), today=TODAY)
    with pytest.raises(UserFacingError, match="已申请兑现（当前状态：申请），不能重复申请"):
        apply_redemption(db, grant.uses[0].id, dt.date(YEAR, 4, 21), today=TODAY)
    with pytest.raises(UserFacingError, match="不是2025年度已审核通过、尚未下达批次的兑现申请"):
        create_batch(db, YEAR, [grant.redemptions[0].id], dt.date(YEAR, 6, 1), today=TODAY)
    voided = void_grant(db, other.id, "企业注销", on=dt.date(YEAR, 6, 1))
    assert voided.status == "作废" and voided.notes == "2025-06-01 作废：企业注销"
    with pytest.raises(UserFacingError, match="已作废，不能登记使用"):
        add_use(db, other.id, UseInput(**{**base, "contract_no": "2025330105000011"}), today=TODAY)


def test_a_batch_is_extended_while_a_draft_and_pays_a_maker_team_through_its_space(db: Database) -> None:
    world = build(db)
    ids = []
    for n, (firm, team) in enumerate(((world.firms["甲"], None), (world.firms["甲"], None), (None, "张三创客团队"))):
        grant = issued(db, firm, "5", team=team, space_id=world.space_id if team else None,
                       applied=dt.date(YEAR, 3, 1 + n))
        grant = use(db, grant.id, world.lab_id, "1.5", "5", contract_no=f"202533010500010{n}")
        grant = apply_redemption(db, grant.uses[0].id, dt.date(YEAR, 5, 1), today=TODAY)
        ids.append(audit_redemption(db, grant.redemptions[0].id, True, dt.date(YEAR, 5, 2),
                                    today=TODAY).redemptions[0].id)
    create_batch(db, YEAR, ids[:1], dt.date(YEAR, 6, 1), today=TODAY)
    batch = create_batch(db, YEAR, ids[1:], dt.date(YEAR, 6, 1), batch_no=1, today=TODAY)
    assert (batch.redemptions, batch.holders, batch.subsidy_wan) == (3, 2, D("4.5"))
    with read_session(db) as session:
        payments = {(p.enterprise_id, p.carrier_id): (p.amount_total_wan, p.amount_city_wan, p.amount_district_wan)
                    for p in session.scalars(select(Payment))}
    assert payments == {(world.firms["甲"], None): (D(3), D("1.2"), D("1.8")),
                        (None, world.space_id): (D("1.5"), D("0.6"), D("0.9"))}
    with pytest.raises(ValidationError, match="请选择要下达的兑现记录"):
        create_batch(db, YEAR, [], dt.date(YEAR, 6, 1), today=TODAY)
    audit_notice(db, batch.notice_id)
    publicize_notice(db, batch.notice_id, dt.date(YEAR, 6, 3), today=TODAY)
    with pytest.raises(PermissionDenied):
        approve_notice(db, batch.notice_id, actor=CLERK)


def test_a_redemptions_changes_belong_to_the_holders_history(db: Database) -> None:
    from models import AuditLog

    world = build(db)
    grant = use(db, issued(db, world.firms["甲"], "10").id, world.lab_id, "3", "10", contract_no="2025330105000999")
    grant = apply_redemption(db, grant.uses[0].id, dt.date(YEAR, 5, 6), today=TODAY)
    audit_redemption(db, grant.redemptions[0].id, True, dt.date(YEAR, 5, 20), today=TODAY)
    with read_session(db) as session:
        subjects = set(session.execute(select(AuditLog.subject_table, AuditLog.subject_id)
                                       .where(AuditLog.table_name == "voucher_redemption")).tuples())
    assert subjects == {("enterprise", str(world.firms["甲"]))}
