"""提醒 page over a real database: upcoming by band and kind, overdue apart, rows open the enterprise."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from models.db import Database
from services.dto import EnterpriseInput
from services.qualifications import QualificationInput, add_qualification
from services.register import create_enterprise
from ui.main_window import MainWindow
from ui.pages.enterprises.detail import EnterpriseDialog
from ui.pages.reminders import RemindersPage

AS_OF = dt.date(2026, 3, 1)


def populate(db: Database) -> dict[str, int]:
    ids = {name: create_enterprise(db, EnterpriseInput(name=name)).id
           for name in ("杭州甲科技有限公司", "杭州乙科技有限公司", "杭州丙科技有限公司")}
    day = dt.date(2023, 3, 20)  # 国高企 valid to 2026-03-19: 18 days ahead
    add_qualification(db, ids["杭州甲科技有限公司"], QualificationInput("national_hte", 2023, certified_on=day))
    day = dt.date(2023, 7, 1)  # valid to 2026-06-30: 121 days ahead
    add_qualification(db, ids["杭州乙科技有限公司"], QualificationInput("national_hte", 2023, certified_on=day))
    day = dt.date(2023, 5, 1)  # 省科小: the 2024 report was due 2025-05-31 and never filed
    add_qualification(db, ids["杭州丙科技有限公司"], QualificationInput("prov_tsme", 2023, certified_on=day))
    return ids


def reminders_page(window: MainWindow, qtbot: QtBot) -> RemindersPage:
    window.show_page("reminders")
    page = window.page("reminders")
    assert isinstance(page, RemindersPage)
    qtbot.waitUntil(window.ctx.runner.is_idle, timeout=10_000)
    page.as_of = AS_OF
    page.reload()
    qtbot.waitUntil(lambda: page.result is not None and page.result.as_of == AS_OF, timeout=10_000)
    return page


def column(view, col: int) -> list[str]:  # type: ignore[no-untyped-def]
    model = view.records
    return [model.index(r, col).data() for r in range(model.rowCount())]


def test_upcoming_and_overdue_are_listed_apart(qtbot: QtBot, window: MainWindow, db: Database) -> None:
    populate(db)
    page = reminders_page(window, qtbot)
    assert column(page.upcoming, 4) == ["杭州甲科技有限公司", "杭州丙科技有限公司", "杭州乙科技有限公司"]
    assert column(page.upcoming, 1) == ["18 天", "91 天", "121 天"]
    assert column(page.overdue, 4) == ["杭州丙科技有限公司"] and column(page.overdue, 1) == ["逾期 274 天"]
    assert page.tabs.tabText(0) == "即将到期（3）" and page.tabs.tabText(1) == "已逾期（1）"
    assert "30 天内 1 项，90 天内 1 项，180 天内 3 项；已逾期 1 项" in page.summary.text()

    page.band.setCurrentIndex(page.band.findData(30))
    assert column(page.upcoming, 4) == ["杭州甲科技有限公司"]
    page.band.setCurrentIndex(page.band.findData(180))
    page.kind.setCurrentIndex(page.kind.findData("annual_report"))
    assert column(page.upcoming, 3) == ["省科小2025年度年报"]
    assert column(page.overdue, 3) == ["省科小2024年度年报"]


def test_a_row_opens_the_enterprise(qtbot: QtBot, window: MainWindow, db: Database) -> None:
    ids = populate(db)
    page = reminders_page(window, qtbot)
    page.upcoming.setFocus()
    page.upcoming.selectRow(0)
    page.upcoming.activated.emit(page.upcoming.currentIndex())
    dialog = window.findChild(EnterpriseDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=10_000)
    assert dialog.enterprise_id == ids["杭州甲科技有限公司"]
    dialog.close()


def test_remembers_the_chosen_kind(qtbot: QtBot, window: MainWindow, ctx, db: Database) -> None:  # type: ignore[no-untyped-def]
    page = reminders_page(window, qtbot)
    page.kind.setCurrentIndex(page.kind.findData("visit_issue"))
    window.show_page("dashboard")
    again = RemindersPage(ctx)
    qtbot.addWidget(again)
    assert again.kind.currentData() == "visit_issue"
