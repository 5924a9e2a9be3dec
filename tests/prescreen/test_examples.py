"""The worked examples of docs/prescreen-examples.md, each worked out by hand there, checked against the engine."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from services.prescreen.engine import evaluate
from services.prescreen.facts import EnterpriseFacts
from services.qualifications import YearFacts
from tests.prescreen.builders import library

DOC = Path(__file__).resolve().parents[2] / "docs" / "prescreen-examples.md"
BLOCK = re.compile(r"^## (例 \d+[^\n]*)\n(.*?)^```toml\n(.*?)^```", re.S | re.M)


def examples() -> list[tuple[str, dict[str, Any]]]:
    return [(title, tomllib.loads(block)) for title, _, block in BLOCK.findall(DOC.read_text(encoding="utf-8"))]


def enterprise(example: dict[str, Any]) -> EnterpriseFacts:
    years = {}
    for year, values in example.get("facts", {}).items():
        typed = {k: Decimal(str(v)) if k.endswith("_wan") else v for k, v in values.items()}
        years[int(year)] = YearFacts(year=int(year), **typed)
    return EnterpriseFacts(enterprise_id=None, name="算例企业", registered_on=example["registered_on"],
                           industry_field_code=example["field"], years=years,
                           valid_qualifications=frozenset(example.get("valid_qualifications", ())))


def test_the_document_has_the_examples() -> None:
    assert [title.split()[1] for title, _ in examples()] == ["1", "2", "3", "4", "5", "6"]


@pytest.mark.parametrize(("title", "example"), examples(), ids=[t for t, _ in examples()])
def test_example(title: str, example: dict[str, Any]) -> None:
    for code in example["rules"]:
        expected = example["expected"].get(code, {})
        rule_set = library().select(code, example["as_of"])
        ev = evaluate(rule_set, enterprise(example), example["year"], as_of=example["as_of"],
                      inputs=example.get("answers", {}))
        if "verdict" in expected:
            assert ev.verdict.value == expected["verdict"], ev.verdict
        if "near_miss" in expected:
            assert ev.near_miss is expected["near_miss"]
        if "direct_route" in expected:
            assert ev.direct_route == expected["direct_route"]
        if "score" in expected:
            assert [ev.score.low, ev.score.high] == expected["score"]
        for key, want in expected.get("criteria", {}).items():
            c = ev.criterion(key)
            got = {"status": c.status.value, "value": c.value_text, "threshold": c.threshold,
                   "margin": c.margin.text if c.margin else None,
                   "money_wan": c.margin.money_wan if c.margin else None, "missing": list(c.missing)}
            for field, value in want.items():
                assert got[field] == value, f"{code} {key}.{field}"
        for key, want in expected.get("score_items", {}).items():
            item = ev.score.item(key)
            assert [item.low, item.high] == want["points"], f"{code} {key}"
