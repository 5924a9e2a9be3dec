"""The register of service providers (服务机构) that innovation vouchers are spent at.

A provider is one of the province's or city's innovation carriers (创新载体: 检测机构, 高校技术转移中心, 科技大市场 …;
DOMAIN §5.4) with its kind, level (国家/省/市/区) and whether vouchers may still be spent there. Names are unique
after normalisation; a provider that vouchers were spent at is deactivated, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import District, ServiceProvider, VoucherUse
from models.db import Database
from services.errors import NotFoundError, UserFacingError, ValidationError
from services.record_checks import optional_text
from services.session import read_session, unit_of_work
from services.text import clean_name, normalize_name, pinyin_initials
from services.uscc import check_uscc, normalize_uscc

LEVELS = ("国家", "省", "市", "区")
#: Kinds offered in the form (others may be typed).
KINDS = ("检测机构", "专利代理机构", "知识产权服务", "工业设计机构", "咨询机构", "研究院", "高校院所",
         "高校技术转移中心", "技术市场", "科技资源共享平台", "科技服务机构", "工程技术中心", "培训机构")
LABELS = {"name": "机构名称", "kind": "机构类别", "level": "级别", "uscc": "统一社会信用代码", "district": "所在区县",
          "contact": "联系人及电话", "notes": "备注"}


@dataclass(frozen=True)
class ProviderInput:
    """A provider as a clerk enters it; blank text means "not given"."""

    name: str
    kind: str
    level: str | None = None
    uscc: str | None = None
    district: str | None = None
    active: bool = True
    contact: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class ProviderInfo:
    """A provider with how much vouchers were spent there."""

    id: int
    name: str
    kind: str
    level: str | None
    uscc: str | None
    district: str | None
    active: bool
    contact: str | None
    notes: str | None
    uses: int
    voucher_wan: Decimal

    def matches(self, query: str) -> bool:
        """Every space-separated term in the name, its pinyin initials or the credit code."""
        initials = pinyin_initials(self.name)
        norm = normalize_name(self.name)
        return all(normalize_name(t) in norm or t.lower() in initials or (self.uscc and t.upper() in self.uscc)
                   for t in query.split())


def _check(session: Session, data: ProviderInput, provider_id: int | None) -> tuple[dict[str, str], int | None]:
    problems: dict[str, str] = {}
    name = clean_name(data.name or "")
    if not name:
        problems["name"] = "机构名称不能为空"
    elif len(name) > 200:
        problems["name"] = "机构名称不能超过200个字"
    else:
        norm = normalize_name(name)
        for other_id, other in session.execute(select(ServiceProvider.id, ServiceProvider.name)):
            if other_id != provider_id and normalize_name(other) == norm:
                problems["name"] = f"已有同名服务机构“{other}”（编号 {other_id}）"
                break
    kind = optional_text(data.kind)
    if not kind:
        problems["kind"] = "请填写机构类别，如检测机构、专利代理机构"
    elif len(kind) > 40:
        problems["kind"] = "机构类别不能超过40个字"
    level = optional_text(data.level)
    if level is not None and level not in LEVELS:
        problems["level"] = f"级别应为{'、'.join(LEVELS)}之一"
    uscc = optional_text(data.uscc)
    if uscc is not None:
        check = check_uscc(normalize_uscc(uscc))
        if not check.ok:
            problems["uscc"] = check.reason
    contact = optional_text(data.contact)
    if contact and len(contact) > 80:
        problems["contact"] = "联系人及电话不能超过80个字"
    district_id = None
    district = optional_text(data.district)
    if district is not None:
        district_id = session.scalar(select(District.id).where(District.name == district))
        if district_id is None:
            problems["district"] = f"“{district}”不是已知的区县"
    return problems, district_id


def _apply(row: ServiceProvider, data: ProviderInput, district_id: int | None) -> None:
    row.name = clean_name(data.name)
    row.kind = (optional_text(data.kind) or "")
    row.level = optional_text(data.level)
    uscc = optional_text(data.uscc)
    row.uscc = normalize_uscc(uscc) if uscc else None
    row.district_id = district_id
    row.active = data.active
    row.contact = optional_text(data.contact)
    row.notes = optional_text(data.notes)


def _info(session: Session, row: ServiceProvider) -> ProviderInfo:
    uses, amount = session.execute(select(func.count(VoucherUse.id), func.sum(VoucherUse.voucher_amount_wan))
                                   .where(VoucherUse.provider_id == row.id)).one()
    district = session.get(District, row.district_id) if row.district_id else None
    return ProviderInfo(row.id, row.name, row.kind, row.level, row.uscc, district.name if district else None,
                        row.active, row.contact, row.notes, uses, amount or Decimal(0))


def list_providers(db: Database, query: str = "", *, active_only: bool = False) -> list[ProviderInfo]:
    """Providers in name order, with their uses; ``query`` matches name, pinyin initials or credit code."""
    used = (select(VoucherUse.provider_id, func.count().label("n"), func.sum(VoucherUse.voucher_amount_wan)
                   .label("amount")).group_by(VoucherUse.provider_id).subquery())
    stmt = (select(ServiceProvider, District.name, used.c.n, used.c.amount)
            .outerjoin(District, District.id == ServiceProvider.district_id)
            .outerjoin(used, used.c.provider_id == ServiceProvider.id)
            .order_by(ServiceProvider.name))
    if active_only:
        stmt = stmt.where(ServiceProvider.active.is_(True))
    with read_session(db) as session:
        found = [ProviderInfo(p.id, p.name, p.kind, p.level, p.uscc, district, p.active, p.contact, p.notes,
                              n or 0, amount or Decimal(0))
                 for p, district, n, amount in session.execute(stmt).tuples()]
    return [p for p in found if p.matches(query)] if query.strip() else found


def create_provider(db: Database, data: ProviderInput, *, user: str | None = None) -> ProviderInfo:
    with unit_of_work(db, user=user) as session:
        problems, district_id = _check(session, data, None)
        if problems:
            raise ValidationError(problems)
        row = ServiceProvider()
        _apply(row, data, district_id)
        session.add(row)
        session.flush()
        return _info(session, row)


def update_provider(db: Database, provider_id: int, data: ProviderInput, *, user: str | None = None) -> ProviderInfo:
    with unit_of_work(db, user=user) as session:
        row = session.get(ServiceProvider, provider_id)
        if row is None:
            raise NotFoundError(f"找不到编号为 {provider_id} 的服务机构")
        problems, district_id = _check(session, data, provider_id)
        if problems:
            raise ValidationError(problems)
        _apply(row, data, district_id)
        session.flush()
        return _info(session, row)


def delete_provider(db: Database, provider_id: int, *, user: str | None = None) -> None:
    """Remove a provider entered by mistake; one that vouchers were spent at can only be deactivated."""
    with unit_of_work(db, user=user) as session:
        row = session.get(ServiceProvider, provider_id)
        if row is None:
            raise NotFoundError(f"找不到编号为 {provider_id} 的服务机构")
        uses = session.scalar(select(func.count()).where(VoucherUse.provider_id == provider_id)) or 0
        if uses:
            raise UserFacingError(f"服务机构“{row.name}”已有 {uses} 笔创新券使用记录，不能删除；"
                                  "如不再受理，请改为停用。")
        session.delete(row)
