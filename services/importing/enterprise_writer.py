"""Writing an enterprise plan in the commit's transaction: Core bulk inserts and updates, audited row by row.

The ORM's unit of work costs about a millisecond a row; a 50,000-row list would take minutes. Rows are therefore
written with SQLAlchemy Core — inserts through :class:`services.demo_base.BulkWriter` (compiled once, converted by
the columns' own types), updates as ``executemany`` per set of changed columns — and every inserted row and every
changed field gets its audit row through :func:`services.audit.record`, in the same form the ORM's mapper events
write (whole record as JSON for an insert; old and new value for each changed field), with the import batch.
Ids are taken after the current maximum while the transaction holds SQLite's write lock (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from pypinyin.seg.simpleseg import seg
from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.orm import Session

from models import Base, Enterprise, EnterpriseFormerName, EnterpriseYearFact, PoolEntry, Subdistrict
from models.types import utcnow
from services.audit import AuditContext, record, to_json
from services.demo_base import BulkWriter
from services.importing.enterprise_plan import POOL_KIND, POOL_SOURCE, EnterpriseWrite
from services.importing.plan import Plan
from services.importing.register_index import load_rows
from services.progress import Progress
from services.text import normalize_name, pinyin_initials

_TABLES = {m.__tablename__: Base.metadata.tables[m.__tablename__]
           for m in (Enterprise, EnterpriseYearFact, PoolEntry, EnterpriseFormerName)}
#: Rows written between two progress updates.
STEP = 5000


@lru_cache(maxsize=1 << 16)
def _word_initials(word: str) -> str:
    return pinyin_initials(word)


def initials(name: str) -> str:
    """:func:`services.text.pinyin_initials`, word by word with a cache: the same letters, four times faster.

    pypinyin converts a name segment by segment after cutting it into words; the words of company names repeat
    (杭州, 科技, 有限公司), so converting each distinct word once is what makes 50,000 names affordable.
    tests/importing/test_writer.py checks that both agree.
    """
    return "".join(_word_initials(word) for word in seg(normalize_name(name)))


def _plain(value: Any) -> Any:
    """A value as :func:`services.audit.to_json` encodes it, before encoding (dates ISO, decimals as text)."""
    if value is None or isinstance(value, str | int):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _record_json(table: Table, row: dict[str, Any]) -> str:
    """An inserted row as the audit log's mapper events write it: every column, values as JSON scalars."""
    return json.dumps({key: _plain(row.get(key)) for key in table.columns.keys()}, ensure_ascii=False)


