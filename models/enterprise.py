"""The enterprise register: identity, yearly facts, qualifications, R&D institutions, pools, pre-reviews, visits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base
from models.types import Dec4, UTCDateTime, Wan, created_at, intpk, updated_at

QUALIFICATION_STATUSES = ("拟申报", "已申报", "评审通过", "公示", "认定", "未通过", "到期", "撤销", "淘汰")
APPLICATION_KINDS = ("新申报", "重新认定")
POOL_KINDS = ("申报库", "储备库", "培育库", "后备群")


class Enterprise(Base):
    """An enterprise in the register. Removal is soft (``deleted_at``) so history and reports stay whole."""

    __tablename__ = "enterprise"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200))
    #: Name after NFKC, without any whitespace and with unified brackets: the matching key.
    name_norm: Mapped[str] = mapped_column(String(200), index=True)
    #: Pinyin initials of the name (and former names), for search: 杭州匠控 → hzjk.
    name_initials: Mapped[str] = mapped_column(String(200), default="")
    #: 统一社会信用代码; unique when present.
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    #: The clerk accepted a code that fails the GB 32100 check digit (recorded in the audit log).
    uscc_check_override: Mapped[bool] = mapped_column(Boolean, default=False)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"), index=True)
    subdistrict_id: Mapped[int | None] = mapped_column(ForeignKey("subdistrict.id"), index=True)
    address: Mapped[str | None] = mapped_column(String(200))
    registered_on: Mapped[dt.date | None] = mapped_column(Date)
    registered_capital_wan: Mapped[Decimal | None] = mapped_column(Wan)
    industry_field_code: Mapped[str | None] = mapped_column(ForeignKey("industry_field.code"))
    #: 规上/规下, 限上/限下 — the latest known; yearly values live in EnterpriseYearFact.size_class.
    legal_person: Mapped[str | None] = mapped_column(String(40))
    contact_person: Mapped[str | None] = mapped_column(String(40))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_email: Mapped[str | None] = mapped_column(String(80))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[created_at]
    updated_at: Mapped[updated_at]
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: Optimistic-locking counter: a save based on an older version is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)

    former_names: Mapped[list[EnterpriseFormerName]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan", lazy="raise"
    )
    facts: Mapped[list[EnterpriseYearFact]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan", lazy="raise"
    )
    qualifications: Mapped[list[EnterpriseQualification]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan", lazy="raise"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_enterprise_deleted_subdistrict", "deleted_at", "subdistrict_id"),)


class EnterpriseFormerName(Base):
    __tablename__ = "enterprise_former_name"

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_norm: Mapped[str] = mapped_column(String(200), index=True)
    #: Last day the name was used, when known.
    used_until: Mapped[dt.date | None] = mapped_column(Date)

    enterprise: Mapped[Enterprise] = relationship(back_populates="former_names", lazy="raise")

    __table_args__ = (UniqueConstraint("enterprise_id", "name_norm"),)


class EnterpriseYearFact(Base):
    """Figures of one enterprise for one calendar year. Amounts in 万元; blank means unknown, never zero."""

    __tablename__ = "enterprise_year_fact"

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    revenue_wan: Mapped[Decimal | None] = mapped_column(Wan)
    rd_expense_wan: Mapped[Decimal | None] = mapped_column(Wan)
    rd_domestic_wan: Mapped[Decimal | None] = mapped_column(Wan)
    hitech_revenue_wan: Mapped[Decimal | None] = mapped_column(Wan)
    total_cost_wan: Mapped[Decimal | None] = mapped_column(Wan)
    net_assets_wan: Mapped[Decimal | None] = mapped_column(Wan)
    total_assets_wan: Mapped[Decimal | None] = mapped_column(Wan)
    staff_avg: Mapped[int | None] = mapped_column(Integer)
    st_staff_avg: Mapped[int | None] = mapped_column(Integer)
    #: Ⅰ类 IP: invention patents, plant varieties, IC layouts, new drugs …
    ip_class1: Mapped[int | None] = mapped_column(Integer)
    #: Ⅱ类 IP: utility models, designs, software copyrights.
    ip_class2: Mapped[int | None] = mapped_column(Integer)
    invention_patents_granted: Mapped[int | None] = mapped_column(Integer)
    #: 规上, 规下, 限上, 限下.
    size_class: Mapped[str | None] = mapped_column(String(4))
    source: Mapped[str | None] = mapped_column(String(80))
    updated_at: Mapped[updated_at]

    enterprise: Mapped[Enterprise] = relationship(back_populates="facts", lazy="raise")

    __table_args__ = (
        UniqueConstraint("enterprise_id", "year"),
        CheckConstraint("year BETWEEN 1949 AND 2200", name="year"),
        CheckConstraint("staff_avg IS NULL OR staff_avg >= 0", name="staff_avg"),
        CheckConstraint("st_staff_avg IS NULL OR st_staff_avg >= 0", name="st_staff_avg"),
    )


class EnterpriseQualification(Base):
    """One certification or programme membership of an enterprise: 国高企 2021 第二批 新申报 …"""

    __tablename__ = "enterprise_qualification"

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    type_code: Mapped[str] = mapped_column(ForeignKey("qualification_type.code"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    batch: Mapped[str | None] = mapped_column(String(20))
    application_kind: Mapped[str] = mapped_column(String(8), default="新申报")
    recommended_by_id: Mapped[int | None] = mapped_column(ForeignKey("subdistrict.id"))
    applied_on: Mapped[dt.date | None] = mapped_column(Date)
    reviewed_on: Mapped[dt.date | None] = mapped_column(Date)
    publicized_on: Mapped[dt.date | None] = mapped_column(Date)
    certified_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    certificate_no: Mapped[str | None] = mapped_column(String(40))
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(6), default="认定")
    revoked_on: Mapped[dt.date | None] = mapped_column(Date)
    #: 旭日计划 梯队 1/2/3 and the like.
    tier: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(120))

    enterprise: Mapped[Enterprise] = relationship(back_populates="qualifications", lazy="raise")
    annual_reports: Mapped[list[QualificationAnnualReport]] = relationship(
        back_populates="qualification", cascade="all, delete-orphan", lazy="raise"
    )

    __table_args__ = (
        CheckConstraint("application_kind IN ('新申报', '重新认定')", name="application_kind"),
        CheckConstraint(
            "status IN ('拟申报', '已申报', '评审通过', '公示', '认定', '未通过', '到期', '撤销', '淘汰')",
            name="status",
        ),
        CheckConstraint("valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from", name="validity"),
        Index("ix_qualification_type_valid", "type_code", "valid_to"),
    )


class QualificationAnnualReport(Base):
    """年报 of a qualification for one year (省科小 and the like)."""

    __tablename__ = "qualification_annual_report"

    id: Mapped[intpk]
    qualification_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise_qualification.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    #: 未报, 已报, 逾期.
    status: Mapped[str] = mapped_column(String(4), default="未报")
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    submitted_on: Mapped[dt.date | None] = mapped_column(Date)

    qualification: Mapped[EnterpriseQualification] = relationship(back_populates="annual_reports", lazy="raise")

    __table_args__ = (
        UniqueConstraint("qualification_id", "year"),
        CheckConstraint("status IN ('未报', '已报', '逾期')", name="status"),
    )


class RDInstitution(Base):
    """An enterprise R&D institution: 省级重点企业研究院, 省级企业研究院, 省/市级研发中心, 企业技术中心 …"""

    __tablename__ = "rd_institution"

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(4))
    approved_year: Mapped[int | None] = mapped_column(Integer)
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    #: 培育, 认定, 撤销.
    status: Mapped[str] = mapped_column(String(4), default="认定")
    last_evaluated_year: Mapped[int | None] = mapped_column(Integer)
    evaluation_result: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (CheckConstraint("level IN ('国家', '省', '市', '区')", name="level"),)


class PoolEntry(Base):
    """Membership of a cultivation pool (申报库/储备库 …) aimed at a qualification."""

    __tablename__ = "pool_entry"

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    pool_kind: Mapped[str] = mapped_column(String(4))
    target_type_code: Mapped[str | None] = mapped_column(ForeignKey("qualification_type.code"))
    year: Mapped[int] = mapped_column(Integer)
    #: 街道推荐, 摸排, 税务/统计筛选 …
    source: Mapped[str | None] = mapped_column(String(40))
    subdistrict_id: Mapped[int | None] = mapped_column(ForeignKey("subdistrict.id"))
    entered_on: Mapped[dt.date] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    #: 申报, 认定, 不符合, 迁出.
    exit_reason: Mapped[str | None] = mapped_column(String(10))

    __table_args__ = (
        CheckConstraint("pool_kind IN ('申报库', '储备库', '培育库', '后备群')", name="pool_kind"),
        CheckConstraint("left_on IS NULL OR left_on >= entered_on", name="dates"),
    )


class PreReview(Base):
    """A recorded 门诊式预审 (pre-review) of an enterprise against a rule set."""

    __tablename__ = "pre_review"

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    rule_set: Mapped[str] = mapped_column(String(40))
    rule_version: Mapped[str | None] = mapped_column(String(40))
    reviewed_on: Mapped[dt.date] = mapped_column(Date)
    reviewer: Mapped[str | None] = mapped_column(String(40))
    #: 符合, 不符合, 待定.
    verdict: Mapped[str] = mapped_column(String(4))
    score: Mapped[Decimal | None] = mapped_column(Dec4)
    #: The per-criterion result as JSON, so a saved pre-review can be shown again exactly.
    details_json: Mapped[str | None] = mapped_column(Text)
    advice: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (CheckConstraint("verdict IN ('符合', '不符合', '待定')", name="verdict"),)


class Visit(Base):
    """A visit (走访) to an enterprise; issues raised are closed one by one."""

    __tablename__ = "visit"

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    visited_on: Mapped[dt.date] = mapped_column(Date)
    visitors: Mapped[str | None] = mapped_column(String(120))
    #: 走访, 入企辅导, 电话, 座谈.
    kind: Mapped[str] = mapped_column(String(10), default="走访")
    summary: Mapped[str | None] = mapped_column(Text)

    issues: Mapped[list[VisitIssue]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", lazy="raise"
    )


class VisitIssue(Base):
    __tablename__ = "visit_issue"

    id: Mapped[intpk]
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(20))
    #: 待办, 办理中, 已解决, 无法解决.
    status: Mapped[str] = mapped_column(String(4), default="待办")
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    resolution: Mapped[str | None] = mapped_column(Text)

    visit: Mapped[Visit] = relationship(back_populates="issues", lazy="raise")

    __table_args__ = (CheckConstraint("status IN ('待办', '办理中', '已解决', '无法解决')", name="status"),)
