"""Constraints of the schema, enforced by the database itself (not only by the services)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError

from models import (
    Base,
    District,
    Enterprise,
    EnterpriseQualification,
    Payment,
    PaymentNotice,
    Subdistrict,
    Tenancy,
    VoucherGrant,
)
from models.db import Database
from services.session import unit_of_work


def add_enterprise(session, name: str = "杭州测试科技有限公司", **kw) -> Enterprise:  # type: ignore[no-untyped-def]
    ent = Enterprise(name=name, name_norm=name, **kw)
    session.add(ent)
    session.flush()
    return ent


def gongshu(session) -> District:  # type: ignore[no-untyped-def]
    return session.scalar(select(District).where(District.name == "拱墅区"))


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError), unit_of_work(db) as s:
        add_enterprise(s, subdistrict_id=999_999)


def test_credit_code_is_unique(db: Database) -> None:
    with unit_of_work(db) as s:
        add_enterprise(s, "甲公司", uscc="91110108551385082Q")
    with pytest.raises(IntegrityError), unit_of_work(db) as s:
        add_enterprise(s, "乙公司", uscc="91110108551385082Q")


def test_several_enterprises_without_credit_code(db: Database) -> None:
    with unit_of_work(db) as s:
        add_enterprise(s, "甲公司")
        add_enterprise(s, "乙公司")
        assert s.scalar(select(func.count()).select_from(Enterprise)) == 2


def test_qualification_status_and_validity_are_checked(db: Database) -> None:
    with unit_of_work(db) as s:
        ent_id = add_enterprise(s).id
    bad = [
        {"status": "瞎写"},
        {"application_kind": "换证"},
        {"valid_from": dt.date(2024, 1, 1), "valid_to": dt.date(2023, 12, 31)},
    ]
    for extra in bad:
        with pytest.raises(IntegrityError), unit_of_work(db) as s:
            s.add(EnterpriseQualification(enterprise_id=ent_id, type_code="national_hte", year=2024, **extra))
            s.flush()
    with pytest.raises(IntegrityError), unit_of_work(db) as s:
        s.add(EnterpriseQualification(enterprise_id=ent_id, type_code="no_such_type", year=2024))
        s.flush()


def test_payment_shares_must_add_up_and_name_one_payee(db: Database) -> None:
    with unit_of_work(db) as s:
        ent_id = add_enterprise(s).id
        notice = PaymentNotice(title="2025年国高企认定奖励", district_id=gongshu(s).id, programme="国高企认定奖励",
                               cohort_year=2025, issued_on=dt.date(2026, 3, 1))
        s.add(notice)
        s.flush()
        notice_id = notice.id
    ok = {"notice_id": notice_id, "enterprise_id": ent_id, "item": "认定奖励", "amount_total_wan": Decimal("40"),
          "amount_city_wan": Decimal("20"), "amount_district_wan": Decimal("20")}
    with unit_of_work(db) as s:
        s.execute(insert(Payment), [ok])
    for change in ({"amount_city_wan": Decimal("20.01")}, {"enterprise_id": None}):
        with pytest.raises(IntegrityError), unit_of_work(db) as s:
            s.execute(insert(Payment), [ok | change])


def test_voucher_holder_is_an_enterprise_or_a_maker_team(db: Database) -> None:
    with unit_of_work(db) as s:
        ent_id = add_enterprise(s).id
        district_id = gongshu(s).id
    base = {"district_id": district_id, "year": 2026, "amount_applied_wan": Decimal("10"),
            "applied_on": dt.date(2026, 2, 1)}
    with unit_of_work(db) as s:
        s.execute(insert(VoucherGrant), [base | {"voucher_no": "A1", "enterprise_id": ent_id},
                                         base | {"voucher_no": "A2", "maker_team_name": "青年创客团队"}])
    for holder in ({}, {"enterprise_id": ent_id, "maker_team_name": "团队"}):
        with pytest.raises(IntegrityError), unit_of_work(db) as s:
            s.execute(insert(VoucherGrant), [base | {"voucher_no": "A3"} | holder])


def test_tenancy_exit_needs_date_and_kind(db: Database) -> None:
    from models import Carrier

    with unit_of_work(db) as s:
        ent_id = add_enterprise(s).id
        carrier = Carrier(name="莱克孵化器", name_norm="莱克孵化器", kind_code="incubator")
        s.add(carrier)
        s.flush()
        carrier_id = carrier.id
    for bad in ({"left_on": dt.date(2025, 1, 1)}, {"exit_kind": "毕业"}, {"left_on": dt.date(2019, 1, 1),
                                                                       "exit_kind": "毕业"}):
        with pytest.raises(IntegrityError), unit_of_work(db) as s:
            s.add(Tenancy(carrier_id=carrier_id, enterprise_id=ent_id, entered_on=dt.date(2020, 1, 1), **bad))
            s.flush()


def test_money_is_exact_to_the_fen(db: Database) -> None:
    with unit_of_work(db) as s:
        for i in range(10):
            add_enterprise(s, f"公司{i}", registered_capital_wan=Decimal("0.1"))
        add_enterprise(s, "零头公司", registered_capital_wan=Decimal("1234.567891"))  # rounds to the 分
    with unit_of_work(db) as s:
        total = s.scalar(select(func.sum(Enterprise.registered_capital_wan)).where(Enterprise.name.like("公司%")))
        assert total == Decimal("1.000000")
        odd = s.scalar(select(Enterprise.registered_capital_wan).where(Enterprise.name == "零头公司"))
        assert odd == Decimal("1234.567891")
        raw = s.execute(text("SELECT registered_capital_wan FROM enterprise WHERE name = '零头公司'")).scalar()
        assert raw == 1_234_567_891  # stored as whole 分 × 100 of 0.01 万元 … i.e. exact integer


def test_timestamps_are_aware_utc(db: Database) -> None:
    with unit_of_work(db) as s:
        ent_id = add_enterprise(s).id
    with unit_of_work(db) as s:
        created = s.get(Enterprise, ent_id).created_at
        assert created.tzinfo is dt.UTC
        assert abs(dt.datetime.now(dt.UTC) - created) < dt.timedelta(minutes=5)


def test_relationships_never_lazy_load(db: Database) -> None:
    with unit_of_work(db) as s:
        ent_id = add_enterprise(s).id
    with db.read_session_factory() as s:
        ent = s.get(Enterprise, ent_id)
        with pytest.raises(Exception, match="lazy"):
            _ = ent.qualifications


def test_constraints_follow_the_naming_convention(db: Database) -> None:
    insp = inspect(db.engine)
    fks = insp.get_foreign_keys("enterprise")
    assert {fk["name"] for fk in fks} >= {"fk_enterprise_subdistrict_id_subdistrict"}
    uniques = {u["name"] for u in insp.get_unique_constraints("enterprise")}
    assert "uq_enterprise_uscc" in uniques
    assert len(Base.metadata.tables) >= 30


def test_reference_data_is_loaded(db: Database) -> None:
    with unit_of_work(db) as s:
        names = set(s.scalars(select(Subdistrict.name).join(District).where(District.name == "拱墅区")))
        assert len(names) == 11 and "园区" in names and "米市巷街道" in names
        assert s.scalar(select(func.count()).select_from(District)) == 16
        codes = set(s.execute(text("SELECT code FROM qualification_type")).scalars())
        assert {"national_hte", "city_hte", "prov_tsme", "national_tsme", "city_startup", "qinglan",
                "district_growth"} <= codes
        assert s.execute(text("SELECT count(*) FROM industry_field")).scalar() == 8
        main_city = dict(s.execute(select(District.name, District.city_share_pct)).all())
        assert main_city["拱墅区"] == 50 and main_city["萧山区"] == 25
