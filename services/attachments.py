"""Attachments (certificates, contracts, invoices) stored once by content hash under the data folder.

The file goes to ``attachments/<first two hex digits>/<sha256>`` (written to a temporary name, flushed, then
renamed, so a power cut never leaves half a file under a real name); the database row records the original name
and the owning record. Two records attaching the same file share the stored copy.
"""

from __future__ import annotations

import mimetypes
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from models import Attachment
from models.db import Database
from services.errors import NotFoundError, UserFacingError
from services.file_digest import file_sha256
from services.paths import attachments_dir
from services.session import read_session, unit_of_work

CATEGORIES = ("证书", "合同", "发票", "其他")
MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    file_name: str
    category: str | None
    size_bytes: int
    sha256: str
    description: str | None


def stored_path(sha256: str) -> Path:
    return attachments_dir() / sha256[:2] / sha256


def _store(source: Path, sha256: str) -> None:
    target = stored_path(sha256)
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    with source.open("rb") as src, tmp.open("wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.flush()
        os.fsync(dst.fileno())
    os.replace(tmp, target)


def add_attachment(db: Database, owner_table: str, owner_id: int, source: Path, *, category: str | None = None,
                   description: str | None = None, user: str | None = None) -> AttachmentInfo:
    if not source.is_file():
        raise UserFacingError(f"找不到要附加的文件：{source}")
    size = source.stat().st_size
    if size > MAX_BYTES:
        raise UserFacingError(f"文件“{source.name}”超过 {MAX_BYTES // 1_048_576} MB，无法附加")
    if category is not None and category not in CATEGORIES:
        raise UserFacingError(f"附件类别应为：{'、'.join(CATEGORIES)}")
    sha256 = file_sha256(source)
    _store(source, sha256)
    with unit_of_work(db, user=user) as session:
        row = Attachment(sha256=sha256, file_name=source.name, size_bytes=size, owner_table=owner_table,
                         owner_id=owner_id, category=category, description=description,
                         mime_type=mimetypes.guess_type(source.name)[0])
        session.add(row)
        session.flush()
        return _info(row)


def _info(row: Attachment) -> AttachmentInfo:
    return AttachmentInfo(row.id, row.file_name, row.category, row.size_bytes, row.sha256, row.description)


def list_attachments(db: Database, owner_table: str, owner_id: int) -> list[AttachmentInfo]:
    stmt = select(Attachment).where(Attachment.owner_table == owner_table, Attachment.owner_id == owner_id)
    with read_session(db) as session:
        return [_info(r) for r in session.scalars(stmt.order_by(Attachment.id))]


def attachment_file(db: Database, attachment_id: int) -> Path:
    """Where the stored copy is (to open or save as); verified against its hash."""
    with read_session(db) as session:
        row = session.get(Attachment, attachment_id)
        if row is None:
            raise NotFoundError(f"找不到编号为 {attachment_id} 的附件")
        path = stored_path(row.sha256)
    if not path.is_file() or file_sha256(path) != row.sha256:
        raise UserFacingError(f"附件“{row.file_name}”的存档文件缺失或已损坏，请从备份恢复附件目录")
    return path


def remove_attachment(db: Database, attachment_id: int, *, user: str | None = None) -> None:
    """Remove the record; the stored file goes when no record refers to it any more."""
    with unit_of_work(db, user=user) as session:
        row = session.get(Attachment, attachment_id)
        if row is None:
            raise NotFoundError(f"找不到编号为 {attachment_id} 的附件")
        sha256 = row.sha256
        session.delete(row)
        session.flush()
        still_used = session.scalar(select(func.count()).where(Attachment.sha256 == sha256))
    if not still_used:
        stored_path(sha256).unlink(missing_ok=True)
