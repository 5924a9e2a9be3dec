"""A carrier's periodic statistics over a real database: one record per period, blank is not 0, impossible values
refused, and each plausibility check a reviewer makes (pure checks tested directly as well)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from models.db import Database
from services.carrier_plausibility import check
from services.carrier_stats import Period, StatInput, list_stats, parse_period, remove_stat, save_stat, totals
from services.carriers import CarrierInput, create_carrier
from services.errors import ValidationError


def carrier(db: Database, area: str | None = None) -> int:
    return create_carrier(db, CarrierInput(name="运河汽车互联网孵化器", kind_code="incubator",
                                           area_m2=Decimal(area) if area else None)).id


def test_one_record_per_period_blank_stays_blank(db: Database) -> None:
    cid = carrier(db)
    save_stat(db, cid, StatInput(year=2024, quarter=4, incubating_count=40, new_count=5))
    save_stat(db, cid, StatInput(year=2024, incubating_count=41, graduated_count=None,
                                 revenue_wan=Decimal("1.2345678")))
    replaced = save_stat(db, cid, StatInput(year=2024, quarter=4, incubating_count=42))
    stats = list_stats(db, cid)
    assert [(s.period, s.id == replaced.id) for s in stats] == [("2024年度", False), ("2024年第4季度", True)]
    assert stats[1].figures["new_count"] is None  # a save replaces the period; what it leaves blank is 未填
    assert stats[0].figures["revenue_wan"] == Decimal("1.234568")
    sums = totals(s.figures for s in stats)
    assert (sums["incubating_count"].total, sums["graduated_count"].text()) == (83, "未填")
    assert sums["new_count"].text() == "未填" and totals([{"new_count": 3}, {}])["new_count"].text() == "3（1 家未填）"
    remove_stat(db, replaced.id)
    assert [s.period for s in list_stats(db, cid)] == ["2024年度"]


def test_impossible_values_and_periods_are_refused(db: Database) -> None:
    cid = carrier(db)
    today = dt.date.today()
    with pytest.raises(ValidationError) as bad:
        save_stat(db, cid, StatInput(year=today.year + 1, incubating_count=-1, revenue_wan=Decimal(-2)))
    assert bad.value.problems == {"incubating_count": "在孵企业数不能为负数（-1）",
                                  "revenue_wan": "在孵企业总收入不能为负数（-2）",
                                  "year": f"年度应在1990年至{today.year}年之间"}
    with pytest.raises(ValidationError, match="2026年第3季度尚未开始，不能填报"):
        save_stat(db, cid, StatInput(year=2026, quarter=3), today=dt.date(2026, 6, 30))
    with pytest.raises(ValidationError, match="季度应为1–4"):
        save_stat(db, cid, StatInput(year=2025, quarter=5))
    assert list_stats(db, cid) == []


def test_plausibility_findings_on_stored_periods(db: Database) -> None:
    cid = carrier(db, area="11200")
    for quarter, investment in ((1, "5000"), (2, "5100")):
        save_stat(db, cid, StatInput(year=2025, quarter=quarter, investment_total_wan=Decimal(investment),
                                     incubating_count=60, employees=300))
    slipped = save_stat(db, cid, StatInput(year=2025, quarter=3, investment_total_wan=Decimal("51000000"),
                                           incubating_count=23, new_count=24, graduated_count=30, employees=20))
    found = {f.field: (f.severity, f.message) for f in slipped.findings}
    assert found["new_count"] == ("red", "当年新增孵化企业数（24）大于在孵企业数（23）")
    assert found["graduated_count"] == ("yellow", "当年毕业企业数（30）大于在孵企业数（23）")
    assert found["employees"] == ("yellow", "从业人数（20）少于在孵企业数（23），平均每家不足1人")
    severity, message = found["investment_total_wan"]
    assert severity == "red" and "按面积 11,200 ㎡ 折合每平方米 4,553.57 万元" in message  # the carrier's area
    assert slipped.finding("investment_total_wan") is not None
    earlier = {s.quarter: s for s in list_stats(db, cid)}[1]
    assert earlier.findings == ()  # the slip in Q3 does not make Q1 look out of line (median of the others)


def test_out_of_line_with_other_periods_both_ways() -> None:
    others = [{"revenue_wan": Decimal("800")}, {"revenue_wan": Decimal("900")}, {"revenue_wan": None}]
    assert check({"revenue_wan": Decimal("850")}, others) == []
    (high,) = check({"revenue_wan": Decimal("8500000")}, others)
    assert high.message == "在孵企业总收入 8,500,000万元，是该载体通常水平（900）的 9,444 倍，请核对单位"
    (low,) = check({"revenue_wan": Decimal("0.085")}, others)
    assert low.message == "在孵企业总收入 0.085万元，是该载体通常水平（800）的 1/9,412，请核对单位"
    (one_other,) = check({"revenue_wan": Decimal("9000000")}, others[:1])
    assert "通常水平（800）的 11,250 倍" in one_other.message  # one other period: compared with it
    assert check({"revenue_wan": Decimal("84000")}, others) == []  # 99×: unusual, not a unit slip
    assert check({"floor_area_m2": Decimal("120000000")}, [], area_m2=Decimal("12000")) != []
    assert check({"new_count": 5, "employees": 0}, []) == []  # blank 在孵: nothing to compare with


@pytest.mark.parametrize(("text", "period"), [
    ("2025年第3季度", Period(2025, 3)), ("2025Q3", Period(2025, 3)), ("2025-q4", Period(2025, 4)),
    ("第三季度", Period(None, 3)), ("三季度", Period(None, 3)), ("Q1", Period(None, 1)), (2, Period(None, 2)),
    (3.0, Period(None, 3)), ("4", Period(None, 4)), ("2025年度", Period(2025, None)), (2024, Period(2024, None)),
    ("全年", Period(None, None)), ("2025 年 第 一 季度", Period(2025, 1)),
])
def test_periods_as_clerks_write_them(text: object, period: Period) -> None:
    assert parse_period(text) == period


@pytest.mark.parametrize("text", ["第五季度", "5", "上半年", "Q0", 1889, True, "季度"])
def test_unreadable_periods(text: object) -> None:
    with pytest.raises(ValueError, match="统计期"):
        parse_period(text)
