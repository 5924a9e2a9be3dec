"""Certifications of an enterprise and its yearly facts: record, validate, compute validity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import select

from models import (
    Enterprise,
    EnterpriseQualification,
    EnterpriseYearFact,
    QualificationAnnualReport,
    QualificationType,
    Subdistrict,
)
from models.db import Database
from models.enterprise import APPLICATION_KINDS, QUALIFICATION_STATUSES
from services.errors import NotFoundError, ValidationError
from services.session import read_session, unit_of_work


@dataclass(frozen=True)
class QualificationInput:
    type_code: str
    year: int
    application_kind: str = "新申报"
    batch: str | None = None
    recommended_by_id: int | None = None
    applied_on: dt.date | None = None
    reviewed_on: dt.date | None = None
    publicized_on: dt.date | None = None
    certified_on: dt.date | None = None
    certificate_no: str | None = None
    status: str = "认定"
    tier: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class QualificationRecord:
    id: int
    enterprise_id: int
    type_code: str
    type_name: str
    year: int
    application_kind: str
    batch: str | None
    certified_on: dt.date | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    status: str
    certificate_no: str | None
    tier: str | None
    revoked_on: dt.date | None = None
    notes: str | None = None


class ValidityRule(Protocol):
    """What decides a qualification's validity: a :class:`QualificationType` or a :class:`QualificationTypeInfo`."""

    @property
    def validity_years(self) -> int | None: ...

    @property
    def lapses_year_end(self) -> bool: ...


@dataclass(frozen=True)
class QualificationTypeInfo:
    """A qualification type as forms show it (the catalogue row, without the ORM)."""

    code: str
    name: str
    short_name: str
    level: str
    validity_years: int | None
    lapses_year_end: bool
    has_annual_report: bool
    has_tiers: bool

    def describe_validity(self) -> str:
        """How long it is valid, in Chinese."""
        if self.lapses_year_end:
            return "当年有效，年末失效"
        if self.validity_years:
            return f"自认定之日起{self.validity_years}年"
        return "长期有效（不自动到期）"


def qualification_types(db: Database, *, active_only: bool = True) -> list[QualificationTypeInfo]:
    """The catalogue in its order."""
    t = QualificationType
    stmt = select(t).order_by(t.sort_order, t.code)
    if active_only:
        stmt = stmt.where(t.active.is_(True))
    with read_session(db) as session:
        return [QualificationTypeInfo(r.code, r.name, r.short_name, r.level, r.validity_years, r.lapses_year_end,
                                      r.has_annual_report, r.has_tiers) for r in session.scalars(stmt)]


def validity(qtype: ValidityRule, year: int, certified_on: dt.date | None) -> tuple[dt.date | None,
                                                                                   dt.date | None]:
    """(valid_from, valid_to) from the type: N years from certification less a day; or to the year's end."""
    if certified_on is None:
        return None, None
    if qtype.lapses_year_end:
        return certified_on, dt.date(year, 12, 31)
    if qtype.validity_years:
        try:
            end = certified_on.replace(year=certified_on.year + qtype.validity_years)
        except ValueError:  # 29 February
            end = certified_on.replace(year=certified_on.year + qtype.validity_years, day=28)
        return certified_on, end - dt.timedelta(days=1)
    return certified_on, None


def _check(data: QualificationInput, qtype: QualificationType | None, today: dt.date) -> dict[str, str]:
    problems: dict[str, str] = {}
    if qtype is None:
        problems["type_code"] = "资质类型不存在"
    if data.application_kind not in APPLICATION_KINDS:
        problems["application_kind"] = "申报类别应为“新申报”或“重新认定”"
    if data.status not in QUALIFICATION_STATUSES:
        problems["status"] = f"状态应为：{'、'.join(QUALIFICATION_STATUSES)}"
    if not 1990 <= data.year <= today.year + 1:
        problems["year"] = f"年度应在1990年至{today.year + 1}年之间"
    steps = [("applied_on", "申报日期"), ("reviewed_on", "评审日期"), ("publicized_on", "公示日期"),
             ("certified_on", "认定日期")]
    last: tuple[str, dt.date] | None = None
    for name, label in steps:
        value = getattr(data, name)
        if value is None:
            continue
        if value > today:
            problems[name] = f"{label}不能晚于今天"
        elif last is not None and value < last[1]:
            problems[name] = f"{label}不能早于{last[0]}"
        last = (label, value)
    if data.status == "认定" and data.certified_on is None:
        problems["certified_on"] = "状态为“认定”时须填写认定日期"
    if data.tier and qtype is not None and not qtype.has_tiers:
        problems["tier"] = f"“{qtype.short_name}”不分梯队"
    return problems


