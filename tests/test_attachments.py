"""Attachments are stored once by hash, verified on reading, and audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from models import AuditLog
from models.db import Database
from services.attachments import add_attachment, attachment_file, list_attachments, remove_attachment, stored_path
from services.dto import EnterpriseInput
from services.errors import UserFacingError
from services.register import create_enterprise
from services.session import read_session


def test_same_file_is_stored_once_and_removed_with_its_last_record(db: Database, tmp_path: Path) -> None:
    ent = create_enterprise(db, EnterpriseInput(name="杭州匠控科技有限公司"))
    cert = tmp_path / "高新技术企业证书.pdf"
    cert.write_bytes(b"%PDF-1.4 certificate " * 100)
    first = add_attachment(db, "enterprise", ent.id, cert, category="证书", user="王芳")
    second = add_attachment(db, "enterprise", ent.id, cert, category="证书")
    assert first.sha256 == second.sha256
    assert attachment_file(db, first.id).read_bytes() == cert.read_bytes()
    assert [a.file_name for a in list_attachments(db, "enterprise", ent.id)] == ["高新技术企业证书.pdf"] * 2
    with read_session(db) as s:
        assert s.scalar(select(AuditLog.user).where(AuditLog.table_name == "attachment")) == "王芳"

    remove_attachment(db, first.id)
    assert stored_path(first.sha256).exists()  # still used by the second record
    remove_attachment(db, second.id)
    assert not stored_path(first.sha256).exists()


def test_damaged_store_is_reported(db: Database, tmp_path: Path) -> None:
    src = tmp_path / "合同.docx"
    src.write_bytes(b"contract")
    info = add_attachment(db, "enterprise", 1, src)
    stored_path(info.sha256).write_bytes(b"tampered")
    with pytest.raises(UserFacingError, match="缺失或已损坏"):
        attachment_file(db, info.id)


def test_missing_source_and_bad_category_are_refused(db: Database, tmp_path: Path) -> None:
    with pytest.raises(UserFacingError, match="找不到要附加的文件"):
        add_attachment(db, "enterprise", 1, tmp_path / "absent.pdf")
    src = tmp_path / "a.txt"
    src.write_text("x")
    with pytest.raises(UserFacingError, match="附件类别"):
        add_attachment(db, "enterprise", 1, src, category="照片")
