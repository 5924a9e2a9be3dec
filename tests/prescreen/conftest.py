"""A small register for the database-backed pre-screening tests (services, command, exports, GUI)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from models.db import Database
from services.dto import EnterpriseInput
from services.enterprise_records import PoolInput, add_pool_entry
from services.prescreen.store import selection_choices
from services.qualifications import QualificationInput, YearFacts, add_qualification, set_year_facts
from services.register import create_enterprise
from services.uscc import make_uscc
from tests.prescreen.builders import YEARS, base_year


@dataclass(frozen=True)
class Register:
    """The enterprises by role: sound (in the 2026 申报库), near (R&D 4.5% of 5%), gap (2024 revenue missing),
    hte (科小 score near 0, valid 国高企 certificate), formula (name starting with '=')."""

    sound: int
    near: int
    gap: int
    hte: int
    formula: int
    codes: dict[str, str]
    subdistrict_id: int


def add(db: Database, name: str, serial: int, subdistrict_id: int,
        changes: dict[int, dict[str, Any]]) -> tuple[int, str]:
    code = make_uscc(f"91330105MA2{serial:06d}")
    detail = create_enterprise(db, EnterpriseInput(name=name, uscc=code, subdistrict_id=subdistrict_id,
                                                   registered_on=dt.date(2015, 3, 1),
                                                   industry_field_code="electronics"))
    for year in YEARS:
        values = {**base_year(year), **changes.get(year, {})}
        set_year_facts(db, detail.id, YearFacts(year=year, **values))
    return detail.id, code


def build_register(db: Database) -> Register:
    subdistrict_id = selection_choices(db).subdistricts[0][0]
    codes: dict[str, str] = {}
    ids: dict[str, int] = {}
    specs: list[tuple[str, str, dict[int, dict[str, Any]]]] = [
        ("sound", "杭州甲乙丙科技有限公司", {}),
        # R&D 2023–2025: 100 + 120 + 113 = 333 of 7,400 = 4.5%: 0.5 points short of 5%, 37 万元.
        ("near", "杭州临界科技有限公司", {2023: {"rd_expense_wan": Decimal(100), "rd_domestic_wan": Decimal(100)},
                                         2024: {"rd_expense_wan": Decimal(120), "rd_domestic_wan": Decimal(120)},
                                         2025: {"rd_expense_wan": Decimal(113), "rd_domestic_wan": Decimal(113)}}),
        ("gap", "杭州缺数科技有限公司", {2024: {"revenue_wan": None, "hitech_revenue_wan": None}}),
        ("hte", "杭州高企直通有限公司", {2025: {"st_staff_avg": 5, "rd_expense_wan": Decimal(10),
                                              "rd_domestic_wan": Decimal(10), "ip_class1": 0, "ip_class2": 0}}),
        ("formula", "=HYPERLINK(\"http://x\",\"点我\")科技有限公司", {}),
    ]
    for serial, (role, name, changes) in enumerate(specs, start=1):
        ids[role], codes[role] = add(db, name, serial, subdistrict_id, changes)
    add_pool_entry(db, ids["sound"], PoolInput(pool_kind="申报库", year=2026, entered_on=dt.date(2026, 3, 1)))
    add_pool_entry(db, ids["near"], PoolInput(pool_kind="申报库", year=2026, entered_on=dt.date(2026, 3, 1)))
    add_qualification(db, ids["hte"], QualificationInput(type_code="national_hte", year=2024,
                                                         certified_on=dt.date(2024, 12, 1)))
    return Register(codes=codes, subdistrict_id=subdistrict_id, **ids)


@pytest.fixture
def register(db: Database) -> Register:
    return build_register(db)
