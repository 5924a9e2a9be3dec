"""Targets: the grid per year (both issuers), the 属地-sum warning, and progress with completion, rank and ties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from models import Subdistrict
from models.db import Database
from services.dto import EnterpriseInput
from services.errors import ValidationError
from services.qualifications import QualificationInput, add_qualification
from services.register import create_enterprise
from services.reports.compute import compute_quarterly
from services.reports.period import Period
from services.session import read_session
from services.targets import TargetCell, indicator_options, save_targets, target_years
from services.targets_progress import rank_by, target_progress
from services.users import Actor

D = dt.date
CLERK = Actor("xiaowang", "小王", "clerk")


@pytest.fixture
def subs(db: Database) -> dict[str, int]:
    with read_session(db) as session:
        return {name.removesuffix("街道"): i for name, i in
                session.execute(select(Subdistrict.name, Subdistrict.id)).tuples()}


def test_rank_ties_share_a_rank() -> None:
    assert rank_by({"a": Decimal(150), "b": Decimal(100), "c": Decimal(100), "d": Decimal(50)}) == \
        {"a": 1, "b": 2, "c": 2, "d": 4}


def test_the_grid_keeps_both_issuers_and_warns_where_units_do_not_add_up(db: Database,
                                                                        subs: dict[str, int]) -> None:
    grid = save_targets(db, 2019, [
        TargetCell(None, "区", 40, 47, 107), TargetCell(None, "市", 36, 40, 107),
        TargetCell(subs["上塘"], "区", 2, 3, 5), TargetCell(subs["祥符"], "区", 3, 5, 10),
    ], actor=CLERK)
    assert [r.unit for r in grid.rows][:3] == ["全区", "上塘街道", "祥符街道"] and len(grid.rows) == 12
    assert grid.rows[0].value("区", "required") == 40 and grid.rows[0].value("市", "required") == 36
    assert grid.warnings == ("区下达新增数：各属地合计 5，全区 40（相差 -35）",
                             "区下达力争数：各属地合计 8，全区 47（相差 -39）",
                             "区下达基数：各属地合计 15，全区 107（相差 -92）")
    grid = save_targets(db, 2019, [TargetCell(None, "区", 5, 8, 15), TargetCell(None, "市")], actor=CLERK)
    assert grid.warnings == () and grid.rows[0].targets.keys() == {"区"}  # the city's row was removed
    assert target_years(db) == [2019]
    assert indicator_options(db)[0].code == "qual.national_hte.new"


def test_bad_cells_are_refused_by_name(db: Database, subs: dict[str, int]) -> None:
    with pytest.raises(ValidationError) as info:
        save_targets(db, 2019, [TargetCell(subs["上塘"], "区", 3, 2), TargetCell(None, "市", -1),
                                TargetCell(None, "省", 1)], actor=CLERK)
    assert info.value.problems == {
        f"{subs['上塘']}.区.stretch": "上塘街道（区下达）力争数（2）不能小于新增数（3）",
        "all.市.required": "全区（市下达）新增数应为0至100000之间的整数",
        "all.省.issuer": "全区（省）：下达单位应为“区”或“市”",
    }
    assert target_years(db) == []


def _certify(db: Database, sub_id: int | None, day: dt.date, n: int, tag: str) -> None:
    for k in range(n):
        firm = create_enterprise(db, EnterpriseInput(name=f"杭州{tag}{k}号科技有限公司", subdistrict_id=sub_id)).id
        add_qualification(db, firm, QualificationInput(type_code="national_hte", year=day.year, certified_on=day),
                          today=D(2026, 1, 1))


def test_progress_completion_rank_and_stretch_match_the_report(db: Database, subs: dict[str, int]) -> None:
    save_targets(db, 2019, [
        TargetCell(None, "市", 36, 40), TargetCell(None, "区", 40, 47),
        TargetCell(subs["上塘"], "区", 2, 3), TargetCell(subs["祥符"], "区", 4, 5),
        TargetCell(subs["半山"], "区", 1, 1),
        TargetCell(subs["康桥"], "市", 2, 2), TargetCell(subs["康桥"], "区", 4, 4),
    ], actor=CLERK)
    _certify(db, subs["上塘"], D(2019, 11, 20), 3, "上塘")  # 150 %, stretch reached
    _certify(db, subs["祥符"], D(2019, 11, 20), 2, "祥符")  # 50 %
    _certify(db, subs["康桥"], D(2019, 11, 20), 2, "康桥")  # 50 % of the district's 4 (not the city's 2)
    _certify(db, None, D(2019, 12, 5), 1, "无属地")
    _certify(db, subs["半山"], D(2020, 1, 5), 1, "半山")  # next year: does not count
    progress = target_progress(db, 2019, as_of=D(2026, 1, 1))
    assert progress.as_of == D(2019, 12, 31) and progress.type_name == "国家高新技术企业"
    by_unit = {u.unit: u for u in progress.units}
    assert [(u.actual, u.required, u.completion_pct, u.rank, u.stretch_reached) for u in
            (by_unit["上塘街道"], by_unit["祥符街道"], by_unit["康桥街道"], by_unit["半山街道"])] == [
        (3, 2, Decimal("150.0"), 1, True), (2, 4, Decimal("50.0"), 2, False), (2, 4, Decimal("50.0"), 2, False),
        (0, 1, Decimal("0.0"), 4, False)]
    assert by_unit["祥符街道"].shortfall == 2 and by_unit["大关街道"].rank is None
    assert by_unit["未落属地"].actual == 1
    whole = progress.whole
    assert (whole.actual, whole.issuer, whole.required, whole.completion_pct) == (8, "市", 36, Decimal("22.2"))
    city = target_progress(db, 2019, as_of=D(2026, 1, 1), issuer="市")
    assert {u.unit: u.completion_pct for u in city.units if u.rank} == {"康桥街道": Decimal("100.0")}
    report = compute_quarterly(db, Period(2019, 4))
    for unit in ("上塘街道", "祥符街道", "康桥街道", "半山街道"):
        assert report.current.get("completion.national_hte.pct", unit) == by_unit[unit].completion_pct
        assert report.current.get("qual.national_hte.new_ytd", unit) == by_unit[unit].actual
    assert report.current.get("completion.national_hte.pct") == whole.completion_pct
    assert report.ranks("national_hte") == {u.unit: u.rank for u in progress.units if u.rank}
    mid_year = target_progress(db, 2019, as_of=D(2019, 11, 30))
    assert mid_year.whole.actual == 7
