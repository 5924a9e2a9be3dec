"""The import rules of PRODUCT.md on real files in every format, against a real database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from models import AuditLog, Enterprise, EnterpriseYearFact, ImportBatch, PoolEntry
from models.db import Database
from services.dto import EnterpriseInput
from services.importing.commit import run_import
from services.importing.plan import ImportOptions
from services.register import create_enterprise, update_enterprise
from services.session import read_session
from tests.importing.files import WRITERS, Merge, code, write_csv, write_ods, write_xls, write_xlsx

TODAY = dt.date(2026, 3, 15)
HEADER = ["序号", "企业名称", "统一社会信用代码", "所属街道", "成立日期", "营业收入（万元）", "联系人"]


def options(**kw: object) -> ImportOptions:
    return ImportOptions(today=TODAY, **kw)  # type: ignore[arg-type]


def enterprises(db: Database) -> dict[str, Enterprise]:
    with read_session(db) as session:
        return {e.name: e for e in session.scalars(select(Enterprise))}


def facts(db: Database) -> dict[tuple[int, int], EnterpriseYearFact]:
    with read_session(db) as session:
        return {(f.enterprise_id, f.year): f for f in session.scalars(select(EnterpriseYearFact))}


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm", ".xls", ".ods", ".csv"])
def test_every_format_imports_the_same_rows(db: Database, tmp_path: Path, suffix: str) -> None:
    rows = [["2025年上塘街道科技企业名单"], [], HEADER,
            [1, "杭州匠控科技有限公司", code(1), "上塘", "2019-03-01", 1200.5, "张三"],
            [2, "杭州天音计算机有限公司", code(2), "祥符街道", "2020/5/6", 300, "李四"],
            ["合计", "", "", "", "", 1500.5, ""]]
    path = WRITERS[suffix](tmp_path / f"list{suffix}", rows)
    result = run_import(db, path, options())
    assert result.summary() | {"batch_id": None} == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0,
                                                     "skipped": 0, "review": 0, "errors": [], "batch_id": None}
    stored = enterprises(db)
    ent = stored["杭州匠控科技有限公司"]
    assert ent.uscc == code(1) and ent.registered_on == dt.date(2019, 3, 1) and ent.contact_person == "张三"
    assert facts(db)[(ent.id, 2025)].revenue_wan == Decimal("1200.5")
    assert stored["杭州天音计算机有限公司"].registered_on == dt.date(2020, 5, 6)


def test_gbk_csv_and_bom_csv(db: Database, tmp_path: Path) -> None:
    rows = [HEADER, [1, "杭州（拱墅）智造有限公司", code(3), "湖墅", "2019年3月1日", "1,234.5", "王五"]]
    gbk = write_csv(tmp_path / "gbk.csv", rows, encoding="gbk")
    bom = write_csv(tmp_path / "bom.csv", [HEADER, [2, "杭州湖墅云端有限公司", code(4), "湖墅", "", "", ""]],
                    encoding="utf-8-sig")
    assert run_import(db, gbk, options()).plan.counts["create"] == 1
    assert run_import(db, bom, options()).plan.counts["create"] == 1
    assert set(enterprises(db)) == {"杭州（拱墅）智造有限公司", "杭州湖墅云端有限公司"}


@pytest.mark.parametrize("writer", [write_xlsx, write_xls, write_ods])
def test_merged_two_row_header_under_title_rows(db: Database, tmp_path: Path, writer: object) -> None:
    rows = [[Merge("2025年拱墅区企业培育名单", cols=8)], ["填报单位：小河街道", "", "", "", "", "", "单位：元"],
            [Merge("序号", rows=2), Merge("企业名称", rows=2), Merge("信用代码", rows=2), Merge("2024年", cols=2),
             None, Merge("知识产权", cols=2), None, Merge("备注", rows=2)],
            [None, None, None, "营业收入", "研发费用（千元）", "Ⅰ类", "Ⅱ类", None],
            [1, "杭州小河新材料有限公司", code(5), 25_000_000, 3000, 2, 7, "拟申报"],
            [None], ["填表人：张三", "", "审核人：李四"]]
    path = writer(tmp_path / f"two{'.xlsx' if writer is write_xlsx else '.xls' if writer is write_xls else '.ods'}",
                  rows)  # type: ignore[operator]
    result = run_import(db, path, options())
    assert result.plan.layout.header_rows == (2, 3)
    assert result.summary()["rows"] == 1 and result.plan.counts["create"] == 1, result.plan.issues
    ent = enterprises(db)["杭州小河新材料有限公司"]
    fact = facts(db)[(ent.id, 2024)]
    assert fact.revenue_wan == Decimal(2500)  # 元 stated above the header
    assert fact.rd_expense_wan == Decimal(300)  # 千元 in the header wins
    ip = facts(db)[(ent.id, 2025)]  # no year in the header: the previous calendar year
    assert (ip.ip_class1, ip.ip_class2) == (2, 7)
    assert ent.notes == "拟申报"


def test_units_dates_full_width_and_codes(db: Database, tmp_path: Path) -> None:
    header = ["企业名称", "统一社会信用代码", "注册日期", "营业收入(元)", "研发投入（千元）", "注册资本（亿元）",
              "职工人数"]
    rows = [header,
            ["杭州　甲 科技有限公司", code(6).lower(), 43525, "12,345,678", "１,２００", 0.5, "１２"],
            ["杭州乙科技有限公司", f" {code(7)} ", "2019.3.1", "", "", "", ""],
            ["杭州丙科技有限公司", "", "2019年3月1日", "无", "-", "/", ""],
            ["杭州丁科技有限公司", "", dt.date(2019, 3, 1), "", "", "", ""],
            ["杭州戊科技有限公司", code(8)[:-1] + ("0" if code(8)[-1] != "0" else "1"), "2019/13/1", "12元", "x",
             "", ""]]
    path = write_xlsx(tmp_path / "u.xlsx", rows)
    result = run_import(db, path, options(year=2024))
    counts = result.plan.counts
    assert (counts["create"], counts["skipped"]) == (4, 1)
    codes = {i.code for i in result.plan.issues}
    assert codes == {"uscc_invalid", "date_invalid", "number_invalid"}
    assert all(i.row == 6 for i in result.plan.issues)
    stored = enterprises(db)
    assert "杭州甲科技有限公司" in stored  # U+3000 and spaces inside names removed
    first = stored["杭州甲科技有限公司"]
    assert first.uscc == code(6) and first.registered_capital_wan == Decimal(5000)
    assert {e.registered_on for e in stored.values()} == {dt.date(2019, 3, 1)}
    fact = facts(db)[(first.id, 2024)]
    assert (fact.revenue_wan, fact.rd_expense_wan, fact.staff_avg) == (Decimal("1234.5678"), Decimal(120), 12)
    assert stored["杭州乙科技有限公司"].uscc == code(7)


def test_duplicates_identical_and_conflicting(db: Database, tmp_path: Path) -> None:
    rows = [HEADER,
            [1, "杭州甲科技有限公司", code(9), "上塘", "", 100, ""],
            [2, "杭州 甲科技有限公司", code(9), "上塘", "", 100, ""],
            [3, "杭州甲科技有限公司", "", "上塘", "", 120, ""]]
    result = run_import(db, write_xlsx(tmp_path / "d.xlsx", rows), options())
    assert [r.action for r in result.plan.rows] == ["create", "unchanged", "skipped"]
    issue, = result.plan.issues
    assert (issue.row, issue.code) == (4, "duplicate_conflict") and "第 2 行" in issue.message


def test_unknown_subdistrict_and_source(db: Database, tmp_path: Path) -> None:
    rows = [HEADER, [1, "杭州甲科技有限公司", "", "火星街道", "", "", ""],
            [2, "杭州乙科技有限公司", "", "", "", "", ""]]
    result = run_import(db, write_xlsx(tmp_path / "s.xlsx", rows), options(source="康桥"))
    assert [i.code for i in result.plan.issues] == ["subdistrict_unknown"]
    assert result.plan.issues[0].column == "D"
    with read_session(db) as session:
        sub = session.scalar(select(Enterprise.subdistrict_id).where(Enterprise.name == "杭州乙科技有限公司"))
        from models import Subdistrict
        assert session.get(Subdistrict, sub).name == "康桥街道"  # type: ignore[union-attr]


def test_lookalike_is_held_for_review_then_decided(db: Database, tmp_path: Path) -> None:
    existing = create_enterprise(db, EnterpriseInput(name="杭州天音计算机系统工程有限公司"))
    rows = [HEADER, [1, "杭州天音计算机系统工程有限责任公司", "", "", "", 50, ""]]
    path = write_xlsx(tmp_path / "f.xlsx", rows)
    plan = run_import(db, path, options()).plan
    row, = plan.rows
    assert row.action == "review" and row.candidate is not None and row.candidate.id == existing.id
    assert plan.summary(None)["review"] == 1 and len(enterprises(db)) == 1
    as_match = run_import(db, path, options(decisions={2: existing.id}))
    assert as_match.plan.rows[0].action == "update" and len(enterprises(db)) == 1
    as_new = run_import(db, path, options(decisions={2: None}), dry_run=True)
    assert as_new.plan.rows[0].action == "create"


def test_dry_run_leaves_the_database_file_byte_identical(db: Database, db_path: Path, tmp_path: Path) -> None:
    create_enterprise(db, EnterpriseInput(name="杭州甲科技有限公司"))
    db.dispose()
    before = db_path.read_bytes()
    rows = [HEADER, [1, "杭州甲科技有限公司", code(10), "上塘", "", 100, ""],
            [2, "杭州乙科技有限公司", "", "", "", 1, ""]]
    result = run_import(db, write_xlsx(tmp_path / "x.xlsx", rows), options(), dry_run=True)
    assert result.plan.counts["update"] == 1 and result.plan.counts["create"] == 1 and result.batch_id is None
    db.dispose()
    assert db_path.read_bytes() == before


def test_update_never_erases_and_reimport_is_idempotent(db: Database, tmp_path: Path) -> None:
    ent = create_enterprise(db, EnterpriseInput(name="杭州甲科技有限公司", contact_person="老王",
                                                address="莫干山路1号"))
    rows = [["企业名称", "统一社会信用代码", "联系人", "2024年营业收入"], ["杭州甲科技有限公司", code(11), "", 88]]
    path = write_xlsx(tmp_path / "n.xlsx", rows)
    first = run_import(db, path, options())
    update, = first.plan.rows
    assert update.action == "update" and {c.field for c in update.changes} == {"uscc", "revenue_wan"}
    stored = enterprises(db)["杭州甲科技有限公司"]
    assert (stored.contact_person, stored.address, stored.uscc) == ("老王", "莫干山路1号", code(11))
    assert stored.version == ent.version + 1
    again = run_import(db, path, options())
    assert again.summary()["unchanged"] == 1 and again.batch_id is None


def test_revert_removes_created_and_restores_updated(db: Database, tmp_path: Path) -> None:
    from services.importing.revert import list_batches, revert_batch

    old = create_enterprise(db, EnterpriseInput(name="杭州甲科技有限公司", contact_person="老王"))
    rows = [HEADER + ["资质"], [1, "杭州甲科技有限公司", "", "", "", 10, "小李", ""],
            [2, "杭州乙科技有限公司", code(12), "上塘", "2018-01-01", 20, "", "国高企"]]
    result = run_import(db, write_xlsx(tmp_path / "r.xlsx", rows), options())
    assert result.batch_id is not None and result.batch_no == "IMP-2026-0001"
    with read_session(db) as session:
        assert session.scalar(select(PoolEntry.target_type_code)) == "national_hte"
        assert session.scalar(select(AuditLog.id).where(AuditLog.batch_id == result.batch_id)) is not None
    reverted = revert_batch(db, result.batch_id)
    assert reverted.removed >= 3 and reverted.restored >= 1
    stored = enterprises(db)
    assert set(stored) == {"杭州甲科技有限公司"} and stored["杭州甲科技有限公司"].contact_person == "老王"
    assert facts(db) == {}
    with read_session(db) as session:
        assert session.scalar(select(PoolEntry.id)) is None
        assert session.get(ImportBatch, result.batch_id).reverted_at is not None  # type: ignore[union-attr]
    assert list_batches(db)[0].reverted_at is not None
    again = run_import(db, write_xlsx(tmp_path / "r.xlsx", rows), options())
    assert again.plan.counts["create"] == 1 and again.plan.counts["update"] == 1
    ent = enterprises(db)["杭州甲科技有限公司"]
    update_enterprise(db, old.id, EnterpriseInput(name=ent.name, contact_person="又改了"), expected_version=ent.version)
    with pytest.raises(Exception, match="杭州甲科技有限公司"):
        revert_batch(db, again.batch_id)  # type: ignore[arg-type]


def test_modes_create_and_update(db: Database, tmp_path: Path) -> None:
    create_enterprise(db, EnterpriseInput(name="杭州甲科技有限公司"))
    rows = [HEADER, [1, "杭州甲科技有限公司", "", "", "", 10, ""], [2, "杭州乙科技有限公司", "", "", "", 20, ""]]
    path = write_xlsx(tmp_path / "m.xlsx", rows)
    only_new = run_import(db, path, options(mode="create"), dry_run=True).plan
    assert [r.action for r in only_new.rows] == ["skipped", "create"]
    assert only_new.issues[0].code == "already_registered"
    only_old = run_import(db, path, options(mode="update"), dry_run=True).plan
    assert [r.action for r in only_old.rows] == ["update", "skipped"]
    assert only_old.issues[0].code == "not_registered"


def test_errored_rows_workbook_keeps_formulas_as_text(db: Database, tmp_path: Path) -> None:
    import python_calamine

    from services.importing.export import export_errors

    rows = [HEADER, [1, "=HYPERLINK(\"http://x\",\"点我\")", "BAD", "", "", "", ""], [2, "", "", "", "", "", "+1"]]
    plan = run_import(db, write_xlsx(tmp_path / "e.xlsx", rows), options(), dry_run=True).plan
    out = tmp_path / "errors.xlsx"
    assert export_errors(plan, out) == 2
    cells = python_calamine.CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert cells[0][:3] == ["原行号", "错误原因", "序号"]
    assert cells[1][0] == "2" and "uscc" not in cells[1][1] and "统一社会信用代码" in cells[1][1]
    assert cells[1][3] == "=HYPERLINK(\"http://x\",\"点我\")" and cells[2][8] == "+1"
    import zipfile
    with zipfile.ZipFile(out) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
