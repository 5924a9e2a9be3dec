"""Committing what the clerk previewed: carried out as previewed while nothing changed, planned again otherwise.

The commit reuses the dry run's plan only while the file, the options and the register are the same as when it was
made; these tests change each of them between the preview and the commit and check that the commit notices.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import Enterprise, ImportBatch
from models.db import Database
from services.dto import EnterpriseInput
from services.errors import ConflictError
from services.importing.commit import run_import
from services.importing.plan import ImportOptions
from services.register import create_enterprise, get_enterprise, update_enterprise
from services.session import read_session
from services.settings import save_settings
from tests.importing.files import code, write_xlsx

OPTIONS = ImportOptions(today=dt.date(2026, 3, 15))
HEADER = ["企业名称", "统一社会信用代码", "联系人"]


def names(db: Database) -> dict[str, str | None]:
    with read_session(db) as session:
        return dict(session.execute(select(Enterprise.name, Enterprise.contact_person)).tuples().all())


def batches(db: Database) -> int:
    with read_session(db) as session:
        return int(session.scalar(select(func.count(ImportBatch.id))) or 0)


def test_the_previewed_plan_is_committed_when_nothing_changed(db: Database, tmp_path: Path) -> None:
    create_enterprise(db, EnterpriseInput(name="杭州甲科技有限公司", contact_person="老王"))
    path = write_xlsx(tmp_path / "a.xlsx", [HEADER, ["杭州甲科技有限公司", code(1), "小李"],
                                            ["杭州乙科技有限公司", code(2), "小张"]])
    preview = run_import(db, path, OPTIONS, dry_run=True)
    assert preview.plan.register_stamp is not None
    result = run_import(db, path, OPTIONS, expected=preview.plan)
    assert result.plan is preview.plan and result.batch_id is not None
    assert names(db) == {"杭州甲科技有限公司": "小李", "杭州乙科技有限公司": "小张"}


def test_another_clerks_change_after_the_preview_is_not_overwritten(db: Database, tmp_path: Path) -> None:
    ent = create_enterprise(db, EnterpriseInput(name="杭州甲科技有限公司", contact_person="老王"))
    path = write_xlsx(tmp_path / "a.xlsx", [HEADER, ["杭州甲科技有限公司", code(1), "小李"]])
    preview = run_import(db, path, OPTIONS, dry_run=True)
    update_enterprise(db, ent.id, EnterpriseInput(name="杭州甲科技有限公司", contact_person="小李"),
                      expected_version=ent.version)
    with pytest.raises(ConflictError, match="预演之后企业库已有变化"):
        run_import(db, path, OPTIONS, expected=preview.plan)
    assert batches(db) == 0 and get_enterprise(db, ent.id).uscc is None


def test_a_file_replaced_after_the_preview_is_planned_again(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", [HEADER, ["杭州乙科技有限公司", code(2), "小张"]])
    preview = run_import(db, path, OPTIONS, dry_run=True)
    write_xlsx(path, [HEADER, ["杭州丙科技有限公司", code(3), "小赵"]])  # same name, other content
    with pytest.raises(ConflictError):
        run_import(db, path, OPTIONS, expected=preview.plan)
    assert names(db) == {} and batches(db) == 0


def test_an_unrelated_change_only_costs_a_new_plan(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", [HEADER, ["杭州乙科技有限公司", code(2), "小张"]])
    preview = run_import(db, path, OPTIONS, dry_run=True)
    save_settings(db, {"report.preparer": "王芳"})  # audited, so the stamp moves; the plan comes out the same
    result = run_import(db, path, OPTIONS, expected=preview.plan)
    assert result.plan is not preview.plan and result.batch_id is not None
    assert names(db) == {"杭州乙科技有限公司": "小张"}


def test_a_failure_while_storing_rolls_everything_back(db: Database, tmp_path: Path) -> None:
    # 3,000 rows: the writer stores them in steps (on SQLite on a second thread); the last row collides with a
    # record slipped in behind the audit log's back, so the failure comes in the middle of storing.
    rows = [HEADER] + [[f"杭州批量{i}科技有限公司", code(100 + i), "小张"] for i in range(3000)]
    path = write_xlsx(tmp_path / "many.xlsx", rows)
    preview = run_import(db, path, OPTIONS, dry_run=True)
    with db.engine.begin() as conn:
        conn.execute(Enterprise.__table__.insert().values(
            name="杭州抢先科技有限公司", name_norm="杭州抢先科技有限公司", uscc=code(3099), version=1,
            uscc_check_override=False))
    with pytest.raises(Exception, match="uscc|UNIQUE|unique|重复"):
        run_import(db, path, OPTIONS, expected=preview.plan)
    assert names(db) == {"杭州抢先科技有限公司": None} and batches(db) == 0
