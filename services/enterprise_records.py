"""What the bureau records around an enterprise: R&D institutions, cultivation pools, pre-reviews and visits.

Each function is one unit of work and returns frozen records; bad input raises
:class:`services.errors.ValidationError` naming each field's rule in Chinese. Changes are audited with the
enterprise as subject (its history shows them). Saved pre-reviews are only listed here: the pre-screening
(:mod:`services.prescreen`) writes them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, fields
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import (
    Enterprise,
    PoolEntry,
    PreReview,
    QualificationType,
    RDInstitution,
    Subdistrict,
    Visit,
    VisitIssue,
)
from models.db import Database
from models.enterprise import POOL_KINDS
from models.reference import LEVELS
from services.errors import NotFoundError, ValidationError
from services.record_checks import optional_text
from services.session import read_session, unit_of_work
from services.text import blank

RD_KINDS = ("省级重点企业研究院", "省级企业研究院", "省级企业研发中心", "市级企业研发中心", "区级企业研发中心",
            "企业技术中心", "重点实验室", "工程技术研究中心", "院士专家工作站", "博士后工作站")
RD_STATUSES = ("培育", "认定", "撤销")
POOL_SOURCES = ("街道推荐", "摸排", "税务/统计筛选", "企业自荐")
POOL_EXIT_REASONS = ("申报", "认定", "不符合", "迁出")
VISIT_KINDS = ("走访", "入企辅导", "电话", "座谈")
ISSUE_OPEN = ("待办", "办理中")
ISSUE_CLOSED = ("已解决", "无法解决")


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def _require_enterprise(session: Session, enterprise_id: int) -> None:
    if session.get(Enterprise, enterprise_id) is None:
        raise NotFoundError(f"找不到编号为 {enterprise_id} 的企业")


# -- R&D institutions -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RDInstitutionInput:
    name: str
    kind: str
    level: str
    approved_year: int | None = None
    approved_on: dt.date | None = None
    status: str = "认定"
    last_evaluated_year: int | None = None
    evaluation_result: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class RDInstitutionRecord(RDInstitutionInput):
    id: int = 0
    enterprise_id: int = 0


def _check_rd(data: RDInstitutionInput, today: dt.date) -> dict[str, str]:
    problems: dict[str, str] = {}
    if blank(data.name):
        problems["name"] = "研发机构名称不能为空"
    if blank(data.kind):
        problems["kind"] = "请选择研发机构类别"
    if data.level not in LEVELS:
        problems["level"] = f"级别应为：{'、'.join(LEVELS)}"
    if data.status not in RD_STATUSES:
        problems["status"] = f"状态应为：{'、'.join(RD_STATUSES)}"
    for name, label in (("approved_year", "认定年度"), ("last_evaluated_year", "绩效评价年度")):
        year = getattr(data, name)
        if year is not None and not 1990 <= year <= today.year:
            problems[name] = f"{label}应在1990年至{today.year}年之间"
    if data.approved_on is not None and data.approved_on > today:
        problems["approved_on"] = "认定日期不能晚于今天"
    return problems


def _rd(row: RDInstitution) -> RDInstitutionRecord:
    return RDInstitutionRecord(
        name=row.name, kind=row.kind, level=row.level, approved_year=row.approved_year, approved_on=row.approved_on,
        status=row.status, last_evaluated_year=row.last_evaluated_year, evaluation_result=row.evaluation_result,
        notes=row.notes, id=row.id, enterprise_id=row.enterprise_id)


def list_rd_institutions(db: Database, enterprise_id: int) -> list[RDInstitutionRecord]:
    r = RDInstitution
    with read_session(db) as session:
        return [_rd(x) for x in session.scalars(
            select(r).where(r.enterprise_id == enterprise_id).order_by(r.approved_year.desc(), r.id))]


def save_rd_institution(db: Database, enterprise_id: int, data: RDInstitutionInput, *, record_id: int | None = None,
                        user: str | None = None, today: dt.date | None = None) -> RDInstitutionRecord:
    """Add an R&D institution, or change the one with ``record_id``."""
    problems = _check_rd(data, _today(today))
    if problems:
        raise ValidationError(problems)
    with unit_of_work(db, user=user) as session:
        _require_enterprise(session, enterprise_id)
        if record_id is None:
            row = RDInstitution(enterprise_id=enterprise_id)
            session.add(row)
        else:
            found = session.get(RDInstitution, record_id)
            if found is None or found.enterprise_id != enterprise_id:
                raise NotFoundError(f"找不到编号为 {record_id} 的研发机构")
            row = found
        for f in fields(RDInstitutionInput):
            value = getattr(data, f.name)
            setattr(row, f.name, optional_text(value) if isinstance(value, str) else value)
        session.flush()
        return _rd(row)


# -- pools ----------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PoolInput:
    pool_kind: str
    year: int
    entered_on: dt.date
    target_type_code: str | None = "national_hte"
    source: str | None = None
    subdistrict_id: int | None = None


@dataclass(frozen=True)
class PoolRecord:
    id: int
    enterprise_id: int
    pool_kind: str
    year: int
    target_type_code: str | None
    target_type: str | None
    source: str | None
    subdistrict: str | None
    entered_on: dt.date
    left_on: dt.date | None
    exit_reason: str | None

    def current(self, day: dt.date) -> bool:
        """In the pool on ``day``."""
        return self.entered_on <= day and (self.left_on is None or self.left_on > day)


def list_pool_entries(db: Database, enterprise_id: int) -> list[PoolRecord]:
    p = PoolEntry
    stmt = (
        select(p, QualificationType.short_name, Subdistrict.name)
        .outerjoin(QualificationType, QualificationType.code == p.target_type_code)
        .outerjoin(Subdistrict, Subdistrict.id == p.subdistrict_id)
        .where(p.enterprise_id == enterprise_id)
        .order_by(p.entered_on.desc(), p.id.desc())
    )
    with read_session(db) as session:
        return [_pool(row, short, sub) for row, short, sub in session.execute(stmt).tuples()]


def _pool(row: PoolEntry, target: str | None, subdistrict: str | None) -> PoolRecord:
    return PoolRecord(row.id, row.enterprise_id, row.pool_kind, row.year, row.target_type_code, target, row.source,
                      subdistrict, row.entered_on, row.left_on, row.exit_reason)


def add_pool_entry(db: Database, enterprise_id: int, data: PoolInput, *, user: str | None = None,
                   today: dt.date | None = None) -> PoolRecord:
    """Put the enterprise into a pool; refused while it is already in a pool of that kind for that year."""
    day = _today(today)
    problems: dict[str, str] = {}
    if data.pool_kind not in POOL_KINDS:
        problems["pool_kind"] = f"培育库类别应为：{'、'.join(POOL_KINDS)}"
    if not 1990 <= data.year <= day.year + 1:
        problems["year"] = f"年度应在1990年至{day.year + 1}年之间"
    if data.entered_on > day:
        problems["entered_on"] = "入库日期不能晚于今天"
    if problems:
        raise ValidationError(problems)
    with unit_of_work(db, user=user) as session:
        _require_enterprise(session, enterprise_id)
        if data.target_type_code and session.get(QualificationType, data.target_type_code) is None:
            raise ValidationError({"target_type_code": "目标资质类型不存在"})
        p = PoolEntry
        already = session.scalar(select(p.id).where(
            p.enterprise_id == enterprise_id, p.pool_kind == data.pool_kind, p.year == data.year,
            p.left_on.is_(None)))
        if already is not None:
            raise ValidationError({"pool_kind": f"该企业已在{data.year}年{data.pool_kind}中"})
        row = PoolEntry(enterprise_id=enterprise_id, **{f.name: getattr(data, f.name) for f in fields(data)})
        session.add(row)
        session.flush()
        target = session.get(QualificationType, data.target_type_code) if data.target_type_code else None
        sub = session.get(Subdistrict, data.subdistrict_id) if data.subdistrict_id else None
        return _pool(row, target.short_name if target else None, sub.name if sub else None)


def leave_pool(db: Database, entry_id: int, *, left_on: dt.date, exit_reason: str, user: str | None = None,
               today: dt.date | None = None) -> None:
    """Record that the enterprise left the pool (申报, 认定, 不符合, 迁出)."""
    problems: dict[str, str] = {}
    if exit_reason not in POOL_EXIT_REASONS:
        problems["exit_reason"] = f"出库原因应为：{'、'.join(POOL_EXIT_REASONS)}"
    if left_on > _today(today):
        problems["left_on"] = "出库日期不能晚于今天"
    if problems:
        raise ValidationError(problems)
    with unit_of_work(db, user=user) as session:
        row = session.get(PoolEntry, entry_id)
        if row is None:
            raise NotFoundError(f"找不到编号为 {entry_id} 的培育库记录")
        if left_on < row.entered_on:
            raise ValidationError({"left_on": f"出库日期不能早于入库日期（{row.entered_on.isoformat()}）"})
        row.left_on = left_on
        row.exit_reason = exit_reason


# -- pre-reviews ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CriterionResult:
    """One criterion of a saved pre-review, as it was saved."""

    criterion: str
    result: str
    value: str
    requirement: str


@dataclass(frozen=True)
class PreReviewRecord:
    id: int
    rule_set: str
    rule_set_name: str
    rule_version: str | None
    reviewed_on: dt.date
    reviewer: str | None
    verdict: str
    score: Decimal | None
    advice: str | None
    criteria: tuple[CriterionResult, ...]


def _criteria(details_json: str | None) -> tuple[CriterionResult, ...]:
    try:
        items = json.loads(details_json) if details_json else []
    except ValueError:
        return ()
    if not isinstance(items, list):
        return ()
    return tuple(
        CriterionResult(str(i.get("criterion", "")), str(i.get("result", "")), str(i.get("value", "")),
                        str(i.get("requirement", "")))
        for i in items if isinstance(i, dict)
    )


def list_pre_reviews(db: Database, enterprise_id: int) -> list[PreReviewRecord]:
    """Saved pre-reviews of the enterprise, newest first."""
    p = PreReview
    with read_session(db) as session:
        names = dict(session.execute(select(QualificationType.code, QualificationType.short_name)).tuples().all())
        return [
            PreReviewRecord(r.id, r.rule_set, names.get(r.rule_set, r.rule_set), r.rule_version, r.reviewed_on,
                            r.reviewer, r.verdict, r.score, r.advice, _criteria(r.details_json))
            for r in session.scalars(
                select(p).where(p.enterprise_id == enterprise_id).order_by(p.reviewed_on.desc(), p.id.desc()))
        ]


# -- visits ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IssueRecord:
    id: int
    visit_id: int
    description: str
    category: str | None
    status: str
    due_on: dt.date | None
    closed_on: dt.date | None
    resolution: str | None

    @property
    def open(self) -> bool:
        return self.status in ISSUE_OPEN


@dataclass(frozen=True)
class VisitRecord:
    id: int
    enterprise_id: int
    visited_on: dt.date
    kind: str
    visitors: str | None
    summary: str | None
    issues: tuple[IssueRecord, ...]

    @property
    def open_issues(self) -> int:
        return sum(1 for i in self.issues if i.open)


@dataclass(frozen=True)
class IssueInput:
    description: str
    category: str | None = None
    due_on: dt.date | None = None


@dataclass(frozen=True)
class VisitInput:
    visited_on: dt.date
    kind: str = "走访"
    visitors: str | None = None
    summary: str | None = None
    issues: tuple[IssueInput, ...] = ()


def _issue(row: VisitIssue) -> IssueRecord:
    return IssueRecord(row.id, row.visit_id, row.description, row.category, row.status, row.due_on, row.closed_on,
                       row.resolution)


def _visit(row: Visit) -> VisitRecord:
    return VisitRecord(row.id, row.enterprise_id, row.visited_on, row.kind, row.visitors, row.summary,
                       tuple(_issue(i) for i in sorted(row.issues, key=lambda i: i.id)))


def list_visits(db: Database, enterprise_id: int) -> list[VisitRecord]:
    """Visits, newest first, each with its issues."""
    v = Visit
    with read_session(db) as session:
        return [_visit(r) for r in session.scalars(
            select(v).options(selectinload(v.issues)).where(v.enterprise_id == enterprise_id)
            .order_by(v.visited_on.desc(), v.id.desc()))]


def add_visit(db: Database, enterprise_id: int, data: VisitInput, *, user: str | None = None,
              today: dt.date | None = None) -> VisitRecord:
    """Record a visit and the issues raised on it."""
    day = _today(today)
    problems: dict[str, str] = {}
    if data.visited_on > day:
        problems["visited_on"] = "走访日期不能晚于今天"
    if data.kind not in VISIT_KINDS:
        problems["kind"] = f"走访方式应为：{'、'.join(VISIT_KINDS)}"
    for n, issue in enumerate(data.issues, start=1):
        if blank(issue.description):
            problems["issues"] = f"第{n}个问题没有内容"
        elif issue.due_on is not None and issue.due_on < data.visited_on:
            problems["issues"] = f"第{n}个问题的办理期限早于走访日期"
    if problems:
        raise ValidationError(problems)
    with unit_of_work(db, user=user) as session:
        _require_enterprise(session, enterprise_id)
        row = Visit(enterprise_id=enterprise_id, visited_on=data.visited_on, kind=data.kind,
                    visitors=optional_text(data.visitors), summary=optional_text(data.summary))
        row.issues = [VisitIssue(description=i.description.strip(), category=optional_text(i.category),
                                 due_on=i.due_on)
                      for i in data.issues]
        session.add(row)
        session.flush()
        return _visit(row)


def close_issue(db: Database, issue_id: int, *, status: str, closed_on: dt.date, resolution: str | None,
                user: str | None = None, today: dt.date | None = None) -> IssueRecord:
    """Close an issue (销号): solved or not solvable, with the day and what was done."""
    problems: dict[str, str] = {}
    if status not in ISSUE_CLOSED:
        problems["status"] = f"办结状态应为：{'、'.join(ISSUE_CLOSED)}"
    if closed_on > _today(today):
        problems["closed_on"] = "办结日期不能晚于今天"
    if blank(resolution):
        problems["resolution"] = "请写明办理结果"
    if problems:
        raise ValidationError(problems)
    with unit_of_work(db, user=user) as session:
        row = session.get(VisitIssue, issue_id)
        if row is None:
            raise NotFoundError(f"找不到编号为 {issue_id} 的走访问题")
        visit = session.get(Visit, row.visit_id)
        if visit is not None and closed_on < visit.visited_on:
            raise ValidationError({"closed_on": f"办结日期不能早于走访日期（{visit.visited_on.isoformat()}）"})
        row.status = status
        row.closed_on = closed_on
        row.resolution = optional_text(resolution)
        session.flush()
        return _issue(row)
