"""Browsing the audit log: filter by record, user, date and import batch, one page at a time, with Chinese labels."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import Select, and_, func, or_, select

from models import AuditLog, Base, Carrier, Enterprise
from models.db import Database
from services.audit import CHILDREN
from services.carrier_plausibility import STAT_FIELDS
from services.session import read_session

ACTION_LABELS = {"insert": "新增", "update": "修改", "delete": "删除"}

TABLE_LABELS = {
    "enterprise": "企业",
    "enterprise_former_name": "曾用名",
    "enterprise_year_fact": "年度数据",
    "enterprise_qualification": "资质认定",
    "qualification_annual_report": "资质年报",
    "rd_institution": "研发机构",
    "pool_entry": "培育库",
    "pre_review": "预审",
    "visit": "走访",
    "visit_issue": "走访问题",
    "carrier": "载体",
    "carrier_recognition": "载体认定",
    "carrier_recognition_event": "载体认定变更",
    "carrier_period_stat": "载体统计",
    "tenancy": "在孵企业",
    "service_provider": "服务机构",
    "voucher_rule": "创新券规则",
    "voucher_grant": "创新券发放",
    "voucher_use": "创新券使用",
    "voucher_redemption": "创新券兑现",
    "payment_notice": "兑现通知",
    "payment": "兑现明细",
    "target": "目标",
    "import_batch": "导入批次",
    "import_mapping": "导入映射",
    "attachment": "附件",
    "app_user": "用户",
    "app_setting": "设置",
    "district": "区县",
    "subdistrict": "属地",
    "qualification_type": "资质类型",
}

#: Field labels shared by many tables; table-specific ones are looked up first in TABLE_FIELD_LABELS.
FIELD_LABELS = {
    "name": "名称", "uscc": "统一社会信用代码", "subdistrict_id": "属地", "district_id": "区县",
    "address": "地址", "registered_on": "注册日期", "registered_capital_wan": "注册资本(万元)",
    "industry_field_code": "行业领域", "legal_person": "法定代表人", "contact_person": "联系人",
    "contact_phone": "联系电话", "contact_email": "电子邮箱", "notes": "备注", "deleted_at": "删除时间",
    "uscc_check_override": "信用代码校验放行", "year": "年度", "revenue_wan": "营业收入(万元)",
    "rd_expense_wan": "研发费用(万元)", "rd_domestic_wan": "境内研发费用(万元)",
    "hitech_revenue_wan": "高新收入(万元)", "total_cost_wan": "成本费用(万元)", "net_assets_wan": "净资产(万元)",
    "total_assets_wan": "资产总额(万元)", "staff_avg": "职工人数", "st_staff_avg": "科技人员数",
    "ip_class1": "Ⅰ类知识产权", "ip_class2": "Ⅱ类知识产权", "invention_patents_granted": "发明专利授权",
    "size_class": "规模类别", "type_code": "资质类型", "batch": "批次", "application_kind": "申报类别",
    "applied_on": "申报日期", "reviewed_on": "评审日期", "publicized_on": "公示日期", "certified_on": "认定日期",
    "certificate_no": "证书编号", "valid_from": "有效期起", "valid_to": "有效期至", "status": "状态",
    "revoked_on": "撤销日期", "tier": "梯队", "value": "值", "amount_total_wan": "总额(万元)",
    "amount_city_wan": "市级(万元)", "amount_district_wan": "区级(万元)", "required": "新增数",
    "stretch": "力争数", "name_norm": "名称(比对用)", "name_initials": "拼音首字母",
    # carriers, their recognitions, statistics and tenants
    "kind_code": "类型", "operator_name": "运营机构", "operator_enterprise_id": "运营机构(企业库编号)",
    "area_m2": "面积(㎡)", "specialization": "专业方向", "established_on": "成立日期", "level": "级别",
    "subtype": "类别", "recognized_on": "认定日期", "ended_on": "终止日期", "doc_no": "文号", "changed_on": "变更日期",
    "quarter": "季度", "submitted_on": "报送日期", "entered_on": "入驻日期", "left_on": "离开日期",
    "exit_kind": "毕业/退出", "graduation_criteria": "毕业条件", "incubation_months": "孵化期(月)",
}
#: Labels of one table's fields where they differ from FIELD_LABELS (a carrier's revenue is its tenants').
TABLE_FIELD_LABELS = {
    "carrier_period_stat": {key: f"{label}({unit})" for key, (label, unit) in STAT_FIELDS.items()},
}


def field_label(table: str | None, field: str) -> str:
    """The Chinese label of ``field`` of ``table``."""
    own = TABLE_FIELD_LABELS.get(table or "", {})
    return own.get(field) or FIELD_LABELS.get(field, field)


@dataclass(frozen=True)
class AuditFilter:
    """What to show; every field left None means 'any'."""

    subject_table: str | None = None
    subject_id: int | None = None
    table_name: str | None = None
    user: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    batch_id: int | None = None
    #: Further entries that belong to the subject (ids of the log): a carrier's tenancies are filed under their
    #: enterprise, and show in the carrier's history through this.
    also: tuple[int, ...] = ()


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    user: str
    action: str
    table: str
    row_id: str
    subject: str
    field: str
    old: str
    new: str
    source: str
    batch_id: int | None


@dataclass(frozen=True)
class AuditPage:
    total: int
    rows: tuple[AuditRow, ...]


def display_value(raw: str | None, table: str | None = None) -> str:
    """A logged JSON value as a person reads it (a whole inserted or deleted record is summarised)."""
    if raw is None:
        return ""
    try:
        value = json.loads(raw)
    except ValueError:
        return raw
    if isinstance(value, dict):
        children = value.pop(CHILDREN, None) or {}
        shown = [f"{field_label(table, k)}：{v}" for k, v in value.items()
                 if v not in (None, "", False) and k not in ("id", "name_norm", "name_initials", "version")]
        if children:
            made = (f"{TABLE_LABELS.get(t, t)} {len(rows)} 条" for t, rows in children.items())
            shown.append("同时新增" + "、".join(made))
        return "；".join(shown)
    if isinstance(value, bool):
        return "是" if value else "否"
    return "" if value is None else str(value)


def _filtered(stmt: Select, f: AuditFilter) -> Select:  # type: ignore[type-arg]
    if f.subject_table:
        subject = AuditLog.subject_table == f.subject_table
        if f.subject_id is not None:
            subject = and_(subject, AuditLog.subject_id == str(f.subject_id))
        if f.also:
            subject = or_(subject, AuditLog.id.in_(f.also))
        stmt = stmt.where(subject)
    if f.table_name:
        stmt = stmt.where(AuditLog.table_name == f.table_name)
    if f.user:
        stmt = stmt.where(AuditLog.user == f.user)
    if f.date_from:
        start = dt.datetime.combine(f.date_from, dt.time.min).astimezone(dt.UTC)
        stmt = stmt.where(AuditLog.at >= start)
    if f.date_to:
        end = dt.datetime.combine(f.date_to + dt.timedelta(days=1), dt.time.min).astimezone(dt.UTC)
        stmt = stmt.where(AuditLog.at < end)
    if f.batch_id is not None:
        stmt = stmt.where(AuditLog.batch_id == f.batch_id)
    return stmt


def query_audit(db: Database, f: AuditFilter, *, offset: int = 0, limit: int = 200) -> AuditPage:
    """Newest first; ``total`` counts every matching entry."""
    with read_session(db) as session:
        total = session.scalar(_filtered(select(func.count()).select_from(AuditLog), f)) or 0
        entries = list(session.scalars(
            _filtered(select(AuditLog), f).order_by(AuditLog.id.desc()).offset(offset).limit(limit)))
        names = _subject_names(session, entries)
    rows = tuple(
        AuditRow(
            id=e.id, at=e.at, user=e.user, action=ACTION_LABELS.get(e.action, e.action),
            table=TABLE_LABELS.get(e.table_name, e.table_name), row_id=e.row_id,
            subject=names.get((e.subject_table, e.subject_id), ""),
            field=field_label(e.table_name, e.field) if e.field else "（整条记录）",
            old=display_value(e.old_value, e.table_name), new=display_value(e.new_value, e.table_name),
            source=e.source, batch_id=e.batch_id,
        )
        for e in entries
    )
    return AuditPage(total, rows)


def _subject_names(session, entries: list[AuditLog]) -> dict[tuple[str | None, str | None], str]:  # type: ignore[no-untyped-def]
    """Names of the enterprises and carriers the entries belong to (deleted ones included)."""
    wanted: dict[str, set[int]] = {}
    for e in entries:
        if e.subject_table in ("enterprise", "carrier") and e.subject_id and e.subject_id.isdigit():
            wanted.setdefault(e.subject_table, set()).add(int(e.subject_id))
    names: dict[tuple[str | None, str | None], str] = {}
    models: dict[str, type[Base]] = {"enterprise": Enterprise, "carrier": Carrier}
    for table, ids in wanted.items():
        model = models[table]
        for row_id, name in session.execute(select(model.id, model.name).where(model.id.in_(ids))):  # type: ignore[attr-defined]
            names[(table, str(row_id))] = name
    return names


def audit_users(db: Database) -> list[str]:
    with read_session(db) as session:
        return list(session.scalars(select(AuditLog.user).distinct().order_by(AuditLog.user)))


def audited_tables(db: Database) -> list[tuple[str, str]]:
    """(table, Chinese label) of the tables that have entries."""
    with read_session(db) as session:
        tables = session.scalars(select(AuditLog.table_name).distinct())
        return sorted(((t, TABLE_LABELS.get(t, t)) for t in tables), key=lambda p: p[1])
