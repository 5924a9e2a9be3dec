"""Evaluate one enterprise's facts against one rule set version — pure Python, no database.

Verdict: an enterprise *qualifies* when every criterion passes, or when every basic criterion passes and a
直通车 route holds; it *does not qualify* when a criterion fails (and no route saves it); otherwise the pre-screening
*cannot tell yet* and says what is missing. A *near miss* does not qualify, but every failing criterion is within
the rule set's tolerance (by default one percentage point, or five points of the score).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from services.prescreen.facts import Context, EnterpriseFacts, WhatIf, apply_what_if
from services.prescreen.inputs import coerce_inputs
from services.prescreen.results import CriterionResult, Evaluation, MarginUnit, RouteResult, Status, Verdict
from services.prescreen.rules import NearMiss, RuleSet, application_date


def decide(criteria: tuple[CriterionResult, ...], routes: tuple[RouteResult, ...]) -> tuple[Verdict, str | None]:
    """The overall verdict and the 直通车 route that decided it, if one did."""
    route = next((r for r in routes if r.status is Status.PASS), None)
    basic = [c.status for c in criteria if c.basic]
    if route is not None and any(c.status is not Status.PASS for c in criteria) and Status.FAIL not in basic:
        # The route decides once the basic conditions are met; while one is unconfirmed, it may still.
        return (Verdict.QUALIFIES, route.label) if Status.UNKNOWN not in basic else (Verdict.CANNOT_TELL, None)
    if any(c.status is Status.FAIL for c in criteria):
        return Verdict.DOES_NOT_QUALIFY, None
    if all(c.status is Status.PASS for c in criteria):
        return Verdict.QUALIFIES, None
    return Verdict.CANNOT_TELL, None


def is_near_miss(verdict: Verdict, criteria: tuple[CriterionResult, ...], tolerance: NearMiss) -> bool:
    """Does not qualify, and every failing criterion is short by at most the tolerance in its own unit."""
    failing = [c for c in criteria if c.status is Status.FAIL]
    if verdict is not Verdict.DOES_NOT_QUALIFY or not failing:
        return False
    limits = {MarginUnit.PERCENTAGE_POINTS: tolerance.percentage_points, MarginUnit.POINTS: tolerance.points}
    return all(c.margin is not None and c.margin.unit in limits and c.margin.amount <= limits[c.margin.unit]
               for c in failing)


def evaluate(rule_set: RuleSet, facts: EnterpriseFacts, year: int, *, as_of: dt.date | None = None,
             inputs: Mapping[str, Any] | None = None, what_if: WhatIf | None = None,
             today: dt.date | None = None) -> Evaluation:
    """Evaluate ``facts`` for an application in ``year``.

    Args:
        rule_set: The rule set version to apply (see :meth:`RuleLibrary.select`).
        facts: What is known about the enterprise.
        year: The application year; figures come from the years before it.
        as_of: The application date; :func:`services.prescreen.rules.application_date` when omitted.
        inputs: The clerk's answers, replacing the saved ones; None uses the answers saved with the latest
            pre-review of this rule set and year.
        what_if: Figures to use instead of the stored ones (nothing is saved).
        today: Today's date, for tests.

    Raises:
        services.errors.ValidationError: an answer in ``inputs`` does not fit its question.
    """
    as_of = as_of or application_date(year, today)
    facts, overrides = apply_what_if(facts, what_if)
    specs = rule_set.input_specs()
    if inputs is None:
        answers = coerce_inputs(specs, facts.saved_inputs, strict=False)
        inputs_from = facts.saved_inputs_on if answers else None
    else:
        answers, inputs_from = coerce_inputs(specs, inputs), None
    ctx = Context(facts=facts, year=year, as_of=as_of, inputs=answers)
    score = rule_set.score.evaluate(ctx) if rule_set.score else None
    criteria = tuple(c.evaluate(ctx, score) for c in rule_set.criteria)
    routes = tuple(r.evaluate(ctx) for r in rule_set.routes)
    verdict, direct = decide(criteria, routes)
    return Evaluation(
        enterprise_id=facts.enterprise_id, name=facts.name, uscc=facts.uscc, subdistrict=facts.subdistrict,
        rule_code=rule_set.code, rule_version=rule_set.version, rule_name=rule_set.name, year=year, as_of=as_of,
        verdict=verdict, criteria=criteria, score=score, routes=routes, direct_route=direct,
        near_miss=is_near_miss(verdict, criteria, rule_set.near_miss),
        inputs=tuple((spec.key, answers[spec.key]) for spec in rule_set.inputs if spec.key in answers),
        inputs_from=inputs_from, overrides=overrides,
    )
