"""Pay-out totals per programme, year and 属地, and the exported payee list of a notice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from models import Subdistrict
from models.db import Database
from services.dto import EnterpriseInput
from services.payouts import NoticeInput, PaymentInput, notice_detail
from services.payouts_edit import create_notice
from services.payouts_export import default_file_name, export_notice
from services.payouts_summary import payout_totals
from services.payouts_workflow import approve_notice, audit_notice, mark_paid, publicize_notice
from services.register import create_enterprise
from services.session import read_session
from services.users import Actor

D = dt.date
W = Decimal
MANAGER = Actor("zhangke", "张科长", "manager")


@pytest.fixture
def firms(db: Database) -> list[int]:
    with read_session(db) as session:
        subs = dict(session.execute(select(Subdistrict.name, Subdistrict.id)).tuples().all())
    return [create_enterprise(db, EnterpriseInput(name=name, subdistrict_id=sub)).id for name, sub in (
        ("=1+1杭州匠控科技有限公司", subs["上塘街道"]), ("杭州云栖数据有限公司", subs["上塘街道"]),
        ("浙江运河智造有限公司", None))]


def _notice(db: Database, programme: str, issued: dt.date, payments: list[PaymentInput]) -> int:
    data = NoticeInput(title=f"关于兑现{programme}的通知", programme=programme, cohort_year=issued.year - 1,
                       issued_on=issued, doc_no=f"拱科发〔{issued.year}〕{issued.month}号")
    return create_notice(db, data, payments, actor=MANAGER, today=D(2026, 1, 1)).id


def test_totals_per_programme_year_and_subdistrict(db: Database, firms: list[int]) -> None:
    hte = _notice(db, "国高企认定奖励", D(2019, 4, 1), [PaymentInput(W(40), enterprise_id=f) for f in firms])
    _notice(db, "研发投入补助", D(2019, 9, 1), [PaymentInput(W("10.5"), enterprise_id=firms[0])])
    _notice(db, "研发投入补助", D(2020, 9, 1), [PaymentInput(W("0.01"), enterprise_id=firms[1])])
    audit_notice(db, hte, actor=MANAGER)
    publicize_notice(db, hte, D(2019, 4, 10), actor=MANAGER)
    approve_notice(db, hte, actor=MANAGER)
    mark_paid(db, hte, dt.date.today(), actor=MANAGER)
    by_programme = payout_totals(db, "programme")
    assert [(r.label, r.notices, r.payments, r.payees, r.total_wan, r.city_wan, r.district_wan, r.paid_wan)
            for r in by_programme] == [("国高企认定奖励", 1, 3, 3, W(120), W(60), W(60), W(120)),
                                       ("研发投入补助", 2, 2, 2, W("10.51"), W("5.255"), W("5.255"), W(0))]
    assert [(r.label, r.total_wan) for r in payout_totals(db, "year")] == [("2020年", W("0.01")),
                                                                            ("2019年", W("130.5"))]
    assert [(r.label, r.payments, r.total_wan) for r in payout_totals(db, "subdistrict", year=2019)] == [
        ("上塘街道", 3, W("90.5")), ("未落属地", 1, W(40))]


def test_a_notice_exports_as_its_payee_list_with_text_kept_as_text(db: Database, firms: list[int],
                                                                    tmp_path: Path) -> None:
    notice_id = _notice(db, "国高企认定奖励", D(2019, 4, 1), [PaymentInput(W(40), enterprise_id=firms[0]),
                                                             PaymentInput(W("0.000003"), enterprise_id=firms[2])])
    path = export_notice(db, notice_id, tmp_path / "名单.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A1"].value == "关于兑现国高企认定奖励的通知兑现名单"
    assert sheet["A2"].value == ("文号：拱科发〔2019〕4号　发文日期：2019年04月01日　政策项目：国高企认定奖励　"
                                 "认定年度：2018年")
    assert [c.value for c in sheet[4]][:6] == ["序号", "单位名称", "统一社会信用代码", "属地", "兑现项目",
                                               "兑现金额（万元）"]
    first = [c.value for c in sheet[5]]
    assert first[:8] == [1, "=1+1杭州匠控科技有限公司", None, "上塘街道", "国高企认定奖励", 40, 20, 20]
    assert sheet["B5"].data_type == "s"  # a string cell, not a formula
    assert [c.value for c in sheet[6]][5:8] == [0.000003, 0.000002, 0.000001]
    assert [c.value for c in sheet[7]][:1] + [c.value for c in sheet[7]][5:8] == ["合计（2 笔）", 40.000003, 20.000002,
                                                                               20.000001]
    assert default_file_name(notice_detail(db, notice_id)) == "拱科发〔2019〕4号兑现名单.xlsx"
