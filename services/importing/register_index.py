"""The register as the matcher sees it: credit codes, normalised names and former names, and look-alikes.

Exact matching is by credit code, else by normalised name (current or former). A row that matches neither may still
resemble a registered enterprise; look-alikes are found with rapidfuzz on the name's *core* — the name without the
region in front and the legal form behind (杭州 … 有限公司) — so that two different firms that share only the
boilerplate (杭州甲科技有限公司 / 杭州乙科技有限公司) do not look alike, while 杭州天音计算机系统工程有限公司 and
杭州天音计算机系统工程有限责任公司 do. Such rows are held for a person to decide, never merged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Enterprise, EnterpriseFormerName, Subdistrict

#: A look-alike's core must be at least this similar (0–100, rapidfuzz ratio).
LOOKALIKE_SCORE = 85.0
_REGION = re.compile(r"^(?:中国|浙江省?|杭州市?|拱墅区?|[\u4e00-\u9fff]{2}区)+")
_FORM = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|股份公司|集团公司|公司|分公司|工作室|合伙企业\(有限合伙\)|"
                   r"\(有限合伙\)|合伙企业|个人独资企业|研究院|厂)$")


def name_core(name_norm: str) -> str:
    """The distinctive part of a normalised name: region prefix and legal-form suffix removed."""
    core = _FORM.sub("", _REGION.sub("", name_norm))
    return core or name_norm


@dataclass(frozen=True)
class Registered:
    """What the matcher knows of a registered enterprise."""

    id: int
    name: str
    name_norm: str
    uscc: str | None
    subdistrict: str | None
    deleted: bool


def chunks(items: list[int], size: int = 500) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class RegisterIndex:
    """Lookups over every enterprise of the register, loaded once per plan."""

    def __init__(self, session: Session) -> None:
        stmt = (select(Enterprise.id, Enterprise.name, Enterprise.name_norm, Enterprise.uscc, Subdistrict.name,
                       Enterprise.deleted_at)
                .outerjoin(Subdistrict, Subdistrict.id == Enterprise.subdistrict_id))
        self.by_id: dict[int, Registered] = {}
        self.by_uscc: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        for ent_id, name, norm, uscc, sub, deleted_at in session.execute(stmt):
            self.by_id[ent_id] = Registered(ent_id, name, norm, uscc, sub, deleted_at is not None)
            if uscc:
                self.by_uscc[uscc] = ent_id
            if deleted_at is None:
                self.by_name[norm] = ent_id
        self.by_former: dict[str, int] = {}
        former = select(EnterpriseFormerName.name_norm, EnterpriseFormerName.enterprise_id)
        for norm, ent_id in session.execute(former):
            if not self.by_id[ent_id].deleted:
                self.by_former.setdefault(norm, ent_id)
        live = [r for r in self.by_id.values() if not r.deleted]
        self._core_ids = [r.id for r in live]
        self._cores = [name_core(r.name_norm) for r in live]
        self._by_core: dict[str, int] = {}
        for ent_id, core in zip(self._core_ids, self._cores, strict=True):
            self._by_core.setdefault(core, ent_id)

    def by_name_or_former(self, name_norm: str) -> tuple[int | None, bool]:
        """(enterprise id, matched through a former name)."""
        found = self.by_name.get(name_norm)
        if found is not None:
            return found, False
        found = self.by_former.get(name_norm)
        return found, found is not None

    def lookalike(self, name_norm: str) -> tuple[int, float] | None:
        """The registered enterprise whose name core most resembles this one's, with the score; None if none does."""
        if not self._cores:
            return None
        core = name_core(name_norm)
        exact = self._by_core.get(core)
        if exact is not None:
            return exact, 100.0
        if len(core) < 2:
            return None
        best = process.extractOne(core, self._cores, scorer=fuzz.ratio, score_cutoff=LOOKALIKE_SCORE)
        if best is None:
            return None
        return self._core_ids[best[2]], float(best[1])


def load_rows(session: Session, model: Any, ids: Iterable[int], column: Any) -> list[Any]:
    """Rows of ``model`` whose ``column`` is one of ``ids``, in chunks that keep the IN list short."""
    result: list[Any] = []
    for part in chunks(sorted(set(ids))):
        result.extend(session.scalars(select(model).where(column.in_(part))))
    return result
