"""Policy pay-outs (政策兑现) and targets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base
from models.types import UTCDateTime, Wan, intpk


class PaymentNotice(Base):
    """A pay-out notice: one programme, cohort year and batch, with its payments."""

    __tablename__ = "payment_notice"

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(String(200))
    doc_no: Mapped[str | None] = mapped_column(String(60))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    programme: Mapped[str] = mapped_column(String(80))
    cohort_year: Mapped[int] = mapped_column(Integer)
    batch_no: Mapped[int | None] = mapped_column(Integer)
    issued_on: Mapped[dt.date] = mapped_column(Date, index=True)
    audited: Mapped[bool] = mapped_column(Boolean, default=False)
    publicized_on: Mapped[dt.date | None] = mapped_column(Date)
    approved_by: Mapped[str | None] = mapped_column(String(40))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    notes: Mapped[str | None] = mapped_column(Text)

    payments: Mapped[list[Payment]] = relationship(
        back_populates="notice", cascade="all, delete-orphan", lazy="raise"
    )


class Payment(Base):
    """One payment of a notice to an enterprise or a carrier, with the city and district shares."""

    __tablename__ = "payment"

    id: Mapped[intpk]
    notice_id: Mapped[int] = mapped_column(ForeignKey("payment_notice.id", ondelete="CASCADE"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    carrier_id: Mapped[int | None] = mapped_column(ForeignKey("carrier.id"), index=True)
    item: Mapped[str] = mapped_column(String(80))
    amount_total_wan: Mapped[Decimal] = mapped_column(Wan)
    amount_city_wan: Mapped[Decimal] = mapped_column(Wan)
    amount_district_wan: Mapped[Decimal] = mapped_column(Wan)
    paid_on: Mapped[dt.date | None] = mapped_column(Date, index=True)

    notice: Mapped[PaymentNotice] = relationship(back_populates="payments", lazy="raise")

    __table_args__ = (
        CheckConstraint("(enterprise_id IS NULL) <> (carrier_id IS NULL)", name="payee"),
        CheckConstraint("amount_city_wan + amount_district_wan = amount_total_wan", name="shares"),
    )


class Target(Base):
    """A target of one 属地 (or the whole district when subdistrict is NULL) for a year and an indicator."""

    __tablename__ = "target"

    id: Mapped[intpk]
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    subdistrict_id: Mapped[int | None] = mapped_column(ForeignKey("subdistrict.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    #: Indicator code, e.g. ``qual.national_hte.new``.
    indicator: Mapped[str] = mapped_column(String(60))
    #: 市 or 区: who set the target. Several issuers may set targets for the same unit and year.
    issuer: Mapped[str] = mapped_column(String(2))
    required: Mapped[int | None] = mapped_column(Integer)
    stretch: Mapped[int | None] = mapped_column(Integer)
    base_value: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(120))

    __table_args__ = (
        UniqueConstraint("district_id", "subdistrict_id", "year", "indicator", "issuer"),
        CheckConstraint("issuer IN ('市', '区')", name="issuer"),
    )
