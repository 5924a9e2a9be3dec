"""Using a voucher (创新券使用): a service bought from a provider under a technology contract, with evidence.

The voucher covers at most the grant's balance and at most the rule's subsidy ratio of the amount actually paid
(``ratio × paid``, rounded down to the 分); :func:`use_limit` gives both figures and the sentence before saving.
The service must be one of the eligible kinds, bought from an active provider that is not related to the holder
(the city scheme: "向非关联的创新载体购买"), under a registered technology contract (合同登记编号; a patent agency's
service or one under 1,000 元 needs none). A contract number is used once. Evidence (contract, result, payment
proof) is attached to the use.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Enterprise, ServiceProvider, VoucherGrant, VoucherRedemption, VoucherUse
from models.db import Database
from services.attachments import AttachmentInfo, add_attachment
from services.errors import NotFoundError, UserFacingError, ValidationError
from services.session import read_session, unit_of_work
from services.text import normalize_name
from services.voucher_records import GrantDetail
from services.voucher_rules import SERVICE_TYPES, amount_problem, percent_text, ratio_limit, wan_text, year_rule
from services.vouchers import grant_detail, refresh_status

OWNER_TABLE = "voucher_use"
#: Services below this amount (万元) need no registered contract (only the result and the payment proof).
SMALL_SERVICE_WAN = Decimal("0.1")
#: Services that are not technology contracts and need no registration number.
UNREGISTERED_SERVICES = ("专利代理",)
USE_LABELS = {"provider_id": "服务机构", "service_type": "服务类型", "contract_no": "合同登记号",
              "contract_amount_wan": "合同金额", "paid_amount_wan": "实际支付金额",
              "voucher_amount_wan": "使用创新券金额",
              "used_on": "使用日期", "related_party": "关联关系", "notes": "备注"}
_CONTRACT_NO = re.compile(r"^[0-9A-Za-z\-]{4,40}$")


@dataclass(frozen=True)
class UseInput:
    """A use as a clerk enters it; amounts in 万元."""

    provider_id: int | None
    service_type: str
    contract_amount_wan: Decimal | None
    paid_amount_wan: Decimal | None
    voucher_amount_wan: Decimal | None
    used_on: dt.date | None
    contract_no: str | None = None
    related_party: bool = False
    notes: str | None = None


@dataclass(frozen=True)
class UseLimit:
    """What a use of a grant may cover: the balance, and the rule's share of what was paid."""

    voucher_no: str
    balance_wan: Decimal
    ratio: Decimal

    def max_for(self, paid_wan: Decimal) -> Decimal:
        return max(min(self.balance_wan, ratio_limit(paid_wan, self.ratio)), Decimal(0))

    def text(self, paid_wan: Decimal | None) -> str:
        """本次最多 3 万元（余额 5 万元；实际支付 10 万元 × 补助比例 30% = 3 万元）."""
        if paid_wan is None:
            return (f"余额 {wan_text(self.balance_wan)}；创新券最多抵实际支付额的 {percent_text(self.ratio)}")
        return (f"本次最多 {wan_text(self.max_for(paid_wan))}（余额 {wan_text(self.balance_wan)}；实际支付 "
                f"{wan_text(paid_wan)} × 补助比例 {percent_text(self.ratio)} = "
                f"{wan_text(ratio_limit(paid_wan, self.ratio))}）")

    def refusal(self, amount_wan: Decimal, paid_wan: Decimal) -> str:
        if amount_wan <= self.max_for(paid_wan):
            return ""
        return f"使用创新券 {wan_text(amount_wan)} 超过上限：{self.text(paid_wan)}"


def _contracts(session: Session) -> dict[str, tuple[int, str]]:
    """Contract number → (use, voucher number) of the stored uses, read once per unit of work (the column has no
    index, and an import checks every row; one unit of work stores at most the use it checks, or an import's rows,
    which the import checks against each other itself)."""
    memo: dict[str, tuple[int, str]] | None = session.info.get("voucher_contracts")
    if memo is None:
        memo = session.info["voucher_contracts"] = {
            number: (use_id, voucher_no) for number, use_id, voucher_no in session.execute(
                select(VoucherUse.contract_no, VoucherUse.id, VoucherGrant.voucher_no)
                .join(VoucherGrant, VoucherGrant.id == VoucherUse.grant_id)
                .where(VoucherUse.contract_no.is_not(None))).tuples()}
    return memo


