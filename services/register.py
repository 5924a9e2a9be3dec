"""The enterprise register: create, update, soft delete, restore, read and search enterprises.

Every function is one unit of work (one transaction) and returns frozen dataclasses from :mod:`services.dto`.
Validation explains itself: :class:`services.errors.ValidationError` maps each bad field to the rule in Chinese.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from sqlalchemy import Select, exists, false, func, or_, select
from sqlalchemy.orm import Session, selectinload

from models import (
    AuditLog,
    District,
    Enterprise,
    EnterpriseFormerName,
    IndustryField,
    Subdistrict,
)
from models.db import Database
from services.dto import AuditEntry, EnterpriseDetail, EnterpriseInput, EnterpriseRow
from services.errors import ConflictError, NotFoundError, ValidationError
from services.record_checks import founding_problem, name_problem, optional_text, place_problems, restore, soft_delete
from services.session import read_session, unit_of_work
from services.text import blank, clean_name, normalize_name, pinyin_initials
from services.uscc import HANGZHOU_CODES, check_uscc, normalize_uscc

FIELD_LABELS = {
    "name": "企业名称",
    "uscc": "统一社会信用代码",
    "subdistrict_id": "属地",
    "district_id": "所属区县",
    "address": "地址",
    "registered_on": "注册日期",
    "registered_capital_wan": "注册资本",
    "industry_field_code": "行业领域",
    "legal_person": "法定代表人",
    "contact_person": "联系人",
    "contact_phone": "联系电话",
    "contact_email": "电子邮箱",
    "notes": "备注",
    "former_names": "曾用名",
}

_PHONE = re.compile(r"^[0-9+()（）\-\s转,，/]{5,40}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _normalized_input(data: EnterpriseInput) -> EnterpriseInput:
    return replace(
        data,
        name=clean_name(data.name or ""),
        uscc=normalize_uscc(data.uscc) if not blank(data.uscc) else None,
        address=optional_text(data.address),
        legal_person=optional_text(data.legal_person),
        contact_person=optional_text(data.contact_person),
        contact_phone=optional_text(data.contact_phone),
        contact_email=optional_text(data.contact_email),
        notes=optional_text(data.notes),
        industry_field_code=optional_text(data.industry_field_code),
        former_names=tuple(dict.fromkeys(clean_name(n) for n in data.former_names if not blank(n))),
    )


def validate(session: Session, data: EnterpriseInput, *, enterprise_id: int | None = None,
             today: dt.date | None = None) -> dict[str, str]:
    """Problems of an (already normalised) input, as {field: Chinese rule}. Empty when valid."""
    today = today or dt.date.today()
    problems: dict[str, str] = {}
    if name := name_problem(session, Enterprise, data.name, "企业名称", record_id=enterprise_id):
        problems["name"] = name
    if data.uscc:
        check = check_uscc(data.uscc)
        if not check.ok and not data.allow_invalid_uscc:
            problems["uscc"] = check.reason
        elif len(data.uscc) != 18:
            problems["uscc"] = check.reason
        else:
            owner = select(Enterprise.id, Enterprise.name).where(Enterprise.uscc == data.uscc)
            if enterprise_id is not None:
                owner = owner.where(Enterprise.id != enterprise_id)
            clash = session.execute(owner.limit(1)).first()
            if clash:
                problems["uscc"] = f"统一社会信用代码已被“{clash.name}”（编号 {clash.id}）使用"
    problems.update(place_problems(session, data))
    if data.industry_field_code and session.get(IndustryField, data.industry_field_code) is None:
        problems["industry_field_code"] = "行业领域应为八大高新技术领域之一"
    if registered := founding_problem(data.registered_on, "注册日期", today):
        problems["registered_on"] = registered
    if data.registered_capital_wan is not None and data.registered_capital_wan < 0:
        problems["registered_capital_wan"] = "注册资本不能为负数"
    if data.contact_phone and not _PHONE.match(data.contact_phone):
        problems["contact_phone"] = "联系电话只能包含数字、空格、“-”、“+”和括号"
    if data.contact_email and not _EMAIL.match(data.contact_email):
        problems["contact_email"] = "电子邮箱格式不正确"
    return problems


def _apply(session: Session, ent: Enterprise, data: EnterpriseInput) -> None:
    ent.name = data.name
    ent.name_norm = normalize_name(data.name)
    ent.uscc = data.uscc
    ent.uscc_check_override = bool(data.uscc) and not check_uscc(data.uscc or "").ok
    ent.subdistrict_id = data.subdistrict_id
    district_id = data.district_id
    if district_id is None and data.subdistrict_id is not None:
        district_id = session.scalar(select(Subdistrict.district_id).where(Subdistrict.id == data.subdistrict_id))
    ent.district_id = district_id
    ent.address = data.address
    ent.registered_on = data.registered_on
    ent.registered_capital_wan = data.registered_capital_wan
    ent.industry_field_code = data.industry_field_code
    ent.legal_person = data.legal_person
    ent.contact_person = data.contact_person
    ent.contact_phone = data.contact_phone
    ent.contact_email = data.contact_email
    ent.notes = data.notes
    current = {f.name_norm: f for f in ent.former_names}
    wanted = {normalize_name(n): n for n in data.former_names}
    for norm, former in current.items():
        if norm not in wanted:
            ent.former_names.remove(former)
    for norm, name in wanted.items():
        if norm not in current:
            ent.former_names.append(EnterpriseFormerName(name=name, name_norm=norm))
    ent.name_initials = " ".join([pinyin_initials(data.name), *(pinyin_initials(n) for n in wanted.values())])


def _load(session: Session, enterprise_id: int) -> Enterprise:
    ent = session.scalar(
        select(Enterprise).options(selectinload(Enterprise.former_names)).where(Enterprise.id == enterprise_id)
    )
    if ent is None:
        raise NotFoundError(f"找不到编号为 {enterprise_id} 的企业")
    return ent


def _detail(session: Session, ent: Enterprise) -> EnterpriseDetail:
    district = session.get(District, ent.district_id) if ent.district_id else None
    sub = session.get(Subdistrict, ent.subdistrict_id) if ent.subdistrict_id else None
    field = session.get(IndustryField, ent.industry_field_code) if ent.industry_field_code else None
    region = HANGZHOU_CODES.get(ent.uscc[2:8], "") if ent.uscc else ""
    return EnterpriseDetail(
        id=ent.id, version=ent.version, name=ent.name, uscc=ent.uscc,
        uscc_check_override=ent.uscc_check_override, uscc_region=region,
        district_id=ent.district_id, district=district.name if district else None,
        subdistrict_id=ent.subdistrict_id, subdistrict=sub.name if sub else None,
        address=ent.address, registered_on=ent.registered_on, registered_capital_wan=ent.registered_capital_wan,
        industry_field_code=ent.industry_field_code, industry_field=field.name if field else None,
        legal_person=ent.legal_person, contact_person=ent.contact_person, contact_phone=ent.contact_phone,
        contact_email=ent.contact_email, notes=ent.notes,
        former_names=tuple(f.name for f in sorted(ent.former_names, key=lambda f: f.id or 0)),
        created_at=ent.created_at, updated_at=ent.updated_at, deleted_at=ent.deleted_at,
    )


def create_enterprise(db: Database, data: EnterpriseInput, *, source: str = "gui",
                      user: str | None = None) -> EnterpriseDetail:
    data = _normalized_input(data)
    with unit_of_work(db, source=source, user=user) as session:
        problems = validate(session, data)
        if problems:
            raise ValidationError(problems)
        ent = Enterprise(name=data.name, name_norm=normalize_name(data.name))
        ent.former_names = []
        _apply(session, ent, data)
        session.add(ent)
        session.flush()
        return _detail(session, ent)


def update_enterprise(db: Database, enterprise_id: int, data: EnterpriseInput, *, expected_version: int,
                      source: str = "gui", user: str | None = None) -> EnterpriseDetail:
    """Save changes made on top of version ``expected_version``; refuse if someone saved in between."""
    data = _normalized_input(data)
    with unit_of_work(db, source=source, user=user) as session:
        ent = _load(session, enterprise_id)
        if ent.version != expected_version:
            raise ConflictError(
                f"企业“{ent.name}”已被他人修改（您打开的是第 {expected_version} 版，现为第 {ent.version} 版）。"
                + _changes_since(session, ent, expected_version)
                + "您的修改未保存，请刷新后重新修改。"
            )
        if ent.deleted_at is not None:
            raise ValidationError({"name": f"企业“{ent.name}”已删除，请先恢复再修改"})
        problems = validate(session, data, enterprise_id=enterprise_id)
        if problems:
            raise ValidationError(problems)
        _apply(session, ent, data)
        session.flush()
        return _detail(session, ent)


def _changes_since(session: Session, ent: Enterprise, version: int) -> str:
    """What the saves after ``version`` changed, for the conflict message: "地址：一号 → 二号（李强 10:32）；…".

    Every save of an enterprise is one update of its row, logged with one timestamp, so the last
    ``ent.version - version`` distinct timestamps of its update entries are the saves the clerk has not seen.
    """
    from services.audit_query import FIELD_LABELS, display_value  # the audit page's labels and value text

    row = (AuditLog.table_name == "enterprise") & (AuditLog.row_id == str(ent.id)) & (AuditLog.action == "update")
    stamps = list(session.scalars(select(AuditLog.at).where(row).distinct().order_by(AuditLog.at.desc())
                                  .limit(max(ent.version - version, 0))))
    if not stamps:
        return ""
    entries = session.scalars(select(AuditLog).where(row, AuditLog.at.in_(stamps), AuditLog.field.not_in(
        ("name_norm", "name_initials"))).order_by(AuditLog.id))
    shown = [f"{FIELD_LABELS.get(e.field or '', e.field)}：{display_value(e.old_value) or '（空）'} → "
             f"{display_value(e.new_value) or '（空）'}（{e.user} {e.at.astimezone():%m-%d %H:%M}）" for e in entries]
    return ("对方修改了：" + "；".join(shown[:6]) + ("等。" if len(shown) > 6 else "。")) if shown else ""


def soft_delete_enterprise(db: Database, enterprise_id: int, *, source: str = "gui",
                           user: str | None = None) -> EnterpriseDetail:
    """Remove from the register; history, certifications and reports of past periods keep it."""
    with unit_of_work(db, source=source, user=user) as session:
        ent = _load(session, enterprise_id)
        soft_delete(session, ent)
        return _detail(session, ent)


def restore_enterprise(db: Database, enterprise_id: int, *, source: str = "gui",
                       user: str | None = None) -> EnterpriseDetail:
    with unit_of_work(db, source=source, user=user) as session:
        ent = _load(session, enterprise_id)
        restore(session, Enterprise, ent, "企业")
        return _detail(session, ent)


def get_enterprise(db: Database, enterprise_id: int) -> EnterpriseDetail:
    with read_session(db) as session:
        return _detail(session, _load(session, enterprise_id))


def _like(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, with LIKE's own wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def apply_search(stmt: Select, query: str) -> Select:  # type: ignore[type-arg]
    """Match every space-separated term against name, former names, credit code or pinyin initials."""
    for term in query.split():
        norm = normalize_name(term)
        like = _like(norm)
        stmt = stmt.where(
            or_(
                Enterprise.name_norm.ilike(like, escape="\\"),
                Enterprise.uscc.ilike(_like(normalize_uscc(term)), escape="\\"),
                # Initials hold Latin letters and digits only.
                Enterprise.name_initials.like(_like(norm.lower()), escape="\\") if norm.isascii() else false(),
                exists().where(
                    EnterpriseFormerName.enterprise_id == Enterprise.id,
                    EnterpriseFormerName.name_norm.ilike(like, escape="\\"),
                ),
            )
        )
    return stmt


def search_enterprise_ids(db: Database, query: str = "", *, subdistrict_id: int | None = None,
                          include_deleted: bool = False) -> list[int]:
    """Ids of matching enterprises in name order — what a lazy list model holds."""
    stmt = select(Enterprise.id)
    if not include_deleted:
        stmt = stmt.where(Enterprise.deleted_at.is_(None))
    if subdistrict_id is not None:
        stmt = stmt.where(Enterprise.subdistrict_id == subdistrict_id)
    stmt = apply_search(stmt, query.strip()).order_by(Enterprise.name_norm, Enterprise.id)
    with read_session(db) as session:
        return list(session.scalars(stmt))


def enterprise_rows(db: Database, ids: list[int]) -> list[EnterpriseRow]:
    """Rows for the given ids, in the order given (missing ids are left out)."""
    if not ids:
        return []
    stmt = (
        select(Enterprise.id, Enterprise.name, Enterprise.uscc, Subdistrict.name.label("sub"),
               IndustryField.name.label("field"), Enterprise.registered_on, Enterprise.deleted_at)
        .outerjoin(Subdistrict, Subdistrict.id == Enterprise.subdistrict_id)
        .outerjoin(IndustryField, IndustryField.code == Enterprise.industry_field_code)
        .where(Enterprise.id.in_(ids))
    )
    with read_session(db) as session:
        by_id = {
            r.id: EnterpriseRow(r.id, r.name, r.uscc, r.sub, r.field, r.registered_on, r.deleted_at is not None)
            for r in session.execute(stmt)
        }
    return [by_id[i] for i in ids if i in by_id]


def search_enterprises(db: Database, query: str = "", *, subdistrict_id: int | None = None,
                       include_deleted: bool = False, limit: int = 200) -> list[EnterpriseRow]:
    ids = search_enterprise_ids(db, query, subdistrict_id=subdistrict_id, include_deleted=include_deleted)
    return enterprise_rows(db, ids[:limit])


def count_enterprises(db: Database) -> int:
    with read_session(db) as session:
        return session.scalar(select(func.count()).where(Enterprise.deleted_at.is_(None))) or 0


def enterprise_history(db: Database, enterprise_id: int) -> list[AuditEntry]:
    """Changes of the enterprise and of everything that belongs to it (former names, facts …), newest first."""
    stmt = (
        select(AuditLog)
        .where(AuditLog.subject_table == "enterprise", AuditLog.subject_id == str(enterprise_id))
        .order_by(AuditLog.id.desc())
    )
    with read_session(db) as session:
        return [
            AuditEntry(a.at, a.user, a.action, a.table_name, a.row_id, a.field, a.old_value, a.new_value,
                       a.source, a.batch_id)
            for a in session.scalars(stmt)
        ]
