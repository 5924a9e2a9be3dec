"""Incubation carriers (孵化器, 众创空间 …): recognitions, periodic statistics and tenants."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base
from models.types import Dec4, UTCDateTime, Wan, created_at, intpk

RECOGNITION_STATUSES = ("认定", "备案", "整改", "摘牌", "验收", "创建", "培育")
EXIT_KINDS = ("毕业", "退出")


class Carrier(Base):
    __tablename__ = "carrier"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200))
    name_norm: Mapped[str] = mapped_column(String(200), index=True)
    kind_code: Mapped[str] = mapped_column(ForeignKey("carrier_kind.code"), index=True)
    operator_name: Mapped[str | None] = mapped_column(String(200))
    operator_enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"))
    subdistrict_id: Mapped[int | None] = mapped_column(ForeignKey("subdistrict.id"), index=True)
    address: Mapped[str | None] = mapped_column(String(200))
    area_m2: Mapped[Decimal | None] = mapped_column(Dec4)
    specialization: Mapped[str | None] = mapped_column(String(80))
    established_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[created_at]
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    recognitions: Mapped[list[CarrierRecognition]] = relationship(
        back_populates="carrier", cascade="all, delete-orphan", lazy="raise"
    )


class CarrierRecognition(Base):
    """A recognition of a carrier at a level (国家级 孵化器, 市级 众创空间 专业化示范 …)."""

    __tablename__ = "carrier_recognition"

    id: Mapped[intpk]
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carrier.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(4))
    #: The kind recognised when it differs from the carrier's own (a 孵化器 also recognised as 众创空间); NULL = same.
    kind_code: Mapped[str | None] = mapped_column(ForeignKey("carrier_kind.code"))
    #: 标准化, 专业化示范, 国际化示范, 创建, 培育, 命名, 备案 …
    subtype: Mapped[str | None] = mapped_column(String(20))
    recognized_on: Mapped[dt.date] = mapped_column(Date)
    #: Current status; its history is in CarrierRecognitionEvent.
    status: Mapped[str] = mapped_column(String(4), default="认定")
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    doc_no: Mapped[str | None] = mapped_column(String(60))

    carrier: Mapped[Carrier] = relationship(back_populates="recognitions", lazy="raise")
    events: Mapped[list[CarrierRecognitionEvent]] = relationship(
        back_populates="recognition", cascade="all, delete-orphan", lazy="raise"
    )

    __table_args__ = (
        CheckConstraint("level IN ('国家', '省', '市', '区')", name="level"),
        CheckConstraint("status IN ('认定', '备案', '整改', '摘牌', '验收', '创建', '培育')", name="status"),
    )


class CarrierRecognitionEvent(Base):
    """A change of a recognition's status: 认定 → 整改 → 摘牌, with the document that said so."""

    __tablename__ = "carrier_recognition_event"

    id: Mapped[intpk]
    recognition_id: Mapped[int] = mapped_column(
        ForeignKey("carrier_recognition.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(4))
    changed_on: Mapped[dt.date] = mapped_column(Date)
    doc_no: Mapped[str | None] = mapped_column(String(60))
    notes: Mapped[str | None] = mapped_column(Text)

    recognition: Mapped[CarrierRecognition] = relationship(back_populates="events", lazy="raise")


class CarrierPeriodStat(Base):
    """Statistics a carrier reports for a quarter (quarter 1–4) or a whole year (quarter NULL). Blank ≠ 0."""

    __tablename__ = "carrier_period_stat"

    id: Mapped[intpk]
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carrier.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int | None] = mapped_column(Integer)
    investment_total_wan: Mapped[Decimal | None] = mapped_column(Wan)
    floor_area_m2: Mapped[Decimal | None] = mapped_column(Dec4)
    incubating_count: Mapped[int | None] = mapped_column(Integer)
    new_count: Mapped[int | None] = mapped_column(Integer)
    graduated_count: Mapped[int | None] = mapped_column(Integer)
    exited_count: Mapped[int | None] = mapped_column(Integer)
    employees: Mapped[int | None] = mapped_column(Integer)
    ip_count: Mapped[int | None] = mapped_column(Integer)
    revenue_wan: Mapped[Decimal | None] = mapped_column(Wan)
    financing_wan: Mapped[Decimal | None] = mapped_column(Wan)
    events_count: Mapped[int | None] = mapped_column(Integer)
    mentors: Mapped[int | None] = mapped_column(Integer)
    vacancy_m2: Mapped[Decimal | None] = mapped_column(Dec4)
    submitted_on: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (
        UniqueConstraint("carrier_id", "year", "quarter"),
        CheckConstraint("quarter IS NULL OR quarter BETWEEN 1 AND 4", name="quarter"),
    )


class Tenancy(Base):
    """An enterprise incubated in a carrier: entry, graduation or exit."""

    __tablename__ = "tenancy"

    id: Mapped[intpk]
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carrier.id", ondelete="CASCADE"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    entered_on: Mapped[dt.date] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    exit_kind: Mapped[str | None] = mapped_column(String(4))
    #: Which graduation criteria were met, comma separated (知识产权, 收入, 融资, 并购上市 …).
    graduation_criteria: Mapped[str | None] = mapped_column(String(80))
    #: Incubation limit in months (48; 72 for biomedicine, IC, agriculture).
    incubation_months: Mapped[int] = mapped_column(Integer, default=48)
    notes: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("exit_kind IS NULL OR exit_kind IN ('毕业', '退出')", name="exit_kind"),
        CheckConstraint("left_on IS NULL OR left_on >= entered_on", name="dates"),
        CheckConstraint("(left_on IS NULL) = (exit_kind IS NULL)", name="exit_complete"),
    )
