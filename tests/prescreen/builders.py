"""Facts for pre-screening tests: a sound enterprise by default, with any figure replaced.

The default enterprise applies in 2026 (figures of 2023–2025), was registered in 2015, works in 电子信息, and meets
every figure-based 国高企 condition comfortably: revenue 2,000 / 2,400 / 3,000 万元 (R&D ratio 8%, bracket 5%).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from services.prescreen.engine import evaluate
from services.prescreen.facts import EnterpriseFacts
from services.prescreen.results import Evaluation
from services.prescreen.rules import RuleLibrary, bundled_rules_dir, load_library
from services.qualifications import YearFacts

YEAR = 2026
AS_OF = dt.date(2026, 6, 30)
YEARS = (2023, 2024, 2025)
REVENUE = {2023: "2000", 2024: "2400", 2025: "3000"}


def d(value: Any) -> Decimal:
    return Decimal(str(value))


def base_year(year: int) -> dict[str, Any]:
    revenue = d(REVENUE[year])
    return {
        "revenue_wan": revenue, "rd_expense_wan": revenue * d("0.08"), "rd_domestic_wan": revenue * d("0.08"),
        "hitech_revenue_wan": revenue * d("0.8"), "total_cost_wan": revenue * d("0.9"),
        "net_assets_wan": revenue / 2, "total_assets_wan": revenue * 2, "staff_avg": 100, "st_staff_avg": 30,
        "ip_class1": 1, "ip_class2": 6,
    }


def facts(years: dict[int, dict[str, Any]] | None = None, *, registered_on: dt.date | None = dt.date(2015, 3, 1),
          field: str | None = "electronics", **extra: Any) -> EnterpriseFacts:
    """The default enterprise with ``years[y]`` figures replacing the default ones (None makes one unknown;
    ``years[y] = None`` drops the whole year)."""
    changes = years or {}
    rows = {}
    for year in YEARS:
        if year in changes and changes[year] is None:
            continue
        values = {**base_year(year), **(changes.get(year) or {})}
        money = {k: (d(v) if v is not None and k.endswith("_wan") else v) for k, v in values.items()}
        rows[year] = YearFacts(year=year, **money)
    return EnterpriseFacts(enterprise_id=None, name="测试企业", registered_on=registered_on, industry_field_code=field,
                           years=rows, **extra)


_library: RuleLibrary | None = None


def library() -> RuleLibrary:
    """The shipped rule sets only (the user folder is the test's own, empty)."""
    global _library
    if _library is None:
        _library = load_library([bundled_rules_dir()])
    return _library


def run(code: str, enterprise: EnterpriseFacts, *, as_of: dt.date = AS_OF, **kwargs: Any) -> Evaluation:
    rule_set = library().select(code, as_of)
    return evaluate(rule_set, enterprise, YEAR, as_of=as_of, **kwargs)


#: Answers that settle every 国高企 question favourably, with expert estimates at the top.
HTE_ALL_GOOD = {
    "no_major_incident": True, "ip_acquisition": "self", "tech_advanced_estimate": 8, "core_support_estimate": 8,
    "standards_estimate": 0, "conversions_avg": 5, "mgmt_system_estimate": 6, "mgmt_organisation_estimate": 6,
    "mgmt_platform_estimate": 4, "mgmt_talent_estimate": 4,
}
#: Answers that settle every 科小 basic condition favourably.
TSME_BASIC = {"resident_sound_accounts": True, "industry_allowed": True, "clean_record": True}
