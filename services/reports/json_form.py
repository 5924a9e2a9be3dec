"""The report's indicators as JSON (PRODUCT.md): ``{"period": {...}, "indicators": {code: value},
"by_subdistrict": {属地: {code: value}}}``, plus the same for the same period last year.

Counts are integers; 万元 amounts and percentages are numbers (the exact decimal, written without float noise);
a figure that does not apply (a completion rate without a target) is null.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from services.reports.figures import PeriodFigures, QuarterlyReport, Value


def _number(value: Value) -> int | float | None:
    """Decimals become floats: their shortest repr is the decimal itself for every amount a report holds."""
    return float(value) if isinstance(value, Decimal) else value


def _values(values: Mapping[str, Value]) -> dict[str, Any]:
    return {code: _number(value) for code, value in values.items()}


def _figures(figures: PeriodFigures) -> dict[str, Any]:
    return {"period": figures.period.as_json(), "indicators": _values(figures.district),
            "by_subdistrict": {unit: _values(values) for unit, values in figures.by_unit.items()}}


def report_json(report: QuarterlyReport) -> dict[str, Any]:
    """The JSON object of ``report``."""
    current = _figures(report.current)
    current["period"]["label"] = report.period.label
    return {**current, "unit": {"name": report.meta.unit_name, "district": report.meta.district},
            "same_period_last_year": _figures(report.previous)}


def write_json(path: Path, report: QuarterlyReport) -> Path:
    path.write_text(json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
