"""科技型中小企业 (RULES.md §1b): basic conditions, the 100-point score with the better-of-two R&D rule, and the
直通车 routes; plus the Hangzhou 市高企 revenue brackets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from services.prescreen.facts import EnterpriseFacts
from services.prescreen.results import Evaluation, ScoreBasis, Status, Verdict
from tests.prescreen.builders import TSME_BASIC, facts, run

D = Decimal


def tsme(enterprise: EnterpriseFacts | None = None, **answers: Any) -> Evaluation:
    return run("prov_tsme", enterprise or facts(), inputs={**TSME_BASIC, **answers})


def last_year(**values: Any) -> EnterpriseFacts:
    return facts({2025: values})


def test_default_enterprise_scores_100_and_qualifies() -> None:
    ev = tsme()
    # 科技人员 30% → 20; R&D 8% of revenue → 50; Ⅰ类 IP → 30.
    assert ev.score.exact and ev.score.low == 100
    assert ev.verdict is Verdict.QUALIFIES and ev.direct_route is None


# ---- better of two: R&D ÷ revenue or R&D ÷ total cost ----

@pytest.mark.parametrize(("rd", "revenue", "cost", "points"), [
    ("120", "3000", "480", 40),    # 4% of revenue → 30; 25% of cost → 40: cost wins
    ("180", "3000", "2000", 50),   # 6% of revenue → 50; 9% of cost → 0: revenue wins
    ("179.97", "3000", "2000", 40),  # 5.999% → 40
    ("150", "3000", "500", 50),    # 5% → 40; exactly 30% of cost → 50
    ("149.97", "3000", "500", 40),  # 4.999% → 30; 29.994% → 40
    ("59.97", "3000", "600", 0),   # 1.999% → 0; 9.995% → 0
])
def test_better_of_two_rd_rule(rd: str, revenue: str, cost: str, points: int) -> None:
    ev = tsme(last_year(rd_expense_wan=rd, revenue_wan=revenue, hitech_revenue_wan=revenue, total_cost_wan=cost))
    item = ev.score.item("rd")
    assert (item.low, item.high) == (points, points)
    assert item.basis is ScoreBasis.COMPUTED
    assert f"取较高者 {points} 分" in item.explanation


def test_one_option_missing_leaves_a_band_from_the_known_one() -> None:
    ev = tsme(last_year(rd_expense_wan="150", revenue_wan="3000", total_cost_wan=None))
    item = ev.score.item("rd")
    assert (item.low, item.high) == (40, 50) and item.missing == ("2025年成本费用总额",)


def test_the_known_option_at_the_top_band_decides_alone() -> None:
    item = tsme(last_year(rd_expense_wan="300", total_cost_wan=None)).score.item("rd")
    assert (item.low, item.high) == (50, 50) and item.missing == ()


# ---- 科技人员 and 科技成果 bands, lower bounds inclusive ----

@pytest.mark.parametrize(("st", "points"), [(30, 20), (29, 16), (25, 16), (20, 12), (15, 8), (10, 4), (9, 0)])
def test_st_staff_bands(st: int, points: int) -> None:
    item = tsme(last_year(st_staff_avg=st, staff_avg=100)).score.item("st_staff")
    assert item.low == item.high == points


def test_zero_st_staff_score_fails_condition_5_whatever_the_total() -> None:
    ev = tsme(last_year(st_staff_avg=9, staff_avg=100))
    assert ev.score.low == 80  # 0 + 50 + 30: enough points …
    assert ev.criterion("st_staff_nonzero").status is Status.FAIL  # … but the staff indicator is 0
    assert ev.verdict is Verdict.DOES_NOT_QUALIFY


@pytest.mark.parametrize(("ip1", "ip2", "points"), [(1, 0, 30), (0, 4, 24), (0, 3, 18), (0, 2, 12), (0, 1, 6),
                                                     (0, 0, 0)])
def test_ip_bands(ip1: int, ip2: int, points: int) -> None:
    assert tsme(last_year(ip_class1=ip1, ip_class2=ip2)).score.item("ip").low == points


# ---- basic condition 2: caps ----

@pytest.mark.parametrize(("values", "key", "status"), [
    ({"staff_avg": 500}, "staff_cap", Status.PASS), ({"staff_avg": 501}, "staff_cap", Status.FAIL),
    ({"revenue_wan": "20000", "hitech_revenue_wan": "0"}, "revenue_cap", Status.PASS),
    ({"revenue_wan": "20000.01"}, "revenue_cap", Status.FAIL),
    ({"total_assets_wan": "20000"}, "assets_cap", Status.PASS),
    ({"total_assets_wan": "20000.01"}, "assets_cap", Status.FAIL),
])
def test_caps_are_inclusive(values: dict[str, Any], key: str, status: Status) -> None:
    c = tsme(last_year(**values)).criterion(key)
    assert c.status is status
    if status is Status.FAIL and key != "staff_cap":
        assert c.margin.text == "超出 0.01万元"


# ---- condition 5: score ≥ 60 ----

def test_score_of_exactly_60_passes_and_59_fails() -> None:
    # 科技人员 10% → 4, R&D 4% → 30, IP 4 Ⅱ类 → 24: 58; 科技人员 15% → 8: 62; 2 Ⅱ类 → 12 …
    sixty = tsme(last_year(st_staff_avg=20, staff_avg=100, rd_expense_wan="120", total_cost_wan="6000",
                           ip_class1=0, ip_class2=3))  # 12 + 30 + 18 = 60
    assert sixty.score.low == 60 and sixty.criterion("score_min").status is Status.PASS
    below = tsme(last_year(st_staff_avg=15, staff_avg=100, rd_expense_wan="120", total_cost_wan="6000",
                           ip_class1=0, ip_class2=3))  # 8 + 30 + 18 = 56
    assert below.criterion("score_min").status is Status.FAIL
    assert below.criterion("score_min").margin.text == "差 4 分"
    assert below.near_miss


# ---- 直通车 ----

LOW_SCORE = {"st_staff_avg": 5, "staff_avg": 100, "rd_expense_wan": "10", "ip_class1": 0, "ip_class2": 0}


def test_a_valid_hte_certificate_qualifies_whatever_the_score() -> None:
    enterprise = facts({2025: LOW_SCORE}, valid_qualifications=frozenset({"national_hte"}))
    ev = tsme(enterprise)
    assert ev.criterion("score_min").status is Status.FAIL
    assert ev.verdict is Verdict.QUALIFIES
    assert ev.direct_route == "持有有效期内的高新技术企业资格证书"


def test_a_provincial_rd_institution_is_a_route_and_a_city_one_is_not() -> None:
    assert tsme(facts({2025: LOW_SCORE}, rd_institution_levels=frozenset({"省"}))).verdict is Verdict.QUALIFIES
    assert tsme(facts({2025: LOW_SCORE}, rd_institution_levels=frozenset({"市"}))).verdict \
        is Verdict.DOES_NOT_QUALIFY


def test_a_route_needs_the_basic_conditions() -> None:
    enterprise = facts({2025: {**LOW_SCORE, "revenue_wan": "30000"}}, valid_qualifications=frozenset({"national_hte"}))
    assert tsme(enterprise).verdict is Verdict.DOES_NOT_QUALIFY
    unconfirmed = run("prov_tsme", facts({2025: LOW_SCORE}, valid_qualifications=frozenset({"national_hte"})),
                      inputs={"resident_sound_accounts": True})
    assert unconfirmed.verdict is Verdict.CANNOT_TELL


def test_a_declared_route_counts_only_once_confirmed() -> None:
    assert tsme(facts({2025: LOW_SCORE})).routes[1].status is Status.UNKNOWN
    assert tsme(facts({2025: LOW_SCORE})).verdict is Verdict.DOES_NOT_QUALIFY
    assert tsme(facts({2025: LOW_SCORE}), national_award=True).verdict is Verdict.QUALIFIES


# ---- 杭州市高企: brackets 3,000万 / 1亿 ----

@pytest.mark.parametrize(("revenue_2025", "need"), [
    ("3000", "5%"), ("3000.01", "4%"), ("10000", "4%"), ("10000.01", "3%"),
])
def test_city_hte_brackets(revenue_2025: str, need: str) -> None:
    ev = run("city_hte", facts({2025: {"revenue_wan": revenue_2025, "hitech_revenue_wan": revenue_2025}}))
    assert ev.criterion("rd_ratio").threshold.startswith(f"≥ {need}（2025年营业收入")


def test_city_and_national_differ_between_3000_and_5000() -> None:
    years = {2025: {"revenue_wan": "4000", "hitech_revenue_wan": "4000"}}
    # R&D 160 + 192 + 240 = 592 over 2,000 + 2,400 + 4,000 = 8,400: 7.05% — lower it to 4.5%.
    years[2023] = {"rd_expense_wan": "100"}
    years[2024] = {"rd_expense_wan": "100"}
    years[2025]["rd_expense_wan"] = "178"  # 378 / 8,400 = 4.5%
    assert run("national_hte", facts(years)).criterion("rd_ratio").status is Status.FAIL  # needs 5%
    assert run("city_hte", facts(years)).criterion("rd_ratio").status is Status.PASS  # needs 4%
