"""Reference data: districts, 属地 units, industry fields, qualification and carrier catalogues.

These tables are filled from ``resources/reference/`` when a database is created (see services.reference) and
are data, not code: a new qualification type or carrier kind is a new row.
"""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base
from models.types import intpk

LEVELS = ("国家", "省", "市", "区")
SUBDISTRICT_KINDS = ("街道", "镇", "乡", "园区")


class District(Base):
    """A district (区/县/市) of Hangzhou, or a functional area such as 经开区."""

    __tablename__ = "district"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(40), unique=True)
    #: 主城区 or 非主城区: decides the city/district cost share of rewards.
    kind: Mapped[str] = mapped_column(String(10))
    #: City share of pay-outs in percent (50 for 主城区, 25 otherwise).
    city_share_pct: Mapped[int] = mapped_column(Integer)
    #: GB/T 2260 code where the district has one (credit-code positions 3–8).
    admin_code: Mapped[str | None] = mapped_column(String(6))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    aliases: Mapped[list[DistrictAlias]] = relationship(
        back_populates="district", cascade="all, delete-orphan", lazy="raise"
    )
    subdistricts: Mapped[list[Subdistrict]] = relationship(back_populates="district", lazy="raise")

    __table_args__ = (
        CheckConstraint("kind IN ('主城区', '非主城区')", name="kind"),
        CheckConstraint("city_share_pct BETWEEN 0 AND 100", name="city_share_pct"),
    )


class DistrictAlias(Base):
    __tablename__ = "district_alias"

    id: Mapped[intpk]
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(60), unique=True)

    district: Mapped[District] = relationship(back_populates="aliases", lazy="raise")


class Subdistrict(Base):
    """A 属地 unit: 街道, 镇, 乡, or a 园区/平台 that the district assesses like a subdistrict."""

    __tablename__ = "subdistrict"

    id: Mapped[intpk]
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(4))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    district: Mapped[District] = relationship(back_populates="subdistricts", lazy="raise")
    aliases: Mapped[list[SubdistrictAlias]] = relationship(
        back_populates="subdistrict", cascade="all, delete-orphan", lazy="raise"
    )

    __table_args__ = (
        UniqueConstraint("district_id", "name"),
        CheckConstraint("kind IN ('街道', '镇', '乡', '园区')", name="kind"),
    )


class SubdistrictAlias(Base):
    __tablename__ = "subdistrict_alias"

    id: Mapped[intpk]
    subdistrict_id: Mapped[int] = mapped_column(ForeignKey("subdistrict.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(60))

    subdistrict: Mapped[Subdistrict] = relationship(back_populates="aliases", lazy="raise")

    __table_args__ = (UniqueConstraint("subdistrict_id", "alias"),)


class IndustryField(Base):
    """One of the 8 国家重点支持的高新技术领域."""

    __tablename__ = "industry_field"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class QualificationType(Base):
    """A certification, recognition or programme an enterprise can hold (国高企, 省科小 …)."""

    __tablename__ = "qualification_type"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    short_name: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(4))
    granting_body: Mapped[str | None] = mapped_column(String(80))
    #: Years of validity from certification; None when the recognition does not lapse by itself.
    validity_years: Mapped[int | None] = mapped_column(Integer)
    renewable: Mapped[bool] = mapped_column(Boolean, default=False)
    has_annual_report: Mapped[bool] = mapped_column(Boolean, default=False)
    has_tiers: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Registration lapses at the end of each calendar year (national 科小 入库).
    lapses_year_end: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (CheckConstraint("level IN ('国家', '省', '市', '区')", name="level"),)


class CarrierKind(Base):
    """A kind of incubation carrier (孵化器, 众创空间 …) with its top-level category."""

    __tablename__ = "carrier_kind"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    category: Mapped[str] = mapped_column(String(40))
    #: Incubation period limit for tenants in months (None when the kind does not incubate).
    incubation_months: Mapped[int | None] = mapped_column(Integer)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