class _Ids:
    """Next ids per table, after the stored maximum (the write lock is held, so nobody else takes them)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._next: dict[str, int] = {}

    def take(self, table: Table) -> int:
        if table.name not in self._next:
            self._next[table.name] = (self._session.scalar(select(func.max(table.c.id))) or 0) + 1
        value = self._next[table.name]
        self._next[table.name] = value + 1
        return value


class _Writer:
    def __init__(self, session: Session, ctx: AuditContext, plan: Plan) -> None:
        self.session = session
        self.ctx = ctx
        self.plan = plan
        self.now = utcnow()
        self.ids = _Ids(session)
        self.bulk = BulkWriter(session.connection())
        self.audit: list[dict[str, Any]] = []
        self.subject_district = self._districts()
        self.pool_year = plan.options.figures_year + 1
        self.fact_source = f"导入{plan.path.name}"[:80]

    def _districts(self) -> dict[int, int]:
        return dict(self.session.execute(select(Subdistrict.id, Subdistrict.district_id)).tuples().all())

    def insert(self, table: Table, row: dict[str, Any], subject: int) -> int:
        row["id"] = self.ids.take(table)
        self.bulk.add(_model(table), row)
        self.audit.append({"action": "insert", "table_name": table.name, "row_id": row["id"], "old": None,
                           "new": _record_json(table, row), "subject_table": "enterprise", "subject_id": subject})
        return int(row["id"])

    def create(self, write: EnterpriseWrite) -> None:
        values = write.values
        formers = tuple(n for n in values.get("former_names", ()) if normalize_name(n) != values["name_norm"])
        sub = values.get("subdistrict_id")
        row = {
            "name": values["name"], "name_norm": values["name_norm"],
            "name_initials": " ".join([initials(values["name"]), *(initials(n) for n in formers)]),
            "uscc": values.get("uscc"), "uscc_check_override": False,
            "district_id": self.subject_district.get(sub) if sub is not None else None, "subdistrict_id": sub,
            "address": values.get("address"), "registered_on": values.get("registered_on"),
            "registered_capital_wan": values.get("registered_capital_wan"),
            "industry_field_code": values.get("industry_field_code"), "legal_person": values.get("legal_person"),
            "contact_person": values.get("contact_person"), "contact_phone": values.get("contact_phone"),
            "contact_email": values.get("contact_email"), "notes": values.get("notes"),
            "created_at": self.now, "updated_at": self.now, "deleted_at": None, "version": 1,
        }
        table = _TABLES["enterprise"]
        row["id"] = self.ids.take(table)
        ent_id = int(row["id"])
        self.bulk.add(Enterprise, row)
        self.audit.append({"action": "insert", "table_name": "enterprise", "row_id": ent_id, "old": None,
                           "new": _record_json(table, row)})
        self.add_children(ent_id, write, formers, sub)

    def add_children(self, ent_id: int, write: EnterpriseWrite, formers: Iterable[str], sub: int | None) -> None:
        for name in formers:
            self.insert(_TABLES["enterprise_former_name"],
                        {"enterprise_id": ent_id, "name": name, "name_norm": normalize_name(name), "used_until": None},
                        ent_id)
        for year, figures in write.facts.items():
            if year in write.fact_ids:
                continue
            fact = {key: figures.get(key) for key in _FACT_COLUMNS}
            fact.update(enterprise_id=ent_id, year=year, size_class=None, source=self.fact_source,
                        updated_at=self.now)
            self.insert(_TABLES["enterprise_year_fact"], fact, ent_id)
        for code in write.pools:
            self.insert(_TABLES["pool_entry"], {
                "enterprise_id": ent_id, "pool_kind": POOL_KIND, "target_type_code": code, "year": self.pool_year,
                "source": POOL_SOURCE, "subdistrict_id": sub, "entered_on": self.plan.options.day, "left_on": None,
                "exit_reason": None}, ent_id)

    def flush(self) -> None:
        self.bulk.flush()
        record(self.session, self.ctx, self.audit)
        self.audit.clear()


_FACT_COLUMNS = ("revenue_wan", "rd_expense_wan", "rd_domestic_wan", "hitech_revenue_wan", "total_cost_wan",
                 "net_assets_wan", "total_assets_wan", "staff_avg", "st_staff_avg", "ip_class1", "ip_class2",
                 "invention_patents_granted")
_MODELS = {m.__tablename__: m for m in (Enterprise, EnterpriseYearFact, PoolEntry, EnterpriseFormerName)}


def _model(table: Table) -> type[Base]:
    return _MODELS[table.name]


def _updates(writer: _Writer, updates: list[tuple[int, EnterpriseWrite, dict[str, Any]]]) -> None:
    """Changed columns of enterprises and of stored yearly figures, grouped by the set of columns changed."""
    groups: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
    for ent_id, write, stored in updates:
        values = dict(write.values)
        if "name" in values:
            values["name_norm"] = normalize_name(values["name"])
        if "subdistrict_id" in values:
            values["district_id"] = writer.subject_district.get(values["subdistrict_id"])
        if "name" in values or write.former_names:
            name = values.get("name", stored["name"])
            formers = [*stored["formers"], *write.former_names]
            values["name_initials"] = " ".join([initials(name), *(initials(n) for n in formers)])
        if values:
            for key, new in values.items():
                old = stored[key]
                if old != new:
                    writer.audit.append({"action": "update", "table_name": "enterprise", "row_id": ent_id,
                                         "field": key, "old": to_json(old), "new": to_json(new)})
            groups[("enterprise", tuple(sorted(values)))].append({"_id": ent_id, **values})
        for year, fact_id in write.fact_ids.items():
            figures = write.facts.get(year)
            if not figures:
                continue
            for key, new in figures.items():
                writer.audit.append({"action": "update", "table_name": "enterprise_year_fact", "row_id": fact_id,
                                     "field": key, "old": to_json(stored["facts"][year][key]), "new": to_json(new),
                                     "subject_table": "enterprise", "subject_id": ent_id})
            groups[("enterprise_year_fact", tuple(sorted(figures)))].append({"_id": fact_id, **figures})
    for (table_name, columns), rows in groups.items():
        table = _TABLES[table_name]
        extra: dict[str, Any] = {"updated_at": writer.now}
        if table_name == "enterprise":
            extra["version"] = table.c.version + 1
        stmt = (update(table).where(table.c.id == bindparam("_id"))
                .values({c: bindparam(c) for c in columns} | extra))
        writer.session.execute(stmt, rows, execution_options={"synchronize_session": False})


def _stored_state(session: Session, plan: Plan) -> dict[int, dict[str, Any]]:
    """The stored values an update changes (for the audit log's old values), read inside the transaction."""
    ids = [r.target_id for r in plan.rows if r.action == "update" and r.target_id is not None]
    state: dict[int, dict[str, Any]] = {}
    for ent in load_rows(session, Enterprise, ids, Enterprise.id):
        state[ent.id] = {c.key: getattr(ent, c.key) for c in _TABLES["enterprise"].columns} | {"formers": [],
                                                                                                "facts": {}}
    for former in sorted(load_rows(session, EnterpriseFormerName, ids, EnterpriseFormerName.enterprise_id),
                         key=lambda f: f.id):
        state[former.enterprise_id]["formers"].append(former.name)
    for fact in load_rows(session, EnterpriseYearFact, ids, EnterpriseYearFact.enterprise_id):
        state[fact.enterprise_id]["facts"][fact.year] = {k: getattr(fact, k) for k in _FACT_COLUMNS}
    return state


def write_enterprises(session: Session, ctx: AuditContext, plan: Plan, progress: Progress | None) -> None:
    """Create and update the enterprises of ``plan`` (rows held for review or skipped are left alone)."""
    writer = _Writer(session, ctx, plan)
    todo = [r for r in plan.rows if r.action in ("create", "update")]
    stored = _stored_state(session, plan)
    updates = []
    for done, row in enumerate(todo):
        if progress is not None and done % STEP == 0:
            progress.update("正在写入企业…", done, len(todo))
        write: EnterpriseWrite = row.payload
        if row.action == "create":
            writer.create(write)
        else:
            assert row.target_id is not None
            updates.append((row.target_id, write, stored[row.target_id]))
            ent = stored[row.target_id]
            writer.add_children(row.target_id, write, write.former_names, write.values.get(
                "subdistrict_id", ent["subdistrict_id"]))
        if len(writer.audit) >= STEP:
            writer.flush()
    writer.flush()
    _updates(writer, updates)
    record(session, ctx, writer.audit)
