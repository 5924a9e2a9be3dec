"""国高企 (2016) criteria at and around every threshold of RULES.md §1a, and the verdict they add up to."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from services.prescreen.facts import EnterpriseFacts
from services.prescreen.results import Evaluation, MarginUnit, Status, Verdict
from tests.prescreen.builders import HTE_ALL_GOOD, facts, run

D = Decimal


def hte(enterprise: EnterpriseFacts | None = None, **answers: Any) -> Evaluation:
    """国高企 with every question answered favourably unless ``answers`` say otherwise."""
    return run("national_hte", enterprise or facts(), inputs={**HTE_ALL_GOOD, **answers})


def test_a_sound_enterprise_qualifies_with_its_score_band() -> None:
    ev = hte()
    assert ev.verdict is Verdict.QUALIFIES
    assert all(c.status is Status.PASS for c in ev.criteria)
    # 知识产权 8+8+(7–8)+(1–6)+0 → 24–30; 转化 25–30; 管理 20; 成长性 (5–6)+(5–6) → 79–92.
    assert (ev.score.low, ev.score.high) == (79, 92)
    assert ev.score.text == "79–92 分"
    assert not ev.near_miss


# ---- 5. R&D ratio: 3-year sums; 2023–2025 revenue 2,000 + 2,400 + 3,000 = 7,400 万元 ----

def rd(total_2025: str, *, earlier: tuple[str, str] = ("100", "120")) -> dict[int, dict[str, Any]]:
    return {2023: {"rd_expense_wan": earlier[0], "rd_domestic_wan": earlier[0]},
            2024: {"rd_expense_wan": earlier[1], "rd_domestic_wan": earlier[1]},
            2025: {"rd_expense_wan": total_2025, "rd_domestic_wan": total_2025}}


def test_rd_ratio_of_exactly_5_percent_passes() -> None:
    c = hte(facts(rd("150"))).criterion("rd_ratio")  # 370 / 7,400 = 5%
    assert c.status is Status.PASS
    assert c.value_text == "5%"
    assert c.margin.text == "恰好达到"


def test_rd_ratio_of_4_99_percent_fails_with_the_gap_in_points_and_money() -> None:
    c = hte(facts(rd("149.26"))).criterion("rd_ratio")  # 369.26 / 7,400 = 4.99%
    assert c.status is Status.FAIL
    assert c.value_text == "4.99%"
    assert c.margin.unit is MarginUnit.PERCENTAGE_POINTS and c.margin.short
    assert c.margin.amount == D("0.01")
    assert c.margin.money_wan == D("0.74")  # 5% × 7,400 − 369.26
    assert c.margin.text == "差 0.01 个百分点 ≈ 0.74万元研发投入"
    assert "研发费用占比 4.99%（2023–2025年研发费用 369.26万元 ÷ 营业收入 7,400万元）" in c.explanation


def test_a_ratio_just_under_the_threshold_is_never_printed_as_the_threshold() -> None:
    c = hte(facts(rd("149.999"))).criterion("rd_ratio")  # 369.999 / 7,400 = 4.99998…%
    assert c.status is Status.FAIL
    assert c.value_text != "5%" and c.value_text.startswith("4.9999")


def test_the_brief_s_own_example() -> None:
    """研发占比 4.3%，需 ≥5%，差 0.7 个百分点 ≈ 35万元研发投入 (revenue 5,000万 over three years)."""
    years = {2023: {"revenue_wan": "1500", "rd_expense_wan": "60"},
             2024: {"revenue_wan": "1600", "rd_expense_wan": "70"},
             2025: {"revenue_wan": "1900", "rd_expense_wan": "85", "hitech_revenue_wan": "1500"}}
    c = hte(facts(years)).criterion("rd_ratio")
    assert c.explanation.endswith("需 ≥ 5%（2025年营业收入 1,900万元，≤ 5,000万元），差 0.7 个百分点 ≈ 35万元研发投入")
    assert c.margin.money_wan == D("35")


@pytest.mark.parametrize(("revenue_2025", "need"), [
    ("5000", "5%"), ("5000.01", "4%"), ("20000", "4%"), ("20000.01", "3%"), ("0.01", "5%"),
])
def test_the_bracket_follows_last_year_revenue_with_inclusive_upper_bounds(revenue_2025: str, need: str) -> None:
    c = hte(facts({2025: {"revenue_wan": revenue_2025, "hitech_revenue_wan": revenue_2025}})).criterion("rd_ratio")
    assert c.threshold.startswith(f"≥ {need}（2025年营业收入")


def test_at_4_percent_bracket_a_4_percent_ratio_passes() -> None:
    # 2025 revenue 6,000 → (5,000, 2亿] → 4%; total revenue 2,000 + 2,400 + 6,000 = 10,400; R&D 416 = 4%.
    years = {2023: {"rd_expense_wan": "80"}, 2024: {"rd_expense_wan": "96"},
             2025: {"revenue_wan": "6000", "hitech_revenue_wan": "6000", "rd_expense_wan": "240"}}
    c = hte(facts(years)).criterion("rd_ratio")
    assert c.status is Status.PASS and c.value_text == "4%"
    assert "在 5,000万元（不含）至 20,000万元（含）之间" in c.threshold


def test_an_enterprise_under_three_years_uses_its_actual_period() -> None:
    enterprise = facts({2023: None}, registered_on=dt.date(2024, 3, 1))
    c = hte(enterprise).criterion("rd_ratio")
    assert c.status is Status.PASS
    assert "2024–2025年研发费用" in c.explanation


def test_a_missing_year_makes_the_ratio_unknown_and_names_the_figure() -> None:
    c = hte(facts({2024: {"revenue_wan": None}})).criterion("rd_ratio")
    assert c.status is Status.UNKNOWN
    assert c.missing == ("2024年营业收入",)


# ---- 5. domestic R&D ≥ 60% of R&D ----

@pytest.mark.parametrize(("domestic_2025", "status"), [("240", Status.PASS), ("239.99", Status.FAIL)])
def test_domestic_rd_share_at_60_percent(domestic_2025: str, status: Status) -> None:
    # R&D 2023–2025: 160 + 192 + 240 = 592; 60% = 355.2 → domestic 2023–2024 = 115.2, 2025 = 240.
    years = {2023: {"rd_domestic_wan": "57.6"}, 2024: {"rd_domestic_wan": "57.6"},
             2025: {"rd_domestic_wan": domestic_2025}}
    c = hte(facts(years)).criterion("rd_domestic")
    assert c.status is status
    if status is Status.FAIL:
        # Raising domestic R&D raises total R&D too: (0.6 × 592 − 355.19) ÷ 0.4 = 0.025 → 0.03 万元.
        assert c.margin.money_wan == D("0.03")


# ---- 4. S&T staff ≥ 10% ----

@pytest.mark.parametrize(("st", "staff", "status"), [(10, 100, Status.PASS), (9, 100, Status.FAIL),
                                                      (100, 1001, Status.FAIL), (0, 0, Status.FAIL)])
def test_st_staff_share_at_10_percent(st: int, staff: int, status: Status) -> None:
    c = hte(facts({2025: {"st_staff_avg": st, "staff_avg": staff}})).criterion("st_staff")
    assert c.status is status


def test_st_staff_gap_counts_people_who_are_staff_too() -> None:
    c = hte(facts({2025: {"st_staff_avg": 9, "staff_avg": 100}})).criterion("st_staff")
    # (9 + n) / (100 + n) ≥ 10% needs n ≥ 1.11: two more S&T staff, not one.
    assert c.margin.text == "差 1 个百分点 ≈ 2 名科技人员"
    assert c.margin.money_wan is None


# ---- 6. high-tech revenue ≥ 60% of last year's revenue ----

@pytest.mark.parametrize(("hitech", "status"), [("1800", Status.PASS), ("1799.7", Status.FAIL)])
def test_hitech_revenue_share_at_60_percent(hitech: str, status: Status) -> None:
    c = hte(facts({2025: {"hitech_revenue_wan": hitech}})).criterion("hitech_revenue")
    assert c.status is status
    if status is Status.FAIL:
        assert c.value_text == "59.99%"
        assert c.margin.money_wan == D("0.75")  # (0.6 × 3,000 − 1,799.7) ÷ 0.4


# ---- 1. registered ≥ 365 days before the application date (2026-06-30) ----

@pytest.mark.parametrize(("registered", "status"), [(dt.date(2025, 6, 30), Status.PASS),
                                                    (dt.date(2025, 7, 1), Status.FAIL)])
def test_registration_age_at_365_days(registered: dt.date, status: Status) -> None:
    c = hte(facts(registered_on=registered)).criterion("registered")
    assert c.status is status
    if status is Status.FAIL:
        assert c.margin.text == "差 1 天（2026-07-01 起满足）"


def test_a_missing_registration_date_is_unknown() -> None:
    c = hte(facts(registered_on=None)).criterion("registered")
    assert c.status is Status.UNKNOWN and c.missing == ("注册（成立）日期",)


# ---- 2. IP, 3. field, 8. declaration ----

def test_ip_ownership() -> None:
    assert hte(facts({2025: {"ip_class1": 0, "ip_class2": 1}})).criterion("ip").status is Status.PASS
    none = hte(facts({2025: {"ip_class1": 0, "ip_class2": 0}}))
    assert none.criterion("ip").status is Status.FAIL
    # Without IP the IP-based score items are 0, not a range.
    assert none.score.item("tech_advanced").high == 0
    unknown = hte(facts({2025: {"ip_class1": None, "ip_class2": 0}})).criterion("ip")
    assert unknown.status is Status.UNKNOWN and unknown.missing == ("2025年Ⅰ类知识产权",)


def test_field_outside_the_list_or_unknown() -> None:
    assert hte(facts(field=None)).criterion("field").missing == ("技术领域（行业领域）",)
    assert hte(facts(field="materials")).criterion("field").status is Status.PASS


def test_unanswered_declaration_is_unknown_and_says_what_to_confirm() -> None:
    answers = {k: v for k, v in HTE_ALL_GOOD.items() if k != "no_major_incident"}
    ev = run("national_hte", facts(), inputs=answers)
    c = ev.criterion("no_incident")
    assert c.status is Status.UNKNOWN
    assert c.missing == ("待确认：申请认定前一年内未发生重大安全、重大质量事故或严重环境违法行为",)
    assert ev.verdict is Verdict.CANNOT_TELL
    no = hte(no_major_incident=False)
    assert no.criterion("no_incident").status is Status.FAIL and no.verdict is Verdict.DOES_NOT_QUALIFY


# ---- 7. innovation score ≥ 71 (“70分以上（不含70分）”) ----

def test_score_band_whose_low_end_is_exactly_71_passes() -> None:
    ev = hte(tech_advanced_estimate=0)  # 79 − 8
    c = ev.criterion("innovation_score")
    assert ev.score.low == 71 and c.status is Status.PASS and c.margin.text == "恰好达到"


def test_score_band_straddling_71_is_unknown_and_lists_what_decides_it() -> None:
    ev = run("national_hte", facts(), inputs={"no_major_incident": True})
    c = ev.criterion("innovation_score")
    assert c.status is Status.UNKNOWN
    assert "专家评分：技术先进程度（0–8 分，可填估计分）" in c.missing
    assert "待填：近三年科技成果转化年平均数（项）" in c.missing
    assert ev.verdict is Verdict.CANNOT_TELL


def test_score_band_whose_top_is_70_fails_by_one_point_and_is_a_near_miss() -> None:
    ev = hte(standards_estimate=2, conversions_avg=2, mgmt_talent_estimate=0)
    # 知识产权 min(8+8+8+6+2, 30) = 30, 转化 12, 管理 6+6+4+0 = 16, 成长性 12 → at most 70.
    c = ev.criterion("innovation_score")
    assert ev.score.high == 70
    assert c.status is Status.FAIL and c.margin.unit is MarginUnit.POINTS and c.margin.amount == 1
    assert ev.verdict is Verdict.DOES_NOT_QUALIFY and ev.near_miss


# ---- near misses ----

def test_near_miss_within_one_percentage_point() -> None:
    assert hte(facts(rd("76"))).near_miss  # 296 / 7,400 = 4%: 1 point short
    assert not hte(facts(rd("75.99"))).near_miss  # 1.0001 points short


def test_one_far_failure_is_not_a_near_miss() -> None:
    ev = hte(facts({2025: {"ip_class1": 0, "ip_class2": 0}}))
    assert ev.verdict is Verdict.DOES_NOT_QUALIFY and not ev.near_miss
