"""The JSON form of an evaluation: the ``prescreen --json`` output and the ``details_json`` of a saved pre-review.

Numbers are JSON numbers (ratios to 6 places, 万元 and points to 2 places); dates are ISO strings. README.md
("Command line") documents the shape.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from services.prescreen.results import (
    SCORE_BASIS_TEXT,
    STATUS_TEXT,
    CriterionResult,
    Evaluation,
    Figure,
    ScoreResult,
)
from services.prescreen.rules import RuleSet

#: Marks a pre-review's details as written by this module (older or foreign details are shown, never parsed).
DETAILS_FORMAT = "techledger-prescreen/1"


def num(value: Decimal | int | None, places: int = 2) -> float | int | None:
    """A JSON number: whole numbers as int, others rounded to ``places``."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    if value == value.to_integral_value():
        return int(value)
    return float(round(value, places))


def _figure(f: Figure) -> dict[str, Any]:
    value = f.value if isinstance(f.value, str) or f.value is None else num(f.value)
    return {"label": f.label, "year": f.year, "years": list(f.years) or None, "value": value, "unit": f.unit,
            "text": f.text}


def criterion_dict(c: CriterionResult) -> dict[str, Any]:
    margin = None
    if c.margin is not None:
        margin = {"amount": num(c.margin.amount, 4), "unit": str(c.margin.unit), "short": c.margin.short,
                  "money_wan": num(c.margin.money_wan), "money_label": c.margin.money_label, "text": c.margin.text}
    return {"key": c.key, "label": c.label, "status": str(c.status), "status_text": STATUS_TEXT[c.status],
            "basic": c.basic, "value": c.value_text or None, "threshold": c.threshold,
            "figures": [_figure(f) for f in c.figures], "margin": margin, "missing": list(c.missing),
            "explanation": c.explanation, "basis": c.basis or None, "note": c.note or None}


def score_dict(score: ScoreResult) -> dict[str, Any]:
    return {
        "min": num(score.low), "max": num(score.high), "out_of": num(score.maximum), "text": score.text,
        "groups": [{"key": g.key, "label": g.label, "min": num(g.low), "max": num(g.high), "out_of": num(g.maximum)}
                   for g in score.groups],
        "items": [{"key": i.key, "label": i.label, "group": i.group, "min": num(i.low), "max": num(i.high),
                   "out_of": num(i.maximum), "basis": str(i.basis), "basis_text": SCORE_BASIS_TEXT[i.basis],
                   "explanation": i.explanation, "missing": list(i.missing)} for i in score.items],
    }


def evaluation_dict(ev: Evaluation) -> dict[str, Any]:
    """One enterprise's result."""
    return {
        "enterprise_id": ev.enterprise_id, "name": ev.name, "uscc": ev.uscc, "subdistrict": ev.subdistrict,
        "verdict": str(ev.verdict), "verdict_text": ev.verdict_text,
        "score": score_dict(ev.score) if ev.score else None,
        "near_miss": ev.near_miss, "direct_route": ev.direct_route,
        "criteria": [criterion_dict(c) for c in ev.criteria],
        "routes": [{"key": r.key, "label": r.label, "status": str(r.status), "explanation": r.explanation}
                   for r in ev.routes],
        "missing": list(ev.missing),
        "inputs": {key: value if isinstance(value, bool | str) else num(value) for key, value in ev.inputs},
        "inputs_from": ev.inputs_from.isoformat() if ev.inputs_from else None,
        "what_if": list(ev.overrides),
    }


def rule_set_dict(rule_set: RuleSet) -> dict[str, Any]:
    return {
        "code": rule_set.code, "version": rule_set.version, "name": rule_set.name, "programme": rule_set.programme,
        "level": rule_set.level,
        "effective_from": rule_set.effective_from.isoformat() if rule_set.effective_from else None,
        "effective_to": rule_set.effective_to.isoformat() if rule_set.effective_to else None,
        "source": rule_set.source, "notes": rule_set.notes or None,
    }


def details_entries(ev: Evaluation, rule_set: RuleSet) -> list[dict[str, Any]]:
    """What a saved pre-review keeps in ``details_json``: a list with one entry per criterion and 直通车 route
    (``criterion``, ``result``, ``value``, ``requirement`` — the form every reader of pre-reviews understands — plus
    the explanation, margin and missing data), and a last entry holding the answers, so that later evaluations of
    the same rule set and year start from them."""
    specs = rule_set.input_specs()
    entries: list[dict[str, Any]] = []
    for c in ev.criteria:
        entries.append({
            "criterion": c.label, "result": str(c.status), "value": c.value_text, "requirement": c.threshold,
            "kind": "criterion", "key": c.key, "explanation": c.explanation,
            "margin": c.margin.text if c.margin else None,
            "money_wan": num(c.margin.money_wan) if c.margin else None, "missing": list(c.missing),
        })
    for r in ev.routes:
        entries.append({"criterion": f"直通车：{r.label}", "result": str(r.status), "value": r.explanation,
                        "requirement": "任一项成立即可", "kind": "route", "key": r.key})
    answers_text = "；".join(f"{specs[k].label}：{specs[k].text(v)}" for k, v in ev.inputs)
    entries.append({
        "criterion": "确认事项与估计分", "result": "记录", "value": answers_text or "无", "requirement": "",
        "kind": "answers", "format": DETAILS_FORMAT, "rule_set": rule_set_dict(rule_set), "year": ev.year,
        "as_of": ev.as_of.isoformat(), "answers": {key: specs[key].to_json(value) for key, value in ev.inputs},
        "score": score_dict(ev.score) if ev.score else None, "what_if": list(ev.overrides),
        "verdict": str(ev.verdict), "near_miss": ev.near_miss, "direct_route": ev.direct_route,
    })
    return entries
