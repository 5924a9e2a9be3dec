"""工作台 additions: certifications valid / new this year / expiring, 国高企 progress per 属地 against targets
(chart and text), and the reminders badge that opens the reminders page."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from models import District, Subdistrict, Target
from models.db import Database
from services.dto import EnterpriseInput
from services.overview import database_overview
from services.qualifications import QualificationInput, add_qualification
from services.register import create_enterprise
from services.session import read_session, unit_of_work
from ui.main_window import MainWindow
from ui.pages.dashboard import DashboardPage
from ui.widgets.bar_chart import BarItem


def units(db: Database) -> tuple[int, dict[str, int]]:
    with read_session(db) as session:
        district = session.scalar(select(District.id).where(District.name == "拱墅区"))
        subs = dict(session.execute(select(Subdistrict.name, Subdistrict.id)
                                    .where(Subdistrict.district_id == district)).tuples().all())
    assert district is not None
    return district, subs


def populate(db: Database) -> dt.date:
    today = dt.date.today()  # read per test, not at import: a run may cross the new year
    district, subs = units(db)
    with unit_of_work(db, source="test") as session:
        session.add_all([
            Target(district_id=district, subdistrict_id=subs["上塘街道"], year=today.year,
                   indicator="qual.national_hte.new", issuer="区", required=2, stretch=3),
            Target(district_id=district, subdistrict_id=subs["大关街道"], year=today.year,
                   indicator="qual.national_hte.new", issuer="区", required=1),
            Target(district_id=district, subdistrict_id=None, year=today.year,
                   indicator="qual.national_hte.new", issuer="市", required=4, stretch=6),
        ])
    this_year = dt.date(today.year, 1, 1)
    for n, sub in enumerate(("上塘街道", "大关街道", "大关街道")):
        eid = create_enterprise(db, EnterpriseInput(name=f"杭州进度{n}科技有限公司", subdistrict_id=subs[sub])).id
        add_qualification(db, eid, QualificationInput("national_hte", today.year, certified_on=this_year))
    old = create_enterprise(db, EnterpriseInput(name="杭州快到期科技有限公司")).id
    certified = today.replace(year=today.year - 3) + dt.timedelta(days=30)
    add_qualification(db, old, QualificationInput("national_hte", certified.year, certified_on=certified))
    return today


def test_overview_counts_new_expiring_and_progress(db: Database) -> None:
    populate(db)
    overview = database_overview(db)
    hte = next(q for q in overview.qualifications if q.code == "national_hte")
    assert (hte.valid, hte.new_this_year, hte.expiring_soon) == (4, 3, 1)
    by_name = {u.name: u for u in overview.hte_progress}
    assert (by_name["上塘街道"].new, by_name["上塘街道"].required, by_name["上塘街道"].stretch) == (1, 2, 3)
    assert (by_name["大关街道"].new, by_name["大关街道"].completion_pct) == (2, 200)
    assert by_name["半山街道"].required is None
    assert overview.hte_total is not None and (overview.hte_total.new, overview.hte_total.required) == (3, 4)
    assert str(overview.hte_total.completion_pct) == "75.0"


def test_dashboard_shows_progress_chart_and_reminder_badge(qtbot: QtBot, window: MainWindow, db: Database) -> None:
    today = populate(db)
    page = window.page("dashboard")
    assert isinstance(page, DashboardPage)
    page.reload()
    qtbot.waitUntil(lambda: page.overview is not None and page.overview.enterprises == 4, timeout=10_000)
    qtbot.waitUntil(window.ctx.runner.is_idle, timeout=10_000)  # the reminders come after the overview
    assert page.new_labels["national_hte"].text() == "3"
    assert page.expiring_labels["national_hte"].text() == "1"
    assert f"{today.year}年全区国高企新增 3 家，目标 4 家，完成率 75.0%（力争 6 家）。" == page.progress_label.text()
    items = {i.label: i for i in page.chart.items}
    assert items["上塘街道"] == BarItem("上塘街道", 1, 2, 3) and items["大关街道"] == BarItem("大关街道", 2, 1, None)
    assert "完成率 200.0%" in items["大关街道"].describe()
    assert page.cards["reminders"].value.text() == "1" and page.cards["overdue"].value.text() == "0"
    reminders_entry = window.navigation.item(window.page_keys().index("reminders"))
    assert reminders_entry.text() == "提醒（1）"  # the count on the navigation too
    card = page.cards["reminders"]
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert window.current_page_key() == "reminders"
    assert not page.chart.grab().isNull()
