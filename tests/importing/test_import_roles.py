"""Issue 9 for imports: only managers revert a batch; batch numbers stay unique when two imports commit at once."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from models import ImportBatch
from models.db import Database
from services.importing.commit import next_batch_no, run_import
from services.importing.revert import revert_batch
from services.session import read_session, unit_of_work
from services.users import Actor, PermissionDenied
from tests.importing.files import code, write_xlsx
from tests.importing.test_import_rules import HEADER, options


def test_only_a_manager_reverts_an_import(db: Database, tmp_path: Path) -> None:
    rows = [HEADER, [1, "杭州甲科技有限公司", code(21), "上塘", "2018-01-01", 10, "小李"]]
    result = run_import(db, write_xlsx(tmp_path / "a.xlsx", rows), options())
    assert result.batch_id is not None
    with pytest.raises(PermissionDenied, match="撤销导入批次”需要科长/局领导权限"):
        revert_batch(db, result.batch_id, actor=Actor("wf", "王芳", "clerk"))
    with read_session(db) as s:
        assert s.get(ImportBatch, result.batch_id).reverted_at is None  # type: ignore[union-attr]
    assert revert_batch(db, result.batch_id, actor=Actor("lq", "李强", "manager")).removed >= 1


def test_batch_numbers_are_unique_when_two_imports_commit_at_once(db: Database) -> None:
    numbers: list[str] = []
    barrier = threading.Barrier(2)

    def commit_one(user: str) -> None:
        barrier.wait()
        with unit_of_work(db, user=user, source="import") as session:
            number = next_batch_no(session, 2026)
            time.sleep(0.3)  # the other import reads the numbers meanwhile
            session.add(ImportBatch(batch_no=number, kind="enterprises", file_name="x.xlsx", file_sha256="0" * 64,
                                    user=user))
        numbers.append(number)

    threads = [threading.Thread(target=commit_one, args=(u,)) for u in ("王芳", "李强")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(numbers) == ["IMP-2026-0001", "IMP-2026-0002"]
    with read_session(db) as s:
        assert sorted(s.scalars(select(ImportBatch.batch_no))) == sorted(numbers)