def _limit(session: Session, grant: VoucherGrant, exclude_use_id: int | None) -> UseLimit:
    rule = year_rule(session, grant.year)[1]
    used = Decimal(0) if grant.id is None else session.scalar(select(func.sum(VoucherUse.voucher_amount_wan)).where(
        VoucherUse.grant_id == grant.id, VoucherUse.id != (exclude_use_id or 0))) or Decimal(0)
    return UseLimit(grant.voucher_no, (grant.amount_issued_wan or Decimal(0)) - used, rule.subsidy_ratio)


def use_limit(db: Database, grant_id: int, *, exclude_use_id: int | None = None) -> UseLimit:
    """The balance and ratio a use of ``grant_id`` is held to (``exclude_use_id``: the use being edited)."""
    with read_session(db) as session:
        grant = session.get(VoucherGrant, grant_id)
        if grant is None:
            raise NotFoundError(f"找不到编号为 {grant_id} 的创新券")
        return _limit(session, grant, exclude_use_id)


def _related(session: Session, grant: VoucherGrant, provider: ServiceProvider) -> bool:
    """The provider is the holder itself (same credit code or name): a related party."""
    if grant.enterprise_id is None:
        return False
    ent = session.get(Enterprise, grant.enterprise_id)
    assert ent is not None  # a grant's enterprise is never deleted outright
    return bool(ent.uscc and ent.uscc == provider.uscc) or ent.name_norm == normalize_name(provider.name)


def check_use(session: Session, grant: VoucherGrant, data: UseInput, today: dt.date,
              use_id: int | None) -> dict[str, str]:
    """Problems of a use of ``grant`` (which may be one not stored yet, as an import plans it), by field."""
    problems: dict[str, str] = {}
    provider = session.get(ServiceProvider, data.provider_id) if data.provider_id is not None else None
    if provider is None:
        problems["provider_id"] = "请从服务机构名录中选择服务机构"
    elif not provider.active:
        problems["provider_id"] = f"服务机构“{provider.name}”已停用，不能再使用创新券"
    elif data.related_party or _related(session, grant, provider):
        problems["related_party"] = (f"“{provider.name}”与申领单位存在关联关系：创新券须向非关联的服务机构购买服务，"
                                     "不能使用")
    if data.service_type not in SERVICE_TYPES:
        problems["service_type"] = f"服务类型应为：{'、'.join(SERVICE_TYPES)}"
    for key in ("contract_amount_wan", "paid_amount_wan", "voucher_amount_wan"):
        problem = amount_problem(getattr(data, key), USE_LABELS[key])
        if problem:
            problems[key] = problem
    if not problems.keys() & {"contract_amount_wan", "paid_amount_wan"} \
            and data.paid_amount_wan > data.contract_amount_wan:  # type: ignore[operator]
        problems["paid_amount_wan"] = "实际支付金额不能超过合同金额"
    number = (data.contract_no or "").strip().upper()
    small = data.contract_amount_wan is not None and data.contract_amount_wan < SMALL_SERVICE_WAN
    if not number and data.service_type not in UNREGISTERED_SERVICES and not small:
        problems["contract_no"] = "请填写技术合同登记编号（1000元以下的服务和专利代理可不填）"
    elif number and not _CONTRACT_NO.match(number):
        problems["contract_no"] = "合同登记号只能由字母、数字和“-”组成，4至40个字符"
    elif number:
        clash = _contracts(session).get(number)
        if clash is not None and clash[0] != use_id:
            problems["contract_no"] = f"合同登记号 {number} 已用于创新券 {clash[1]}，同一合同不能重复使用创新券"
    if data.used_on is None:
        problems["used_on"] = "请填写使用日期"
    elif data.used_on > today:
        problems["used_on"] = f"使用日期不能晚于今天（{today.isoformat()}）"
    elif grant.issued_on is not None and data.used_on < grant.issued_on:
        problems["used_on"] = f"使用日期不能早于发放日期（{grant.issued_on.isoformat()}）"
    if not problems:
        over = _limit(session, grant, use_id).refusal(data.voucher_amount_wan,  # type: ignore[arg-type]
                                                      data.paid_amount_wan)  # type: ignore[arg-type]
        if over:
            problems["voucher_amount_wan"] = over
    return problems


