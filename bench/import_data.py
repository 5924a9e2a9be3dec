"""The data of the import benchmarks: a 50,000-row × 20-column enterprise list (``--quick``: 2,000 rows).

The workbook is written with xlsxwriter in the benchmark's folder as a subdistrict would send it: a title row, the
header under it, units in the header, dates as text, a 属地 column with short names. The floor is what PRODUCT.md
names: reading the same file with python-calamine plus inserting the same rows with sqlite3 ``executemany`` into a
fresh file (the application's journal mode and sync level), in one transaction.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import time
from pathlib import Path

import python_calamine
import xlsxwriter

from services.database import open_database
from services.uscc import make_uscc

HEADER = ("序号", "企业名称", "统一社会信用代码", "所属街道", "注册时间", "行业领域", "联系人", "联系电话",
          "2024年营业收入（万元）", "2024年研发费用（元）", "2024年职工人数", "2024年科技人员数", "地址", "法定代表人",
          "注册资本（万元）", "Ⅰ类知识产权", "Ⅱ类知识产权", "资产总额", "净资产", "备注")
SUBDISTRICTS = ("上塘", "祥符", "半山", "康桥", "米市巷", "湖墅", "小河", "拱宸桥", "和睦", "大关")
FIELDS = ("电子信息", "生物与新医药", "新材料", "高技术服务", "先进制造与自动化")
_CHARS = "匠控天音计算机系统工程网络信息数字智能医疗生物材料新能源环境制造自动化电子云端星辰海川山河明德博雅"
SHEET = "企业名单"


def row_count(quick: bool) -> int:
    return 2_000 if quick else 50_000


def xlsx_path(workdir: Path) -> Path:
    return workdir / "enterprises.xlsx"


def db_path(workdir: Path) -> Path:
    return workdir / "techledger.sqlite"


def fresh_db(workdir: Path) -> Path:
    """The prepared, empty database again (kept aside the first time), for one more timed import."""
    path, pristine = db_path(workdir), workdir / "pristine.sqlite"
    if not pristine.exists():
        shutil.copyfile(path, pristine)
    for leftover in workdir.glob(f"{path.name}*"):
        leftover.unlink()
    shutil.copyfile(pristine, path)
    return path


def generate(workdir: Path, quick: bool) -> None:
    """Write the workbook and an empty, migrated database into ``workdir``."""
    rng = random.Random(20260101)
    workbook = xlsxwriter.Workbook(str(xlsx_path(workdir)), {"constant_memory": True})
    sheet = workbook.add_worksheet(SHEET)
    sheet.write_string(0, 0, "拱墅区科技型企业汇总表")
    sheet.write_row(1, 0, HEADER)
    for i in range(row_count(quick)):
        core = "".join(rng.choice(_CHARS) for _ in range(4))
        sheet.write_row(i + 2, 0, (
            i + 1, f"杭州{core}{i}科技有限公司", make_uscc(f"91330105{i:09d}"), rng.choice(SUBDISTRICTS),
            f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", rng.choice(FIELDS),
            "张三", f"0571-8{rng.randint(1000000, 9999999)}", round(rng.uniform(100, 20000), 2),
            f"{rng.randint(100000, 9000000):,}", rng.randint(60, 600), rng.randint(3, 60),
            f"杭州市拱墅区莫干山路{i}号", "李四", round(rng.uniform(50, 5000), 2), rng.randint(0, 20),
            rng.randint(0, 60), round(rng.uniform(10000, 50000), 2), round(rng.uniform(100, 9000), 2), ""))
    workbook.close()
    with open_database(db_path(workdir)):
        pass


def prepare(workdir: Path, quick: bool) -> None:
    """The benchmark's prepare step: the workbook and the database."""
    generate(workdir, quick)


def floor(workdir: Path, quick: bool = False) -> float:
    """Seconds to read the file with calamine and insert its data rows with sqlite3 executemany."""
    for leftover in workdir.glob("floor.sqlite*"):
        leftover.unlink()
    target = sqlite3.connect(workdir / "floor.sqlite", isolation_level=None)
    try:
        target.execute("PRAGMA journal_mode=WAL")
        target.execute("PRAGMA synchronous=FULL")
        target.execute(f"CREATE TABLE rows ({', '.join(f'c{i} TEXT' for i in range(len(HEADER)))})")
        started = time.perf_counter()
        workbook = python_calamine.CalamineWorkbook.from_path(str(xlsx_path(workdir)))
        rows = workbook.get_sheet_by_name(SHEET).to_python(skip_empty_area=False)[2:]
        target.execute("BEGIN")
        target.executemany(f"INSERT INTO rows VALUES ({', '.join('?' * len(HEADER))})", rows)
        target.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        target.close()
