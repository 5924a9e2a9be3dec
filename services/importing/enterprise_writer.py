"""Writing an enterprise plan in the commit's transaction: Core bulk inserts and updates, audited row by row.

The ORM's unit of work costs about a millisecond a row; a 50,000-row list would take minutes. Rows are therefore
written with SQLAlchemy Core — inserts through :func:`services.bulk.insert_tuples` (compiled once, converted by the
columns' own types, the driver's ``executemany``; rows are tuples, not a dictionary each), updates as
``executemany`` per set of changed columns — and every inserted row and every changed field is audited through
:func:`services.audit.record_entries`, in the form the ORM's mapper events write (the record as JSON for an insert,
its filled columns only; old and new value for each changed field), with the import batch. An enterprise the import
creates is one change: its entry holds its record and, under ``"_children"``, the records of the yearly figures,
former names and pool entries created with it (one audit row instead of three per line of the file; a revert
deletes them together). Ids are given here (:class:`services.bulk.Ids`), so that a
row's children and audit rows name it at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from models import Base, Enterprise, EnterpriseFormerName, EnterpriseYearFact, PoolEntry, Subdistrict
from models.types import utcnow
from services.audit import CHILDREN, TIME_STAMPS, AuditContext, dumps, record_entries, to_json
from services.bulk import Ids, insert_tuples
from services.importing.enterprise_plan import POOL_KIND, POOL_SOURCE, EnterpriseWrite, initials
from services.importing.plan import Plan
from services.importing.register_index import load_rows
from services.progress import Progress
from services.text import normalize_name

_TABLES = {m.__tablename__: Base.metadata.tables[m.__tablename__]
           for m in (Enterprise, EnterpriseFormerName, EnterpriseYearFact, PoolEntry)}
#: Rows written between two progress updates.
STEP = 5000
_FACT_COLUMNS = ("revenue_wan", "rd_expense_wan", "rd_domestic_wan", "hitech_revenue_wan", "total_cost_wan",
                 "net_assets_wan", "total_assets_wan", "staff_avg", "st_staff_avg", "ip_class1", "ip_class2",
                 "invention_patents_granted")
#: The columns a queued row of each table holds, in column order (the constants follow them).
_KEYS = {
    "enterprise": ("id", "name", "name_norm", "name_initials", "uscc", "uscc_check_override", "district_id",
                   "subdistrict_id", "address", "registered_on", "registered_capital_wan", "industry_field_code",
                   "legal_person", "contact_person", "contact_phone", "contact_email", "notes"),
    "enterprise_former_name": ("id", "enterprise_id", "name", "name_norm"),
    "enterprise_year_fact": ("id", "enterprise_id", "year", *_FACT_COLUMNS),
    "pool_entry": ("id", "enterprise_id", "pool_kind", "target_type_code", "year", "source", "subdistrict_id",
                   "entered_on"),
}


class _Queue:
    """Rows of one table waiting to be written, with the audit log's JSON of each.

    A row is a tuple of the table's leading columns (:data:`_KEYS`); its trailing columns (``constants``: time
    stamps, defaults) are the same for every row of the import, so they are converted once and their JSON written
    once. The JSON is the record of an inserted row as the audit log's mapper events write it, but only its columns
    that hold a value: a column left out is empty (NULL), and the time stamps are left out too — they are the
    entry's own time. (Half of every record is empty columns and time stamps; written for every row of a
    50,000-row list they doubled the size of the database.)
    """

    def __init__(self, table: Table, constants: dict[str, Any]) -> None:
        self.keys = _KEYS[table.name]
        assert list(table.c.keys()) == [*self.keys, *constants], "the row's columns, then the constants"
        self.table = table
        self.constants = constants
        self.rows: list[tuple[Any, ...]] = []
        logged = {k: v for k, v in constants.items() if v is not None and k not in TIME_STAMPS}
        self._tail = "," + dumps(logged)[1:] if logged else "}"

    def add(self, row: tuple[Any, ...], filled: dict[str, Any] | None = None) -> str:
        """Queue a row; returns its JSON for the audit log (``filled``: the row's columns that hold a value, when
        the caller has them already)."""
        self.rows.append(row)
        if filled is None:
            filled = {k: v for k, v in zip(self.keys, row, strict=True) if v is not None}
        return dumps(filled)[:-1] + self._tail

    def take(self) -> list[tuple[Any, ...]]:
        """The queued rows, leaving the queue empty."""
        rows, self.rows = self.rows, []
        return rows


class _Writer:
    def __init__(self, session: Session, ctx: AuditContext, plan: Plan) -> None:
        self.session = session
        self.ctx = ctx
        self.plan = plan
        self.now = utcnow()
        self.ids = Ids(session.connection())
        fact_source = f"导入{plan.path.name}"[:80]
        self.queues = {  # parents first
            "enterprise": _Queue(_TABLES["enterprise"],
                                 {"created_at": self.now, "updated_at": self.now, "deleted_at": None, "version": 1}),
            "enterprise_former_name": _Queue(_TABLES["enterprise_former_name"], {"used_until": None}),
            "enterprise_year_fact": _Queue(_TABLES["enterprise_year_fact"],
                                           {"size_class": None, "source": fact_source, "updated_at": self.now}),
            "pool_entry": _Queue(_TABLES["pool_entry"], {"left_on": None, "exit_reason": None}),
        }
        self.audit: list[dict[str, Any]] = []
        self.subject_district = self._districts()
        self.pool_year = plan.options.figures_year + 1
        self.conn = session.connection()

    def _districts(self) -> dict[int, int]:
        return dict(self.session.execute(select(Subdistrict.id, Subdistrict.district_id)).tuples().all())

    def _child(self, table: str, row: tuple[Any, ...], subject: int, children: dict[str, list[str]] | None,
               filled: dict[str, Any] | None = None) -> None:
        """Queue a child row of an enterprise with its audit row, or with its record added to ``children`` when the
        enterprise is created in the same import."""
        record_json = self.queues[table].add(row, filled)
        if children is not None:
            children[table].append(record_json)
            return
        self.audit.append({"action": "insert", "table_name": table, "row_id": str(row[0]), "field": None,
                           "old_value": None, "new_value": record_json, "subject_table": "enterprise",
                           "subject_id": str(subject)})

    def create(self, write: EnterpriseWrite) -> None:
        values = write.values
        get = values.get
        sub = get("subdistrict_id")
        ent_id = self.ids.take(_TABLES["enterprise"])
        record_json = self.queues["enterprise"].add((
            ent_id, values["name"], values["name_norm"], values["name_initials"],  # initials settled by the plan
            get("uscc"), False, self.subject_district.get(sub) if sub is not None else None, sub, get("address"),
            get("registered_on"), get("registered_capital_wan"), get("industry_field_code"), get("legal_person"),
            get("contact_person"), get("contact_phone"), get("contact_email"), get("notes")))
        formers = (tuple(n for n in values["former_names"] if normalize_name(n) != values["name_norm"])
                   if "former_names" in values else ())
        if write.facts or write.pools or formers:
            children: dict[str, list[str]] = defaultdict(list)
            self.add_children(ent_id, write, formers, sub, children)
            parts = ",".join(f'"{table}":[{",".join(records)}]' for table, records in children.items())
            record_json = f'{record_json[:-1]},"{CHILDREN}":{{{parts}}}}}'
        key = str(ent_id)
        self.audit.append({"action": "insert", "table_name": "enterprise", "row_id": key, "field": None,
                           "old_value": None, "new_value": record_json, "subject_table": "enterprise",
                           "subject_id": key})

    def add_children(self, ent_id: int, write: EnterpriseWrite, formers: Iterable[str], sub: int | None,
                     children: dict[str, list[str]] | None = None) -> None:
        take = self.ids.take
        for name in formers:
            self._child("enterprise_former_name", (take(_TABLES["enterprise_former_name"]), ent_id, name,
                                                   normalize_name(name)), ent_id, children)
        for year, figures in write.facts.items():
            if year not in write.fact_ids:  # every figure column; the file's figures, blanks as NULL
                fact_id = take(_TABLES["enterprise_year_fact"])
                self._child("enterprise_year_fact", (fact_id, ent_id, year, *map(figures.get, _FACT_COLUMNS)),
                            ent_id, children, {"id": fact_id, "enterprise_id": ent_id, "year": year, **figures})
        for code in write.pools:
            self._child("pool_entry", (take(_TABLES["pool_entry"]), ent_id, POOL_KIND, code, self.pool_year,
                                       POOL_SOURCE, sub, self.plan.options.day), ent_id, children)

    def flush(self) -> None:
        """Store the queued rows, parents first, and their audit rows."""
        for queue in self.queues.values():
            insert_tuples(self.conn, queue.table, queue.keys, queue.take(), queue.constants)
        record_entries(self.conn, self.ctx, self.audit)
        self.audit = []


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
            values["name_initials"] = initials(name, formers)
        if values:
            for key, new in values.items():
                old = stored[key]
                if old != new:
                    writer.audit.append({"action": "update", "table_name": "enterprise", "row_id": str(ent_id),
                                         "field": key, "old_value": to_json(old), "new_value": to_json(new),
                                         "subject_table": "enterprise", "subject_id": str(ent_id)})
            groups[("enterprise", tuple(sorted(values)))].append({"_id": ent_id, **values})
        for year, fact_id in write.fact_ids.items():
            figures = write.facts.get(year)
            if not figures:
                continue
            for key, new in figures.items():
                writer.audit.append({"action": "update", "table_name": "enterprise_year_fact",
                                     "row_id": str(fact_id), "field": key,
                                     "old_value": to_json(stored["facts"][year][key]), "new_value": to_json(new),
                                     "subject_table": "enterprise", "subject_id": str(ent_id)})
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
    todo = [r for r in plan.rows if r.action in ("create", "update")]
    stored = _stored_state(session, plan)
    writer = _Writer(session, ctx, plan)
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
    record_entries(writer.conn, ctx, writer.audit)
