"""Reading what pre-screening needs from the database, in bulk: a handful of queries for thousands of enterprises.

For a chunk of enterprise ids: identity (one query), the yearly figures of the three accounting years (one), the
certificates valid at the application date and the recognised R&D institutions (one each, only when a 直通车
route needs them) and the clerk's answers saved with the latest pre-review of the rule set (one).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from models import (
    Enterprise,
    EnterpriseQualification,
    EnterpriseYearFact,
    IndustryField,
    PoolEntry,
    PreReview,
    RDInstitution,
    Subdistrict,
)
from models.db import Database
from services.counting import valid_at
from services.prescreen.facts import EnterpriseFacts
from services.prescreen.routes import QualificationValid, RdInstitution
from services.prescreen.rules import RuleSet
from services.prescreen.serialize import DETAILS_FORMAT
from services.qualifications import YearFacts
from services.register import search_enterprise_ids
from services.session import read_session

log = logging.getLogger(__name__)

#: Ids per query (well under the bound-parameter limits of SQLite and PostgreSQL).
CHUNK = 10_000
FACT_COLUMNS = tuple(getattr(EnterpriseYearFact, f.name) for f in fields(YearFacts))


@dataclass(frozen=True)
class Selection:
    """Which enterprises a batch covers (all conditions together; none: the whole register).

    Attributes:
        query: Name, credit code or pinyin initials, as in the enterprise list.
        subdistrict_id: Only this 属地.
        pool_kind: Only current members (not left) of this pool: 申报库, 储备库, 培育库, 后备群.
        pool_year: With ``pool_kind``: only entries of this year.
        enterprise_ids: Exactly these enterprises (the other conditions are ignored).
    """

    query: str = ""
    subdistrict_id: int | None = None
    pool_kind: str | None = None
    pool_year: int | None = None
    enterprise_ids: tuple[int, ...] | None = None


def chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def selected_ids(db: Database, selection: Selection) -> list[int]:
    """The enterprises of ``selection`` in name order (removed ones are left out)."""
    if selection.enterprise_ids is not None:
        wanted = set(selection.enterprise_ids)
        return [i for i in search_enterprise_ids(db) if i in wanted]
    ids = search_enterprise_ids(db, selection.query, subdistrict_id=selection.subdistrict_id)
    if selection.pool_kind is None:
        return ids
    stmt = select(PoolEntry.enterprise_id).where(PoolEntry.pool_kind == selection.pool_kind,
                                                 PoolEntry.left_on.is_(None))
    if selection.pool_year is not None:
        stmt = stmt.where(PoolEntry.year == selection.pool_year)
    with read_session(db) as session:
        members = set(session.scalars(stmt))
    return [i for i in ids if i in members]


def enterprise_id_by_uscc(db: Database, uscc: str) -> int | None:
    """The enterprise (not removed) with this credit code, or None."""
    stmt = select(Enterprise.id).where(Enterprise.uscc == uscc.strip().upper(), Enterprise.deleted_at.is_(None))
    with read_session(db) as session:
        return session.scalar(stmt)


def _saved_answers(details: str | None, year: int) -> dict[str, Any] | None:
    """The answers of a pre-review saved by this package for ``year``; None for anything else."""
    if not details:
        return None
    try:
        entries = json.loads(details)
    except ValueError:
        return None
    if not isinstance(entries, list):
        return None
    for entry in entries:
        if isinstance(entry, dict) and entry.get("format") == DETAILS_FORMAT and entry.get("year") == year:
            answers = entry.get("answers")
            return answers if isinstance(answers, dict) else None
    return None


def _load_chunk(session: Session, ids: Sequence[int], rule_set: RuleSet, year: int,
                as_of: dt.date) -> dict[int, EnterpriseFacts]:
    identity = session.execute(
        select(Enterprise.id, Enterprise.name, Enterprise.uscc, Subdistrict.name, Enterprise.registered_on,
               Enterprise.industry_field_code, IndustryField.name)
        .outerjoin(Subdistrict, Subdistrict.id == Enterprise.subdistrict_id)
        .outerjoin(IndustryField, IndustryField.code == Enterprise.industry_field_code)
        .where(Enterprise.id.in_(ids)))
    years: dict[int, dict[int, YearFacts]] = {}
    rows = session.execute(select(EnterpriseYearFact.enterprise_id, *FACT_COLUMNS).where(
        EnterpriseYearFact.enterprise_id.in_(ids), EnterpriseYearFact.year.between(year - 3, year - 1)))
    for enterprise_id, *values in rows:
        facts = YearFacts(*values)
        years.setdefault(enterprise_id, {})[facts.year] = facts
    valid: dict[int, set[str]] = {}
    types = [r.type_code for r in rule_set.routes if isinstance(r, QualificationValid)]
    if types:
        q = EnterpriseQualification
        for enterprise_id, code in session.execute(select(q.enterprise_id, q.type_code).where(
                q.enterprise_id.in_(ids), q.type_code.in_(types), valid_at(as_of))):
            valid.setdefault(enterprise_id, set()).add(code)
    levels: dict[int, set[str]] = {}
    if any(isinstance(r, RdInstitution) for r in rule_set.routes):
        rd = RDInstitution
        for enterprise_id, level in session.execute(select(rd.enterprise_id, rd.level).where(
                rd.enterprise_id.in_(ids), rd.status == "认定",
                or_(rd.approved_on.is_(None), rd.approved_on <= as_of))):
            levels.setdefault(enterprise_id, set()).add(level)
    saved: dict[int, tuple[dt.date, dict[str, Any]]] = {}
    for enterprise_id, reviewed_on, details in session.execute(
            select(PreReview.enterprise_id, PreReview.reviewed_on, PreReview.details_json)
            .where(PreReview.enterprise_id.in_(ids), PreReview.rule_set == rule_set.code)
            .order_by(PreReview.reviewed_on, PreReview.id)):
        answers = _saved_answers(details, year)
        if answers is not None:
            saved[enterprise_id] = (reviewed_on, answers)
    result = {}
    for eid, name, uscc, subdistrict, registered_on, field_code, field_name in identity:
        answers_on, answers = saved.get(eid, (None, {}))
        result[eid] = EnterpriseFacts(
            enterprise_id=eid, name=name, uscc=uscc, subdistrict=subdistrict, registered_on=registered_on,
            industry_field_code=field_code, industry_field=field_name, years=years.get(eid, {}),
            valid_qualifications=frozenset(valid.get(eid, ())), rd_institution_levels=frozenset(levels.get(eid, ())),
            saved_inputs=answers, saved_inputs_on=answers_on)
    return result


def load_facts(db: Database, ids: Sequence[int], rule_set: RuleSet, year: int,
               as_of: dt.date) -> Iterator[EnterpriseFacts]:
    """The facts of ``ids`` for an application in ``year``, in the order of ``ids`` (unknown ids left out)."""
    with read_session(db) as session:
        for chunk in chunks(ids):
            loaded = _load_chunk(session, chunk, rule_set, year, as_of)
            yield from (loaded[i] for i in chunk if i in loaded)


@dataclass(frozen=True)
class PoolChoice:
    kind: str
    year: int
    members: int


@dataclass(frozen=True)
class SelectionChoices:
    """What a batch can be narrowed to: the 属地 units and the pools with current members."""

    subdistricts: tuple[tuple[int, str], ...]
    pools: tuple[PoolChoice, ...]


def selection_choices(db: Database) -> SelectionChoices:
    with read_session(db) as session:
        subdistricts = tuple(session.execute(
            select(Subdistrict.id, Subdistrict.name).where(Subdistrict.active.is_(True))
            .order_by(Subdistrict.sort_order, Subdistrict.id)).tuples())
        pools = tuple(PoolChoice(kind, year, count) for kind, year, count in session.execute(
            select(PoolEntry.pool_kind, PoolEntry.year, func.count(func.distinct(PoolEntry.enterprise_id)))
            .join(Enterprise, and_(Enterprise.id == PoolEntry.enterprise_id, Enterprise.deleted_at.is_(None)))
            .where(PoolEntry.left_on.is_(None))
            .group_by(PoolEntry.pool_kind, PoolEntry.year)
            .order_by(PoolEntry.year.desc(), PoolEntry.pool_kind)))
    return SelectionChoices(subdistricts, pools)