def _apply(use: VoucherUse, data: UseInput) -> None:
    use.provider_id = data.provider_id  # type: ignore[assignment]
    use.service_type = data.service_type
    use.contract_no = (data.contract_no or "").strip().upper() or None
    use.contract_amount_wan = data.contract_amount_wan  # type: ignore[assignment]
    use.paid_amount_wan = data.paid_amount_wan  # type: ignore[assignment]
    use.voucher_amount_wan = data.voucher_amount_wan  # type: ignore[assignment]
    use.used_on = data.used_on  # type: ignore[assignment]
    use.related_party = False
    use.notes = (data.notes or "").strip() or None


def _grant(session: Session, grant_id: int) -> VoucherGrant:
    grant = session.get(VoucherGrant, grant_id)
    if grant is None:
        raise NotFoundError(f"找不到编号为 {grant_id} 的创新券")
    return grant


def add_use(db: Database, grant_id: int, data: UseInput, *, user: str | None = None, source: str = "gui",
            today: dt.date | None = None) -> GrantDetail:
    """登记使用 on an issued grant, within its balance and the ratio of what was paid."""
    today = today or dt.date.today()
    with unit_of_work(db, user=user, source=source) as session:
        grant = _grant(session, grant_id)
        reason = grant_detail(session, grant.id).refusal("use", data.used_on)
        if reason:
            raise UserFacingError(reason)
        problems = check_use(session, grant, data, today, None)
        if problems:
            raise ValidationError(problems)
        use = VoucherUse(grant_id=grant.id)
        _apply(use, data)
        session.add(use)
        session.flush()
        refresh_status(session, grant)
        session.flush()
        return grant_detail(session, grant.id)


def _editable(session: Session, use_id: int) -> tuple[VoucherUse, VoucherGrant]:
    use = session.get(VoucherUse, use_id)
    if use is None:
        raise NotFoundError(f"找不到编号为 {use_id} 的使用记录")
    grant = _grant(session, use.grant_id)
    if grant.status in ("作废", "过期"):
        raise UserFacingError(f"创新券 {grant.voucher_no} 已{grant.status}，其使用记录不能再修改。")
    redeemed = session.scalar(select(func.count()).where(VoucherRedemption.use_id == use_id)) or 0
    if redeemed:
        raise UserFacingError("该使用记录已申请兑现，不能再修改或删除；如有错误，请在兑现审核中不予通过并说明原因。")
    return use, grant


def update_use(db: Database, use_id: int, data: UseInput, *, user: str | None = None,
               today: dt.date | None = None) -> GrantDetail:
    """Correct a use that has not been put forward for redemption."""
    today = today or dt.date.today()
    with unit_of_work(db, user=user) as session:
        use, grant = _editable(session, use_id)
        if data.used_on is not None and grant.expires_on is not None and data.used_on > grant.expires_on:
            raise ValidationError({"used_on": f"使用日期不能晚于有效期（{grant.expires_on.isoformat()}）"})
        problems = check_use(session, grant, data, today, use.id)
        if problems:
            raise ValidationError(problems)
        _apply(use, data)
        session.flush()
        return grant_detail(session, grant.id)


def delete_use(db: Database, use_id: int, *, user: str | None = None) -> GrantDetail:
    """Remove a use entered by mistake (not once it was put forward for redemption)."""
    with unit_of_work(db, user=user) as session:
        use, grant = _editable(session, use_id)
        session.delete(use)
        session.flush()
        refresh_status(session, grant)
        session.flush()
        return grant_detail(session, grant.id)


def add_evidence(db: Database, use_id: int, source: Path, *, category: str | None = None,
                 description: str | None = None, user: str | None = None) -> AttachmentInfo:
    """Attach a contract, service result or payment proof to a use."""
    with read_session(db) as session:
        if session.get(VoucherUse, use_id) is None:
            raise NotFoundError(f"找不到编号为 {use_id} 的使用记录")
    return add_attachment(db, OWNER_TABLE, use_id, source, category=category, description=description, user=user)
