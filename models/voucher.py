"""Innovation vouchers (创新券): rules, service providers, grants, uses and redemptions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base
from models.types import Dec4, Wan, intpk

GRANT_STATUSES = ("申领", "发放", "使用", "兑现", "过期", "作废")


class VoucherRule(Base):
    """Voucher rules of one year in one district: caps, subsidy ratio, city co-funding."""

    __tablename__ = "voucher_rule"

    id: Mapped[intpk]
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    year: Mapped[int] = mapped_column(Integer)
    enterprise_cap_wan: Mapped[Decimal] = mapped_column(Wan)
    maker_team_cap_wan: Mapped[Decimal] = mapped_column(Wan)
    #: Share of the paid service amount that the voucher covers (0.3 = 30%).
    subsidy_ratio: Mapped[Decimal] = mapped_column(Dec4)
    #: Upper bound of the city's share of the district's redemptions (0.4 = 40%).
    city_cofund_max_ratio: Mapped[Decimal] = mapped_column(Dec4)
    source_doc: Mapped[str | None] = mapped_column(String(120))

    __table_args__ = (UniqueConstraint("district_id", "year"),)


class ServiceProvider(Base):
    """A place vouchers are spent at: 创新载体, 检测机构, 高校院所 …"""

    __tablename__ = "service_provider"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    level: Mapped[str | None] = mapped_column(String(4))
    uscc: Mapped[str | None] = mapped_column(String(18))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    contact: Mapped[str | None] = mapped_column(String(80))
    notes: Mapped[str | None] = mapped_column(Text)


class VoucherGrant(Base):
    """Vouchers granted to an enterprise or a maker team for a year."""

    __tablename__ = "voucher_grant"

    id: Mapped[intpk]
    voucher_no: Mapped[str] = mapped_column(String(40), unique=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    maker_team_name: Mapped[str | None] = mapped_column(String(200))
    #: The 众创空间 a maker team is resident in.
    carrier_id: Mapped[int | None] = mapped_column(ForeignKey("carrier.id"), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    year: Mapped[int] = mapped_column(Integer, index=True)
    amount_applied_wan: Mapped[Decimal] = mapped_column(Wan)
    amount_issued_wan: Mapped[Decimal | None] = mapped_column(Wan)
    applied_on: Mapped[dt.date] = mapped_column(Date)
    issued_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(4), default="申领")
    notes: Mapped[str | None] = mapped_column(Text)

    uses: Mapped[list[VoucherUse]] = relationship(back_populates="grant", lazy="raise")

    __table_args__ = (
        CheckConstraint("(enterprise_id IS NULL) <> (maker_team_name IS NULL)", name="holder"),
        CheckConstraint("status IN ('申领', '发放', '使用', '兑现', '过期', '作废')", name="status"),
        CheckConstraint("amount_applied_wan >= 0", name="amount_applied"),
    )


class VoucherUse(Base):
    """Spending of a grant at a service provider under a technology contract."""

    __tablename__ = "voucher_use"

    id: Mapped[intpk]
    grant_id: Mapped[int] = mapped_column(ForeignKey("voucher_grant.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("service_provider.id"), index=True)
    service_type: Mapped[str] = mapped_column(String(40))
    #: 技术合同登记编号.
    contract_no: Mapped[str | None] = mapped_column(String(40))
    contract_amount_wan: Mapped[Decimal] = mapped_column(Wan)
    paid_amount_wan: Mapped[Decimal] = mapped_column(Wan)
    voucher_amount_wan: Mapped[Decimal] = mapped_column(Wan)
    used_on: Mapped[dt.date] = mapped_column(Date, index=True)
    related_party: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)

    grant: Mapped[VoucherGrant] = relationship(back_populates="uses", lazy="raise")


class VoucherRedemption(Base):
    """Redemption (兑现) of a use: application, audit, batch notice 第N批, subsidy paid."""

    __tablename__ = "voucher_redemption"

    id: Mapped[intpk]
    use_id: Mapped[int] = mapped_column(ForeignKey("voucher_use.id"), index=True)
    applied_on: Mapped[dt.date] = mapped_column(Date)
    audited_on: Mapped[dt.date | None] = mapped_column(Date)
    batch_no: Mapped[int | None] = mapped_column(Integer)
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("payment_notice.id"))
    subsidy_wan: Mapped[Decimal] = mapped_column(Wan)
    ratio: Mapped[Decimal | None] = mapped_column(Dec4)
    city_share_wan: Mapped[Decimal | None] = mapped_column(Wan)
    district_share_wan: Mapped[Decimal | None] = mapped_column(Wan)
    paid_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    #: 申请, 审核通过, 不通过, 已兑付.
    status: Mapped[str] = mapped_column(String(4), default="申请")

    __table_args__ = (
        CheckConstraint("status IN ('申请', '审核通过', '不通过', '已兑付')", name="status"),
    )
