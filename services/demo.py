"""A realistic demo database of 拱墅区: ``python main.py demo --db FILE [--enterprises N] [--seed S]``.

The whole register is filled in one transaction with bulk inserts: Core-compiled INSERTs, the columns' own type
conversions, executemany in chunks of 5,000 rows (see :class:`services.demo_base.BulkWriter`; no ORM objects and no
per-row audit entries: demo data is not user input). The same seed and the same ``as_of`` give the same database,
row for row; ``as_of`` defaults to today so that the demo always looks current (every date is relative to it).

The work is done in stages, one module each: the register (:mod:`services.demo_register`), certifications
(:mod:`services.demo_quals`), R&D institutions, pools, pre-reviews and visits (:mod:`services.demo_cultivation`),
carriers (:mod:`services.demo_carriers`), pay-outs and targets (:mod:`services.demo_payouts`) and vouchers
(:mod:`services.demo_vouchers`).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from models import AppSetting
from models.db import Database
from services.database import open_database
from services.demo_base import BulkWriter, DemoContext, load_reference
from services.demo_carriers import build_carriers
from services.demo_cultivation import build_cultivation
from services.demo_payouts import build_payouts
from services.demo_quals import build_qualifications, holders
from services.demo_register import build_register
from services.demo_vouchers import build_vouchers
from services.errors import UserFacingError
from services.lock import InstanceLock
from services.progress import Progress
from services.session import unit_of_work

log = logging.getLogger(__name__)

DISTRICT = "拱墅区"
BUREAU = "杭州市拱墅区科学技术局"
#: Largest register the generator accepts (made-up names and credit codes stay unique well beyond it).
MAX_ENTERPRISES = 1_000_000
STAGES: tuple[tuple[str, Callable[[DemoContext], None]], ...] = (
    ("企业名录与年度数据", build_register),
    ("资质认定", build_qualifications),
    ("研发机构、培育库、预审与走访", build_cultivation),
    ("孵化载体", build_carriers),
    ("政策兑现与目标", build_payouts),
    ("创新券", build_vouchers),
)
#: SQLite files that belong to a database besides the main one.
SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class DemoSummary:
    """What a demo build produced.

    Attributes:
        counts: rows written per table name.
        holders: firms holding each qualification type at ``as_of`` (type code → count).
    """

    path: Path
    seed: int
    as_of: dt.date
    seconds: float
    counts: Mapping[str, int]
    holders: Mapping[str, int]

    def count(self, table: str) -> int:
        return self.counts.get(table, 0)

    def describe(self) -> str:
        """A short Chinese summary for the command line."""
        c, h = self.count, self.holders.get
        lines = [
            f"已生成演示数据库：{self.path}",
            f"{BUREAU}，数据截至 {self.as_of:%Y-%m-%d}，随机种子 {self.seed}，用时 {self.seconds:.1f} 秒。",
            f"企业 {c('enterprise'):,} 家（年度数据 {c('enterprise_year_fact'):,} 条，"
            f"曾用名 {c('enterprise_former_name'):,} 个）；资质记录 {c('enterprise_qualification'):,} 条，"
            f"现有国高企 {h('national_hte', 0):,} 家、市高企 {h('city_hte', 0):,} 家、省科小 {h('prov_tsme', 0):,} 家；"
            f"研发机构 {c('rd_institution'):,} 个。",
            f"培育库 {c('pool_entry'):,} 条，预审 {c('pre_review'):,} 次，走访 {c('visit'):,} 次"
            f"（问题 {c('visit_issue'):,} 个）；载体 {c('carrier'):,} 个（在孵记录 {c('tenancy'):,} 条，"
            f"季度统计 {c('carrier_period_stat'):,} 份）。",
            f"创新券 {c('voucher_grant'):,} 张（使用 {c('voucher_use'):,} 笔，"
            f"兑现申请 {c('voucher_redemption'):,} 笔）；兑现通知 {c('payment_notice'):,} 份"
            f"（拨付 {c('payment'):,} 笔）；目标 {c('target'):,} 条。",
        ]
        return "\n".join(lines)


def build_demo(path: Path, *, enterprises: int = 2000, seed: int = 1, replace: bool = False,
               as_of: dt.date | None = None, progress: Progress | None = None) -> DemoSummary:
    """Create a demo database file of 拱墅区 with ``enterprises`` enterprises and everything around them.

    Args:
        path: the SQLite file to create.
        enterprises: size of the register; the 1,545 real names come first, then made-up ones.
        seed: the same seed (and the same ``as_of``) gives the same database.
        replace: delete an existing file first instead of refusing.
        as_of: the day the data is current at (default today).
        progress: receives the stage being built; cancelling it undoes the build.

    Raises:
        UserFacingError: the file exists with content and ``replace`` is false, the size is out of range, or the
            database cannot be written.
        services.progress.Cancelled: the build was cancelled (nothing is left behind).
    """
    if not 1 <= enterprises <= MAX_ENTERPRISES:
        raise UserFacingError(f"企业数量应在 1 到 {MAX_ENTERPRISES:,} 之间，现为 {enterprises}。")
    path = Path(path)
    as_of = as_of or dt.date.today()
    _clear(path, replace)
    started = time.perf_counter()
    opened = open_database(path)
    try:
        with opened:
            counts, held = _fill(opened.db, enterprises=enterprises, seed=seed, as_of=as_of, progress=progress)
    except BaseException:
        _remove(path)
        raise
    seconds = time.perf_counter() - started
    log.info("demo database %s: %d enterprises, seed %d, as of %s, %.1f s", path, enterprises, seed, as_of, seconds)
    return DemoSummary(path=path, seed=seed, as_of=as_of, seconds=seconds, counts=MappingProxyType(counts),
                       holders=MappingProxyType(held))


def _has_content(path: Path) -> bool:
    return any(p.exists() and p.stat().st_size > 0 for p in (path, *(Path(f"{path}{s}") for s in SIDE_FILES)))


def _clear(path: Path, replace: bool) -> None:
    """Refuse to touch a file with content unless asked to replace it; then delete it (holding its lock)."""
    if "://" in str(path):
        raise UserFacingError("演示数据库只能生成为 SQLite 文件，请用 --db 指定一个文件路径。")
    if path.is_dir():
        raise UserFacingError(f"“{path}”是一个文件夹，请指定要生成的数据库文件名。")
    if _has_content(path) and not replace:
        raise UserFacingError(
            f"文件“{path}”已存在且有内容，演示数据不会覆盖已有的数据库。请换一个文件名，或加 --force 覆盖该文件。"
        )
    with InstanceLock(path):
        _remove(path)


def _remove(path: Path) -> None:
    for file in (path, *(Path(f"{path}{s}") for s in SIDE_FILES)):
        file.unlink(missing_ok=True)


def _fill(db: Database, *, enterprises: int, seed: int, as_of: dt.date,
          progress: Progress | None) -> tuple[dict[str, int], dict[str, int]]:
    """All stages in one transaction; returns (rows per table, holders per qualification type)."""
    with unit_of_work(db, source="demo") as session:
        conn = session.connection()
        writer = BulkWriter(conn, on_flush=progress.update if progress else None)
        ctx = DemoContext(
            writer=writer, seed=seed, as_of=as_of, enterprises=enterprises,
            created_at=dt.datetime.combine(as_of, dt.time(1, 0), tzinfo=dt.UTC), **load_reference(session),
        )
        _settings(session, ctx)
        for step, (label, stage) in enumerate(STAGES):
            if progress is not None:
                progress.update(label, step, len(STAGES) + 1)
            stage(ctx)
        if progress is not None:
            progress.update("写入数据库", len(STAGES), len(STAGES) + 1)
        writer.flush()
    return dict(writer.counts), holders(ctx)


def _settings(session: Session, ctx: DemoContext) -> None:
    values = {"district": DISTRICT, "bureau_name": BUREAU, "demo_seed": str(ctx.seed),
              "demo_as_of": ctx.as_of.isoformat()}
    session.execute(delete(AppSetting).where(AppSetting.key.in_(values)))
    session.execute(insert(AppSetting), [{"key": k, "value": v} for k, v in values.items()])
