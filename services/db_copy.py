"""Copy a whole database to another engine: SQLite → PostgreSQL for a bureau moving to a server, and back.

The target must be empty. Its structure is made by the same migrations, then every table is copied in dependency
order with its keys unchanged (history in the audit log still points at the right rows), in one transaction, and
PostgreSQL's id sequences are moved past the copied keys. Afterwards both sides are read again and compared per
table by row count and a SHA-256 over the rows in key order, with values read through the same column types (so
exact money, UTC times and flags compare as the application sees them). A copy that does not verify is rolled
back / removed and reported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, Table, func, insert, inspect, select, text

from models import Base
from models.db import Database, resolve_url
from models.migrate import current_revision, head_revision, upgrade
from services.database import open_database
from services.errors import UserFacingError
from services.lock import InstanceLock
from services.progress import Progress

log = logging.getLogger(__name__)
CHUNK = 5_000


@dataclass(frozen=True)
class TableCheck:
    table: str
    rows: int
    sha256: str


@dataclass(frozen=True)
class CopyResult:
    source: str
    target: str
    tables: tuple[TableCheck, ...]

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def describe(self) -> str:
        return (f"已将“{self.source}”复制到“{self.target}”：{len(self.tables)} 张表，共 {self.total_rows:,} 行，"
                "逐表核对行数与校验和一致。")


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _value(v: object) -> str:
    if v is None:
        return "∅"
    if isinstance(v, dt.datetime):
        return v.astimezone(dt.UTC).isoformat() if v.tzinfo else v.isoformat()
    if isinstance(v, dt.date | Decimal):
        return str(v)
    if isinstance(v, bool):
        return "1" if v else "0"
    return repr(v)


def table_checks(conn: Connection) -> list[TableCheck]:
    """Row count and checksum of every table of the model, rows in primary-key order."""
    checks = []
    for table in _tables():
        digest = hashlib.sha256()
        rows = 0
        order = list(table.primary_key.columns)
        for row in conn.execution_options(yield_per=CHUNK).execute(select(table).order_by(*order)):
            digest.update("\x1f".join(_value(v) for v in row).encode("utf-8"))
            digest.update(b"\x1e")
            rows += 1
        checks.append(TableCheck(table.name, rows, digest.hexdigest()))
    return checks


def _ensure_empty_target(target: Database) -> None:
    with target.engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        if not names:
            return
        if "alembic_version" in names and current_revision(conn) != head_revision():
            raise UserFacingError(f"目标数据库“{target.display_name()}”的结构版本不同，无法复制。请使用空数据库。")
        for table in _tables():
            if table.name in names and conn.scalar(select(func.count()).select_from(table)):
                raise UserFacingError(f"目标数据库“{target.display_name()}”不是空的（表 {table.name} 已有数据），"
                                      "为避免覆盖，复制已取消。")


def copy_database(source_arg: str | Path, target_arg: str | Path, progress: Progress | None = None) -> CopyResult:
    """Copy the database ``source_arg`` into the empty database ``target_arg`` and verify the copy.

    Raises:
        UserFacingError: the target is not empty or not reachable, or the copy did not verify (nothing is kept).
    """
    target_url = resolve_url(target_arg)
    target_path = Path(target_url.database) if target_url.get_backend_name() == "sqlite" and target_url.database \
        else None
    existed = target_path is not None and target_path.exists()
    with open_database(source_arg) as source:
        lock = InstanceLock(target_path).acquire() if target_path is not None else None
        target = Database.connect(target_url)
        try:
            _ensure_empty_target(target)
            upgrade(target.engine)
            target.enable_wal()
            result = _copy_and_verify(source.db, target, progress)
        except BaseException:
            target.dispose()
            if target_path is not None and not existed:
                for suffix in ("", "-wal", "-shm"):
                    Path(str(target_path) + suffix).unlink(missing_ok=True)
            raise
        finally:
            target.dispose()
            if lock is not None:
                lock.release()
    log.info("copied %s to %s: %d rows", result.source, result.target, result.total_rows)
    return result


def _copy_and_verify(source: Database, target: Database, progress: Progress | None) -> CopyResult:
    """Copy every table and compare both sides before committing: a copy that does not verify is rolled back."""
    tables = _tables()
    with source.engine.connect() as src, target.engine.begin() as dst:
        for number, table in enumerate(tables, 1):
            if progress is not None:
                progress.update(f"正在复制 {table.name}…", number, len(tables))
            dst.execute(table.delete())  # rows a migration may have seeded
            result = src.execution_options(yield_per=CHUNK).execute(select(table))
            for chunk in result.mappings().partitions(CHUNK):
                dst.execute(insert(table), [dict(row) for row in chunk])
        if dst.dialect.name == "postgresql":
            _move_sequences(dst, tables)
        if progress is not None:
            progress.update("正在核对行数与校验和…")
        expected, actual = table_checks(src), table_checks(dst)
        if expected != actual:
            bad = [f"{e.table}（{e.rows} 行 → {a.rows} 行）" for e, a in zip(expected, actual, strict=True) if e != a]
            raise UserFacingError("复制后核对不一致：" + "、".join(bad) + "。已撤销复制，目标数据库未写入数据。")
    return CopyResult(source.display_name(), target.display_name(), tuple(actual))


def _move_sequences(conn: Connection, tables: list[Table]) -> None:
    """Let PostgreSQL hand out ids after the copied ones."""
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and pk[0].type.python_type is int:
            conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                f"COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1, false)"))
