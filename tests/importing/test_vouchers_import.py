"""The ``vouchers`` import on real xlsx files: grants matched to the register, the cap checked per row across the
stored grants and the rows above, uses and paid redemptions carried along, review of look-alikes, conflicts never
overwritten, re-import unchanged, and revert."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from models import VoucherGrant, VoucherRedemption, VoucherUse
from models.db import Database
from services.database import open_database
from services.importing.commit import run_import
from services.importing.plan import ImportOptions
from services.importing.revert import revert_batch
from services.session import read_session
from services.vouchers import GrantInput, apply_grant, get_grant
from tests.helpers.vouchers import TODAY, YEAR, D, build, issued
from tests.importing.files import write_xlsx

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["序号", "企业名称", "统一社会信用代码", "券号", "申领日期", "申领金额（元）", "发放日期",
          "发放金额（元）", "服务机构", "服务类型", "技术合同登记号", "合同金额（元）", "实际支付金额（元）",
          "使用日期", "使用金额（元）", "兑现金额（元）", "兑现日期", "批次"]
LAB = "浙江方圆检测集团股份有限公司"


def row(n: int, name: str, uscc: str, no: str, applied: float, issued_amount: float | None = None, *,
        used: float | None = None, paid: float | None = None, contract: str = "", redeemed: float | None = None,
        batch: str = "") -> list[object]:
    use = [LAB, "测试分析", contract, paid, paid, "2025-04-10", used] if used is not None else [""] * 7
    return [n, name, uscc, no, "2025-03-01", applied, "2025-03-15" if issued_amount else "", issued_amount or "",
            *use, redeemed or "", "2025-12-20" if redeemed else "", batch]


def sheet(tmp_path: Path, rows: list[list[object]], name: str = "v.xlsx") -> Path:
    return write_xlsx(tmp_path / name, [["拱墅区2025年度科技创新券发放兑现情况表"], HEADER, *rows,
                                        ["合计", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""]],
                      sheet="创新券")


def options(**kw: object) -> ImportOptions:
    return ImportOptions(kind="vouchers", today=TODAY, **kw)  # type: ignore[arg-type]


def counts(db: Database) -> tuple[int, int, int]:
    with read_session(db) as session:
        return tuple(session.scalar(select(func.count()).select_from(m)) or 0  # type: ignore[return-value]
                     for m in (VoucherGrant, VoucherUse, VoucherRedemption))


def test_grants_uses_and_redemptions_import_with_caps_per_row(db: Database, tmp_path: Path) -> None:
    world = build(db)
    issued(db, world.firms["乙"], "12")  # stored: 12 of 乙's 20 taken
    rows = [
        row(1, "杭州甲科技有限公司", "91330105MA2CDEF012", "GSCXQ202500101", 100_000, 80_000, used=30_000,
            paid=100_000, contract="2025330105000501", redeemed=30_000, batch="第一批"),
        row(2, "杭州甲科技有限公司", "", "GSCXQ202500102", 120_000, 120_000),  # 8 + 12 = 20: exactly the cap
        row(3, "杭州甲科技有限公司", "", "GSCXQ202500103", 100, None),  # 0.01 over
        row(4, "杭州乙智能科技有限公司", "", "", 80_000),  # 12 + 8 = 20 with the stored grant
        row(5, "杭州乙智能科技有限公司", "", "", 80_001),
        row(6, "杭州丁科技有限公司", "", "", 10_000),  # not in the register
        row(7, "杭州甲科技有限公司", "", "GSCXQ202500104", 50_000, 50_000, used=20_000, paid=50_000,
            contract="2025330105000502"),  # over the cap as well, and a use beyond 30% of the paid amount
        row(8, "杭州丙生物医药有限公司", "", "GSCXQ202500105", 50_000, 50_000, used=10_000, paid=50_000,
            contract="2025330105000501"),  # the contract number of row 3 again
    ]
    path = sheet(tmp_path, rows)
    dry = run_import(db, path, options(), dry_run=True)
    summary = dry.summary()
    assert (summary["rows"], summary["created"], summary["skipped"], summary["batch_id"]) == (8, 3, 5, None)
    errors = {(e["row"], e["code"]): e["message"] for e in summary["errors"]}
    full = "该企业2025年已申领 20 万元，上限 20 万元，本次最多 0 万元；"
    assert errors[(5, "cap_exceeded")] == full + "本次 0.01 万元 超出上限"
    assert errors[(7, "cap_exceeded")] == full + "本次 8.0001 万元 超出上限"
    assert (8, "enterprise_unknown") in errors
    assert errors[(9, "cap_exceeded")].startswith("该企业2025年已申领 20 万元")
    assert errors[(10, "duplicate_conflict")] == "合同登记号 2025330105000501 已在第 3 行使用"
    assert next(e for e in summary["errors"] if e["row"] == 5)["column"] == "F"
    assert counts(db) == (1, 0, 0)

    result = run_import(db, path, options())
    assert result.batch_id is not None and counts(db) == (4, 1, 1)
    with read_session(db) as session:
        first = session.scalar(select(VoucherGrant).where(VoucherGrant.voucher_no == "GSCXQ202500101"))
        use = session.scalars(select(VoucherUse)).one()
        redemption = session.scalars(select(VoucherRedemption)).one()
        assert first is not None
        assert (first.status, first.amount_applied_wan, first.amount_issued_wan) == ("兑现", D(10), D(8))
        assert (use.voucher_amount_wan, use.paid_amount_wan, use.contract_no) == (D(3), D(10), "2025330105000501")
        assert (redemption.status, redemption.subsidy_wan, redemption.city_share_wan, redemption.district_share_wan,
                redemption.batch_no, redemption.paid_on) == ("已兑付", D(3), D("1.2"), D("1.8"), 1,
                                                              dt.date(YEAR, 12, 20))
        generated = session.scalar(select(VoucherGrant.voucher_no).where(
            VoucherGrant.enterprise_id == world.firms["乙"], VoucherGrant.amount_applied_wan == D(8)))
    assert generated == "GSCXQ202500103"  # the next free number after those stored

    again = run_import(db, path, options())
    assert (again.summary()["unchanged"], again.summary()["created"], again.batch_id) == (3, 0, None)

    revert_batch(db, result.batch_id)
    assert counts(db) == (1, 0, 0)


def test_a_stored_grant_is_carried_along_its_life_and_conflicts_are_refused(db: Database, tmp_path: Path) -> None:
    world = build(db)
    pending = apply_grant(db, GrantInput(YEAR, D(5), dt.date(YEAR, 3, 1), enterprise_id=world.firms["甲"]),
                          today=TODAY)
    number = pending.voucher_no
    path = sheet(tmp_path, [row(1, "杭州甲科技有限公司", "", number, 50_000, 40_000, used=12_000, paid=40_000,
                                contract="2025330105000601")])
    result = run_import(db, path, options())
    update, = result.plan.rows
    assert update.action == "update" and [c.label for c in update.changes] == [
        "发放金额", "发放日期", "服务机构", "服务类型", "合同登记号", "使用日期", "使用金额"]
    grant = get_grant(db, pending.id)
    assert (grant.status, grant.amount_issued_wan, grant.balance_wan) == ("使用", D(4), D("2.8"))
    redeemed = sheet(tmp_path, [row(1, "杭州甲科技有限公司", "", number, 50_000, 40_000, used=12_000, paid=40_000,
                                    contract="2025330105000601", redeemed=12_000, batch="2")], "r.xlsx")
    assert run_import(db, redeemed, options()).plan.counts["update"] == 1
    assert get_grant(db, pending.id).status == "兑现"
    changed = sheet(tmp_path, [row(1, "杭州甲科技有限公司", "", number, 50_000, 30_000)], "c.xlsx")
    conflict = run_import(db, changed, options())
    assert conflict.summary()["errors"] == [{
        "row": 3, "column": "H", "code": "voucher_conflict",
        "message": f"与库中创新券 {number} 的发放金额不同（库中 4，文件 3）；"
                   "导入不修改已登记的数据，请在创新券页面核对"}]
    assert get_grant(db, pending.id).amount_issued_wan == D(4)


def test_lookalike_waits_for_review_and_unknown_provider_is_an_error(db: Database, tmp_path: Path) -> None:
    build(db)
    path = sheet(tmp_path, [row(1, "杭州甲科技有限责任公司", "", "", 10_000),
                            [2, "杭州丙生物医药有限公司", "", "", "2025-03-01", 10_000, "2025-03-15", 10_000,
                             "无名检测所", "测试分析", "2025330105000701", 10_000, 10_000, "2025-04-10", 3_000, "", "",
                             ""]])
    result = run_import(db, path, options(), dry_run=True)
    first, second = result.plan.rows
    assert first.action == "review" and first.candidate is not None and first.candidate.name == "杭州甲科技有限公司"
    assert second.action == "skipped" and second.issues[0].code == "provider_unknown"
    decided = run_import(db, path, options(decisions={3: first.candidate.id}), dry_run=True)
    assert decided.plan.rows[0].action == "create"


def test_command_line_json(db_path: Path, tmp_path: Path) -> None:
    with open_database(db_path) as opened:
        build(opened.db)
    path = sheet(tmp_path, [row(1, "杭州甲科技有限公司", "91330105MA2CDEF012", "", 50_000, 50_000)])
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "import", str(path), "--db", str(db_path),
                           "--kind", "vouchers", "--json"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["rows"], summary["created"], summary["errors"]) == (1, 1, [])
