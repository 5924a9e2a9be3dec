"""The workbench overview: the service's numbers against counts the test makes itself, and the page showing them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from models import (
    Carrier,
    District,
    Enterprise,
    EnterpriseQualification,
    ImportBatch,
    PaymentNotice,
    VoucherGrant,
)
from models.db import Database
from models.types import utcnow
from services.backup import backup_database
from services.overview import database_overview
from services.session import unit_of_work
from ui.main_window import MainWindow
from ui.operations import Changes
from ui.pages.dashboard import DashboardPage

DAY = dt.timedelta(days=1)


def add_enterprise(db: Database, name: str, *, deleted: bool = False) -> int:
    with unit_of_work(db, source="test") as session:
        ent = Enterprise(name=name, name_norm=name, deleted_at=utcnow() if deleted else None)
        session.add(ent)
        session.flush()
        return ent.id


def add_qualification(db: Database, enterprise_id: int, type_code: str, *, certified: dt.date | None,
                      valid_to: dt.date | None = None, revoked: dt.date | None = None, status: str = "认定") -> None:
    with unit_of_work(db, source="test") as session:
        session.add(EnterpriseQualification(
            enterprise_id=enterprise_id, type_code=type_code, year=(certified or dt.date.today()).year,
            certified_on=certified, valid_to=valid_to, revoked_on=revoked, status=status))


def populate(db: Database) -> dict[str, int]:
    """A small register whose expected counts are written out by hand below.

    Dates are relative to the day the test runs, read here and not at import: a run that crosses midnight must not
    count a qualification certified "tomorrow" as valid.
    """
    today = dt.date.today()
    alive = [add_enterprise(db, f"杭州测试科技有限公司{i}") for i in range(5)]
    gone = add_enterprise(db, "已注销科技有限公司", deleted=True)
    # national_hte: valid for alive[0], alive[1] (twice: still one enterprise), not for the rest.
    add_qualification(db, alive[0], "national_hte", certified=today - 400 * DAY, valid_to=today + 300 * DAY)
    add_qualification(db, alive[1], "national_hte", certified=today - 10 * DAY, valid_to=today + 1000 * DAY)
    add_qualification(db, alive[1], "national_hte", certified=today - 1200 * DAY, valid_to=today)
    # alive[2] expired yesterday; alive[3] is certified only tomorrow.
    add_qualification(db, alive[2], "national_hte", certified=today - 1200 * DAY, valid_to=today - DAY)
    add_qualification(db, alive[3], "national_hte", certified=today + DAY, valid_to=today + 1100 * DAY)
    add_qualification(db, alive[4], "national_hte", certified=today - 100 * DAY, valid_to=today + 900 * DAY,
                      revoked=today - DAY, status="撤销")
    add_qualification(db, gone, "national_hte", certified=today - 100 * DAY, valid_to=today + 900 * DAY)
    # prov_tsme has no validity end: valid once certified.
    add_qualification(db, alive[2], "prov_tsme", certified=today - 30 * DAY)
    add_qualification(db, alive[3], "prov_tsme", certified=None, status="拟申报")
    with unit_of_work(db, source="test") as session:
        district_id = session.scalars(select(District.id)).first()
        session.add_all([
            Carrier(name="测试孵化器", name_norm="测试孵化器", kind_code="incubator"),
            Carrier(name="测试众创空间", name_norm="测试众创空间", kind_code="maker_space"),
            Carrier(name="已撤销空间", name_norm="已撤销空间", kind_code="maker_space", deleted_at=utcnow()),
            VoucherGrant(voucher_no="CXQ-1", enterprise_id=alive[0], district_id=district_id,
                         year=today.year, amount_applied_wan=Decimal("10"), applied_on=today),
            PaymentNotice(title="兑现通知", district_id=district_id, programme="国高企奖励", cohort_year=today.year,
                          issued_on=today),
            ImportBatch(batch_no="IMP-0001", kind="enterprises", file_name="拱墅街道.xlsx", file_sha256="0" * 64,
                        user="test", committed_at=utcnow(), rows=12, created=5, updated=3),
            ImportBatch(batch_no="IMP-0002", kind="enterprises", file_name="撤销的.xlsx", file_sha256="1" * 64,
                        user="test", committed_at=utcnow(), reverted_at=utcnow(), rows=1, created=1),
        ])
    return {"enterprises": 5, "national_hte": 2, "prov_tsme": 1, "carriers": 2, "voucher_grants": 1,
            "payment_notices": 1}


def test_overview_counts_what_the_test_inserted(db: Database) -> None:
    expected = populate(db)
    overview = database_overview(db)
    by_code = {q.code: q.valid for q in overview.qualifications}
    assert overview.enterprises == expected["enterprises"]
    assert by_code["national_hte"] == expected["national_hte"]
    assert by_code["prov_tsme"] == expected["prov_tsme"]
    assert by_code["city_hte"] == 0
    assert overview.qualifications[0].name == "国家高新技术企业"
    assert (overview.carriers, overview.voucher_grants, overview.payment_notices) == (2, 1, 1)
    assert overview.latest_import is not None and overview.latest_import.batch_no == "IMP-0001"
    assert overview.latest_backup is None


@pytest.mark.sqlite_only
def test_overview_names_the_newest_backup(db: Database) -> None:
    backup_database(db, reason="manual")
    newest = backup_database(db, reason="manual")
    overview = database_overview(db)
    assert overview.latest_backup is not None and overview.latest_backup.path == newest.path


def test_overview_on_an_empty_register(db: Database) -> None:
    overview = database_overview(db, as_of=dt.date(2024, 6, 30))
    assert overview.enterprises == 0 and overview.latest_import is None
    assert overview.as_of == dt.date(2024, 6, 30)
    assert all(q.valid == 0 for q in overview.qualifications)


def test_workbench_page_shows_the_numbers(qtbot: QtBot, db: Database, window: MainWindow) -> None:
    expected = populate(db)
    page = window.page("dashboard")
    assert isinstance(page, DashboardPage)
    page.reload()
    qtbot.waitUntil(lambda: page.overview is not None and page.overview.enterprises == 5, timeout=5000)
    assert page.cards["enterprises"].value.text() == "5"
    assert page.cards["carriers"].value.text() == str(expected["carriers"])
    assert page.qualification_labels["national_hte"].text() == "2"
    assert page.qualification_labels["prov_tsme"].text() == "1"
    assert "IMP-0001" in page.latest_import.text()
    assert "尚无" in page.latest_backup.text()


def test_workbench_refreshes_only_on_relevant_changes(qtbot: QtBot, db: Database, window: MainWindow) -> None:
    page = window.page("dashboard")
    assert isinstance(page, DashboardPage)
    qtbot.waitUntil(lambda: page.overview is not None, timeout=5000)
    add_enterprise(db, "新登记科技有限公司")
    window.ctx.runner.operation_did_execute.emit(Changes(settings=True), None)
    qtbot.waitUntil(window.ctx.runner.is_idle)
    assert page.overview is not None and page.overview.enterprises == 0
    window.ctx.runner.operation_did_execute.emit(Changes(enterprise=True), None)
    qtbot.waitUntil(lambda: page.overview is not None and page.overview.enterprises == 1, timeout=5000)
    assert page.cards["enterprises"].value.text() == "1"