def add_qualification(db: Database, enterprise_id: int, data: QualificationInput, *, source: str = "gui",
                      user: str | None = None, today: dt.date | None = None) -> QualificationRecord:
    today = today or dt.date.today()
    with unit_of_work(db, source=source, user=user) as session:
        if session.get(Enterprise, enterprise_id) is None:
            raise NotFoundError(f"找不到编号为 {enterprise_id} 的企业")
        qtype = session.get(QualificationType, data.type_code)
        problems = _check(data, qtype, today)
        if data.recommended_by_id is not None and session.get(Subdistrict, data.recommended_by_id) is None:
            problems["recommended_by_id"] = "推荐单位不存在"
        if problems:
            raise ValidationError(problems)
        assert qtype is not None
        valid_from, valid_to = validity(qtype, data.year, data.certified_on)
        row = EnterpriseQualification(enterprise_id=enterprise_id, valid_from=valid_from, valid_to=valid_to,
                                      **{f.name: getattr(data, f.name) for f in fields(data)})
        session.add(row)
        session.flush()
        return _record(row, qtype)


def revoke_qualification(db: Database, qualification_id: int, on: dt.date, *, status: str = "撤销",
                         reason: str | None = None, user: str | None = None) -> QualificationRecord:
    if status not in ("撤销", "淘汰"):
        raise ValidationError({"status": "只能撤销或淘汰"})
    with unit_of_work(db, user=user) as session:
        row = session.get(EnterpriseQualification, qualification_id)
        if row is None:
            raise NotFoundError(f"找不到编号为 {qualification_id} 的资质记录")
        if row.certified_on is not None and on < row.certified_on:
            raise ValidationError({"revoked_on": "撤销日期不能早于认定日期"})
        row.status = status
        row.revoked_on = on
        if reason:
            row.notes = f"{row.notes}\n{reason}" if row.notes else reason
        session.flush()
        return _record(row, session.get(QualificationType, row.type_code))


def list_qualifications(db: Database, enterprise_id: int) -> list[QualificationRecord]:
    stmt = (
        select(EnterpriseQualification, QualificationType)
        .join(QualificationType)
        .where(EnterpriseQualification.enterprise_id == enterprise_id)
        .order_by(EnterpriseQualification.year.desc(), QualificationType.sort_order)
    )
    with read_session(db) as session:
        return [_record(q, t) for q, t in session.execute(stmt)]


def _record(row: EnterpriseQualification, qtype: QualificationType | None) -> QualificationRecord:
    return QualificationRecord(
        id=row.id, enterprise_id=row.enterprise_id, type_code=row.type_code,
        type_name=qtype.short_name if qtype else row.type_code, year=row.year,
        application_kind=row.application_kind, batch=row.batch, certified_on=row.certified_on,
        valid_from=row.valid_from, valid_to=row.valid_to, status=row.status, certificate_no=row.certificate_no,
        tier=row.tier, revoked_on=row.revoked_on, notes=row.notes,
    )


ANNUAL_REPORT_STATUSES = ("未报", "已报", "逾期")


def annual_report_due(year: int) -> dt.date:
    """When the 年报 on ``year`` is due: the end of May of the next year (RULES.md §1a)."""
    return dt.date(year + 1, 5, 31)


@dataclass(frozen=True)
class AnnualReport:
    """年报 of a qualification for one year."""

    id: int
    qualification_id: int
    year: int
    status: str
    due_on: dt.date | None
    submitted_on: dt.date | None


def list_annual_reports(db: Database, qualification_id: int) -> list[AnnualReport]:
    r = QualificationAnnualReport
    stmt = select(r).where(r.qualification_id == qualification_id).order_by(r.year.desc())
    with read_session(db) as session:
        return [AnnualReport(x.id, x.qualification_id, x.year, x.status, x.due_on, x.submitted_on)
                for x in session.scalars(stmt)]


def record_annual_report(db: Database, qualification_id: int, year: int, *, submitted_on: dt.date | None,
                         status: str = "已报", user: str | None = None,
                         today: dt.date | None = None) -> AnnualReport:
    """Record (or correct) the 年报 of ``year``; due the end of May of the next year."""
    today = today or dt.date.today()
    problems: dict[str, str] = {}
    if status not in ANNUAL_REPORT_STATUSES:
        problems["status"] = f"年报状态应为：{'、'.join(ANNUAL_REPORT_STATUSES)}"
    if not 1990 <= year <= today.year:
        problems["year"] = f"年报年度应在1990年至{today.year}年之间"
    if status == "已报" and submitted_on is None:
        problems["submitted_on"] = "状态为“已报”时须填写报送日期"
    if submitted_on is not None and submitted_on > today:
        problems["submitted_on"] = "报送日期不能晚于今天"
    if problems:
        raise ValidationError(problems)
    with unit_of_work(db, user=user) as session:
        qual = session.get(EnterpriseQualification, qualification_id)
        if qual is None:
            raise NotFoundError(f"找不到编号为 {qualification_id} 的资质记录")
        qtype = session.get(QualificationType, qual.type_code)
        if qtype is not None and not qtype.has_annual_report:
            raise ValidationError({"year": f"“{qtype.short_name}”没有年报"})
        if qual.certified_on is not None and year < qual.certified_on.year:
            raise ValidationError({"year": f"年报年度不能早于认定年度（{qual.certified_on.year}年）"})
        row = session.scalar(select(QualificationAnnualReport).where(
            QualificationAnnualReport.qualification_id == qualification_id, QualificationAnnualReport.year == year))
        if row is None:
            row = QualificationAnnualReport(qualification_id=qualification_id, year=year,
                                            due_on=annual_report_due(year))
            session.add(row)
        row.status = status
        row.submitted_on = submitted_on if status == "已报" else None
        session.flush()
        return AnnualReport(row.id, row.qualification_id, row.year, row.status, row.due_on, row.submitted_on)


