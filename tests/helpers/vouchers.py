"""Builders shared by the voucher tests: a year's rule, enterprises, a maker space, providers, and a grant taken
through its steps with the real services (dates fixed, so that no test depends on today)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from models import Carrier
from models.db import Database
from services.dto import EnterpriseInput
from services.providers import ProviderInput, create_provider
from services.register import create_enterprise
from services.session import unit_of_work
from services.text import normalize_name
from services.voucher_records import GrantDetail
from services.voucher_rules import VoucherRuleInput, save_rule
from services.voucher_uses import UseInput, add_use
from services.vouchers import GrantInput, apply_grant, issue_grant

YEAR = 2025
#: "Today" of the tests: after the voucher year, so that every date of it is in the past.
TODAY = dt.date(2026, 2, 1)
D = Decimal


@dataclass(frozen=True)
class World:
    """What :func:`build` made: enterprise ids by short name, the maker space, two providers."""

    firms: dict[str, int]
    space_id: int
    lab_id: int
    agency_id: int


def build(db: Database, *, ratio: str = "0.3", cofund: str = "0.4") -> World:
    save_rule(db, VoucherRuleInput(YEAR, subsidy_ratio=D(ratio), city_cofund_max_ratio=D(cofund)))
    firms = {short: create_enterprise(db, EnterpriseInput(name=name, uscc=uscc)).id
             for short, name, uscc in (("甲", "杭州甲科技有限公司", "91330105MA2CDEF012"),
                                       ("乙", "杭州乙智能科技有限公司", None),
                                       ("丙", "杭州丙生物医药有限公司", None))}
    with unit_of_work(db) as session:
        space = Carrier(name="运河众创空间", name_norm=normalize_name("运河众创空间"), kind_code="maker_space")
        session.add(space)
        session.flush()
        space_id = space.id
    lab = create_provider(db, ProviderInput("浙江方圆检测集团股份有限公司", "检测机构", "省"))
    agency = create_provider(db, ProviderInput("杭州天勤专利代理事务所（普通合伙）", "专利代理机构", "市"))
    return World(firms, space_id, lab.id, agency.id)


def issued(db: Database, enterprise_id: int | None, amount: str, *, team: str | None = None,
           space_id: int | None = None, applied: dt.date = dt.date(YEAR, 3, 1),
           issued_on: dt.date | None = None) -> GrantDetail:
    """A grant applied for on ``applied`` and issued in full (two weeks later unless ``issued_on``)."""
    grant = apply_grant(db, GrantInput(YEAR, D(amount), applied, enterprise_id, team, space_id), today=TODAY)
    return issue_grant(db, grant.id, D(amount), issued_on or applied + dt.timedelta(days=14), today=TODAY)


def use(db: Database, grant_id: int, provider_id: int, voucher: str, paid: str, *, contract_no: str | None = None,
        used_on: dt.date = dt.date(YEAR, 4, 10), service: str = "测试分析") -> GrantDetail:
    return add_use(db, grant_id, UseInput(provider_id, service, D(paid), D(paid), D(voucher), used_on, contract_no),
                   today=TODAY)

