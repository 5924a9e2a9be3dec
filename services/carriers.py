"""Incubation carriers (孵化器, 众创空间, 星创天地 …): create, update, soft delete, restore, read, list and search.

Every function is one unit of work and returns frozen dataclasses. Validation explains itself by field
(:class:`services.errors.ValidationError`). The list is small (a district has tens to a few hundred carriers), so
:func:`carrier_rows` returns every row the filters select with what the list shows of it (current recognitions,
tenants incubating, the latest statistics), and search-as-you-type narrows those rows in memory
(:func:`search_rows`: name, operator and their pinyin initials) without asking the database again.

A carrier has no version column; a save is refused when the stored values differ from those the clerk opened
(``expected``), naming what the other person changed, so nobody overwrites a colleague's edit unawares.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import asdict, dataclass, replace
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    AuditLog,
    Carrier,
    CarrierKind,
    CarrierPeriodStat,
    CarrierRecognition,
    District,
    Enterprise,
    Subdistrict,
    Tenancy,
)
from models.db import Database
from services.audit_query import FIELD_LABELS as AUDIT_LABELS
from services.audit_query import TABLE_FIELD_LABELS, AuditFilter, AuditRow, query_audit
from services.carrier_recognitions import LEVEL_LABELS, in_force
from services.carrier_stats import period_label
from services.enterprise_list import NO_SUBDISTRICT, list_options
from services.errors import ConflictError, NotFoundError, ValidationError
from services.record_checks import founding_problem, name_problem, optional_text, place_problems, restore, soft_delete
from services.session import read_session, unit_of_work
from services.tenancies import period_end
from services.text import blank, clean_name, normalize_name, pinyin_initials

FIELD_LABELS = {
    "name": "载体名称", "kind_code": "载体类型", "operator_name": "运营机构", "subdistrict_id": "属地",
    "district_id": "所属区县", "address": "地址", "area_m2": "面积(㎡)", "specialization": "专业方向",
    "established_on": "成立日期", "notes": "备注",
}
#: Labels of the fields of carriers, their recognitions and statistics in the change history (the audit page's,
#: with the carrier's own words for its name and district).
HISTORY_LABELS = {**AUDIT_LABELS, **TABLE_FIELD_LABELS["carrier_period_stat"], **FIELD_LABELS}
#: Status filter values of the list and their labels.
STATUS_FILTERS = {"recognised": "认定有效", "rectifying": "整改中", "delisted": "已摘牌", "unrecognised": "未认定"}


@dataclass(frozen=True)
class CarrierInput:
    """What a clerk enters for a carrier. Blank text is 'not given'."""

    name: str
    kind_code: str
    operator_name: str | None = None
    subdistrict_id: int | None = None
    district_id: int | None = None
    address: str | None = None
    area_m2: Decimal | None = None
    specialization: str | None = None
    established_on: dt.date | None = None
    notes: str | None = None


@dataclass(frozen=True)
class CarrierDetail:
    """A carrier as its window shows it.

    Attributes:
        operator_enterprise_id: The operator when it is an enterprise of the register (matched by name).
        incubation_months: The kind's incubation limit (None when the kind does not incubate tenants).
    """

    id: int
    name: str
    kind_code: str
    kind: str
    category: str
    incubation_months: int | None
    operator_name: str | None
    operator_enterprise_id: int | None
    subdistrict_id: int | None
    subdistrict: str | None
    district_id: int | None
    district: str | None
    address: str | None
    area_m2: Decimal | None
    specialization: str | None
    established_on: dt.date | None
    notes: str | None
    created_at: dt.datetime
    deleted_at: dt.datetime | None

    def as_input(self) -> CarrierInput:
        """The editable values, as a form would send them back unchanged."""
        return CarrierInput(name=self.name, kind_code=self.kind_code, operator_name=self.operator_name,
                            subdistrict_id=self.subdistrict_id, district_id=self.district_id, address=self.address,
                            area_m2=self.area_m2, specialization=self.specialization,
                            established_on=self.established_on, notes=self.notes)


@dataclass(frozen=True)
class CarrierRow:
    """One line of the carrier list.

    Attributes:
        recognitions: The recognitions in force, e.g. "国家级、市级（标准化）".
        status: 认定有效, 整改中, 已摘牌 or 未认定 (one of :data:`STATUS_FILTERS`' labels).
        levels: Levels of the recognitions in force (国家, 省 …).
        incubating: Tenants incubating today.
        over_period: Of those, tenants past their incubation period.
        latest_period: The latest period with statistics ("2025年第3季度"), or "".
        search_text: Normalised name and operator and their pinyin initials, for :func:`search_rows`.
    """

    id: int
    name: str
    kind: str
    kind_code: str
    recognitions: str
    status: str
    levels: tuple[str, ...]
    operator_name: str | None
    subdistrict: str | None
    area_m2: Decimal | None
    incubating: int
    over_period: int
    latest_period: str
    deleted: bool
    search_text: str


@dataclass(frozen=True)
class CarrierFilter:
    """What the list shows; defaults mean 'any'.

    Attributes:
        kind_code: One kind.
        level: Carriers with a recognition in force at this level (国家, 省, 市, 区).
        subdistrict_id: One 属地, or :data:`services.enterprise_list.NO_SUBDISTRICT` for none.
        status: One key of :data:`STATUS_FILTERS`.
        include_deleted: Also removed carriers.
    """

    kind_code: str | None = None
    level: str | None = None
    subdistrict_id: int | None = None
    status: str | None = None
    include_deleted: bool = False


@dataclass(frozen=True)
class KindInfo:
    code: str
    name: str
    category: str
    incubation_months: int | None


@dataclass(frozen=True)
class CarrierOptions:
    """The choices of the carrier forms and filters.

    Attributes:
        kinds: Carrier kinds in catalogue order.
        subdistricts: (id, name) of the bureau district's 属地 units.
        districts: (id, name) of every district.
        district: The bureau's district.
    """

    kinds: tuple[KindInfo, ...]
    subdistricts: tuple[tuple[int, str], ...]
    districts: tuple[tuple[int, str], ...]
    district: str

    def kind(self, code: str | None) -> KindInfo | None:
        return next((k for k in self.kinds if k.code == code), None)


def carrier_options(db: Database) -> CarrierOptions:
    base = list_options(db)
    with read_session(db) as session:
        kinds = tuple(KindInfo(k.code, k.name, k.category, k.incubation_months) for k in session.scalars(
            select(CarrierKind).order_by(CarrierKind.sort_order, CarrierKind.code)))
        districts = tuple(session.execute(select(District.id, District.name).order_by(District.sort_order))
                          .tuples().all())
    return CarrierOptions(kinds, base.subdistricts, districts, base.district)


# -- create, update, delete ---------------------------------------------------------------------------------------

def _normalized(data: CarrierInput) -> CarrierInput:
    area = data.area_m2
    return replace(data, name=clean_name(data.name or ""), operator_name=clean_name(data.operator_name or "")
                   if not blank(data.operator_name) else None, address=optional_text(data.address),
                   specialization=optional_text(data.specialization), notes=optional_text(data.notes),
                   area_m2=area.quantize(Decimal("0.0001")) if area is not None else None)


def validate(session: Session, data: CarrierInput, *, carrier_id: int | None = None,
             today: dt.date | None = None) -> dict[str, str]:
    """Problems of a normalised input as {field: Chinese rule}; empty when valid."""
    today = today or dt.date.today()
    problems: dict[str, str] = {}
    if name := name_problem(session, Carrier, data.name, "载体名称", record_id=carrier_id):
        problems["name"] = name
    if not data.kind_code or session.get(CarrierKind, data.kind_code) is None:
        problems["kind_code"] = "请选择载体类型"
    if data.operator_name and len(data.operator_name) > 200:
        problems["operator_name"] = "运营机构名称不能超过200个字"
    problems.update(place_problems(session, data))
    if data.area_m2 is not None and data.area_m2 <= 0:
        problems["area_m2"] = "面积应大于0（单位：平方米）"
    if established := founding_problem(data.established_on, "成立日期", today):
        problems["established_on"] = established
    for key, limit in (("address", 200), ("specialization", 80)):
        value = getattr(data, key)
        if value and len(value) > limit:
            problems[key] = f"{FIELD_LABELS[key]}不能超过{limit}个字"
    return problems


def _apply(session: Session, carrier: Carrier, data: CarrierInput) -> None:
    carrier.name = data.name
    carrier.name_norm = normalize_name(data.name)
    carrier.kind_code = data.kind_code
    carrier.operator_name = data.operator_name
    carrier.operator_enterprise_id = session.scalar(
        select(Enterprise.id).where(Enterprise.name_norm == normalize_name(data.operator_name),
                                    Enterprise.deleted_at.is_(None)).limit(1)) if data.operator_name else None
    carrier.subdistrict_id = data.subdistrict_id
    district_id = data.district_id
    if data.subdistrict_id is not None:
        district_id = session.scalar(select(Subdistrict.district_id).where(Subdistrict.id == data.subdistrict_id))
    carrier.district_id = district_id
    carrier.address = data.address
    carrier.area_m2 = data.area_m2
    carrier.specialization = data.specialization
    carrier.established_on = data.established_on
    carrier.notes = data.notes


def load_carrier(session: Session, carrier_id: int) -> Carrier:
    carrier = session.get(Carrier, carrier_id)
    if carrier is None:
        raise NotFoundError(f"找不到编号为 {carrier_id} 的载体")
    return carrier


def _detail(session: Session, c: Carrier) -> CarrierDetail:
    kind = session.get(CarrierKind, c.kind_code)
    assert kind is not None  # a foreign key
    sub = session.get(Subdistrict, c.subdistrict_id) if c.subdistrict_id else None
    district = session.get(District, c.district_id) if c.district_id else None
    return CarrierDetail(
        id=c.id, name=c.name, kind_code=c.kind_code, kind=kind.name, category=kind.category,
        incubation_months=kind.incubation_months, operator_name=c.operator_name,
        operator_enterprise_id=c.operator_enterprise_id, subdistrict_id=c.subdistrict_id,
        subdistrict=sub.name if sub else None, district_id=c.district_id, district=district.name if district else None,
        address=c.address, area_m2=c.area_m2, specialization=c.specialization, established_on=c.established_on,
        notes=c.notes, created_at=c.created_at, deleted_at=c.deleted_at)


def create_carrier(db: Database, data: CarrierInput, *, source: str = "gui", user: str | None = None
                   ) -> CarrierDetail:
    data = _normalized(data)
    with unit_of_work(db, source=source, user=user) as session:
        problems = validate(session, data)
        if problems:
            raise ValidationError(problems)
        carrier = Carrier(name=data.name, name_norm=normalize_name(data.name), kind_code=data.kind_code)
        _apply(session, carrier, data)
        session.add(carrier)
        session.flush()
        return _detail(session, carrier)


def update_carrier(db: Database, carrier_id: int, data: CarrierInput, *, expected: CarrierInput | None = None,
                   source: str = "gui", user: str | None = None) -> CarrierDetail:
    """Save ``data``; refused when the stored values are no longer ``expected`` (what the clerk opened)."""
    data = _normalized(data)
    with unit_of_work(db, source=source, user=user) as session:
        carrier = load_carrier(session, carrier_id)
        stored = _detail(session, carrier).as_input()
        if expected is not None and stored != expected:
            changed = [f"{FIELD_LABELS[k]}：{_show(v)} → {_show(getattr(stored, k))}"
                       for k, v in asdict(expected).items() if getattr(stored, k) != v]
            raise ConflictError(f"载体“{carrier.name}”已被他人修改（{'；'.join(changed)}）。"
                                "您的修改未保存，请重新载入后再修改。")
        if carrier.deleted_at is not None:
            raise ValidationError({"name": f"载体“{carrier.name}”已删除，请先恢复再修改"})
        problems = validate(session, data, carrier_id=carrier_id)
        if problems:
            raise ValidationError(problems)
        _apply(session, carrier, data)
        session.flush()
        return _detail(session, carrier)


def _show(value: object) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def soft_delete_carrier(db: Database, carrier_id: int, *, user: str | None = None) -> CarrierDetail:
    """Remove from the list; recognitions, statistics, tenants and past reports keep it."""
    with unit_of_work(db, user=user) as session:
        carrier = load_carrier(session, carrier_id)
        soft_delete(session, carrier)
        return _detail(session, carrier)


def restore_carrier(db: Database, carrier_id: int, *, user: str | None = None) -> CarrierDetail:
    with unit_of_work(db, user=user) as session:
        carrier = load_carrier(session, carrier_id)
        restore(session, Carrier, carrier, "载体")
        return _detail(session, carrier)


def get_carrier(db: Database, carrier_id: int) -> CarrierDetail:
    with read_session(db) as session:
        return _detail(session, load_carrier(session, carrier_id))


def carrier_history(db: Database, carrier_id: int, *, limit: int = 1000) -> tuple[int, list[AuditRow]]:
    """(total, the newest ``limit``) changes of the carrier, its recognitions (with their status changes),
    statistics and tenancies, newest first, fields named in Chinese.

    Tenancies are filed under their enterprise in the audit log; the carrier's history shows the entries of its own
    tenancies too, removed ones included.
    """
    page = query_audit(db, AuditFilter(subject_table="carrier", subject_id=carrier_id,
                                       also=_tenancy_entries(db, carrier_id)), limit=limit)
    return page.total, [replace(r, field=HISTORY_LABELS.get(r.field, r.field)) for r in page.rows]


def _tenancy_entries(db: Database, carrier_id: int) -> tuple[int, ...]:
    """Ids of the log entries of the carrier's tenancies, removed ones included.

    A tenancy is known by the carrier its inserted record names. Row ids are not enough: SQLite gives a removed
    row's id to the next row inserted, so one id can be a tenancy of this carrier first and of another later.
    """
    entries: list[int] = []
    ours: set[str] = set()  # row ids whose present incarnation is one of this carrier's tenancies
    with read_session(db) as session:
        rows = session.execute(select(AuditLog.id, AuditLog.row_id, AuditLog.action, AuditLog.new_value)
                               .where(AuditLog.table_name == "tenancy").order_by(AuditLog.id))
        for entry_id, row_id, action, new in rows:
            if action == "insert" and new and json.loads(new).get("carrier_id") == carrier_id:
                ours.add(row_id)
            elif action == "insert":
                ours.discard(row_id)
            if row_id in ours:
                entries.append(entry_id)
            if action == "delete":
                ours.discard(row_id)
    return tuple(entries)


# -- the list -----------------------------------------------------------------------------------------------------

def _recognition_text(level: str, subtype: str | None, status: str, kind: str | None) -> str:
    text = LEVEL_LABELS[level] + (kind or "") + (f"（{subtype}）" if subtype else "")
    return text + ("［整改］" if status == "整改" else "")


def carrier_rows(db: Database, f: CarrierFilter = CarrierFilter(), *, as_of: dt.date | None = None  # noqa: B008
                 ) -> list[CarrierRow]:
    """Every carrier the filter selects, in name order, with what the list shows of it."""
    day = as_of or dt.date.today()
    c = Carrier
    stmt = (select(c.id, c.name, c.name_norm, c.kind_code, CarrierKind.name, c.operator_name, Subdistrict.name,
                   c.area_m2, c.deleted_at)
            .join(CarrierKind, CarrierKind.code == c.kind_code)
            .outerjoin(Subdistrict, Subdistrict.id == c.subdistrict_id).order_by(c.name_norm, c.id))
    if not f.include_deleted:
        stmt = stmt.where(c.deleted_at.is_(None))
    if f.kind_code:
        stmt = stmt.where(c.kind_code == f.kind_code)
    if f.subdistrict_id == NO_SUBDISTRICT:
        stmt = stmt.where(c.subdistrict_id.is_(None))
    elif f.subdistrict_id is not None:
        stmt = stmt.where(c.subdistrict_id == f.subdistrict_id)
    with read_session(db) as session:
        carriers = session.execute(stmt).tuples().all()
        kinds = dict(session.execute(select(CarrierKind.code, CarrierKind.name)).tuples().all())
        recognitions: dict[int, list[CarrierRecognition]] = {}
        for r in session.scalars(select(CarrierRecognition).order_by(CarrierRecognition.recognized_on)):
            recognitions.setdefault(r.carrier_id, []).append(r)
        tenants: Counter[int] = Counter()
        over: Counter[int] = Counter()
        for carrier_id, entered, months in session.execute(
                select(Tenancy.carrier_id, Tenancy.entered_on, Tenancy.incubation_months)
                .where(Tenancy.entered_on <= day, (Tenancy.left_on.is_(None)) | (Tenancy.left_on > day))):
            tenants[carrier_id] += 1
            over[carrier_id] += period_end(entered, months) < day
        latest: dict[int, tuple[int, int]] = {}
        for carrier_id, year, quarter in session.execute(
                select(CarrierPeriodStat.carrier_id, CarrierPeriodStat.year, CarrierPeriodStat.quarter)):
            key = (year, quarter or 5)
            latest[carrier_id] = max(latest.get(carrier_id, key), key)
    rows = []
    for cid, name, norm, kind_code, kind, operator, sub, area, deleted in carriers:
        held = recognitions.get(cid, [])
        current = [r for r in held if in_force(r.recognized_on, r.ended_on, r.status, day)]
        status = ("rectifying" if any(r.status == "整改" for r in current) else "recognised" if current
                  else "delisted" if held else "unrecognised")
        levels = tuple(dict.fromkeys(r.level for r in current))
        if (f.status and f.status != status) or (f.level and f.level not in levels):
            continue
        text = "、".join(_recognition_text(r.level, r.subtype, r.status, kinds.get(r.kind_code or ""))
                         for r in current)
        year_quarter = latest.get(cid)
        operator_norm = normalize_name(operator) if operator else ""
        search = "\n".join([norm, operator_norm, pinyin_initials(name),
                            pinyin_initials(operator) if operator else ""]).lower()
        rows.append(CarrierRow(
            id=cid, name=name, kind=kind, kind_code=kind_code, recognitions=text,
            status=STATUS_FILTERS[status], levels=levels, operator_name=operator, subdistrict=sub, area_m2=area,
            incubating=tenants[cid], over_period=over[cid],
            latest_period=period_label(year_quarter[0], year_quarter[1] if year_quarter[1] < 5 else None)
            if year_quarter else "", deleted=deleted is not None, search_text=search))
    return rows


def search_rows(rows: list[CarrierRow], query: str) -> list[CarrierRow]:
    """The rows matching every word of ``query`` in the name, the operator or their pinyin initials."""
    terms = [normalize_name(word).lower() for word in query.split() if normalize_name(word)]
    return [r for r in rows if all(t in r.search_text for t in terms)]
