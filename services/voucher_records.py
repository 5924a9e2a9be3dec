"""What the voucher services return, and the life-cycle rules they share with the screens.

A grant goes 申领 → 发放 → 使用 → 兑现 (DOMAIN §5.2); 作废 when withdrawn or voided, 过期 when its year ended unused.
Its status follows from its uses and their redemptions (:func:`settled_status`), and every step is allowed or
refused by one function (:func:`refusal`) that both the services and the screens ask, so a button is disabled for
exactly the reason the service would give.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

# Re-exported for the screens, which do not import models.
from models.voucher import GRANT_STATUSES as GRANT_STATUSES
from services.voucher_rules import VoucherRuleInfo, wan_text

HOLDER_KINDS = {"enterprise": "企业", "maker_team": "创客团队"}
#: Grants whose year-end still matters: not yet expired, voided or fully settled.
OPEN_STATUSES = ("申领", "发放", "使用")
#: Redemptions still on their way (counted as pending at year end).
PENDING_REDEMPTIONS = ("申请", "审核通过")
#: The steps a grant can take, by action key (for :func:`refusal`).
ACTIONS = {"issue": "发放", "use": "登记使用", "void": "作废", "redeem": "申请兑现"}


@dataclass(frozen=True)
class CapStatus:
    """How much of the year's cap a holder has left.

    Attributes:
        holder_kind: ``enterprise`` or ``maker_team``.
        holder_name: The enterprise's or the team's name.
        year: The cap's year.
        cap_wan: The rule's cap for this kind of holder.
        committed_wan: What the holder's other grants of the year take (issued amount, or applied while pending).
    """

    holder_kind: str
    holder_name: str
    year: int
    cap_wan: Decimal
    committed_wan: Decimal

    @property
    def remaining_wan(self) -> Decimal:
        return max(self.cap_wan - self.committed_wan, Decimal(0))

    def text(self) -> str:
        """该企业2025年已申领 15 万元，上限 20 万元，本次最多 5 万元."""
        return (f"该{HOLDER_KINDS[self.holder_kind]}{self.year}年已申领 {wan_text(self.committed_wan)}，"
                f"上限 {wan_text(self.cap_wan)}，本次最多 {wan_text(self.remaining_wan)}")

    def refusal(self, amount_wan: Decimal) -> str:
        """Why ``amount_wan`` cannot be granted ("" when it fits)."""
        if amount_wan <= self.remaining_wan:
            return ""
        return f"{self.text()}；本次 {wan_text(amount_wan)} 超出上限"


@dataclass(frozen=True)
class UseRecord:
    """A use of a grant at a provider under a technology contract."""

    id: int
    provider_id: int
    provider: str
    service_type: str
    contract_no: str | None
    contract_amount_wan: Decimal
    paid_amount_wan: Decimal
    voucher_amount_wan: Decimal
    used_on: dt.date
    related_party: bool
    notes: str | None
    evidence: int
    #: The latest redemption's status, or None when none was applied for.
    redemption_status: str | None


@dataclass(frozen=True)
class RedemptionRecord:
    """A redemption of one use: application, audit, batch notice and payment."""

    id: int
    use_id: int
    provider: str
    contract_no: str | None
    applied_on: dt.date
    audited_on: dt.date | None
    status: str
    subsidy_wan: Decimal
    ratio: Decimal | None
    city_share_wan: Decimal | None
    district_share_wan: Decimal | None
    batch_no: int | None
    notice_id: int | None
    notice_title: str | None
    paid_on: dt.date | None


@dataclass(frozen=True)
class GrantDetail:
    """A grant with its uses, redemptions, balance and the rule of its year."""

    id: int
    voucher_no: str
    holder_kind: str
    enterprise_id: int | None
    holder_name: str
    uscc: str | None
    carrier_id: int | None
    carrier: str | None
    subdistrict: str | None
    year: int
    status: str
    amount_applied_wan: Decimal
    amount_issued_wan: Decimal | None
    applied_on: dt.date
    issued_on: dt.date | None
    expires_on: dt.date | None
    notes: str | None
    uses: tuple[UseRecord, ...]
    redemptions: tuple[RedemptionRecord, ...]
    rule: VoucherRuleInfo | None

    @property
    def used_wan(self) -> Decimal:
        return sum((u.voucher_amount_wan for u in self.uses), Decimal(0))

    @property
    def balance_wan(self) -> Decimal:
        """What is left to use: issued minus used (nothing before it is issued)."""
        return (self.amount_issued_wan or Decimal(0)) - self.used_wan

    @property
    def redeemed_wan(self) -> Decimal:
        return sum((r.subsidy_wan for r in self.redemptions if r.status == "已兑付"), Decimal(0))

    def refusal(self, action: str, on: dt.date | None = None) -> str:
        return refusal(self.voucher_no, self.status, action, balance_wan=self.balance_wan, has_uses=bool(self.uses),
                       expires_on=self.expires_on, on=on)


@dataclass(frozen=True)
class GrantRow:
    """One line of the grant list."""

    id: int
    voucher_no: str
    holder_kind: str
    holder_name: str
    subdistrict: str | None
    year: int
    status: str
    amount_applied_wan: Decimal
    amount_issued_wan: Decimal | None
    used_wan: Decimal
    redeemed_wan: Decimal
    applied_on: dt.date
    issued_on: dt.date | None

    @property
    def balance_wan(self) -> Decimal:
        return (self.amount_issued_wan or Decimal(0)) - self.used_wan


def refusal(voucher_no: str, status: str, action: str, *, balance_wan: Decimal, has_uses: bool,
            expires_on: dt.date | None, on: dt.date | None = None) -> str:
    """Why a grant in ``status`` cannot take step ``action`` (see :data:`ACTIONS`) on day ``on``; "" when it can."""
    step = ACTIONS[action]
    if status in ("作废", "过期"):
        return f"创新券 {voucher_no} 已{status}，不能{step}。"
    if action == "issue":
        return "" if status == "申领" else f"创新券 {voucher_no} 已发放，不能重复发放。"
    if action == "void":
        if has_uses:
            return f"创新券 {voucher_no} 已登记使用，不能作废；如登记有误，请先删除使用记录。"
        return ""
    if status == "申领":
        return f"创新券 {voucher_no} 尚未发放，不能{step}。"
    if on is not None and expires_on is not None and on > expires_on:
        return (f"创新券 {voucher_no} 的有效期至 {expires_on.isoformat()}，{on.isoformat()} 已过期，不能{step}"
                "（申领、发放、使用和申请兑现应在同一年度内完成）。")
    if action == "use" and balance_wan <= 0:
        return f"创新券 {voucher_no} 已用完（余额 0 万元），不能再登记使用。"
    return ""


def settled_status(status: str, redemption_statuses: Iterable[Iterable[str]]) -> str:
    """A grant's status after its uses changed, from each use's redemption statuses (oldest first).

    申领, 作废 and 过期 stay. An issued grant without uses is 发放; one whose every use is settled (paid or refused)
    with at least one paid is 兑现; otherwise 使用.
    """
    if status in ("申领", "作废", "过期"):
        return status
    per_use = [tuple(statuses) for statuses in redemption_statuses]
    if not per_use:
        return "发放"
    settled = all(s and s[-1] in ("已兑付", "不通过") for s in per_use)
    paid = any("已兑付" in s for s in per_use)
    return "兑现" if settled and paid else "使用"
