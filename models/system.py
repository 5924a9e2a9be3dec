"""Trust and housekeeping: audit log, import batches, attachments, users, settings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.types import UTCDateTime, created_at, intpk, utcnow


class AuditLog(Base):
    """One change made through the services.

    An update writes one row per changed field with the old and new value (JSON scalars); an insert or a delete
    writes one row with ``field`` NULL and the whole record as JSON in ``new_value`` or ``old_value``. Records the
    import creates in bulk list their filled columns only, without time stamps (a column left out is NULL).
    """

    __tablename__ = "audit_log"

    id: Mapped[intpk]
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    user: Mapped[str] = mapped_column(String(40))
    #: insert, update, delete.
    action: Mapped[str] = mapped_column(String(6))
    table_name: Mapped[str] = mapped_column(String(40))
    #: Primary key of the changed row, as text (some reference tables have text keys).
    row_id: Mapped[str] = mapped_column(String(60))
    field: Mapped[str | None] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    #: The record whose history this change belongs to: the enterprise for its facts, qualifications and
    #: visits; the carrier for its statistics and tenants; the changed row itself otherwise.
    subject_table: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[str | None] = mapped_column(String(60))
    #: gui, cli, import, demo, restore …
    source: Mapped[str] = mapped_column(String(20))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)

    __table_args__ = (
        CheckConstraint("action IN ('insert', 'update', 'delete')", name="action"),
        Index("ix_audit_log_record", "table_name", "row_id"),
        Index("ix_audit_log_subject", "subject_table", "subject_id"),
        Index("ix_audit_log_at", "at"),
    )


class ImportBatch(Base):
    """One committed import of a file; can be reverted."""

    __tablename__ = "import_batch"

    id: Mapped[intpk]
    #: Human reference such as IMP-2026-0007, unique.
    batch_no: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(260))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    sheet: Mapped[str | None] = mapped_column(String(100))
    source_subdistrict_id: Mapped[int | None] = mapped_column(ForeignKey("subdistrict.id"))
    mode: Mapped[str] = mapped_column(String(8), default="upsert")
    user: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    committed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reverted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    review: Mapped[int] = mapped_column(Integer, default=0)
    backup_file: Mapped[str | None] = mapped_column(String(260))


class ImportMapping(Base):
    """A column mapping a user adjusted, saved per source (属地 or park) and kind, reused next time."""

    __tablename__ = "import_mapping"

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(60))
    #: JSON object {column header: field name}.
    mapping_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("uq_import_mapping_kind_source", "kind", "source", unique=True),)


class Attachment(Base):
    """A file attached to a record, stored once by content hash under the data folder."""

    __tablename__ = "attachment"

    id: Mapped[intpk]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_name: Mapped[str] = mapped_column(String(260))
    mime_type: Mapped[str | None] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    #: The owning record: table name and row id (enterprise, voucher_use, carrier …).
    owner_table: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[int] = mapped_column(Integer)
    #: 证书, 合同, 发票, 其他.
    category: Mapped[str | None] = mapped_column(String(10))
    description: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[created_at]

    __table_args__ = (Index("ix_attachment_owner", "owner_table", "owner_id"),)


class AppUser(Base):
    """A local user account. Roles: clerk, manager, admin."""

    __tablename__ = "app_user"

    id: Mapped[intpk]
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(8), default="clerk")
    #: KDF hash; NULL until the account has a password (single-user installs).
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[created_at]
    #: Wrong passwords in a row since the last successful sign-in.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: Sign-in refused until then after too many wrong passwords.
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (CheckConstraint("role IN ('clerk', 'manager', 'admin')", name="role"),)


class ReportSignoff(Base):
    """A report signed off (签发) by a manager: which report, period, who, when, and the files' fingerprints."""

    __tablename__ = "report_signoff"

    id: Mapped[intpk]
    #: ``quarterly``, ``league`` …
    report_kind: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int | None] = mapped_column(Integer)
    signed_by: Mapped[str] = mapped_column(String(40))
    signed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: JSON object: file name → SHA-256 of the signed files.
    files_json: Mapped[str] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_report_signoff_period", "report_kind", "year", "quarter"),)


class AppSetting(Base):
    """Settings that belong to the database rather than the PC: district, bureau name, report sign-off."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)
