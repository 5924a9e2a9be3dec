"""Every indicator of the JSON equals the count or sum the test computes directly from the records it wrote."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from report_scenario import ALL_UNITS, END, PREV_END, QUARTER, YEAR, Scenario, expected, make_scenario, write_scenario

from models.db import Database
from services.reports.compute import compute_quarterly
from services.reports.package import write_quarterly
from services.reports.period import Period

#: Codes PRODUCT.md names (per type for the seven types it lists).
PRODUCT_CODES = (
    "ent.count_end", "target.national_hte.required", "target.national_hte.stretch", "completion.national_hte.pct",
    "voucher.issued_ytd_wan", "voucher.used_ytd_wan", "voucher.redeemed_ytd_wan", "voucher.enterprises_redeemed_ytd",
    "carrier.incubating_end", "carrier.graduated_ytd", "payout.total_ytd_wan", "payout.city_ytd_wan",
    "payout.district_ytd_wan", "carrier.incubator.national.count_end",
    *(f"qual.{t}.{m}" for t in ("national_hte", "city_hte", "prov_tsme", "national_tsme", "city_startup", "qinglan",
                                "district_growth") for m in ("valid_end", "new_ytd", "new_q", "expiring_90d")),
)


def _same(actual: Any, wanted: Any) -> bool:
    if actual is None or wanted is None:
        return actual is wanted
    return Decimal(str(actual)) == Decimal(wanted)


def _compare(block: dict[str, Any], oracle: dict[str | None, dict[str, Any]], where: str) -> list[str]:
    problems = []
    for code, value in block["indicators"].items():
        if not _same(value, oracle[None].get(code, 0)):
            problems.append(f"{where} 全区 {code}: {value} ≠ {oracle[None].get(code, 0)}")
    for unit, values in block["by_subdistrict"].items():
        for code, value in values.items():
            if not _same(value, oracle[unit].get(code, 0)):
                problems.append(f"{where} {unit} {code}: {value} ≠ {oracle[unit].get(code, 0)}")
    return problems


def test_every_indicator_equals_the_direct_count(db: Database, scenario: Scenario, tmp_path: Path) -> None:
    """On every engine under test (``db`` runs on PostgreSQL too when TECHLEDGER_TEST_ENGINES says so)."""
    write_scenario(db, scenario)
    report = compute_quarterly(db, Period(YEAR, QUARTER))
    result = write_quarterly(report, tmp_path, formats=("json",))
    data = json.loads(result.files[0].read_text(encoding="utf-8"))
    assert data["period"] == {"year": 2025, "quarter": 2, "start": "2025-01-01", "end": "2025-06-30",
                              "quarter_start": "2025-04-01", "label": "2025年第二季度（1-6月）"}
    assert set(PRODUCT_CODES) <= set(data["indicators"])
    problems = _compare(data, expected(scenario, END), "本期")
    problems += _compare(data["same_period_last_year"], expected(scenario, PREV_END), "上年同期")
    assert problems == []
    # The scenario exercises what it is meant to: non-zero figures of every family, in both periods.
    for block in (data, data["same_period_last_year"]):
        for code in ("ent.count_end", "qual.national_hte.valid_end", "qual.national_hte.new_ytd",
                     "qual.national_hte.applied_ytd", "qual.national_hte.reviewed_ytd",
                     "voucher.issued_ytd_wan", "voucher.redeemed_ytd_wan", "carrier.count_end",
                     "carrier.incubating_end", "payout.total_ytd_wan", "prereview.count_ytd", "visit.count_ytd"):
            assert block["indicators"][code], code
    assert tuple(data["by_subdistrict"]) == ALL_UNITS


def test_units_add_up_to_the_district(scenario_db: Database) -> None:
    report = compute_quarterly(scenario_db, Period(YEAR, QUARTER))
    for code, total in report.current.district.items():
        if code.startswith(("target.", "completion.")):
            continue
        assert sum(report.current.get(code, u) or 0 for u in report.units) == total, code  # type: ignore[misc]


def test_boundary_dates(db: Database) -> None:
    """Only the explicit cases: certified on the quarter's last day and the day after, expiring on the period end,
    the last day of the 90-day window and the day after, revoked on and after the end, removed on and after it."""
    sc = make_scenario(firms=12, random_quals=0, activity=False)
    write_scenario(db, sc)
    report = compute_quarterly(db, Period(YEAR, QUARTER))
    values = report.current.district
    assert values["qual.national_hte.valid_end"] == 6   # firms 1, 2, 4, 6, 8, 9
    assert values["qual.national_hte.expiring_90d"] == 2  # expiring on 30 June, and on 28 September
    assert values["qual.national_hte.new_ytd"] == 2     # 30 June and the renewal of 20 May; not 1 July
    assert values["qual.national_hte.new_q"] == 2
    assert values["qual.city_hte.valid_end"] == 1       # the firm removed on 30 June no longer counts
    assert values["ent.count_end"] == 11
    assert [row.name for row in report.new_hte] == ["测试企业006有限公司", "=1+1科技有限公司"]
    assert report.new_hte[1].certified_on == dt.date(2025, 6, 30)


def test_a_carrier_counts_under_each_kind_it_is_recognised_as(db: Database) -> None:
    from models import Carrier, CarrierRecognition
    from services.session import unit_of_work

    with unit_of_work(db, source="test") as session:
        incubator = Carrier(name="运河孵化器", name_norm="运河孵化器", kind_code="incubator")
        session.add(incubator)
        session.flush()
        session.add_all([
            CarrierRecognition(carrier_id=incubator.id, level="市", recognized_on=dt.date(2020, 5, 1)),
            CarrierRecognition(carrier_id=incubator.id, level="国家", kind_code="maker_space",
                               recognized_on=dt.date(2021, 3, 1))])
    values = compute_quarterly(db, Period(YEAR, QUARTER)).current.district
    assert values["carrier.incubator.city.count_end"] == 1
    assert values["carrier.maker_space.national.count_end"] == 1
    assert values.get("carrier.incubator.national.count_end") in (None, 0)
    assert values["carrier.count_end"] == 1  # still one carrier


def test_targets_completion_and_ranks(scenario_db: Database) -> None:
    report = compute_quarterly(scenario_db, Period(YEAR, QUARTER))
    cur = report.current
    assert (cur.get("target.national_hte.required"), cur.get("target.national_hte.stretch")) == (9, 12)  # the city's
    assert cur.get("target.national_hte.required", "上塘街道") == 3  # the district's own for a 属地
    assert cur.get("target.national_hte.required", "园区") == 4      # the city's when the district set none
    assert cur.get("target.national_hte.required", "半山街道") is None
    assert cur.get("completion.national_hte.pct", "半山街道") is None
    ranks = report.ranks("national_hte")
    assert set(ranks) == {"上塘街道", "园区"}
    rates = {u: cur.get("completion.national_hte.pct", u) for u in ranks}
    best = max(rates, key=lambda u: rates[u])  # type: ignore[arg-type, return-value]
    assert ranks[best] == 1


@pytest.mark.parametrize(("year", "quarter", "end", "start"), [
    (2025, 1, dt.date(2025, 3, 31), dt.date(2025, 1, 1)), (2025, 2, dt.date(2025, 6, 30), dt.date(2025, 4, 1)),
    (2024, 3, dt.date(2024, 9, 30), dt.date(2024, 7, 1)), (2024, 4, dt.date(2024, 12, 31), dt.date(2024, 10, 1)),
])
def test_period_dates(year: int, quarter: int, end: dt.date, start: dt.date) -> None:
    period = Period.of(year, quarter)
    assert (period.start, period.end, period.quarter_start) == (dt.date(year, 1, 1), end, start)
    assert period.previous == Period(year - 1, quarter)


def test_last_finished_quarter() -> None:
    assert Period.last_finished(dt.date(2026, 11, 21)) == Period(2026, 3)
    assert Period.last_finished(dt.date(2026, 2, 1)) == Period(2025, 4)
    assert Period.last_finished(dt.date(2026, 4, 1)) == Period(2026, 1)
