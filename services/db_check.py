"""The database check (``main.py check``, 帮助 ▸ 检查数据库): integrity, foreign keys, structure version, references.

The check only reads. On SQLite it runs ``PRAGMA integrity_check`` (every page, every index against its table) and
``PRAGMA foreign_key_check``; on a server database those are the server's business, so only the structure version
and the row counts are reported.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Connection, func, select
from sqlalchemy import exc as sa_exc

from models import (
    AuditLog,
    Base,
    Carrier,
    District,
    Enterprise,
    EnterpriseQualification,
    Payment,
    Subdistrict,
    Tenancy,
    VoucherGrant,
)
from models.db import Database
from models.migrate import current_revision, head_revision

#: Tables whose row counts the report shows, with their Chinese labels.
MAIN_TABLES: tuple[tuple[type[Base], str], ...] = (
    (Enterprise, "企业"),
    (EnterpriseQualification, "资质记录"),
    (Carrier, "载体"),
    (Tenancy, "入驻记录"),
    (VoucherGrant, "创新券"),
    (Payment, "兑现记录"),
    (AuditLog, "修改日志"),
    (District, "区县"),
    (Subdistrict, "属地"),
)
#: At most this many lines of ``integrity_check`` output are quoted in the report.
MAX_QUOTED = 10


@dataclass(frozen=True)
class CheckReport:
    """The outcome of :func:`check_database`.

    Attributes:
        ok: No problem was found.
        problems: One Chinese sentence per problem.
        facts: What was found: ``revision``, ``head_revision``, ``journal_mode``, ``file_size_bytes``,
            ``wal_size_bytes`` (SQLite only) and ``rows.<table>`` for each of :data:`MAIN_TABLES`.
    """

    ok: bool
    problems: list[str] = field(default_factory=list)
    facts: dict[str, str | int] = field(default_factory=dict)

    def describe(self) -> str:
        """The report as the command line and the GUI show it."""
        lines = ["数据库检查：未发现问题。" if self.ok else f"数据库检查：发现 {len(self.problems)} 个问题。"]
        lines += [f"  ✗ {problem}" for problem in self.problems]
        revision, head = self.facts.get("revision", "无"), self.facts.get("head_revision")
        lines.append(f"结构版本：{revision}" + ("（最新）" if revision == head else f"（本软件为 {head}）"))
        if "file_size_bytes" in self.facts:
            size = int(self.facts["file_size_bytes"]) / 1_048_576
            wal = int(self.facts.get("wal_size_bytes", 0)) / 1_048_576
            lines.append(f"文件大小：{size:.1f} MB（WAL {wal:.1f} MB），日志模式：{self.facts.get('journal_mode')}")
        counts = [f"{label} {self.facts[f'rows.{model.__tablename__}']}" for model, label in MAIN_TABLES
                  if f"rows.{model.__tablename__}" in self.facts]
        if counts:
            lines.append("记录数：" + "，".join(counts))
        return "\n".join(lines)


def check_database(db: Database) -> CheckReport:
    """Check an open database and report what was found; changes nothing."""
    problems: list[str] = []
    facts: dict[str, str | int] = {"head_revision": head_revision()}
    with db.engine.connect() as conn:
        if db.is_sqlite:
            _check_sqlite_file(conn, problems, facts)
        _check_contents(conn, problems, facts)
    if db.path is not None:
        facts["file_size_bytes"] = db.path.stat().st_size
        wal = db.path.with_name(db.path.name + "-wal")
        facts["wal_size_bytes"] = wal.stat().st_size if wal.exists() else 0
    return CheckReport(ok=not problems, problems=problems, facts=facts)


def _check_sqlite_file(conn: Connection, problems: list[str], facts: dict[str, str | int]) -> None:
    try:
        facts["journal_mode"] = str(conn.exec_driver_sql("PRAGMA journal_mode").scalar())
        messages = [str(row[0]) for row in conn.exec_driver_sql("PRAGMA integrity_check")]
    except sa_exc.DBAPIError as exc:
        problems.append(f"数据库文件已损坏，完整性检查无法完成（{exc.orig}）。请从备份恢复。")
        return
    if messages != ["ok"]:
        quoted = "；".join(messages[:MAX_QUOTED]) + ("……" if len(messages) > MAX_QUOTED else "")
        problems.append(f"完整性检查未通过，数据库文件已损坏，请从备份恢复（{quoted}）。")
    try:
        violations = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    except sa_exc.DBAPIError as exc:
        problems.append(f"外键检查无法完成（{exc.orig}）。")
        return
    for (table, parent), count in sorted(Counter((str(row[0]), str(row[2])) for row in violations).items()):
        problems.append(f"表 {table} 中有 {count} 行引用了表 {parent} 中不存在的记录（外键检查）。")


def _check_contents(conn: Connection, problems: list[str], facts: dict[str, str | int]) -> None:
    try:
        revision = current_revision(conn)
    except sa_exc.DBAPIError as exc:
        problems.append(f"无法读取结构版本（{exc.orig}）。")
        return
    facts["revision"] = revision or "无"
    if revision != facts["head_revision"]:
        problems.append(f"数据库结构版本为 {revision or '无'}，与本软件的 {facts['head_revision']} 不一致。")
    for model, label in MAIN_TABLES:
        name = model.__tablename__
        try:
            facts[f"rows.{name}"] = int(conn.scalar(select(func.count()).select_from(model)) or 0)
        except sa_exc.DBAPIError as exc:
            problems.append(f"无法读取表 {name}（{label}）：{exc.orig}。")
    if facts.get(f"rows.{District.__tablename__}") == 0:
        problems.append("缺少参考数据：区县表为空。重新打开数据库会自动补齐。")
