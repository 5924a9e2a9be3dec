"""R&D institutions, pools, pre-reviews, visits and 年报: saved, validated in Chinese, audited to the enterprise."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from models import PreReview
from models.db import Database
from services.dto import EnterpriseInput
from services.enterprise_records import (
    IssueInput,
    PoolInput,
    RDInstitutionInput,
    VisitInput,
    add_pool_entry,
    add_visit,
    close_issue,
    leave_pool,
    list_pool_entries,
    list_pre_reviews,
    list_rd_institutions,
    list_visits,
    save_rd_institution,
)
from services.errors import ValidationError
from services.qualifications import (
    QualificationInput,
    add_qualification,
    list_annual_reports,
    qualification_types,
    record_annual_report,
    validity,
)
from services.register import create_enterprise, enterprise_history
from services.session import unit_of_work

D = dt.date
TODAY = D(2026, 6, 30)


@pytest.fixture
def eid(db: Database) -> int:
    return create_enterprise(db, EnterpriseInput(name="杭州匠控科技有限公司")).id


def test_rd_institution_added_and_changed(db: Database, eid: int) -> None:
    data = RDInstitutionInput(name="匠控工业软件研发中心", kind="市级企业研发中心", level="市", approved_year=2024)
    saved = save_rd_institution(db, eid, data, today=TODAY)
    changed = save_rd_institution(db, eid, RDInstitutionInput(**{**vars(data), "status": "撤销"}),
                                  record_id=saved.id, today=TODAY)
    assert [r.status for r in list_rd_institutions(db, eid)] == ["撤销"] and changed.id == saved.id
    with pytest.raises(ValidationError) as err:
        save_rd_institution(db, eid, RDInstitutionInput(name=" ", kind="", level="乡", approved_year=2031),
                            today=TODAY)
    assert set(err.value.problems) == {"name", "kind", "level", "approved_year"}
    assert any(e.table_name == "rd_institution" for e in enterprise_history(db, eid))


def test_pool_entry_and_leaving(db: Database, eid: int) -> None:
    entry = add_pool_entry(db, eid, PoolInput("申报库", 2026, D(2026, 2, 1), source="街道推荐"), today=TODAY)
    assert entry.target_type == "国高企" and entry.current(TODAY)
    with pytest.raises(ValidationError, match="已在2026年申报库中"):
        add_pool_entry(db, eid, PoolInput("申报库", 2026, D(2026, 3, 1)), today=TODAY)
    with pytest.raises(ValidationError, match="不能早于入库日期"):
        leave_pool(db, entry.id, left_on=D(2026, 1, 1), exit_reason="认定", today=TODAY)
    leave_pool(db, entry.id, left_on=D(2026, 6, 1), exit_reason="认定", today=TODAY)
    (row,) = list_pool_entries(db, eid)
    assert row.exit_reason == "认定" and not row.current(TODAY)


def test_visit_with_issues_closed_one_by_one(db: Database, eid: int) -> None:
    visit = add_visit(db, eid, VisitInput(D(2026, 5, 10), visitors="蒋明伟", summary="了解研发投入",
                                          issues=(IssueInput("用地需求", "要素保障", D(2026, 6, 10)),
                                                  IssueInput("人才公寓"))), today=TODAY)
    assert visit.open_issues == 2
    with pytest.raises(ValidationError) as err:
        close_issue(db, visit.issues[0].id, status="待办", closed_on=D(2026, 7, 1), resolution="", today=TODAY)
    assert set(err.value.problems) == {"status", "closed_on", "resolution"}
    close_issue(db, visit.issues[0].id, status="已解决", closed_on=D(2026, 6, 1), resolution="已协调落实",
                today=TODAY)
    (again,) = list_visits(db, eid)
    assert again.open_issues == 1 and again.issues[0].resolution == "已协调落实"
    with pytest.raises(ValidationError, match="第1个问题"):
        add_visit(db, eid, VisitInput(D(2026, 5, 10), issues=(IssueInput("x", due_on=D(2026, 5, 1)),)), today=TODAY)


def test_saved_pre_reviews_are_listed_with_their_criteria(db: Database, eid: int) -> None:
    details = [{"criterion": "研发费用占比", "result": "fail", "value": "4.3%", "requirement": "≥ 5%"}]
    with unit_of_work(db, source="test") as session:
        session.add(PreReview(enterprise_id=eid, rule_set="national_hte", reviewed_on=D(2026, 3, 1), verdict="不符合",
                              details_json=json.dumps(details, ensure_ascii=False), advice="补充研发投入"))
        session.add(PreReview(enterprise_id=eid, rule_set="prov_tsme", reviewed_on=D(2026, 4, 1), verdict="待定",
                              details_json="not json"))
    first, second = list_pre_reviews(db, eid)
    assert (first.rule_set_name, first.criteria) == ("省科小", ())
    assert second.criteria[0].value == "4.3%" and second.rule_set_name == "国高企"


def test_annual_reports_and_type_catalogue(db: Database, eid: int) -> None:
    types = {t.code: t for t in qualification_types(db)}
    assert types["prov_tsme"].has_annual_report and types["national_hte"].describe_validity() == "自认定之日起3年"
    assert validity(types["national_tsme"], 2026, D(2026, 3, 1)) == (D(2026, 3, 1), D(2026, 12, 31))
    qid = add_qualification(db, eid, QualificationInput("prov_tsme", 2024, certified_on=D(2024, 5, 1)),
                            today=TODAY).id
    record_annual_report(db, qid, 2024, submitted_on=D(2025, 4, 1), today=TODAY)
    record_annual_report(db, qid, 2025, submitted_on=None, status="未报", today=TODAY)
    assert [(r.year, r.status, r.due_on) for r in list_annual_reports(db, qid)] == [
        (2025, "未报", D(2026, 5, 31)), (2024, "已报", D(2025, 5, 31))]
    with pytest.raises(ValidationError, match="报送日期"):
        record_annual_report(db, qid, 2025, submitted_on=None, today=TODAY)
    with pytest.raises(ValidationError, match="不能早于认定年度"):
        record_annual_report(db, qid, 2023, submitted_on=D(2024, 4, 1), today=TODAY)
    hte = add_qualification(db, eid, QualificationInput("national_hte", 2024, certified_on=D(2024, 5, 1)),
                            today=TODAY).id
    with pytest.raises(ValidationError, match="没有年报"):
        record_annual_report(db, hte, 2024, submitted_on=D(2025, 4, 1), today=TODAY)
