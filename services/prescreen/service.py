"""Pre-screening use cases: one enterprise (with what-if), a batch over a pool or a filter, and saving the result as
a pre-review (``pre_review`` row). The GUI and the command line call these; nothing here knows about Qt.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from models import Enterprise, PreReview
from models.db import Database
from services.bulk import cycle_collection_paused
from services.errors import NotFoundError, ValidationError
from services.prescreen.engine import evaluate
from services.prescreen.facts import WhatIf
from services.prescreen.results import Evaluation, Verdict
from services.prescreen.rules import RuleLibrary, RuleSet, application_date, load_library
from services.prescreen.serialize import details_entries
from services.prescreen.store import Selection, load_facts, selected_ids
from services.prescreen.text import advice_text
from services.progress import Progress
from services.session import unit_of_work

#: Evaluations between two progress updates.
PROGRESS_STEP = 500
REVIEWER_MAX = 40


@dataclass(frozen=True)
class BatchResult:
    """A batch evaluation.

    Attributes:
        rule_set: The version that was applied.
        year: The application year.
        as_of: The application date.
        evaluations: One per enterprise, in name order.
        problems: Rule files that could not be used (shown as a warning).
    """

    rule_set: RuleSet
    year: int
    as_of: dt.date
    evaluations: tuple[Evaluation, ...]
    problems: tuple[str, ...] = ()

    def count(self, verdict: Verdict) -> int:
        return sum(1 for e in self.evaluations if e.verdict is verdict)

    @property
    def near_misses(self) -> tuple[Evaluation, ...]:
        return tuple(e for e in self.evaluations if e.near_miss)


def _version(library: RuleLibrary | None, code: str, as_of: dt.date) -> tuple[RuleSet, tuple[str, ...]]:
    library = library or load_library()
    return library.select(code, as_of), library.problems


def prescreen_enterprise(db: Database, enterprise_id: int, rule_code: str, year: int, *,
                         as_of: dt.date | None = None, inputs: Mapping[str, Any] | None = None,
                         what_if: WhatIf | None = None, library: RuleLibrary | None = None) -> Evaluation:
    """Evaluate one enterprise; with ``what_if`` on changed figures, without saving anything.

    Args:
        inputs: The clerk's answers (None: those saved with the latest pre-review of this rule set and year).
    """
    as_of = as_of or application_date(year)
    rule_set, _ = _version(library, rule_code, as_of)
    facts = next(iter(load_facts(db, [enterprise_id], rule_set, year, as_of)), None)
    if facts is None:
        raise NotFoundError(f"找不到编号为 {enterprise_id} 的企业")
    return evaluate(rule_set, facts, year, as_of=as_of, inputs=inputs, what_if=what_if)


def prescreen_batch(db: Database, rule_code: str, year: int, selection: Selection | None = None, *,
                    as_of: dt.date | None = None, progress: Progress | None = None,
                    library: RuleLibrary | None = None) -> BatchResult:
    """Evaluate every enterprise of ``selection``: facts loaded in bulk, then pure Python."""
    as_of = as_of or application_date(year)
    rule_set, problems = _version(library, rule_code, as_of)
    progress = progress or Progress()
    progress.update("正在读取企业数据…", 0, 0)
    ids = selected_ids(db, selection or Selection())
    progress.update(f"正在按“{rule_set.name}”预审…", 0, len(ids))
    evaluations = []
    with cycle_collection_paused():
        for index, facts in enumerate(load_facts(db, ids, rule_set, year, as_of), start=1):
            evaluations.append(evaluate(rule_set, facts, year, as_of=as_of))
            if index % PROGRESS_STEP == 0:
                progress.update(value=index)
    progress.update(value=len(ids))
    return BatchResult(rule_set, year, as_of, tuple(evaluations), problems)


def save_pre_reviews(db: Database, evaluations: Sequence[Evaluation], *, reviewer: str,
                     advice: str | None = None, reviewed_on: dt.date | None = None,
                     library: RuleLibrary | None = None, user: str | None = None) -> list[int]:
    """Record each evaluation as a pre-review (符合 / 不符合 / 待定), in one transaction.

    The score column keeps the lower end of the band; ``details_json`` keeps every criterion with its explanation
    and the answers (:func:`services.prescreen.serialize.details_entries`); saved pre-reviews are listed by
    :func:`services.enterprise_records.list_pre_reviews`.

    Returns:
        The ids of the new pre-review rows.

    Args:
        advice: The advice to record; None writes each evaluation's own (:func:`advice_text`).
    """
    reviewer = reviewer.strip()
    problems = {}
    if not reviewer:
        problems["reviewer"] = "请填写预审人"
    elif len(reviewer) > REVIEWER_MAX:
        problems["reviewer"] = f"预审人不能超过 {REVIEWER_MAX} 个字"
    if any(e.enterprise_id is None for e in evaluations):
        problems["enterprise_id"] = "只能保存台账中企业的预审结果"
    if problems:
        raise ValidationError(problems)
    library = library or load_library()
    reviewed_on = reviewed_on or dt.date.today()
    with unit_of_work(db, user=user) as session:
        rows = []
        for ev in evaluations:
            if session.get(Enterprise, ev.enterprise_id) is None:
                raise NotFoundError(f"找不到编号为 {ev.enterprise_id} 的企业")
            rule_set = next(r for r in library.versions(ev.rule_code) if r.version == ev.rule_version)
            row = PreReview(enterprise_id=ev.enterprise_id, rule_set=ev.rule_code, rule_version=ev.rule_version,
                            reviewed_on=reviewed_on, reviewer=reviewer, verdict=ev.verdict_text,
                            score=ev.score.low if ev.score else None,
                            details_json=json.dumps(details_entries(ev, rule_set), ensure_ascii=False),
                            advice=advice if advice is not None else advice_text(ev))
            session.add(row)
            rows.append(row)
        session.flush()
        return [row.id for row in rows]
