"""企业成长性 (RULES.md §1a): the growth formula computed exactly, its edge rules, and the bands."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from services.prescreen.results import ScoreBasis, ScoreItemResult
from services.prescreen.scoring import growth_rate
from tests.prescreen.builders import HTE_ALL_GOOD, facts, run

D = Decimal


def rate(*values: str) -> Decimal | None:
    return growth_rate(tuple((2023 + i, D(v)) for i, v in enumerate(values)))[0]


def test_three_year_formula() -> None:
    # 1/2 × (1,200/1,000 + 1,500/1,200) − 1 = 1/2 × (1.2 + 1.25) − 1 = 0.225
    assert rate("1000", "1200", "1500") == D("0.225")


def test_zero_first_year_uses_the_last_two_years_only() -> None:
    result, how = growth_rate(((2023, D(0)), (2024, D(100)), (2025, D(150))))
    assert result == D("0.5") and "第一年为 0，按后两年计算" in how


def test_zero_second_year_scores_zero() -> None:
    result, how = growth_rate(((2023, D(100)), (2024, D(0)), (2025, D(150))))
    assert result is None and "第二年为 0，得 0 分" in how


def test_under_three_years_uses_the_actual_period() -> None:
    result, how = growth_rate(((2024, D(100)), (2025, D(130))))
    assert result == D("0.3") and "经营不足三年" in how
    single, how = growth_rate(((2025, D(100)),))
    assert single is None and "经营不足两个会计年度" in how


def test_negative_growth_is_negative() -> None:
    negative = rate("100", "90", "80")
    assert negative is not None and negative < 0


def growth_item(net_assets: tuple[str, ...], *, registered: dt.date = dt.date(2015, 3, 1)) -> ScoreItemResult:
    """The 净资产增长率 item for net assets of the last ``len(net_assets)`` years."""
    first = 2025 - len(net_assets) + 1
    years: dict[int, dict[str, str] | None] = {first + i: {"net_assets_wan": v} for i, v in enumerate(net_assets)}
    if len(net_assets) < 3:
        years |= {y: None for y in range(2023, 2026 - len(net_assets))}
    ev = run("national_hte", facts(years, registered_on=registered), inputs=HTE_ALL_GOOD)
    return ev.score.item("net_assets_growth")


@pytest.mark.parametrize(("values", "band"), [
    (("100", "135", "182.25"), (9, 10)),   # exactly 35%
    (("100", "135", "182.24"), (7, 8)),    # just under 35%
    (("100", "125", "156.25"), (7, 8)),    # exactly 25%
    (("100", "115", "132.25"), (5, 6)),    # exactly 15%
    (("100", "105", "110.25"), (3, 4)),    # exactly 5%
    (("100", "100", "100.01"), (1, 2)),    # just above 0
    (("100", "100", "100"), (0, 0)),       # exactly 0: "≤ 0 → 0"
    (("100", "90", "80"), (0, 0)),         # negative growth scores 0
    (("0", "100", "150"), (9, 10)),        # zero first year: 150/100 − 1 = 50%
    (("100", "0", "150"), (0, 0)),         # zero second year: 0
])
def test_bands(values: tuple[str, ...], band: tuple[int, int]) -> None:
    item = growth_item(values)
    assert (item.low, item.high) == band
    assert item.basis is ScoreBasis.COMPUTED


def test_band_explanation_shows_the_formula() -> None:
    item = growth_item(("1000", "1200", "1500"))
    assert item.explanation == ("2023年 1000，2024年 1200，2025年 1500："
                                "1/2 × (1200/1000 + 1500/1200) − 1 = 22.5%（≥ 15%），5–6 分")


def test_fewer_than_three_years_of_operation() -> None:
    two = growth_item(("100", "130"), registered=dt.date(2024, 5, 1))
    assert (two.low, two.high) == (7, 8)  # 30%
    one = growth_item(("100",), registered=dt.date(2025, 5, 1))
    assert (one.low, one.high) == (0, 0)


def test_a_missing_year_of_an_old_enterprise_leaves_the_full_range_open() -> None:
    ev = run("national_hte", facts({2024: {"net_assets_wan": None}}), inputs=HTE_ALL_GOOD)
    item = ev.score.item("net_assets_growth")
    assert (item.low, item.high) == (0, 10) and item.basis is ScoreBasis.MISSING
    assert item.missing == ("2024年净资产",)
