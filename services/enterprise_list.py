"""The enterprise list: filters and sorting in SQL, rows fetched a page at a time by id, and an in-memory search index.

A list screen holds the ordered ids of :func:`list_ids` and asks :func:`list_rows` for the rows it paints, a page
at a time. Search-as-you-type does not go back to the database: :class:`SearchIndex` keeps, per enterprise, the
normalised name, former names, credit code and pinyin initials, and narrows the ids in memory (well under the
100 ms a keystroke may take on 100,000 enterprises). The index is filled in chunks (:func:`search_index_chunk`) so
that a list screen can load it in the background between page fetches. :func:`list_ids` with a text does the same
match in SQL, for when the index is not loaded yet; the two agree (tested).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session

from models import (
    Enterprise,
    EnterpriseFormerName,
    EnterpriseQualification,
    IndustryField,
    PoolEntry,
    QualificationType,
    Subdistrict,
)
from models.db import Database
from models.enterprise import POOL_KINDS
from services.counting import valid_at
from services.register import apply_search
from services.session import read_session
from services.settings import get_settings
from services.text import normalize_name

#: "Expiring" in the list filter: valid today and ending within this many days (the ``expiring_90d`` rule).
EXPIRING_DAYS = 90
#: Filter value of ``subdistrict_id`` that selects enterprises without a 属地.
NO_SUBDISTRICT = 0
#: Qualification states a list can be filtered by, with their Chinese labels.
QUALIFICATION_STATES = {
    "valid": "有效",
    "expiring": f"{EXPIRING_DAYS}天内到期",
    "expired": "已失效",
    "any": "有记录",
}


@dataclass(frozen=True)
class ListColumn:
    """A column of the enterprise list.

    Attributes:
        key: Attribute of :class:`ListRow` shown in the column.
        label: Header text.
        sortable: Whether :func:`list_ids` can sort by it.
    """

    key: str
    label: str
    sortable: bool = True


COLUMNS: tuple[ListColumn, ...] = (
    ListColumn("name", "企业名称"),
    ListColumn("uscc", "统一社会信用代码"),
    ListColumn("subdistrict", "属地"),
    ListColumn("industry_field", "行业领域"),
    ListColumn("qualifications", "有效资质", sortable=False),
    ListColumn("registered_on", "注册日期"),
    ListColumn("registered_capital_wan", "注册资本(万元)"),
    ListColumn("legal_person", "法定代表人"),
    ListColumn("contact_person", "联系人", sortable=False),
    ListColumn("contact_phone", "联系电话", sortable=False),
    ListColumn("address", "地址", sortable=False),
    ListColumn("former_names", "曾用名", sortable=False),
    ListColumn("updated_at", "最后修改"),
    ListColumn("id", "编号"),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)


@dataclass(frozen=True)
class ListFilter:
    """What the list shows; every field left at its default means 'any'.

    Attributes:
        text: Search words, each of which must match the name, a former name, the credit code or the initials.
        subdistrict_id: One 属地, or :data:`NO_SUBDISTRICT` for enterprises without one.
        qualification: A qualification type code; ``state`` says which holders.
        state: One of :data:`QUALIFICATION_STATES`.
        pool_kind: Enterprises currently in a pool of this kind (申报库 …).
        industry_field_code: One of the eight fields.
        include_deleted: Also list removed enterprises.
    """

    text: str = ""
    subdistrict_id: int | None = None
    qualification: str | None = None
    state: str = "valid"
    pool_kind: str | None = None
    industry_field_code: str | None = None
    include_deleted: bool = False

    def is_default(self) -> bool:
        return self == ListFilter(text=self.text)


@dataclass(frozen=True)
class ListRow:
    """One line of the enterprise list (attribute names are the column keys)."""

    id: int
    name: str
    uscc: str | None
    subdistrict: str | None
    industry_field: str | None
    qualifications: str
    registered_on: dt.date | None
    registered_capital_wan: Decimal | None
    legal_person: str | None
    contact_person: str | None
    contact_phone: str | None
    address: str | None
    former_names: str
    updated_at: dt.datetime
    deleted: bool

    def value(self, key: str) -> Any:
        return getattr(self, key)


@dataclass(frozen=True)
class ListOptions:
    """The choices of the filter bar.

    Attributes:
        subdistricts: (id, name) of the 属地 units of the bureau's district, in their order.
        qualification_types: (code, short name) of the active qualification types.
        industry_fields: (code, name) of the eight fields.
        pool_kinds: The pool kinds.
        district: The bureau's district (settings), e.g. 拱墅区.
    """

    subdistricts: tuple[tuple[int, str], ...]
    qualification_types: tuple[tuple[str, str], ...]
    industry_fields: tuple[tuple[str, str], ...]
    pool_kinds: tuple[str, ...] = POOL_KINDS
    district: str = ""


def list_options(db: Database) -> ListOptions:
    district = get_settings(db)["district"]
    with read_session(db) as session:
        subs = session.execute(
            select(Subdistrict.id, Subdistrict.name)
            .join(Subdistrict.district)
            .where(Subdistrict.active.is_(True), Subdistrict.district.has(name=district))
            .order_by(Subdistrict.sort_order, Subdistrict.id)
        ).tuples().all()
        types = session.execute(
            select(QualificationType.code, QualificationType.short_name)
            .where(QualificationType.active.is_(True))
            .order_by(QualificationType.sort_order, QualificationType.code)
        ).tuples().all()
        fields = session.execute(
            select(IndustryField.code, IndustryField.name).order_by(IndustryField.sort_order)
        ).tuples().all()
    return ListOptions(tuple(subs), tuple(types), tuple(fields), district=district)


# -- ids ------------------------------------------------------------------------------------------------------------

def _holders(condition: ColumnElement[bool], type_code: str) -> Select[tuple[int]]:
    q = EnterpriseQualification
    return select(q.enterprise_id).where(q.type_code == type_code, condition)


def _qualification_condition(type_code: str, state: str, day: dt.date) -> ColumnElement[bool]:
    """Enterprises in ``state`` for ``type_code``; ``IN`` subqueries, which SQLite runs once (not per row)."""
    q = EnterpriseQualification
    valid = _holders(valid_at(day), type_code)
    if state == "valid":
        return Enterprise.id.in_(valid)
    if state == "expiring":
        soon = day + dt.timedelta(days=EXPIRING_DAYS)
        ending = _holders(and_(valid_at(day), q.valid_to.is_not(None), q.valid_to <= soon), type_code)
        lasting = _holders(and_(valid_at(day), (q.valid_to.is_(None)) | (q.valid_to > soon)), type_code)
        return and_(Enterprise.id.in_(ending), Enterprise.id.not_in(lasting))
    if state == "expired":
        held = _holders(and_(q.certified_on.is_not(None), q.certified_on <= day), type_code)
        return and_(Enterprise.id.in_(held), Enterprise.id.not_in(valid))
    if state == "any":
        return Enterprise.id.in_(select(q.enterprise_id).where(q.type_code == type_code))
    raise ValueError(f"unknown qualification state {state!r}")


def _filtered(stmt: Select[Any], f: ListFilter, day: dt.date) -> Select[Any]:
    e = Enterprise
    if not f.include_deleted:
        # NOT IN over the few removed ones, not "deleted_at IS NULL": that would make SQLite read every row
        # instead of walking the name index alone.
        stmt = stmt.where(e.id.not_in(select(e.id).where(e.deleted_at.is_not(None))))
    if f.subdistrict_id == NO_SUBDISTRICT:
        stmt = stmt.where(e.subdistrict_id.is_(None))
    elif f.subdistrict_id is not None:
        stmt = stmt.where(e.subdistrict_id == f.subdistrict_id)
    if f.industry_field_code:
        stmt = stmt.where(e.industry_field_code == f.industry_field_code)
    if f.qualification:
        stmt = stmt.where(_qualification_condition(f.qualification, f.state, day))
    if f.pool_kind:
        p = PoolEntry
        current = select(p.enterprise_id).where(
            p.pool_kind == f.pool_kind, p.entered_on <= day, (p.left_on.is_(None)) | (p.left_on > day))
        stmt = stmt.where(e.id.in_(current))
    if f.text.strip():
        stmt = apply_search(stmt, f.text.strip())
    return stmt


def _order(stmt: Select[Any], key: str, descending: bool) -> Select[Any]:
    e = Enterprise
    if key == "subdistrict":
        stmt = stmt.outerjoin(Subdistrict, Subdistrict.id == e.subdistrict_id)
        keys: list[Any] = [Subdistrict.sort_order, Subdistrict.id]
    elif key == "industry_field":
        stmt = stmt.outerjoin(IndustryField, IndustryField.code == e.industry_field_code)
        keys = [IndustryField.sort_order]
    elif key == "name":
        keys = [e.name_norm]
    elif key in ("uscc", "registered_on", "registered_capital_wan", "legal_person", "updated_at"):
        keys = [getattr(e, key)]
    elif key == "id":
        keys = []
    else:
        raise ValueError(f"cannot sort by {key!r}")
    # Blank values last in both directions; the id keeps the order total (and stable between reloads).
    order: list[Any] = [k.is_(None) for k in keys if key != "name"]
    order += [k.desc() if descending else k.asc() for k in [*keys, e.id]]
    return stmt.order_by(*order)


def list_ids(db: Database, f: ListFilter = ListFilter(), *, sort: str = "name", descending: bool = False,
             as_of: dt.date | None = None) -> list[int]:
    """Ids of the enterprises the filter selects, in the order asked for — what a lazy list model holds."""
    stmt = _order(_filtered(select(Enterprise.id), f, as_of or dt.date.today()), sort, descending)
    with read_session(db) as session:
        result = session.connection().execute(stmt)
        try:
            # Plain integers need no result processing: the driver's rows are read directly (100,000 ids in a
            # third of the time SQLAlchemy's Row objects take; this is on the path of opening the list).
            return [row[0] for row in result.cursor.fetchall()]
        finally:
            result.close()


# -- rows -----------------------------------------------------------------------------------------------------------

def _valid_short_names(session: Session, ids: Sequence[int], day: dt.date) -> dict[int, list[str]]:
    q, t = EnterpriseQualification, QualificationType
    rows = session.execute(
        select(q.enterprise_id, t.short_name)
        .join(t, t.code == q.type_code)
        .where(q.enterprise_id.in_(ids), valid_at(day))
        .group_by(q.enterprise_id, t.short_name, t.sort_order)
        .order_by(t.sort_order)
    ).tuples()
    names: dict[int, list[str]] = {}
    for enterprise_id, short in rows:
        names.setdefault(enterprise_id, []).append(short)
    return names


def _former_names(session: Session, ids: Sequence[int]) -> dict[int, list[str]]:
    f = EnterpriseFormerName
    names: dict[int, list[str]] = {}
    for enterprise_id, name in session.execute(
            select(f.enterprise_id, f.name).where(f.enterprise_id.in_(ids)).order_by(f.id)).tuples():
        names.setdefault(enterprise_id, []).append(name)
    return names


def list_rows(db: Database, ids: Sequence[int], *, as_of: dt.date | None = None) -> list[ListRow]:
    """Rows for ``ids``, in the order given (ids no longer in the database are left out)."""
    if not ids:
        return []
    day = as_of or dt.date.today()
    e = Enterprise
    stmt = (
        select(e.id, e.name, e.uscc, Subdistrict.name, IndustryField.name, e.registered_on,
               e.registered_capital_wan, e.legal_person, e.contact_person, e.contact_phone, e.address,
               e.updated_at, e.deleted_at)
        .outerjoin(Subdistrict, Subdistrict.id == e.subdistrict_id)
        .outerjoin(IndustryField, IndustryField.code == e.industry_field_code)
        .where(e.id.in_(ids))
    )
    with read_session(db) as session:
        quals = _valid_short_names(session, ids, day)
        formers = _former_names(session, ids)
        by_id = {
            r[0]: ListRow(
                id=r[0], name=r[1], uscc=r[2], subdistrict=r[3], industry_field=r[4],
                qualifications="、".join(quals.get(r[0], ())), registered_on=r[5], registered_capital_wan=r[6],
                legal_person=r[7], contact_person=r[8], contact_phone=r[9], address=r[10],
                former_names="、".join(formers.get(r[0], ())), updated_at=r[11], deleted=r[12] is not None,
            )
            for r in session.execute(stmt).tuples()
        }
    return [by_id[i] for i in ids if i in by_id]


# -- search index ---------------------------------------------------------------------------------------------------

def search_terms(query: str) -> list[str]:
    """The words of a search, each normalised like names are (NFKC, brackets unified) and lower-cased."""
    return [normalize_name(word).lower() for word in query.split() if normalize_name(word)]


@dataclass(frozen=True)
class IndexChunk:
    """Search-index entries of enterprises with ids above ``after_id``: (id, text, initials).

    Attributes:
        entries: ``text`` is the lower-cased normalised name, former names and credit code; ``initials`` the
            pinyin initials of the name and former names.
        last_id: The highest id in the chunk, where the next chunk starts.
        done: No enterprise comes after this chunk.
    """

    entries: tuple[tuple[int, str, str], ...]
    last_id: int
    done: bool


def search_index_chunk(db: Database, after_id: int = 0, limit: int = 20_000) -> IndexChunk:
    """One chunk of the search index (every enterprise, removed ones included), in id order."""
    e, f = Enterprise, EnterpriseFormerName
    with read_session(db) as session:
        rows = session.execute(
            select(e.id, e.name_norm, e.uscc, e.name_initials).where(e.id > after_id).order_by(e.id).limit(limit)
        ).tuples().all()
        if not rows:
            return IndexChunk((), after_id, True)
        last_id = rows[-1][0]
        formers: dict[int, list[str]] = {}
        for enterprise_id, norm in session.execute(
                select(f.enterprise_id, f.name_norm).where(f.enterprise_id > after_id, f.enterprise_id <= last_id)
        ).tuples():
            formers.setdefault(enterprise_id, []).append(norm)
    entries = tuple(
        (i, "\n".join([norm, *formers.get(i, ()), uscc or ""]).lower(), initials or "")
        for i, norm, uscc, initials in rows
    )
    return IndexChunk(entries, last_id, len(rows) < limit)


class SearchIndex:
    """Per enterprise the text that search-as-you-type matches, in memory.

    Matching follows :func:`services.register.apply_search`: every word must occur in the normalised name, a former
    name, the credit code or (Latin letters and digits only, which is all they hold) the pinyin initials. For the
    list being searched, each enterprise's text is one string, laid out in the list's order (memory locality makes
    the scan three to five times faster than following pointers in id order); while the user types on, only the
    previous result is searched again.

    Attributes:
        complete: Every chunk has been added.
    """

    def __init__(self) -> None:
        self.complete = False
        self._entries: dict[int, tuple[str, str]] = {}
        self._laid_out: tuple[Sequence[int], list[str]] | None = None
        self._last: tuple[Sequence[int], tuple[str, ...], list[int]] | None = None

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, chunk: IndexChunk) -> None:
        for enterprise_id, text, initials in chunk.entries:
            self._entries[enterprise_id] = (text, initials)
        self.complete = chunk.done
        self._laid_out = self._last = None

    def filter(self, ids: Sequence[int], query: str) -> list[int]:
        """The ``ids`` (in their order) of the enterprises matching every word of ``query``.

        Ids the index does not hold (added since it was loaded) do not match. ``ids`` must not be changed
        afterwards: its layout and the last result are kept for the next keystroke.
        """
        terms = tuple(search_terms(query))
        if not terms:
            return list(ids)
        hays = self.prepare(ids)
        found = self._narrowed(ids, terms)
        for term in terms:
            if found is None:
                found = [k for k, hay in enumerate(hays) if term in hay]
            else:
                found = [k for k in found if term in hays[k]]
        assert found is not None
        self._last = (ids, terms, found)
        return [ids[k] for k in found]

    def prepare(self, ids: Sequence[int]) -> list[str]:
        """Lay out the texts of ``ids`` for searching (done by the first search otherwise); returns the layout."""
        if self._laid_out is None or self._laid_out[0] is not ids:
            blank = ("", "")
            # Formatting makes new strings, allocated one after the other in the list's order.
            self._laid_out = (ids, [f"{t}\n{i}" for t, i in (self._entries.get(e, blank) for e in ids)])
        return self._laid_out[1]

    def _narrowed(self, ids: Sequence[int], terms: tuple[str, ...]) -> list[int] | None:
        """The previous result when the words only extend the previous ones (typing on), else None."""
        if self._last is not None:
            before_ids, before, found = self._last
            if before_ids is ids and len(before) == len(terms) and before[:-1] == terms[:-1] \
                    and terms[-1].startswith(before[-1]):
                return found
        return None


def count_all(db: Database) -> int:
    """Enterprises in the register (not removed)."""
    with read_session(db) as session:
        return session.scalar(select(func.count()).where(Enterprise.deleted_at.is_(None))) or 0
