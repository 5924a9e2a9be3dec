"""The ``targets`` import of the real Gongshu table (DOMAIN §8.1(c)): 11 属地 × 3 years, 合计 checked, revert."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import Target
from models.db import Database
from services.importing.commit import run_import
from services.importing.errors import ImportFileError
from services.importing.plan import ImportOptions
from services.importing.revert import revert_batch
from services.session import read_session
from services.targets import target_grid
from services.users import Actor
from tests.importing.files import write_xlsx

#: DOMAIN.md §8.1(c), verbatim.
GONGSHU = "\t".join(("属地", "2017年国高企数", "2018年新增数", "2018年力争数", "2019年新增数", "2019年力争数",
                     "2020年新增数", "2020年力争数", "合计倍增数", "合计力争数")) + """
全区	107	28	33	40	47	52	63	227	250
上塘	5	1	1	2	3	3	4	11	13
祥符	10	3	5	3	5	5	7	21	27
半山	3	1	1	1	1	2	2	7	7
康桥	4	1	1	2	2	2	2	9	9
米市巷	7	1	1	3	3	4	5	15	16
湖墅	4	1	2	2	2	2	3	9	11
小河	3	1	1	1	2	2	3	7	9
拱宸桥	2	1	2	1	2	2	3	6	9
和睦	4	1	1	2	2	2	2	9	9
大关	3	2	2	2	2	2	2	9	9
园区	62	15	16	21	23	26	30	124	131"""
ROOT = Path(__file__).resolve().parents[2]
MANAGER = Actor("zhangke", "张科长", "manager")


def _table(tamper: dict[tuple[int, int], int] | None = None) -> list[list[object]]:
    lines = [line.split("\t") for line in GONGSHU.splitlines()]
    rows: list[list[object]] = [lines[0], *([cell if c == 0 else int(cell) for c, cell in enumerate(line)]
                                            for line in lines[1:])]
    for (r, c), value in (tamper or {}).items():
        rows[r][c] = value
    return [["拱墅区国家高新技术企业培育目标任务分解表（2018-2020年）"], ["单位：家"], *rows]


def _options(**kw: object) -> ImportOptions:
    return ImportOptions(kind="targets", today=dt.date(2026, 3, 1), **kw)  # type: ignore[arg-type]


def test_the_gongshu_table_imports_every_unit_and_year(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "拱墅国高企目标.xlsx", _table(), sheet="目标")
    dry = run_import(db, path, _options(), dry_run=True)
    assert dry.summary() == {"rows": 12, "created": 12, "updated": 0, "unchanged": 0, "skipped": 0, "review": 0,
                             "errors": [], "batch_id": None}
    assert all(r.note == "" for r in dry.plan.rows)  # every 属地 column adds up to 全区
    done = run_import(db, path, _options(), user="xiaowang")
    assert done.batch_id is not None
    with read_session(db) as session:
        assert session.scalar(select(func.count()).select_from(Target)) == 36  # 12 units × 3 years
    grid = target_grid(db, 2019)
    assert grid.warnings == ()
    by_unit = {r.unit: r for r in grid.rows}
    assert [by_unit["全区"].value("区", m) for m in ("required", "stretch", "base_value")] == [40, 47, 107]
    assert [by_unit["园区"].value("区", m) for m in ("required", "stretch", "base_value")] == [21, 23, 62]
    assert by_unit["米市巷街道"].targets["区"].source == "表格导入"
    again = run_import(db, path, _options())
    assert again.batch_id is None and again.summary()["unchanged"] == 12
    reverted = revert_batch(db, done.batch_id, actor=MANAGER)
    assert reverted.removed == 36
    with read_session(db) as session:
        assert session.scalar(select(func.count()).select_from(Target)) == 0


def test_a_tampered_total_is_flagged_and_the_row_skipped(db: Database, tmp_path: Path) -> None:
    # 祥符 合计倍增数 21 → 22, and 上塘's 2019 新增数 2 → 3 (its totals then no longer add up either).
    path = write_xlsx(tmp_path / "改过.xlsx", _table({(3, 8): 22, (2, 4): 3}))
    result = run_import(db, path, _options(), dry_run=True)
    summary = result.summary()
    assert (summary["created"], summary["skipped"]) == (10, 2)
    assert summary["errors"] == [
        {"row": 5, "column": "I", "code": "total_mismatch",
         "message": "合计倍增数应为 2017年国高企数 5 + 各年新增数 7 = 12，表中为 11"},
        {"row": 6, "column": "I", "code": "total_mismatch",
         "message": "合计倍增数应为 2017年国高企数 10 + 各年新增数 11 = 21，表中为 22"},
    ]


def test_the_city_table_and_bad_units(db: Database, tmp_path: Path) -> None:
    rows = [["属地", "2019年新增数", "2019年力争数"], ["拱墅区", 36, 40], ["上塘街道", 3, 2], ["西溪", 1, 1],
            ["全区", 36, 40]]
    path = write_xlsx(tmp_path / "市下达.xlsx", rows)
    result = run_import(db, path, _options(source="市"))
    assert [(r.row, r.action) for r in result.plan.rows] == [(2, "create"), (3, "skipped"), (4, "skipped"),
                                                             (5, "unchanged")]
    assert [e["code"] for e in result.summary()["errors"]] == ["stretch_below_required", "subdistrict_unknown"]
    grid = target_grid(db, 2019)
    assert grid.rows[0].targets.keys() == {"市"} and grid.rows[0].value("市", "required") == 36


def test_the_command_line_prints_the_summary(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "目标.xlsx", _table())
    db_file = tmp_path / "cli.sqlite"
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "import", str(path), "--db", str(db_file),
                          "--kind", "targets", "--json"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["created"] == 12


def test_an_enterprise_list_is_not_a_target_table(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "企业.xlsx", [["企业名称", "统一社会信用代码"], ["杭州匠控科技有限公司", ""]])
    with pytest.raises(ImportFileError, match="找不到表头"):
        run_import(db, path, _options(), dry_run=True)