@dataclass(frozen=True)
class YearFacts:
    """Figures of one year; None means unknown (never zero). Amounts in 万元."""

    year: int
    revenue_wan: Decimal | None = None
    rd_expense_wan: Decimal | None = None
    rd_domestic_wan: Decimal | None = None
    hitech_revenue_wan: Decimal | None = None
    total_cost_wan: Decimal | None = None
    net_assets_wan: Decimal | None = None
    total_assets_wan: Decimal | None = None
    staff_avg: int | None = None
    st_staff_avg: int | None = None
    ip_class1: int | None = None
    ip_class2: int | None = None
    invention_patents_granted: int | None = None
    size_class: str | None = None


FACT_LABELS = {
    "revenue_wan": "营业收入", "rd_expense_wan": "研发费用", "rd_domestic_wan": "境内研发费用",
    "hitech_revenue_wan": "高新技术产品(服务)收入", "total_cost_wan": "成本费用总额", "net_assets_wan": "净资产",
    "total_assets_wan": "资产总额", "staff_avg": "职工人数", "st_staff_avg": "科技人员数",
    "ip_class1": "Ⅰ类知识产权", "ip_class2": "Ⅱ类知识产权", "invention_patents_granted": "发明专利授权数",
}


#: Pairs of figures where the first is a part of the second.
_PARTS = (("rd_domestic_wan", "rd_expense_wan"), ("hitech_revenue_wan", "revenue_wan"),
          ("st_staff_avg", "staff_avg"), ("net_assets_wan", "total_assets_wan"))


def check_facts(facts: YearFacts, today: dt.date | None = None) -> dict[str, str]:
    """Problems of one year's figures, as {field: 中文规则}."""
    figures = {f.name: getattr(facts, f.name) for f in fields(facts) if f.name != "year"}
    return check_fact_values(facts.year, figures, today)


def check_fact_values(year: int, figures: Mapping[str, Any], today: dt.date | None = None) -> dict[str, str]:
    """:func:`check_facts` of figures given as field → value (absent fields unknown; the import's form)."""
    today = today or dt.date.today()
    problems: dict[str, str] = {}
    if not 1990 <= year <= today.year:
        problems["year"] = f"年度应在1990年至{today.year}年之间"
    for name, value in figures.items():
        if value is not None and name in FACT_LABELS and value < 0 and name != "net_assets_wan":
            problems[name] = f"{FACT_LABELS[name]}不能为负数"
    for part, whole in _PARTS:
        a, b = figures.get(part), figures.get(whole)
        if a is not None and b is not None and a > b and part not in problems:
            problems[part] = f"{FACT_LABELS[part]}不能大于{FACT_LABELS[whole]}"
    size_class = figures.get("size_class")
    if size_class is not None and size_class not in ("规上", "规下", "限上", "限下"):
        problems["size_class"] = "规模类别应为规上、规下、限上或限下"
    return problems


def set_year_facts(db: Database, enterprise_id: int, facts: YearFacts, *, source: str = "gui",
                   user: str | None = None) -> YearFacts:
    """Create or replace the figures of one year (fields left None are stored as unknown)."""
    problems = check_facts(facts)
    if problems:
        raise ValidationError(problems)
    with unit_of_work(db, source=source, user=user) as session:
        if session.get(Enterprise, enterprise_id) is None:
            raise NotFoundError(f"找不到编号为 {enterprise_id} 的企业")
        row = session.scalar(select(EnterpriseYearFact).where(EnterpriseYearFact.enterprise_id == enterprise_id,
                                                              EnterpriseYearFact.year == facts.year))
        if row is None:
            row = EnterpriseYearFact(enterprise_id=enterprise_id, year=facts.year)
            session.add(row)
        for f in fields(facts):
            if f.name != "year":
                setattr(row, f.name, getattr(facts, f.name))
        session.flush()
        return _facts(row)


def list_year_facts(db: Database, enterprise_id: int) -> list[YearFacts]:
    stmt = select(EnterpriseYearFact).where(EnterpriseYearFact.enterprise_id == enterprise_id)
    with read_session(db) as session:
        return [_facts(r) for r in session.scalars(stmt.order_by(EnterpriseYearFact.year.desc()))]


def fact_years(db: Database, row_ids: list[str]) -> dict[str, int]:
    """The year of each yearly-facts row (by id as the audit log writes it), for history lines."""
    ids = [int(i) for i in row_ids if i.isdigit()]
    if not ids:
        return {}
    with read_session(db) as session:
        rows = session.execute(select(EnterpriseYearFact.id, EnterpriseYearFact.year)
                               .where(EnterpriseYearFact.id.in_(ids))).tuples()
        return {str(i): year for i, year in rows}


def _facts(row: EnterpriseYearFact) -> YearFacts:
    return YearFacts(**{f.name: getattr(row, f.name) for f in fields(YearFacts)})
